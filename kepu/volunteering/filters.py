"""Filters of the service order list (the back-office page and the API share them)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import KeyGroup
from kepu.core.filters import RegionSubtreeFilter
from kepu.volunteering import choices as c
from kepu.volunteering.models import ServiceOrder


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
