"""The incident list's FilterSet, shared by the page `/incidents/`, its Excel export and
`GET /api/v1/incidents/` (same parameter names, same meanings)."""

import datetime

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, periods
from kepu.core.filters import RegionSubtreeFilter
from kepu.emergency import choices as c
from kepu.emergency.models import GroupMember, Incident

DRILL_CHOICES = [("yes", _("Drills only")), ("no", _("Real incidents only"))]
# The group's to-dos (the workbench links here): proposals waiting for the officer's
# confirmation; invitations still unanswered after an hour.
GROUP_CHOICES = [
    ("proposed", _("Proposed experts to confirm")),
    ("unanswered", _("Invitations unanswered after 1 hour")),
]
UNANSWERED_AFTER = datetime.timedelta(hours=1)


def waiting_members(kind: str):
    """The group members behind the `group` filter (and the workbench counts)."""
    members = GroupMember.objects.filter(incident__status__in=c.OPEN_STATUSES)
    if kind == "proposed":
        return members.filter(status=c.MemberStatus.PROPOSED)
    return members.filter(
        status=c.MemberStatus.INVITED, invited_at__lt=clock.now() - UNANSWERED_AFTER
    )


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=c.IncidentStatus.choices, label=_("Status"))
    hazard = django_filters.ChoiceFilter(choices=c.HAZARD_CHOICES, label=_("Hazard"))
    level = django_filters.ChoiceFilter(choices=c.Level.choices, label=_("Level"))
    drill = django_filters.ChoiceFilter(
        choices=DRILL_CHOICES, method="filter_drill", label=_("Drills")
    )
    region = RegionSubtreeFilter(label=_("Responsible region"))
    period = django_filters.CharFilter(
        method="filter_period",
        label=_("Activated in"),
        validators=[RegexValidator(periods.COMPACT_PATTERN, _("Enter 2026, 2026-03 or 2026Q1."))],
    )
    group = django_filters.ChoiceFilter(
        choices=GROUP_CHOICES, method="filter_group", label=_("Expert group")
    )

    class Meta:
        model = Incident
        fields = ["status", "hazard", "level", "drill", "region", "period", "group"]

    def filter_drill(self, qs, name, value):
        return qs.filter(is_drill=value == "yes")

    def filter_period(self, qs, name, value):
        period = periods.parse_compact(value)
        if period is None:
            return qs.none()
        return qs.filter(activated_at__gte=period.start, activated_at__lt=period.end)

    def filter_group(self, qs, name, value):
        return qs.filter(Exists(waiting_members(value).filter(incident_id=OuterRef("pk"))))
