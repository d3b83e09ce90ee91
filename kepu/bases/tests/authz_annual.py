"""Matrix rows of the annual area.

Three county bases in 锦江区 (county A), each run by a sub-unit of 四川省教育厅 (the
member persona's unit): A with a draft report on 2025, B with a submitted report and an
open rectification order, C with a drawn spot check and a reported rectification. Rounds
of 锦江区's county bases: 2025 open, 2024 computed and fully scored, 2023 published.
County B (涪城区) reaches none of it."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.bases import services
from kepu.bases.models import AnnualEvaluation
from kepu.bases.services import annual as reports
from kepu.bases.tests.annual_helpers import STATS, annual_rubric, filed_report, member_unit_base
from kepu.core import clock
from kepu.core.models import Region
from kepu.core.testing import Row, officers, statuses


def _scored_round(year, *, publish=False):
    round_ = services.create_evaluation_round(
        actor=None,
        region=Region.objects.get(code="510104"),
        year=year,
        level="county",
        rubric=annual_rubric(),
    )
    services.compute_evaluation_round(round_)
    for evaluation in AnnualEvaluation.objects.filter(round=round_):
        services.set_manual_scores(evaluation, actor=None, scores={"safety": "8", "free": "8"})
    services.compute_evaluation_round(round_)
    if publish:
        services.publish_evaluation_round(round_, actor=None)
    return round_


def context(ctx):
    a = member_unit_base("省教育厅矩阵基地甲")
    b = member_unit_base("省教育厅矩阵基地乙")
    c = member_unit_base("省教育厅矩阵基地丙")
    ctx["annual_base_a"] = a
    draft = reports.open_report(a, 2025, actor=None)
    evidence = SimpleUploadedFile("活动总结.pdf", b"%PDF-1.4\n%%EOF\n")
    ctx["annual_draft"] = reports.save_report(draft, actor=None, evidence=[evidence], **STATS)
    ctx["annual_evidence"] = ctx["annual_draft"].evidence.get()
    ctx["annual_submitted"] = filed_report(b)
    ctx["annual_check"] = services.plan_spot_check(c, 2025, actor=None)
    ctx["annual_rect_ordered"] = services.order_rectification(
        b, actor=None, reason="矩阵整改", working_days=20
    )
    reported = services.order_rectification(c, actor=None, reason="矩阵整改二", working_days=20)
    ctx["annual_rect_reported"] = services.report_rectification(
        reported, actor=None, report="已整改"
    )
    ctx["annual_round_open"] = services.create_evaluation_round(
        actor=None,
        region=Region.objects.get(code="510104"),
        year=2025,
        level="county",
        rubric=annual_rubric(),
    )
    ctx["annual_round_computed"] = _scored_round(2024)
    ctx["annual_round_published"] = _scored_round(2023, publish=True)
    ctx["annual_evaluation"] = AnnualEvaluation.objects.get(
        round=ctx["annual_round_computed"], base=a
    )


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _today():
    return clock.today().isoformat()


A_SIDE = ("province", "city", "county_a")
UNIT = (*A_SIDE, "member")
NOT_B = {"county_b": 404}
MEMBER_403 = {"county_b": 404, "member": 403}
MEMBER_OK = {"county_b": 404, "member": 200}

ROWS = [
    Row("annual-report-list", "bases:report_list", expect=officers(200, member=200)),
    Row("annual-report-export", "bases:report_export", expect=officers(200)),
    Row("annual-window", "bases:report_window", expect=officers(200)),
    Row("annual-window-post", "bases:report_window", "post",
        data=lambda ctx: {"region": "510104", "year": 2025, "starts_on": "2026-01-05",
                          "working_days": 30},
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("annual-report-start", "bases:report_start", "post",
        kwargs=lambda ctx: {"base": ctx["annual_base_a"].pk}, data=lambda ctx: {"year": 2024},
        expect=officers(302, member=302, **NOT_B), changes=UNIT),
    Row("annual-report-detail", "bases:report_detail", kwargs=_pk("annual_draft"),
        expect=officers(200, **MEMBER_OK)),
    Row("annual-report-evidence", "bases:report_evidence",
        kwargs=lambda ctx: {"pk": ctx["annual_draft"].pk, "item": ctx["annual_evidence"].pk},
        expect=officers(200, **MEMBER_OK)),
    Row("annual-report-edit", "bases:report_edit", kwargs=_pk("annual_draft"),
        expect=officers(200, **MEMBER_OK)),
    Row("annual-report-edit-post", "bases:report_edit", "post", kwargs=_pk("annual_draft"),
        data=lambda ctx: {**STATS, "visitors": 13000},
        expect=officers(302, county_b=404, member=302), changes=UNIT),
    Row("annual-report-submit", "bases:report_submit", "post", kwargs=_pk("annual_draft"),
        expect=officers(302, county_b=404, member=302), changes=UNIT),
    Row("annual-report-return", "bases:report_return", kwargs=_pk("annual_submitted"),
        expect=officers(200, **MEMBER_403)),
    Row("annual-report-return-post", "bases:report_return", "post",
        kwargs=_pk("annual_submitted"), data=lambda ctx: {"reason": "请补充证明材料"},
        expect=officers(302, **MEMBER_403), changes=A_SIDE),
    Row("annual-report-accept", "bases:report_accept", "post", kwargs=_pk("annual_submitted"),
        expect=officers(302, **MEMBER_403), changes=A_SIDE),
    Row("annual-spotcheck-list", "bases:spotcheck_list", expect=officers(200)),
    Row("annual-spotcheck-draw", "bases:spotcheck_draw", expect=officers(200)),
    Row("annual-spotcheck-draw-post", "bases:spotcheck_draw", "post",
        data=lambda ctx: {"region": "510104", "year": 2025, "size": 1, "seed": "matrix"},
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("annual-spotcheck-record", "bases:spotcheck_record", kwargs=_pk("annual_check"),
        expect=officers(200, **NOT_B)),
    Row("annual-spotcheck-record-post", "bases:spotcheck_record", "post",
        kwargs=_pk("annual_check"),
        data=lambda ctx: {"checked_on": _today(), "inspectors": "省科协 王五",
                          "findings": "运行正常", "passed": "yes", "adjustment": "0"},
        expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("annual-round-list", "bases:evaluationround_list", expect=officers(200)),
    Row("annual-round-new", "bases:evaluationround_create", expect=officers(200)),
    Row("annual-round-new-post", "bases:evaluationround_create", "post",
        data=lambda ctx: {"kind": "annual", "region": "510104", "year": 2022, "level": "county",
                          "rubric": annual_rubric().pk, "batch": "", "title": ""},
        expect=officers(302, county_b=400), changes=A_SIDE),
    Row("annual-round-detail", "bases:evaluationround_detail", kwargs=_pk("annual_round_computed"),
        expect=officers(200, **NOT_B)),
    Row("annual-round-compute", "bases:evaluationround_compute", "post",
        kwargs=_pk("annual_round_open"), expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("annual-round-publish", "bases:evaluationround_publish", "post",
        kwargs=_pk("annual_round_computed"), expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("annual-round-export", "bases:evaluationround_export", kwargs=_pk("annual_round_computed"),
        expect=officers(200, **NOT_B)),
    Row("annual-evaluation-score", "bases:evaluation_score", kwargs=_pk("annual_evaluation"),
        expect=officers(200, **MEMBER_403)),
    Row("annual-evaluation-score-post", "bases:evaluation_score", "post",
        kwargs=_pk("annual_evaluation"), data=lambda ctx: {"safety": "9", "free": "7.5"},
        expect=officers(302, **MEMBER_403), changes=A_SIDE),
    Row("annual-public-results", "bases:public_results", kwargs=_pk("annual_round_published"),
        expect=statuses(200)),
    Row("annual-base-warn", "bases:base_warn", kwargs=_pk("annual_base_a"),
        expect=officers(200, **MEMBER_403)),
    Row("annual-base-warn-post", "bases:base_warn", "post", kwargs=_pk("annual_base_a"),
        data=lambda ctx: {"reason": "年度评估不合格"},
        expect=officers(302, **MEMBER_403), changes=A_SIDE),
    Row("annual-rect-order", "bases:rectification_order", kwargs=_pk("annual_base_a"),
        expect=officers(200, **NOT_B)),
    Row("annual-rect-order-post", "bases:rectification_order", "post",
        kwargs=_pk("annual_base_a"), data=lambda ctx: {"reason": "整改", "working_days": 20},
        expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("annual-rect-list", "bases:rectification_list", expect=officers(200, member=200)),
    Row("annual-rect-detail", "bases:rectification_detail", kwargs=_pk("annual_rect_ordered"),
        expect=officers(200, **MEMBER_OK)),
    Row("annual-rect-report", "bases:rectification_report", kwargs=_pk("annual_rect_ordered"),
        expect=officers(200, **MEMBER_OK)),
    Row("annual-rect-report-post", "bases:rectification_report", "post",
        kwargs=_pk("annual_rect_ordered"), data=lambda ctx: {"report": "已完成整改"},
        expect=officers(302, county_b=404, member=302), changes=UNIT),
    Row("annual-rect-decide", "bases:rectification_decide", kwargs=_pk("annual_rect_reported"),
        expect=officers(200, **MEMBER_403)),
    Row("annual-rect-decide-post", "bases:rectification_decide", "post",
        kwargs=_pk("annual_rect_reported"),
        data=lambda ctx: {"keep": "keep", "checked_on": _today(), "inspectors": "省科协",
                          "findings": "整改到位"},
        expect=officers(302, **MEMBER_403), changes=A_SIDE),
]  # fmt: skip

__all__ = ["datetime"]
