"""Issue 19 point 7 on the activity pages: a multi-day event that has started is listed as
running (with its whole span), not by a start date that looks past; the month in the
date box is the reader's language; the officer's list filters by the region cascade."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.activities.tests.helpers import make_activity

pytestmark = pytest.mark.django_db
CALENDAR = reverse("activities:calendar")


@pytest.fixture
def running_and_coming():
    running = make_activity(days=-2, hours=24 * 5, title="日历测试科技周展览")
    coming = make_activity(days=4, title="日历测试地震讲座")
    return running, coming


def _english():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_a_multi_day_event_that_has_started_is_listed_as_running(running_and_coming):
    running, coming = running_and_coming
    page = _english().get(CALENDAR, {"q": "日历测试"}).content.decode()
    assert "Happening now" in page and "Coming up" in page
    assert page.index("Happening now") < page.index("日历测试科技周展览")
    assert page.index("日历测试科技周展览") < page.index("Coming up")
    assert page.index("Coming up") < page.index("日历测试地震讲座")
    assert "Ongoing" in page and "Already over" not in page
    # its whole span, in the reader's language
    start = timezone.localtime(running.starts_at).strftime("%Y-%m-%d %H:%M")
    end = timezone.localtime(running.ends_at).strftime("%Y-%m-%d %H:%M")
    assert f"{start} to {end}" in page
    month = timezone.localtime(running.ends_at).strftime("%b")
    assert f"to {month} {timezone.localtime(running.ends_at).day}" in page
    assert "月<" not in page  # no Chinese month in English


def test_the_date_box_month_is_chinese_in_chinese(running_and_coming):
    running, _coming = running_and_coming
    page = Client().get(CALENDAR, {"q": "日历测试"}).content.decode()
    assert f">{timezone.localtime(running.starts_at).month}月<" in page


def test_a_day_inside_a_multi_day_event_finds_it(running_and_coming):
    running, _coming = running_and_coming
    day = (timezone.localdate(running.starts_at) + datetime.timedelta(days=1)).isoformat()
    page = Client().get(CALENDAR, {"date_from": day, "date_to": day}).content.decode()
    assert "日历测试科技周展览" in page


def test_the_officer_list_filters_by_the_region_cascade(as_persona):
    client = as_persona("county_a")
    page = client.get(reverse("activities:activity_list")).content.decode()
    assert "kepu-region-picker" in page and 'name="region"' in page
    assert 'type="text" name="region"' not in page
    chosen = client.get(reverse("activities:activity_list"), {"region": "510104"})
    assert chosen.status_code == 200
    assert 'value="510104" selected' in chosen.content.decode()
