"""FilterSets of the officer area: contests, a round's attempts and a contest's
participants; each is used by its list page, its export and its API endpoint."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, ContestRound, Participant
from kepu.core.filters import IdFilter, RegionSubtreeFilter


class ContestFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", label=_("Year"), min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(choices=c.ContestStatus.choices, label=_("Status"))
    audience = django_filters.ChoiceFilter(choices=c.Audience.choices, label=_("Who may take part"))
    region = RegionSubtreeFilter(label=_("Organizing region"))

    class Meta:
        model = Contest
        fields = ["year", "status", "audience", "region"]


class RoundFilter(django_filters.FilterSet):
    contest = IdFilter(field_name="contest_id", label=_("Contest"))
    status = django_filters.ChoiceFilter(choices=c.RoundStatus.choices, label=_("Status"))
    stage = django_filters.ChoiceFilter(choices=c.Stage.choices, label=_("Contest stage"))

    class Meta:
        model = ContestRound
        fields = ["contest", "status", "stage"]


class AttemptFilter(django_filters.FilterSet):
    round = IdFilter(field_name="round_id", label=_("Round"))
    region = RegionSubtreeFilter()
    status = django_filters.ChoiceFilter(choices=c.AttemptStatus.choices, label=_("Status"))
    flagged = django_filters.BooleanFilter(
        method="by_flagged", label=_("Flagged only"), widget=django_filters.widgets.BooleanWidget
    )
    group = django_filters.ChoiceFilter(
        field_name="participant__group", choices=c.Group.choices, label=_("Population group")
    )

    class Meta:
        model = Attempt
        fields = ["round", "region", "status", "flagged", "group"]

    def by_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        # An attempt without flags holds the empty list; one with flags, anything else.
        flagged = ~Q(flags=[]) | Q(status=c.AttemptStatus.EXCLUDED)
        return queryset.filter(flagged) if value else queryset.exclude(flagged)


class ParticipantFilter(django_filters.FilterSet):
    contest = IdFilter(field_name="contest_id", label=_("Contest"))
    region = RegionSubtreeFilter()
    group = django_filters.ChoiceFilter(choices=c.Group.choices, label=_("Population group"))

    class Meta:
        model = Participant
        fields = ["contest", "region", "group"]
