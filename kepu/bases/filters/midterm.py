"""FilterSets of the mid-term area: demonstration areas and evaluation rounds."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.bases import choices as c
from kepu.bases.models import DemonstrationArea, MidtermEvaluation
from kepu.core.filters import RegionSubtreeFilter


class AreaFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=c.AreaKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=c.AreaStatus.choices, label=_("Status"))
    cycle = django_filters.NumberFilter(
        method="filter_cycle", label=_("In its cycle in"), min_value=2000, max_value=2100
    )
    region = RegionSubtreeFilter(label=_("Region"))

    class Meta:
        model = DemonstrationArea
        fields = ["kind", "status", "cycle", "region"]

    def filter_cycle(self, qs, name, value):
        return qs.filter(cycle_start__lte=value, cycle_end__gte=value)


class EvaluationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.EvaluationStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year evaluated"), min_value=2000, max_value=2100)
    region = RegionSubtreeFilter(label=_("Region"))

    class Meta:
        model = MidtermEvaluation
        fields = ["status", "year", "region"]
