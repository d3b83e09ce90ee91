"""Filters of the service order list (the back-office page and the API share them) and of
the hour ledger page."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import KeyGroup
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.scope import visible_to
from kepu.people.models import Team
from kepu.volunteering import choices as c
from kepu.volunteering.forms import hour_teams
from kepu.volunteering.models import HourEntry, ServiceOrder


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
    """The hour ledger's filters (the view passes the request: the teams and the
    "awaiting my approval" shortcut depend on the user)."""

    team = django_filters.ModelChoiceFilter(
        queryset=lambda request: hour_teams(request.user) if request else Team.objects.none(),
        label=_("Service team"),
    )
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
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Awaiting my approval"))

    class Meta:
        model = HourEntry
        fields = ["team", "q", "status", "source", "date_from", "date_to", "mine"]

    def filter_mine(self, qs, name, value):
        if not value:
            return qs
        user = self.request.user
        approvable = visible_to(user, HourEntry, "approve", public=False)
        return qs.filter(status=c.HourStatus.PENDING, pk__in=approvable.values("pk")).exclude(
            person__user=user
        )
