"""What must hold of the bases app's stored data (`kepu.core.invariants`). Each check
runs a bounded number of queries whatever the data size and names at most 20 rows."""

import datetime

from django.db.models import Count, F

from kepu.bases import choices as c
from kepu.bases import invariants_annual  # noqa: F401  (its checks register themselves)
from kepu.bases.models import Base
from kepu.core import clock
from kepu.core.invariants import invariant

LIMIT = 20

# -- registry --


@invariant("bases")
def listed_bases_are_within_their_validity():
    """A listed base's validity covers today, or the daily schedule should have expired
    it (one day of grace: the schedule runs once a day)."""
    today = clock.today()
    late = Base.objects.listed().filter(valid_to__lt=today - datetime.timedelta(days=1))
    for pk in late.values_list("pk", flat=True)[:LIMIT]:
        yield f"base {pk} is listed after the end of its validity"


@invariant("bases")
def one_listed_base_per_unit_and_level():
    rows = (
        Base.objects.filter(status__in=c.LISTED_STATUSES)
        .values("organization_id", "level")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    for row in rows[:LIMIT]:
        yield (
            f"unit {row['organization_id']} holds {row['n']} listed bases at level {row['level']}"
        )


@invariant("bases")
def a_base_lies_in_its_unit_s_region():
    rows = Base.objects.exclude(region_id=F("organization__region_id"))
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"base {pk} lies outside its unit's region"


@invariant("bases")
def a_base_s_place_is_its_unit_s():
    rows = Base.objects.filter(place__isnull=False).exclude(
        place__organization_id=F("organization_id")
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"base {pk} is placed at another unit's catalog entry"
