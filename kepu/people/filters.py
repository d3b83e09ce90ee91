import datetime

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core import clock, scope
from kepu.core.choices import Topic
from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.people import choices as c
from kepu.people.models import (
    OfficerActivity,
    Person,
    PoolMembership,
    Registration,
    ServiceGroup,
    Team,
    TeamHonour,
)

# A searched or filtered list counts its rows up to here ("1,000+"): a frequent term
# reaches that after a few thousand rows, where the general cap (10,000) read tens of
# thousands per request. The page and the API share it.
FILTERED_COUNT_CAP = 1_000


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=c.RegistrationKind.choices, method="filter_kind", label=_("Registration")
    )
    region = RegionSubtreeFilter()
    discipline = django_filters.ChoiceFilter(choices=c.Discipline.choices, label=_("Discipline"))
    title_level = django_filters.ChoiceFilter(choices=c.TitleLevel.choices, label=_("Title level"))

    class Meta:
        model = Person
        fields = ["q", "kind", "region", "discipline", "title_level"]

    def filter_q(self, qs, name, value):
        """Chinese full-text search (exact "contains" semantics) over name, specialties,
        title and organization; an ID or phone number is found by its keyed hash."""
        from kepu.core import crypto, pii

        value = value.strip()
        compact = pii.normalize_phone(value)
        if compact.isdigit() and len(compact) == 11:
            return qs.filter(phone_hash=crypto.blind_index(compact))
        number = pii.normalize_id(value)
        if len(number) >= 15 and number[:-1].isascii() and number[:-1].isdigit():
            return qs.filter(id_hash=crypto.blind_index(number))
        return qs.matching(value)

    def filter_kind(self, qs, name, value):
        return qs.holding(value)


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.RegistrationStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=c.RegistrationKind.choices, label=_("Kind"))
    region = RegionSubtreeFilter()
    # "Awaiting me" (the workbench's link): pending registrations the user may certify,
    # never the ones they entered themselves (four-eyes), so the FilterSet needs the request.
    awaiting = django_filters.BooleanFilter(method="filter_awaiting", label=_("Awaiting me"))

    class Meta:
        model = Registration
        fields = ["status", "kind", "region", "awaiting"]

    def filter_awaiting(self, qs, name, value):
        if not value or self.request is None:
            return qs
        awaiting = scope.actionable(self.request.user, Registration, "review").filter(
            status=c.RegistrationStatus.PENDING
        )
        return qs.filter(pk__in=awaiting.values("pk"))


class ExpertFilter(django_filters.FilterSet):
    """Find experts: e.g. available emergency experts on earthquakes in a city."""

    pool_kind = django_filters.ChoiceFilter(
        field_name="pool__kind", choices=c.PoolKind.choices, label=_("Pool")
    )
    topic = django_filters.ChoiceFilter(
        field_name="topics__topic", choices=Topic.choices, label=_("Domain")
    )
    region = RegionSubtreeFilter(lookup_prefix="person__region")
    available = django_filters.BooleanFilter(method="filter_available", label=_("Available now"))

    class Meta:
        model = PoolMembership
        fields = ["pool_kind", "topic", "region", "available"]

    def filter_available(self, qs, name, value):
        return qs.available_on(clock.today()) if value else qs


# --- training as a process ----------------------------------------------------------------


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="contains", label=_("Title"))
    audience = django_filters.ChoiceFilter(
        choices=c.Audience.choices, label=pgettext_lazy("training", "Audience")
    )
    region = RegionSubtreeFilter()

    class Meta:
        from kepu.people.models import Course

        model = Course
        fields = ["q", "audience", "region"]


class SessionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.SessionStatus.choices, label=_("Status"))
    audience = django_filters.ChoiceFilter(
        field_name="course__audience",
        choices=c.Audience.choices,
        label=pgettext_lazy("training", "Audience"),
    )
    course = IdFilter(field_name="course_id", label=_("Course"))
    region = RegionSubtreeFilter()

    class Meta:
        from kepu.people.models import TrainingSession

        model = TrainingSession
        fields = ["status", "audience", "course", "region"]


class EnrolmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.EnrolmentStatus.choices, label=_("Status"))
    session = IdFilter(field_name="session_id", label=_("Session"))
    audience = django_filters.ChoiceFilter(
        choices=c.Audience.choices, label=pgettext_lazy("training", "Audience")
    )
    region = RegionSubtreeFilter()

    class Meta:
        from kepu.people.models import Enrolment

        model = Enrolment
        fields = ["status", "session", "audience", "region"]


class TeamFilter(django_filters.FilterSet):
    """The team list (page and API): by certification status, region and parent team
    (`?parent=<id>` its sub-teams; `?level=top` teams without a parent)."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    status = django_filters.ChoiceFilter(choices=c.TeamStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()
    parent = IdFilter(field_name="parent_id", label=_("Parent team"))
    level = django_filters.ChoiceFilter(
        choices=[("top", _("Top-level teams")), ("sub", _("Sub-teams"))],
        method="filter_level",
        label=_("Level"),
    )

    class Meta:
        model = Team
        fields = ["q", "status", "region", "parent", "level"]

    def filter_level(self, qs, name, value):
        return qs.filter(parent__isnull=value == "top") if value else qs


class ServiceGroupFilter(django_filters.FilterSet):
    """Service groups by the region organizing them or a county they serve."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    county = django_filters.CharFilter(method="filter_county", label=_("Serving the region"))
    year = IdFilter(method="filter_year", min_value=1949, max_value=2100, label=_("Active in year"))

    class Meta:
        model = ServiceGroup
        fields = ["q", "county", "year"]

    def filter_county(self, qs, name, value):
        """Groups serving a county in the region's subtree (a subquery: no repeated row)."""
        from kepu.people.models import ServiceGroupCounty

        served = RegionSubtreeFilter(lookup_prefix="county").filter(
            ServiceGroupCounty.objects.all(), value
        )
        return qs.filter(pk__in=served.values("group_id")) if value else qs

    def filter_year(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(period_start__year__lte=value, period_end__year__gte=value)


class TeamHonourFilter(django_filters.FilterSet):
    honour = django_filters.ChoiceFilter(choices=c.TeamHonourKind.choices, label=_("Honour"))
    year = IdFilter(field_name="year", min_value=1949, max_value=2100, label=_("Year"))
    region = RegionSubtreeFilter(lookup_prefix="team__region")

    class Meta:
        model = TeamHonour
        fields = ["honour", "year", "region"]


class OfficerActivityFilter(django_filters.FilterSet):
    """The information officers' activity log (page and API)."""

    month = django_filters.CharFilter(method="filter_month", label=_("Month (YYYY-MM)"))
    channel = django_filters.ChoiceFilter(choices=c.Channel.choices, label=_("Channel"))
    region = RegionSubtreeFilter()

    class Meta:
        model = OfficerActivity
        fields = ["month", "channel", "region"]

    def filter_month(self, qs, name, value):
        month = parse_month(value)
        if month is None:
            return qs.none()
        from kepu.people.officer_months import next_month

        return qs.filter(date__gte=month, date__lt=next_month(month))


def parse_month(value) -> datetime.date | None:
    """`YYYY-MM` (or a date in the month) as the month's first day, else None."""
    value = (value or "").strip()
    try:
        year, month = (int(part) for part in value[:7].split("-"))
        return datetime.date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None
