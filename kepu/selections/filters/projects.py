"""The FilterSet of the funded-project list, used by the page (`project_list`), its
Excel export and the endpoint (`selection-project-list`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import RegionSubtreeFilter
from kepu.selections import choices as c
from kepu.selections.flags import at_risk_q, overdue_q
from kepu.selections.models import Project


class ProjectFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    region = RegionSubtreeFilter(label=_("Region"))
    project_type = django_filters.ChoiceFilter(
        choices=c.ProjectType.choices, label=_("Project type")
    )
    level = django_filters.ChoiceFilter(choices=c.ProjectLevel.choices, label=_("Level"))
    status = django_filters.ChoiceFilter(choices=c.ProjectStatus.choices, label=_("Status"))
    funding_mode = django_filters.ChoiceFilter(
        choices=c.FundingMode.choices, label=_("Funding mode")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    at_risk = django_filters.BooleanFilter(method="filter_at_risk", label=_("At risk"))

    class Meta:
        model = Project
        fields = [
            "year", "region", "project_type", "level", "status", "funding_mode", "overdue",
            "at_risk",
        ]  # fmt: skip

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())

    def filter_at_risk(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(at_risk_q()) if value else qs.exclude(at_risk_q())
