"""Information officers at benchmark scale (called by `people.dataset.generate`): about
150k certified information officers among the registry's people (a person may hold one
registration of each kind), a few thousand grid officers and envoys, twelve months of
shared content (a few million rows at province scale) with the officers' months kept as
the services keep them, and the regions' monthly figures (`compute_month`)."""

from __future__ import annotations

import datetime

from kepu.core.census import load_population
from kepu.core.dataset import Dataset
from kepu.people import choices as c
from kepu.people import rollups as counters
from kepu.people.demo_officers import CHANNELS, TITLES
from kepu.people.models import OfficerActivity, OfficerPersonMonth, Registration
from kepu.people.officer_months import compute_month

OFFICERS = 150_000  # at province scale
GRID_OFFICERS = 5_000
ENVOYS = 2_000
MONTHS = 12


def generate(ds: Dataset, people: list[tuple]) -> None:
    load_population()
    officers = ds.step("information officers", lambda: _officers(ds, people))
    ds.step("grid officers and envoys", lambda: _grid_and_envoys(ds, people))
    ds.step("officer activity (12 months)", lambda: _activity(ds, officers))
    ds.step("officer monthly figures", lambda: _months(ds))


def _scaled(ds: Dataset, n: int) -> int:
    return max(1, round(n * ds.factor))


def _officers(ds: Dataset, people: list[tuple]) -> list[tuple]:
    """(person id, region) of certified information officers: the registry's own plus
    new registrations for people without one."""
    have = set(
        Registration.objects.filter(kind=c.RegistrationKind.INFO_OFFICER).values_list(
            "person_id", flat=True
        )
    )
    wanted = _scaled(ds, OFFICERS)
    candidates = [p for p in people if p[0] not in have]
    chosen = ds.rng.sample(candidates, min(len(candidates), max(0, wanted - len(have))))
    ids = iter(ds.ids(Registration, len(chosen)))
    rows = []
    for pk, region, org in chosen:
        applied = ds.moment(900)
        rows.append(
            {
                "id": next(ids),
                "person_id": pk,
                "kind": c.RegistrationKind.INFO_OFFICER,
                "status": c.RegistrationStatus.CERTIFIED,
                "source": ds.rng.choice((c.Source.SELF, c.Source.IMPORT)),
                "region_id": region.pk,
                "organization_id": org,
                "start_date": applied.date(),
                "applied_at": applied,
                "reviewed_at": applied,
            }
        )
    ds.insert(Registration, rows)
    by_pk = {p[0]: p[1] for p in people}
    certified = Registration.objects.filter(
        kind=c.RegistrationKind.INFO_OFFICER, status=c.RegistrationStatus.CERTIFIED
    ).values_list("person_id", flat=True)
    return [(pk, by_pk[pk]) for pk in certified.iterator(chunk_size=20_000) if pk in by_pk]


def _grid_and_envoys(ds: Dataset, people: list[tuple]) -> int:
    taken = set(
        Registration.objects.filter(
            kind__in=[c.RegistrationKind.GRID_OFFICER, c.RegistrationKind.TECH_ENVOY]
        ).values_list("person_id", flat=True)
    )
    pool = [p for p in people if p[0] not in taken]
    n_grid, n_envoy = _scaled(ds, GRID_OFFICERS), _scaled(ds, ENVOYS)
    chosen = ds.rng.sample(pool, min(len(pool), n_grid + n_envoy))
    ids = iter(ds.ids(Registration, len(chosen)))
    rows = []
    for i, (pk, region, org) in enumerate(chosen):
        grid = i < n_grid
        place = region
        if grid and region.level < 4:
            towns = ds.townships.get(region.pk)
            if not towns:
                continue
            place = ds.rng.choice(towns)
        units = ds.orgs_by_county.get(ds.county_of(region)) or [None]
        applied = ds.moment(700)
        rows.append(
            {
                "id": next(ids),
                "person_id": pk,
                "kind": c.RegistrationKind.GRID_OFFICER if grid else c.RegistrationKind.TECH_ENVOY,
                "status": c.RegistrationStatus.CERTIFIED,
                "source": c.Source.OFFICER,
                "region_id": place.pk,
                "organization_id": org if grid else (org or ds.rng.choice(units)),
                "unit_name": "" if grid or org else "四川农业大学",
                "start_date": applied.date(),
                "applied_at": applied,
                "reviewed_at": applied,
            }
        )
    return ds.insert(Registration, rows)


def _month_starts(today: datetime.date) -> list[datetime.date]:
    month, out = today.replace(day=1), []
    for _i in range(MONTHS):
        out.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return sorted(out)


def _activity(ds: Dataset, officers: list[tuple]) -> int:
    """Each month about 40% of the officers share 1–6 items; reach is heavy-tailed."""
    channels = [k for k, _w in CHANNELS]
    weights = [w for _k, w in CHANNELS]
    months = _month_starts(ds.today)
    total = 0
    person_months = []
    places: dict[int, tuple] = {}
    for month in months:
        last_day = (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        if month == months[-1]:
            last_day = min(last_day, ds.today)
        active = [o for o in officers if ds.rng.random() < 0.4]
        counts = [ds.rng.choice((1, 1, 1, 2, 2, 3, 4, 6)) for _o in active]
        ids = iter(ds.ids(OfficerActivity, sum(counts)))
        rows = []
        for (pk, region), n in zip(active, counts, strict=True):
            views_sum = shares_sum = 0
            for _i in range(n):
                day = month + datetime.timedelta(days=ds.rng.randrange(0, last_day.day))
                views = int(ds.rng.paretovariate(1.3) * 40)
                shares = int(views * ds.rng.uniform(0.01, 0.12))
                views_sum += views
                shares_sum += shares
                rows.append(
                    {
                        "id": next(ids),
                        "person_id": pk,
                        "region_id": region.pk,
                        "date": day,
                        "channel": ds.rng.choices(channels, weights=weights)[0],
                        "title": ds.rng.choice(TITLES),
                        "views": views,
                        "shares": shares,
                        "source": c.ActivitySource.API,
                        "created_at": ds.now,
                    }
                )
            if region.pk not in places:
                places[region.pk] = counters.place(region)
            county, city = places[region.pk]
            person_months.append(
                {
                    "person_id": pk,
                    "month": month,
                    "region_id": region.pk,
                    "county_id": county,
                    "city_id": city,
                    "activities": n,
                    "views": views_sum,
                    "shares": shares_sum,
                }
            )
        total += ds.insert(OfficerActivity, rows)
    ids = iter(ds.ids(OfficerPersonMonth, len(person_months)))
    for row in person_months:
        row["id"] = next(ids)
    ds.insert(OfficerPersonMonth, person_months)
    return total


def _months(ds: Dataset) -> int:
    return sum(compute_month(month) for month in _month_starts(ds.today))
