"""The states the plan services can produce, stated once (`kepu.core.invariants`): the demo
test (data made through the services) and any bulk writer must satisfy them. Each check
runs a fixed number of queries and names at most `LIMIT` rows per violated statement."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from kepu.core import periods
from kepu.core.invariants import invariant
from kepu.plans import choices as c
from kepu.plans.models import (
    Plan,
    ProgressReport,
    ReportEvent,
    ReportFigure,
    SupervisionNote,
    Target,
    Task,
    TaskUnit,
)

LIMIT = 20
REVIEWED = (c.ReportStatus.ACCEPTED, c.ReportStatus.RETURNED)
SUBMITTED_ONCE = (c.ReportStatus.SUBMITTED, *REVIEWED)


def _each(queryset, problem: str) -> Iterator[str]:
    """One sentence per row of `queryset` (at most LIMIT): "<model> <pk>: <problem>"."""
    name = queryset.model._meta.model_name
    for pk in queryset.order_by("pk").values_list("pk", flat=True)[:LIMIT]:
        yield f"{name} {pk}: {problem}"


@invariant("plans")
def plan_status_and_publication() -> Iterable[str]:
    """A published or closed plan has its publication time; a draft has none."""
    yield from _each(
        Plan.objects.filter(status__in=c.PUBLIC_PLAN_STATUSES, published_at__isnull=True),
        "published or closed, without a publication time",
    )
    yield from _each(
        Plan.objects.filter(status=c.PlanStatus.DRAFT, published_at__isnull=False),
        "a draft with a publication time",
    )
    yield from _each(
        Plan.objects.filter(period_end__lt=F("period_start")), "its period ends before it starts"
    )


@invariant("plans")
def tasks_have_one_lead_and_stay_in_their_plan() -> Iterable[str]:
    """Every task has its lead unit; its section and parent task are of its own plan, and
    tasks go two levels deep."""
    lead = TaskUnit.objects.filter(task=OuterRef("pk"), is_lead=True)
    yield from _each(Task.objects.filter(~Exists(lead)), "no lead unit")
    yield from _each(
        Task.objects.filter(section__isnull=False).exclude(section__plan_id=F("plan_id")),
        "its section belongs to another plan",
    )
    yield from _each(
        Task.objects.filter(parent__isnull=False).exclude(parent__plan_id=F("plan_id")),
        "its parent task belongs to another plan",
    )
    yield from _each(
        Task.objects.filter(parent__parent__isnull=False), "nested more than two levels deep"
    )


@invariant("plans")
def task_status_matches_completion() -> Iterable[str]:
    """A done task is complete (100 %) with its completion date; an open one has none."""
    yield from _each(
        Task.objects.filter(status=c.TaskStatus.DONE).filter(
            Q(completed_on__isnull=True) | ~Q(progress=100)
        ),
        "done without 100 % progress and a completion date",
    )
    yield from _each(
        Task.objects.exclude(status=c.TaskStatus.DONE).filter(completed_on__isnull=False),
        "not done but with a completion date",
    )


@invariant("plans")
def target_parts_add_up() -> Iterable[str]:
    """A decomposed additive target's parts add up to it exactly; parts are one level
    deep, of the same plan, and every target's deadline comes after its baseline."""
    sums = (
        Target.objects.filter(parent__isnull=True, additive=True)
        .annotate(n=Count("parts"), total=Sum("parts__target_value"))
        .filter(n__gt=0)
        .exclude(total=F("target_value"))
    )
    yield from _each(sums, "its parts do not add up to it")
    yield from _each(
        Target.objects.filter(parent__parent__isnull=False), "a part of a part (too deep)"
    )
    yield from _each(
        Target.objects.filter(parent__isnull=False).exclude(parent__plan_id=F("plan_id")),
        "a part in another plan than its target",
    )
    yield from _each(
        Target.objects.filter(deadline__lte=F("baseline_date")),
        "its deadline is not after its baseline date",
    )


@invariant("plans")
def report_status_matches_its_times() -> Iterable[str]:
    """A report owed for the first time has no submission; a submitted or reviewed one has
    its submission time and whether it was on time; a reviewed one its review time after
    it; a returned one its reason, an accepted one none."""
    reports = ProgressReport.objects
    yield from _each(
        reports.filter(status=c.ReportStatus.PENDING).filter(
            Q(submitted_at__isnull=False) | Q(on_time__isnull=False) | Q(reviewed_at__isnull=False)
        ),
        "awaiting its first report, yet submitted or reviewed",
    )
    yield from _each(
        reports.filter(status__in=SUBMITTED_ONCE).filter(
            Q(submitted_at__isnull=True) | Q(on_time__isnull=True)
        ),
        "submitted without a submission time or on-time flag",
    )
    yield from _each(
        reports.filter(status__in=REVIEWED).filter(
            Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=F("submitted_at"))
        ),
        "reviewed without a review time after its submission",
    )
    yield from _each(
        reports.filter(status=c.ReportStatus.RETURNED, return_reason=""),
        "returned without a reason",
    )
    yield from _each(
        reports.filter(status=c.ReportStatus.ACCEPTED).exclude(return_reason=""),
        "accepted but still carrying a reason for return",
    )


@invariant("plans")
def report_history_tells_its_status() -> Iterable[str]:
    """The history of a report has its submission, and its acceptance or return."""

    def event(action):
        return Exists(ReportEvent.objects.filter(report=OuterRef("pk"), action=action))

    yield from _each(
        ProgressReport.objects.filter(status__in=SUBMITTED_ONCE).filter(
            ~event(c.ReportAction.SUBMITTED)
        ),
        "submitted, but its history has no submission",
    )
    yield from _each(
        ProgressReport.objects.filter(status=c.ReportStatus.ACCEPTED).filter(
            ~event(c.ReportAction.ACCEPTED)
        ),
        "accepted, but its history has no acceptance",
    )
    yield from _each(
        ProgressReport.objects.filter(status=c.ReportStatus.RETURNED).filter(
            ~event(c.ReportAction.RETURNED)
        ),
        "returned, but its history has no return",
    )


@invariant("plans")
def report_periods_follow_the_plans_cycle() -> Iterable[str]:
    """A report covers one whole month or quarter, of its plan's reporting cycle, and is
    due after that period ends."""
    spans = (
        ProgressReport.objects.order_by()
        .values_list("period_start", "period_end", "task__plan__report_cycle")
        .distinct()
    )
    wrong = [
        (first, last)
        for first, last, cycle in spans
        if periods.period_of(first, last).kind != c.CYCLE_PERIOD.get(cycle)
    ]
    for first, last in wrong[:LIMIT]:
        yield f"reports of {first}–{last}: not a whole period of their plan's reporting cycle"
    yield from _each(
        ProgressReport.objects.filter(due_date__lt=F("period_end")),
        "due before its period ends",
    )


@invariant("plans")
def figures_are_for_the_reports_plan() -> Iterable[str]:
    """A report gives figures only for targets of its own plan (a target's task and
    source may be changed later, its plan never)."""
    yield from _each(
        ReportFigure.objects.exclude(target__plan_id=F("report__task__plan_id")),
        "a figure for a target of another plan",
    )


@invariant("plans")
def answered_notes_have_their_answer() -> Iterable[str]:
    """An answered supervision note has its answer; an open one has none."""
    yield from _each(
        SupervisionNote.objects.filter(responded_at__isnull=False, response=""),
        "answered without an answer",
    )
    yield from _each(
        SupervisionNote.objects.filter(responded_at__isnull=True).exclude(response=""),
        "an answer without its time",
    )


@invariant("plans")
def figures_are_for_targets_their_report_covers() -> Iterable[str]:
    """A figure is given for a reported target of the report's own task: the whole task's
    (not decomposed) or the reporting unit's part (`services.reportable_targets`)."""
    covered = Q(target__task_id=F("report__task_id"), target__source=c.TargetSource.REPORTED) & (
        Q(target__organization__isnull=True, target__parts__isnull=True)
        | Q(target__organization_id=F("report__organization_id"))
    )
    valid = ReportFigure.objects.filter(covered).values("pk")
    yield from _each(
        ReportFigure.objects.exclude(pk__in=valid),
        "a figure for a target its report does not cover",
    )


from kepu.plans import assessment_invariants  # noqa: E402, F401
