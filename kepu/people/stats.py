"""Counts of the registry by region: the truth for targets such as seed 000's +5,000
part-time staff, shown on the statistics page and served by the API.

The province and the cities are read from the registry's counters (`people.rollups`,
kept by the services, at county grain); a county's own page (by town) counts its rows,
about ten thousand at most. "New since" counts from a day (by default the baseline of
the plan the registry measures): whole months from the counters, the first, partial month
from the rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy

from kepu.core import periods, rollups, scope
from kepu.core.choices import ROLE_SCOPE, ScopeKind
from kepu.core.models import Region, Rollup
from kepu.core.querysets import subtree_bounds
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
    (RegistrationKind.GRID_OFFICER, gettext_lazy("Grid officers")),
    (RegistrationKind.TECH_ENVOY, gettext_lazy("S&T envoys")),
]


@dataclass(frozen=True)
class Baseline:
    """Where "new since" counts from: `since`, the first day counted; when it comes from a
    plan, that plan's baseline `day` (the day before `since`: a plan's registry targets
    count what entered after it) and its title."""

    since: datetime.date
    day: datetime.date | None = None
    plan: str = ""
    key: str = ""  # the plan's id, for `?plan=`


# Providers of the plan baselines for a region (kepu.plans registers one at start-up;
# people does not know plans): `provider(region) -> [(plan id, baseline day, title)]`,
# the plan in force first.
_baseline_providers = []


def register_baseline_provider(provider):
    _baseline_providers.append(provider)
    return provider


def plan_baselines(focus) -> list[Baseline]:
    """The baselines of the plans whose targets the registry measures for `focus`, the
    plan in force first."""
    found = []
    for provider in _baseline_providers if focus is not None else ():
        for key, day, title in provider(focus):
            found.append(Baseline(day + datetime.timedelta(days=1), day, title, str(key)))
    return found


def baseline(params, focus=None, choices=None) -> Baseline:
    """Where "new since" counts from: `?plan=<id>`, one of `plan_baselines(focus)` (one
    baseline per plan, used by its targets and by these statistics alike); else
    `?since=YYYY-MM-DD` (a request is accepted too for `params`); else the plan in force;
    else DEFAULT_BASELINE."""
    params = getattr(params, "GET", params)
    choices = plan_baselines(focus) if choices is None else choices
    wanted = params.get("plan", "")
    chosen = next((b for b in choices if b.key == wanted), None)
    if chosen is not None:
        return chosen
    since = periods.parse_date(params.get("since"))
    if since:
        return Baseline(since)
    return choices[0] if choices else Baseline(DEFAULT_BASELINE)


def baseline_date(params, focus=None) -> datetime.date:
    return baseline(params, focus).since


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
    children, sums = _child_sums(focus, since)
    partial, partial_direct = _partial_month(focus, since)
    rows = []
    for region, (_child, extra) in zip(children, partial, strict=True):
        regs, new, people, fields = (sums[m].get(region.path, {}) for m in STAT_METRICS)
        new_count = new.get("", 0) + extra["total"]
        figures = _registration_counts(regs, new_count), _person_counts(people, fields)
        rows.append((region, _figures(region, *figures)))
    regs, new, people, fields = (_added_up(sums[m]) for m in STAT_METRICS)
    new_count = new.get("", 0) + partial_direct["total"] + sum(e["total"] for _r, e in partial)
    total = _figures(focus, _registration_counts(regs, new_count), _person_counts(people, fields))
    return rows, total


def _first_whole_month(since: datetime.date) -> datetime.date:
    if since.day == 1:
        return since
    return (since.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _partial_month(focus, since):
    """The certified registrations that started in the days of `since`'s month from
    `since` on, by child region (the counters count whole months): a plan baseline falls
    mid-month (2023-12-20), and the figure must be the plan's own."""
    end = _first_whole_month(since)
    rows = Registration.objects.filter(
        status=RegistrationStatus.CERTIFIED, start_date__gte=since, start_date__lt=end
    )
    if since == end:
        rows = rows.none()
    return counts_by_child_region(rows, focus)


STAT_METRICS = (counters.REGISTRATIONS, counters.CERTIFIED, counters.PEOPLE, counters.DISCIPLINES)


def _child_sums(focus, since):
    """The statistics' four metrics under `focus` in one query (`rollups.by_child` reads
    one metric in three): (children in code order, {metric: {path: {key: n}}}), where the
    path is a child's, or the focus's own for the counters attached to it."""
    children = list(Region.objects.filter(parent=focus).order_by("code"))
    names = {counters.for_focus(m, focus): m for m in STAT_METRICS}
    certified = counters.for_focus(counters.CERTIFIED, focus)
    low, high = subtree_bounds(focus.path)
    inside = Rollup.objects.filter(path__gte=low, path__lt=high).filter(
        Q(metric__in=[n for n in names if n != certified])
        | Q(metric=certified, month__gte=_first_whole_month(since))
    )
    sums: dict[str, dict] = {m: {} for m in STAT_METRICS}
    lengths = sorted({len(c.path) for c in children}) or [len(focus.path)]
    for length in lengths:
        # A counter belongs to the child whose path its path starts with, or to the
        # focus itself (counted once, with the first length).
        wanted = {c.path for c in children if len(c.path) == length}
        if length == lengths[0]:
            wanted.add(focus.path)
        grouped = (
            inside.annotate(_prefix=Substr("path", 1, length))
            .values("metric", "_prefix", "key")
            .annotate(n=Sum("value"))
            .order_by()
        )
        for row in grouped:
            if row["_prefix"] not in wanted:
                continue
            by_key = sums[names[row["metric"]]].setdefault(row["_prefix"], {})
            by_key[row["key"]] = by_key.get(row["key"], 0) + row["n"]
    return children, sums


def _added_up(by_path: dict) -> dict:
    total: dict[str, int] = {}
    for by_key in by_path.values():
        for key, n in by_key.items():
            total[key] = total.get(key, 0) + n
    return total


def _registration_counts(by_key: dict, new: int) -> dict:
    counts = {
        kind: by_key.get(counters.registration_key(kind, RegistrationStatus.CERTIFIED), 0)
        for kind in RegistrationKind.values
    }
    counts["new"] = new
    return counts


def _person_counts(by_title: dict, by_discipline: dict) -> dict:
    return {
        "total": sum(by_title.values()),
        "high": by_title.get("h", 0),
        "disciplines": sum(1 for n in by_discipline.values() if n),
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
    n = sum(rollups.total(counters.for_focus(metric, r), r, keys=keys) for r in focus)
    if region is None:
        n += sum(1 for path in own_paths if not any(path.startswith(r.path) for r in roots))
    return n, False


def registry_count(user):
    """The header of the unfiltered registry list: the live people `user` sees."""
    own = Person.objects.live().filter(user=user).values_list("region__path", flat=True)
    return counted(user, Person, counters.PEOPLE, own_paths=own)
