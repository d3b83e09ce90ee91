"""The Chinese working-day calendar: Monday to Friday, minus the public holidays, plus the
weekend days that are working days by the State Council's yearly arrangement (调休).

The arrangement is in `kepu/core/data/holidays.tsv` (one line per day, with its source);
a new year's arrangement is added there when the State Council publishes it (usually in
November). `KEPU_EXTRA_HOLIDAYS` adds or overrides days without a release
("2027-01-01:off,2027-01-04:work"). For a year the file does not cover, only weekends
count as days off, and `covered(year)` says so, so that pages can warn.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data" / "holidays.tsv"


@functools.cache
def _calendar() -> tuple[dict[datetime.date, bool], frozenset[int]]:
    """({date: is_working_day} for the days that differ from the weekday rule, years)."""
    days: dict[datetime.date, bool] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        date, kind, _name = line.split("\t")
        days[datetime.date.fromisoformat(date)] = kind == "work"
    for item in filter(None, getattr(settings, "KEPU_EXTRA_HOLIDAYS", "").split(",")):
        date, _sep, kind = item.strip().partition(":")
        days[datetime.date.fromisoformat(date)] = kind.strip() == "work"
    return days, frozenset(d.year for d in days)


def covered(year: int) -> bool:
    """Whether the holiday arrangement of `year` is known."""
    return year in _calendar()[1]


def is_working_day(day: datetime.date) -> bool:
    special = _calendar()[0].get(day)
    if special is not None:
        return special
    return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (not counting `start` itself)."""
    if days < 0:
        raise ValueError("days must be positive")
    current = start
    while days:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        count += is_working_day(current)
    return count


def deadline(start: datetime.datetime, days: int) -> datetime.datetime:
    """The end (23:59:59.999999, local time) of the `days`-th working day after `start`."""
    local = timezone.localtime(start)
    last = add_working_days(local.date(), days)
    end = datetime.datetime.combine(last, datetime.time.max)
    return timezone.make_aware(end, timezone.get_current_timezone())
