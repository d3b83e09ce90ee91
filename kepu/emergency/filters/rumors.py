"""The FilterSets of the rumour lists: the leads (page `rumor_list` and endpoint
`api:rumor-list`) and the public rebuttal library."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kepu.core import periods
from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.emergency import choices as c
from kepu.emergency.models import Rebuttal, Rumor


def _period(qs, field, value):
    period = periods.parse_compact(value)
    if period is None:  # a year outside the supported range
        return qs.none()
    return qs.filter(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


class RumorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    status = django_filters.ChoiceFilter(choices=c.RumorStatus.choices, label=_("Status"))
    incident = IdFilter(field_name="incident_id", label=_("Incident"))
    normal_times = django_filters.BooleanFilter(
        field_name="incident", lookup_expr="isnull", label=_("Normal times only")
    )
    topic = django_filters.ChoiceFilter(choices=c.TOPIC_CHOICES, label=_("Topic"))
    source = django_filters.ChoiceFilter(choices=c.RumorSource.choices, label=_("Reported by"))
    rebuttal = django_filters.ChoiceFilter(
        field_name="rebuttal__status", choices=c.RebuttalStatus.choices, label=_("Rebuttal")
    )
    region = RegionSubtreeFilter()
    period = django_filters.CharFilter(
        method="filter_period",
        label=_("Period"),
        validators=[RegexValidator(periods.COMPACT_PATTERN, _("Enter 2026, 2026-03 or 2026Q1."))],
    )

    class Meta:
        model = Rumor
        fields = [
            "q",
            "status",
            "incident",
            "normal_times",
            "topic",
            "source",
            "rebuttal",
            "region",
            "period",
        ]

    def filter_q(self, qs, name, value):
        return qs.search(value)

    def filter_period(self, qs, name, value):
        return _period(qs, "reported_at", value)


class PublicRebuttalFilter(django_filters.FilterSet):
    """The rebuttal library: words (Chinese full-text, title and text), topic, incident."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    topic = django_filters.ChoiceFilter(
        field_name="rumor__topic", choices=c.TOPIC_CHOICES, label=_("Topic")
    )
    incident = IdFilter(field_name="incident_id", label=_("Incident"))

    class Meta:
        model = Rebuttal
        fields = ["q", "topic", "incident"]

    def filter_q(self, qs, name, value):
        return qs.search(value)
