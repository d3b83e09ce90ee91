"""The plans API for plans and tasks: scope (404 outside, 403 without the right), the
plan and task steps through the services (409 for steps the state does not allow, the one
error body), the public progress endpoints and the schema."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint
from kepu.plans import progress, services
from kepu.plans.models import (
    Plan,
    ProgressReport,
    Target,
    Task,
)
from kepu.plans.tests.api import (
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
    url,
)
from kepu.plans.tests.helpers import make_target, org, region

pytestmark = pytest.mark.django_db

# --- scope ------------------------------------------------------------------------------


def test_lists_and_details_follow_the_scope(as_persona):
    plan_p, plan_b = province_plan(), county_b_plan()
    province = as_persona("province")
    assert {plan_p.pk, plan_b.pk} <= set(ids(province.get(url("plan-list"))))
    county_a = as_persona("county_a")
    seen = ids(county_a.get(url("plan-list")))
    assert plan_p.pk not in seen and plan_b.pk not in seen
    assert county_a.get(url("plan-detail", plan_p.pk)).status_code == 404
    member = as_persona("member")
    seen = ids(member.get(url("plan-list")))
    assert plan_p.pk in seen and plan_b.pk not in seen
    assert member.get(url("plan-detail", plan_b.pk)).status_code == 404

    detail = member.get(url("plan-detail", plan_p.pk)).json()
    assert detail["status"] == "published" and detail["region"] == "51"
    assert [(s["number"], s["title"]) for s in detail["sections"]] == [("一", "重点任务")]
    task = plan_p.tasks.get()
    assert [(t["id"], t["lead_unit_name"], t["display_status"]) for t in detail["tasks"]] == [
        (task.pk, "四川省教育厅", "not_started")
    ]
    assert detail["task_counts"] == {"not_started": 1, "in_progress": 0, "done": 0, "overdue": 0}
    assert detail["progress"] == 0

    assert as_persona("volunteer").get(url("plan-list")).status_code == 403
    assert as_persona("auditor").get(url("plan-task-list")).status_code == 403
    assert Client().get(url("plan-list")).status_code == 401
    assert Client().get(url("plan-report-list")).status_code == 401


def test_county_b_cannot_reach_the_province_plans_report_and_nothing_changes(as_persona):
    plan_p = province_plan()
    report = services.submit_report(member_report(plan_p), actor=None, text="已完成培训")
    target = make_target(plan_p)
    note = services.add_note(plan_p.tasks.get(), actor=None, text="请加快进度")
    county_b = as_persona("county_b")
    before = fingerprint()
    assert county_b.get(url("plan-report-detail", report.pk)).status_code == 404
    assert post(county_b, "plan-report-accept", report.pk).status_code == 404
    assert post(county_b, "plan-report-return", report.pk, {"reason": "越权"}).status_code == 404
    # Submitting is for the units: officers are refused before any lookup.
    assert post(county_b, "plan-report-submit", report.pk, {"text": "越权"}).status_code == 403
    assert report.pk not in ids(county_b.get(url("plan-report-list")))
    attempts = [
        patch(county_b, "plan-detail", plan_p.pk, {"title": "越权修改"}),
        post(county_b, "plan-close", plan_p.pk),
        post(county_b, "plan-sections", plan_p.pk, {"title": "越权"}),
        patch(county_b, "plan-task-detail", plan_p.tasks.get().pk, {"title": "越权"}),
        post(county_b, "plan-task-status", plan_p.tasks.get().pk, {"status": "done"}),
        patch(county_b, "plan-target-detail", target.pk, {"target_value": "1"}),
        post(county_b, "plan-target-decompose", target.pk, {"parts": []}),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert county_b.get(url("plan-note-detail", note.pk)).status_code == 404
    assert fingerprint() == before
    report.refresh_from_db()
    assert report.status == "submitted" and report.reviewed_by is None


# --- plans ------------------------------------------------------------------------------


def test_create_section_task_publish_close(as_persona):
    client = as_persona("county_a")
    year = _today().year
    data = {
        "title": "锦江区全民科学素质行动实施方案",
        "short_title": "锦江素质方案",
        "issuer": "锦江区人民政府",
        "region": "510104",
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "report_cycle": "monthly",
        "status": "published",
    }
    response = post(client, "plan-list", data=data)
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    # Read-only fields are ignored: only `publish` publishes.
    assert (body["status"], body["region"], body["report_cycle"]) == ("draft", "510104", "monthly")
    assert Plan.objects.get(pk=pk).created_by.username == "demo-county-a"
    outside = post(client, "plan-list", data={**data, "region": "510703"})
    assert fields(outside) == ["region"]
    backwards = patch(client, "plan-detail", pk, {"period_end": f"{year - 1}-12-31"})
    assert backwards.json() == invalid({"period_end": ["The period ends before it starts."]})

    empty = post(client, "plan-publish", pk)
    assert empty.status_code == 400
    assert empty.json() == refused("Add at least one task with its lead unit before publishing.")
    assert Plan.objects.get(pk=pk).status == "draft"

    section = post(client, "plan-sections", pk, {"number": "一", "title": "重点任务"})
    assert section.status_code == 201 and section.json()["position"] == 0
    units = [org("成都石室中学"), org("锦江区教育局")]
    response = post(
        client,
        "plan-task-list",
        data={
            "plan": pk,
            "section": section.json()["id"],
            "number": "1",
            "title": "青少年科学素质提升",
            "lead_unit": org("锦江区科学技术协会").pk,
            "responsible_units": [u.pk for u in units],
            "deadline": f"{year}-11-30",
        },
    )
    assert response.status_code == 201, response.json()
    task = response.json()
    assert task["lead_unit"] == org("锦江区科学技术协会").pk
    assert task["responsible_units"] == [u.pk for u in units]
    assert [(u["name"], u["is_lead"]) for u in task["units"]] == [
        ("锦江区科学技术协会", True),
        ("成都石室中学", False),
        ("锦江区教育局", False),
    ]

    published = post(client, "plan-publish", pk)
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published" and published.json()["published_at"]
    # The reporting periods open for the three units, one per month started so far.
    assert ProgressReport.objects.filter(task_id=task["id"]).count() == 3 * _today().month
    again = post(client, "plan-publish", pk)
    assert again.status_code == 409
    assert again.json() == conflict("Only a draft plan can be published.")

    assert post(client, "plan-close", pk).json()["status"] == "closed"
    assert post(client, "plan-close", pk).status_code == 409
    assert list(
        AuditEntry.objects.filter(object_type="plans.plan", object_id=str(pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "plans.plan.created",
        "plans.plan.published",
        "plans.plan.periods_opened",
        "plans.plan.closed",
    ]


def test_plan_filters(as_persona):
    plan_p = province_plan(title="四川省科普人才发展规划")
    plan_b = county_b_plan()
    draft = county_b_plan(title="涪城区草稿方案", publish=False)
    client = as_persona("province")
    listed = ids(client.get(url("plan-list"), {"status": "draft"}))
    assert draft.pk in listed and plan_b.pk not in listed
    by_region = ids(client.get(url("plan-list"), {"region": "5107"}))
    assert {plan_b.pk, draft.pk} <= set(by_region) and plan_p.pk not in by_region
    assert ids(client.get(url("plan-list"), {"q": "人才"})) == [plan_p.pk]
    assert client.get(url("plan-list"), {"status": "nonsense"}).status_code == 400


def test_members_read_plans_but_do_not_change_them(as_persona):
    plan_p = province_plan()
    member = as_persona("member")
    before = fingerprint()
    assert patch(member, "plan-detail", plan_p.pk, {"summary": "改"}).status_code == 403
    assert post(member, "plan-close", plan_p.pk).status_code == 403
    assert post(member, "plan-list", data={"title": "x"}).status_code == 403
    assert fingerprint() == before


# --- tasks ------------------------------------------------------------------------------


def test_task_detail_status_and_filters(as_persona):
    plan = province_plan()
    task = plan.tasks.get()
    late = services.create_task(
        plan,
        actor=None,
        number="2",
        title="科普基础设施建设",
        lead_unit=org("四川省科学技术厅"),
        responsible_units=[org("四川省应急管理厅"), org("四川省地震局")],
        deadline=_today() - datetime.timedelta(days=1),
    )
    client = as_persona("province")
    body = client.get(url("plan-task-detail", late.pk)).json()
    assert body["lead_unit"] == org("四川省科学技术厅").pk
    assert body["responsible_units"] == [org("四川省应急管理厅").pk, org("四川省地震局").pk]
    assert body["deadline"] == late.deadline.isoformat()
    assert (body["status"], body["display_status"], body["progress"]) == (
        "not_started",
        "overdue",
        0,
    )

    def listed(**params):
        return ids(client.get(url("plan-task-list"), {"plan": plan.pk, **params}))

    assert listed() == [task.pk, late.pk]
    assert listed(status="overdue") == [late.pk]
    assert listed(status="not_started") == [task.pk]
    assert listed(unit=org("四川省地震局").pk) == [late.pk]

    # The units are replaced in the order given.
    response = patch(
        client,
        "plan-task-detail",
        late.pk,
        {"responsible_units": [org("四川省地震局").pk, org("四川省应急管理厅").pk]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["responsible_units"] == [
        org("四川省地震局").pk,
        org("四川省应急管理厅").pk,
    ]
    twice = patch(client, "plan-task-detail", late.pk, {"responsible_units": [body["lead_unit"]]})
    assert fields(twice) == ["responsible_units"]

    done = post(client, "plan-task-status", late.pk, {"status": "done"})
    assert done.status_code == 200
    assert (done.json()["display_status"], done.json()["progress"]) == ("done", 100)
    assert done.json()["completed_on"] == _today().isoformat()
    assert listed(status="overdue") == []
    assert post(client, "plan-task-status", late.pk, {"status": "overdue"}).status_code == 400
    member = as_persona("member")
    assert post(member, "plan-task-status", task.pk, {"status": "done"}).status_code == 403
    assert Task.objects.get(pk=task.pk).status == "not_started"


def test_a_task_goes_only_into_a_plan_the_officer_may_change(as_persona):
    plan_p = province_plan()
    data = {
        "plan": plan_p.pk,
        "title": "越权任务",
        "lead_unit": org("锦江区科学技术协会").pk,
    }
    count = Task.objects.count()
    response = post(as_persona("county_a"), "plan-task-list", data=data)
    assert fields(response) == ["plan"]
    no_lead = post(as_persona("province"), "plan-task-list", data={"plan": plan_p.pk, "title": "x"})
    assert fields(no_lead) == ["lead_unit"]
    assert Task.objects.count() == count


# --- the public portal ------------------------------------------------------------------


def test_public_plans_for_anyone(as_persona):
    plan = province_plan()
    target = make_target(plan)
    services.decompose_target(
        target,
        actor=None,
        parts=[
            {"region": region("5101"), "target_value": 200},
            {"region": region("5107"), "target_value": 100},
        ],
    )
    services.submit_report(member_report(plan), actor=None, text="内部进展", progress=10)
    services.add_note(plan.tasks.get(), actor=None, text="内部督查意见")
    draft = county_b_plan(title="涪城区草稿方案", publish=False)
    closed = county_b_plan(title="涪城区已结束方案")
    services.close_plan(closed, actor=None)
    anonymous = Client()
    listed = ids(anonymous.get(url("public-plan-list")))
    assert plan.pk in listed and closed.pk in listed and draft.pk not in listed
    assert ids(anonymous.get(url("public-plan-list"), {"status": "closed"})) == [closed.pk]
    assert anonymous.get(url("public-plan-list"), {"status": "draft"}).status_code == 400

    response = anonymous.get(url("public-plan-detail", plan.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["region"], body["status"]) == (plan.title, "51", "published")
    standings = {s.target.pk: s for s in progress.standings(Target.objects.filter(plan=plan))}
    (top,) = body["targets"]
    assert top["id"] == target.pk and top["standing"]["state"] == standings[target.pk].state
    assert [(p["region"], p["target_value"]) for p in top["parts"]] == [
        ("5101", "200.00"),
        ("5107", "100.00"),
    ]
    assert body["task_counts"]["not_started"] == 1
    content = response.content.decode()
    for private in ("内部进展", "内部督查意见", "demo-", "张明", "陈晨", "created_by"):
        assert private not in content
    assert set(body) == {
        "id", "title", "short_title", "issuer", "document_number", "issued_on", "region",
        "region_name", "period_start", "period_end", "document_url", "summary", "status",
        "status_display", "published_at", "targets", "task_counts", "progress",
    }  # fmt: skip
    assert anonymous.get(url("public-plan-detail", draft.pk)).status_code == 404
    assert as_persona("county_b").get(url("public-plan-detail", draft.pk)).status_code == 404
    assert anonymous.get(url("plan-detail", plan.pk)).status_code == 401


def test_the_schema_lists_the_endpoints():
    schema = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert {
        "/api/v1/plans/",
        "/api/v1/plans/{id}/publish/",
        "/api/v1/plans/{id}/close/",
        "/api/v1/plans/tasks/{id}/status/",
        "/api/v1/plans/targets/{id}/decompose/",
        "/api/v1/plans/targets/{id}/trajectory/",
        "/api/v1/plans/reports/{id}/submit/",
        "/api/v1/plans/reports/{id}/accept/",
        "/api/v1/plans/reports/{id}/return/",
        "/api/v1/plans/notes/{id}/respond/",
        "/api/v1/public/plans/{id}/",
    } <= set(schema.json()["paths"])
    submit = schema.json()["paths"]["/api/v1/plans/reports/{id}/submit/"]["post"]
    assert "multipart/form-data" in submit["requestBody"]["content"]
