"""Filters of the plan lists (the back-office pages and the API share them)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.workdays import add_working_days
from kepu.plans import choices as c
from kepu.plans.models import Plan, ProgressReport

# "Due soon": owed reports due within this many working days from today.
DUE_SOON_WORKING_DAYS = 5


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=c.PlanStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Year"))

    class Meta:
        model = Plan
        fields = ["q", "status", "year"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(title__icontains=value) | Q(short_title__icontains=value))

    def filter_year(self, qs, name, value):
        """Plans whose period overlaps the year."""
        year = int(value)
        if not 1900 < year < 2200:
            return qs.none()
        return qs.filter(
            period_start__lte=datetime.date(year, 12, 31),
            period_end__gte=datetime.date(year, 1, 1),
        )


class ProgressReportFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="task__plan_id", label=_("Plan"))
    task = django_filters.NumberFilter(field_name="task_id", label=_("Task"))
    status = django_filters.ChoiceFilter(choices=c.ReportStatus.choices, label=_("Status"))
    unit = django_filters.NumberFilter(field_name="organization_id", label=_("Reporting unit"))
    period = django_filters.DateFilter(field_name="period_start", label=_("Period"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"))
    due_soon = django_filters.BooleanFilter(method="filter_due_soon", label=_("Due soon"))

    class Meta:
        model = ProgressReport
        fields = ["plan", "task", "status", "unit", "period", "overdue", "due_soon"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = qs.overdue()
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))

    def filter_due_soon(self, qs, name, value):
        """Owed reports due from today to DUE_SOON_WORKING_DAYS working days ahead."""
        if not value:
            return qs
        today = timezone.localdate()
        last = add_working_days(today, DUE_SOON_WORKING_DAYS)
        return qs.owed().filter(due_date__gte=today, due_date__lte=last)
