"""The plans REST API: scope (404 outside, 403 without the right), the plan, task,
target, report and note steps through the services, 409 for steps the state does not
allow, field errors, decomposition, multipart report submission with content-checked
files, the public progress endpoints, list query counts and the schema."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint
from kepu.plans import progress, services
from kepu.plans.models import (
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    SupervisionNote,
    Target,
    Task,
)
from kepu.plans.tests.authz import FINGERPRINT
from kepu.plans.tests.helpers import PDF, make_plan, make_target, org, pdf_upload, region

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, pk=None):
    return reverse(f"api:{name}", args=[pk] if pk is not None else None)


def post(client, name, pk=None, data=None):
    return client.post(url(name, pk), data or {}, content_type="application/json", **EN)


def patch(client, name, pk, data):
    return client.patch(url(name, pk), data, content_type="application/json", **EN)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def fields(response) -> list[str]:
    """The fields a 400 `invalid` answer names (the one error body)."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["message"], body
    return list(body["fields"])


def invalid(fields: dict) -> dict:
    messages = [m for ms in fields.values() for m in ms]
    message = messages[0] if len(messages) == 1 else "Please correct the errors below."
    return {"code": "invalid", "message": message, "fields": fields}


def refused(message: str) -> dict:
    return {"code": "refused", "message": message, "fields": {}}


def conflict(message: str) -> dict:
    return {"code": "conflict", "message": message, "fields": {}}


def _today():
    return timezone.localdate()


def province_plan(**fields):
    """The province's plan, from 1 January last year: its first quarters are past due."""
    today = _today()
    fields.setdefault("start", datetime.date(today.year - 1, 1, 1))
    fields.setdefault("end", datetime.date(today.year, 12, 31))
    return make_plan(**fields)


def county_b_plan(**fields):
    today = _today()
    return make_plan(
        code="510703",
        title=fields.pop("title", "涪城区科普工作要点"),
        issuer="涪城区科学技术协会",
        lead="涪城区科学技术协会",
        responsible=("绵阳南山中学",),
        start=datetime.date(today.year - 1, 1, 1),
        end=datetime.date(today.year, 12, 31),
        **fields,
    )


def member_report(plan, index=0) -> ProgressReport:
    """The member unit's (四川省教育厅) report on the plan's task, oldest first."""
    return ProgressReport.objects.filter(
        task__plan=plan, organization=org("四川省教育厅")
    ).order_by("period_start")[index]


def reported_target(plan, **fields):
    values = {
        "name": "科技辅导员培训",
        "unit": "人",
        "source": "reported",
        "indicator": "",
        "task": plan.tasks.get(),
        "target_value": 200,
        "baseline_date": plan.period_start - datetime.timedelta(days=1),
    }
    values.update(fields)
    return make_target(plan, **values)


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
    before = fingerprint(FINGERPRINT)
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
    assert fingerprint(FINGERPRINT) == before
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
    before = fingerprint(FINGERPRINT)
    assert patch(member, "plan-detail", plan_p.pk, {"summary": "改"}).status_code == 403
    assert post(member, "plan-close", plan_p.pk).status_code == 403
    assert post(member, "plan-list", data={"title": "x"}).status_code == 403
    assert fingerprint(FINGERPRINT) == before


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
    before = fingerprint(FINGERPRINT)
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
    assert fingerprint(FINGERPRINT) == before

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
    # The city sees its own part only.
    city = as_persona("city")
    chengdu = Target.objects.get(parent=target, region__code="5101")
    assert city.get(url("plan-target-detail", chengdu.pk)).status_code == 200
    assert city.get(url("plan-target-detail", target.pk)).status_code == 404
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


# --- progress reports -------------------------------------------------------------------


def test_the_unit_submits_with_figures_and_attachments(as_persona):
    plan = province_plan()
    target = reported_target(plan)
    report = member_report(plan)
    member = as_persona("member")
    response = member.post(
        url("plan-report-submit", report.pk),
        {
            "text": "完成科技辅导员培训",
            "progress": "30",
            "figures": json.dumps({str(target.pk): "45.5"}),
            "attachments": [pdf_upload(), pdf_upload("活动照片说明.pdf")],
        },
        **EN,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["text"], body["progress"]) == (
        "submitted",
        "完成科技辅导员培训",
        30,
    )
    assert body["submitted_by_name"] == "省教育厅 陈晨"
    assert body["figures"] == [
        {"target": target.pk, "target_name": "科技辅导员培训", "unit": "人", "value": "45.50"}
    ]
    attachments = ReportAttachment.objects.filter(report=report).order_by("pk")
    assert [(a["id"], a["name"], a["content_type"], a["size"]) for a in body["attachments"]] == [
        (a.pk, a.name, "application/pdf", len(PDF)) for a in attachments
    ]
    assert body["attachments"][0]["url"] == reverse(
        "plans:report_attachment", args=[report.pk, attachments[0].pk]
    )
    assert [(e["action"], e["actor_name"]) for e in body["events"]] == [
        ("submitted", "省教育厅 陈晨")
    ]
    again = member.post(url("plan-report-submit", report.pk), {"text": "再交一次"}, **EN)
    assert again.status_code == 409
    assert again.json() == conflict("This report has already been submitted.")
    # The officers review; they do not submit for the unit.
    owed = member_report(plan, 1)
    province = as_persona("province")
    assert province.post(url("plan-report-submit", owed.pk), {"text": "代报"}).status_code == 403
    # A JSON body works too.
    response = post(member, "plan-report-submit", owed.pk, {"text": "第二季度", "progress": 50})
    assert response.status_code == 200 and response.json()["progress"] == 50


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_saved(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    plan = province_plan()
    report = member_report(plan)
    fake = SimpleUploadedFile("总结.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_persona("member").post(
        url("plan-report-submit", report.pk),
        {"text": "总结", "progress": "10", "attachments": [pdf_upload(), fake]},
        **EN,
    )
    assert response.status_code == 400
    assert response.json() == refused(
        "“总结.pdf” is not really a PDF file: its content does not match its type."
    )
    report.refresh_from_db()
    assert (report.status, report.text, report.progress) == ("pending", "", None)
    assert not ReportAttachment.objects.filter(report=report).exists()
    assert not ReportEvent.objects.filter(report=report).exists()
    assert not (tmp_path / "plans").exists()


def test_submission_field_errors(as_persona):
    plan = province_plan()
    report = member_report(plan)
    other = province_plan(title="另一规划")
    foreign = reported_target(other)
    member = as_persona("member")

    def submit(data):
        return member.post(url("plan-report-submit", report.pk), data, **EN)

    assert fields(submit({"text": "进展", "figures": "{not json"})) == ["figures"]
    assert fields(submit({"text": "进展", "progress": "120"})) == ["progress"]
    assert fields(submit({"progress": "10"})) == ["text"]
    foreign_figure = submit({"text": "进展", "figures": json.dumps({foreign.pk: 5})})
    assert foreign_figure.json() == refused(
        "A figure was given for a target this report does not cover."
    )
    report.refresh_from_db()
    assert report.status == "pending" and not ReportFigure.objects.filter(report=report).exists()


def test_review_accept_return_and_conflicts(as_persona):
    plan = province_plan()
    first = services.submit_report(member_report(plan), actor=None, text="第一季度", progress=40)
    second = services.submit_report(member_report(plan, 1), actor=None, text="第二季度")
    member, province = as_persona("member"), as_persona("province")

    before = fingerprint(FINGERPRINT)
    assert post(member, "plan-report-accept", first.pk).status_code == 403
    assert post(member, "plan-report-return", first.pk, {"reason": "自己退回"}).status_code == 403
    assert fingerprint(FINGERPRINT) == before

    accepted = post(province, "plan-report-accept", first.pk, {"note": "材料齐全"})
    assert accepted.status_code == 200
    body = accepted.json()
    assert body["status"] == "accepted"
    assert [(e["action"], e["note"]) for e in body["events"]] == [
        ("submitted", ""),
        ("accepted", "材料齐全"),
    ]
    # The lead unit's accepted progress becomes the task's.
    assert Task.objects.get(pk=first.task_id).progress == 40
    twice = post(province, "plan-report-accept", first.pk)
    assert twice.status_code == 409
    assert twice.json() == conflict("Only a submitted report can be returned or accepted.")
    assert post(province, "plan-report-return", first.pk, {"reason": "晚了"}).status_code == 409
    assert ReportEvent.objects.filter(report=first, action="accepted").count() == 1

    no_reason = post(province, "plan-report-return", second.pk)
    assert no_reason.status_code == 400
    assert no_reason.json() == invalid({"reason": ["Say what needs to be revised."]})
    returned = post(province, "plan-report-return", second.pk, {"reason": "请补充活动照片"})
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["return_reason"]) == (
        "returned",
        "请补充活动照片",
    )
    # Returned, the unit submits again.
    resubmitted = member.post(url("plan-report-submit", second.pk), {"text": "已补充照片"})
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"


def test_report_filters(as_persona):
    plan = province_plan()
    task = plan.tasks.get()
    submitted = services.submit_report(member_report(plan), actor=None, text="第一季度")
    owed = member_report(plan, 1)
    kx = org("四川省科学技术协会")
    client = as_persona("province")

    def listed(**params):
        return set(ids(client.get(url("plan-report-list"), {"plan": plan.pk, **params})))

    everything = set(ProgressReport.objects.filter(task__plan=plan).values_list("pk", flat=True))
    assert listed() == everything
    assert listed(status="submitted") == {submitted.pk}
    overdue = set(
        ProgressReport.objects.overdue().filter(task__plan=plan).values_list("pk", flat=True)
    )
    assert listed(overdue="true") == overdue and listed(overdue="false") == everything - overdue
    assert owed.pk in listed(overdue="true") and submitted.pk not in listed(overdue="true")
    assert listed(organization=kx.pk) == set(
        ProgressReport.objects.filter(task__plan=plan, organization=kx).values_list("pk", flat=True)
    )
    assert listed(task=task.pk) == everything
    # The member unit sees its own reports only.
    mine = set(ids(as_persona("member").get(url("plan-report-list"), {"plan": plan.pk})))
    assert mine == set(
        ProgressReport.objects.filter(
            task__plan=plan, organization=org("四川省教育厅")
        ).values_list("pk", flat=True)
    )
    row = client.get(url("plan-report-list"), {"status": "submitted"}).json()["results"][0]
    assert (row["id"], row["organization_name"], row["overdue"]) == (
        submitted.pk,
        "四川省教育厅",
        False,
    )
    assert "text" not in row and "figures" not in row


# --- supervision notes ------------------------------------------------------------------


def test_notes_written_by_officers_answered_by_the_unit(as_persona):
    plan = province_plan()
    task = plan.tasks.get()
    province, member = as_persona("province"), as_persona("member")
    rectify_by = (_today() + datetime.timedelta(days=30)).isoformat()
    response = post(
        province,
        "plan-note-list",
        data={
            "task": task.pk,
            "text": "请加快进校园活动进度",
            "organization": org("四川省教育厅").pk,
            "rectify_by": rectify_by,
        },
    )
    assert response.status_code == 201, response.json()
    note = response.json()
    assert (note["organization_name"], note["rectify_by"], note["is_open"]) == (
        "四川省教育厅",
        rectify_by,
        True,
    )
    assert note["author_name"] == "省科协业务处 张明"
    not_on_task = post(
        province,
        "plan-note-list",
        data={"task": task.pk, "text": "x", "organization": org("四川省总工会").pk},
    )
    assert not_on_task.json() == invalid({"organization": ["That unit is not named on this task."]})
    outside = post(as_persona("county_a"), "plan-note-list", data={"task": task.pk, "text": "x"})
    assert fields(outside) == ["task"]
    assert post(member, "plan-note-list", data={"task": task.pk, "text": "x"}).status_code == 403
    assert SupervisionNote.objects.count() == 1

    assert ids(member.get(url("plan-note-list"), {"task": task.pk})) == [note["id"]]
    assert ids(member.get(url("plan-note-list"), {"task": task.pk, "open": "false"})) == []
    assert post(province, "plan-note-respond", note["id"], {"response": "x"}).status_code == 403
    empty = post(member, "plan-note-respond", note["id"], {"response": " "})
    assert empty.json() == invalid({"response": ["Write the answer."]})
    answered = post(member, "plan-note-respond", note["id"], {"response": "已增加活动场次"})
    assert answered.status_code == 200
    assert (answered.json()["response"], answered.json()["is_open"]) == ("已增加活动场次", False)
    assert answered.json()["responded_by_name"] == "省教育厅 陈晨"
    twice = post(member, "plan-note-respond", note["id"], {"response": "再答一次"})
    assert twice.status_code == 409
    assert SupervisionNote.objects.get(pk=note["id"]).response == "已增加活动场次"


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


# --- query counts -----------------------------------------------------------------------


def _busy_plans(n=4):
    plans = [province_plan(title=f"规划{i}") for i in range(n)]
    for plan in plans:
        make_target(plan)
        target = reported_target(plan)
        report = services.submit_report(
            member_report(plan), actor=None, text="进展", figures={target.pk: 10}
        )
        services.accept_report(report, actor=None)
        services.add_note(
            plan.tasks.get(), actor=None, text="督查", organization=org("四川省教育厅")
        )
    return plans


@pytest.mark.parametrize(
    "name, limit",
    [
        ("plan-list", 8),
        ("plan-task-list", 10),
        ("plan-target-list", 10),
        ("plan-report-list", 9),
        ("plan-note-list", 8),
    ],
)
def test_list_endpoint_query_count(name, limit, as_persona, django_assert_max_num_queries):
    _busy_plans()
    client = as_persona("province")
    client.get(url(name))  # session and permission caches
    with django_assert_max_num_queries(limit):
        response = client.get(url(name))
    assert response.status_code == 200 and response.json()["count"] >= 4


def test_public_endpoints_query_count(django_assert_max_num_queries):
    plans = _busy_plans()
    client = Client()
    with django_assert_max_num_queries(4):
        assert client.get(url("public-plan-list")).json()["count"] >= 4
    with django_assert_max_num_queries(10):
        body = client.get(url("public-plan-detail", plans[0].pk)).json()
    assert [t["standing"]["actual"] for t in body["targets"]][1] == "10.00"


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
