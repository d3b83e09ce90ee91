"""The FilterSet of recognition applications (the list page and its export)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.bases import choices as bc
from kepu.bases.models import Application
from kepu.bases.models.recognition import AppStatus
from kepu.core.filters import IdFilter, RegionSubtreeFilter


class ApplicationFilter(django_filters.FilterSet):
    round = IdFilter(field_name="round_id")
    status = django_filters.ChoiceFilter(choices=AppStatus.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(
        choices=bc.BaseCategory.choices, label=pgettext_lazy("base", "Category")
    )
    region = RegionSubtreeFilter()

    class Meta:
        model = Application
        fields = ["round", "status", "category", "region"]
