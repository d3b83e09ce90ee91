"""The filters of the plan lists: one FilterSet per list, used by its back-office (or
portal) page and by its API endpoint alike, with the same parameter names and meanings.

- plans: `plans:plan_list` and /api/v1/plans/ (PlanFilter);
- published plans: `plans:public_plan_list` and /api/v1/public/plans/ (PublicPlanFilter);
- tasks: /api/v1/plans/tasks/ (TaskFilter; the plan's page lists all its tasks);
- targets: `plans:target_list` and /api/v1/plans/targets/ (TargetFilter);
- progress reports: `plans:report_list` and /api/v1/plans/reports/ (ProgressReportFilter);
- supervision notes: /api/v1/plans/notes/ (NoteFilter; the task's page lists its notes).
"""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.core.workdays import add_working_days
from kepu.plans import assessment_choices as ac
from kepu.plans import choices as c
from kepu.plans.models import Meeting, Plan, ProgressReport, SupervisionNote, Target, Task
from kepu.plans.models.assessment import AssessmentEntry, AssessmentRound

# "Due soon": owed reports due within this many working days from today.
DUE_SOON_WORKING_DAYS = 5


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=c.PlanStatus.choices, label=_("Status"))
    year = IdFilter(method="filter_year", min_value=1, max_value=9999, label=_("Year"))
    region = RegionSubtreeFilter()

    class Meta:
        model = Plan
        fields = ["q", "status", "year", "region"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(title__icontains=value) | Q(short_title__icontains=value))

    def filter_year(self, qs, name, value):
        """Plans whose period overlaps the year."""
        if not 1900 < value < 2200:
            return qs.none()
        return qs.filter(
            period_start__lte=datetime.date(value, 12, 31),
            period_end__gte=datetime.date(value, 1, 1),
        )


class PublicPlanFilter(PlanFilter):
    """The published plans of the portal: the same filters, the public statuses only."""

    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in c.PUBLIC_PLAN_STATUSES], label=_("Status")
    )


class TaskFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label=_("Plan"))
    section = IdFilter(field_name="section_id", label=_("Section"))
    unit = IdFilter(field_name="units__organization_id", label=_("Lead or responsible unit"))
    status = django_filters.ChoiceFilter(
        choices=list(c.TASK_DISPLAY.items()),
        method="filter_status",
        label=_("Status (as displayed: overdue apart)"),
    )

    class Meta:
        model = Task
        fields = ["plan", "section", "unit", "status"]

    def filter_status(self, qs, name, value):
        # The displayed status: an overdue task counts as overdue, not as its stored
        # status (as in progress.task_counts).
        if value == c.TASK_OVERDUE:
            return qs.overdue()
        return qs.filter(status=value).exclude(pk__in=qs.overdue().values("pk"))


class TargetFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label=_("Plan"))
    task = IdFilter(field_name="task_id", label=_("Task"))
    region = RegionSubtreeFilter()
    source = django_filters.ChoiceFilter(
        choices=c.TargetSource.choices, label=_("Actual value from")
    )
    top = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Not a part of a target")
    )
    state = django_filters.ChoiceFilter(
        choices=c.TargetState.choices, method="filter_state", label=_("Standing")
    )

    class Meta:
        model = Target
        fields = ["plan", "task", "region", "source", "top", "state"]

    def filter_state(self, qs, name, value):
        """The standing is computed, not stored: compute it for every target the other
        filters keep (a fixed number of queries) and keep those in that standing."""
        from kepu.plans import progress

        rows = qs.select_related("region", "organization")
        keep = [s.target.pk for s in progress.standings(rows, clock.today()) if s.state == value]
        return qs.filter(pk__in=keep)


class ProgressReportFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="task__plan_id", label=_("Plan"))
    task = IdFilter(field_name="task_id", label=_("Task"))
    status = django_filters.ChoiceFilter(choices=c.ReportStatus.choices, label=_("Status"))
    unit = IdFilter(field_name="organization_id", label=_("Reporting unit"))
    # The same as `unit` (the name the API has always accepted too).
    organization = IdFilter(field_name="organization_id", label=_("Reporting unit"))
    period = django_filters.DateFilter(field_name="period_start", label=_("Period"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"))
    due_soon = django_filters.BooleanFilter(method="filter_due_soon", label=_("Due soon"))

    class Meta:
        model = ProgressReport
        fields = ["plan", "task", "status", "unit", "organization", "period", "overdue", "due_soon"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = qs.overdue(clock.today())
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))

    def filter_due_soon(self, qs, name, value):
        """Owed reports due from today to DUE_SOON_WORKING_DAYS working days ahead."""
        if not value:
            return qs
        today = clock.today()
        last = add_working_days(today, DUE_SOON_WORKING_DAYS)
        return qs.owed().filter(due_date__gte=today, due_date__lte=last)


class NoteFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="task__plan_id", label=_("Plan"))
    task = IdFilter(field_name="task_id", label=_("Task"))
    open = django_filters.BooleanFilter(
        field_name="responded_at", lookup_expr="isnull", label=_("Not answered yet")
    )

    class Meta:
        model = SupervisionNote
        fields = ["plan", "task", "open"]


class MeetingFilter(django_filters.FilterSet):
    """Joint-conference meetings: `plans:meeting_list` and /api/v1/plans/meetings/."""

    conference = IdFilter(field_name="conference_id", label=_("Conference"))
    region = RegionSubtreeFilter(lookup_prefix="conference__region")
    year = IdFilter(method="filter_year", min_value=1949, max_value=2100, label=_("Year"))

    class Meta:
        model = Meeting
        fields = ["conference", "region", "year"]

    def filter_year(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            date__gte=datetime.date(int(value), 1, 1), date__lt=datetime.date(int(value) + 1, 1, 1)
        )


class AssessmentRoundFilter(django_filters.FilterSet):
    """The assessment rounds list (page and API)."""

    year = IdFilter(field_name="year", min_value=2000, max_value=2100, label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=ac.SubjectKind.choices, label=_("Assesses"))
    status = django_filters.ChoiceFilter(choices=ac.RoundStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()

    class Meta:
        model = AssessmentRound
        fields = ["year", "kind", "status", "region"]


class AssessmentEntryFilter(django_filters.FilterSet):
    """The regions and units of assessment rounds (API), by round, status and region."""

    round = IdFilter(field_name="round_id", label=_("Assessment round"))
    status = django_filters.ChoiceFilter(choices=ac.EntryStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()

    class Meta:
        model = AssessmentEntry
        fields = ["round", "status", "region"]
