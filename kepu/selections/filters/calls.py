"""FilterSets of calls and entries: each used by its list page, its export and its API
endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry


class CallFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=c.CallKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=c.CallStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()

    class Meta:
        model = Call
        fields = ["year", "kind", "status", "region"]


class EntryFilter(django_filters.FilterSet):
    call = IdFilter(field_name="call_id", label=_("Call"))
    status = django_filters.ChoiceFilter(choices=c.EntryStatus.choices, label=_("Status"))
    route = django_filters.ChoiceFilter(choices=c.Route.choices, label=_("Route"))
    category = django_filters.CharFilter(field_name="category", label=_("Category"), max_length=30)
    region = RegionSubtreeFilter()

    class Meta:
        model = Entry
        fields = ["call", "status", "route", "category", "region"]
