"""Indicators read for many regions at once (issue 16): the grouped query and the rollup
counters give the same counts as counting each region's rows."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from kepu.core import rollups
from kepu.core.models import Region
from kepu.plans import indicators
from kepu.plans.indicators import INDICATORS, RollupSource

pytestmark = pytest.mark.django_db


def _regions():
    return list(Region.objects.filter(code__startswith="51", level__in=(2, 3)))


def _expected(indicator, regions, since, until):
    rows = indicator.rows().filter(indicator.window(since, until))
    return {r.pk: rows.filter(indicator._in_region(r)).count() for r in regions}


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.code)
def test_for_regions_counts_each_region_s_rows(indicator):
    regions = _regions()
    until = timezone.localdate()
    since = until - datetime.timedelta(days=3 * 365)
    counts = indicator.for_regions(regions, since, until)
    assert counts == _expected(indicator, regions, since, until)
    county = [r for r in regions if r.code == "510104"]
    assert indicator.for_regions(county, since, until) == _expected(indicator, county, since, until)


def test_the_rollup_source_gives_the_same_counts_with_partial_months():
    from kepu.activities.models import Activity

    name = "plans.test_published_activities"
    rollups.register(
        name,
        lambda: rollups.monthly(
            Activity.objects.filter(status="published"), region="region_id", when="starts_at"
        ),
    )
    try:
        rollups.rebuild(name)
        raw = indicators.REGISTRY["activities.published"]
        counted = dataclasses.replace(raw, rollup=RollupSource(name))
        regions = _regions()
        today = timezone.localdate()
        for since, until in (
            (today - datetime.timedelta(days=400), today),  # both ends partial
            (datetime.date(2024, 12, 31), datetime.date(2025, 12, 31)),  # whole months
            (today - datetime.timedelta(days=10), today),  # no whole month
        ):
            assert counted.for_regions(regions, since, until) == raw.for_regions(
                regions, since, until
            )
            assert raw.for_regions(regions, since, until) == _expected(raw, regions, since, until)
    finally:
        rollups._metrics.pop(name, None)
