"""The plans indicators "national bases" and "provincial bases", counted from the
registry (listed bases of that level recognized after the baseline), and Qingyuan's
plan measuring its targets from the demo registry."""

import datetime
from decimal import Decimal

import pytest

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.demo import registry as registry_demo
from kepu.bases.tests.helpers import make_base
from kepu.core import invariants
from kepu.core.models import Organization, Region
from kepu.plans import indicators

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2021, 12, 31)
UNTIL = datetime.date(2025, 12, 31)


def _provincial(name, code, valid_from, **kw):
    return make_base(
        name, region_code=code, level=c.BaseLevel.PROVINCIAL, valid_from=valid_from, **kw
    )


def test_provincial_bases_are_counted_by_region_and_unit():
    in_window = _provincial("指标基地一", "510104", datetime.date(2022, 5, 1))
    _provincial("指标基地二", "510104", datetime.date(2025, 12, 31))
    _provincial("指标基地三", "510703", datetime.date(2024, 1, 1))
    _provincial("指标基地早", "510104", datetime.date(2021, 12, 31))  # the baseline's own
    _provincial("指标基地晚", "510104", datetime.date(2026, 1, 1))  # after the window
    revoked = _provincial("指标基地撤", "510104", datetime.date(2023, 1, 1))
    services.set_base_status(revoked, c.BaseStatus.REVOKED, actor=None, reason="测试")
    make_base("指标县级", region_code="510104", valid_from=datetime.date(2023, 1, 1))
    indicator = indicators.REGISTRY["bases.provincial"]
    regions = list(Region.objects.filter(code__in=["51", "5101", "510104", "510703", "4418"]))
    got = indicator.for_regions(regions, SINCE, UNTIL)
    counts = {r.code: got[r.pk] for r in regions}
    assert counts == {"51": 3, "5101": 2, "510104": 2, "510703": 1, "4418": 0}
    assert indicator.for_units([in_window.organization], SINCE, UNTIL) == {
        in_window.organization_id: 1
    }
    national = indicators.REGISTRY["bases.national"]
    assert national.for_regions(regions, SINCE, UNTIL)[regions[0].pk] == 0
    assert ("bases.provincial", indicators.REGISTRY["bases.provincial"].label) in (
        indicators.choices()
    )


def test_qingyuan_targets_are_measured_from_the_registry():
    from kepu.plans import demo as plans_demo
    from kepu.plans.models import Plan
    from kepu.plans.progress import actual_values

    plans_demo.load_demo(300)
    assert registry_demo._qingyuan() == len(registry_demo.QINGYUAN_BASES)
    assert registry_demo._qingyuan() == 0  # idempotent
    assert invariants.check(["bases"]) == []
    plan = Plan.objects.get(region__code="4418")
    targets = {t.name: t for t in plan.targets.all()}
    provincial, national = targets["省级科普教育基地"], targets["国家级科普教育基地"]
    assert (provincial.source, provincial.indicator) == ("measured", "bases.provincial")
    assert (national.source, national.indicator) == ("measured", "bases.national")
    values = actual_values([provincial, national])
    assert values[provincial.pk] == Decimal(31 + 16)
    assert values[national.pk] == Decimal(1)
    # Each Qingyuan base lies in its unit's region, the unit made through core services.
    unit = Organization.objects.get(name="清远市科学技术馆")
    assert unit.bases.get().region_id == unit.region_id
