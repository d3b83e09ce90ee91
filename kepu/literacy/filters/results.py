"""FilterSets of the results area (one per list, for its page and any endpoint)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.literacy import choices as c
from kepu.literacy.models import IndexTree, SurveyRound


class ResultFilter(django_filters.FilterSet):
    """The estimated and published rounds in scope, by year, kind and state."""

    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=c.RoundKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s, c.RoundStatus(s).label) for s in (c.RoundStatus.ESTIMATED,
                                                         c.RoundStatus.PUBLISHED)],
    )  # fmt: skip

    class Meta:
        model = SurveyRound
        fields = ["year", "kind", "status"]


class IndexFilter(django_filters.FilterSet):
    """The 科普指数 of the regions in scope, by year and state."""

    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("Published")
    )

    class Meta:
        model = IndexTree
        fields = ["year", "published"]
