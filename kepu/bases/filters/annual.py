"""FilterSets of the annual area's lists (pages and their exports)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.bases import annual_choices as c
from kepu.bases.models import AnnualReport, EvaluationRound, Rectification, SpotCheck
from kepu.core import clock
from kepu.core.filters import IdFilter, RegionSubtreeFilter

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ReportFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", min_value=2000, max_value=2100, label=_("Year"))
    status = django_filters.ChoiceFilter(choices=c.ReportStatus.choices, label=_("Status"))
    late = django_filters.ChoiceFilter(choices=YES_NO, method="filter_late", label=_("Late"))
    region = RegionSubtreeFilter()

    class Meta:
        model = AnnualReport
        fields = ["year", "status", "late", "region"]

    def filter_late(self, qs, name, value):
        """Late: filed after the deadline, or still not filed once it has passed."""
        from django.db.models import Q

        overdue = Q(status__in=c.EDITABLE_STATUSES, due_on__lt=clock.today())
        q = Q(late=True) | overdue
        return qs.filter(q) if value == "yes" else qs.exclude(q)


class SpotCheckFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", min_value=2000, max_value=2100, label=_("Year"))
    status = django_filters.ChoiceFilter(choices=c.SpotCheckStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=c.SpotCheckKind.choices, label=_("Kind"))
    region = RegionSubtreeFilter()

    class Meta:
        model = SpotCheck
        fields = ["year", "status", "kind", "region"]


class RoundFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", min_value=2000, max_value=2100, label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=c.RoundKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=c.RoundStatus.choices, label=_("Status"))

    class Meta:
        model = EvaluationRound
        fields = ["year", "kind", "status"]


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.RectificationStatus.choices, label=_("Status"))
    due = django_filters.ChoiceFilter(
        choices=[("open", _("Open")), ("overdue", _("Past the deadline"))],
        method="filter_due",
        label=_("Deadline"),
    )
    region = RegionSubtreeFilter()

    class Meta:
        model = Rectification
        fields = ["status", "due", "region"]

    def filter_due(self, qs, name, value):
        qs = qs.filter(status__in=c.OPEN_RECTIFICATION)
        if value == "overdue":
            qs = qs.filter(due_on__lt=clock.today(), status=c.RectificationStatus.ORDERED)
        return qs
