"""Bases and venues at benchmark scale (see `kepu.core.dataset`), one section per area.

Registry: 5,000 bases at province scale across the province's units (one base per unit,
so never two listed at one level), about 1 % national, 10 % provincial, 30 % city-level
and the rest county-level; where the unit has a published place in the catalog, that
place is the base's (one record, not two). Rows are in the states the services leave:
a listed base's five-year validity covers today, an expired one's ended before today, a
warned, rectifying or revoked one carries its reason; each lies in its unit's region."""

from __future__ import annotations

import datetime

from kepu.bases import choices as c
from kepu.bases import dataset_annual
from kepu.bases.models import Base
from kepu.bases.services.registry import cycle_end
from kepu.core.dataset import Dataset
from kepu.core.models import Organization
from kepu.core.querysets import subtree_bounds

BASES = 5_000
LEVEL_WEIGHTS = {
    c.BaseLevel.NATIONAL: 1,
    c.BaseLevel.PROVINCIAL: 10,
    c.BaseLevel.CITY: 30,
    c.BaseLevel.COUNTY: 59,
}
STATUS_WEIGHTS = {
    c.BaseStatus.ACTIVE: 90,
    c.BaseStatus.WARNED: 3,
    c.BaseStatus.RECTIFYING: 2,
    c.BaseStatus.EXPIRED: 3,
    c.BaseStatus.REVOKED: 2,
}
REASONS = {
    c.BaseStatus.WARNED: "年度评估得分低于60分",
    c.BaseStatus.RECTIFYING: "抽查发现展品长期损坏未修复",
    c.BaseStatus.REVOKED: "整改期满复查仍不合格",
}
CATEGORY_WEIGHTS = {
    c.BaseCategory.VENUE: 25,
    c.BaseCategory.RESEARCH: 20,
    c.BaseCategory.RURAL: 20,
    c.BaseCategory.ENTERPRISE: 10,
    c.BaseCategory.NATURE: 15,
    c.BaseCategory.OTHER: 10,
}
HOURS = ["周二至周日 9:00—17:00", "每日 8:30—17:30", "周一闭馆，其余 9:00—17:00"]


def _n(ds: Dataset, full: int, least: int = 1) -> int:
    return max(least, round(full * ds.factor))


def _units(ds: Dataset, n: int) -> list[tuple[int, int, int | None]]:
    """(unit id, region id, place id or None) for `n` distinct units of the province,
    those with a published catalog place first."""
    from kepu.resources.choices import ResourceStatus, ResourceType
    from kepu.resources.models import Resource

    low, high = subtree_bounds(ds.province.path)
    places: dict[int, int] = {}
    rows = (
        Resource.objects.filter(
            resource_type=ResourceType.PLACE,
            status=ResourceStatus.PUBLISHED,
            organization__isnull=False,
            organization__region__path__gte=low,
            organization__region__path__lt=high,
        )
        .order_by("pk")
        .values_list("organization_id", "pk")
    )
    for unit, place in rows.iterator(chunk_size=5000):
        places.setdefault(unit, place)
    units = list(
        Organization.objects.filter(region__path__gte=low, region__path__lt=high)
        .order_by("pk")
        .values_list("pk", "region_id")
    )
    ds.rng.shuffle(units)
    units.sort(key=lambda u: u[0] not in places)  # stable: placed units first
    return [(pk, region, places.get(pk)) for pk, region in units[:n]]


def _registry(ds: Dataset) -> int:
    # BASES listed bases (the 5,000: what evaluations, subsidies and the census
    # cover), and one in twenty more that expired or were revoked.
    listed = _n(ds, BASES, 20)
    units = _units(ds, listed + listed // 20)
    levels, level_w = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    listed_statuses = [s for s in STATUS_WEIGHTS if s in c.LISTED_STATUSES]
    gone_statuses = [s for s in STATUS_WEIGHTS if s not in c.LISTED_STATUSES]
    categories, category_w = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    today = ds.today
    rows = []
    for i, ((unit, region, place), pk) in enumerate(
        zip(units, ds.ids(Base, len(units)), strict=True)
    ):
        level = ds.rng.choices(levels, level_w)[0]
        statuses = listed_statuses if i < listed else gone_statuses
        status = ds.rng.choices(statuses, [STATUS_WEIGHTS[s] for s in statuses])[0]
        if status == c.BaseStatus.EXPIRED:
            valid_from = today - datetime.timedelta(days=ds.rng.randint(1830, 2600))
        else:  # a cycle still running (five years = 1,826 days or more)
            valid_from = today - datetime.timedelta(days=ds.rng.randint(0, 1700))
        rows.append({
            "id": pk,
            "name": f"科普教育基地{pk:05d}",
            "level": level,
            "category": ds.rng.choices(categories, category_w)[0],
            "organization_id": unit,
            "region_id": region,
            "place_id": place,
            "batch": f"{valid_from.year}年度科普教育基地",
            "number": f"BM-{valid_from.year}-{pk:06d}",
            "valid_from": valid_from,
            "valid_to": cycle_end(valid_from),
            "status": status,
            "status_reason": REASONS.get(status, ""),
            "contact_name": ds.rng.choice(["王老师", "李老师", "陈主任", "刘科长"]),
            "contact_phone": f"028-8{ds.rng.randint(1000000, 9999999)}",
            "open_days": ds.rng.choice([180, 220, 260, 280, 300, 320]),
            "opening_hours": ds.rng.choice(HOURS),
            "area_m2": ds.rng.choice([300, 800, 1200, 2500, 6000]),
            "staff": ds.rng.randint(2, 40),
            "docents": ds.rng.randint(1, 25),
            "created_at": ds.now - datetime.timedelta(days=ds.rng.randint(0, 30)),
        })  # fmt: skip
    return ds.insert(Base, rows)


# (keep these blank lines: each area adds its section above `generate`)


def generate(ds: Dataset) -> None:
    ds.step("bases registry", lambda: _registry(ds))
    ds.step("base annual reports", lambda: dataset_annual.generate_reports(ds))
    ds.move_sequences(Base)
