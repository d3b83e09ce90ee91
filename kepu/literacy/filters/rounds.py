"""FilterSets of the rounds area: each used by its list page, its export and its API
endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.literacy import choices as c
from kepu.literacy.models import Response, SurveyRound


class RoundFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=c.RoundKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=c.RoundStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()

    class Meta:
        model = SurveyRound
        fields = ["year", "kind", "status", "region"]


class ResponseFilter(django_filters.FilterSet):
    round = IdFilter(field_name="round_id", label=_("Survey round"))
    region = RegionSubtreeFilter()
    quality = django_filters.ChoiceFilter(choices=c.Quality.choices, label=_("Quality"))
    flag = django_filters.ChoiceFilter(
        choices=c.QualityFlag.choices, label=_("Quality flag"), method="by_flag"
    )
    mode = django_filters.ChoiceFilter(choices=c.Mode.choices, label=_("Mode"))
    form = IdFilter(field_name="form_id", label=_("Form"))

    class Meta:
        model = Response
        fields = ["round", "region", "quality", "flag", "mode", "form"]

    def by_flag(self, queryset, name, value):
        return (
            queryset.filter(flags__contains=[value])
            if _json_contains()
            else queryset.filter(flags__icontains=f'"{value}"')
        )


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
