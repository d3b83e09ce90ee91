"""Rollups: counters by region × month × key, kept by the services, read by statistics.

A statistic over a province (500k orders, 2M hour entries) must not group raw rows per
request. Each app registers its metrics here with the raw query that defines them
(`register`). Its services call `add` inside the transaction that changes a fact: a new
order adds 1 to ("volunteering.orders", its region, its month, "submitted"); a status
change moves it from one key to another (`move`). Pages read the counters (`totals`,
`by_child`, `by_key`, `by_month`), which are a few hundred rows at most.

The raw definition stays the truth: `reconcile(metric)` recomputes a metric from it,
reports every counter that drifted and rewrites the metric (`manage.py rollups`, run on
a schedule; the dataset generator and the demo build them with `rebuild`). A test in
each app checks rollup = raw after a random sequence of service calls.

Grain: a month. Periods of whole months (month, quarter, year, and custom ranges, which
the statistics pages round to months) are exact.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from kepu.core.models import Region, Rollup
from kepu.core.querysets import subtree_bounds

# --- registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One counter family. `source()` returns the raw rows aggregated to the rollup's
    grain: an iterable of dicts (or a values() queryset) with region_id, month (a date,
    or a datetime/date inside the month), key and value."""

    name: str
    source: Callable[[], Iterable[dict]]
    description: str = ""


_metrics: dict[str, Metric] = {}


def register(name: str, source: Callable[[], Iterable[dict]], description: str = "") -> Metric:
    metric = Metric(name, source, description)
    _metrics[name] = metric
    return metric


def metrics() -> dict[str, Metric]:
    return dict(_metrics)


# --- writing --------------------------------------------------------------------------


def month_of(when) -> datetime.date:
    if isinstance(when, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(when):
            when = timezone.localtime(when)
        when = when.date()
    return when.replace(day=1)


_paths: dict[int, str] = {}


def _path(region) -> tuple[int, str]:
    if isinstance(region, Region):
        return region.pk, region.path
    region_id = int(region)
    path = _paths.get(region_id)
    if path is None:
        path = Region.objects.values_list("path", flat=True).get(pk=region_id)
        if len(_paths) > 100_000:
            _paths.clear()
        _paths[region_id] = path
    return region_id, path


def add_many(changes: Iterable[tuple[str, object, object, str, int]]) -> None:
    """Apply (metric, region or region id, when, key, delta) changes in one statement,
    inside the caller's transaction. Rows are locked in one fixed order (metric, region,
    month, key), so concurrent services cannot deadlock on them."""
    merged: dict[tuple, int] = defaultdict(int)
    paths = {}
    for metric, region, when, key, delta in changes:
        if region is None or not delta:
            continue
        region_id, path = _path(region)
        paths[region_id] = path
        merged[(metric, region_id, month_of(when), key or "")] += delta
    rows = sorted((k, v) for k, v in merged.items() if v)
    if not rows:
        return
    table = Rollup._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    params = []
    for (metric, region_id, month, key), delta in rows:
        params += [metric, region_id, paths[region_id], month, key, delta]
    sql = (
        f"INSERT INTO {table} (metric, region_id, path, month, key, value) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (metric, region_id, month, key) "
        f"DO UPDATE SET value = {table}.value + EXCLUDED.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def add(metric: str, region, when, key: str = "", delta: int = 1) -> None:
    add_many([(metric, region, when, key, delta)])


def move(metric: str, region, when, old_key: str, new_key: str) -> None:
    """A fact changed key (e.g. status): one less under the old key, one more under the new."""
    if old_key != new_key:
        add_many([(metric, region, when, old_key, -1), (metric, region, when, new_key, 1)])


# --- reading --------------------------------------------------------------------------


def _months(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Months overlapping [start, end) (end exclusive, as in core.periods)."""
    q = Q()
    if start is not None:
        q &= Q(month__gte=month_of(start))
    if end is not None:
        q &= Q(month__lt=end)
    return q


def rows(metric: str, focus: Region | None, start=None, end=None, keys=None):
    """The counters of `metric` in the subtree of `focus` (None: everywhere) within the
    months of [start, end)."""
    qs = Rollup.objects.filter(metric=metric).filter(_months(start, end))
    if focus is not None:
        low, high = subtree_bounds(focus.path)
        qs = qs.filter(path__gte=low, path__lt=high)
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    return qs


def total(metric: str, focus: Region | None, start=None, end=None, keys=None) -> int:
    return rows(metric, focus, start, end, keys).aggregate(n=Sum("value"))["n"] or 0


def by_key(metric: str, focus: Region | None, start=None, end=None) -> dict[str, int]:
    result = rows(metric, focus, start, end).values("key").annotate(n=Sum("value")).order_by()
    return {row["key"]: row["n"] for row in result if row["n"]}


def by_month(metric: str, focus: Region | None, start=None, end=None, keys=None):
    result = rows(metric, focus, start, end, keys).values("month").annotate(n=Sum("value"))
    return {row["month"]: row["n"] for row in result.order_by("month")}


def by_child(metric: str, focus: Region, start=None, end=None, keys=None, *, split_keys=False):
    """For each child region of `focus` (in code order): its subtree's total (or, with
    `split_keys`, {key: n}). Returns (rows, direct): direct is what is attached to
    `focus` itself."""
    children = list(Region.objects.filter(parent=focus).order_by("code"))
    inside = rows(metric, focus, start, end, keys)
    fields = ["_prefix", "key"] if split_keys else ["_prefix"]
    found: dict[str, object] = {}
    for length in sorted({len(c.path) for c in children}):
        grouped = (
            inside.exclude(path=focus.path)
            .annotate(_prefix=Substr("path", 1, length))
            .values(*fields)
            .annotate(n=Sum("value"))
            .order_by()
        )
        for row in grouped:
            if split_keys:
                found.setdefault(row["_prefix"], {})[row["key"]] = row["n"]
            else:
                found[row["_prefix"]] = row["n"]
    empty = {} if split_keys else 0
    direct_rows = inside.filter(path=focus.path)
    if split_keys:
        direct = {
            r["key"]: r["n"] for r in direct_rows.values("key").annotate(n=Sum("value")).order_by()
        }
    else:
        direct = direct_rows.aggregate(n=Sum("value"))["n"] or 0
    return [(child, found.get(child.path, empty)) for child in children], direct


# --- rebuilding and reconciling ---------------------------------------------------------


def _raw(metric: Metric) -> dict[tuple[int, datetime.date, str], int]:
    counts: dict[tuple[int, datetime.date, str], int] = defaultdict(int)
    for row in metric.source():
        if row["region_id"] is None or not row["value"]:
            continue
        counts[(row["region_id"], month_of(row["month"]), row["key"] or "")] += row["value"]
    return {k: v for k, v in counts.items() if v}


def _stored(name: str) -> dict[tuple[int, datetime.date, str], int]:
    return {
        (r, m, k): v
        for r, m, k, v in Rollup.objects.filter(metric=name)
        .exclude(value=0)
        .values_list("region_id", "month", "key", "value")
    }


def reconcile(name: str, *, fix: bool = True) -> list[dict]:
    """Compare the counters of metric `name` with its raw definition. Returns the drift
    (one dict per counter that differs) and, with `fix`, rewrites the metric from the raw
    rows (so a rebuild is a reconcile of an empty metric)."""
    metric = _metrics[name]
    with transaction.atomic():
        raw = _raw(metric)
        stored = _stored(name)
        drift = [
            {"region_id": k[0], "month": k[1], "key": k[2], "stored": stored.get(k, 0), "raw": v}
            for k, v in raw.items()
            if stored.get(k, 0) != v
        ]
        drift += [
            {"region_id": k[0], "month": k[1], "key": k[2], "stored": v, "raw": 0}
            for k, v in stored.items()
            if k not in raw
        ]
        if fix and (drift or not stored):
            _write(name, raw)
    return drift


def rebuild(name: str) -> int:
    """Rewrite metric `name` from its raw definition; returns the number of counters."""
    metric = _metrics[name]
    with transaction.atomic():
        raw = _raw(metric)
        _write(name, raw)
    return len(raw)


def _write(name: str, raw: dict) -> None:
    Rollup.objects.filter(metric=name).delete()
    paths = dict(Region.objects.filter(pk__in={k[0] for k in raw}).values_list("pk", "path"))
    objs = (
        Rollup(metric=name, region_id=r, path=paths[r], month=m, key=k, value=v)
        for (r, m, k), v in raw.items()
    )
    batch: list[Rollup] = []
    for obj in objs:
        batch.append(obj)
        if len(batch) >= 5000:
            Rollup.objects.bulk_create(batch)
            batch = []
    if batch:
        Rollup.objects.bulk_create(batch)


def rebuild_all(out: Callable[[str], None] | None = None) -> None:
    for name in sorted(_metrics):
        n = rebuild(name)
        if out:
            out(f"  {name}: {n} counters")


def monthly(qs: models.QuerySet, *, region: str, when: str, key: str | None = None, value=None):
    """Helper for `source` functions: `qs` grouped by region, month and key, as the dicts
    `register` expects. `region` and `when` (and `key`) are field lookups of `qs`;
    `value` an aggregate (default: a count of rows)."""
    from django.db.models import CharField, Count, F, Value
    from django.db.models.functions import Cast, TruncMonth

    annotations = {
        "_r": F(region),
        "_m": TruncMonth(when),
        "_k": Cast(F(key), CharField()) if key else Value(""),
    }
    grouped = qs.annotate(**annotations).values("_r", "_m", "_k").annotate(_v=value or Count("pk"))
    for row in grouped.order_by():
        yield {"region_id": row["_r"], "month": row["_m"], "key": row["_k"], "value": row["_v"]}


# --- raw counts by region (for facts that have no metric) ------------------------------


def counts_by_child_region(
    queryset, focus: Region, *, region_lookup="region", measures=None, aggregates=None
):
    """For each child region of `focus`: the counts of `queryset` rows in its subtree.

    `measures` maps a name to a Q (conditional count); "total" is always included;
    `aggregates` adds other aggregate expressions (e.g. Count("x", distinct=True)).
    Returns (rows, direct) where rows is [(child_region, {measure: n})] in code order and
    direct holds the counts of rows attached to `focus` itself.
    """
    measures = {"total": Q(), **(measures or {})}
    aggregates = {
        **{name: Count("pk", filter=q) if q else Count("pk") for name, q in measures.items()},
        **(aggregates or {}),
    }
    children = list(Region.objects.filter(parent=focus).order_by("code"))
    low, high = subtree_bounds(focus.path)
    path = f"{region_lookup}__path"
    inside = queryset.filter(**{f"{path}__gte": low, f"{path}__lt": high})
    by_prefix = {}
    for length in sorted({len(c.path) for c in children}):
        rows = (
            inside.annotate(_prefix=Substr(path, 1, length))
            .values("_prefix")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            by_prefix[row.pop("_prefix")] = row
    empty = dict.fromkeys(aggregates, 0)
    direct = inside.filter(**{region_lookup: focus}).aggregate(**aggregates)
    return [(child, by_prefix.get(child.path, empty)) for child in children], direct
