"""Filters of the back-office catalog list (the list page and its export share them)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import KeyGroup, Topic
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.models import Organization
from kepu.core.search import search
from kepu.resources import choices as c
from kepu.resources.models import Resource

# How far ahead "review due soon" looks (the reminder window of the catalog).
DUE_SOON_DAYS = 60

STAGE_CHOICES = [
    (value, label) for value, label in c.VersionStatus.choices if value in c.OPEN_VERSION_STATUSES
]
DUE_CHOICES = [
    ("soon", _("Review due within 60 days")),
    ("overdue", _("Review overdue")),
]
EMERGENCY_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class ResourceFilter(django_filters.FilterSet):
    """What the back office filters the catalog on: the words, the kind of entry, where it
    is in its life and its workflow, whom it is for, where, whose, and when it must next
    be reviewed."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    type = django_filters.ChoiceFilter(
        field_name="resource_type", choices=c.ResourceType.choices, label=_("Resource type")
    )
    status = django_filters.ChoiceFilter(choices=c.ResourceStatus.choices, label=_("Status"))
    stage = django_filters.ChoiceFilter(
        choices=STAGE_CHOICES, method="filter_stage", label=_("Workflow stage")
    )
    group = django_filters.ChoiceFilter(
        choices=KeyGroup.choices, method="filter_group", label=_("Key group")
    )
    topic = django_filters.ChoiceFilter(
        choices=Topic.choices, method="filter_topic", label=_("Topic")
    )
    emergency = django_filters.ChoiceFilter(
        choices=EMERGENCY_CHOICES, method="filter_emergency", label=_("Emergency library")
    )
    region = RegionSubtreeFilter()
    owner = django_filters.ModelChoiceFilter(
        field_name="organization",
        queryset=Organization.objects.all(),
        label=_("Owner unit"),
    )
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, method="filter_due", label=_("Review-by date")
    )

    class Meta:
        model = Resource
        fields = [
            "q",
            "type",
            "status",
            "stage",
            "group",
            "topic",
            "emergency",
            "region",
            "owner",
            "due",
        ]

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.filters["owner"].queryset = owners
            self.form.fields["owner"].queryset = owners

    def filter_q(self, qs, name, value):
        return search(qs, value, fields=Resource.SEARCH_FIELDS)

    def filter_stage(self, qs, name, value):
        return qs.in_stage(value)

    def filter_group(self, qs, name, value):
        return qs.filter(pk__in=Resource.objects.tagged(c.TagKind.GROUP, value).values("pk"))

    def filter_topic(self, qs, name, value):
        tagged = Resource.objects.filter(
            tags__kind__in=(c.TagKind.TOPIC, c.TagKind.HAZARD), tags__code=value
        )
        return qs.filter(pk__in=tagged.values("pk"))

    def filter_emergency(self, qs, name, value):
        return qs.filter(is_emergency=value == "yes")

    def filter_due(self, qs, name, value):
        today = timezone.localdate()
        published = Q(status=c.ResourceStatus.PUBLISHED, review_by__isnull=False)
        if value == "overdue":
            return qs.filter(published, review_by__lt=today)
        return qs.filter(
            published,
            review_by__gte=today,
            review_by__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
