"""The catalog's FilterSets, one per list, each shared by the list page and its API
endpoint (same parameter names, same meanings):

- `ResourceFilter`: the back-office catalog (the list page `/resources/manage/`, its
  Excel export and `GET /api/v1/resources/`);
- `PublicResourceFilter`: the published catalog (`GET /api/v1/public/resources/` and its
  facets; the portal's faceted pages read the same parameters through
  `views.catalog.CatalogQuery`, which must keep these names and meanings).
"""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.choices import KeyGroup, Topic
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.models import Organization
from kepu.core.scope import visible_to
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


class _YesNoField(django_filters.fields.ChoiceField):
    """ "yes" / "no", also spelled as the API's booleans ("true", "false", "1", "0")."""

    ALIASES = {"true": "yes", "1": "yes", "on": "yes", "false": "no", "0": "no", "off": "no"}

    def to_python(self, value):
        value = super().to_python(value)
        return self.ALIASES.get(str(value).lower(), value)


class YesNoFilter(django_filters.ChoiceFilter):
    field_class = _YesNoField


def _owner_units(request):
    """The units owning entries the caller sees in the back office (the owner choices)."""
    if request is None:
        return Organization.objects.none()
    entries = visible_to(request.user, Resource, "view", public=False)
    return Organization.objects.filter(pk__in=entries.values("organization")).order_by("name")


class ResourceFilter(django_filters.FilterSet):
    """What the back office filters the catalog on, on the list page and the API alike:
    the words, the kind of entry, where it is in its life (`status`) and its workflow
    (`stage`: the status of its open version), whom it is for (`group`), what it is
    about, whether it is in the emergency library, where (`region`, its subtree, by
    code), whose (`owner`: the owner unit's id, among the units of the caller's entries)
    and when it must next be reviewed (`due`: `soon` within 60 days, or `overdue`).

    `topic` means the topic **or** the hazard type (an entry about earthquakes is found
    whether it was tagged with the topic or with the hazard; the hazard codes are
    topics); `hazard` narrows to the hazard tag alone. `emergency` is `yes` / `no` (the
    API's `true` / `false` are accepted too). Before the merge of the page's and the
    API's filters the API's `topic` meant the topic tag only, and `owner` and `due` were
    on the page only."""

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
    hazard = django_filters.ChoiceFilter(
        choices=c.HAZARD_CHOICES, method="filter_hazard", label=_("Hazard type")
    )
    emergency = YesNoFilter(
        choices=EMERGENCY_CHOICES, method="filter_emergency", label=_("Emergency library")
    )
    region = RegionSubtreeFilter()
    owner = django_filters.ModelChoiceFilter(
        field_name="organization", queryset=_owner_units, label=_("Owner unit")
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
            "hazard",
            "emergency",
            "region",
            "owner",
            "due",
        ]

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

    def filter_hazard(self, qs, name, value):
        return qs.filter(pk__in=Resource.objects.tagged(c.TagKind.HAZARD, value).values("pk"))

    def filter_emergency(self, qs, name, value):
        return qs.filter(is_emergency=value == "yes")

    def filter_due(self, qs, name, value):
        today = clock.today()
        published = Q(status=c.ResourceStatus.PUBLISHED, review_by__isnull=False)
        if value == "overdue":
            return qs.filter(published, review_by__lt=today)
        return qs.filter(
            published,
            review_by__gte=today,
            review_by__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )


class PublicResourceFilter(django_filters.FilterSet):
    """The portal's filters: words (Chinese full text), type, key group, topic (the topic
    tag), hazard (the hazard tag), region (its subtree, by code) and the emergency
    library. The portal pages (`CatalogQuery`) take the same names and meanings."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    type = django_filters.ChoiceFilter(
        field_name="resource_type", choices=c.ResourceType.choices, label=_("Type")
    )
    group = django_filters.ChoiceFilter(
        choices=KeyGroup.choices, method="filter_tag", label=_("Key group")
    )
    topic = django_filters.ChoiceFilter(
        choices=Topic.choices, method="filter_tag", label=_("Topic")
    )
    hazard = django_filters.ChoiceFilter(
        choices=c.HAZARD_CHOICES, method="filter_tag", label=_("Hazard type")
    )
    region = RegionSubtreeFilter()
    emergency = django_filters.BooleanFilter(
        field_name="is_emergency", label=_("In the emergency library")
    )

    class Meta:
        model = Resource
        fields = ["q", "type", "group", "topic", "hazard", "region", "emergency"]

    def filter_q(self, qs, name, value):
        return search(qs, value, fields=Resource.SEARCH_FIELDS)

    def filter_tag(self, qs, name, value):
        # One tag row per entry, kind and code (unique): the join repeats no entry.
        return qs.tagged(name, value)
