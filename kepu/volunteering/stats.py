"""The volunteer service bulletin (科技志愿服务工作通报, Jiangsu plan 003 (十)): the figures of
one region's subtree over one period (a `kepu.core.periods.Period`), the same figures for
each subordinate region with their ranking, and the orders by service category and by target group.

For a month, quarter or year the order and hour figures and the active volunteers come
from the counters (`volunteering.rollups`: county-grain copies for a province or a city,
township grain for a county), the people registry's figures (registrations, teams) from
one query each grouped by region id within the focus's subtree; a custom period counts
the raw rows (`counts_by_child_region`), as `compute(..., raw=True)` does for the tests
that prove both ways equal. The number of queries does not depend on how many
subordinate regions there are.

What each figure counts (shown on the page and in the exports as well):

- registered volunteers: volunteer registrations now awaiting review or certified whose
  start date is on or before the last day of the period, by the registration's region;
  certified volunteers: those of them that are certified;
- teams: service teams created before the end of the period, by the team's region;
- active volunteers: distinct volunteers with an approved hour entry starting in the
  period, and approved hours: the hours of those entries, by the entry's region;
- orders received: submitted in the period; dispatched: dispatched in the period and not
  since handed back to the dispatcher; completed: service completed (served, then rated or
  closed) in the period; all by the region where the service was wanted;
- on-time rate: of the orders accepted by a team in the period, the share whose dispatch
  and acceptance deadlines were both kept;
- average rating: of the ratings given in the period (1–5 stars).
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kepu.core import rollups
from kepu.core.choices import KeyGroup, RegionLevel
from kepu.core.models import Region
from kepu.core.periods import Period
from kepu.core.querysets import subtree_bounds
from kepu.core.regiontree import subtree_ids
from kepu.core.rollups import counts_by_child_region
from kepu.people.choices import ACTIVE_STATUSES, RegistrationKind, RegistrationStatus
from kepu.people.models import Registration, Team
from kepu.volunteering import choices as c
from kepu.volunteering import rollups as counters
from kepu.volunteering.models import HourEntry, ServiceOrder

S = c.OrderStatus
TWO_PLACES = decimal.Decimal("0.01")
ONE_PLACE = decimal.Decimal("0.1")

# Figures that add up over regions (the others are derived or distinct counts).
ADDITIVE = (
    "registered",
    "certified",
    "teams",
    "received",
    "dispatched",
    "completed",
    "accepted",
    "on_time",
    "hours",
    "rated",
    "rating_sum",
)


# --- the figures --------------------------------------------------------------------------


@dataclass
class Bulletin:
    focus: Region
    period: Period
    total: dict
    direct: dict  # rows attached to the focus region itself (not to a subordinate one)
    rows: list[dict] = field(default_factory=list)  # one per child region, in code order
    categories: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)

    @property
    def has_direct(self) -> bool:
        return any(self.direct.get(k) for k in ADDITIVE)

    def ranked(self, by: str = "completed") -> list[dict]:
        """The subordinate regions ordered by their rank on `by` (completed or hours)."""
        key = f"rank_{by}"
        return sorted(self.rows, key=lambda r: (r[key], r["region"].code))


def _within(lookup, start, end) -> Q:
    return Q(**{f"{lookup}__gte": start, f"{lookup}__lt": end})


def _hours(value) -> decimal.Decimal:
    """Sums of a decimal column come back as floats on SQLite: round to the cent."""
    return decimal.Decimal(str(value or 0)).quantize(TWO_PLACES)


def _ratio(part, whole, scale=1):
    """part / whole to one decimal place, rounded half up (None without a whole)."""
    if not whole:
        return None
    value = decimal.Decimal(part * scale) / decimal.Decimal(whole)
    return value.quantize(ONE_PLACE, rounding=decimal.ROUND_HALF_UP)


def _derive(figures: dict) -> dict:
    figures["on_time_rate"] = _ratio(figures["on_time"], figures["accepted"], 100)
    figures["rating"] = _ratio(figures["rating_sum"], figures["rated"])
    return figures


def _rank(rows: list[dict], key: str) -> None:
    """Competition ranking (1, 2, 2, 4) on `key`, larger first; equal values share a rank
    and are listed in region code order."""
    ordered = sorted(rows, key=lambda r: (-r[key], r["region"].code))
    rank, previous = 0, None
    for position, row in enumerate(ordered, start=1):
        if row[key] != previous:
            rank, previous = position, row[key]
        row[f"rank_{key}"] = rank


def _people_sources(period: Period):
    """(queryset, measures, aggregates, name of the row count) of the people registry's
    figures (registrations and teams), which the people app counts."""
    registrations = Registration.objects.filter(
        kind=RegistrationKind.VOLUNTEER,
        status__in=ACTIVE_STATUSES,
        start_date__lte=period.last,
    )
    teams = Team.objects.filter(created_at__lt=period.end)
    return [
        (
            registrations,
            {"certified": Q(status=RegistrationStatus.CERTIFIED)},
            {},
            "registered",
        ),
        (teams, {}, {}, "teams"),
    ]


def _sources(period: Period):
    """(queryset, measures, aggregates, name of the row count) per table."""
    start, end = period.start, period.end
    entries = HourEntry.objects.filter(status=c.HourStatus.APPROVED).filter(
        _within("started_at", start, end)
    )
    submitted = _within("submitted_at", start, end)
    dispatched = _within("dispatched_at", start, end) & ~Q(status=S.SUBMITTED)
    served = _within("served_at", start, end) & Q(status__in=(S.SERVED, S.CLOSED))
    accepted = _within("accepted_at", start, end)
    rated = _within("rated_at", start, end) & Q(rating__isnull=False)
    orders = ServiceOrder.objects.filter(submitted | dispatched | served | accepted | rated)
    return [
        *_people_sources(period),
        (
            entries,
            {},
            {"active": Count("person", distinct=True), "hours": Sum("hours")},
            None,
        ),
        (
            orders,
            {
                "received": submitted,
                "dispatched": dispatched,
                "completed": served,
                "accepted": accepted,
                "on_time": accepted & Q(dispatched_on_time=True, accepted_on_time=True),
                "rated": rated,
            },
            {"rating_sum": Sum("rating", filter=rated)},
            None,
        ),
    ]


def _clean(counts: dict, total_name) -> dict:
    out = {}
    for key, value in counts.items():
        if key == "total":
            if total_name:
                out[total_name] = value or 0
        elif key == "hours":
            out[key] = _hours(value)
        else:
            out[key] = value or 0
    return out


def compute(focus: Region, period: Period, *, raw: bool = False) -> Bulletin:
    """The bulletin of `focus` (its whole subtree) over `period`. The caller checks that
    the user may see `focus`; inside it every row counts. The order and hour figures come
    from the counters (`volunteering.rollups`) for a month, quarter or year; a custom
    period (or `raw`) counts the raw rows."""
    cell = counters.period_key(period)
    if raw or cell is None:
        rows, direct = _raw_figures(focus, period)
    else:
        rows, direct = _counted_figures(focus, period, cell)
    for row in rows:
        _derive(row)
    _derive(direct)

    total = {key: sum((row[key] for row in rows), direct[key]) for key in ADDITIVE}
    total["hours"] = _hours(total["hours"])
    # One volunteer active in two subordinate regions is one active volunteer.
    if raw or cell is None:
        low, high = subtree_bounds(focus.path)
        total["active"] = (
            HourEntry.objects.filter(status=c.HourStatus.APPROVED)
            .filter(_within("started_at", period.start, period.end))
            .filter(region__path__gte=low, region__path__lt=high)
            .aggregate(n=Count("person", distinct=True))["n"]
        )
    else:
        total["active"] = counters.active_many([focus], cell).get(focus.pk, 0)
    _derive(total)
    _rank(rows, "completed")
    _rank(rows, "hours")
    counted_kinds = not raw and cell is not None and focus.level <= RegionLevel.COUNTY
    kinds = _counted_kinds(focus, period) if counted_kinds else None
    return Bulletin(
        focus=focus,
        period=period,
        total=total,
        direct=direct,
        rows=rows,
        categories=_breakdown(focus, period, "category", c.ServiceCategory.choices, kinds),
        groups=_breakdown(focus, period, "key_group", KeyGroup.choices, kinds),
    )


def _raw_figures(focus: Region, period: Period):
    rows = None
    direct: dict = {}
    for queryset, measures, aggregates, total_name in _sources(period):
        child_rows, child_direct = counts_by_child_region(
            queryset, focus, measures=measures, aggregates=aggregates
        )
        if rows is None:
            rows = [{"region": region} for region, _counts in child_rows]
        for row, (_region, counts) in zip(rows, child_rows, strict=True):
            row.update(_clean(counts, total_name))
        direct.update(_clean(child_direct, total_name))
    return rows, direct


# Orders and hours at the grain that serves `focus`: a county or a township reads the
# township counters (its subordinate regions are townships), a city or the province the
# county counters (a few hundred rows).
def _grain(focus, fine, county):
    return fine if focus.level >= RegionLevel.COUNTY else county


def _counted_figures(focus: Region, period: Period, cell):
    rows = None
    direct: dict = {}
    for queryset, measures, _aggregates, total_name in _people_sources(period):
        child_rows, child_direct = _by_child_ids(queryset, focus, measures)
        if rows is None:
            rows = [{"region": region} for region, _counts in child_rows]
        for row, (_region, counts) in zip(rows, child_rows, strict=True):
            row.update(_clean(counts, total_name))
        direct.update(_clean(child_direct, total_name))
    start, end = period.first, period.last + datetime.timedelta(days=1)
    metric = _grain(focus, counters.ORDER_FIGURES, counters.ORDER_FIGURES_COUNTY)
    by_child, own = rollups.by_child(metric, focus, start, end, split_keys=True)
    hours_metric = _grain(focus, counters.HOURS, counters.HOURS_COUNTY)
    hours, own_hours = rollups.by_child(
        hours_metric, focus, start, end, keys=[c.HourStatus.APPROVED]
    )
    active = counters.active_many([r["region"] for r in rows], cell)
    own_active = counters.active_many([focus], cell, own=True).get(focus.pk, 0)

    def figures(counts, hundredths, people):
        out = {key: counts.get(key, 0) for key in (*counters.ORDER_FIGURE_KEYS, "rating_sum")}
        out["hours"] = _hours(decimal.Decimal(hundredths or 0) / 100)
        out["active"] = people
        return out

    for row, (_r, counts), (_h, hundredths) in zip(rows, by_child, hours, strict=True):
        row.update(figures(counts, hundredths, active.get(row["region"].pk, 0)))
    direct.update(figures(own, own_hours, own_active))
    return rows, direct


BIG_SUBTREE = 1000  # regions: above this, group the whole table instead of listing ids


def _by_child_ids(queryset, focus: Region, measures: dict):
    """`counts_by_child_region` for the people registry's figures, which have no
    counters of the bulletin's kind: grouped by region id within the focus's subtree ids
    (the region foreign key's index; no join to the regions and no path range), then
    added up by child region in Python."""
    aggregates = {
        "total": Count("pk"),
        **{name: Count("pk", filter=q) for name, q in measures.items()},
    }
    children = list(Region.objects.filter(parent=focus).order_by("code"))
    ids = subtree_ids(focus)
    if ids is None or len(ids) > BIG_SUBTREE:
        # A province: a long id list costs more to plan than the rows outside it cost
        # to group; the rows outside the subtree are dropped below by their path.
        grouped = list(queryset.values("region_id").annotate(**aggregates).order_by())
        paths = dict(Region.objects.filter(path__startswith=focus.path).values_list("pk", "path"))
    else:
        inside = queryset.filter(region_id__in=ids)
        grouped = list(inside.values("region_id").annotate(**aggregates).order_by())
        found = [r["region_id"] for r in grouped]
        paths = dict(Region.objects.filter(pk__in=found).values_list("pk", "path"))
    depth = len(focus.path.strip("/").split("/"))
    by_child = {c.path: dict.fromkeys(aggregates, 0) for c in children}
    direct = dict.fromkeys(aggregates, 0)
    for row in grouped:
        path = paths.get(row.pop("region_id"), "")
        if not path.startswith(focus.path):
            continue
        parts = path.strip("/").split("/")
        target = direct if len(parts) == depth else by_child.get("/".join(parts[: depth + 1]) + "/")
        if target is None:
            continue
        for key, value in row.items():
            target[key] += value
    return [(child, by_child[child.path]) for child in children], direct


def _counted_kinds(focus: Region, period: Period) -> dict:
    start, end = period.first, period.last + datetime.timedelta(days=1)
    return rollups.by_key(counters.ORDER_KINDS_COUNTY, focus, start, end)


def _breakdown(focus: Region, period: Period, field_name: str, choices, kinds=None) -> list[dict]:
    """Orders received and completed in the period by category or target group: every
    choice, the busiest first (then in catalog order). `kinds`: the counters'
    `category:received:<code>`… values, when they serve (else the raw rows)."""
    if kinds is not None:
        prefix = "category" if field_name == "category" else "group"
        counted = {
            value: {
                "received": kinds.get(f"{prefix}:received:{value}", 0),
                "completed": kinds.get(f"{prefix}:completed:{value}", 0),
            }
            for value, _label in choices
        }
    else:
        counted = _raw_kinds(focus, period, field_name)
    out = []
    for position, (value, label) in enumerate(choices):
        row = counted.get(value, {})
        out.append(
            {
                "code": value,
                "label": str(label),
                "received": row.get("received", 0),
                "completed": row.get("completed", 0),
                "position": position,
            }
        )
    out.sort(key=lambda r: (-r["received"], -r["completed"], r["position"]))
    return out


def _raw_kinds(focus: Region, period: Period, field_name: str) -> dict:
    start, end = period.start, period.end
    submitted = _within("submitted_at", start, end)
    served = _within("served_at", start, end) & Q(status__in=(S.SERVED, S.CLOSED))
    low, high = subtree_bounds(focus.path)
    return {
        row[field_name]: row
        for row in ServiceOrder.objects.filter(submitted | served)
        .filter(region__path__gte=low, region__path__lt=high)
        .values(field_name)
        .annotate(received=Count("pk", filter=submitted), completed=Count("pk", filter=served))
        .order_by()
    }


def definitions() -> list[tuple[str, str]]:
    """(figure key, how it is counted) for the page, the workbook and the PDF."""
    return [
        (
            "registered",
            _(
                "Volunteer registrations awaiting review or certified, with a start date on "
                "or before the last day of the period, by the registration's region."
            ),
        ),
        ("certified", _("The registered volunteers whose registration is certified.")),
        (
            "active",
            _(
                "Volunteers with at least one approved hour entry starting in the period "
                "(each counted once)."
            ),
        ),
        ("teams", _("Volunteer service teams created before the end of the period.")),
        (
            "received",
            _("Service orders submitted in the period, by the region where service is wanted."),
        ),
        (
            "dispatched",
            _("Orders dispatched in the period, except those since handed back for dispatch."),
        ),
        (
            "completed",
            _("Orders whose service was completed in the period (served, rated or closed)."),
        ),
        ("accepted", _("Orders accepted by a service team in the period.")),
        (
            "on_time",
            _(
                "Of the orders accepted, those dispatched within the dispatch deadline and "
                "accepted within the acceptance deadline (working days)."
            ),
        ),
        (
            "on_time_rate",
            _(
                "Orders that kept both the dispatch and the acceptance deadline, as a share "
                "of the orders accepted by a team in the period."
            ),
        ),
        ("hours", _("Approved service hours of entries starting in the period.")),
        ("rating", _("The requesters' average rating (1 to 5 stars) given in the period.")),
    ]


# --- words --------------------------------------------------------------------------------


def number(value) -> str:
    """12 → "12"; Decimal("12.50") → "12.5" (for prose: no thousands separators)."""
    if isinstance(value, decimal.Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def summary(bulletin: Bulletin) -> list[str]:
    """The bulletin's paragraphs in plain words, with the numbers."""
    t = bulletin.total
    words = {
        "period": bulletin.period.label,
        "region": bulletin.focus.name,
        **{k: number(t[k]) for k in (*ADDITIVE, "active")},
        "hours": number(t["hours"].quantize(ONE_PLACE, rounding=decimal.ROUND_HALF_UP)),
    }
    first = (
        _(
            "In %(period)s, %(region)s had %(registered)s registered technology volunteers "
            "(%(certified)s of them certified) and %(teams)s volunteer service teams. "
            "%(active)s volunteers took part in services, with %(hours)s approved service hours."
        )
        % words
    )
    second = (
        _(
            "%(received)s service orders were received, %(dispatched)s dispatched and "
            "%(completed)s completed."
        )
        % words
    )
    if t["on_time_rate"] is not None:
        second += _(
            " Of the %(accepted)s orders accepted by a team, %(on_time)s kept both the dispatch "
            "and the acceptance deadline (on-time rate %(rate)s%%)."
        ) % {**words, "rate": number(t["on_time_rate"])}
    if t["rating"] is not None:
        second += _(
            " The requesters gave an average rating of %(rating)s out of 5 (%(rated)s ratings)."
        ) % {**words, "rating": number(t["rating"])}
    paragraphs = [first, second]
    if bulletin.rows:
        paragraphs.extend(_ranking_words(bulletin))
    return paragraphs


def _names(rows) -> str:
    return pgettext("list separator", ", ").join(r["region"].name for r in rows)


def _ranking_words(bulletin: Bulletin) -> list[str]:
    out = []
    top = [r for r in bulletin.ranked("completed") if r["completed"]][:3]
    top_hours = [r for r in bulletin.ranked("hours") if r["hours"]][:3]
    if top:
        out.append(
            _("Most service orders completed: %(names)s.") % {"names": _names(top)}
            + (
                _(" Most volunteer service hours: %(names)s.") % {"names": _names(top_hours)}
                if top_hours
                else ""
            )
        )
    idle = [r for r in bulletin.rows if not r["completed"]]
    if idle and len(idle) < len(bulletin.rows):
        out.append(_("No service order was completed in %(names)s.") % {"names": _names(idle)})
    elif idle:
        out.append(_("No subordinate region completed a service order in the period."))
    return out
