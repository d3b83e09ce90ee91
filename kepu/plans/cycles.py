"""Reporting periods: calendar months or quarters, and their labels."""

import datetime

from django.utils.translation import gettext as _

from kepu.plans.choices import ReportCycle


def period_containing(day: datetime.date, cycle: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month or quarter that contains `day`."""
    if cycle == ReportCycle.MONTHLY:
        first_month = day.month
        months = 1
    else:
        first_month = (day.month - 1) // 3 * 3 + 1
        months = 3
    start = datetime.date(day.year, first_month, 1)
    month_after = first_month + months
    year = day.year + (month_after - 1) // 12
    month_after = (month_after - 1) % 12 + 1
    end = datetime.date(year, month_after, 1) - datetime.timedelta(days=1)
    return start, end


def periods_between(start: datetime.date, end: datetime.date, cycle: str):
    """The periods that overlap [start, end], in order, clipped to neither end (a plan
    starting mid-quarter reports for that whole quarter)."""
    periods = []
    current = start
    while current <= end:
        first, last = period_containing(current, cycle)
        periods.append((first, last))
        current = last + datetime.timedelta(days=1)
    return periods


def period_label(start: datetime.date, end: datetime.date) -> str:
    if start.month == end.month and start.year == end.year:
        return _("%(year)d-%(month)02d") % {"year": start.year, "month": start.month}
    if end.month - start.month == 2 and start.day == 1 and start.year == end.year:
        return _("%(year)d Q%(quarter)d") % {"year": start.year, "quarter": (start.month + 2) // 3}
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
