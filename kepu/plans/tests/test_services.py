"""Plans, targets and reports through the services: due dates on Chinese working days,
targets measured live from the registry, decomposition, the report workflow, reminders
and the scope of the units named on tasks."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry, User
from kepu.core.scope import visible_to
from kepu.core.tests.test_excel import workbook
from kepu.people import services as people_services
from kepu.people.io import person_columns
from kepu.people.models import Person
from kepu.people.tests.authz import valid_id
from kepu.plans import progress, services
from kepu.plans.models import Plan, ProgressReport, ReportAttachment, ReportEvent, Target
from kepu.plans.tests.helpers import make_plan, make_target, org, pdf_upload, region

pytestmark = pytest.mark.django_db

Q3_2026 = datetime.date(2026, 7, 1)


def _q3_report(report_days):
    """The member unit's report for 2026 Q3 (ends Wednesday 2026-09-30, the eve of the
    National Day holiday, 1–7 October, with Saturday 10 October a make-up working day)."""
    plan = make_plan(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        reports_from=Q3_2026,
        report_days=report_days,
        today=datetime.date(2026, 10, 1),
    )
    return ProgressReport.objects.get(
        task__plan=plan, organization=org("四川省教育厅"), period_start=Q3_2026
    )


def test_a_report_due_the_day_after_the_holiday_is_not_overdue_that_day():
    report = _q3_report(report_days=1)
    # One working day after 30 September is Thursday 8 October, the first day back; a
    # weekday-only count would have made it 1 October (and the report overdue for a week).
    assert report.due_date == datetime.date(2026, 10, 8)
    for day in (datetime.date(2026, 10, 2), datetime.date(2026, 10, 8)):
        assert not report.is_overdue(day)
        assert not ProgressReport.objects.overdue(day).filter(pk=report.pk).exists()
    assert report.is_overdue(datetime.date(2026, 10, 9))
    assert ProgressReport.objects.overdue(datetime.date(2026, 10, 9)).filter(pk=report.pk).exists()


def test_a_make_up_saturday_counts_as_a_working_day():
    report = _q3_report(report_days=3)
    # 8, 9 and Saturday 10 October (调休 working day): due on the Saturday, so overdue on
    # Monday 12 October, when a count that skipped every weekend would still wait.
    assert report.due_date == datetime.date(2026, 10, 10)
    assert report.is_overdue(datetime.date(2026, 10, 12))


def test_periods_open_once_and_for_tasks_added_later():
    plan = make_plan(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        today=datetime.date(2026, 8, 15),
    )
    # Q1, Q2, Q3 × 2 units.
    assert ProgressReport.objects.filter(task__plan=plan).count() == 6
    assert services.open_periods(plan, today=datetime.date(2026, 8, 20)) == 0
    task = services.create_task(
        plan, actor=None, title="老年人科学素质提升", lead_unit=org("四川省卫生健康委员会")
    )
    # A task added to a published plan gets its reports for the periods already open.
    opened = set(task.reports.values_list("period_start", flat=True))
    assert {datetime.date(2026, 1, 1), datetime.date(2026, 4, 1), Q3_2026} <= opened
    assert services.open_periods(plan) == 0


# --- live targets -----------------------------------------------------------------------


def _person(name, code, id_body):
    return people_services.create_person(
        actor=None,
        name=name,
        region=region(code),
        doc_type="id",
        id_number=valid_id(id_body),
        phone="13900001111",
    )


def _plan_with_target(indicator="people.fulltime_added"):
    plan = make_plan(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    target = make_target(
        plan,
        indicator=indicator,
        baseline_date=datetime.date(2026, 3, 31),
        target_value=300,
    )
    services.decompose_target(
        target,
        actor=None,
        parts=[
            {"region": region("5101"), "target_value": 200},
            {"region": region("5107"), "target_value": 100},
        ],
    )
    return plan, target


def _actual(target):
    return progress.actual_values([target])[target.pk]


def test_a_measured_target_moves_when_people_are_registered():
    _plan, target = _plan_with_target()
    chengdu = target.parts.get(region__code="5101")
    mianyang = target.parts.get(region__code="5107")
    before = (_actual(target), _actual(chengdu), _actual(mianyang))
    person = _person("新专职人员", "510104", "51010419800101001")
    people_services.add_registration(
        person, actor=None, kind="fulltime", start_date=datetime.date(2026, 4, 2)
    )
    assert _actual(target) == before[0] + 1
    assert _actual(chengdu) == before[1] + 1
    assert _actual(mianyang) == before[2]
    # Before the baseline, pending, or another kind: not counted.
    old = _person("老专职人员", "510104", "51010419800101002")
    people_services.add_registration(
        old, actor=None, kind="fulltime", start_date=datetime.date(2026, 3, 31)
    )
    pending = _person("待审人员", "510104", "51010419800101003")
    people_services.add_registration(
        pending, actor=None, kind="fulltime", status="pending", start_date=datetime.date(2026, 5, 1)
    )
    assert _actual(target) == before[0] + 1


def test_a_measured_target_moves_when_people_are_imported(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _plan, target = _plan_with_target("people.volunteers_added")
    before = _actual(target)
    client = as_persona("county_a")
    headers = [c.header for c in person_columns()]
    rows = [
        [f"导入志愿者{i}", "居民身份证", valid_id(f"51010419950101{i:03d}"), f"1390001{i:04d}",
         "", "510104", "", "本科", "中级", "工程师", "170", "地震科普", "科技志愿者"]
        for i in range(5)
    ]  # fmt: skip
    response = client.post(
        reverse("core:import_start", args=["people.person"]), {"file": workbook(rows, headers)}
    )
    job_id = response.url.rstrip("/").split("/")[-1]
    client.post(reverse("core:import_job_confirm", args=[job_id]))
    assert Person.objects.filter(name__startswith="导入志愿者").count() == 5
    assert _actual(target) == before + 5
    assert _actual(target.parts.get(region__code="5101")) >= 5


def test_drilldown_measures_each_city_in_one_query(django_assert_num_queries):
    plan = make_plan(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    target = make_target(
        plan, indicator="people.volunteers_added", baseline_date=datetime.date(2020, 1, 1)
    )
    progress.drilldown(target)  # warm: the region paths, read once per process and kept
    with django_assert_num_queries(3):  # the parts (none), the cities, one count for all 21
        rows = progress.drilldown(target)
    assert len(rows) == 21
    total = sum(r["actual"] for r in rows)
    assert total == _actual(target)


def test_standing_against_the_straight_line():
    plan = make_plan(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    target = make_target(
        plan,
        source="reported",
        indicator="",
        baseline_date=datetime.date(2026, 1, 1),
        baseline_value=10,
        target_value=110,
        deadline=datetime.date(2026, 12, 31),
    )
    halfway = datetime.date(2026, 7, 2)  # 182 of 364 days
    assert progress.expected_value(target, halfway) == Decimal(60)
    assert progress.standing(target, Decimal(70), halfway).state == "on_track"
    assert progress.standing(target, Decimal(50), halfway).state == "behind"
    assert progress.standing(target, Decimal(50), halfway).percent == 40
    assert progress.standing(target, Decimal(110), halfway).state == "met"
    assert progress.standing(target, Decimal(100), datetime.date(2027, 1, 5)).state == "missed"
    assert progress.standing(target, None, halfway).state == "no_data"


def test_trajectory_of_a_reported_target_follows_accepted_figures():
    plan = make_plan(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        today=datetime.date(2026, 7, 10),
    )
    task = plan.tasks.get()
    target = make_target(
        plan, source="reported", indicator="", task=task, target_value=200,
        baseline_date=datetime.date(2025, 12, 31),
    )  # fmt: skip
    q1, q2 = ProgressReport.objects.filter(task=task, organization=org("四川省教育厅")).order_by(
        "period_start"
    )[:2]
    services.submit_report(q1, actor=None, text="一季度", figures={target.pk: 40})
    services.accept_report(q1, actor=None)
    services.submit_report(q2, actor=None, text="二季度", figures={target.pk: 90})
    # Not accepted yet: the actual value is still the first quarter's.
    assert progress.actual_values([target], datetime.date(2026, 7, 10))[target.pk] == 40
    services.accept_report(q2, actor=None)
    curve = progress.trajectory(target, today=datetime.date(2026, 7, 10))
    assert curve["days"][0] == datetime.date(2025, 12, 31)
    assert curve["planned"][-1] == 200
    assert curve["actual"][:8] == [None, None, None, 40, 40, 40, 90, 90][: len(curve["actual"])]


# --- decomposition ----------------------------------------------------------------------


def test_parts_must_add_up_and_nothing_changes_when_they_do_not():
    _plan, target = _plan_with_target()
    before = list(target.parts.values_list("region__code", "target_value"))
    with pytest.raises(DomainError, match="合计为 250"):
        services.decompose_target(
            target,
            actor=None,
            parts=[
                {"region": region("5101"), "target_value": 150},
                {"region": region("5107"), "target_value": 100},
            ],
        )
    assert list(target.parts.values_list("region__code", "target_value")) == before
    with pytest.raises(DomainError):
        services.decompose_target(
            target, actor=None, parts=[{"region": region("51"), "target_value": 300}]
        )
    with pytest.raises(DomainError):
        services.decompose_target(
            target,
            actor=None,
            parts=[
                {"region": region("5101"), "target_value": 150},
                {"region": region("5101"), "target_value": 150},
            ],
        )
    parts = services.decompose_target(
        target,
        actor=None,
        parts=[
            {"region": region("5101"), "target_value": 250},
            {"organization": org("四川省教育厅"), "target_value": 50},
        ],
    )
    assert [(str(p.organization or p.region.code), p.target_value) for p in parts] == [
        ("5101", 250),
        ("四川省教育厅", 50),
    ]
    assert (
        AuditEntry.objects.filter(
            action="plans.target.decomposed", object_id=str(target.pk)
        ).count()
        == 2
    )


def test_a_rate_is_decomposed_without_a_sum():
    plan = make_plan()
    literacy = make_target(
        plan, name="公民具备科学素质的比例", unit="%", source="reported", indicator="",
        target_value=16, additive=False,
    )  # fmt: skip
    parts = services.decompose_target(
        literacy,
        actor=None,
        parts=[
            {"region": region("5101"), "target_value": 18},
            {"region": region("5107"), "target_value": 15},
        ],
    )
    assert len(parts) == 2


def test_a_target_outside_the_plan_region_is_refused():
    plan = make_plan(code="510703", issuer="涪城区科学技术协会", lead="涪城区科学技术协会",
                     responsible=())  # fmt: skip
    with pytest.raises(DomainError):
        make_target(plan, region=region("510104"))
    with pytest.raises(ValidationError, match="登记库指标"):
        make_target(plan, indicator="people.unknown")
    assert not Target.objects.filter(plan=plan).exists()


# --- the report workflow ----------------------------------------------------------------


def _owed_report(**plan_fields):
    plan = make_plan(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31),
                     today=datetime.date(2026, 11, 1), **plan_fields)  # fmt: skip
    return (
        ProgressReport.objects.filter(task__plan=plan, organization=org("四川省教育厅"))
        .order_by("period_start")
        .first()
    )


def test_submit_return_resubmit_accept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = _owed_report()
    member = User.objects.get(username="demo-member")
    officer = User.objects.get(username="demo-province")
    services.submit_report(report, actor=member, text="完成进校园活动", progress=30,
                           attachments=[pdf_upload()])  # fmt: skip
    report.refresh_from_db()
    assert report.status == "submitted" and report.on_time is False  # Q1 report in November
    with pytest.raises(StateConflict):
        services.submit_report(report, actor=member, text="重复提交")
    with pytest.raises(DomainError):
        services.return_report(report, actor=officer, reason="  ")
    services.return_report(report, actor=officer, reason="请补充活动照片")
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "请补充活动照片"
    assert report.due_date >= datetime.date.today()
    services.submit_report(report, actor=member, text="已补充照片", progress=35)
    services.accept_report(report, actor=officer)
    report.refresh_from_db()
    assert report.status == "accepted" and report.on_time is False
    task = report.task
    task.refresh_from_db()
    assert (task.progress, task.status) == (35, "in_progress")
    assert list(ReportEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "submitted", "returned", "submitted", "accepted",
    ]  # fmt: skip
    assert report.attachments.count() == 1
    with pytest.raises(StateConflict):
        services.accept_report(report, actor=officer)
    actions = set(
        AuditEntry.objects.filter(
            object_id=str(report.pk), object_type="plans.progressreport"
        ).values_list("action", flat=True)
    )
    assert {"plans.progressreport.submitted", "plans.progressreport.returned",
            "plans.progressreport.accepted"} <= actions  # fmt: skip


def test_a_file_whose_content_is_not_its_type_is_refused_and_nothing_saved(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = _owed_report()
    fake = SimpleUploadedFile(
        "总结.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    with pytest.raises(DomainError, match="不是真正的 PDF"):
        services.submit_report(report, actor=None, text="总结", attachments=[fake])
    report.refresh_from_db()
    assert report.status == "pending" and report.text == ""
    assert not ReportAttachment.objects.exists()
    renamed = SimpleUploadedFile("总结.exe", b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(DomainError, match="只接受以下文件类型"):
        services.submit_report(report, actor=None, text="总结", attachments=[renamed])


def test_figures_only_for_the_reports_own_targets():
    report = _owed_report()
    other = make_plan(title="另一规划")
    foreign = make_target(other, source="reported", indicator="", task=other.tasks.get())
    with pytest.raises(DomainError):
        services.submit_report(report, actor=None, text="进展", figures={foreign.pk: 5})


# --- reminders --------------------------------------------------------------------------


def test_reminders_go_once_within_the_window(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    member = User.objects.get(username="demo-member")
    member.email = "chen@example.cn"
    member.save(update_fields=["email"])
    plan = make_plan(start=datetime.date(2026, 7, 1), end=datetime.date(2026, 12, 31),
                     report_days=5, remind_days=2, today=datetime.date(2026, 9, 1))  # fmt: skip
    # Q3 is due 13 October; two working days before it is 9 October... nothing yet on
    # Thursday 8 October (three working days left: 9, 10 (调休), 12, 13 → four).
    assert services.send_reminders(today=datetime.date(2026, 10, 8)) == 0
    with_outbox = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(today=datetime.date(2026, 10, 12))
    assert sent == ProgressReport.objects.filter(task__plan=plan, period_start=Q3_2026).count()
    assert any("chen@example.cn" in m.to for m in mail.outbox[with_outbox:])
    assert services.send_reminders(today=datetime.date(2026, 10, 12)) == 0
    assert ReportEvent.objects.filter(action="reminded", report__task__plan=plan).count() == sent


# --- scope ------------------------------------------------------------------------------


def test_units_named_on_tasks_see_the_plan_once():
    plan = make_plan(responsible=("四川省科学技术协会", "四川科技馆"))
    make_plan(title="无关规划", lead="四川省卫生健康委员会", responsible=())
    member = User.objects.get(username="demo-member")  # staff of 四川省教育厅 (the lead)
    mine = visible_to(member, Plan, public=False)
    assert list(mine.values_list("title", flat=True)).count(plan.title) == 1
    assert not mine.filter(title="无关规划").exists()
    county_b = User.objects.get(username="demo-county-b")
    assert not visible_to(county_b, Plan, public=False).filter(pk=plan.pk).exists()
    # Own unit's reports only.
    reports = visible_to(member, ProgressReport)
    assert set(reports.values_list("organization__name", flat=True)) <= {"四川省教育厅"}


def test_report_periods_are_labelled_by_core_periods():
    from django.utils import translation

    from kepu.core import periods

    quarter = ProgressReport(
        period_start=datetime.date(2026, 7, 1), period_end=datetime.date(2026, 9, 30)
    )
    month = ProgressReport(
        period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 31)
    )
    with translation.override("zh-hans"):
        assert quarter.period_label == "2026年第三季度"
        assert month.period_label == periods.month_period(2026, 3).label
    with translation.override("en"):
        assert quarter.period_label == "Q3 2026"
