"""The workbench (工作台, issue 19): every signed-in role lands on it; its to-do counts
what awaits exactly this user in their scope (never another county's), each item links
to a page listing exactly those items; the block is cached and its queries bounded; the
sidebar's labels are unique for every persona in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kepu.activities.tests.helpers import make_activity
from kepu.core import workbench
from kepu.core.context_processors import _menu
from kepu.core.models import User
from kepu.core.testing import PERSONAS
from kepu.people.tests.test_api import pending_in
from kepu.volunteering import services as vs
from kepu.volunteering.tests.helpers import make_order, make_team, make_volunteer

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def todo(client) -> dict[str, workbench.Item]:
    cache.clear()  # the block is cached per user for FRESH_SECONDS
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return {row["item"].key: row["item"] for row in response.context["todos"]}


def counts(client) -> dict[str, int]:
    return {key: item.count for key, item in todo(client).items()}


def pending_hours(code="510104"):
    """One pending hour entry of a team of `code` (entered by nobody: the system)."""
    person = make_volunteer(code=code + "022")
    team = make_team(organization=None, code=code, members=[person])
    start = timezone.now() - datetime.timedelta(days=2)
    return vs.add_manual_entry(
        actor=None,
        person=person,
        team=team,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=2),
        description="社区科普讲座",
    )


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_role_lands_on_the_workbench(as_persona, persona):
    client = as_persona(persona)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert reverse("core:home") == "/workbench/"
    html = response.content.decode()
    assert 'id="todo-title"' in html
    # The old dashboard address is the same page.
    old = client.get(reverse("core:dashboard"), {"region": "510104"})
    assert old.status_code == 302 and old.url == "/workbench/?region=510104"


def test_the_volunteer_no_longer_lands_on_the_registry_search(as_persona):
    response = as_persona("volunteer").get(reverse("core:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "core/workbench.html"
    assert not response.context["show_figures"]


def test_county_counts_what_awaits_it_and_never_another_countys(as_persona):
    county_a, county_b = as_persona("county_a"), as_persona("county_b")
    before_a, before_b = counts(county_a), counts(county_b)

    pending_in("510104", "51010419930303004")
    pending_in("510104", "51010419930303012")
    make_order(code="510104022")
    make_order(code="510104022")
    make_order(code="510104022")
    pending_hours("510104")
    make_activity(code="510104", status="submitted")
    # The same in county B: never county A's.
    pending_in("510703", "51070319930303008")
    make_order(code="510703001")

    after_a, after_b = counts(county_a), counts(county_b)

    def delta(after, before, key):
        return after.get(key, 0) - before.get(key, 0)

    assert delta(after_a, before_a, "people.registrations") == 2
    assert delta(after_a, before_a, "volunteering.orders_submitted") == 3
    assert delta(after_a, before_a, "volunteering.hours") == 1
    assert delta(after_a, before_a, "activities.review") == 1
    assert delta(after_b, before_b, "people.registrations") == 1
    assert delta(after_b, before_b, "volunteering.orders_submitted") == 1
    assert delta(after_b, before_b, "volunteering.hours") == 0
    assert delta(after_b, before_b, "activities.review") == 0


def test_each_item_links_to_a_page_listing_exactly_those_items(as_persona):
    pending_in("510104", "51010419930303004")
    make_order(code="510104022")
    pending_hours("510104")
    make_activity(code="510104", status="submitted")
    client = as_persona("county_a")
    items = todo(client)
    assert {
        "people.registrations",
        "volunteering.orders_submitted",
        "volunteering.hours",
        "activities.review",
    } <= set(items)
    for item in items.values():
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        page = response.context.get("page")
        if page is None:
            continue
        assert item.count <= 25, "the demo's queues fit on one page"
        assert len(list(page)) == item.count, f"{item.key}: {item.url}"


def test_four_eyes_my_own_submission_is_not_my_to_do(as_persona):
    officer = User.objects.get(username="demo-county-a")
    client = as_persona("county_a")
    before = counts(client).get("activities.review", 0)
    activity = make_activity(code="510104", status="draft")
    from kepu.activities import services as activities

    activities.submit_activity(activity, actor=officer)
    assert counts(client).get("activities.review", 0) == before
    other = as_persona("city")
    assert "activities.review" in counts(other)


def test_overdue_orders_are_flagged(as_persona):
    order = make_order(code="510104022")
    type(order).objects.filter(pk=order.pk).update(
        dispatch_due=timezone.now() - datetime.timedelta(hours=1),
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    item = todo(as_persona("county_a"))["volunteering.orders_submitted"]
    assert item.overdue >= 1 and item.age_days >= 3


def test_the_block_is_cached_and_dated(as_persona):
    client = as_persona("province")
    first = client.get(reverse("core:home"))
    assert first.status_code == 200 and "数据截至" in first.content.decode()
    pending_in("510104", "51010419930303004")
    again = client.get(reverse("core:home"))
    assert [r["count"] for r in again.context["todos"]] == [
        r["count"] for r in first.context["todos"]
    ]


def test_a_province_officers_workbench_runs_a_bounded_number_of_queries(as_persona):
    client = as_persona("province")
    client.get(reverse("core:home"))
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(reverse("core:home")).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(reverse("core:home")).status_code == 200
    # 48: the selections providers (entries to check, overdue projects, objections);
    # 50: the talent service's (talents overdue for contact, applications to recommend).
    assert len(cold) <= 50, "\n".join(q["sql"][:160] for q in cold)
    assert len(warm) <= 12, "\n".join(q["sql"][:160] for q in warm)


def test_recent_actions_are_my_own_business_actions(as_persona):
    officer = User.objects.get(username="demo-county-a")
    activity = make_activity(code="510104", status="draft")
    from kepu.activities import services as activities

    activities.submit_activity(activity, actor=officer)
    client = as_persona("county_a")
    recent = client.get(reverse("core:home")).context["recent"]
    assert recent and recent[0]["url"] == reverse("activities:activity_detail", args=[activity.pk])
    assert all("登录" not in str(r["label"]) for r in recent)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_two_sidebar_labels_are_equal_for_any_persona(language):
    for persona, username in PERSONAS.items():
        if username is None:
            continue
        user = User.objects.get(username=username)
        with translation.override(language):
            _key, navigation, _urls = _menu(user, language)
            labels = [str(item[0]) for _title, items in navigation for item in items]
            sections = [str(title) for title, _items in navigation]
        assert labels, persona
        assert len(labels) == len(set(labels)), f"{persona} ({language}): {labels}"
        assert len(sections) == len(set(sections)), f"{persona} ({language}): {sections}"
        assert not set(labels) & set(sections), f"{persona} ({language})"
