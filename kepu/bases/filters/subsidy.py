"""The FilterSets of the subsidy rounds, the census rounds and the census returns."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.bases.models import CensusReturn, CensusRound, SubsidyRound
from kepu.bases.models.subsidy import CensusStatus, ReturnStatus, SubsidyStatus
from kepu.core.filters import RegionSubtreeFilter


class SubsidyRoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubsidyStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year evaluated"), min_value=2000, max_value=2100)
    region = RegionSubtreeFilter(label=_("Region"))

    class Meta:
        model = SubsidyRound
        fields = ["status", "year", "region"]


class CensusRoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CensusStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    region = RegionSubtreeFilter(label=_("Region"))

    class Meta:
        model = CensusRound
        fields = ["status", "year", "region"]


class CensusReturnFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReturnStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter(label=_("Region"))

    class Meta:
        model = CensusReturn
        fields = ["status", "region"]
