"""Counts of the registry by region: the truth for targets such as seed 000's +5,000
part-time staff, shown on the statistics page and served by the API.

The province and the cities are read from the registry's counters (`people.rollups`,
kept by the services, at county grain); a county's own page (by town) counts its rows,
about ten thousand at most. "New since" counts by month: the date is taken as the start
of its month in both."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from kepu.core import periods, rollups, scope
from kepu.core.choices import ROLE_SCOPE, ScopeKind
from kepu.core.models import Region
from kepu.core.rollups import counts_by_child_region
from kepu.core.scope import visible_to
from kepu.people import rollups as counters
from kepu.people.choices import HIGH_LEVEL_TITLES, RegistrationKind, RegistrationStatus
from kepu.people.models import ExpertPool, Person, PoolMembership, Registration

DEFAULT_BASELINE = datetime.date(2023, 1, 1)  # seed 000: targets count from 2023

# Column labels short enough for a table header and a chart legend.
SHORT_LABELS = [
    (RegistrationKind.FULL_TIME, gettext_lazy("Full-time staff")),
    (RegistrationKind.PART_TIME, gettext_lazy("Part-time staff")),
    (RegistrationKind.VOLUNTEER, gettext_lazy("Volunteers")),
    (RegistrationKind.INFO_OFFICER, gettext_lazy("Information officers")),
    (RegistrationKind.EXPERT, gettext_lazy("Experts")),
]


def baseline_date(params) -> datetime.date:
    """`?since=YYYY-MM-DD` of the query parameters (a request is accepted too), else the
    targets' baseline."""
    params = getattr(params, "GET", params)
    since = periods.parse_date(params.get("since")) or DEFAULT_BASELINE
    return since.replace(day=1)


def region_stats(user, focus, since):
    """Rows of [region, figures] for the children of `focus`, plus the focus total."""
    if focus.level < counters.COUNTY_LEVEL:
        return _counted_stats(focus, since)
    return _raw_stats(user, focus, since)


def _raw_stats(user, focus, since):
    """The same figures counted from the rows (a county by town; and the reference the
    counters are tested against)."""
    certified = visible_to(user, Registration).filter(status=RegistrationStatus.CERTIFIED)
    kinds = {k.value: Q(kind=k) for k in RegistrationKind}
    kinds["new"] = Q(start_date__gte=since)
    reg_rows, reg_direct = counts_by_child_region(certified, focus, measures=kinds)
    people = visible_to(user, Person).live()
    person_rows, person_direct = counts_by_child_region(
        people,
        focus,
        measures={"high": Q(title_level__in=HIGH_LEVEL_TITLES)},
        aggregates={"disciplines": Count("discipline", distinct=True, filter=~Q(discipline=""))},
    )
    rows = []
    for (region, regs), (_r, persons) in zip(reg_rows, person_rows, strict=True):
        rows.append((region, _figures(region, regs, persons)))
    person_total = _sum(person_rows, person_direct)
    # Distinct disciplines do not add up across sub-regions: count them over the subtree.
    person_total["disciplines"] = people.filter(
        region__in=Region.objects.subtree(focus).values("pk")
    ).aggregate(n=Count("discipline", distinct=True, filter=~Q(discipline="")))["n"]
    total = _figures(focus, _sum(reg_rows, reg_direct), person_total)
    return rows, total


def _sum(rows, direct):
    total = {k: v or 0 for k, v in direct.items()}
    for _region, counts in rows:
        for key, value in counts.items():
            if key != "disciplines":
                total[key] = total.get(key, 0) + (value or 0)
    return total


def _figures(region, regs, persons):
    people_total = persons.get("total") or 0
    officers = regs.get(RegistrationKind.INFO_OFFICER) or 0
    return {
        **{k: regs.get(k) or 0 for k in [*RegistrationKind.values, "new"]},
        "people": people_total,
        "high_share": round(100 * (persons.get("high") or 0) / people_total, 1)
        if people_total
        else None,
        "disciplines": persons.get("disciplines") or 0,
        "officers_per_10k": round(officers * 10000 / region.population, 2)
        if region.population
        else None,
    }


# --- from the counters (the province and the cities) ---------------------------------------


def _counted_stats(focus, since):
    regs, regs_direct = rollups.by_child(counters.REGISTRATIONS, focus, split_keys=True)
    new, new_direct = rollups.by_child(counters.CERTIFIED, focus, start=since)
    people, people_direct = rollups.by_child(counters.PEOPLE, focus, split_keys=True)
    rows = []
    all_regs, all_people = dict(regs_direct), dict(people_direct)
    for (region, r), (_r, n), (_p, p) in zip(regs, new, people, strict=True):
        rows.append((region, _figures(region, _registration_counts(r, n), _person_counts(p))))
        for key, value in r.items():
            all_regs[key] = all_regs.get(key, 0) + value
        for key, value in p.items():
            all_people[key] = all_people.get(key, 0) + value
    new_total = new_direct + sum(n for _r, n in new)
    total = _figures(focus, _registration_counts(all_regs, new_total), _person_counts(all_people))
    return rows, total


def _registration_counts(by_key: dict, new: int) -> dict:
    counts = {
        kind: by_key.get(counters.registration_key(kind, RegistrationStatus.CERTIFIED), 0)
        for kind in RegistrationKind.values
    }
    counts["new"] = new
    return counts


def _person_counts(by_key: dict) -> dict:
    disciplines = {key.partition("|")[2] for key, n in by_key.items() if n}
    disciplines.discard("")
    return {
        "total": sum(by_key.values()),
        "high": sum(n for key, n in by_key.items() if key.startswith("h|")),
        "disciplines": len(disciplines),
    }


def pool_stats(user, focus) -> list[dict]:
    """Expert-pool members who live in `focus`: [{pool__name, pool__kind, n, available}],
    largest first."""
    if focus is None:
        return []
    if focus.level >= counters.COUNTY_LEVEL:
        return list(
            visible_to(user, PoolMembership)
            .filter(person__region__in=Region.objects.subtree(focus).values("pk"))
            .values("pool__name", "pool__kind")
            .annotate(n=Count("pk"), available=Count("pk", filter=Q(available=True)))
            .order_by("-n")
        )
    counts: dict[int, dict] = {}
    for key, n in rollups.by_key(counters.POOL_MEMBERS, focus).items():
        pool_id, _sep, available = key.partition(":")
        row = counts.setdefault(int(pool_id), {"n": 0, "available": 0})
        row["n"] += n
        row["available"] += n if available == "1" else 0
    pools = ExpertPool.objects.in_bulk(list(counts))
    rows = [
        {"pool__name": pools[pk].name, "pool__kind": pools[pk].kind, **row}
        for pk, row in counts.items()
        if pk in pools and row["n"]
    ]
    return sorted(rows, key=lambda row: -row["n"])


def _scope_roots(user, model):
    """The top regions of the user's region-scoped assignments granting `model.view`, or
    None when some rows come through an organization (not counted by region)."""
    roots = []
    for assignment in scope.granting_assignments(user, model, "view"):
        kind = ROLE_SCOPE[assignment.role]
        if kind == ScopeKind.REGION and assignment.region_id:
            roots.append(assignment.region)
        elif kind == ScopeKind.ORGANIZATION:
            return None
    paths = sorted({r.path: r for r in roots}.items())
    return [r for p, r in paths if not any(p != o and p.startswith(o) for o, _r in paths)]


def counted(user, model, metric, *, keys=None, region=None, own_paths=()):
    """(n, False): the rows of `model` that `user` sees (within `region`, if given) under
    `keys` of `metric`, from the counters — exact — or None when the counters cannot say
    (a scope through an organization, or a region below county level): then rows are
    counted. `own_paths`: the region paths of the user's own rows under those keys (in
    scope whatever their region), counted when they lie outside the scope's regions."""
    roots = _scope_roots(user, model)
    if not roots:
        return None
    focus = [region] if region is not None else roots
    if any(r.level > counters.COUNTY_LEVEL for r in focus):
        return None
    n = sum(rollups.total(metric, r, keys=keys) for r in focus)
    if region is None:
        n += sum(1 for path in own_paths if not any(path.startswith(r.path) for r in roots))
    return n, False


def registry_count(user):
    """The header of the unfiltered registry list: the live people `user` sees."""
    own = Person.objects.live().filter(user=user).values_list("region__path", flat=True)
    return counted(user, Person, counters.PEOPLE, own_paths=own)
