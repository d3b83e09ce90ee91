"""The returns list's filters (page and export alike)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.filters import RegionSubtreeFilter
from kepu.stats import choices as c
from kepu.stats.models import Return

S = c.ReturnStatus


class YES_NO(django_filters.widgets.BooleanWidget):  # noqa: N801
    """Yes / no / all, styled as the other selects."""

    def __init__(self, attrs=None):
        super().__init__({"class": "form-select", **(attrs or {})})
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class ReturnFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(label=_("Region"))
    status = django_filters.ChoiceFilter(choices=S.choices, label=_("Status"))
    errors = django_filters.BooleanFilter(method="by_errors", label=_("Has errors"), widget=YES_NO)
    unexplained = django_filters.BooleanFilter(
        method="by_unexplained", label=_("Has unexplained warnings"), widget=YES_NO
    )
    late = django_filters.BooleanFilter(method="by_late", label=_("Late"), widget=YES_NO)
    dept_category = django_filters.ChoiceFilter(
        choices=c.DeptCategory.choices, label=_("Department category")
    )
    filled_by_region = django_filters.BooleanFilter(label=_("Filled by the region"), widget=YES_NO)

    class Meta:
        model = Return
        fields = ["region", "status", "errors", "unexplained", "late", "dept_category",
                  "filled_by_region"]  # fmt: skip

    def by_errors(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(errors__gt=0) if value else queryset.filter(errors=0)

    def by_unexplained(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(unexplained__gt=0) if value else queryset.filter(unexplained=0)

    def by_late(self, queryset, name, value):
        """Late: submitted after the deadline, or overdue (deadline passed, not submitted)."""
        if value is None:
            return queryset
        survey = getattr(self, "survey", None)
        overdue = Q(pk__in=[])
        if survey is not None and clock.today() > survey.units_due:
            overdue = Q(status__in=[S.NOT_STARTED, S.DRAFT, S.RETURNED])
        late = Q(late=True) | overdue
        return queryset.filter(late) if value else queryset.exclude(late)
