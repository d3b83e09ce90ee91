"""The validation engine, and the core workflow through the services: save, submit,
accept, return, approvals up the tree, aggregates kept equal to a recompute."""

from decimal import Decimal

import pytest
from django.utils import translation

from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region, User
from kepu.stats import choices as c
from kepu.stats.models import Aggregate, Return
from kepu.stats.services import aggregation, approvals, returns
from kepu.stats.services.validation import Checker, Expression, ExpressionError
from kepu.stats.tests.helpers import GOOD, county_a_unit, county_b_unit, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_expressions_read_codes_numbers_and_operators_only():
    e = Expression.compile("KJ120 + KJ130 * 2 - (KJ140 / 4)", {"KJ120", "KJ130", "KJ140"})
    assert e.codes == ("KJ120", "KJ130", "KJ140")
    assert e.evaluate({"KJ120": Decimal(1), "KJ130": Decimal(2), "KJ140": Decimal(8)}) == 3
    assert e.evaluate({}) is None  # all not applicable: the rule is skipped
    for bad in ("__import__('os')", "KJ120.real", "KJ120 ** 2", "[1]", "KX999"):
        with pytest.raises(ExpressionError):
            Expression.compile(bad, {"KJ120"})


def test_parse_and_check_report_each_problem():
    survey = make_round()
    checker = Checker(survey.data_set)
    values, findings = checker.parse(
        {"KR100": "十", "KR110": "-1", "KR140": "1.5", "KJ100": "3.25"}
    )
    assert values["KJ100"] == Decimal("3.25")
    messages = " ".join(f.message for f in findings)
    assert "KR100" in messages and "is not a number" in messages
    assert "cannot be negative" in messages and "whole number" in messages
    values, _ = checker.parse({**GOOD, "KR130": "11", "KJ100": "60"})
    keys = {f.key for f in checker.check(values)}
    assert "breakdown:KR130" in keys  # 女性 11 > 专职 10
    assert "rule:R03" in keys  # funding sources do not add up
    values, _ = checker.parse(GOOD)
    assert [f for f in checker.check(values) if f.is_error] == []
    change = checker.check(values, previous={"KR100": Decimal(5)})
    assert [f.key for f in change] == ["change:C01:KR100"] and not change[0].is_error


def test_workflow_up_the_tree_and_aggregates():
    survey = make_round()
    officer = User.objects.get(username="demo-county-a")
    ret, _ = returns.assign(survey, county_a_unit(), actor=officer)
    with pytest.raises(DomainError):
        returns.save_values(ret, {"KR100": "abc"}, actor=officer)
    assert ret.values.count() == 0  # nothing half-written
    returns.save_values(ret, {**GOOD, "KJ100": "1"}, actor=officer)
    ret.refresh_from_db()
    assert ret.status == c.ReturnStatus.DRAFT and ret.errors == 3  # 2 breakdowns, R03
    with pytest.raises(DomainError):
        returns.submit(ret, actor=officer)
    returns.save_values(ret, GOOD, actor=officer)
    returns.submit(ret, actor=officer)
    county = Region.objects.get(code="510104")
    with pytest.raises(DomainError):
        approvals.approve(survey, county, actor=officer)  # its unit is not accepted yet
    returns.send_back(ret, actor=officer, reason="KR130 有误")
    returns.save_values(ret, {"KR130": "4"}, actor=officer)
    returns.submit(ret, actor=officer)
    returns.accept(ret, actor=officer)
    other, _ = returns.assign(survey, county_b_unit(), actor=officer)
    returns.save_values(other, {"KR100": "7"}, actor=officer)
    returns.submit(other, actor=officer)
    returns.accept(other, actor=officer)
    province = Region.objects.get(code="51")
    kept = {
        (a.region_id, a.indicator.code): (a.value, a.units)
        for a in Aggregate.objects.filter(round=survey).select_related("indicator")
    }
    assert kept[(province.pk, "KR100")] == (Decimal(17), 2)
    assert kept[(county.pk, "KR130")] == (Decimal(4), 1)
    aggregation.recompute(survey)
    again = {
        (a.region_id, a.indicator.code): (a.value, a.units)
        for a in Aggregate.objects.filter(round=survey).select_related("indicator")
    }
    assert again == kept
    city = Region.objects.get(code="5101")
    with pytest.raises(DomainError):
        approvals.approve(survey, city, actor=officer)  # the county has not approved
    approvals.approve(survey, county, actor=officer)
    with pytest.raises(StateConflict):
        returns.send_back(ret, actor=officer, reason="x")  # the county approved
    approvals.approve(survey, city, actor=officer)
    approvals.send_back(survey, city, actor=officer, reason="复核")
    approvals.approve(survey, city, actor=officer)


def test_cached_figures_follow_every_change(settings, django_capture_on_commit_callbacks):
    """With a shared cache the completeness breakdown is served from it, and a service's
    change (after its commit) moves the round's version: the next read is fresh."""
    from kepu.stats.services import completeness

    settings.KEPU_STATS_FIGURES_CACHE = True
    survey = make_round()
    officer = User.objects.get(username="demo-county-a")
    province = Region.objects.get(code="51")
    total, _rows = completeness.breakdown(survey, province)
    assert total.assigned == 0
    with django_capture_on_commit_callbacks(execute=True):
        returns.assign(survey, county_a_unit(), actor=officer)
    total, _rows = completeness.breakdown(survey, province)
    assert total.assigned == 1
    # A row written behind the services' back does not move the version: still cached.
    other = county_b_unit()
    Return.objects.create(round=survey, organization=other, region=other.region)
    assert completeness.breakdown(survey, province)[0].assigned == 1
    settings.KEPU_STATS_FIGURES_CACHE = False
    assert completeness.breakdown(survey, province)[0].assigned == 2
