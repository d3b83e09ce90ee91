"""Rumour leads and rebuttals through HTTP and the services: duplicate reports merged,
closed incidents refused, triage refusals, reviewers limited to the group's accepted
experts, only the expert decides their review, no publication without approval, two
approvals, changes requested, time to publish."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint, login_client
from kepu.emergency import choices as c
from kepu.emergency.models import Rebuttal, RebuttalReview, Rumor
from kepu.emergency.services import rumors as services
from kepu.emergency.tests import rumor_helpers as h
from kepu.emergency.tests.helpers import make_incident, make_member

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def expert():
    return h.expert_person()


@pytest.fixture
def incident(expert):
    return h.incident_with_experts(expert, title="测试地震", affected=("510104", "510703"))


# --- intake ---------------------------------------------------------------------------------


def test_the_same_claim_is_merged_into_its_lead(as_persona, incident):
    county_a = _english(as_persona("county_a"))
    url = reverse("emergency:rumor_create")
    first = {
        "claim": "明天锦江区有7级大地震！",
        "topic": "earthquake",
        "region": "510104",
        "incident": incident.pk,
    }
    response = county_a.post(url, first, follow=True)
    rumor = Rumor.objects.get(incident=incident)
    assert (rumor.report_count, rumor.source, rumor.status, rumor.is_drill) == (
        1,
        "officer",
        "new",
        False,
    )
    assert _messages(response) == ["Lead recorded. An officer will triage it."]
    # Case, width, spaces and punctuation do not make a new claim.
    again = {**first, "claim": "明天 锦江区有７级大地震。。", "region": "510104"}
    before = Rumor.objects.count()
    response = county_a.post(url, again, follow=True)
    assert Rumor.objects.count() == before
    rumor.refresh_from_db()
    assert rumor.report_count == 2
    assert rumor.claim == "明天锦江区有7级大地震！"
    assert _messages(response) == [
        "This claim had already been reported; your report was merged into that lead "
        "(now reported 2 times)."
    ]
    assert AuditEntry.objects.filter(action="emergency.rumor.merged", object_id=str(rumor.pk))
    # In normal times the same words are another lead (another incident, another key).
    other, created = services.report_rumor(
        actor=None,
        claim=first["claim"],
        topic="earthquake",
        region=h.region("510104"),
        source=c.RumorSource.OFFICER,
    )
    assert created and other.pk != rumor.pk and other.incident is None


def test_a_closed_incident_takes_no_new_leads(as_persona):
    closed = make_incident(title="已结束的地震", status=c.IncidentStatus.CLOSED)
    county_a = _english(as_persona("county_a"))
    with translation.override("en"), pytest.raises(StateConflict) as refused:
        services.report_rumor(
            actor=None,
            incident=closed,
            claim="余震还会更大",
            topic="earthquake",
            region=h.region("510104"),
            source=c.RumorSource.PUBLIC,
        )
    assert refused.value.messages == ["This incident is closed; it takes no new rumour reports."]
    before = fingerprint()
    response = county_a.post(
        reverse("emergency:public_rumor_report") + f"?incident={closed.pk}",
        {"claim": "余震还会更大", "topic": "earthquake", "region": "510104"},
    )
    assert response.status_code == 400
    assert "This incident is closed; it takes no new rumour reports." in response.content.decode()
    assert fingerprint() == before
    assert not Rumor.objects.filter(incident=closed).exists()


def test_a_drill_lead_is_marked_and_an_information_officer_reports_from_home(as_persona):
    drill = make_incident(title="防汛演练", hazard="flood", is_drill=True)
    volunteer = as_persona("volunteer")
    response = volunteer.post(
        reverse("emergency:rumor_create"),
        {"claim": "演练：堤坝要垮了", "topic": "flood", "incident": drill.pk},
    )
    assert response.status_code == 302
    rumor = Rumor.objects.get(incident=drill)
    registration = rumor.reported_by.person.registrations.get(kind="volunteer")
    assert (rumor.is_drill, rumor.source, rumor.region, rumor.reported_by.username) == (
        True,
        "info_officer",
        registration.region,
        "demo-volunteer",
    )
    assert rumor.region.code.startswith("510104")
    # Outside their own region: refused by the service.
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.report_rumor(
            actor=rumor.reported_by,
            claim="别处的谣言",
            topic="flood",
            region=h.region("510703"),
            source=c.RumorSource.INFO_OFFICER,
        )
    assert refused.value.message_dict == {
        "region": ["Report rumours circulating in your own region."]
    }


# --- triage -------------------------------------------------------------------------------


def test_triage_refusals_and_decisions(as_persona, incident):
    county_a = _english(as_persona("county_a"))
    rumor = h.lead(incident, claim="喝板蓝根能防地震后的疫情", code="510104")
    original = h.lead(incident, claim="地震后井水都不能喝", code="510104")
    elsewhere = h.lead(None, claim="地震后井水都不能喝了吗", code="510104")
    url = reverse("emergency:rumor_triage", args=[rumor.pk])
    before = fingerprint()
    response = county_a.post(url, {"decision": "duplicate"})
    assert response.status_code == 400
    assert "Choose the lead this one repeats." in response.content.decode()
    response = county_a.post(url, {"decision": "out_of_scope", "note": ""})
    assert response.status_code == 400
    assert "Say why this lead is out of scope." in response.content.decode()
    # A lead of normal times is not a choice for an incident's lead (form), nor for the service.
    response = county_a.post(url, {"decision": "duplicate", "duplicate_of": elsewhere.pk})
    assert response.status_code == 400
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.triage_rumor(rumor, actor=None, decision="duplicate", duplicate_of=elsewhere)
    assert refused.value.message_dict == {
        "duplicate_of": ["Choose another lead of the same incident."]
    }
    assert fingerprint() == before
    # County B does not reach a lead of county A.
    assert as_persona("county_b").post(url, {"decision": "needs_rebuttal"}).status_code == 404

    response = county_a.post(url, {"decision": "duplicate", "duplicate_of": original.pk})
    assert response.status_code == 302
    rumor.refresh_from_db()
    assert (rumor.status, rumor.duplicate_of_id, rumor.triaged_by.username) == (
        "duplicate",
        original.pk,
        "demo-county-a",
    )
    with translation.override("en"), pytest.raises(StateConflict) as refused:
        services.triage_rumor(rumor, actor=None, decision="needs_rebuttal")
    assert refused.value.messages == ["This lead is “Duplicate”; it has already been triaged."]


# --- review -------------------------------------------------------------------------------


def test_reviewers_must_be_accepted_experts_of_the_group(incident, expert):
    invited = h.other_expert("王专家", "test-expert-wang")
    make_member(incident, invited, status=c.MemberStatus.INVITED)
    draft = h.rebuttal(incident, claim="震后会有毒气泄漏")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.submit_rebuttal(draft, actor=None, reviewers=[expert, invited])
    assert refused.value.message_dict == {
        "reviewers": ["王专家 is not an expert who accepted to serve in this incident's group."]
    }
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.reviews.exists()
    # An accepted member whose account cannot decide reviews (no reviewer role).
    from kepu.core.models import User
    from kepu.people.models import Person

    plain = User.objects.create(username="test-plain-account")
    member = Person.objects.create(name="钱专家", region=h.region("51"), user=plain)
    make_member(incident, member)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.submit_rebuttal(draft, actor=None, reviewers=[member])
    assert refused.value.message_dict == {
        "reviewers": ["钱专家 has no reviewer account on the platform."]
    }
    # Two approvals need two reviewers.
    two = h.rebuttal(incident, claim="震后自来水都有毒")
    services.update_rebuttal(two, actor=None, approvals_required=2)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.submit_rebuttal(two, actor=None, reviewers=[expert])
    assert refused.value.message_dict == {
        "reviewers": ["Choose at least 2 experts to review this rebuttal."]
    }


def test_normal_times_reviewers_come_from_the_emergency_and_health_pools(expert):
    from kepu.people.models import ExpertPool, PoolMembership

    draft = h.rebuttal(None, claim="微波炉加热食物致癌", topic="health")
    outsider = h.other_expert("赵专家", "test-expert-zhao")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.submit_rebuttal(draft, actor=None, reviewers=[outsider])
    assert refused.value.message_dict == {
        "reviewers": ["赵专家 is not an expert of an active emergency or health pool."]
    }
    pool = ExpertPool.objects.filter(kind="health", is_active=True).first()
    PoolMembership.objects.create(pool=pool, person=outsider)
    services.submit_rebuttal(draft, actor=None, reviewers=[outsider])
    assert draft.reviews.get().person == outsider


def test_only_the_expert_decides_their_review(client, incident):
    other = h.other_expert()
    make_member(incident, other)
    item = h.rebuttal(incident, claim="地震后不能住楼房", state="in_review", reviewers=[other])
    review = item.reviews.get()
    demo_expert = login_client(client, "demo-expert")
    url = reverse("emergency:review_decide", args=[review.pk])
    before = fingerprint()
    assert demo_expert.get(url).status_code == 403
    assert demo_expert.post(url, {"decision": "approve"}).status_code == 403
    assert fingerprint() == before
    # Nor through the service.
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.decide_review(review, actor=demo_expert_user(), approve=True)
    assert refused.value.messages == ["Only the expert asked for this review decides on it."]
    review.refresh_from_db()
    assert review.decision == "pending"
    # Not in demo-expert's list either.
    page = demo_expert.get(reverse("emergency:review_list")).content.decode()
    assert url not in page


def demo_expert_user():
    from kepu.core.models import User

    return User.objects.get(username="demo-expert")


def test_publishing_without_approval_is_refused(as_persona, incident, expert):
    county_b = _english(as_persona("county_b"))
    item = h.rebuttal(incident, claim="地震时要往楼下跑", state="in_review", reviewers=[expert])
    with translation.override("en"), pytest.raises(StateConflict) as refused:
        services.publish_rebuttal(item, actor=None)
    assert refused.value.messages == [
        "A rebuttal cannot be published without the experts' approval."
    ]
    with translation.override("zh-hans"), pytest.raises(StateConflict) as refused:
        services.publish_rebuttal(item, actor=None)
    before = fingerprint()
    response = county_b.post(reverse("emergency:rebuttal_publish", args=[item.pk]), follow=True)
    assert _messages(response) == ["A rebuttal cannot be published without the experts' approval."]
    assert fingerprint() == before
    item.refresh_from_db()
    assert (item.status, item.published_at) == ("in_review", None)


def test_two_approvals_then_publication_with_the_time_to_publish(as_persona, client, incident):
    expert = h.expert_person()
    other = h.other_expert()
    make_member(incident, other)
    start = clock.now().replace(microsecond=0) - datetime.timedelta(hours=5)
    with clock.frozen(start):
        rumor = h.lead(incident, claim="震区的水库要溃坝了", triage="needs_rebuttal")
    item = services.draft_rebuttal(
        rumor, actor=None, title="水库安全", body="经专家核实，水库安全。", approvals_required=2
    )
    county_b = _english(as_persona("county_b"))
    response = county_b.post(
        reverse("emergency:rebuttal_submit", args=[item.pk]),
        {"reviewers": [expert.pk, other.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_review"
    reviews = {r.person_id: r for r in item.reviews.all()}
    # The reviewer with an address is told by mail (a job that commits with the change).
    from django.core import mail

    due = timezone.localtime(item.submitted_at + datetime.timedelta(hours=4))
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Rebuttal to review by {due:%Y-%m-%d %H:%M}: 水库安全", [expert.email])
    ]
    assert {r.due_at - item.submitted_at for r in reviews.values()} == {datetime.timedelta(hours=4)}
    # The expert decides on a phone: approve.
    demo = _english(login_client(client, "demo-expert"))
    listing = demo.get(reverse("emergency:review_list")).content.decode()
    mine = reviews[expert.pk]
    assert reverse("emergency:review_decide", args=[mine.pk]) in listing
    response = demo.post(
        reverse("emergency:review_decide", args=[mine.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_review"  # one of two approvals
    services.decide_review(reviews[other.pk], actor=None, approve=True)
    item.refresh_from_db()
    assert item.status == "approved"
    with clock.frozen(start + datetime.timedelta(hours=3, minutes=20)):
        response = county_b.post(reverse("emergency:rebuttal_publish", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    rumor.refresh_from_db()
    assert (item.status, item.seconds_to_publish, rumor.status) == ("published", 12000, "rebutted")
    page = county_b.get(reverse("emergency:rebuttal_detail", args=[item.pk])).content.decode()
    assert '<dd class="col-6" id="time-to-publish">3 h 20 min</dd>' in page
    tab = _english(as_persona("province")).get(
        reverse("emergency:incident_rumors", args=[incident.pk])
    )
    assert tab.status_code == 200
    assert '<strong id="median-time">3 h 20 min</strong>' in tab.content.decode()


def test_changes_requested_return_the_draft_for_another_round(client, incident, expert):
    other = h.other_expert()
    make_member(incident, other)
    item = h.rebuttal(
        incident, claim="余震时躲在床下最安全", state="in_review", reviewers=[expert, other]
    )
    mine = item.reviews.get(person=expert)
    demo = _english(login_client(client, "demo-expert"))
    url = reverse("emergency:review_decide", args=[mine.pk])
    before = fingerprint()
    response = demo.post(url, {"decision": "changes", "comment": ""})
    assert response.status_code == 400
    assert "Say what must change, so that the author can act on it." in response.content.decode()
    assert fingerprint() == before
    response = demo.post(url, {"decision": "changes", "comment": "请补充权威来源。"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "draft"
    mine.refresh_from_db()
    assert (mine.decision, mine.comment) == ("changes", "请补充权威来源。")
    # The other expert's pending review of that round is no longer needed.
    assert list(item.reviews.values_list("person_id", "round", "decision")) == [
        (expert.pk, 1, "changes")
    ]
    services.update_rebuttal(item, actor=None, body="经应急管理部门核实：……（附来源）")
    services.submit_rebuttal(item, actor=None, reviewers=[expert])
    assert sorted(item.reviews.values_list("round", "decision")) == [
        (1, "changes"),
        (2, "pending"),
    ]


def test_the_list_filters_and_exports(as_persona, incident):
    h.lead(incident, claim="锦江区的谣言一", code="510104", topic="health")
    h.lead(incident, claim="锦江区的谣言二", code="510104", topic="earthquake")
    h.lead(incident, claim="涪城区的谣言", code="510703", topic="health")
    county_a = as_persona("county_a")
    url = reverse("emergency:rumor_list")
    page = county_a.get(url, {"topic": "health", "incident": incident.pk})
    assert [r.claim for r in page.context["page"]] == ["锦江区的谣言一"]
    page = county_a.get(url, {"q": "谣言二"})
    assert [r.claim for r in page.context["page"]] == ["锦江区的谣言二"]
    # A region outside the scope shows nothing (never everything).
    page = county_a.get(url, {"region": "510703"})
    assert list(page.context["page"]) == []
    export = county_a.get(reverse("emergency:rumor_export"), {"topic": "health"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert AuditEntry.objects.filter(action="emergency.rumor.exported").count() == 1


def test_workbench_items(as_persona, client, incident, expert):
    from kepu.core import workbench
    from kepu.core.models import User

    h.lead(incident, claim="工作台：待研判的谣言", code="510104")
    h.rebuttal(incident, claim="工作台：待发布的辟谣", state="approved", reviewers=[expert])
    h.rebuttal(incident, claim="工作台：待审核的辟谣", state="in_review", reviewers=[expert])
    officer = User.objects.get(username="demo-province")
    items = {i.key: i for i in workbench.collect(officer, None)}
    assert items["emergency.rumors"].count >= 1
    assert items["emergency.rebuttals"].count == 1
    mine = {i.key: i for i in workbench.collect(demo_expert_user(), None)}
    assert mine["emergency.reviews"].count == 1
    assert (
        mine["emergency.reviews"].oldest
        == RebuttalReview.objects.get(rebuttal__rumor__claim="工作台：待审核的辟谣").due_at
    )
    assert Rebuttal.objects.filter(status="approved").count() == 1


def test_the_api_lists_with_the_page_filters_and_merges_duplicates(as_persona, incident):
    h.lead(incident, claim="接口：锦江区停电三天", code="510104", topic="health")
    county_a = as_persona("county_a")
    url = reverse("api:rumor-list")
    listing = county_a.get(url, {"topic": "health", "incident": incident.pk}).json()
    assert [r["claim"] for r in listing["results"]] == ["接口：锦江区停电三天"]
    assert county_a.get(url, {"incident": "1.5"}).status_code == 400
    data = {"claim": "接口：锦江区 停电三天！", "topic": "health", "region": "510104",
            "incident": incident.pk}  # fmt: skip
    response = county_a.post(url, data, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["report_count"] == 2
    response = county_a.post(
        url, {**data, "claim": "接口：新的线索内容"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["source"] == "officer"
    refused = as_persona("county_b").post(
        url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"region"}
