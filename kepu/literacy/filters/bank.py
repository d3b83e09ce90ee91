"""The item bank's FilterSet: `literacy:item_list` (page and Excel export) and
/api/v1/literacy/items/ take the same parameters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.literacy import choices as c
from kepu.literacy.models import Item


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    instrument = django_filters.CharFilter(
        field_name="instrument__code", label=_("Test structure"), max_length=30
    )
    dimension = IdFilter(field_name="dimension_id", label=_("Dimension"))
    sub_dimension = django_filters.CharFilter(
        field_name="sub_dimension", label=_("Sub-dimension"), max_length=60
    )
    kind = django_filters.ChoiceFilter(choices=c.ItemKind.choices, label=_("Kind"))
    difficulty = django_filters.ChoiceFilter(
        choices=c.Difficulty.choices, label=_("Target difficulty")
    )
    status = django_filters.ChoiceFilter(choices=c.ItemStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()

    class Meta:
        model = Item
        fields = [
            "q", "instrument", "dimension", "sub_dimension", "kind", "difficulty", "status",
            "region",
        ]  # fmt: skip

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(code__icontains=value) | Q(stem__icontains=value))
