"""The annual demo loads through the services, idempotently, and leaves the story the
issue asks for."""

import pytest

from kepu.bases import annual_choices as ac
from kepu.bases import choices as c
from kepu.bases import invariants_annual  # noqa: F401 (registers the checks)
from kepu.bases.demo import annual, registry
from kepu.bases.models import AnnualReport, EvaluationRound, Rectification
from kepu.bases.scores import annual_scores
from kepu.bases.tests.helpers import make_base
from kepu.core import invariants

pytestmark = pytest.mark.django_db


def test_no_bases_no_demo():
    assert annual.load(100) == {"annual_reports": 0}


def test_the_annual_story():
    registry.load(100)
    for i in range(6):  # the test database has no catalog places: a few bases by hand
        make_base(f"演示省级基地{i}", level=c.BaseLevel.PROVINCIAL, region_code="510104")
    out = annual.load(100)
    assert out["annual_reports"] >= 6
    round_ = EvaluationRound.objects.get(year=2025)
    assert round_.status == ac.RoundStatus.PUBLISHED
    scores = annual_scores(2025)
    assert len(scores) == round_.bases_count and round_.grades.get("fail", 0) >= 2
    orders = Rectification.objects.order_by("pk")
    assert [o.status for o in orders] == ["kept", "ordered"]
    now = AnnualReport.objects.filter(year=2026)
    assert now.filter(status="submitted").exists() and now.filter(status="draft").exists()
    assert now.filter(late=True).count() == 1
    assert annual.load(100) == {"annual_reports": 0}
    assert invariants.check(["bases"]) == []
