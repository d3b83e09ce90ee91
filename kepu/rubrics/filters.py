"""The rubric list's FilterSet (the page `/rubrics/` and its Excel export)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import RegionSubtreeFilter
from kepu.rubrics import choices as c
from kepu.rubrics.models import Rubric


class RubricFilter(django_filters.FilterSet):
    purpose = django_filters.ChoiceFilter(choices=c.Purpose.choices, label=_("Purpose"))
    status = django_filters.ChoiceFilter(choices=c.RubricStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter(label=_("Owner region"))

    class Meta:
        model = Rubric
        fields = ["purpose", "status", "region"]
