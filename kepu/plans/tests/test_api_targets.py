"""The plans API for targets: the live standing, reported figures, creation and update,
decomposition (adding up exactly, 409 once figures are reported, parts changed only
through their target) and exact decimals."""

import json
from decimal import Decimal

import pytest

from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint
from kepu.plans import progress, services
from kepu.plans.models import Target
from kepu.plans.tests.api import (
    EN,
    _today,
    conflict,
    county_b_plan,
    fields,
    ids,
    invalid,
    member_report,
    patch,
    post,
    province_plan,
    refused,
    reported_target,
    url,
)
from kepu.plans.tests.helpers import make_target, org

pytestmark = pytest.mark.django_db

# --- targets ----------------------------------------------------------------------------


def test_target_detail_carries_the_live_standing(as_persona):
    plan = province_plan()
    target = make_target(plan)
    client = as_persona("member")
    body = client.get(url("plan-target-detail", target.pk)).json()
    (standing,) = progress.standings([Target.objects.get(pk=target.pk)])
    assert body["standing"].pop("state_display")
    assert body["standing"] == {
        "actual": f"{standing.actual:.2f}",
        "expected": f"{standing.expected:.2f}",
        "percent": standing.percent,
        "state": standing.state,
    }
    assert (body["source"], body["indicator"], body["target_value"]) == (
        "measured",
        "people.fulltime_added",
        "300.00",
    )
    assert body["parts"] == []
    listing = client.get(url("plan-target-list"), {"plan": plan.pk}).json()["results"]
    assert [(t["id"], t["standing"]["expected"]) for t in listing] == [
        (target.pk, body["standing"]["expected"])
    ]


def test_a_reported_target_follows_accepted_figures(as_persona):
    plan = province_plan()
    target = reported_target(plan)
    report = member_report(plan)
    member, province = as_persona("member"), as_persona("province")
    submitted = member.post(
        url("plan-report-submit", report.pk),
        {"text": "培训科技辅导员40人", "progress": "20", "figures": json.dumps({target.pk: 40})},
        **EN,
    )
    assert submitted.status_code == 200, submitted.json()
    before = member.get(url("plan-target-detail", target.pk)).json()["standing"]
    assert (before["actual"], before["state"]) == (None, "no_data")
    assert post(province, "plan-report-accept", report.pk, {"note": "同意"}).status_code == 200
    standing = member.get(url("plan-target-detail", target.pk)).json()["standing"]
    assert (standing["actual"], standing["percent"]) == ("40.00", 20)

    curve = member.get(url("plan-target-trajectory", target.pk)).json()
    assert curve["days"][0] == target.baseline_date.isoformat()
    assert curve["days"][-1] == target.deadline.isoformat()
    assert curve["planned"][0] == "0.00" and curve["planned"][-1] == "200.00"
    # Nothing until the end of the first quarter, then the accepted 40.
    assert curve["actual"][:4] == [None, None, None, "40.00"]
    assert len(curve["actual"]) == len([d for d in curve["days"] if d <= _today().isoformat()])


def test_create_and_update_targets(as_persona):
    plan = county_b_plan()
    client = as_persona("county_b")
    year = _today().year
    data = {
        "plan": plan.pk,
        "name": "社区科普讲座",
        "unit": "场",
        "region": "510703",
        "source": "reported",
        "baseline_date": f"{year - 1}-12-31",
        "target_value": "50",
        "deadline": f"{year}-12-31",
    }
    response = post(client, "plan-target-list", data=data)
    assert response.status_code == 201, response.json()
    assert response.json()["standing"]["state"] == "no_data"
    pk = response.json()["id"]
    measured = post(client, "plan-target-list", data={**data, "source": "measured"})
    assert measured.json() == invalid(
        {"indicator": ["Choose the registry indicator that measures it."]}
    )
    outside = post(client, "plan-target-list", data={**data, "region": "510104"})
    assert fields(outside) == ["region"]
    response = patch(client, "plan-target-detail", pk, {"target_value": "60", "plan": 1})
    assert response.status_code == 200 and response.json()["target_value"] == "60.00"
    assert Target.objects.get(pk=pk).plan_id == plan.pk
    # The target's own region: the city sees neither this one nor the list's.
    assert as_persona("city").get(url("plan-target-detail", pk)).status_code == 404
    assert pk in ids(client.get(url("plan-target-list"), {"region": "510703"}))
    assert ids(client.get(url("plan-target-list"), {"region": "510104"})) == []


def test_decompose_adds_up_or_nothing_changes(as_persona):
    plan = province_plan()
    target = make_target(plan)  # 300 for the province
    client = as_persona("province")
    before = fingerprint()
    wrong = post(
        client,
        "plan-target-decompose",
        target.pk,
        {
            "parts": [
                {"region": "5101", "target_value": "100"},
                {"region": "5107", "target_value": "100"},
            ]
        },
    )
    assert wrong.status_code == 400
    assert wrong.json() == refused(
        "The parts add up to 200, but the target is 300: they must add up exactly."
    )
    not_below = post(
        client,
        "plan-target-decompose",
        target.pk,
        {"parts": [{"region": "51", "target_value": "300"}]},
    )
    assert not_below.status_code == 400
    assert fingerprint() == before

    right = post(
        client,
        "plan-target-decompose",
        target.pk,
        {
            "parts": [
                {"region": "5101", "target_value": "180"},
                {"region": "5107", "target_value": "120"},
            ]
        },
    )
    assert right.status_code == 200, right.json()
    parts = right.json()["parts"]
    assert [(p["region"], p["target_value"]) for p in parts] == [
        ("5101", "180.00"),
        ("5107", "120.00"),
    ]
    assert all(p["standing"]["state"] for p in parts)
    assert AuditEntry.objects.filter(action="plans.target.decomposed", object_id=str(target.pk))
    # The city acts on its own part; the province's target it only reads (the plan
    # reaches the city through its part: issue 19, plans visible where they apply).
    city = as_persona("city")
    chengdu = Target.objects.get(parent=target, region__code="5101")
    assert city.get(url("plan-target-detail", chengdu.pk)).status_code == 200
    assert city.get(url("plan-target-detail", target.pk)).status_code == 200
    before = fingerprint()
    assert post(city, "plan-target-decompose", target.pk).status_code == 403
    assert fingerprint() == before
    assert post(as_persona("member"), "plan-target-decompose", target.pk).status_code == 403


def test_parts_with_reported_figures_are_not_replaced(as_persona):
    plan = province_plan()
    target = reported_target(plan)
    edu, kx = org("四川省教育厅"), org("四川省科学技术协会")
    client = as_persona("province")
    parts = [
        {"organization": edu.pk, "target_value": "120"},
        {"organization": kx.pk, "target_value": "80"},
    ]
    assert post(client, "plan-target-decompose", target.pk, {"parts": parts}).status_code == 200
    part = Target.objects.get(parent=target, organization=edu)
    services.submit_report(member_report(plan), actor=None, text="进展", figures={part.pk: 30})
    again = post(client, "plan-target-decompose", target.pk, {"parts": parts})
    assert again.status_code == 409
    assert again.json() == conflict(
        "Units have already reported figures for the parts; the parts cannot be replaced."
    )
    assert Target.objects.filter(parent=target).count() == 2


def test_decimal_inputs_are_exact(as_persona):
    plan = province_plan()
    target = reported_target(plan, target_value=Decimal("0.30"), additive=False, name="达标率")
    response = post(
        as_persona("province"),
        "plan-target-decompose",
        target.pk,
        {"parts": [{"region": "5101", "target_value": "0.35"}]},
    )
    assert response.status_code == 200, response.json()
    assert Target.objects.get(parent=target).target_value == Decimal("0.35")


def test_a_part_is_changed_through_its_target_only(as_persona):
    plan = province_plan()
    target = make_target(plan)
    client = as_persona("province")
    parts = {
        "parts": [
            {"region": "5101", "target_value": "100"},
            {"region": "5107", "target_value": "200"},
        ]
    }
    assert post(client, "plan-target-decompose", target.pk, parts).status_code == 200
    part = Target.objects.get(parent=target, region__code="5101")
    before = fingerprint()
    changed = patch(client, "plan-target-detail", part.pk, {"target_value": "150"})
    assert changed.status_code == 403
    assert changed.json() == {
        "code": "forbidden",
        "message": "A part is set when its target is decomposed; change it there.",
        "fields": {},
    }
    again = post(client, "plan-target-decompose", part.pk, {"parts": []})
    assert again.status_code == 403 and again.json()["code"] == "forbidden"
    assert fingerprint() == before
    # The page says the same and offers no change.
    page = client.get(f"/plans/targets/{part.pk}/", **EN).content.decode()
    assert f"/plans/targets/{part.pk}/edit/" not in page


@pytest.mark.parametrize(
    "name", ["plan-target-list", "plan-task-list", "plan-report-list", "plan-note-list"]
)
def test_ids_no_row_can_have_are_invalid_filters(name, as_persona):
    """One id filter for every app (`kepu.core.filters.IdFilter`): a value no key can
    hold is refused with the field named, never a database overflow."""
    client = as_persona("province")
    for value in ("99999999999999999999", "-1", "0", "1.5", "abc"):
        response = client.get(url(name), {"plan": value})
        assert response.status_code == 400, (name, value)
        assert response.json()["code"] == "invalid" and "plan" in response.json()["fields"]
