"""Registry indicators: the one place that says how a target's actual value is measured
from the data the platform already holds, so that progress never depends on re-typing.

Each indicator counts the rows of a registry that fall in a region (or belong to a unit)
and entered it after the target's baseline date, up to a given day. A target measured by
an indicator has actual = baseline value + that count.

Reading many regions at once (`for_regions`: the standings, the plan dashboard, the
figures of all 204 cities and counties) costs the same whatever their number: the counts
are grouped by region path prefix in one query, and, where the app keeps a rollup metric
of the same facts (`RollupSource`, its name a constant below), the whole months of the
window come from the counters and only the partial months at its ends from the rows.
A metric not registered in this installation falls back to the rows. The date windows
are plain ranges on the row's column (an index on it serves them).
"""

from __future__ import annotations

import datetime
import os.path
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core import rollups
from kepu.core.models import Region, Rollup
from kepu.core.querysets import subtree_bounds
from kepu.core.regiontree import subtree_ids
from kepu.core.scope import id_ranges_q

# The rollup metrics of the other apps that the indicators read when they are
# registered (issue 16; the lead wires the final names at merge). Each must count the
# same facts as the indicator's rows, at the month of the indicator's date column:
# - certified registrations by the month of their start date, keyed by kind (the people
#   app's "people.certified" keys "" today: it becomes usable once keyed by kind);
PEOPLE_CERTIFIED_BY_KIND = "people.certified_by_kind"
# - activities by the month they start, published ones keyed "published:<end month>";
ACTIVITIES = "activities.activities"
ACTIVITIES_PUBLISHED_PREFIX = "published:"
# - training completions by the month of completion, keyed by the course's audience;
PEOPLE_TRAINING_COMPLETIONS = "people.training_completions"
# - the bulletin's order figures, "completed" in the month of served_at.
ORDER_FIGURES = "volunteering.order_figures"
ORDERS_COMPLETED = "completed"


@dataclass(frozen=True)
class RollupSource:
    """Where an indicator's whole months can be read: `metric`, restricted to `keys` or
    to keys starting with `key_prefix` (neither: every key)."""

    metric: str
    keys: tuple[str, ...] = ()
    key_prefix: str = ""

    def available(self) -> bool:
        return self.metric in rollups.metrics()

    def by_prefix(self, first_month, end_month, length: int, within: str) -> dict[str, int]:
        """{region path prefix: sum} over the months [first_month, end_month), for the
        counters under the region path `within`."""
        rows = Rollup.objects.filter(
            metric=self.metric, month__gte=first_month, month__lt=end_month
        )
        if within:
            low, high = subtree_bounds(within)
            rows = rows.filter(path__gte=low, path__lt=high)
        if self.keys:
            rows = rows.filter(key__in=self.keys)
        if self.key_prefix:
            rows = rows.filter(key__startswith=self.key_prefix)
        grouped = rows.values(_p=Substr("path", 1, length)).annotate(_n=Sum("value")).order_by()
        return {row["_p"]: row["_n"] for row in grouped}


PATHS_SECONDS = 300  # the region tree changes only at deployment (load_regions)
_paths: dict[int, str] = {}
_paths_loaded = [0.0]


def _region_paths(ids) -> dict[int, str]:
    """{region id: path} for `ids`, from a per-process copy of the region tree (read
    once per PATHS_SECONDS; an id not in it is read on its own)."""
    now = time.monotonic()
    if now - _paths_loaded[0] > PATHS_SECONDS:
        _paths.clear()
        _paths.update(Region.objects.values_list("pk", "path"))
        _paths_loaded[0] = now
    missing = [i for i in ids if i not in _paths]
    if missing:
        _paths.update(Region.objects.filter(pk__in=missing).values_list("pk", "path"))
    return _paths


def forget_region_paths() -> None:
    """Drop this process's copy of the region paths (read again at the next use)."""
    _paths.clear()
    _paths_loaded[0] = 0.0


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _whole_months(since, until) -> tuple[datetime.date, datetime.date] | None:
    """The whole months inside the days (since, until]: [first, end) as first days of
    months, or None when there is none."""
    start = since + datetime.timedelta(days=1)
    first = start if start.day == 1 else (start.replace(day=28) + datetime.timedelta(days=4))
    first = first.replace(day=1)
    after = until + datetime.timedelta(days=1)
    end = after.replace(day=1)
    return (first, end) if first < end else None


def _add_up(counts: dict[str, int], regions) -> dict[int, int]:
    """{region pk: count} from counts by path prefix: each region sums the prefixes that
    lie in its subtree."""
    totals: dict[str, int] = defaultdict(int)
    for prefix, n in counts.items():
        # A prefix counts for itself and every ancestor path ("51/", "51/5101/", …).
        cut = 0
        while True:
            cut = prefix.find("/", cut) + 1
            if cut <= 0:
                break
            totals[prefix[:cut]] += n
    return {r.pk: totals.get(r.path, 0) for r in regions}


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
    rollup: RollupSource | None = None  # the same facts counted by month, if kept
    level = False  # a count added to the baseline (see LevelIndicator)

    def _in_region(self, region) -> Q:
        low, high = subtree_bounds(region.path)
        return Q(**{f"{self.region_path}__gte": low, f"{self.region_path}__lt": high})

    def _in_unit(self, organization) -> Q:
        # A unit counts its own rows and those of its direct sub-units (as in data scope).
        return Q(**{self.organization: organization.pk}) | Q(
            **{f"{self.organization}__parent_id": organization.pk}
        )

    def _raw_by_prefix(self, window: Q, length: int, within) -> dict[str, int]:
        """{region path prefix: count} of the rows in `window`, under the region
        `within` (None: anywhere). Grouped by the row's region id (no join of the
        regions), the ids mapped to paths in Python."""
        region_field = self.region_path.removesuffix("__path")
        rows = self.rows().filter(window)
        if within is not None:
            ids = subtree_ids(within)
            if ids is not None:
                rows = rows.filter(id_ranges_q(region_field, ids))
        grouped = rows.values_list(region_field).annotate(_n=Count("pk")).order_by()
        counts: dict[str, int] = defaultdict(int)
        found = list(grouped)
        paths = _region_paths([region_id for region_id, _n in found])
        for region_id, n in found:
            path = paths.get(region_id)
            if path:
                counts[path[:length]] += n
        return counts

    def for_regions(self, regions, since, until) -> dict[int, int]:
        """{region pk: count} for each of `regions`: one grouped query on the rows, or
        one on the rollup counters for the whole months plus one on the rows for the
        partial months at the window's ends."""
        regions = list(regions)
        if not regions:
            return {}
        if until <= since:
            return {r.pk: 0 for r in regions}
        length = max(len(r.path) for r in regions)
        # The rows read are those under the regions' deepest common ancestor (when it
        # is below the top level: reading the whole tree needs no condition).
        common = os.path.commonprefix([r.path for r in regions])
        within = common[: common.rfind("/") + 1]
        ancestor = None
        if within.count("/") > 1:
            ancestor = Region.objects.filter(path=within).first()
        months = _whole_months(since, until) if self.rollup else None
        if months is None or not self.rollup.available():
            raw = self._raw_by_prefix(self.window(since, until), length, ancestor)
            return _add_up(raw, regions)
        first, end = months
        counts = self.rollup.by_prefix(first, end, length, within)
        edges = Q()
        if first > since + datetime.timedelta(days=1):
            edges |= self.window(since, first - datetime.timedelta(days=1))
        if end <= until:
            edges |= self.window(end - datetime.timedelta(days=1), until)
        if edges:
            for prefix, n in self._raw_by_prefix(edges, length, ancestor).items():
                counts[prefix] = counts.get(prefix, 0) + n
        return _add_up(counts, regions)

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
        row = self.rows().filter(where).filter(self.window(since, max(checkpoints)))
        row = row.aggregate(**counts)
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


def _training_completions(audience=None):
    def rows():
        from kepu.people.choices import EnrolmentStatus
        from kepu.people.models import Enrolment

        completed = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
        return completed.filter(audience=audience) if audience else completed

    return rows


def _completed(since, until):
    return Q(completed_on__gt=since, completed_on__lte=until)


def _published_activities():
    from kepu.activities.choices import ActivityStatus
    from kepu.activities.models import Activity

    return Activity.objects.filter(status=ActivityStatus.PUBLISHED)


def _held(since, until):
    # Local days as a range of instants: the index on starts_at serves it (a __date
    # lookup would convert every row).
    return Q(
        starts_at__gte=_local_midnight(since + datetime.timedelta(days=1)),
        starts_at__lt=_local_midnight(until + datetime.timedelta(days=1)),
    )


def _served_orders():
    from kepu.volunteering.models import ServiceOrder

    return ServiceOrder.objects.filter(served_at__isnull=False)


def _served(since, until):
    return Q(
        served_at__gte=_local_midnight(since + datetime.timedelta(days=1)),
        served_at__lt=_local_midnight(until + datetime.timedelta(days=1)),
    )


def _listed_bases(level):
    def rows():
        from kepu.bases.choices import LISTED_STATUSES
        from kepu.bases.models import Base

        return Base.objects.filter(level=level, status__in=LISTED_STATUSES)

    return rows


def _recognized(since, until):
    # A base counts from the start of its recognition (its validity), while it stays
    # listed: a revoked or expired base no longer counts towards the target.
    return Q(valid_from__gt=since, valid_from__lte=until)


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
        RollupSource(PEOPLE_CERTIFIED_BY_KIND, keys=("fulltime",)),
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
        RollupSource(PEOPLE_CERTIFIED_BY_KIND, keys=("parttime",)),
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
        RollupSource(PEOPLE_CERTIFIED_BY_KIND, keys=("volunteer",)),
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
    # Seed 001 三(一)6: "200 science tutors trained a year" (Qingyuan), measured live.
    Indicator(
        "people.science_tutors_trained",
        _("Science tutors trained (completions)"),
        _("people"),
        _(
            "Completions of training courses for science tutors organized in the region (or "
            "by the unit), completed after the baseline date."
        ),
        _training_completions("tutor"),
        _completed,
        "region__path",
        "organization",
        RollupSource(PEOPLE_TRAINING_COMPLETIONS, keys=("tutor",)),
    ),
    Indicator(
        "people.training_completions",
        _("People trained (all training completions)"),
        _("people"),
        _(
            "Completions of any training course organized in the region (or by the unit), "
            "completed after the baseline date."
        ),
        _training_completions(),
        _completed,
        "region__path",
        "organization",
        RollupSource(PEOPLE_TRAINING_COMPLETIONS),
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
        RollupSource(ACTIVITIES, key_prefix=ACTIVITIES_PUBLISHED_PREFIX),
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
        RollupSource(ORDER_FIGURES, keys=(ORDERS_COMPLETED,)),
    ),
    Indicator(
        "bases.national",
        _("National science-education bases"),
        _("bases"),
        _(
            "Listed national science-education bases in the region (or of the unit) "
            "recognized after the baseline date (their validity starts after it)."
        ),
        _listed_bases("national"),
        _recognized,
        "region__path",
        "organization",
    ),
    Indicator(
        "bases.provincial",
        _("Provincial science-education bases"),
        _("bases"),
        _(
            "Listed provincial science-education bases in the region (or of the unit) "
            "recognized after the baseline date (their validity starts after it)."
        ),
        _listed_bases("provincial"),
        _recognized,
        "region__path",
        "organization",
    ),
]


@dataclass(frozen=True)
class LevelIndicator:
    """An indicator whose actual value is a level as it stands on the day (a rate in
    percent), read from another registry: no baseline is added and nothing is counted.
    `read(regions, until)` gives {region pk: Decimal or None} in one or two queries.
    Measured by region only (a unit has no such level: None)."""

    code: str
    label: str
    unit: str
    definition: str
    read: Callable
    level = True

    def for_regions(self, regions, since, until) -> dict[int, Decimal | None]:
        regions = list(regions)
        return self.read(regions, until) if regions else {}

    def for_units(self, organizations, since, until) -> dict[int, None]:
        return {o.pk: None for o in organizations}

    def levels(self, region, days) -> list[Decimal | None]:
        """The level on each of `days` (one read per distinct year: the estimates are
        yearly)."""
        by_year = {}
        for day in days:
            if day.year not in by_year:
                by_year[day.year] = self.read([region], day).get(region.pk)
        return [by_year[day.year] for day in days]


def _literacy_rate(regions, until):
    # The literacy app's latest published estimate of the literate share (issue 20).
    from kepu.literacy.reports import latest_rates

    found = latest_rates(regions, until_year=until.year)
    return {r.pk: (Decimal(str(found[r.pk][0])) if r.pk in found else None) for r in regions}


# Indicators measured as a level (not counted); REGISTRY and the choices hold both kinds.
LEVEL_INDICATORS = [
    LevelIndicator(
        "literacy.rate",
        _("Share of citizens with scientific literacy"),
        "%",
        _(
            "The latest published estimate of the share of citizens aged 18–69 with "
            "scientific literacy in the region (science-literacy survey rounds: direct, or "
            "model-based for a county), in percent; the baseline value is not added."
        ),
        _literacy_rate,
    )
]
ALL = [*INDICATORS, *LEVEL_INDICATORS]

REGISTRY = {i.code: i for i in ALL}


def choices():
    return [(i.code, i.label) for i in ALL]
