"""The public side of rumours: the report form (rate limit, double submit, merged
duplicates, no personal identifiers), the rebuttal library searched in Chinese, the
feeds (valid JSON Feed and RSS, only published rebuttals of real incidents), and the
misinformation log's rollups (reconciled after a random sequence of service calls)."""

import json
import random
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from kepu.core import rollups
from kepu.core.testing import fingerprint
from kepu.emergency import choices as c
from kepu.emergency.models import Rumor
from kepu.emergency.services import rumors as services
from kepu.emergency.tests import rumor_helpers as h
from kepu.emergency.tests.helpers import make_incident
from kepu.emergency.views import rumors_public

pytestmark = pytest.mark.django_db

REPORT = {"claim": "听说明天全城停水三天", "topic": "health", "region": "510104"}


def _token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


@pytest.fixture
def library():
    """Published rebuttals of a real incident and of normal times, a drill's, a draft."""
    expert = h.expert_person()
    real = h.incident_with_experts(expert, title="真实地震", affected=("510104", "510703"))
    drill = h.incident_with_experts(expert, title="防汛演练", hazard="flood", is_drill=True)
    rows = {
        "cloud": h.rebuttal(real, claim="地震云能预报地震", state="published", reviewers=[expert]),
        "water": h.rebuttal(
            real,
            claim="震后自来水都被污染了",
            state="published",
            reviewers=[expert],
            topic="health",
        ),
        "drill": h.rebuttal(
            drill, claim="演练：地震云出现了", state="published", reviewers=[expert]
        ),
        "draft": h.rebuttal(real, claim="地震云又出现了"),
    }
    normal = h.rebuttal(None, claim="微波炉加热会致癌", topic="health")
    from kepu.people.models import ExpertPool, PoolMembership

    pool = ExpertPool.objects.filter(kind="health", is_active=True).first()
    PoolMembership.objects.get_or_create(pool=pool, person=expert)
    services.submit_rebuttal(normal, actor=None, reviewers=[expert])
    services.decide_review(normal.reviews.get(), actor=None, approve=True)
    rows["normal"] = services.publish_rebuttal(normal, actor=None)
    rows["real"], rows["drill_incident"] = real, drill
    return rows


def test_the_public_report_form(client):
    client.cookies["django_language"] = "en"
    url = reverse("emergency:public_rumor_report")
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    # Phone-first, and no personal identifiers asked.
    assert 'id="privacy-note"' in body
    for field in ("name", "phone", "id_number", "email"):
        assert f'name="{field}"' not in body
    response = client.post(url, {**REPORT, "form_token": _token(page)}, follow=True)
    rumor = Rumor.objects.get(claim=REPORT["claim"])
    assert (rumor.source, rumor.reported_by, rumor.incident, rumor.report_count) == (
        "public",
        None,
        None,
        1,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Thank you. Your report has been received; the experts' answer will appear in the "
        "rebuttal library."
    ]
    # The same form sent twice (double click): one report.
    again = client.post(url, {**REPORT, "form_token": _token(page)})
    assert again.status_code == 302
    rumor.refresh_from_db()
    assert rumor.report_count == 1
    # Someone else reporting the same thing (a new form): merged, and told so.
    page = client.get(url)
    response = client.post(
        url,
        {**REPORT, "claim": "听说 明天全城停水三天！", "form_token": _token(page)},
        follow=True,
    )
    rumor.refresh_from_db()
    assert rumor.report_count == 2
    assert Rumor.objects.filter(claim__contains="停水").count() == 1
    assert [str(m) for m in response.context["messages"]] == [
        "Thank you. This has already been reported: your report was merged into it, and it "
        "is being looked at."
    ]


def test_the_report_form_for_an_incident(client):
    incident = make_incident(title="测试洪水", hazard="flood", affected=("510104",))
    url = reverse("emergency:public_rumor_report") + f"?incident={incident.pk}"
    assert client.post(url, REPORT).status_code == 302
    assert Rumor.objects.get(claim=REPORT["claim"]).incident == incident
    assert client.get(reverse("emergency:public_rumor_report") + "?incident=x").status_code == 404
    assert client.get(reverse("emergency:public_rumor_report") + "?incident=0").status_code == 404


def test_the_report_form_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr(rumors_public, "REPORT_LIMIT", 2)
    url = reverse("emergency:public_rumor_report")
    for i in range(2):
        assert client.post(url, {**REPORT, "claim": f"谣言第{i}条内容"}).status_code == 302
    before = fingerprint()
    assert client.post(url, {**REPORT, "claim": "谣言第三条内容"}).status_code == 429
    assert fingerprint() == before


def test_the_library_searches_in_chinese_and_shows_only_public_rebuttals(client, library):
    url = reverse("emergency:public_rebuttal_list")

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return sorted(r.title for r in response.context["page"])

    cloud, water, normal = (library[k].title for k in ("cloud", "water", "normal"))
    assert titles() == sorted([cloud, water, normal])
    assert titles(q="地震云") == [cloud]
    assert titles(q="自来水") == [water]
    assert titles(q="致癌") == [normal]
    assert titles(q="不实 微波炉") == [normal]
    assert titles(topic="health") == sorted([water, normal])
    assert titles(incident=library["real"].pk) == sorted([cloud, water])
    assert titles(incident=library["drill_incident"].pk) == []
    # Drafts and drills have no public page.
    for key in ("draft", "drill"):
        detail = reverse("emergency:public_rebuttal_detail", args=[library[key].pk])
        assert client.get(detail).status_code == 404
    page = client.get(reverse("emergency:public_rebuttal_detail", args=[library["cloud"].pk]))
    assert page.status_code == 200
    assert "地震云能预报地震" in page.content.decode()


def test_withdrawing_takes_a_rebuttal_off_at_once(client, library):
    url = reverse("emergency:public_rebuttal_detail", args=[library["cloud"].pk])
    assert client.get(url).status_code == 200
    with translation.override("en"):
        with pytest.raises(services.DomainError) as refused:
            services.withdraw_rebuttal(library["cloud"], actor=None, reason="")
        assert refused.value.message_dict == {
            "reason": ["Give the reason for withdrawing the rebuttal."]
        }
    services.withdraw_rebuttal(library["cloud"], actor=None, reason="表述需更新")
    assert client.get(url).status_code == 404
    listing = client.get(reverse("emergency:public_rebuttal_list"))
    assert library["cloud"].title not in listing.content.decode()


def test_the_feeds_carry_only_public_rebuttals(client, library):
    response = client.get(reverse("emergency:rebuttal_feed_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    titles = [item["title"] for item in feed["items"]]
    assert sorted(titles) == sorted(library[k].title for k in ("cloud", "water", "normal"))
    first = feed["items"][0]
    assert set(first) == {
        "id",
        "url",
        "title",
        "content_text",
        "summary",
        "date_published",
        "tags",
        "_kepu",
    }
    assert first["url"].startswith("http://testserver/emergency/rebuttals/")

    response = client.get(reverse("emergency:rebuttal_feed_rss"), {"incident": library["real"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    assert sorted(i.findtext("title") for i in channel.findall("item")) == sorted(
        library[k].title for k in ("cloud", "water")
    )
    drill = client.get(
        reverse("emergency:rebuttal_feed_json"), {"incident": library["drill_incident"].pk}
    )
    assert json.loads(drill.content)["items"] == []
    assert client.get(reverse("emergency:rebuttal_feed_json"), {"incident": "x"}).status_code == 404


def test_the_misinformation_log_and_its_rollups_reconcile(as_persona):
    """A random sequence of reports, merges, triages, reviews, publications and
    withdrawals (drills among them) leaves no drift in the two counters."""
    rng = random.Random(25)
    expert = h.expert_person()
    real = h.incident_with_experts(expert, title="对账地震", affected=("510104", "510703"))
    drill = h.incident_with_experts(expert, title="对账演练", is_drill=True)
    topics = ["earthquake", "health", "flood"]
    leads = []
    for _i in range(24):
        incident = rng.choice([real, drill, None])
        rumor, _ = services.report_rumor(
            actor=None,
            incident=incident,
            claim=f"对账谣言{rng.randrange(12)}号",
            topic=rng.choice(topics),
            region=h.region(rng.choice(["510104", "510703"])),
            source=c.RumorSource.PUBLIC,
        )
        leads.append(rumor)
    published = []
    for rumor in {r.pk: r for r in leads}.values():
        rumor.refresh_from_db()
        if not rumor.can_triage():
            continue
        decision = rng.choice(["needs_rebuttal", "needs_rebuttal", "out_of_scope", "duplicate"])
        if decision == "duplicate":
            target = (
                Rumor.objects.filter(incident=rumor.incident)
                .exclude(pk=rumor.pk)
                .exclude(status="duplicate")
                .first()
            )
            if target is None:
                continue
            services.triage_rumor(rumor, actor=None, decision=decision, duplicate_of=target)
            continue
        services.triage_rumor(rumor, actor=None, decision=decision, note="无关")
        if decision == "out_of_scope":
            continue
        item = services.draft_rebuttal(rumor, actor=None, title="对账辟谣", body="不实。")
        if rumor.incident is None:
            from kepu.people.models import ExpertPool, PoolMembership

            pool = ExpertPool.objects.filter(kind="emergency", is_active=True).first()
            PoolMembership.objects.get_or_create(pool=pool, person=expert)
        services.submit_rebuttal(item, actor=None, reviewers=[expert])
        services.decide_review(item.reviews.get(), actor=None, approve=True)
        if rng.random() < 0.8:
            published.append(services.publish_rebuttal(item, actor=None))
    for item in rng.sample(published, k=min(2, len(published))):
        services.withdraw_rebuttal(item, actor=None, reason="对账撤回")
    for name in ("emergency.rumors", "emergency.rebuttals"):
        assert rollups.reconcile(name, fix=False) == [], name
    counted = Rumor.objects.filter(is_drill=False).exclude(status="duplicate")
    assert rollups.total("emergency.rumors", None) == counted.count()

    # The log shows the same counts (province, this year), drills left out.
    response = as_persona("province").get(reverse("emergency:rumor_trends"), {"period": "year"})
    assert response.status_code == 200
    assert response.context["leads_total"] == counted.count()
    from kepu.emergency.models import Rebuttal

    assert response.context["rebuttals_total"] == Rebuttal.objects.public().count()
    by_topic = {row["topic"]: row["total"][0] for row in response.context["grid"]}
    labels = dict(c.TOPIC_CHOICES)
    for topic in topics:
        n = counted.filter(topic=topic).count()
        assert by_topic.get(labels[topic], 0) == n
    # County A sees only its own region's leads.
    mine = as_persona("county_a").get(reverse("emergency:rumor_trends"), {"period": "year"})
    assert mine.context["leads_total"] == counted.filter(region__code="510104").count()
