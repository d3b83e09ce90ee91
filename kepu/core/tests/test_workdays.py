"""The Chinese working-day calendar (holidays and make-up working days)."""

import datetime

import pytest
from django.utils import timezone

from kepu.core import workdays

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 10, 1), False),  # National Day, a Thursday
        (D(2026, 10, 10), True),  # Saturday, make-up working day
        (D(2026, 9, 20), True),  # Sunday, make-up working day
        (D(2026, 2, 14), True),  # Saturday before the Spring Festival
        (D(2026, 2, 23), False),  # Monday, last day of the Spring Festival holiday
        (D(2026, 11, 23), True),  # an ordinary Monday
        (D(2026, 11, 22), False),  # an ordinary Sunday
        (D(2025, 10, 8), False),  # 2025 National Day and Mid-Autumn, a Wednesday
        (D(2025, 9, 28), True),  # Sunday, make-up working day
        (D(2024, 6, 10), False),  # Dragon Boat Festival, a Monday
    ],
)
def test_working_days(day, working):
    assert workdays.is_working_day(day) is working


def test_adding_working_days_skips_the_holiday_and_counts_the_make_up_day():
    # Tuesday 2026-09-29 + 2 working days: the 30th, then the holiday 1–7 October, then
    # Thursday the 8th.
    assert workdays.add_working_days(D(2026, 9, 29), 2) == D(2026, 10, 8)
    # Friday 2026-10-09 + 1: Saturday the 10th is a make-up working day.
    assert workdays.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


def test_deadline_is_the_end_of_the_last_working_day():
    start = timezone.make_aware(datetime.datetime(2026, 9, 30, 16, 0))
    due = timezone.localtime(workdays.deadline(start, 1))
    assert due.date() == D(2026, 10, 8)
    assert (due.hour, due.minute) == (23, 59)


def test_a_year_without_an_arrangement_is_reported_and_falls_back_to_weekdays():
    assert workdays.covered(2026)
    assert not workdays.covered(2031)
    assert workdays.is_working_day(D(2031, 1, 6))  # a Monday


def test_extra_days_from_the_setting(settings):
    settings.KEPU_EXTRA_HOLIDAYS = "2031-01-06:off,2031-01-04:work"
    workdays._calendar.cache_clear()
    try:
        assert not workdays.is_working_day(D(2031, 1, 6))
        assert workdays.is_working_day(D(2031, 1, 4))  # a Saturday
        assert workdays.covered(2031)
    finally:
        workdays._calendar.cache_clear()


def test_every_make_up_day_in_the_data_is_a_weekend_day():
    days, _years = workdays._calendar()
    assert all(day.weekday() >= 5 for day, working in days.items() if working)
