"""Annual area services: the deadline in working days, return and resubmit, the spot
check draw, the evaluation's numbers, publication and the scores, rectification."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kepu.bases import annual_choices as ac
from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import AnnualEvaluation, Rectification, SpotCheck
from kepu.bases.scores import annual_scores
from kepu.bases.services import annual as reports
from kepu.bases.tests.annual_helpers import annual_rubric, filed_report, province
from kepu.bases.tests.helpers import make_base
from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry, Region

pytestmark = pytest.mark.django_db


def at(y, m, d, h=10):
    return timezone.make_aware(datetime.datetime(y, m, d, h))


def test_the_deadline_counts_working_days_on_the_holiday_calendar():
    w = reports.set_report_window(
        actor=None,
        region=province(),
        year=2025,
        starts_on=datetime.date(2026, 2, 2),
        working_days=10,
    )
    # Saturday 14 February 2026 is a make-up working day before the Spring Festival.
    assert w.due_on == datetime.date(2026, 2, 14)
    w = reports.set_report_window(
        actor=None,
        region=province(),
        year=2025,
        starts_on=datetime.date(2026, 1, 5),
        working_days=30,
    )
    assert w.due_on == datetime.date(2026, 2, 14)
    base = make_base()
    assert reports.report_deadline(base, 2025) == datetime.date(2026, 2, 14)
    # The county's own window is nearer than the province's.
    reports.set_report_window(
        actor=None,
        region=Region.objects.get(code="510104"),
        year=2025,
        starts_on=datetime.date(2026, 1, 5),
        working_days=5,
    )
    assert reports.report_deadline(base, 2025) == datetime.date(2026, 1, 12)
    with pytest.raises(DomainError):
        reports.set_report_window(
            actor=None,
            region=province(),
            year=2025,
            starts_on=datetime.date(2026, 1, 5),
            working_days=0,
        )


def test_on_time_late_return_and_resubmit():
    reports.set_report_window(
        actor=None,
        region=province(),
        year=2025,
        starts_on=datetime.date(2026, 1, 5),
        working_days=30,
    )
    on_time, late = make_base("按时基地"), make_base("迟交基地")
    with clock.frozen(at(2026, 2, 14, 20)):
        first = filed_report(on_time)
    with clock.frozen(at(2026, 2, 16)):
        second = filed_report(late)
    assert (first.late, second.late) == (False, True)
    assert first.status == ac.ReportStatus.SUBMITTED
    with pytest.raises(StateConflict):
        reports.save_report(first, actor=None, visitors=1)
    with pytest.raises(DomainError) as err:
        reports.return_report(first, actor=None, reason=" ")
    assert "reason" in err.value.message_dict
    first = reports.return_report(first, actor=None, reason="参观人数与门票记录不符")
    assert first.status == ac.ReportStatus.RETURNED
    first = reports.save_report(first, actor=None, visitors=11000)
    with clock.frozen(at(2026, 3, 2)):
        first = reports.submit_report(first, actor=None)
    assert first.status == ac.ReportStatus.SUBMITTED and first.late is False  # kept on time
    assert AuditEntry.objects.filter(action="bases.annualreport.resubmitted").count() == 1
    first = reports.accept_report(first, actor=None)
    assert first.status == ac.ReportStatus.ACCEPTED
    with pytest.raises(StateConflict):
        reports.accept_report(first, actor=None)


def test_bad_figures_write_nothing():
    report = reports.open_report(make_base(), 2025, actor=None)
    with pytest.raises(DomainError) as err:
        reports.save_report(report, actor=None, visitors=100, students=200, open_days=200)
    assert set(err.value.message_dict) == {"students"}
    report.refresh_from_db()
    assert (report.visitors, report.open_days) == (0, 280)  # the registry's open days
    report = reports.save_report(report, actor=None, exhibits_total=80, exhibits_renewed=10)
    assert report.renewal_pct == Decimal("12.50")


def test_the_draw_is_seeded_and_audited():
    bases = [make_base(f"抽查基地{i}") for i in range(6)]
    for base in bases:
        filed_report(base)
    first = services.draw_spot_checks(
        actor=None, region=province(), year=2025, size=3, seed="2026-抽查"
    )
    drawn = sorted(ch.base_id for ch in first)
    SpotCheck.objects.filter(pk__in=[ch.pk for ch in first]).delete()
    again = services.draw_spot_checks(
        actor=None, region=province(), year=2025, size=3, seed="2026-抽查"
    )
    assert sorted(ch.base_id for ch in again) == drawn
    # Those already drawn are not drawn again.
    rest = services.draw_spot_checks(actor=None, region=province(), year=2025, size=10, seed="x")
    assert len(rest) == 3 and not set(ch.base_id for ch in rest) & set(drawn)
    with pytest.raises(DomainError):
        services.draw_spot_checks(actor=None, region=province(), year=2025, size=1, seed="y")
    entry = AuditEntry.objects.filter(action="bases.spotcheck.drawn").latest("pk")
    assert entry.detail["drawn"] == 3 and entry.detail["seed"] == "x"


def _round(level=c.BaseLevel.COUNTY, region_code="51", year=2025):
    return services.create_evaluation_round(
        actor=None,
        region=Region.objects.get(code=region_code),
        year=year,
        level=level,
        rubric=annual_rubric(),
    )


def test_evaluation_numbers_are_exact_on_a_small_case():
    good = make_base("优秀基地", area_m2=1200, docents=12)
    bare = make_base("未报告基地", area_m2=300, docents=1)
    make_base("市级基地", level=c.BaseLevel.CITY)  # another level: not in the round
    filed_report(good, accept=True)  # 310 days, 12,000 visitors, 12 % renewed
    round_ = _round()
    rows = {e.base_id: e for e in AnnualEvaluation.objects.filter(round=round_)}
    assert rows == {}
    summary = services.compute_evaluation_round(round_)
    assert summary["bases"] == 2 and summary["no_report"] == 1
    res = {e.base_id: e for e in AnnualEvaluation.objects.filter(round=round_)}
    g = res[good.pk]
    # area 1200 → 10; renewal 12 % → 3.5; open days 310 → 10; visitors 12,000 → 12;
    # activities 0 → 0; talent 0 → 0; honours 0 → 0; docents 12 → 10; no manual points.
    assert g.lines == {
        "area": "10.00",
        "renewal": "3.50",
        "open_days": "10.00",
        "visitors": "12.00",
        "activities": "0.00",
        "talent": "0.00",
        "honours": "0.00",
        "docents": "10.00",
    }
    assert g.total == Decimal("45.50") and g.complete is False and g.visitors == 12000
    b = res[bare.pk]
    assert b.no_report is True and b.total == Decimal("5.00")  # area 300 → 10 × 50 %
    with pytest.raises(DomainError):
        services.publish_evaluation_round(round_, actor=None)  # manual points missing
    with pytest.raises(DomainError) as err:
        services.set_manual_scores(g, actor=None, scores={"safety": "11", "free": "5"})
    assert set(err.value.message_dict) == {"safety"}
    services.set_manual_scores(g, actor=None, scores={"safety": "10", "free": "9.5"})
    services.set_manual_scores(b, actor=None, scores={"safety": "4", "free": "0"})
    services.compute_evaluation_round(round_)
    g.refresh_from_db()
    assert g.total == Decimal("65.00") and g.grade == "pass" and g.complete
    round_.refresh_from_db()
    assert round_.grades == {"pass": 1, "fail": 1} and round_.status == ac.RoundStatus.COMPUTED
    assert annual_scores(2025) == {}  # not published yet
    services.publish_evaluation_round(round_, actor=None)
    scores = annual_scores(2025)
    assert scores[good.pk] == (Decimal("65.00"), "pass", 12000)
    assert scores[bare.pk] == (Decimal("9.00"), "fail", 0)
    assert annual_scores(2025, base_ids=[bare.pk]) == {bare.pk: (Decimal("9.00"), "fail", 0)}
    assert annual_scores(2025, region=Region.objects.get(code="510703")) == {}
    with pytest.raises(StateConflict):
        services.compute_evaluation_round(round_)


def test_a_recorded_spot_check_defaults_the_safety_points():
    base = make_base()
    filed_report(base, accept=True)
    check = services.plan_spot_check(base, 2025, actor=None)
    services.record_spot_check(
        check,
        actor=None,
        checked_on=datetime.date(2026, 3, 1),
        inspectors="省科协 王五",
        findings="消防通道堵塞",
        passed=False,
        adjustment=Decimal("-1"),
    )
    round_ = _round()
    services.compute_evaluation_round(round_)
    ev = AnnualEvaluation.objects.get(round=round_, base=base)
    assert ev.values["safety"] == "4" or Decimal(ev.values["safety"]) == Decimal("4")
    assert ev.lines["safety"] == "4.00"


def test_round_refusals():
    rubric = annual_rubric()
    _round()
    with pytest.raises(DomainError):
        _round()  # once per region, level and year
    from kepu.rubrics.services import copy_rubric

    draft = copy_rubric(rubric, actor=None)
    with pytest.raises(DomainError) as err:
        services.create_evaluation_round(
            actor=None, region=province(), year=2025, level="city", rubric=draft
        )
    assert "rubric" in err.value.message_dict


def test_rectification_kept_and_revoked():
    kept, revoked = make_base("整改通过基地"), make_base("撤销基地")
    services.warn_base(kept, actor=None, reason="年度评估不合格")
    order = services.order_rectification(kept, actor=None, reason="年度评估不合格", working_days=20)
    kept.refresh_from_db()
    assert kept.status == c.BaseStatus.RECTIFYING
    assert order.due_on == __import__("kepu.core.workdays", fromlist=["x"]).add_working_days(
        clock.today(), 20
    )
    with pytest.raises(StateConflict):
        services.order_rectification(kept, actor=None, reason="再次")
    with pytest.raises(StateConflict):
        services.decide_rectification(
            order, actor=None, keep=True, checked_on=clock.today(), inspectors="甲", findings="乙"
        )
    order = services.report_rectification(order, actor=None, report="已更新展品，完善安全制度")
    order = services.decide_rectification(
        order,
        actor=None,
        keep=True,
        checked_on=clock.today(),
        inspectors="省科协 李四",
        findings="整改到位",
    )
    kept.refresh_from_db()
    assert kept.status == c.BaseStatus.ACTIVE and order.status == ac.RectificationStatus.KEPT
    assert order.recheck.kind == ac.SpotCheckKind.RECHECK and order.recheck.passed is True
    other = services.order_rectification(revoked, actor=None, reason="抽查不合格")
    other = services.report_rectification(other, actor=None, report="部分整改")
    services.decide_rectification(
        other,
        actor=None,
        keep=False,
        checked_on=clock.today(),
        inspectors="省科协 李四",
        findings="整改不到位",
    )
    revoked.refresh_from_db()
    assert revoked.status == c.BaseStatus.REVOKED
    assert Rectification.objects.filter(status=ac.RectificationStatus.REVOKED).count() == 1


def test_a_midterm_round_evaluates_one_batch_on_the_same_engine():
    in_batch = make_base("二〇二四批基地", batch="2024年度县级科普教育基地")
    make_base("其他批次基地", batch="2022年度县级科普教育基地")
    filed_report(in_batch, accept=True)
    round_ = services.create_evaluation_round(
        actor=None,
        region=province(),
        year=2025,
        level=c.BaseLevel.COUNTY,
        rubric=annual_rubric(),
        kind=ac.RoundKind.MIDTERM,
        batch="2024年度县级科普教育基地",
    )
    summary = services.compute_evaluation_round(round_)
    assert summary["bases"] == 1
    assert list(AnnualEvaluation.objects.filter(round=round_).values_list("base", flat=True)) == [
        in_batch.pk
    ]
    services.set_manual_scores(
        AnnualEvaluation.objects.get(round=round_), actor=None, scores={"safety": 10, "free": 10}
    )
    services.compute_evaluation_round(round_)
    services.publish_evaluation_round(round_, actor=None)
    assert annual_scores(2025) == {}  # a mid-term result is not the year's annual score


def test_evidence_is_checked_by_content(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    report = reports.open_report(make_base(), 2025, actor=None)
    fake = SimpleUploadedFile("活动照片.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(DomainError):
        reports.save_report(report, actor=None, visitors=10, evidence=[fake])
    report.refresh_from_db()
    assert report.visitors == 0 and not report.evidence.exists()
    real = SimpleUploadedFile("活动总结.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    reports.save_report(report, actor=None, visitors=10, evidence=[real])
    assert [e.name for e in report.evidence.all()] == ["活动总结.pdf"]
