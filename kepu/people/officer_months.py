"""The regions' monthly figures of information officers (`OfficerMonth`), computed by the
job `people.officer_months` for one month at a time (daily for the current and the last
month, and after each import), never per request.

Per county, from rows that are already small: certified information-officer
registrations (about 150k in a province, grouped once), and the officers' months
(`OfficerPersonMonth`, one row per active officer, kept by the services). Cities and the
province add their counties up; every region's rank among its siblings is stored with it.
A registration or an officer's month at a city or the province itself counts there."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Sum

from kepu.core import clock
from kepu.core.models import Region
from kepu.people import choices as c
from kepu.people import rollups as counters
from kepu.people.models import OfficerMonth, OfficerPersonMonth, Registration

FIELDS = ("registrations", "new_registrations", "actives", "activities", "views", "shares")
RANKED = ("registrations", "per_10k", "actives", "shares")


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _county_figures(month: datetime.date) -> dict[int, dict]:
    end = next_month(month)
    figures: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    certified = Registration.objects.filter(
        kind=c.RegistrationKind.INFO_OFFICER,
        status=c.RegistrationStatus.CERTIFIED,
        start_date__lt=end,
    )
    grain = counters._grain_expr("region", counters.COUNTY_LEVEL)
    rows = (
        certified.annotate(_c=grain)
        .values("_c")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("_c", "n")
    )
    for county, n in rows:
        figures[county]["registrations"] += n
    new = certified.filter(start_date__gte=month).annotate(_c=grain).values("_c").order_by()
    for county, n in new.annotate(n=Count("pk")).values_list("_c", "n"):
        figures[county]["new_registrations"] += n
    months = (
        OfficerPersonMonth.objects.filter(month=month)
        .values("county_id")
        .annotate(n=Count("pk"), a=Sum("activities"), v=Sum("views"), s=Sum("shares"))
        .order_by()
    )
    for row in months:
        f = figures[row["county_id"]]
        f["actives"] += row["n"]
        f["activities"] += row["a"] or 0
        f["views"] += row["v"] or 0
        f["shares"] += row["s"] or 0
    return figures


def _per_10k(registrations: int, population) -> Decimal | None:
    if not population:
        return None
    value = Decimal(registrations * 10000) / Decimal(population)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rank(rows: list[OfficerMonth]) -> None:
    """Competition ranking (1, 2, 2, 4) of siblings on each ranked figure; no rank for a
    region without population (per 10,000)."""
    for name in RANKED:
        values = [getattr(r, name) for r in rows]
        known = sorted((v for v in values if v is not None), reverse=True)
        for row in rows:
            value = getattr(row, name)
            rank = known.index(value) + 1 if value is not None else None
            setattr(row, f"rank_{name}", rank if name == "per_10k" else (rank or 1))
            row.siblings = len(rows)


@transaction.atomic
def compute_month(month: datetime.date) -> int:
    """Rewrite the month's rows of the province, its cities and counties."""
    month = month.replace(day=1)
    by_county = _county_figures(month)
    regions = {
        r.pk: r
        for r in Region.objects.filter(level__lte=counters.COUNTY_LEVEL).only(
            "pk", "parent_id", "level", "population", "code"
        )
    }
    totals: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for county_id, figures in by_county.items():
        region = regions.get(county_id)
        while region is not None:
            for name in FIELDS:
                totals[region.pk][name] += figures[name]
            region = regions.get(region.parent_id)
    # Every region of a province with any figure gets a row, and so do its siblings (a
    # county with nothing is ranked last, not left out).
    provinces = {r for r in totals if regions[r].level == 1}
    wanted = [r for r in regions.values() if _province_of(r, regions) in provinces]
    now = clock.now()
    rows = []
    for region in wanted:
        figures = totals.get(region.pk) or dict.fromkeys(FIELDS, 0)
        rows.append(
            OfficerMonth(
                region_id=region.pk,
                parent_id=region.parent_id,
                month=month,
                population=region.population,
                per_10k=_per_10k(figures["registrations"], region.population),
                computed_at=now,
                **figures,
            )
        )
    by_parent: dict = defaultdict(list)
    for row in rows:
        by_parent[row.parent_id].append(row)
    for siblings in by_parent.values():
        _rank(siblings)
    OfficerMonth.objects.filter(month=month).delete()
    OfficerMonth.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _province_of(region, regions):
    while region.parent_id is not None and region.parent_id in regions:
        region = regions[region.parent_id]
    return region.pk


def latest_month() -> datetime.date | None:
    return OfficerMonth.objects.order_by("-month").values_list("month", flat=True).first()


def recent_months(today: datetime.date | None = None) -> list[datetime.date]:
    this = (today or clock.today()).replace(day=1)
    last = (this - datetime.timedelta(days=1)).replace(day=1)
    return [last, this]
