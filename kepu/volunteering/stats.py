"""The volunteer service bulletin (科技志愿服务工作通报, Jiangsu plan 003 (十)): the figures of
one region's subtree over one period, the same figures for each subordinate region with
their ranking, and the orders by service category and by target group.

Every figure is counted in SQL, one grouped query per source table for all subordinate
regions together (`counts_by_child_region`: GROUP BY the child's path prefix), so the
number of queries does not depend on how many subordinate regions there are.

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
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from kepu.core.choices import KeyGroup
from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds
from kepu.core.rollups import counts_by_child_region
from kepu.people.choices import ACTIVE_STATUSES, RegistrationKind, RegistrationStatus
from kepu.people.models import Registration, Team
from kepu.volunteering import choices as c
from kepu.volunteering.models import HourEntry, ServiceOrder

S = c.OrderStatus
PERIOD_KINDS = ("month", "quarter", "year", "custom")
MIN_YEAR, MAX_YEAR = 2000, 2100
TWO_PLACES = decimal.Decimal("0.01")
ONE_PLACE = decimal.Decimal("0.1")

QUARTER_NAMES = {
    1: pgettext_lazy("period", "Q1"),
    2: pgettext_lazy("period", "Q2"),
    3: pgettext_lazy("period", "Q3"),
    4: pgettext_lazy("period", "Q4"),
}

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


# --- the period -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A whole number of days, [first, last] inclusive, in local time."""

    kind: str
    first: datetime.date
    last: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the period (exclusive bound)."""
        return _midnight(self.last + datetime.timedelta(days=1))

    @property
    def label(self) -> str:
        """ "2026年第四季度", "2026年10月", "2026年", "2026年1月5日至2026年3月1日"."""
        year = self.first.year
        if self.kind == "quarter":
            quarter = (self.first.month - 1) // 3 + 1
            return pgettext("period", "%(quarter)s %(year)s") % {
                "quarter": QUARTER_NAMES[quarter],
                "year": year,
            }
        if self.kind == "month":
            return pgettext("period", "%(month_name)s %(year)s") % {
                "month_name": MONTHS[self.first.month],
                "month": self.first.month,
                "year": year,
            }
        if self.kind == "year":
            return pgettext("period", "the year %(year)s") % {"year": year}
        return pgettext("period", "%(first)s to %(last)s") % {
            "first": formats.date_format(self.first, "DATE_FORMAT"),
            "last": formats.date_format(self.last, "DATE_FORMAT"),
        }

    @property
    def slug(self) -> str:
        """For file names and the audit trail: 2026Q4, 2026-10, 2026, 20260105-20260301."""
        if self.kind == "quarter":
            return f"{self.first.year}Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    def params(self) -> dict[str, str]:
        """The query parameters that select this period again."""
        params = {"period": self.kind}
        if self.kind == "custom":
            params.update({"from": self.first.isoformat(), "to": self.last.isoformat()})
            return params
        params["year"] = str(self.first.year)
        if self.kind == "quarter":
            params["quarter"] = str((self.first.month - 1) // 3 + 1)
        elif self.kind == "month":
            params["month"] = str(self.first.month)
        return params

    def audit_detail(self) -> dict[str, str]:
        return {
            "period": self.slug,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
        }


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def month_period(year: int, month: int) -> Period:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Period("month", first, following - datetime.timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    first = datetime.date(year, 3 * quarter - 2, 1)
    last = month_period(year, 3 * quarter).last
    return Period("quarter", first, last)


def year_period(year: int) -> Period:
    return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def custom_period(first: datetime.date, last: datetime.date) -> Period:
    return Period("custom", first, last)


def default_period(today: datetime.date | None = None) -> Period:
    """This quarter."""
    today = today or timezone.localdate()
    return quarter_period(today.year, (today.month - 1) // 3 + 1)


def _int(raw, low, high):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _date(raw):
    try:
        day = datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def parse_period(params, today: datetime.date | None = None) -> tuple[Period, list[str]]:
    """The period asked for by `?period=month|quarter|year|custom` with `year`, `quarter`,
    `month` or `from` and `to` (ISO dates); this quarter when nothing is asked. A request
    that cannot be understood falls back to this quarter, with the reason."""
    today = today or timezone.localdate()
    fallback = default_period(today)
    kind = params.get("period") or "quarter"
    if kind not in PERIOD_KINDS:
        return fallback, [_("Choose a month, a quarter, a year or a date range.")]
    if kind == "custom":
        first, last = _date(params.get("from")), _date(params.get("to"))
        if first is None or last is None:
            return fallback, [_("Enter both dates of the range.")]
        if last < first:
            return fallback, [_("The end of the range must not be before its start.")]
        return custom_period(first, last), []
    raw_year = params.get("year")
    year = _int(raw_year, MIN_YEAR, MAX_YEAR) if raw_year else today.year
    if year is None:
        return fallback, [
            _("Choose a year between %(low)s and %(high)s.")
            % {
                "low": MIN_YEAR,
                "high": MAX_YEAR,
            }
        ]
    if kind == "year":
        return year_period(year), []
    if kind == "quarter":
        raw = params.get("quarter")
        quarter = _int(raw, 1, 4) if raw else (today.month - 1) // 3 + 1
        if quarter is None:
            return fallback, [_("Choose a quarter.")]
        return quarter_period(year, quarter), []
    raw = params.get("month")
    month = _int(raw, 1, 12) if raw else today.month
    if month is None:
        return fallback, [_("Choose a month.")]
    return month_period(year, month), []


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


def _sources(period: Period):
    """(queryset, region lookup, measures, aggregates, name of the row count) per table."""
    start, end = period.start, period.end
    registrations = Registration.objects.filter(
        kind=RegistrationKind.VOLUNTEER,
        status__in=ACTIVE_STATUSES,
        start_date__lte=period.last,
    )
    entries = HourEntry.objects.filter(status=c.HourStatus.APPROVED).filter(
        _within("started_at", start, end)
    )
    teams = Team.objects.filter(created_at__lt=end)
    submitted = _within("submitted_at", start, end)
    dispatched = _within("dispatched_at", start, end) & ~Q(status=S.SUBMITTED)
    served = _within("served_at", start, end) & Q(status__in=(S.SERVED, S.CLOSED))
    accepted = _within("accepted_at", start, end)
    rated = _within("rated_at", start, end) & Q(rating__isnull=False)
    orders = ServiceOrder.objects.filter(submitted | dispatched | served | accepted | rated)
    return [
        (
            registrations,
            {"certified": Q(status=RegistrationStatus.CERTIFIED)},
            {},
            "registered",
        ),
        (
            entries,
            {},
            {"active": Count("person", distinct=True), "hours": Sum("hours")},
            "entries",
        ),
        (teams, {}, {}, "teams"),
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


def compute(focus: Region, period: Period) -> Bulletin:
    """The bulletin of `focus` (its whole subtree) over `period`. The caller checks that
    the user may see `focus`; inside it every row counts."""
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
    for row in rows:
        _derive(row)
    _derive(direct)

    total = {key: sum((row[key] for row in rows), direct[key]) for key in ADDITIVE}
    total["hours"] = _hours(total["hours"])
    # One volunteer active in two subordinate regions is one active volunteer.
    low, high = subtree_bounds(focus.path)
    total["active"] = (
        HourEntry.objects.filter(status=c.HourStatus.APPROVED)
        .filter(_within("started_at", period.start, period.end))
        .filter(region__path__gte=low, region__path__lt=high)
        .aggregate(n=Count("person", distinct=True))["n"]
    )
    _derive(total)
    _rank(rows, "completed")
    _rank(rows, "hours")
    return Bulletin(
        focus=focus,
        period=period,
        total=total,
        direct=direct,
        rows=rows,
        categories=_breakdown(focus, period, "category", c.ServiceCategory.choices),
        groups=_breakdown(focus, period, "key_group", KeyGroup.choices),
    )


def _breakdown(focus: Region, period: Period, field_name: str, choices) -> list[dict]:
    """Orders received and completed in the period by category or target group: every
    choice, the busiest first (then in catalog order)."""
    start, end = period.start, period.end
    submitted = _within("submitted_at", start, end)
    served = _within("served_at", start, end) & Q(status__in=(S.SERVED, S.CLOSED))
    low, high = subtree_bounds(focus.path)
    counted = {
        row[field_name]: row
        for row in ServiceOrder.objects.filter(submitted | served)
        .filter(region__path__gte=low, region__path__lt=high)
        .values(field_name)
        .annotate(received=Count("pk", filter=submitted), completed=Count("pk", filter=served))
        .order_by()
    }
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
