"""The catalog's rollup counters (`kepu.core.rollups`), kept by the services.

- `resources.entries`: every entry, keyed `"<status>|<type>"` (the back-office list's
  status tabs);
- `resources.public`: the published entries, keyed `"<type>|<e>|"` (e: "1" in the
  emergency library, else "0") once per entry and `"<type>|<e>|<kind>:<code>"` once per
  tag (the public catalog's facets: types, key groups, topics, hazards, the emergency
  library, regions).

Both count the entries as they are now (a state, not events in time), so they are kept
under one fixed month (EPOCH), and an entry of a town counts at its county (COUNTED_LEVEL):
the province's counters are then a few thousand rows (at the leaf region and the month
of publication they were 233,158 for 69k published entries, as many as the entries
themselves). They answer for a region of county level or above; below it, the pages
count the raw rows of that small subtree.

The services wrap every change of an entry in `tracked(resource)`: the entry's counters
before the change are taken off and those after it added, in the same transaction (a
change that touches no counted field adds nothing). The same block makes the public
pages stale (`publiccache.bump("resources")`) when the entry is or was public.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import Concat

from kepu.core import publiccache, rollups
from kepu.resources import choices as c
from kepu.resources.models import Resource, ResourceTag

ENTRIES = "resources.entries"
PUBLIC = "resources.public"
PUBLIC_TAG = "resources"  # the public cache's tag of every catalog page and file
EPOCH = datetime.date(2000, 1, 1)
COUNTED_LEVEL = 3  # the county


def _counted_region(prefix=""):
    """The region an entry counts at: its own up to county level, else its parent (the
    region tree has four levels: province, city, county, town)."""
    return Case(
        When(**{f"{prefix}region__level__gt": COUNTED_LEVEL}, then=F(f"{prefix}region__parent_id")),
        default=F(f"{prefix}region_id"),
    )


def _grouped(qs, prefix=""):
    rows = (
        qs.annotate(_r=_counted_region(prefix))
        .values("_r", "_key")
        .annotate(_v=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield {"region_id": row["_r"], "month": EPOCH, "key": row["_key"], "value": row["_v"]}


def _flag(prefix=""):
    return Case(
        When(**{f"{prefix}is_emergency": True}, then=Value("1")),
        default=Value("0"),
        output_field=CharField(),
    )


def _entries_source():
    qs = Resource.objects.annotate(
        _key=Concat(F("status"), Value("|"), F("resource_type"), output_field=CharField())
    )
    return _grouped(qs)


def public_counts(entries=None):
    """The `resources.public` counters of the published `entries` (a queryset of them;
    by default all), as rows {region_id, month, key, value}: the metric's source, and the
    facets of a search (the same counters over the entries that match the words)."""
    if entries is None:
        entries = Resource.objects.published().filter(published_at__isnull=False)
    keyed = entries.annotate(
        _key=Concat(F("resource_type"), Value("|"), _flag(), Value("|"), output_field=CharField())
    )
    yield from _grouped(keyed)
    # One row per entry and tag, from the entries' side (the entries are read once).
    tags = entries.filter(tags__isnull=False).annotate(
        _key=Concat(
            F("resource_type"),
            Value("|"),
            _flag(),
            Value("|"),
            F("tags__kind"),
            Value(":"),
            F("tags__code"),
            output_field=CharField(),
        )
    )
    yield from _grouped(tags)


rollups.register(ENTRIES, _entries_source, "catalog entries by status and type")
rollups.register(PUBLIC, public_counts, "published entries by type, emergency and tag")


def public_key(resource_type: str, emergency: bool, tag: str = "") -> str:
    return f"{resource_type}|{'1' if emergency else '0'}|{tag}"


def counters(resource_id) -> list[tuple]:
    """The (metric, region id, when, key, 1) counters of one entry as stored now."""
    row = (
        Resource.objects.filter(pk=resource_id)
        .annotate(_r=_counted_region())
        .values("status", "resource_type", "_r", "published_at", "is_emergency")
        .first()
    )
    if row is None:
        return []
    region, when = row["_r"], EPOCH
    out = [(ENTRIES, region, when, f"{row['status']}|{row['resource_type']}", 1)]
    if row["status"] == c.ResourceStatus.PUBLISHED and row["published_at"] is not None:
        out.append((PUBLIC, region, when, public_key(row["resource_type"], row["is_emergency"]), 1))
        for kind, code in ResourceTag.objects.filter(resource_id=resource_id).values_list(
            "kind", "code"
        ):
            key = public_key(row["resource_type"], row["is_emergency"], f"{kind}:{code}")
            out.append((PUBLIC, region, when, key, 1))
    return out


def _is_public(counted) -> bool:
    return any(metric == PUBLIC for metric, *_rest in counted)


def _apply(before, after) -> None:
    rollups.add_many([(m, r, w, k, -d) for m, r, w, k, d in before] + after)
    if _is_public(before) or _is_public(after):
        publiccache.bump(PUBLIC_TAG)


@contextmanager
def tracked(resource):
    """Keep the counters (and the public pages) in step with what the block changes in
    `resource` (locked by the caller)."""
    before = counters(resource.pk)
    yield
    _apply(before, counters(resource.pk))


def added(resource) -> None:
    """Count a new entry (in the transaction that created it)."""
    _apply([], counters(resource.pk))


def bump_if_public(resource) -> None:
    """Something the portal shows of `resource` changed (a live file, a date)."""
    if resource.status == c.ResourceStatus.PUBLISHED:
        publiccache.bump(PUBLIC_TAG)


def rebuild() -> None:
    """After bulk writes (the demo loader): both metrics from the raw rows."""
    rollups.rebuild(ENTRIES)
    rollups.rebuild(PUBLIC)
