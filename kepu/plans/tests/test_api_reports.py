"""The plans API for progress reports and supervision notes: multipart submission with
content-checked files, field errors, review with 409 for steps the state does not allow,
the report filters, notes answered by their unit, and the list query counts."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kepu.core.errors import DomainError
from kepu.core.models import User
from kepu.core.testing import fingerprint
from kepu.plans import services
from kepu.plans.models import (
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    SupervisionNote,
    Task,
)
from kepu.plans.tests.api import (
    EN,
    _today,
    conflict,
    fields,
    ids,
    invalid,
    member_report,
    post,
    province_plan,
    refused,
    reported_target,
    url,
)
from kepu.plans.tests.helpers import PDF, make_target, org, pdf_upload

pytestmark = pytest.mark.django_db

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

    before = fingerprint()
    assert post(member, "plan-report-accept", first.pk).status_code == 403
    assert post(member, "plan-report-return", first.pk, {"reason": "自己退回"}).status_code == 403
    assert fingerprint() == before

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


def test_a_note_to_another_unit_is_refused_with_its_reason(as_persona):
    plan = province_plan()
    note = services.add_note(
        plan.tasks.get(), actor=None, text="请补充材料", organization=org("四川省科学技术协会")
    )
    member = as_persona("member")
    before = fingerprint()
    response = post(member, "plan-note-respond", note.pk, {"response": "已补充"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "This note is addressed to another unit.",
        "fields": {},
    }
    assert fingerprint() == before
    listed = member.get(url("plan-note-list"), {"open": "true"}).json()["results"]
    assert [n["id"] for n in listed] == [note.pk]  # seen, but not answered by this unit
    with pytest.raises(DomainError):
        services.respond_to_note(note, actor=User.objects.get(username="demo-member"), response="x")
