"""The base registry's FilterSets: one for the back-office list `/bases/`, its Excel
export and `GET /api/v1/bases/` (same parameter names, same meanings), and the smaller
one of the public directory."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.bases import choices as c
from kepu.bases.models import Base
from kepu.core.filters import RegionSubtreeFilter


def _name_contains(qs, name, value):
    value = value.strip()
    return qs.filter(name__icontains=value) if value else qs


class BaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name contains"), max_length=60)
    level = django_filters.ChoiceFilter(choices=c.BaseLevel.choices, label=_("Level"))
    category = django_filters.ChoiceFilter(
        choices=c.BaseCategory.choices, label=pgettext_lazy("base", "Category")
    )
    status = django_filters.ChoiceFilter(choices=c.BaseStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()
    valid_to_before = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="lte", label=_("Valid until, on or before")
    )
    valid_to_after = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="gte", label=_("Valid until, on or after")
    )

    class Meta:
        model = Base
        fields = [
            "q",
            "level",
            "category",
            "status",
            "region",
            "valid_to_before",
            "valid_to_after",
        ]

    def filter_q(self, qs, name, value):
        return _name_contains(qs, name, value)


class PublicBaseFilter(django_filters.FilterSet):
    """The public directory's filters (listed bases only, whatever is asked)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name contains"), max_length=60)
    level = django_filters.ChoiceFilter(choices=c.BaseLevel.choices, label=_("Level"))
    category = django_filters.ChoiceFilter(
        choices=c.BaseCategory.choices, label=pgettext_lazy("base", "Category")
    )
    region = RegionSubtreeFilter()

    class Meta:
        model = Base
        fields = ["q", "level", "category", "region"]

    def filter_q(self, qs, name, value):
        return _name_contains(qs, name, value)
