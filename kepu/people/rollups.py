"""The registry's counters (see `kepu.core.rollups`), read by the statistics page and API,
the list headers and the pool list.

The registry is a stock, not a flow: the statistics count people and registrations as
they stand. Counting them at the leaf region and month would give about one counter per
row (300k people over 3,300 towns and 46 months), no cheaper to add up than the rows. So:

- a row counts at its *county* (a town's row at its county; rows of a city or of the
  province at that region). `by_child` of a city reads its counties' counters; a county's
  own statistics (by town) are counted from its rows (≈10k at most);
- the metrics read per city for the province (registrations, certified by month,
  disciplines) have a twin counted at the *city* (`CITY[metric]`), so that the province's
  statistics add up a few hundred counters, not thousands;
- stock metrics carry one fixed month (STOCK_MONTH): a stock has no month; only
  "certified since" is a flow, by the month of the registration's start date;
- distinct disciplines do not add up across regions: DISCIPLINES counts people per
  discipline, and a region's distinct disciplines are the keys with a count.

Every service that creates, changes or deletes a counted fact calls the functions here
inside its transaction; `manage.py rollups` reconciles every metric against `source()`.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, IntegerField, Value, When
from django.db.models.functions import Cast, Concat, TruncMonth

from kepu.core import rollups
from kepu.people.choices import HIGH_LEVEL_TITLES, RegistrationStatus

PEOPLE = "people.people"  # live people; key h (high-level title) or n
DISCIPLINES = "people.disciplines"  # live people with a discipline; key the discipline
REGISTRATIONS = "people.registrations"  # key kind:status
CERTIFIED = "people.certified"  # certified registrations by month of start
POOL_MEMBERS = "people.pool_members"  # key pool id:available (1/0), at the member's county
CITY = {name: f"{name}.city" for name in (DISCIPLINES, REGISTRATIONS, CERTIFIED)}
METRICS = (PEOPLE, DISCIPLINES, REGISTRATIONS, CERTIFIED, POOL_MEMBERS, *CITY.values())

STOCK_MONTH = datetime.date(2000, 1, 1)
CITY_LEVEL = 2
COUNTY_LEVEL = 3


def for_focus(metric: str, focus) -> str:
    """The metric to add up under `focus`: the city twin for the province (its children
    are cities), else the county metric."""
    if focus is not None and focus.level < CITY_LEVEL and metric in CITY:
        return CITY[metric]
    return metric


# --- grain -----------------------------------------------------------------------------

_city_of: dict[int, int] = {}


def place(region) -> tuple[int, int]:
    """(county id, city id) where a row of `region` counts; a region above a level is its
    own county (or city). The region tree has four levels (province, city, county, town)."""
    if region.level <= CITY_LEVEL:
        return region.pk, region.pk
    if region.level == COUNTY_LEVEL:
        return region.pk, region.parent_id
    county = region.parent_id
    city = _city_of.get(county)
    if city is None:
        from kepu.core.models import Region

        city = Region.objects.values_list("parent_id", flat=True).get(pk=county)
        _city_of[county] = city
    return county, city


def _grain_expr(lookup: str, level: int):
    """The id of the county (level 3) or city (level 2) of the region at `lookup`."""
    whens = [When(**{f"{lookup}__level__gt": COUNTY_LEVEL}, then=F(f"{lookup}__parent_id"))]
    if level == CITY_LEVEL:
        whens = [
            When(**{f"{lookup}__level__gt": COUNTY_LEVEL}, then=F(f"{lookup}__parent__parent_id")),
            When(**{f"{lookup}__level": COUNTY_LEVEL}, then=F(f"{lookup}__parent_id")),
        ]
    return Case(*whens, default=F(f"{lookup}_id"), output_field=IntegerField())


# --- keys ------------------------------------------------------------------------------


def person_key(title_level: str) -> str:
    return "h" if title_level in HIGH_LEVEL_TITLES else "n"


def registration_key(kind: str, status: str) -> str:
    return f"{kind}:{status}"


def pool_key(pool_id: int, available: bool) -> str:
    return f"{pool_id}:{'1' if available else '0'}"


def _counts(metric: str, where: tuple[int, int], month, key: str, delta: int) -> list[tuple]:
    county, city = where
    changes = [(metric, county, month, key, delta)]
    if metric in CITY:
        changes.append((CITY[metric], city, month, key, delta))
    return changes


# --- changes (called by the services, inside their transaction) ---------------------------


def person_state(person) -> tuple | None:
    """What a person adds to the counters: (place, title key, discipline), or None for an
    erased person (counted nowhere)."""
    if person.erased_at is not None or person.region_id is None:
        return None
    return place(person.region), person_key(person.title_level), person.discipline or ""


def state_of(region, title_level: str, discipline: str) -> tuple:
    """The state of a live person with these values (e.g. from an audit snapshot)."""
    return place(region), person_key(title_level), discipline or ""


def person_changes(state, delta: int) -> list[tuple]:
    where, key, discipline = state
    changes = _counts(PEOPLE, where, STOCK_MONTH, key, delta)
    if discipline:
        changes += _counts(DISCIPLINES, where, STOCK_MONTH, discipline, delta)
    return changes


def person_moved(person, before, after) -> None:
    """Move a person's counts from state `before` to state `after` (either may be None).
    Their pool memberships move with them when the county changes (a person without a
    state has none: new, or erased)."""
    if before == after:
        return
    changes = []
    for state, delta in ((before, -1), (after, 1)):
        if state is not None:
            changes += person_changes(state, delta)
    if before is not None and (after is None or after[0][0] != before[0][0]):
        for pool_id, available in person.pool_memberships.values_list("pool_id", "available"):
            key = pool_key(pool_id, available)
            changes.append((POOL_MEMBERS, before[0][0], STOCK_MONTH, key, -1))
            if after is not None:
                changes.append((POOL_MEMBERS, after[0][0], STOCK_MONTH, key, 1))
    rollups.add_many(changes)


def registration_changes(registration, delta: int) -> list[tuple]:
    where = place(registration.region)
    key = registration_key(registration.kind, registration.status)
    changes = _counts(REGISTRATIONS, where, STOCK_MONTH, key, delta)
    if registration.status == RegistrationStatus.CERTIFIED:
        changes += _counts(CERTIFIED, where, registration.start_date, "", delta)
    return changes


def registration_status_changed(registration, old_status: str) -> None:
    """After `registration.status` changed from `old_status` (same region and dates)."""
    new_status = registration.status
    registration.status = old_status
    changes = registration_changes(registration, -1)
    registration.status = new_status
    rollups.add_many([*changes, *registration_changes(registration, 1)])


def membership_changed(person_id: int, pool_id: int, available: bool, delta: int) -> None:
    """A pool membership counted (+1) or uncounted (-1) where its person lives now (read
    from the row: the caller's copy of the person may be older)."""
    from kepu.people.models import Person

    row = (
        Person.objects.filter(pk=person_id, erased_at__isnull=True)
        .values_list("region__level", "region_id", "region__parent_id")
        .first()
    )
    if row is not None:
        level, region_id, parent_id = row
        county = region_id if level <= COUNTY_LEVEL else parent_id
        rollups.add(POOL_MEMBERS, county, STOCK_MONTH, pool_key(pool_id, available), delta)


# --- sources (the raw definitions: reconcile and rebuild) -----------------------------------


def _rows(queryset, region: str, level: int, key, month=None):
    rows = (
        queryset.annotate(_r=_grain_expr(region, level), _k=key, _m=month or Value(STOCK_MONTH))
        .values("_r", "_k", "_m")
        .annotate(_v=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield {"region_id": row["_r"], "month": row["_m"], "key": row["_k"], "value": row["_v"]}


def _people(level=COUNTY_LEVEL):
    from kepu.people.models import Person

    high = Case(
        When(title_level__in=HIGH_LEVEL_TITLES, then=Value("h")),
        default=Value("n"),
        output_field=CharField(),
    )
    return _rows(Person.objects.live(), "region", level, high)


def _disciplines(level=COUNTY_LEVEL):
    from kepu.people.models import Person

    people = Person.objects.live().exclude(discipline="")
    return _rows(people, "region", level, F("discipline"))


def _registrations(level=COUNTY_LEVEL):
    from kepu.people.models import Registration

    key = Concat("kind", Value(":"), "status", output_field=CharField())
    return _rows(Registration.objects.all(), "region", level, key)


def _certified(level=COUNTY_LEVEL):
    from kepu.people.models import Registration

    certified = Registration.objects.filter(status=RegistrationStatus.CERTIFIED)
    return _rows(certified, "region", level, Value(""), TruncMonth("start_date"))


def _pool_members():
    from kepu.people.models import PoolMembership

    key = Concat(
        Cast("pool_id", CharField()),
        Case(When(available=True, then=Value(":1")), default=Value(":0")),
        output_field=CharField(),
    )
    members = PoolMembership.objects.filter(person__erased_at__isnull=True)
    return _rows(members, "person__region", COUNTY_LEVEL, key)


rollups.register(PEOPLE, _people, "Live people by county; key h (high-level title) or n.")
rollups.register(
    DISCIPLINES, _disciplines, "Live people with a discipline by county; key the discipline."
)
rollups.register(REGISTRATIONS, _registrations, "Registrations by county; key kind:status.")
rollups.register(
    CERTIFIED, _certified, "Certified registrations by county and month of their start date."
)
rollups.register(
    POOL_MEMBERS,
    _pool_members,
    "Expert-pool members (live people) by the member's county; key pool id:available (1/0).",
)
for _name, _source in (
    (DISCIPLINES, _disciplines),
    (REGISTRATIONS, _registrations),
    (CERTIFIED, _certified),
):
    rollups.register(
        CITY[_name],
        lambda source=_source: source(CITY_LEVEL),
        f"{_name}, counted at the city (read for the province).",
    )


def rebuild_all() -> None:
    """Rewrite the registry's counters from the rows (after a loader wrote rows in bulk)."""
    for name in METRICS:
        rollups.rebuild(name)


# --- training completions (a flow: by the session's region and the month of completion) --

TRAINING_COMPLETIONS = "people.training_completions"  # key the course's audience


def _training_completions():
    from kepu.people.choices import EnrolmentStatus
    from kepu.people.models import Enrolment

    completed = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
    return rollups.monthly(completed, region="region_id", when="completed_on", key="audience")


rollups.register(
    TRAINING_COMPLETIONS,
    _training_completions,
    "Training completions by the session's region and month of completion; key the audience.",
)
