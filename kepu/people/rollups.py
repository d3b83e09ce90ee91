"""The registry's counters (see `kepu.core.rollups`), read by the statistics page and API.

The registry is a stock, not a flow: the statistics count people and registrations as
they stand. Counting them at the leaf region and month would give about one counter per
row (300k people over 3,300 towns and 46 months), no cheaper to add up than the rows. So:

- the region is the *county* (a town's row counts at its county; rows of a city or the
  province at that region): `by_child` of the province or any city reads a few thousand
  counters; a county's own statistics (by town) are counted from the rows (≈10k);
- stock metrics carry one fixed month (STOCK_MONTH): a stock has no month;
- only "certified since" is a flow, by the month of the registration's start date.

Every service that creates, changes or deletes a counted fact calls `changes_*` here
inside its transaction; `manage.py rollups` reconciles against `source()`.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, IntegerField, Value, When
from django.db.models.functions import Concat, TruncMonth

from kepu.core import rollups
from kepu.people.choices import HIGH_LEVEL_TITLES, RegistrationStatus

PEOPLE = "people.people"
REGISTRATIONS = "people.registrations"
CERTIFIED = "people.certified"
POOL_MEMBERS = "people.pool_members"
METRICS = (PEOPLE, REGISTRATIONS, CERTIFIED, POOL_MEMBERS)

STOCK_MONTH = datetime.date(2000, 1, 1)
COUNTY_LEVEL = 3


# --- grain -----------------------------------------------------------------------------


def county_id(region) -> int:
    """The region a row counts in: its county (level 3), or itself above that level.
    The region tree has four levels (province, city, county, town)."""
    if region.level <= COUNTY_LEVEL:
        return region.pk
    return region.parent_id


def _county_expr(lookup: str):
    return Case(
        When(**{f"{lookup}__level__gt": COUNTY_LEVEL}, then=F(f"{lookup}__parent_id")),
        default=F(f"{lookup}_id"),
        output_field=IntegerField(),
    )


# --- keys ------------------------------------------------------------------------------


def person_key(title_level: str, discipline: str) -> str:
    """`h|07`: high-level title (or `n`), then the discipline (blank when none)."""
    return f"{'h' if title_level in HIGH_LEVEL_TITLES else 'n'}|{discipline or ''}"


def registration_key(kind: str, status: str) -> str:
    return f"{kind}:{status}"


def pool_key(pool_id: int, available: bool) -> str:
    return f"{pool_id}:{'1' if available else '0'}"


# --- changes (called by the services, inside their transaction) ---------------------------


def person_state(person) -> tuple[int, str] | None:
    """What a person adds to the counters: (county, key), or None for an erased person
    (counted nowhere)."""
    if person.erased_at is not None or person.region_id is None:
        return None
    return county_id(person.region), person_key(person.title_level, person.discipline)


def person_moved(person, before, after) -> None:
    """Move a person's counts from state `before` to state `after` (either may be None).
    Their pool memberships move with them when the county changes (a person without a
    state has none: new, or erased)."""
    if before == after:
        return
    changes = []
    for state, delta in ((before, -1), (after, 1)):
        if state is not None:
            changes.append((PEOPLE, state[0], STOCK_MONTH, state[1], delta))
    if before is not None and (after is None or after[0] != before[0]):
        for pool_id, available in person.pool_memberships.values_list("pool_id", "available"):
            key = pool_key(pool_id, available)
            changes.append((POOL_MEMBERS, before[0], STOCK_MONTH, key, -1))
            if after is not None:
                changes.append((POOL_MEMBERS, after[0], STOCK_MONTH, key, 1))
    rollups.add_many(changes)


def registration_changes(registration, delta: int) -> list[tuple]:
    county = county_id(registration.region)
    key = registration_key(registration.kind, registration.status)
    changes = [(REGISTRATIONS, county, STOCK_MONTH, key, delta)]
    if registration.status == RegistrationStatus.CERTIFIED:
        changes.append((CERTIFIED, county, registration.start_date, "", delta))
    return changes


def registration_status_changed(registration, old_status: str) -> None:
    """After `registration.status` changed from `old_status` (same region and dates)."""
    old = registration.status
    registration.status = old_status
    changes = registration_changes(registration, -1)
    registration.status = old
    rollups.add_many([*changes, *registration_changes(registration, 1)])


def membership_changed(person, pool_id: int, available: bool, delta: int) -> None:
    """A pool membership counted (+1) or uncounted (-1) where its person lives now (read
    from the row: the caller's copy of the person may be older)."""
    from kepu.people.models import Person

    row = (
        Person.objects.filter(pk=person.pk, erased_at__isnull=True)
        .values_list("region__level", "region_id", "region__parent_id")
        .first()
    )
    if row is not None:
        level, region_id, parent_id = row
        county = region_id if level <= COUNTY_LEVEL else parent_id
        rollups.add(POOL_MEMBERS, county, STOCK_MONTH, pool_key(pool_id, available), delta)


# --- sources (the raw definitions: reconcile and rebuild) -----------------------------------


def _people_source():
    from kepu.people.models import Person

    high = Case(
        When(title_level__in=HIGH_LEVEL_TITLES, then=Value("h|")),
        default=Value("n|"),
        output_field=CharField(),
    )
    rows = (
        Person.objects.live()
        .annotate(
            _r=_county_expr("region"),
            _k=Concat(high, "discipline", output_field=CharField()),
        )
        .values("_r", "_k")
        .annotate(_v=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield {"region_id": row["_r"], "month": STOCK_MONTH, "key": row["_k"], "value": row["_v"]}


def _registrations_source():
    from kepu.people.models import Registration

    rows = (
        Registration.objects.annotate(
            _r=_county_expr("region"),
            _k=Concat("kind", Value(":"), "status", output_field=CharField()),
        )
        .values("_r", "_k")
        .annotate(_v=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield {"region_id": row["_r"], "month": STOCK_MONTH, "key": row["_k"], "value": row["_v"]}


def _certified_source():
    from kepu.people.models import Registration

    rows = (
        Registration.objects.filter(status=RegistrationStatus.CERTIFIED)
        .annotate(_r=_county_expr("region"), _m=TruncMonth("start_date"))
        .values("_r", "_m")
        .annotate(_v=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield {"region_id": row["_r"], "month": row["_m"], "key": "", "value": row["_v"]}


def _pool_members_source():
    from kepu.people.models import PoolMembership

    rows = (
        PoolMembership.objects.filter(person__erased_at__isnull=True)
        .annotate(_r=_county_expr("person__region"))
        .values("_r", "pool_id", "available")
        .annotate(_v=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield {
            "region_id": row["_r"],
            "month": STOCK_MONTH,
            "key": pool_key(row["pool_id"], row["available"]),
            "value": row["_v"],
        }


rollups.register(
    PEOPLE,
    _people_source,
    "Live people by county: key high-level title (h/n) | discipline; one fixed month.",
)
rollups.register(
    REGISTRATIONS,
    _registrations_source,
    "Registrations by county: key kind:status; one fixed month.",
)
rollups.register(
    CERTIFIED,
    _certified_source,
    "Certified registrations by county and month of their start date.",
)
rollups.register(
    POOL_MEMBERS,
    _pool_members_source,
    "Expert-pool members (live people) by the member's county: key pool id:available (1/0).",
)


def rebuild_all() -> None:
    """Rewrite the registry's counters from the rows (after a loader wrote rows in bulk)."""
    for name in METRICS:
        rollups.rebuild(name)
