"""Where plans stand: actual values of targets (live from the registries or from accepted
reports), the straight-line plan they are judged against, trajectories, drill-down by
region, task and reporting summaries. Every figure comes from SQL aggregates: a fixed
number of queries whatever the number of targets, regions or units."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy

from kepu.core import clock
from kepu.core.models import Region
from kepu.plans import choices as c
from kepu.plans import indicators
from kepu.plans.models import ReportFigure, Target, Task


@dataclass
class Standing:
    """A target's position on a given day."""

    target: Target
    actual: Decimal | None
    expected: Decimal  # where the straight line from baseline to target is today
    percent: int | None  # of the way from baseline to target (may exceed 100)
    state: str

    @property
    def state_label(self):
        return c.TargetState(self.state).label


def expected_value(target: Target, day: datetime.date) -> Decimal:
    """The straight-line plan: baseline on the baseline date, target on the deadline."""
    span = (target.deadline - target.baseline_date).days
    elapsed = min(max((day - target.baseline_date).days, 0), span)
    share = Decimal(elapsed) / Decimal(span)
    return target.baseline_value + (target.target_value - target.baseline_value) * share


def _measured(targets, until) -> dict[int, Decimal]:
    """Actual values of measured targets: one query per (indicator, baseline, kind)."""
    groups: dict[tuple, list[Target]] = {}
    for t in targets:
        groups.setdefault((t.indicator, t.baseline_date, t.organization_id is None), []).append(t)
    values = {}
    for (code, since, by_region), members in groups.items():
        indicator = indicators.REGISTRY[code]
        end = min(until, max(t.deadline for t in members))
        if by_region:
            regions = list({t.region_id: t.region for t in members}.values())
            counts = indicator.for_regions(regions, since, end)
            for t in members:
                if indicator.level:  # a rate as it stands: no baseline added
                    if counts.get(t.region_id) is not None:
                        values[t.pk] = counts[t.region_id]
                    continue
                values[t.pk] = t.baseline_value + counts[t.region_id]
        else:
            units = list({t.organization_id: t.organization for t in members}.values())
            counts = indicator.for_units(units, since, end)
            for t in members:
                if indicator.level:
                    continue  # a unit has no level of its own
                values[t.pk] = t.baseline_value + counts[t.organization_id]
    return values


def _reported(targets, until) -> dict[int, Decimal]:
    """The latest accepted figure of each reported target, as of `until` (one query)."""
    if not targets:
        return {}
    latest = (
        ReportFigure.objects.filter(
            target=OuterRef("pk"),
            report__status=c.ReportStatus.ACCEPTED,
            report__period_end__lte=until,
        )
        .order_by("-report__period_end", "-report__reviewed_at")
        .values("value")[:1]
    )
    rows = Target.objects.filter(pk__in=[t.pk for t in targets]).annotate(latest=Subquery(latest))
    return {pk: value for pk, value in rows.values_list("pk", "latest") if value is not None}


def actual_values(targets, until=None) -> dict[int, Decimal]:
    until = until or clock.today()
    targets = list(targets)
    values = _measured([t for t in targets if t.source == c.TargetSource.MEASURED], until)
    values.update(_reported([t for t in targets if t.source == c.TargetSource.REPORTED], until))
    return values


def standing(target: Target, actual: Decimal | None, today: datetime.date) -> Standing:
    expected = expected_value(target, today)
    span = target.target_value - target.baseline_value
    if actual is None:
        return Standing(target, None, expected, None, c.TargetState.NO_DATA)
    percent = int((actual - target.baseline_value) * 100 / span) if span else 100
    if target.is_met_by(actual):
        state = c.TargetState.MET
    elif today > target.deadline:
        state = c.TargetState.MISSED
    elif actual >= expected:
        state = c.TargetState.ON_TRACK
    else:
        state = c.TargetState.BEHIND
    return Standing(target, actual, expected, percent, state)


def standings(targets, today=None) -> list[Standing]:
    today = today or clock.today()
    targets = list(targets)
    values = actual_values(targets, today)
    return [standing(t, values.get(t.pk), today) for t in targets]


# --- trajectory -------------------------------------------------------------------------


def month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last day of each month from `start`'s month to `end`'s, the last one being
    `end` itself when it falls mid-month."""
    days = []
    year, month = start.year, start.month
    while True:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
        if last >= end:
            days.append(end)
            return days
        days.append(last)
        year, month = following.year, following.month


def trajectory(target: Target, today=None) -> dict:
    """Month by month from the baseline: the planned straight line up to the deadline and
    the actual values up to today (one query)."""
    today = today or clock.today()
    axis = month_ends(target.baseline_date, target.deadline)
    planned = [expected_value(target, day) for day in axis]
    observed_days = [day for day in axis if day <= today]
    if target.source == c.TargetSource.MEASURED:
        indicator = indicators.REGISTRY[target.indicator]
        if indicator.level:
            actual = indicator.levels(target.region, observed_days)
        else:
            where = indicator.scope(region=target.region, organization=target.organization)
            counts = indicator.series(where, target.baseline_date, observed_days)
            actual = [target.baseline_value + n for n in counts]
    else:
        figures = list(
            ReportFigure.objects.filter(target=target, report__status=c.ReportStatus.ACCEPTED)
            .order_by("report__period_end", "report__reviewed_at")
            .values_list("report__period_end", "value")
        )
        actual, current, i = [], None, 0
        for day in observed_days:
            while i < len(figures) and figures[i][0] <= day:
                current = figures[i][1]
                i += 1
            actual.append(current)
    return {"days": axis, "planned": planned, "actual": actual}


# --- drill-down -------------------------------------------------------------------------


def drilldown(target: Target, today=None) -> list[dict]:
    """The target by subordinate region (or by unit): its parts where it is decomposed,
    each with its own target and actual value; otherwise, for a measured target, the
    live value in each child region of its region (without a target of its own)."""
    today = today or clock.today()
    parts = list(target.parts.select_related("region", "organization"))
    if parts:
        return [
            {"part": s.target, "where": s.target.organization or s.target.region, "standing": s}
            for s in standings(parts, today)
        ]
    if target.source != c.TargetSource.MEASURED or target.organization_id:
        return []
    children = list(Region.objects.filter(parent=target.region).order_by("code"))
    indicator = indicators.REGISTRY[target.indicator]
    counts = indicator.for_regions(children, target.baseline_date, min(today, target.deadline))
    return [{"part": None, "where": r, "actual": counts[r.pk]} for r in children]


# --- tasks and reporting ----------------------------------------------------------------


def task_counts(tasks, today=None) -> dict[str, int]:
    """Tasks by displayed status (overdue counted apart from the stored status)."""
    today = today or clock.today()
    overdue = Q(deadline__lt=today) & ~Q(status=c.TaskStatus.DONE)
    row = tasks.aggregate(
        overdue=Count("pk", filter=overdue),
        **{s: Count("pk", filter=Q(status=s) & ~overdue) for s in c.TaskStatus.values},
    )
    return row


def unit_ranking(reports, today=None) -> list[dict]:
    """Units ranked by on-time reporting: of their reports due by today, how many were
    first submitted on time, how many are overdue (one query)."""
    today = today or clock.today()
    due = reports.filter(due_date__lt=today) | reports.exclude(status__in=c.OWED_REPORT_STATUSES)
    rows = (
        due.values("organization", "organization__name")
        .annotate(
            due=Count("pk"),
            # `late` before `on_time`: once the alias `on_time` exists, a later filter
            # on the field `on_time` would refer to the aggregate instead.
            late=Count("pk", filter=Q(on_time=False)),
            on_time=Count("pk", filter=Q(on_time=True)),
            overdue=Count("pk", filter=Q(status__in=c.OWED_REPORT_STATUSES, due_date__lt=today)),
            accepted=Count("pk", filter=Q(status=c.ReportStatus.ACCEPTED)),
        )
        .order_by("organization__name")
    )
    ranked = []
    for row in rows:
        row["rate"] = round(row["on_time"] * 100 / row["due"]) if row["due"] else None
        ranked.append(row)
    ranked.sort(key=lambda r: (-(r["rate"] or 0), r["overdue"], r["organization__name"]))
    return ranked


def report_counts(reports, today=None) -> dict[str, int]:
    today = today or clock.today()
    return reports.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(status=c.ReportStatus.ACCEPTED)),
        submitted=Count("pk", filter=Q(status=c.ReportStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=c.ReportStatus.RETURNED)),
        overdue=Count("pk", filter=Q(status__in=c.OWED_REPORT_STATUSES, due_date__lt=today)),
        late=Count("pk", filter=Q(on_time=False)),  # before the alias `on_time` (above)
        on_time=Count("pk", filter=Q(on_time=True)),
    )


# --- a plan's overall progress ----------------------------------------------------------
#
# THE RULE (one place; every page, bulletin and API answer showing a plan's overall
# progress takes it from `overall_progress`):
#
#   overall = (targets' completion + tasks' completion) / 2, rounded to a whole percent
#
# - targets' completion: the mean, over the plan's own (top-level) targets, of how far
#   each has come from its baseline to its target value, each counted from 0 to 100%
#   (beyond the target is 100, below the baseline 0, no data yet 0): a target overshot
#   cannot make up for one not started;
# - tasks' completion: the weight of the plan's tasks (the actions under a task
#   included, each a row of the division-of-work table) marked done, over the weight of
#   all of them: only a task confirmed done counts, not the progress a unit reports on
#   it. With the default weights (1) it is "tasks done x/y" as a percent;
# - a plan with targets only (or tasks only) is judged on them alone; with neither, it
#   has no overall progress ("—").
#
# Why: a supervising officer (督查) checks what can be verified, the figures measured
# or accepted for the targets and the tasks confirmed done. The self-reported task
# progress behind the old "weighted progress" put a plan at 98% beside 1 of 6 tasks done,
# no target met and 5 tasks overdue.


# The rule as the pages and bulletins state it (the same msgid as
# plans/partials/_overall_rule.html).
OVERALL_RULE = gettext_lazy(
    "Overall progress = (targets’ completion + tasks’ completion) ÷ 2. A target counts "
    "by how far it has come from its baseline to its target value, at least 0 and at "
    "most 100 (no data yet: 0); a task counts by its weight once it is marked done."
)


@dataclass
class Overall:
    """A plan's overall progress (the rule above) and the parts it is derived from, as
    the pages show them side by side."""

    percent: int | None
    targets_percent: int | None
    targets_total: int
    targets_met: int
    targets_on_track: int
    targets_behind: int  # behind plan or missed
    tasks_percent: int | None
    tasks_total: int
    tasks_done: int
    tasks_overdue: int

    @property
    def targets_good(self) -> int:
        return self.targets_met + self.targets_on_track


def target_completion(standing: Standing) -> int:
    """One target's share in the rule: its percent, counted from 0 to 100."""
    return min(max(standing.percent or 0, 0), 100)


def _task_figures(plan_ids, today) -> dict[int, dict]:
    """Tasks per plan: total and done (count and weight), overdue (one query); overdue is
    counted as `task_counts` counts it (deadline passed, not done)."""
    done = Q(status=c.TaskStatus.DONE)
    overdue = Q(deadline__lt=today) & ~done
    rows = (
        Task.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=done),
            overdue=Count("pk", filter=overdue),
            done_weight=Sum("weight", filter=done),
            # Named apart from the field `weight`: an alias of the same name would shadow it.
            all_weight=Sum("weight"),
        )
        .order_by()
    )
    return {row["plan_id"]: row for row in rows}


def _overall(standings: list[tuple[str, int]], tasks: dict | None) -> Overall:
    """`standings`: (state, completion) of each top-level target."""
    states = [state for state, _completion in standings]
    targets_percent = (
        round(sum(completion for _state, completion in standings) / len(standings))
        if standings
        else None
    )
    tasks = tasks or {"total": 0, "done": 0, "overdue": 0, "all_weight": 0, "done_weight": 0}
    weight = tasks["all_weight"]
    tasks_percent = round((tasks["done_weight"] or 0) * 100 / weight) if weight else None
    parts = [p for p in (targets_percent, tasks_percent) if p is not None]
    return Overall(
        percent=round(sum(parts) / len(parts)) if parts else None,
        targets_percent=targets_percent,
        targets_total=len(standings),
        targets_met=states.count(c.TargetState.MET),
        targets_on_track=states.count(c.TargetState.ON_TRACK),
        targets_behind=states.count(c.TargetState.BEHIND) + states.count(c.TargetState.MISSED),
        tasks_percent=tasks_percent,
        tasks_total=tasks["total"],
        tasks_done=tasks["done"],
        tasks_overdue=tasks["overdue"],
    )


def overall_progress(plans, today=None, *, known=None) -> dict[int, Overall]:
    """The overall progress of each of `plans` by plan id, in a fixed number of queries
    whatever the number of plans (the top-level targets and their actual values, one
    aggregate of the tasks). `known`: the targets' standings when the caller has them
    already (one plan's page; parts are left out)."""
    today = today or clock.today()
    plans = list(plans)
    ids = [p.pk for p in plans]
    if known is None:
        by_plan = _cached_target_standings(ids, today)
    else:
        by_plan = {pk: [] for pk in ids}
        for one in known:
            if one.target.parent_id is None and one.target.plan_id in by_plan:
                by_plan[one.target.plan_id].append((one.state, target_completion(one)))
    tasks = _task_figures(ids, today)
    return {pk: _overall(by_plan[pk], tasks.get(pk)) for pk in ids}


# A list of plans (the officer's and the public one) takes its targets' standings from
# the shared cache, at most this old (seconds): a measured target counts live from the
# registries (hundreds of ms per plan at province scale, issue 16's profile), and a
# figure five minutes old is what a supervisor compares anyway. The tasks' part is
# always live; a plan's own page computes everything live (`known=`).
TARGETS_FRESH_SECONDS = 300


def _cached_target_standings(ids, today) -> dict[int, list[tuple[str, int]]]:
    keys = {pk: f"plans:overall-targets:{pk}:{today.isoformat()}" for pk in ids}
    hits = cache.get_many(list(keys.values()))
    by_plan = {pk: hits[key] for pk, key in keys.items() if key in hits}
    missing = [pk for pk in ids if pk not in by_plan]
    if missing:
        made: dict[int, list[tuple[str, int]]] = {pk: [] for pk in missing}
        targets = Target.objects.filter(plan_id__in=missing, parent__isnull=True).select_related(
            "region", "organization"
        )
        for one in standings(targets, today):
            made[one.target.plan_id].append((one.state, target_completion(one)))
        cache.set_many({keys[pk]: made[pk] for pk in missing}, TARGETS_FRESH_SECONDS)
        by_plan.update(made)
    return by_plan


def plan_overall(plan, today=None, *, known=None) -> Overall:
    """One plan's overall progress (see `overall_progress`)."""
    return overall_progress([plan], today, known=known)[plan.pk]
