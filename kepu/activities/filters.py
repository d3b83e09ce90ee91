"""Filters of the activity lists (back office, public calendar and API share them)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.activities import choices as c
from kepu.activities.models import Activity, Campaign
from kepu.core.choices import KeyGroup, Topic
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.search import search


class CalendarFilter(django_filters.FilterSet):
    """What the public may filter on."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    region = RegionSubtreeFilter()
    group = django_filters.ChoiceFilter(
        choices=KeyGroup.choices, method="filter_group", label=_("Key group")
    )
    topic = django_filters.ChoiceFilter(
        choices=Topic.choices, method="filter_topic", label=_("Topic")
    )
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(), label=_("Campaign")
    )
    kind = django_filters.ChoiceFilter(choices=c.ActivityKind.choices, label=_("Activity type"))
    date_from = django_filters.DateFilter(
        field_name="ends_at", lookup_expr="date__gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("Until")
    )

    class Meta:
        model = Activity
        fields = ["q", "region", "group", "topic", "campaign", "kind", "date_from", "date_to"]

    def filter_q(self, qs, name, value):
        return search(qs, value, fields=Activity.SEARCH_FIELDS)

    def filter_group(self, qs, name, value):
        return qs.tagged(c.TagKind.GROUP, value)

    def filter_topic(self, qs, name, value):
        return qs.tagged(c.TagKind.TOPIC, value)


class ActivityFilter(CalendarFilter):
    """The back office adds the workflow."""

    status = django_filters.ChoiceFilter(choices=c.ActivityStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Report overdue"))
    facility = django_filters.NumberFilter(field_name="facility_id", label=_("Mobile facility"))

    class Meta(CalendarFilter.Meta):
        fields = [*CalendarFilter.Meta.fields, "status", "overdue", "facility"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = qs.report_overdue()
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))
