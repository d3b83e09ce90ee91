"""FilterSets shared by the list pages and the API endpoints (one filter per list)."""

import django_filters
from django import forms
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import AuditOutcome, MemberSector, OrgType, RegionLevel
from kepu.core.models import AuditEntry, Organization, Region, User

# The largest value a primary-key column holds.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """`?team=12`: a row id, or any whole number within bounds (`min_value`,
    `max_value`: a year, a count). A decimal, a word or a number outside the bounds
    (`99999999999999999999`) makes the filter invalid: 400 `invalid` in the API, an empty
    list on the page (`filter_is_usable`), never a database overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value=1, max_value=MAX_ID, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class RegionSubtreeFilter(django_filters.CharFilter):
    """`?region=<code>`: rows whose region lies in that region's subtree."""

    def __init__(self, *args, lookup_prefix="region", **kwargs):
        self.lookup_prefix = lookup_prefix
        kwargs.setdefault("label", _("Region"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # The page narrows the field to a region choice (a Region); the API passes a code.
        region = value if isinstance(value, Region) else Region.objects.filter(code=value).first()
        if region is None:
            return qs.none()
        # The subtree's ids (a few ranges, as the scope writes them), not a join on the
        # region's path: the planner misjudged the join (4 regions for 282) and sorted
        # every row of a city instead of walking the list's index.
        from kepu.core.regiontree import subtree_ids
        from kepu.core.scope import id_ranges_q

        ids = subtree_ids(region)
        if ids is None:
            return qs.filter(**{f"{self.lookup_prefix}__isnull": False})
        return qs.filter(id_ranges_q(self.lookup_prefix, ids))


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("Level"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Parent region code"))
    q = django_filters.CharFilter(method="filter_q", label=_("Name or code"))

    class Meta:
        model = Region
        fields = ["level", "parent", "q"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__contains=value) | Q(code__startswith=value))


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    org_type = django_filters.ChoiceFilter(choices=OrgType.choices, label=_("Type"))
    sector = django_filters.ChoiceFilter(choices=MemberSector.choices, label=_("Sector"))
    region = RegionSubtreeFilter()
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organization
        fields = ["q", "org_type", "sector", "region", "is_active"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(credit_code__iexact=value)
        )


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    role = django_filters.CharFilter(field_name="role_assignments__role", label=_("Role"))

    class Meta:
        model = User
        fields = ["q", "is_active", "role"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(username__icontains=value) | Q(full_name__icontains=value))


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username", label=_("Actor"))
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", label=_("Action")
    )
    object_type = django_filters.CharFilter(label=_("Object type"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    outcome = django_filters.ChoiceFilter(choices=AuditOutcome.choices, label=_("Outcome"))
    # An address, checked before the query: PostgreSQL's inet column refuses anything
    # else with an error (a 500), where SQLite compared text.
    ip = django_filters.CharFilter(label=_("IP address"), validators=[validate_ipv46_address])
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("From")
    )
    until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Until")
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "object_type", "object_id", "outcome", "ip", "since", "until"]
