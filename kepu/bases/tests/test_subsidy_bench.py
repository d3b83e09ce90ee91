"""The subsidy preview benchmark (bench/bases_subsidy.py) on tiny data: it runs, adds up,
falls back to stand-in scores, leaves no round behind; its goal in the report."""

import pytest

from kepu.bases.models import SubsidyRound
from kepu.bases.tests.helpers import make_base

pytestmark = pytest.mark.django_db


def test_the_subsidy_bench_runs_on_tiny_data():
    from bench.bases_subsidy import preview_province

    for i in range(3):
        make_base(f"基准补助馆{i}", unit_name=f"基准补助馆单位{i}")
    result = preview_province()
    assert result["bases"] >= 3 and result["scores"] == "stand-in"
    assert result["adds_up"] is True and result["total"] == result["budget"]
    assert result["preview_seconds"] >= 0
    assert not SubsidyRound.objects.exists()


def test_the_report_checks_the_goal():
    from bench.report import _subsidy_goal

    assert _subsidy_goal({})["met"] is None
    fast = {"preview_seconds": 0.4, "max_s": 0.5, "bases": 5000, "adds_up": True}
    assert _subsidy_goal({"subsidy_preview": fast})["met"] is True
    slow = {**fast, "preview_seconds": 1.6}
    assert _subsidy_goal({"subsidy_preview": slow})["met"] is False
