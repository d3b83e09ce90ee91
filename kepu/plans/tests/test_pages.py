"""The plan back-office pages through HTTP, as the personas: a plan created once however
often its form is posted, a task with its units in table order, publishing opening the
reports, a unit filling and submitting its report with evidence, the officer returning and
accepting it, supervision notes answered by the unit, county B kept out of the province
plan, bounded queries on the lists, the audited export and downloads."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint
from kepu.core.workdays import working_days_between
from kepu.plans.models import (
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    SupervisionNote,
    Task,
)
from kepu.plans.tests.helpers import PDF, make_plan, make_target, org, pdf_upload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = datetime.date(TODAY.year - 1, 1, 1)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def token(page) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page.content.decode()).group(1)


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def member_report(plan, index=0) -> ProgressReport:
    """The member unit's (四川省教育厅) report of `plan`'s task, oldest period first."""
    return ProgressReport.objects.filter(
        task__plan=plan, organization=org("四川省教育厅")
    ).order_by("period_start")[index]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- plans ------------------------------------------------------------------------------


def plan_data(**overrides):
    data = {
        "title": "四川省全民科学素质行动实施方案",
        "short_title": "素质方案",
        "issuer": "四川省人民政府办公厅",
        "document_number": "川办发〔2026〕1号",
        "region": "51",
        "period_start": f"{TODAY.year}-01-01",
        "period_end": f"{TODAY.year + 4}-12-31",
        "report_cycle": "quarterly",
        "report_days": "5",
        "remind_days": "3",
    }
    data.update(overrides)
    return data


def test_a_plan_is_created_once_however_often_the_form_is_posted(as_persona):
    client = as_persona("province")
    url = reverse("plans:plan_create")
    form_token = token(client.get(url))
    first = client.post(url, {**plan_data(), "form_token": form_token})
    again = client.post(url, {**plan_data(), "form_token": form_token})
    plan = Plan.objects.get(title="四川省全民科学素质行动实施方案")
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == reverse("plans:plan_detail", args=[plan.pk])
    assert plan.status == "draft" and plan.region.code == "51"
    assert plan.created_by.username == "demo-province"
    assert (
        AuditEntry.objects.filter(action="plans.plan.created", object_id=str(plan.pk)).count() == 1
    )


def test_a_plan_outside_the_officers_region_is_refused(as_persona):
    client = english(as_persona("county_a"))
    page = client.get(reverse("plans:plan_create")).content.decode()
    assert 'value="510104"' in page  # the region picker starts at the county
    response = client.post(reverse("plans:plan_create"), plan_data(region="510703"))
    assert response.status_code == 400  # shown again with the error
    assert "Choose a region within your scope." in response.content.decode()
    assert not Plan.objects.filter(title="四川省全民科学素质行动实施方案").exists()


def test_plan_list_filters_and_figures(as_persona):
    published = make_plan(title="青少年科技创新规划", start=LAST_YEAR)
    draft = make_plan(title="科普基础设施规划", publish=False)
    later = make_plan(
        title="远期科普规划",
        start=datetime.date(TODAY.year + 3, 1, 1),
        end=datetime.date(TODAY.year + 5, 12, 31),
        publish=False,
    )
    # Reported progress does not count in the overall progress; a task marked done does.
    Task.objects.filter(plan=published).update(progress=40, weight=3, status="done")
    client = english(as_persona("province"))
    url = reverse("plans:plan_list")
    page = client.get(url).content.decode()
    for plan in (published, draft, later):
        assert plan.title in page
    assert "New plan" in page
    overdue = published.tasks.get().reports.filter(due_date__lt=TODAY, status="pending").count()
    assert overdue > 0
    assert f'?plan={published.pk}&amp;overdue=true">{overdue}</a>' in page
    assert 'value="100"' in page  # overall progress: its one task is done, no targets
    assert "1/1 done" in page and "0/0 met" in page
    page = client.get(url, {"status": "draft"}).content.decode()
    assert draft.title in page and published.title not in page
    page = client.get(url, {"year": TODAY.year + 4}).content.decode()
    assert later.title in page and draft.title not in page
    page = client.get(url, {"q": "基础设施"}).content.decode()
    assert draft.title in page and published.title not in page
    # Member staff see the plans naming their unit, without the "New plan" button.
    other = make_plan(title="卫生健康科普规划", lead="四川省卫生健康委员会", responsible=())
    page = english(as_persona("member")).get(url).content.decode()
    assert published.title in page and other.title not in page and "New plan" not in page


# --- tasks ------------------------------------------------------------------------------


def test_a_task_keeps_its_units_in_table_order(as_persona):
    plan = make_plan(publish=False)
    section = plan.sections.get()
    client = english(as_persona("province"))
    url = reverse("plans:task_create", args=[plan.pk])
    page = client.get(url, {"section": section.pk}).content.decode()
    assert f'<option value="{section.pk}" selected>' in page
    units = ["四川省卫生健康委员会", "四川省科学技术协会", "四川省农业农村厅"]
    response = client.post(
        url,
        {
            "form_token": token(client.get(url)),
            "section": section.pk,
            "number": "2",
            "title": "实施农民科学素质提升行动",
            "deadline": f"{TODAY.year}-12-31",
            "weight": "2",
            "lead_unit": "四川省教育厅",
            "responsible_units": "\n".join(units) + "\n\n",
        },
    )
    task = Task.objects.get(title="实施农民科学素质提升行动")
    assert response.status_code == 302 and response.url == reverse(
        "plans:task_detail", args=[task.pk]
    )
    assert task.lead_unit().name == "四川省教育厅"
    assert [u.name for u in task.responsible_units()] == units
    page = client.get(response.url).content.decode()
    positions = [page.index(name) for name in units]
    assert positions == sorted(positions)
    # Editing keeps the new order.
    reordered = [units[2], units[0]]
    response = client.post(
        reverse("plans:task_update", args=[task.pk]),
        {
            "number": "2",
            "title": task.title,
            "weight": "2",
            "lead_unit": "四川省教育厅",
            "responsible_units": "\n".join(reordered),
        },
    )
    assert response.status_code == 302
    assert [u.name for u in Task.objects.get(pk=task.pk).responsible_units()] == reordered


def test_an_unknown_unit_is_named_in_the_error_and_nothing_is_saved(as_persona):
    plan = make_plan(code="510703", lead="涪城区科学技术协会", responsible=(), publish=False)
    client = english(as_persona("county_b"))
    before = fingerprint()
    response = client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {
            "number": "2",
            "title": "开展社区科普",
            "weight": "1",
            "lead_unit": "涪城区科学技术协会",
            # Known, unknown, and a unit of another county (outside the plan's region).
            "responsible_units": "绵阳南山中学\n涪城区不存在的单位\n锦江区教育局",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: “涪城区不存在的单位” is not a unit of 涪城区." in page
    assert "Line 3: “锦江区教育局” is not a unit of 涪城区." in page
    assert "“绵阳南山中学”" not in page
    # The same unit as lead and responsible: the service's refusal, on the field.
    response = client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {
            "number": "2",
            "title": "开展社区科普",
            "weight": "1",
            "lead_unit": "涪城区科学技术协会",
            "responsible_units": "涪城区科学技术协会",
        },
    )
    assert "is named twice" in response.content.decode()
    assert fingerprint() == before


def test_status_change_and_supervision_notes_answered_by_the_unit(as_persona):
    plan = make_plan(start=LAST_YEAR)
    task = plan.tasks.get()
    officer = english(as_persona("province"))
    detail = reverse("plans:task_detail", args=[task.pk])
    response = officer.post(reverse("plans:task_status", args=[task.pk]), {"status": "done"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress) == ("done", 100)
    note_url = reverse("plans:note_create", args=[task.pk])
    assert officer.post(note_url, {"text": " "}).status_code == 400
    rectify = (TODAY + datetime.timedelta(days=10)).isoformat()
    response = officer.post(
        note_url,
        {
            "text": "请补充进校园活动台账",
            "organization": org("四川省教育厅").pk,
            "rectify_by": rectify,
        },
    )
    assert response.status_code == 302
    to_member = SupervisionNote.objects.get(task=task, text="请补充进校园活动台账")
    officer.post(
        note_url, {"text": "请科协报送场馆数据", "organization": org("四川省科学技术协会").pk}
    )
    to_other = SupervisionNote.objects.get(task=task, text="请科协报送场馆数据")
    member = english(as_persona("member"))
    page = member.get(detail).content.decode()
    assert page.count(">Answer</a>") == 1  # only the note addressed to its own unit
    assert "Write the note" not in page and "Change the status" not in page
    respond = reverse("plans:note_respond", args=[to_member.pk])
    assert "Send the answer" in member.get(respond).content.decode()
    assert member.post(respond, {"response": ""}).status_code == 400
    response = member.post(respond, {"response": "台账已补充上传"})
    assert response.status_code == 302 and response.url == detail
    to_member.refresh_from_db()
    assert (
        to_member.response == "台账已补充上传" and to_member.responded_by.username == "demo-member"
    )
    assert member.get(respond).status_code == 302  # already answered: back to the task
    before = fingerprint()
    other = reverse("plans:note_respond", args=[to_other.pk])
    assert member.post(other, {"response": "越权回复"}).status_code == 403
    assert fingerprint() == before
    assert "台账已补充上传" in officer.get(detail).content.decode()


# --- publishing and reports ---------------------------------------------------------------


def test_publishing_opens_the_reports(as_persona):
    plan = make_plan(start=LAST_YEAR, publish=False)
    client = english(as_persona("province"))
    assert not ProgressReport.objects.filter(task__plan=plan).exists()
    response = client.post(reverse("plans:plan_publish", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url == reverse("plans:plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == "published"
    periods = (TODAY.year - LAST_YEAR.year) * 4 + (TODAY.month - 1) // 3 + 1
    assert ProgressReport.objects.filter(task__plan=plan).count() == periods * 2  # two units
    response = client.post(reverse("plans:plan_publish", args=[plan.pk]))
    assert flashed(response)[-1] == "Only a draft plan can be published."
    assert client.get(reverse("plans:plan_publish", args=[plan.pk])).status_code == 405
    response = client.post(reverse("plans:plan_close", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "closed"


def test_member_fills_and_submits_its_report_with_a_pdf(as_persona, media):
    plan = make_plan(start=LAST_YEAR)
    report = member_report(plan)
    member = english(as_persona("member"))
    page = member.get(reverse("plans:report_list")).content.decode()
    mine = page.split("My reports to fill")[1].split("</div>\n</div>")[0]
    assert reverse("plans:report_edit", args=[report.pk]) in mine
    days = working_days_between(report.due_date, TODAY)
    assert f"Overdue by {days} working days" in page
    assert "四川省科学技术协会" not in page  # the other unit's reports
    url = reverse("plans:report_edit", args=[report.pk])
    form_token = token(member.get(url))
    data = {"form_token": form_token, "text": "完成三期教师培训", "progress": "40"}
    response = member.post(url, {**data, "attachments": [pdf_upload("培训总结.pdf")]})
    detail = reverse("plans:report_detail", args=[report.pk])
    assert response.status_code == 302 and response.url == detail
    report.refresh_from_db()
    assert (report.status, report.progress, report.on_time) == ("submitted", 40, False)
    attachment = report.attachments.get()
    assert (attachment.name, attachment.content_type) == ("培训总结.pdf", "application/pdf")
    # The same form posted again, or a fresh one: still one submission.
    assert member.post(url, {**data, "attachments": [pdf_upload()]}).url == detail
    # (a second tab opened before the first submission carries another token)
    response = member.post(url, {"form_token": "f" * 32, "text": "再次提交"})
    assert response.status_code == 302 and response.url == detail
    assert ReportEvent.objects.filter(report=report).count() == 1
    assert report.attachments.count() == 1
    # The evidence downloads as an attachment with its own name and type, audited.
    response = member.get(reverse("plans:report_attachment", args=[report.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E5%9F%B9%E8%AE%AD" in response["Content-Disposition"]  # 培训
    entry = AuditEntry.objects.get(action="plans.reportattachment.downloaded")
    assert entry.object_id == str(attachment.pk) and entry.actor.username == "demo-member"
    # An attachment of another report is not reachable through this one.
    other = member_report(plan, 1)
    url = reverse("plans:report_attachment", args=[other.pk, attachment.pk])
    assert member.get(url).status_code == 404


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_saved(as_persona, media):
    plan = make_plan(start=LAST_YEAR)
    report = member_report(plan)
    member = english(as_persona("member"))
    url = reverse("plans:report_edit", args=[report.pk])
    fake = SimpleUploadedFile(
        "总结.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"
    )
    before = fingerprint()
    response = member.post(
        url, {"form_token": token(member.get(url)), "text": "总结", "attachments": [fake]}
    )
    assert response.status_code == 400
    assert (
        '<div class="invalid-feedback d-block">“总结.pdf” is not really a PDF file: '
        "its content does not match its type.</div>" in response.content.decode()
    )
    assert fingerprint() == before
    assert not ReportAttachment.objects.exists() and not any(media.rglob("*.pdf"))


def test_return_with_reason_resubmit_and_accept(as_persona, media):
    plan = make_plan(start=LAST_YEAR)
    target = make_target(
        plan,
        name="教师科普培训",
        source="reported",
        indicator="",
        task=plan.tasks.get(),
        target_value=500,
    )
    report = member_report(plan, 2)
    member = english(as_persona("member"))
    officer = english(as_persona("province"))
    edit = reverse("plans:report_edit", args=[report.pk])
    page = member.get(edit).content.decode()
    assert "教师科普培训 (人)" in page
    member.post(edit, {"text": "开展培训", "progress": "30", f"figure_{target.pk}": "120"})
    report.refresh_from_db()
    assert report.status == "submitted"
    detail = reverse("plans:report_detail", args=[report.pk])
    page = officer.get(detail).content.decode()
    assert "Accept" in page and "Return for revision" in page
    assert "Return for revision" not in member.get(detail).content.decode()
    # The reason is required to return.
    response = officer.post(
        reverse("plans:report_review", args=[report.pk, "return"]), {"reason": " "}
    )
    assert (
        response.status_code == 400 and "Say what needs to be revised." in response.content.decode()
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    response = officer.post(
        reverse("plans:report_review", args=[report.pk, "return"]), {"reason": "请补充培训名单"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "请补充培训名单")
    page = member.get(edit).content.decode()
    assert "请补充培训名单" in page and 'value="120' in page  # the earlier figure is kept
    member.post(edit, {"text": "已补充名单", "progress": "80", f"figure_{target.pk}": "150"})
    report.refresh_from_db()
    assert report.status == "submitted"
    response = officer.post(
        reverse("plans:report_review", args=[report.pk, "accept"]), {"note": "材料齐全"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    task = report.task
    task.refresh_from_db()
    assert report.status == "accepted" and (task.progress, task.status) == (80, "in_progress")
    assert list(report.events.values_list("action", "note")) == [
        ("submitted", ""),
        ("returned", "请补充培训名单"),
        ("submitted", ""),
        ("accepted", "材料齐全"),
    ]
    # Accepting twice is refused with a message, not an error page.
    response = officer.post(reverse("plans:report_review", args=[report.pk, "accept"]))
    assert flashed(response)[-1] == "Only a submitted report can be returned or accepted."
    # An accepted report can no longer be edited; the task page shows the figure.
    response = member.get(edit)
    assert response.status_code == 302 and response.url == detail
    page = officer.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert '150 <span class="small text-secondary">(30%)</span>' in page


# --- scope --------------------------------------------------------------------------------


def test_county_b_cannot_reach_the_province_plan_and_nothing_changes(as_persona, media):
    from kepu.plans import services

    plan = make_plan(start=LAST_YEAR)
    task = plan.tasks.get()
    report = services.submit_report(
        member_report(plan), actor=None, text="进展", attachments=[pdf_upload()]
    )
    attachment = report.attachments.get()
    note = services.add_note(task, actor=None, text="请加快进度")
    county_b = as_persona("county_b")
    before = fingerprint()
    for url in (
        reverse("plans:task_detail", args=[task.pk]),
        reverse("plans:task_update", args=[task.pk]),
        reverse("plans:report_detail", args=[report.pk]),
        reverse("plans:report_attachment", args=[report.pk, attachment.pk]),
        reverse("plans:plan_update", args=[plan.pk]),
    ):
        assert county_b.get(url).status_code == 404, url
    for url, data in (
        (reverse("plans:report_review", args=[report.pk, "accept"]), {}),
        (reverse("plans:report_review", args=[report.pk, "return"]), {"reason": "越权"}),
        (reverse("plans:task_status", args=[task.pk]), {"status": "done"}),
        (reverse("plans:note_create", args=[task.pk]), {"text": "越权"}),
        (reverse("plans:task_update", args=[task.pk]), {"title": "越权", "lead_unit": "x"}),
        (reverse("plans:plan_close", args=[plan.pk]), {}),
        (reverse("plans:section_create", args=[plan.pk]), {"title": "越权"}),
    ):
        assert county_b.post(url, data).status_code == 404, url
    assert fingerprint() == before
    assert not AuditEntry.objects.filter(action="plans.reportattachment.downloaded").exists()
    assert task.title not in county_b.get(reverse("plans:report_list")).content.decode()
    assert plan.title not in county_b.get(reverse("plans:plan_list")).content.decode()
    # The member unit may see its report but not review it; the other unit's is out of scope.
    member = as_persona("member")
    assert (
        member.post(reverse("plans:report_review", args=[report.pk, "accept"])).status_code == 403
    )
    theirs = ProgressReport.objects.filter(
        task=task, organization=org("四川省科学技术协会")
    ).first()
    assert member.get(reverse("plans:report_detail", args=[theirs.pk])).status_code == 404
    assert member.get(reverse("plans:report_edit", args=[theirs.pk])).status_code == 404
    assert fingerprint() == before
    assert note.pk


# --- lists, filters, export -----------------------------------------------------------------


def test_report_list_filters(as_persona):
    plan = make_plan(start=LAST_YEAR)
    other = make_plan(title="卫生健康科普规划", lead="四川省卫生健康委员会", responsible=())
    client = english(as_persona("province"))
    url = reverse("plans:report_list")
    rows = lambda page: page.count('data-label="Reporting unit"')  # noqa: E731
    page = client.get(url, {"plan": plan.pk}).content.decode()
    assert rows(page) == ProgressReport.objects.filter(task__plan=plan).count()
    assert other.title not in page.split("<tbody>")[1]
    page = client.get(url, {"plan": plan.pk, "unit": org("四川省科学技术协会").pk}).content.decode()
    assert "四川省教育厅" not in page.split("<tbody>")[1]
    overdue = ProgressReport.objects.filter(task__plan=plan).overdue().count()
    page = client.get(url, {"plan": plan.pk, "overdue": "true"}).content.decode()
    assert rows(page) == overdue and "Overdue by" in page
    current = ProgressReport.objects.filter(task__plan=plan).order_by("-period_start").first()
    page = client.get(url, {"plan": plan.pk, "period": current.period_start.isoformat()})
    assert rows(page.content.decode()) == 2
    page = client.get(url, {"status": "submitted"}).content.decode()
    assert rows(page) == 0
    # Due soon: owed and due within five working days.
    soon = ProgressReport.objects.filter(task__plan=plan).order_by("period_start").first()
    ProgressReport.objects.filter(pk=soon.pk).update(due_date=TODAY + datetime.timedelta(days=1))
    page = client.get(url, {"plan": plan.pk, "due_soon": "true"}).content.decode()
    assert rows(page) == 1


def test_list_pages_use_a_bounded_number_of_queries(as_persona, django_assert_max_num_queries):
    for i in range(6):
        make_plan(title=f"规划{i}", start=LAST_YEAR)
    province, member = as_persona("province"), as_persona("member")
    # 13: the first request's session touch (3) and the plans that reach the user's
    # regions (issue 19) beside the list's own.
    with django_assert_max_num_queries(13):
        assert province.get(reverse("plans:plan_list")).status_code == 200
    with django_assert_max_num_queries(11):
        assert member.get(reverse("plans:plan_list")).status_code == 200
    with django_assert_max_num_queries(13):
        assert province.get(reverse("plans:report_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert member.get(reverse("plans:report_list")).status_code == 200
    task = Task.objects.get(plan__title="规划0")
    with django_assert_max_num_queries(18):
        assert province.get(reverse("plans:task_detail", args=[task.pk])).status_code == 200


def test_export_is_scoped_and_audited(as_persona):
    from python_calamine import CalamineWorkbook

    plan = make_plan(start=LAST_YEAR)
    make_plan(code="510703", title="涪城区规划", lead="涪城区科学技术协会", responsible=())
    client = as_persona("county_b")
    response = client.get(reverse("plans:report_export"), {"overdue": "true"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    expected = ProgressReport.objects.filter(task__plan__region__code="510703").overdue().count()
    assert len(rows) == expected + 1
    assert plan.title not in {str(cell) for row in rows for cell in row}
    entry = AuditEntry.objects.get(action="plans.progressreport.exported")
    assert entry.detail["rows"] == expected and entry.detail["filters"] == {"overdue": "true"}
    assert as_persona("member").get(reverse("plans:report_export")).status_code == 403


def test_list_pages_take_oversized_ids_and_the_api_filter_names(as_persona):
    from kepu.plans import filters

    client = as_persona("province")
    for name in ("plans:report_list", "plans:target_list", "plans:plan_list"):
        for value in ("99999999999999999999", "abc"):
            response = client.get(reverse(name), {"plan": value, "year": value})
            assert response.status_code == 200, (name, value)
    # One FilterSet per list: the page and its endpoint take the same parameters.
    assert set(filters.TargetFilter.base_filters) >= {"plan", "task", "region", "state", "top"}
    assert "organization" in filters.ProgressReportFilter.base_filters
    assert "region" in filters.PlanFilter.base_filters
