"""The FilterSets of the activity lists, each shared by the list page and its API
endpoint (same parameter names, same meanings):

- ActivityFilter: the back-office list `/activities/` and `GET /api/v1/activities/`;
- CalendarFilter: the public calendar and its iCalendar feed (the public subset of it);
- CampaignFilter: `/activities/campaigns/` and `GET /api/v1/campaigns/`;
- FacilityFilter: `/activities/facilities/` and `GET /api/v1/facilities/`;
- SignUpFilter: an activity's sign-ups page and `GET /api/v1/activities/{id}/signups/`.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.activities import choices as c
from kepu.activities.models import Activity, Campaign, MobileFacility, SignUp
from kepu.core.choices import KeyGroup, Topic
from kepu.core.filters import IdFilter, RegionSubtreeFilter


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
        return qs.search(value)

    def filter_group(self, qs, name, value):
        return qs.tagged(c.TagKind.GROUP, value)

    def filter_topic(self, qs, name, value):
        return qs.tagged(c.TagKind.TOPIC, value)


class ActivityFilter(CalendarFilter):
    """The back office adds the workflow."""

    status = django_filters.ChoiceFilter(choices=c.ActivityStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Report overdue"))
    facility = IdFilter(field_name="facility_id", label=_("Mobile facility"))

    class Meta(CalendarFilter.Meta):
        fields = [*CalendarFilter.Meta.fields, "status", "overdue", "facility"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = qs.report_overdue()
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))


class CampaignFilter(django_filters.FilterSet):
    """Campaigns by year and kind (the page picks this year, or the latest, when no year
    is asked; the API lists every year)."""

    year = IdFilter(min_value=1, max_value=9999, label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=c.CampaignKind.choices, label=_("Kind"))

    class Meta:
        model = Campaign
        fields = ["year", "kind"]


class FacilityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=c.FacilityKind.choices, label=_("Kind"))
    is_active = django_filters.BooleanFilter(label=_("In service"))

    class Meta:
        model = MobileFacility
        fields = ["kind", "is_active"]


class SignUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.SignUpStatus.choices, label=_("Status"))

    class Meta:
        model = SignUp
        fields = ["status"]
