"""The live indicators of the assessment (考核): rubric-engine sources for the subjects
"core.region" (a sub-region) and "core.organization" (a member unit), pulled from plans,
the registries, the statistics and the literacy survey.

Each source answers for all subjects of a round at once in one or two grouped queries
(grouped by the subjects' region path prefix: siblings have paths of one length), and
reads rollups where the app keeps them (certified registrations). A value that cannot
be computed is None (a rate without its denominator, a per-capita figure without the
region's population): the round's pages say why and the criterion earns no points.
`context` carries "year" (the year assessed) and, for member units, "plan"."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from kepu.core.models import Region
from kepu.plans.assessment_choices import REGION_SUBJECT, UNIT_SUBJECT
from kepu.rubrics.engine import register_source

TWO = Decimal("0.01")


def _regions(ids):
    return list(Region.objects.filter(pk__in=ids).only("pk", "path", "population"))


def by_subtree(regions, queryset, path_lookup, value=None) -> dict[int, int]:
    """{region pk: aggregate over the rows of `queryset` whose `path_lookup` lies in the
    region's subtree}, one grouped query per distinct path length (siblings: one)."""
    out: dict[int, int] = {}
    by_length: dict[int, list] = {}
    for region in regions:
        by_length.setdefault(len(region.path), []).append(region)
    for length, group in by_length.items():
        low = min(r.path for r in group)
        high = max(r.path for r in group)[:-1] + "0"
        rows = (
            queryset.filter(**{f"{path_lookup}__gte": low, f"{path_lookup}__lt": high})
            .annotate(_prefix=Substr(path_lookup, 1, length))
            .values("_prefix")
            .annotate(n=value if value is not None else Count("pk"))
            .order_by()
        )
        found = {row["_prefix"]: row["n"] or 0 for row in rows}
        for region in group:
            out[region.pk] = found.get(region.path, 0)
    return out


def _share(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO, ROUND_HALF_UP)


def _per(value, population, per) -> Decimal | None:
    if not population:
        return None
    return (Decimal(value) * per / Decimal(population)).quantize(TWO, ROUND_HALF_UP)


def _year(context) -> int:
    return int(context.get("year") or datetime.date.today().year)


def _due_reports(year):
    from kepu.plans.models import ProgressReport

    return ProgressReport.objects.due().filter(
        due_date__gte=datetime.date(year, 1, 1), due_date__lte=datetime.date(year, 12, 31)
    )


# --- sub-regions ---------------------------------------------------------------------


@register_source(
    "plans.region_on_time", _("Progress reports submitted on time"), "%", REGION_SUBJECT
)
def region_on_time(ids, context):
    regions = _regions(ids)
    due = _due_reports(_year(context))
    path = "organization__region__path"
    total = by_subtree(regions, due, path)
    on_time = by_subtree(regions, due.filter(on_time=True), path)
    return {pk: _share(on_time.get(pk, 0), n) for pk, n in total.items()}


@register_source(
    "plans.region_tasks_done", _("Plan tasks due in the year that are done"), "%", REGION_SUBJECT
)
def region_tasks_done(ids, context):
    from kepu.plans.choices import TaskStatus
    from kepu.plans.models import Task

    year = _year(context)
    regions = _regions(ids)
    tasks = Task.objects.filter(
        plan__status__in=("published", "closed"),
        deadline__gte=datetime.date(year, 1, 1),
        deadline__lte=datetime.date(year, 12, 31),
    )
    path = "plan__region__path"
    total = by_subtree(regions, tasks, path)
    done = by_subtree(regions, tasks.filter(status=TaskStatus.DONE), path)
    return {pk: _share(done.get(pk, 0), n) for pk, n in total.items()}


@register_source(
    "people.region_volunteers_per_10k",
    _("Certified volunteers per 10,000 residents"),
    _("per 10,000"),
    REGION_SUBJECT,
)
def region_volunteers_per_10k(ids, context):
    # The people app's registration counters (county grain, key kind:status): a city
    # adds up its counties' few counters instead of counting registrations.
    from kepu.core.models import Rollup
    from kepu.people.rollups import REGISTRATIONS

    regions = _regions(ids)
    counters = Rollup.objects.filter(metric=REGISTRATIONS, key="volunteer:certified")
    counts = by_subtree(regions, counters, "path", Sum("value"))
    return {r.pk: _per(counts.get(r.pk, 0), r.population, 10000) for r in regions}


@register_source("people.region_teams", _("Volunteer service teams"), _("teams"), REGION_SUBJECT)
def region_teams(ids, context):
    from kepu.people.models import Team

    return by_subtree(_regions(ids), Team.objects.all(), "region__path")


@register_source(
    "stats.region_funding_per_capita",
    _("Science-popularization funding per resident (statistics)"),
    _("yuan"),
    REGION_SUBJECT,
)
def region_funding_per_capita(ids, context):
    # KJ100 年度科普经费筹集额 (万元) of the accepted returns, as the statistics app keeps
    # it per region and round (its `Aggregate` rollup) for the data year assessed.
    from kepu.stats.models import Aggregate

    regions = _regions(ids)
    rows = Aggregate.objects.filter(
        region_id__in=[r.pk for r in regions],
        indicator__code="KJ100",
        round__year=_year(context),
    ).values_list("region_id", "value")
    funds: dict[int, Decimal] = {}
    for region_id, value in rows:
        funds[region_id] = funds.get(region_id, Decimal(0)) + value
    return {
        r.pk: (_per(funds[r.pk], r.population, 10000) if r.pk in funds else None) for r in regions
    }


@register_source(
    "literacy.region_rate",
    _("Share of citizens with scientific literacy (latest estimate)"),
    "%",
    REGION_SUBJECT,
)
def region_literacy_rate(ids, context):
    from kepu.literacy.reports import latest_rates

    regions = _regions(ids)
    found = latest_rates(regions, until_year=_year(context))
    return {
        r.pk: (Decimal(str(found[r.pk][0])).quantize(TWO) if r.pk in found else None)
        for r in regions
    }


# --- member units --------------------------------------------------------------------


def _in_plan(queryset, context, lookup):
    plan = context.get("plan")
    return queryset.filter(**{lookup: plan}) if plan else queryset


@register_source("plans.unit_on_time", _("Progress reports submitted on time"), "%", UNIT_SUBJECT)
def unit_on_time(ids, context):
    due = _in_plan(_due_reports(_year(context)), context, "task__plan_id").filter(
        organization_id__in=list(ids)
    )
    rows = due.values("organization_id").annotate(
        n=Count("pk"), ok=Count("pk", filter=Q(on_time=True))
    )
    found = {row["organization_id"]: _share(row["ok"], row["n"]) for row in rows.order_by()}
    return {pk: found.get(pk) for pk in ids}


@register_source("plans.unit_tasks_done", _("Tasks of the unit that are done"), "%", UNIT_SUBJECT)
def unit_tasks_done(ids, context):
    from kepu.plans.choices import TaskStatus
    from kepu.plans.models import TaskUnit

    units = _in_plan(TaskUnit.objects.all(), context, "task__plan_id").filter(
        organization_id__in=list(ids)
    )
    rows = units.values("organization_id").annotate(
        n=Count("task_id", distinct=True),
        done=Count("task_id", distinct=True, filter=Q(task__status=TaskStatus.DONE)),
    )
    found = {row["organization_id"]: _share(row["done"], row["n"]) for row in rows.order_by()}
    return {pk: found.get(pk) for pk in ids}


@register_source(
    "activities.unit_held",
    _("Published activities the unit held in the year"),
    _("activities"),
    UNIT_SUBJECT,
)
def unit_activities(ids, context):
    from kepu.activities.choices import ActivityStatus
    from kepu.activities.models import Activity

    year = _year(context)
    rows = (
        Activity.objects.filter(
            status=ActivityStatus.PUBLISHED,
            organization_id__in=list(ids),
            starts_at__year=year,
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {row["organization_id"]: row["n"] for row in rows}
    return {pk: found.get(pk, 0) for pk in ids}


# --- targets met (both kinds) ----------------------------------------------------------


def _targets_due(year, **filters):
    from kepu.plans.choices import PUBLIC_PLAN_STATUSES
    from kepu.plans.models import Target

    return Target.objects.filter(
        plan__status__in=PUBLIC_PLAN_STATUSES,
        deadline__gte=datetime.date(year, 1, 1),
        deadline__lte=datetime.date(year, 12, 31),
        **filters,
    ).select_related("region")


def _met(targets, year) -> list[tuple[object, bool]]:
    """(target, met) of `targets` as they stood at the end of `year` (or today): the
    actual values of all of them read at once (`progress.standings`)."""
    from kepu.core import clock
    from kepu.plans import progress
    from kepu.plans.choices import TargetState

    day = min(datetime.date(year, 12, 31), clock.today())
    return [(s.target, s.state == TargetState.MET) for s in progress.standings(targets, day)]


@register_source(
    "plans.region_targets_met", _("Plan targets due in the year that are met"), "%", REGION_SUBJECT
)
def region_targets_met(ids, context):
    regions = _regions(ids)
    low = min((r.path for r in regions), default="")
    high = max((r.path for r in regions), default="")[:-1] + "0"
    targets = _targets_due(_year(context), region__path__gte=low, region__path__lt=high)
    counts = {r.pk: [0, 0] for r in regions}
    by_path = {r.path: r.pk for r in regions}
    lengths = {len(p) for p in by_path}
    for target, met in _met(targets, _year(context)):
        for length in lengths:
            pk = by_path.get(target.region.path[:length])
            if pk is not None:
                counts[pk][0] += 1
                counts[pk][1] += met
    return {pk: _share(done, n) for pk, (n, done) in counts.items()}


@register_source(
    "plans.unit_targets_met", _("Targets of the unit due in the year that are met"), "%",
    UNIT_SUBJECT,
)  # fmt: skip
def unit_targets_met(ids, context):
    targets = _in_plan(
        _targets_due(_year(context), organization_id__in=list(ids)), context, "plan_id"
    )
    counts: dict = {}
    for target, met in _met(targets, _year(context)):
        n, done = counts.get(target.organization_id, (0, 0))
        counts[target.organization_id] = (n + 1, done + met)
    return {pk: (_share(counts[pk][1], counts[pk][0]) if pk in counts else None) for pk in ids}
