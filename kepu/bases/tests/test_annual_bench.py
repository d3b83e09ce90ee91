"""The annual bench pieces on tiny data: the dataset's reports (five years per base, in
states the services leave) and the evaluation of all bases (bench/bases_evaluation.py),
which counts what it says and leaves no round behind; its goal in the report."""

import pytest

from kepu.bases import annual_choices as ac
from kepu.bases import choices as c
from kepu.bases import invariants_annual  # noqa: F401 (registers the checks)
from kepu.bases.dataset_annual import YEARS, generate_reports
from kepu.bases.models import AnnualReport, EvaluationRound
from kepu.bases.tests.helpers import make_base
from kepu.core import invariants
from kepu.core.dataset import Dataset

pytestmark = pytest.mark.django_db


def test_reports_and_the_evaluation_of_all_bases():
    from bench.bases_evaluation import evaluate_all

    for i, level in enumerate(c.BaseLevel.values * 2):
        make_base(f"基准基地{i}", level=level)
    ds = Dataset("county", seed=7, out=lambda line: None)
    assert generate_reports(ds) == 8 * YEARS
    last = ds.today.year - 1
    assert AnnualReport.objects.filter(year=last - YEARS + 1).count() == 8
    older = AnnualReport.objects.filter(year__lt=last)
    assert set(older.values_list("status", flat=True)) == {ac.ReportStatus.ACCEPTED}
    assert not older.filter(submitted_at=None).exists()
    assert invariants.check(["bases"]) == []
    result = evaluate_all()
    assert result["year"] == last
    assert result["bases"] == result["evaluated"] == 8
    assert result["grades_add_up"] and result["totals_out_of_range"] == 0
    assert result["evaluate_all_seconds"] >= 0
    assert sum(v["bases"] for v in result["per_level"].values()) == 8
    assert not EvaluationRound.objects.exists()


def test_the_goal_in_the_report():
    from bench.report import _bases_evaluation_goal

    met = _bases_evaluation_goal(
        {"bases_evaluation": {"evaluate_all_seconds": 0.6, "evaluated": 5000, "bases": 5000,
                              "totals_out_of_range": 0, "grades_add_up": True, "no_report": 3,
                              "grades": {"pass": 5000}}}
    )  # fmt: skip
    assert met["met"] is True and "5000 bases evaluated" in met["measured"]
    slow = _bases_evaluation_goal(
        {"bases_evaluation": {"evaluate_all_seconds": 1.4, "evaluated": 5000, "bases": 5000,
                              "totals_out_of_range": 0, "grades_add_up": True}}
    )  # fmt: skip
    assert slow["met"] is False
    assert _bases_evaluation_goal({})["met"] is None
