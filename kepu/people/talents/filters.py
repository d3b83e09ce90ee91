"""One FilterSet per list of talent evaluation and the talent service (page and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.people.models import EvaluationRound, HighLevelTalent, TalentApplication
from kepu.people.talents import choices as c


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.RoundStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=c.RoundKind.choices, label=_("Kind"))
    year = IdFilter(field_name="year", min_value=2000, max_value=2100, label=_("Year"))

    class Meta:
        model = EvaluationRound
        fields = ["status", "kind", "year"]


class ApplicationFilter(django_filters.FilterSet):
    round = IdFilter(field_name="round_id", label=_("Evaluation round"))
    status = django_filters.ChoiceFilter(choices=c.ApplicationStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter()

    class Meta:
        model = TalentApplication
        fields = ["round", "status", "region"]


class TalentFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=c.TalentCategory.choices, label=_("Category"))
    region = RegionSubtreeFilter()
    # Reminders: not contacted for this many months (or never).
    overdue = IdFilter(
        method="filter_overdue", min_value=1, max_value=120, label=_("Not contacted for (months)")
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("I am the contact"))
    open_needs = django_filters.BooleanFilter(method="filter_open", label=_("With open needs"))

    class Meta:
        model = HighLevelTalent
        fields = ["category", "region", "overdue", "mine", "open_needs"]

    def filter_overdue(self, qs, name, value):
        return qs.not_contacted_for(int(value)) if value else qs

    def filter_mine(self, qs, name, value):
        if not value or self.request is None:
            return qs
        return qs.filter(contact=self.request.user.pk)

    def filter_open(self, qs, name, value):
        return qs.filter(open_needs__gt=0) if value else qs
