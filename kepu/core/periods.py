"""Time periods, the one way every app names, parses, labels and bounds a span of days.

A `Period` is a whole number of local days, [first, last] inclusive: a month, a quarter, a
year or a custom range. Its `start`/`end` are the local midnights that bound it (end
exclusive), ready for `started_at__gte=p.start, started_at__lt=p.end`. Labels come in the
request language: "2026年第四季度" / "Q4 2026", "2026年10月" / "October 2026".

Reporting cycles (a plan's monthly or quarterly reports) are periods too:
`period_containing(day, "quarter")` and `periods_between(first, last, "month")`.
Working-day deadlines live in `kepu.core.workdays` (the State Council calendar); they are
re-exported here so that a module dealing with periods needs one import.

Parsing:
- `parse_period(request.GET)`: the page/API form `?period=month|quarter|year|custom` with
  `year`, `quarter`, `month` or `from`/`to`; errors come back as translated messages and the
  period falls back to the default.
- `parse_compact("2025")`, `("2025-03")`, `("2025Q3")`: the short form used by API filters.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from kepu.core.workdays import add_working_days, deadline, is_working_day  # noqa: F401

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PERIOD_KINDS = (MONTH, QUARTER, YEAR, CUSTOM)
MIN_YEAR, MAX_YEAR = 2000, 2100
COMPACT_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])|[Qq][1-4])?$"

QUARTER_NAMES = {
    1: pgettext_lazy("period", "Q1"),
    2: pgettext_lazy("period", "Q2"),
    3: pgettext_lazy("period", "Q3"),
    4: pgettext_lazy("period", "Q4"),
}


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the current (local) time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Period:
    """A whole number of days, [first, last] inclusive, in local time."""

    kind: str
    first: datetime.date
    last: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the period (exclusive bound)."""
        return local_midnight(self.last + datetime.timedelta(days=1))

    @property
    def label(self) -> str:
        """ "2026年第四季度", "2026年10月", "2026年", "2026年1月5日至2026年3月1日"."""
        year = self.first.year
        if self.kind == QUARTER:
            return pgettext("period", "%(quarter)s %(year)s") % {
                "quarter": QUARTER_NAMES[quarter_of(self.first)],
                "year": year,
            }
        if self.kind == MONTH:
            return pgettext("period", "%(month_name)s %(year)s") % {
                "month_name": MONTHS[self.first.month],
                "month": self.first.month,
                "year": year,
            }
        if self.kind == YEAR:
            return pgettext("period", "the year %(year)s") % {"year": year}
        return pgettext("period", "%(first)s to %(last)s") % {
            "first": formats.date_format(self.first, "DATE_FORMAT"),
            "last": formats.date_format(self.last, "DATE_FORMAT"),
        }

    @property
    def slug(self) -> str:
        """For file names and the audit trail: 2026Q4, 2026-10, 2026, 20260105-20260301."""
        if self.kind == QUARTER:
            return f"{self.first.year}Q{quarter_of(self.first)}"
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == YEAR:
            return f"{self.first.year}"
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    def params(self) -> dict[str, str]:
        """The query parameters that select this period again."""
        params = {"period": self.kind}
        if self.kind == CUSTOM:
            params.update({"from": self.first.isoformat(), "to": self.last.isoformat()})
            return params
        params["year"] = str(self.first.year)
        if self.kind == QUARTER:
            params["quarter"] = str(quarter_of(self.first))
        elif self.kind == MONTH:
            params["month"] = str(self.first.month)
        return params

    def audit_detail(self) -> dict[str, str]:
        return {"period": self.slug, "from": self.first.isoformat(), "to": self.last.isoformat()}

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def next(self) -> Period:
        """The period of the same kind right after this one (custom: same length)."""
        after = self.last + datetime.timedelta(days=1)
        if self.kind == CUSTOM:
            return custom_period(after, after + (self.last - self.first))
        return period_containing(after, self.kind)


def month_period(year: int, month: int) -> Period:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Period(MONTH, first, following - datetime.timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    first = datetime.date(year, 3 * quarter - 2, 1)
    return Period(QUARTER, first, month_period(year, 3 * quarter).last)


def year_period(year: int) -> Period:
    return Period(YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def custom_period(first: datetime.date, last: datetime.date) -> Period:
    return Period(CUSTOM, first, last)


def period_containing(day: datetime.date, kind: str) -> Period:
    """The month, quarter or year that contains `day`."""
    if kind == MONTH:
        return month_period(day.year, day.month)
    if kind == QUARTER:
        return quarter_period(day.year, quarter_of(day))
    if kind == YEAR:
        return year_period(day.year)
    raise ValueError(f"no calendar period of kind {kind!r}")


def periods_between(first: datetime.date, last: datetime.date, kind: str) -> list[Period]:
    """The periods of `kind` that overlap [first, last], in order, each whole (a plan
    starting mid-quarter reports for that whole quarter)."""
    periods = []
    current = first
    while current <= last:
        period = period_containing(current, kind)
        periods.append(period)
        current = period.last + datetime.timedelta(days=1)
    return periods


def period_of(first: datetime.date, last: datetime.date) -> Period:
    """The period [first, last] with its kind recognised (a whole month, quarter or year
    is labelled as such; anything else is a custom range)."""
    for kind in (MONTH, QUARTER, YEAR):
        candidate = period_containing(first, kind)
        if candidate.first == first and candidate.last == last:
            return candidate
    return custom_period(first, last)


def default_period(today: datetime.date | None = None, kind: str = QUARTER) -> Period:
    """The current quarter (or month, or year)."""
    return period_containing(today or timezone.localdate(), kind)


def _int(raw, low, high):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def parse_date(raw) -> datetime.date | None:
    """An ISO date within the supported years, or None."""
    try:
        day = datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def parse_period(
    params, today: datetime.date | None = None, *, default_kind: str = QUARTER
) -> tuple[Period, list[str]]:
    """The period asked for by `?period=month|quarter|year|custom` with `year`, `quarter`,
    `month` or `from` and `to` (ISO dates); the current `default_kind` period when nothing
    is asked. A request that cannot be understood falls back to it, with the reason."""
    today = today or timezone.localdate()
    fallback = default_period(today, default_kind)
    kind = params.get("period") or default_kind
    if kind not in PERIOD_KINDS:
        return fallback, [_("Choose a month, a quarter, a year or a date range.")]
    if kind == CUSTOM:
        first, last = parse_date(params.get("from")), parse_date(params.get("to"))
        if first is None or last is None:
            return fallback, [_("Enter both dates of the range.")]
        if last < first:
            return fallback, [_("The end of the range must not be before its start.")]
        return custom_period(first, last), []
    raw_year = params.get("year")
    year = _int(raw_year, MIN_YEAR, MAX_YEAR) if raw_year else today.year
    if year is None:
        return fallback, [
            _("Choose a year between %(low)s and %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR}
        ]
    if kind == YEAR:
        return year_period(year), []
    if kind == QUARTER:
        raw = params.get("quarter")
        quarter = _int(raw, 1, 4) if raw else quarter_of(today)
        if quarter is None:
            return fallback, [_("Choose a quarter.")]
        return quarter_period(year, quarter), []
    raw = params.get("month")
    month = _int(raw, 1, 12) if raw else today.month
    if month is None:
        return fallback, [_("Choose a month.")]
    return month_period(year, month), []


def picker(period: Period, *, years: int = 6, kinds=PERIOD_KINDS) -> dict:
    """What the period picker (`core/partials/_period_fields.html`) shows: the kinds of
    period on offer, the recent years (and the period's own), quarters and months with
    their names, and the fields of `period` selected."""
    this_year = timezone.localdate().year
    year_list = list(range(this_year, this_year - years, -1))
    if period.first.year not in year_list:
        year_list = sorted({*year_list, period.first.year}, reverse=True)
    names = {QUARTER: _("Quarter"), MONTH: _("Month"), YEAR: _("Year"), CUSTOM: _("Date range")}
    return {
        "kinds": [(kind, names[kind]) for kind in kinds],
        "years": year_list,
        "quarters": [(q, QUARTER_NAMES[q]) for q in range(1, 5)],
        "months": list(MONTHS.items()),
        "selected": {
            "kind": period.kind,
            "year": period.first.year,
            "quarter": quarter_of(period.first),
            "month": period.first.month,
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
        },
    }


def parse_compact(value: str) -> Period | None:
    """ "2025" (a year), "2025-03" (a month) or "2025Q3" (a quarter); None otherwise."""
    value = (value or "").strip()
    if not re.match(COMPACT_PATTERN, value):
        return None
    year = int(value[:4])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if len(value) == 4:
        return year_period(year)
    if value[4] in "Qq":
        return quarter_period(year, int(value[5]))
    return month_period(year, int(value[5:7]))
