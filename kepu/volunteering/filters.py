"""The FilterSets of volunteer service: one per list, shared by the back-office page and
its API endpoint (same parameter names, same meanings).

- `OrderFilter`: the order list page and `/api/v1/orders/`;
- `HourFilter`: the hour ledger page and `/api/v1/hours/`;
- `AssignmentFilter`: `/api/v1/assignments/` (the page of one's tasks has no filters);
- `CertificateFilter`: `/api/v1/certificates/` (certificates are listed on a volunteer's
  page, without filters).
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import periods, scope
from kepu.core.choices import KeyGroup
from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.volunteering import choices as c
from kepu.volunteering.models import Assignment, Certificate, HourEntry, ServiceOrder


class PeriodFilter(django_filters.CharFilter):
    """`?period=2025` (a year), `2025-03` (a month) or `2025Q3` (a quarter), read by
    `kepu.core.periods.parse_compact`: rows whose `field_name` falls in it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year, quarter or month (2025, 2025Q3, 2025-03)"))
        kwargs.setdefault("validators", [_valid_period])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        period = periods.parse_compact(value) if value else None
        if period is None:
            return qs
        return qs.filter(
            **{f"{self.field_name}__gte": period.start, f"{self.field_name}__lt": period.end}
        )


def _valid_period(value):
    if value and periods.parse_compact(value) is None:
        raise forms.ValidationError(_("Give a year, a quarter or a month: 2025, 2025Q3, 2025-03."))


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Order number or address"))
    status = django_filters.ChoiceFilter(choices=c.OrderStatus.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(
        choices=c.ServiceCategory.choices, label=_("Service category")
    )
    key_group = django_filters.ChoiceFilter(choices=KeyGroup.choices, label=_("Target group"))
    region = RegionSubtreeFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    escalated = django_filters.BooleanFilter(method="filter_escalated", label=_("Escalated"))
    date_from = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Ordered from")
    )
    date_to = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Ordered until")
    )

    class Meta:
        model = ServiceOrder
        fields = [
            "q",
            "status",
            "category",
            "key_group",
            "region",
            "overdue",
            "escalated",
            "date_from",
            "date_to",
        ]

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(number__istartswith=value) | Q(address__icontains=value))

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = qs.overdue()
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))

    def filter_escalated(self, qs, name, value):
        if value is None:
            return qs
        escalated = Q(escalated_to__isnull=False, status__in=c.OPEN_STATUSES)
        return qs.filter(escalated) if value else qs.exclude(escalated)


class HourFilter(django_filters.FilterSet):
    """The hour ledger (page and API). `mine=true` is "awaiting my approval": pending
    entries the user may decide (never their own), so the FilterSet needs the request."""

    team = IdFilter(field_name="team_id", label=_("Service team"))
    person = IdFilter(field_name="person_id", label=_("Volunteer"))
    q = django_filters.CharFilter(
        field_name="person__name", lookup_expr="icontains", label=_("Volunteer name")
    )
    status = django_filters.ChoiceFilter(choices=c.HourStatus.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=c.HourSource.choices, label=_("Source"))
    date_from = django_filters.DateFilter(
        field_name="started_at", lookup_expr="date__gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="started_at", lookup_expr="date__lte", label=_("Until")
    )
    period = PeriodFilter(field_name="started_at")
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Awaiting my approval"))

    class Meta:
        model = HourEntry
        fields = [
            "team",
            "person",
            "q",
            "status",
            "source",
            "date_from",
            "date_to",
            "period",
            "mine",
        ]

    def filter_mine(self, qs, name, value):
        if not value:
            return qs
        awaiting = scope.actionable(self.request.user, HourEntry, "approve").filter(
            status=c.HourStatus.PENDING
        )
        return qs.filter(pk__in=awaiting.values("pk"))


class AssignmentFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("My own"))
    order = IdFilter(field_name="order_id", label=_("Order"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Still to serve"))
    category = django_filters.ChoiceFilter(
        field_name="order__category", choices=c.ServiceCategory.choices, label=_("Service")
    )

    class Meta:
        model = Assignment
        fields = ["mine", "order", "open", "category"]

    def filter_mine(self, qs, name, value):
        if value is None:
            return qs
        mine = {"person__user": self.request.user}
        return qs.filter(**mine) if value else qs.exclude(**mine)

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        waiting = {
            "order__status__in": (c.OrderStatus.ACCEPTED, c.OrderStatus.IN_SERVICE),
            "checked_out_at__isnull": True,
        }
        return qs.filter(**waiting) if value else qs.exclude(**waiting)


class CertificateFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", label=_("Volunteer"))
    team = IdFilter(field_name="team_id", label=_("Service team"))

    class Meta:
        model = Certificate
        fields = ["person", "team"]
