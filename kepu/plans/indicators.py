"""Registry indicators: the one place that says how a target's actual value is measured
from the data the platform already holds, so that progress never depends on re-typing.

Each indicator counts the rows of a registry that fall in a region (or belong to a unit)
and entered it after the target's baseline date, up to a given day. A target measured by
an indicator has actual = baseline value + that count. Every measurement is one SQL
query, whatever the number of regions, units or checkpoints (conditional aggregation).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kepu.core.querysets import subtree_bounds


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    definition: str
    rows: Callable[[], QuerySet]  # the registry rows that count
    window: Callable[[datetime.date, datetime.date], Q]  # entered in (since, until]
    region_path: str  # lookup of the row's region path
    organization: str  # lookup of the row's organization

    def _in_region(self, region) -> Q:
        low, high = subtree_bounds(region.path)
        return Q(**{f"{self.region_path}__gte": low, f"{self.region_path}__lt": high})

    def _in_unit(self, organization) -> Q:
        # A unit counts its own rows and those of its direct sub-units (as in data scope).
        return Q(**{self.organization: organization.pk}) | Q(
            **{f"{self.organization}__parent_id": organization.pk}
        )

    def for_regions(self, regions, since, until) -> dict[int, int]:
        """{region pk: count} for each of `regions` (one query)."""
        if not regions:
            return {}
        counts = {f"r{r.pk}": Count("pk", filter=self._in_region(r)) for r in regions}
        row = self.rows().filter(self.window(since, until)).aggregate(**counts)
        return {r.pk: row[f"r{r.pk}"] for r in regions}

    def for_units(self, organizations, since, until) -> dict[int, int]:
        """{organization pk: count} for each of `organizations` (one query)."""
        if not organizations:
            return {}
        counts = {f"o{o.pk}": Count("pk", filter=self._in_unit(o)) for o in organizations}
        row = self.rows().filter(self.window(since, until)).aggregate(**counts)
        return {o.pk: row[f"o{o.pk}"] for o in organizations}

    def series(self, where: Q, since, checkpoints) -> list[int]:
        """Counts from `since` up to each checkpoint day, inside `where` (one query)."""
        if not checkpoints:
            return []
        counts = {
            f"d{i}": Count("pk", filter=self.window(since, day))
            for i, day in enumerate(checkpoints)
        }
        row = self.rows().filter(where).aggregate(**counts)
        return [row[f"d{i}"] for i in range(len(checkpoints))]

    def scope(self, *, region=None, organization=None) -> Q:
        if organization is not None:
            return self._in_unit(organization)
        return self._in_region(region)


def _registrations(kind):
    def rows():
        from kepu.people.choices import RegistrationStatus
        from kepu.people.models import Registration

        return Registration.objects.filter(kind=kind, status=RegistrationStatus.CERTIFIED)

    return rows


def _started(since, until):
    return Q(start_date__gt=since, start_date__lte=until)


def _tianfu_envoys():
    from kepu.people.choices import Honour
    from kepu.people.models import HonourAward

    return HonourAward.objects.filter(honour=Honour.TIANFU_ENVOY, person__erased_at=None)


def _awarded(since, until):
    # Honours carry only the year of the selection: a selection counts from the year after
    # the baseline's (the 2023 selection came before a plan issued on 2023-12-20).
    return Q(year__gt=since.year, year__lte=until.year)


def _published_activities():
    from kepu.activities.choices import ActivityStatus
    from kepu.activities.models import Activity

    return Activity.objects.filter(status=ActivityStatus.PUBLISHED)


def _held(since, until):
    return Q(starts_at__date__gt=since, starts_at__date__lte=until)


def _served_orders():
    from kepu.volunteering.models import ServiceOrder

    return ServiceOrder.objects.filter(served_at__isnull=False)


def _served(since, until):
    return Q(served_at__date__gt=since, served_at__date__lte=until)


INDICATORS = [
    Indicator(
        "people.fulltime_added",
        _("Full-time science-popularization staff added"),
        _("people"),
        _(
            "Certified full-time registrations in the region (or unit) whose start date is "
            "after the baseline date."
        ),
        _registrations("fulltime"),
        _started,
        "region__path",
        "organization",
    ),
    Indicator(
        "people.parttime_added",
        _("Part-time science-popularization staff added"),
        _("people"),
        _(
            "Certified part-time registrations in the region (or unit) whose start date is "
            "after the baseline date."
        ),
        _registrations("parttime"),
        _started,
        "region__path",
        "organization",
    ),
    Indicator(
        "people.volunteers_added",
        _("Science and technology volunteers added"),
        _("people"),
        _(
            "Certified volunteer registrations in the region (or unit) whose start date is "
            "after the baseline date."
        ),
        _registrations("volunteer"),
        _started,
        "region__path",
        "organization",
    ),
    Indicator(
        "people.tianfu_envoys",
        _("Tianfu science popularization envoys selected"),
        _("people"),
        _(
            "Tianfu envoy honours of people of the region (or unit), selected in the years "
            "after the year of the baseline date."
        ),
        _tianfu_envoys,
        _awarded,
        "person__region__path",
        "person__organization",
    ),
    Indicator(
        "activities.published",
        _("Science-popularization activities held"),
        _("activities"),
        _("Published activities in the region (or of the unit) that started after the baseline."),
        _published_activities,
        _held,
        "region__path",
        "organization",
    ),
    Indicator(
        "volunteering.orders_served",
        _("Volunteer service orders served"),
        _("orders"),
        _("Service orders in the region (or claimed by the unit) served after the baseline date."),
        _served_orders,
        _served,
        "region__path",
        "department",
    ),
]

REGISTRY = {i.code: i for i in INDICATORS}


def choices():
    return [(i.code, i.label) for i in INDICATORS]
