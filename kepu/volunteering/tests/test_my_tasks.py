"""A volunteer's tasks (issue 19 point 7): a page at a time, upcoming first (soonest
first), the past ones on their own tab (latest first), by service category; hours with
their unit."""

import re

import pytest
from django.urls import reverse

from kepu.core.templatetags.kepu import hours
from kepu.volunteering import services
from kepu.volunteering.models import Assignment
from kepu.volunteering.tests.helpers import (
    demo_volunteer_person,
    make_order,
    make_team,
    officer,
    served_order,
)
from kepu.volunteering.views.orders import CURRENT, TASKS_PER_PAGE

pytestmark = pytest.mark.django_db
TASKS = reverse("volunteering:my_tasks")


@pytest.fixture
def volunteer_tasks():
    person = demo_volunteer_person()
    team = make_team(leader=None, members=[person])
    for days in range(3, 3 + TASKS_PER_PAGE + 2):
        order = make_order(days=days, category="health" if days % 2 else "emergency")
        order = services.dispatch(order, actor=officer(), team=team)
        services.accept(order, actor=None, volunteers=[person])
    served_order(team=team, volunteers=[person], hours=3.5)
    return person


def _cards(page: str) -> int:
    return page.count('class="card mb-3 kepu-task"')


def test_the_task_list_is_paginated_upcoming_first(as_persona, volunteer_tasks):
    client = as_persona("volunteer")
    current = Assignment.objects.filter(
        person=volunteer_tasks, order__status__in=CURRENT, checked_out_at__isnull=True
    ).count()
    assert current > TASKS_PER_PAGE
    first = client.get(TASKS).content.decode()
    assert _cards(first) == TASKS_PER_PAGE
    assert "page=2" in first
    second = client.get(TASKS, {"page": 2}).content.decode()
    assert _cards(second) == min(TASKS_PER_PAGE, current - TASKS_PER_PAGE)
    numbers = re.findall(r'ms-auto">([^<]+)</span>', first)
    soonest = (
        Assignment.objects.filter(
            person=volunteer_tasks, order__status__in=CURRENT, checked_out_at__isnull=True
        )
        .order_by("order__window_start", "pk")
        .values_list("order__number", flat=True)[:TASKS_PER_PAGE]
    )
    assert numbers == list(soonest)
    # No check-out button of a done task on the upcoming tab.
    assert "3.5 h" not in first


def test_past_tasks_have_their_tab_with_hours_and_a_unit(as_persona, volunteer_tasks):
    client = as_persona("volunteer")
    client.cookies["django_language"] = "en"
    past = client.get(TASKS, {"open": "false"}).content.decode()
    assert _cards(past) == 0 and "3.5 h" in past and "3.50" not in past
    assert 'aria-current="page"' in past


def test_the_category_filter_narrows_the_tasks(as_persona, volunteer_tasks):
    client = as_persona("volunteer")
    page = client.get(TASKS, {"category": "emergency"}).content.decode()
    education = Assignment.objects.filter(
        person=volunteer_tasks,
        order__status__in=CURRENT,
        checked_out_at__isnull=True,
        order__category="emergency",
    ).count()
    assert _cards(page) == min(education, TASKS_PER_PAGE)
    assert client.get(TASKS, {"category": "nonsense"}).status_code == 200
    assert _cards(client.get(TASKS, {"category": "nonsense"}).content.decode()) == 0


@pytest.mark.parametrize(
    "value, zh, en",
    [
        ("3.50", "3.5 小时", "3.5 h"),
        ("12.00", "12 小时", "12 h"),
        ("1234.25", "1,234.25 小时", "1,234.25 h"),
        ("0", "0 小时", "0 h"),
        (None, "", ""),
    ],
)
def test_hours_show_with_their_unit(value, zh, en):
    from django.utils import translation

    with translation.override("en"):
        assert hours(value) == en
    # The Chinese unit comes from the catalog (translations-D.json, filled by the
    # integrator); until then the msgid is shown.
    with translation.override("zh-hans"):
        assert hours(value) in (zh, en)
