"""The registry counts that pre-fill a return (the `prefill` column of
`data/indicators.tsv`): each source has a label, the count's definition (shown beside
the value) and a function (organization ids, data year) → {organization id: count}
answering for every unit in ONE grouped query.

Left out, because the registries hold no honest count of them:
- venues.science_centers / venues.museums: the base registry has one "science venues"
  category; it does not tell a 科技馆 from a 科学技术类博物馆, nor the 500 m² threshold.
- resources.published: the catalog counts resources, not the copies handed out (份).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    definition: str
    count: Callable[[list[int], int], dict[int, int]]


SOURCES: dict[str, Source] = {}


def source(key, label, definition):
    def register(fn):
        SOURCES[key] = Source(key, label, definition, fn)
        return fn

    return register


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _grouped(rows, field="organization_id") -> dict[int, int]:
    return {org: int(n or 0) for org, n in rows}


def _registrations(kind: str):
    def count(org_ids, year):
        from kepu.people import choices as pc
        from kepu.people.models import Registration

        end = _year_end(year)
        rows = (
            Registration.objects.filter(
                organization_id__in=org_ids,
                kind=kind,
                status__in=(pc.RegistrationStatus.CERTIFIED, pc.RegistrationStatus.ENDED),
                start_date__lte=end,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
            .values_list("organization_id")
            .annotate(n=Count("person_id", distinct=True))
            .order_by()
        )
        return _grouped(rows)

    return count


source(
    "people.fulltime",
    _("Full-time staff in the people registry"),
    _(
        "Certified full-time science-popularization staff of the unit (people registry), "
        "on 31 December"
    ),
)(_registrations("fulltime"))
source(
    "people.parttime",
    _("Part-time staff in the people registry"),
    _(
        "Certified part-time science-popularization staff of the unit (people registry), "
        "on 31 December"
    ),
)(_registrations("parttime"))
source(
    "volunteering.volunteers",
    _("Registered volunteers"),
    _(
        "Certified science and technology volunteers registered with the unit "
        "(people registry), on 31 December"
    ),
)(_registrations("volunteer"))


def _activities(year, org_ids, **filters):
    from kepu.activities import choices as ac
    from kepu.activities.models import Activity

    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Activity.objects.filter(
        organization_id__in=org_ids,
        status=ac.ActivityStatus.PUBLISHED,
        starts_at__gte=start,
        starts_at__lt=end,
        **filters,
    )


def _activity_source(key, label, definition, attendance_label, attendance_definition, **filters):
    def count(org_ids, year):
        rows = (
            _activities(year, org_ids, **filters)
            .values_list("organization_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return _grouped(rows)

    def attendance(org_ids, year):
        rows = (
            _activities(year, org_ids, report__isnull=False, **filters)
            .values_list("organization_id")
            .annotate(n=Sum("report__onsite_attendance"))
            .order_by()
        )
        return _grouped(rows)

    source(key, label, definition)(count)
    source(f"{key}_attendance", attendance_label, attendance_definition)(attendance)


_activity_source(
    "activities.lectures",
    _("Lectures in the activity calendar"),
    _("Approved lectures the unit organized that started in the data year (activity calendar)"),
    _("Lecture attendance in the activity reports"),
    _("On-site attendance of those lectures, from their activity reports"),
    kind="lecture",
)
_activity_source(
    "activities.exhibitions",
    _("Exhibitions in the activity calendar"),
    _("Approved exhibitions the unit organized that started in the data year (activity calendar)"),
    _("Exhibition attendance in the activity reports"),
    _("On-site attendance of those exhibitions, from their activity reports"),
    kind="exhibition",
)
_activity_source(
    "activities.contests",
    _("Contests in the activity calendar"),
    _("Approved contests the unit organized that started in the data year (activity calendar)"),
    _("Contest attendance in the activity reports"),
    _("On-site attendance of those contests, from their activity reports"),
    kind="contest",
)
_activity_source(
    "activities.science_week",
    _("Science and Technology Week activities"),
    _(
        "Approved activities of the unit in a National Science and Technology Week "
        "campaign of the data year"
    ),
    _("Science and Technology Week attendance"),
    _("On-site attendance of those activities, from their activity reports"),
    campaign__kind="tech_week",
)


@source(
    "activities.large",
    _("Large activities (1,000 or more attending)"),
    _(
        "Approved activities of the unit in the data year whose report gives 1,000 or "
        "more on-site attendance"
    ),
)
def _large(org_ids, year):
    rows = (
        _activities(year, org_ids, report__onsite_attendance__gte=1000)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _grouped(rows)


def counts(key: str, org_ids, year: int) -> dict[int, int]:
    """The source's counts by organization id (0 for units it does not name)."""
    found = SOURCES[key].count(list(org_ids), year)
    return {org: found.get(org, 0) for org in org_ids}
