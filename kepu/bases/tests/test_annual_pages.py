"""The annual path through HTTP: the unit files its report, the county returns it, the
unit resubmits, the county accepts; the province opens a round, computes it (the job),
gives the manual points, publishes; the public results page; the workbench items."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kepu.bases import annual_choices as ac
from kepu.bases.models import AnnualEvaluation, AnnualReport, EvaluationRound
from kepu.bases.tests.annual_helpers import STATS, annual_rubric, member_unit_base
from kepu.core import workbench
from kepu.core.models import Job, User

pytestmark = pytest.mark.django_db


def _form(data):
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_the_unit_files_the_county_reviews(as_persona):
    base = member_unit_base("省教育厅页面基地")
    member = as_persona("member")
    staff = User.objects.get(username="demo-member")
    page = member.get(reverse("bases:report_list") + "?year=2025")
    assert page.status_code == 200 and "省教育厅页面基地" in page.content.decode()
    response = member.post(reverse("bases:report_start", args=[base.pk]), {"year": 2025})
    report = AnnualReport.objects.get(base=base, year=2025)
    assert response.status_code == 302 and response.url == reverse(
        "bases:report_edit", args=[report.pk]
    )
    bad = member.post(
        reverse("bases:report_edit", args=[report.pk]), _form({**STATS, "students": 99999})
    )
    assert bad.status_code == 400
    report.refresh_from_db()
    assert report.visitors == 0
    assert (
        member.post(reverse("bases:report_edit", args=[report.pk]), _form(STATS)).status_code == 302
    )
    assert "bases.reports.file" in {i.key for i in workbench.collect(staff, None)}
    member.post(reverse("bases:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ac.ReportStatus.SUBMITTED and report.renewal_pct == Decimal("12.00")

    county = as_persona("county_a")
    items = {i.key for i in workbench.collect(User.objects.get(username="demo-county-a"), None)}
    assert "bases.reports.review" in items
    empty = county.post(reverse("bases:report_return", args=[report.pk]), {"reason": ""})
    assert empty.status_code == 400
    county.post(reverse("bases:report_return", args=[report.pk]), {"reason": "补充学生人数"})
    report.refresh_from_db()
    assert report.status == ac.ReportStatus.RETURNED
    detail = member.get(reverse("bases:report_detail", args=[report.pk])).content.decode()
    assert "补充学生人数" in detail
    member.post(reverse("bases:report_submit", args=[report.pk]))
    county.post(reverse("bases:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ac.ReportStatus.ACCEPTED
    # Other county: not even visible.
    assert (
        as_persona("county_b").get(reverse("bases:report_detail", args=[report.pk])).status_code
        == 404
    )


def test_the_round_from_opening_to_the_public_page(as_persona, client):
    base = member_unit_base("省教育厅评估基地")
    province = as_persona("province")
    rubric = annual_rubric()
    response = province.post(
        reverse("bases:evaluationround_create"),
        {
            "kind": "annual",
            "region": "510104",
            "year": 2025,
            "level": "county",
            "rubric": rubric.pk,
            "batch": "",
            "title": "锦江区2025年度县级基地评估",
        },
    )
    round_ = EvaluationRound.objects.get(title="锦江区2025年度县级基地评估")
    assert response.status_code == 302
    response = province.post(reverse("bases:evaluationround_compute", args=[round_.pk]))
    job = Job.objects.filter(kind="bases.compute_evaluation_round").latest("created_at")
    assert response.status_code == 302 and job.status == "succeeded"
    assert job.result["bases"] >= 1
    evaluation = AnnualEvaluation.objects.get(round=round_, base=base)
    assert evaluation.no_report and not evaluation.complete
    over = province.post(
        reverse("bases:evaluation_score", args=[evaluation.pk]), {"safety": "12", "free": "5"}
    )
    assert over.status_code == 400
    for other in AnnualEvaluation.objects.filter(round=round_):
        province.post(
            reverse("bases:evaluation_score", args=[other.pk]), {"safety": "8", "free": "6"}
        )
    province.post(reverse("bases:evaluationround_compute", args=[round_.pk]))
    evaluation.refresh_from_db()
    assert evaluation.complete and evaluation.grade == "fail"
    detail = province.get(
        reverse("bases:evaluationround_detail", args=[round_.pk])
    ).content.decode()
    assert "省教育厅评估基地" in detail
    assert client.get(reverse("bases:public_results", args=[round_.pk])).status_code == 404
    province.post(reverse("bases:evaluationround_publish", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == ac.RoundStatus.PUBLISHED
    public = client.get(reverse("bases:public_results", args=[round_.pk]))
    assert public.status_code == 200 and "省教育厅评估基地" in public.content.decode()
    export = province.get(reverse("bases:evaluationround_export", args=[round_.pk]))
    assert export.status_code == 200
    # Below the bar: the score page offers the warning and the order.
    page = province.get(reverse("bases:evaluation_score", args=[evaluation.pk])).content.decode()
    assert reverse("bases:rectification_order", args=[base.pk]) in page


def test_a_draft_rubric_is_refused_clearly(as_persona):
    from kepu.rubrics.services import copy_rubric

    draft = copy_rubric(annual_rubric(), actor=None)
    response = as_persona("province").post(
        reverse("bases:evaluationround_create"),
        {"kind": "annual", "region": "51", "year": 2025, "level": "provincial",
         "rubric": draft.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert not EvaluationRound.objects.exists()
