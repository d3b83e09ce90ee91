"""The volunteer service counters (`kepu.core.rollups`): what the order list's status
tabs, the hour ledger's totals and the bulletin read instead of grouping raw rows.

Metrics (region × month × key → value). The "county" ones are kept at the county that
holds the row's region (a province or a city reads a few hundred of them, where the
township counters are tens of thousands):

- `volunteering.orders`: orders by county and status, all time (`month` 2000-01): the
  order list's status tabs;
- `volunteering.order_figures` (township grain) and `volunteering.order_figures_county`:
  the bulletin's order figures, each in the month of its own date: `received`
  (submitted_at), `dispatched` (dispatched_at; not since handed back for dispatch),
  `accepted` and `on_time` (accepted_at), `completed` (served_at; served or closed),
  `rated` and `rating_sum` (rated_at);
- `volunteering.order_kinds_county`: `category:received:<c>`, `category:completed:<c>`,
  `group:received:<g>`, `group:completed:<g>` in the month of submission or service;
- `volunteering.hours` (township grain) and `volunteering.hours_county`: hours by month
  of `started_at` and status, in hundredths of an hour (exact: two decimal places);
- `volunteering.ledger`: by county, all time, `hours:<status>` (1/100 h) and
  `entries:<status>`: the hour ledger's totals;
- `volunteering.active`: distinct volunteers with an approved entry, which do not add up
  over months or regions. Each counter is kept for the region whose subtree it counts,
  under the key of a standard period (`M2026-05`, `Q2026-2`, `Y2026`, or `ALL` for all
  time; its `month` is the period's first month, 2000-01 for `ALL`); a key with a leading
  `=` counts the entries attached to the region itself. Read it with `active_many()`,
  never by summing.

The services keep them in the transaction that changes the fact: an order's counters are
a function of its row (`order_facts`): `services.orders._locked` takes the facts before
a change and `_step`, which ends every change, adds the difference; hour entries likewise
(`entry_facts`); a newly approved entry adds 1 to each active-volunteer counter its
volunteer was not yet counted in (`count_active`, under the lock on the person).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import CharField, Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import (
    Cast,
    Concat,
    Round,
    Substr,
    TruncMonth,
    TruncQuarter,
    TruncYear,
)

from kepu.core import rollups
from kepu.core.models import Region

ORDERS = "volunteering.orders"
ORDER_FIGURES = "volunteering.order_figures"
ORDER_FIGURES_COUNTY = "volunteering.order_figures_county"
ORDER_KINDS_COUNTY = "volunteering.order_kinds_county"
HOURS = "volunteering.hours"
HOURS_COUNTY = "volunteering.hours_county"
LEDGER = "volunteering.ledger"
ACTIVE = "volunteering.active"
ALL_TIME = "ALL"
ALL_TIME_MONTH = datetime.date(2000, 1, 1)


# --- what one row contributes ---------------------------------------------------------------


def _served(status) -> bool:
    from kepu.volunteering.choices import OrderStatus as S

    return status in (S.SERVED, S.CLOSED)


_counties: dict[int, int] = {}


def county_of(region_id: int) -> int:
    """The county (level 3) that holds a region, or the region itself above that level:
    the grain of the coarse counters, which a province or city reads in a few hundred
    rows instead of tens of thousands of township counters."""
    county = _counties.get(region_id)
    if county is None:
        path = Region.objects.values_list("path", flat=True).get(pk=region_id)
        parts = [p for p in path.split("/") if p]
        county_path = "/".join(parts[:3]) + "/"
        county = region_id if len(parts) <= 3 else _region_ids([county_path])[county_path]
        if len(_counties) > 100_000:
            _counties.clear()
        _counties[region_id] = county
    return county


ORDER_FIGURE_KEYS = ("received", "dispatched", "accepted", "on_time", "completed", "rated")


def order_facts(order) -> Counter:
    """{(metric, region id, month, key): value} of one order as it is now."""
    from kepu.volunteering.choices import OrderStatus as S

    facts: Counter = Counter()
    region = order.region_id
    if order.pk is None or region is None:
        return facts
    county = county_of(region)
    facts[(ORDERS, county, ALL_TIME_MONTH, order.status)] += 1
    figures = [("received", order.submitted_at, 1)]
    kinds = [
        ("category:received:" + order.category, order.submitted_at),
        ("group:received:" + order.key_group, order.submitted_at),
    ]
    if order.dispatched_at and order.status != S.SUBMITTED:
        figures.append(("dispatched", order.dispatched_at, 1))
    if order.accepted_at:
        figures.append(("accepted", order.accepted_at, 1))
        if order.dispatched_on_time and order.accepted_on_time:
            figures.append(("on_time", order.accepted_at, 1))
    if order.served_at and _served(order.status):
        figures.append(("completed", order.served_at, 1))
        kinds += [
            ("category:completed:" + order.category, order.served_at),
            ("group:completed:" + order.key_group, order.served_at),
        ]
    if order.rated_at and order.rating is not None:
        figures += [("rated", order.rated_at, 1), ("rating_sum", order.rated_at, order.rating)]
    for key, when, value in figures:
        month = rollups.month_of(when)
        facts[(ORDER_FIGURES, region, month, key)] += value
        facts[(ORDER_FIGURES_COUNTY, county, month, key)] += value
    for key, when in kinds:
        facts[(ORDER_KINDS_COUNTY, county, rollups.month_of(when), key)] += 1
    return facts


def entry_facts(entry) -> Counter:
    facts: Counter = Counter()
    if entry.pk is None:
        return facts
    month = rollups.month_of(entry.started_at)
    county = county_of(entry.region_id)
    hundredths = int(round(entry.hours * 100))
    facts[(HOURS, entry.region_id, month, entry.status)] += hundredths
    facts[(HOURS_COUNTY, county, month, entry.status)] += hundredths
    facts[(LEDGER, county, ALL_TIME_MONTH, "hours:" + entry.status)] += hundredths
    facts[(LEDGER, county, ALL_TIME_MONTH, "entries:" + entry.status)] += 1
    return facts


def apply_difference(before: Counter, after: Counter) -> None:
    """Add `after - before` to the counters (inside the caller's transaction)."""
    changes = []
    for fact in set(before) | set(after):
        delta = after.get(fact, 0) - before.get(fact, 0)
        if delta:
            metric, region, month, key = fact
            changes.append((metric, region, month, key, delta))
    if changes:
        rollups.add_many(changes)


# --- distinct active volunteers ---------------------------------------------------------------


def period_keys(when) -> list[tuple[datetime.date, str]]:
    """(first month, key) of the month, quarter and year of `when`, and all time."""
    month = rollups.month_of(when)
    quarter = (month.month - 1) // 3 + 1
    return [
        (month, f"M{month:%Y-%m}"),
        (month.replace(month=3 * quarter - 2), f"Q{month.year}-{quarter}"),
        (month.replace(month=1), f"Y{month.year}"),
        (ALL_TIME_MONTH, ALL_TIME),
    ]


def period_key(period) -> tuple[datetime.date, str] | None:
    """The counter key of a core.periods.Period; None for a custom period."""
    from kepu.core import periods

    index = {periods.MONTH: 0, periods.QUARTER: 1, periods.YEAR: 2}.get(period.kind)
    if index is None:
        return None
    return period_keys(period.start)[index]


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


_ids_by_path: dict[str, int] = {}


def _region_ids(paths: Iterable[str]) -> dict[str, int]:
    paths = set(paths)
    missing = paths - _ids_by_path.keys()
    if missing:
        if len(_ids_by_path) > 100_000:
            _ids_by_path.clear()
        _ids_by_path.update(Region.objects.filter(path__in=missing).values_list("path", "pk"))
    return {p: _ids_by_path[p] for p in paths if p in _ids_by_path}


def _active_cells(path: str, when) -> set[tuple[str, datetime.date, str]]:
    """(region path, first month, key) of every active-volunteer counter an approved entry
    at `path` starting `when` falls in."""
    cells = set()
    for month, key in period_keys(when):
        cells.add((path, month, "=" + key))
        for ancestor in _ancestor_paths(path):
            cells.add((ancestor, month, key))
    return cells


def count_active(entries) -> None:
    """Entries just approved: add each volunteer to the active-volunteer counters they
    were not yet in. Call it after saving the approval, with the volunteers locked
    (services._lock_person), so that two approvals of one volunteer cannot both count."""
    from kepu.volunteering.choices import HourStatus
    from kepu.volunteering.models import HourEntry

    entries = list(entries)
    if not entries:
        return
    new_ids = {e.pk for e in entries}
    by_person = defaultdict(list)
    for entry in entries:
        by_person[entry.person_id].append(entry)
    earlier = defaultdict(set)
    rows = (
        HourEntry.objects.filter(person_id__in=by_person, status=HourStatus.APPROVED)
        .exclude(pk__in=new_ids)
        .values_list("person_id", "region__path", "started_at")
    )
    for person_id, path, started_at in rows:
        earlier[person_id] |= _active_cells(path, started_at)
    region_paths = dict(
        Region.objects.filter(pk__in={e.region_id for e in entries}).values_list("pk", "path")
    )
    paths = {e.pk: region_paths[e.region_id] for e in entries}
    added: set[tuple[str, datetime.date, str]] = set()
    for person_id, mine in by_person.items():
        cells = set()
        for entry in mine:
            cells |= _active_cells(paths[entry.pk], entry.started_at)
        added_here = cells - earlier[person_id]
        added |= {(person_id, *cell) for cell in added_here}
    if not added:
        return
    ids = _region_ids(path for _p, path, _m, _k in added)
    rollups.add_many((ACTIVE, ids[path], month, key, 1) for _p, path, month, key in added)


def active(region: Region, period, *, own: bool = False) -> int | None:
    """Distinct volunteers with an approved entry in `period` in the subtree of `region`
    (`own`: attached to `region` itself); None for a custom period."""
    cell = period_key(period) if period is not None else (ALL_TIME_MONTH, ALL_TIME)
    if cell is None:
        return None
    return active_many([region], cell, own=own).get(region.pk, 0)


def active_many(regions, cell, *, own: bool = False) -> dict[int, int]:
    from kepu.core.models import Rollup

    month, key = cell
    return dict(
        Rollup.objects.filter(
            metric=ACTIVE,
            region__in=[r.pk for r in regions],
            month=month,
            key="=" + key if own else key,
        ).values_list("region_id", "value")
    )


# --- the raw definitions (rebuild and reconcile) ----------------------------------------------


def _to_county(rows, *, timeless=False):
    for row in rows:
        yield {
            **row,
            "region_id": county_of(row["region_id"]),
            "month": ALL_TIME_MONTH if timeless else row["month"],
        }


def _orders_source():
    from kepu.volunteering.models import ServiceOrder

    rows = rollups.monthly(
        ServiceOrder.objects.all(), region="region_id", when="submitted_at", key="status"
    )
    return _to_county(rows, timeless=True)


def _keyed(qs, key, when, value=None):
    return rollups.monthly(
        qs.annotate(_key=key), region="region_id", when=when, key="_key", value=value
    )


def _order_figures_source():
    from kepu.volunteering.choices import OrderStatus as S
    from kepu.volunteering.models import ServiceOrder

    orders = ServiceOrder.objects.all()
    served = Q(served_at__isnull=False, status__in=(S.SERVED, S.CLOSED))
    rated = Q(rated_at__isnull=False, rating__isnull=False)
    yield from _keyed(orders, Value("received"), "submitted_at")
    yield from _keyed(
        orders.filter(dispatched_at__isnull=False).exclude(status=S.SUBMITTED),
        Value("dispatched"),
        "dispatched_at",
    )
    accepted = orders.filter(accepted_at__isnull=False)
    yield from _keyed(accepted, Value("accepted"), "accepted_at")
    yield from _keyed(
        accepted.filter(dispatched_on_time=True, accepted_on_time=True),
        Value("on_time"),
        "accepted_at",
    )
    yield from _keyed(orders.filter(served), Value("completed"), "served_at")
    yield from _keyed(orders.filter(rated), Value("rated"), "rated_at")
    yield from _keyed(orders.filter(rated), Value("rating_sum"), "rated_at", Sum("rating"))


def _order_kinds_source():
    from kepu.volunteering.choices import OrderStatus as S
    from kepu.volunteering.models import ServiceOrder

    orders = ServiceOrder.objects.all()
    served = orders.filter(served_at__isnull=False, status__in=(S.SERVED, S.CLOSED))
    for field, prefix in (("category", "category"), ("key_group", "group")):
        yield from _to_county(
            _keyed(orders, Concat(Value(f"{prefix}:received:"), F(field)), "submitted_at")
        )
        yield from _to_county(
            _keyed(served, Concat(Value(f"{prefix}:completed:"), F(field)), "served_at")
        )


def _hours_source():
    from kepu.volunteering.models import HourEntry

    hundredths = Sum(Cast(Round(F("hours") * 100), IntegerField()))
    return rollups.monthly(
        HourEntry.objects.all(),
        region="region_id",
        when="started_at",
        key="status",
        value=hundredths,
    )


def _ledger_source():
    from kepu.volunteering.models import HourEntry

    for row in _to_county(_hours_source(), timeless=True):
        yield {**row, "key": "hours:" + row["key"]}
    entries = rollups.monthly(
        HourEntry.objects.all(), region="region_id", when="started_at", key="status"
    )
    for row in _to_county(entries, timeless=True):
        yield {**row, "key": "entries:" + row["key"]}


PERIOD_TRUNCS = (("M", TruncMonth), ("Q", TruncQuarter), ("Y", TruncYear), (ALL_TIME, None))


def _period_key(kind: str, first) -> tuple[datetime.date, str]:
    first = rollups.month_of(first) if first is not None else ALL_TIME_MONTH
    if kind == "M":
        return first, f"M{first:%Y-%m}"
    if kind == "Q":
        return first, f"Q{first.year}-{(first.month - 1) // 3 + 1}"
    if kind == "Y":
        return first, f"Y{first.year}"
    return ALL_TIME_MONTH, ALL_TIME


def _active_source():
    """Distinct volunteers per region subtree (each level's regions grouped by their path
    prefix) and per region itself, for each kind of period."""
    from kepu.volunteering.choices import HourStatus
    from kepu.volunteering.models import HourEntry

    approved = HourEntry.objects.filter(status=HourStatus.APPROVED)
    lengths = defaultdict(dict)  # level -> {path length: {path: id}}
    for level, path, pk in Region.objects.values_list("level", "path", "pk").iterator():
        lengths[level].setdefault(len(path), {})[path] = pk
    for kind, trunc in PERIOD_TRUNCS:
        period = {"_p": trunc("started_at")} if trunc else {"_p": Value(None, CharField())}
        own = (
            approved.annotate(**period)
            .values("region_id", "_p")
            .annotate(n=Count("person_id", distinct=True))
        )
        for row in own.order_by():
            month, key = _period_key(kind, row["_p"])
            yield {
                "region_id": row["region_id"],
                "month": month,
                "key": "=" + key,
                "value": row["n"],
            }
        for level, by_length in sorted(lengths.items()):
            for length, ids in sorted(by_length.items()):
                rows = (
                    approved.filter(region__level__gte=level)
                    .annotate(_prefix=Substr("region__path", 1, length), **period)
                    .values("_prefix", "_p")
                    .annotate(n=Count("person_id", distinct=True))
                    .order_by()
                )
                for row in rows:
                    region_id = ids.get(row["_prefix"])
                    if region_id is not None:
                        month, key = _period_key(kind, row["_p"])
                        yield {
                            "region_id": region_id,
                            "month": month,
                            "key": key,
                            "value": row["n"],
                        }


rollups.register(ORDERS, _orders_source, "Service orders by county and status (all time).")
rollups.register(
    ORDER_FIGURES, _order_figures_source, "The bulletin's order figures, by the month of each."
)
rollups.register(
    ORDER_FIGURES_COUNTY,
    lambda: _to_county(_order_figures_source()),
    "The bulletin's order figures by county, for provinces and cities.",
)
rollups.register(
    ORDER_KINDS_COUNTY,
    _order_kinds_source,
    "Orders received and completed by category and target group, by county.",
)
rollups.register(HOURS, _hours_source, "Hours (1/100 h) by region, month started and status.")
rollups.register(
    HOURS_COUNTY, lambda: _to_county(_hours_source()), "Hours (1/100 h) by county and month."
)
rollups.register(LEDGER, _ledger_source, "Hours (1/100 h) and entries by county and status.")
rollups.register(
    ACTIVE, _active_source, "Distinct volunteers with approved hours per region and period."
)
