"""The assessment of regions and member units (seeds 001 五(一)2, 五(二)3; 004 (25)):
a round's subjects and live values, the self-assessment with evidence, four-eyes scoring,
publishing the frozen result, the ranking, the portal, and refusals across counties."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kepu.core.testing import fingerprint
from kepu.plans import assessment_choices as c
from kepu.plans.models import AssessmentEntry
from kepu.plans.services import assessment as services
from kepu.plans.tests.assessment_helpers import (
    MANUAL_REGION,
    MANUAL_UNIT,
    city_round,
    rubric,
    unit_round,
)
from kepu.plans.tests.helpers import make_plan, org, pdf_upload, region

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def _entry(round_, code="510104"):
    return round_.entries.get(region__code=code)


def test_a_round_takes_every_sub_region_and_pulls_the_live_values():
    round_ = city_round()
    children = set(region("5101").children.values_list("code", flat=True))
    assert set(round_.entries.values_list("region__code", flat=True)) == children
    entry = _entry(round_)
    auto = {"on_time", "tasks_done", "targets_met", "volunteers", "teams", "funding", "literacy"}
    assert set(entry.live) == auto
    assert entry.status == c.EntryStatus.PENDING
    assert entry.total is not None and entry.rank is not None  # provisional
    round_.refresh_from_db()
    assert round_.computed_at is not None


def test_per_capita_needs_the_population():
    jinjiang = region("510104")
    jinjiang.population = None
    jinjiang.save(update_fields=["population"])
    round_ = city_round()
    assert _entry(round_).live["volunteers"] is None
    jinjiang.population = 500000
    jinjiang.save(update_fields=["population"])
    services.refresh_round(round_, actor=None)
    value = _entry(round_).live["volunteers"]
    assert value is not None and float(value) >= 0


def test_the_rubric_must_fit_the_subjects():
    with translation.override("en"), pytest.raises(Exception) as refused:
        city_round(rubric=rubric("units"))
    assert "computed for another kind of subject" in str(refused.value)


def test_round_pages_and_the_whole_flow(client, as_persona):
    round_ = city_round()
    entry = _entry(round_)
    detail = reverse("plans:assessment_detail", args=[round_.pk])
    city = english(as_persona("city"))
    page = city.get(detail)
    assert page.status_code == 200
    text = page.content.decode()
    assert "锦江区" in text and "Recompute the live values" in text

    # County A reads the round (its own entry only) and files its self-assessment.
    county_a = english(as_persona("county_a"))
    own = county_a.get(detail).content.decode()
    assert "锦江区" in own and "青羊区" not in own and "Recompute" not in own
    response = county_a.post(
        reverse("plans:assessment_self_assess", args=[entry.pk]),
        {
            "self_text": "全年开展科普活动120场",
            "claim_leadership": "14",
            "attachments": pdf_upload(),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == c.EntryStatus.SELF_ASSESSED and entry.evidence.count() == 1
    evidence = entry.evidence.get()
    download = city.get(reverse("plans:assessment_evidence", args=[entry.pk, evidence.pk]))
    assert download.status_code == 200

    # County A may not score its own entry; the city scores it.
    before = fingerprint()
    refused = county_a.post(
        reverse("plans:assessment_score", args=[entry.pk]),
        {f"points_{k}": v for k, v in MANUAL_REGION.items()},
    )
    assert refused.status_code == 302 and fingerprint() == before
    scored = city.post(
        reverse("plans:assessment_score", args=[entry.pk]),
        {**{f"points_{k}": v for k, v in MANUAL_REGION.items()}, "comment": "材料齐全"},
    )
    assert scored.status_code == 302
    entry.refresh_from_db()
    assert entry.status == c.EntryStatus.SCORED
    assert entry.lines["leadership"] == "12.00"
    earned = sum(map(Decimal, entry.lines.values()))
    missing = services.missing_weight(round_.rubric, entry.live)
    assert entry.total == (earned * 100 / (100 - missing)).quantize(Decimal("0.01"))

    # Four-eyes: the scorer cannot confirm; the province confirms.
    before = fingerprint()
    confirm = reverse("plans:assessment_confirm", args=[entry.pk])
    page = city.post(confirm, follow=True).content.decode()
    assert "A second officer confirms the score: you scored it." in page
    assert fingerprint() == before
    assert as_persona("province").post(confirm).status_code == 302
    entry.refresh_from_db()
    assert entry.status == c.EntryStatus.CONFIRMED

    # Publishing waits for every score.
    publish = reverse("plans:assessment_publish", args=[round_.pk])
    page = city.post(publish, follow=True).content.decode()
    assert "are not confirmed yet" in page
    for other in round_.entries.exclude(pk=entry.pk):
        services.score_entry(other, actor=None, points=MANUAL_REGION)
        services.confirm_entry(other, actor=None)
    assert city.post(publish).status_code == 302
    round_.refresh_from_db()
    assert round_.status == c.RoundStatus.PUBLISHED
    assert len(round_.results) == round_.entries.count()
    assert sorted(r["rank"] for r in round_.results)[0] == 1

    # The assessed see the frozen result, every subject ranked.
    ranking = county_a.get(reverse("plans:assessment_ranking", args=[round_.pk]))
    assert ranking.status_code == 200 and "青羊区" in ranking.content.decode()
    assert "it no longer changes" in ranking.content.decode()
    # Not public: the portal does not show it.
    public = reverse("plans:public_assessment_detail", args=[round_.pk])
    assert client.get(public).status_code == 404
    export = city.get(reverse("plans:assessment_export", args=[round_.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_public_result_is_on_the_portal(client):
    round_ = city_round(is_public=True)
    for entry in round_.entries.all():
        services.score_entry(entry, actor=None, points=MANUAL_REGION)
        services.confirm_entry(entry, actor=None)
    services.publish_round(round_, actor=None)
    english(client)
    page = client.get(reverse("plans:public_assessment_detail", args=[round_.pk]))
    assert page.status_code == 200 and "锦江区" in page.content.decode()
    listing = client.get(reverse("plans:public_assessment_list")).content.decode()
    assert round_.name in listing
    with pytest.raises(Exception) as refused:
        services.refresh_round(round_, actor=None)
    assert "no longer changes" in str(refused.value)


def test_other_counties_and_cities_are_refused(as_persona):
    round_ = city_round()
    entry = _entry(round_)
    county_b = as_persona("county_b")
    before = fingerprint()
    assert county_b.get(reverse("plans:assessment_detail", args=[round_.pk])).status_code == 404
    assert county_b.get(reverse("plans:assessment_entry", args=[entry.pk])).status_code == 404
    posted = county_b.post(reverse("plans:assessment_confirm", args=[entry.pk]))
    assert posted.status_code == 404
    # County A reads its own entry but not its neighbour's.
    county_a = as_persona("county_a")
    neighbour = _entry(round_, "510105")
    assert county_a.get(reverse("plans:assessment_entry", args=[neighbour.pk])).status_code == 404
    assert county_a.post(reverse("plans:assessment_refresh", args=[round_.pk])).status_code == 403
    assert fingerprint() == before


def test_the_assessor_does_not_self_assess(as_persona):
    round_ = city_round()
    entry = _entry(round_)
    city = english(as_persona("city"))
    before = fingerprint()
    page = city.get(reverse("plans:assessment_self_assess", args=[entry.pk]), follow=True)
    assert "The assessed region or unit files its own self-assessment." in page.content.decode()
    assert fingerprint() == before


def test_member_units_are_assessed_on_their_plan(as_persona):
    plan = make_plan()
    round_ = unit_round(plan)
    unit = round_.entries.get(organization=org("四川省教育厅"))
    assert set(unit.live) == {"on_time", "targets_met", "tasks_done", "activities"}
    member = english(as_persona("member"))
    assert member.get(reverse("plans:assessment_detail", args=[round_.pk])).status_code == 200
    response = member.post(
        reverse("plans:assessment_self_assess", args=[unit.pk]),
        {"self_text": "牵头完成科学教育任务"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.status == c.EntryStatus.SELF_ASSESSED
    scored = as_persona("province").post(
        reverse("plans:assessment_score", args=[unit.pk]),
        {f"points_{k}": v for k, v in MANUAL_UNIT.items()},
    )
    assert scored.status_code == 302
    unit.refresh_from_db()
    assert unit.status == c.EntryStatus.SCORED
    # A score out of range is refused field by field.
    bad = as_persona("province").post(
        reverse("plans:assessment_score", args=[unit.pk]),
        {**{f"points_{k}": v for k, v in MANUAL_UNIT.items()}, "points_duties": "25"},
    )
    assert bad.status_code == 400


def test_the_api_lists_scores_and_confirms(as_persona):
    round_ = city_round()
    entry = _entry(round_)
    city = as_persona("city")
    rounds = city.get(reverse("api:plan-assessment-list"), {"year": round_.year}).json()
    assert [r["id"] for r in rounds["results"]] == [round_.pk]
    entries = city.get(reverse("api:plan-assessment-entry-list"), {"round": round_.pk}).json()
    assert len(entries["results"]) == round_.entries.count()
    score = reverse("api:plan-assessment-entry-score", args=[entry.pk])
    answer = city.post(score, {"points": MANUAL_REGION}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "scored"
    confirm = reverse("api:plan-assessment-entry-confirm", args=[entry.pk])
    assert city.post(confirm, content_type="application/json").status_code == 403
    assert as_persona("province").post(confirm, content_type="application/json").status_code == 200
    again = as_persona("province").post(confirm, content_type="application/json")
    assert again.status_code == 409
    ranking = city.get(reverse("api:plan-assessment-ranking", args=[round_.pk])).json()
    assert ranking[0]["rank"] == 1
    assert AssessmentEntry.objects.filter(round=round_, status="confirmed").count() == 1
