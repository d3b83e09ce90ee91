"""FilterSets of the entry area (the "my returns" list, its export and the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter
from kepu.stats import choices as c
from kepu.stats.models import Return


class MyReturnFilter(django_filters.FilterSet):
    year = IdFilter(field_name="round__year", label=_("Data year"), min_value=2000, max_value=2100)
    round = IdFilter(field_name="round_id", label=_("Survey round"))
    status = django_filters.ChoiceFilter(choices=c.ReturnStatus.choices, label=_("Status"))

    class Meta:
        model = Return
        fields = ["year", "round", "status"]
