"""The rubric engine: weights, bands, points, grades (behaviour of the shared engine)."""

from decimal import Decimal

import pytest

from kepu.core.errors import DomainError
from kepu.core.models import Region
from kepu.rubrics import choices as c
from kepu.rubrics import engine, presets, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric():
    return services.create_rubric(
        actor=None,
        name="年度评估",
        purpose=c.Purpose.BASE_ANNUAL,
        region=Region.objects.get(code="51"),
        criteria=presets.base_annual_criteria(),
        activate=True,
    )


def values(**over):
    base = dict(
        area=1200,
        renewal=16,
        safety=9,
        open_days=310,
        visitors=40000,
        activities=12,
        free=10,
        talent=3,
        honours=3,
        docents=10,
    )
    base.update(over)
    return base


def test_full_marks_and_bands(rubric):
    result = engine.evaluate(rubric, values(safety=10))
    assert result.total == Decimal(100) and result.grade == c.Grade.EXCELLENT
    result = engine.evaluate(rubric, values(open_days=250, visitors=999))
    lines = {ln.code: ln.points for ln in result.lines}
    assert lines["open_days"] == Decimal("6.00") and lines["visitors"] == Decimal("0.00")
    assert result.total == Decimal("80.00") and result.grade == c.Grade.GOOD


def test_grade_boundaries(rubric):
    assert engine.grade_of(rubric, Decimal("89.99")) == c.Grade.GOOD
    assert engine.grade_of(rubric, Decimal(60)) == c.Grade.PASS
    assert engine.grade_of(rubric, Decimal("59.99")) == c.Grade.FAIL


def test_manual_points_outside_the_weight_are_refused(rubric):
    with pytest.raises(DomainError) as exc:
        engine.evaluate(rubric, values(safety=11))
    assert "safety" in exc.value.message_dict


def test_missing_value_is_refused_when_strict_and_partial_otherwise(rubric):
    partial = values()
    del partial["free"]
    with pytest.raises(DomainError):
        engine.evaluate(rubric, partial)
    result = engine.evaluate(rubric, partial, strict=False)
    assert not result.complete and result.total == Decimal(89)


def test_weights_must_add_up_to_100():
    criteria = presets.base_annual_criteria()
    criteria[0]["weight"] = 11
    with pytest.raises(DomainError) as exc:
        services.create_rubric(
            actor=None,
            name="错",
            purpose=c.Purpose.OTHER,
            region=Region.objects.get(code="51"),
            criteria=criteria,
            activate=True,
        )
    assert "101" in str(exc.value)


def test_bands_must_be_contiguous():
    bad = [{"min": None, "max": 10, "share": 0}, {"min": 20, "max": None, "share": 100}]
    assert engine.band_errors(bad)
    assert not engine.band_errors(
        [{"min": None, "max": 10, "share": 0}, {"min": 10, "max": None, "share": 100}]
    )
    assert engine.band_errors([{"min": None, "max": None, "share": 120}])


def test_many_subjects_at_once(rubric):
    many = {i: values(visitors=i * 100) for i in range(1, 501)}
    results = engine.evaluate_many(rubric, many)
    assert results[1].lines[4].points == Decimal("0.00")
    assert results[500].total > results[1].total


def test_a_rubric_in_use_is_not_edited(rubric):
    from kepu.core.errors import StateConflict

    with pytest.raises(StateConflict):
        services.save_criterion(rubric, actor=None, name="改")
    copy = services.copy_rubric(rubric, actor=None)
    assert copy.status == c.RubricStatus.DRAFT and copy.criteria.count() == 10
