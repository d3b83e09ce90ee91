"""What keeps the activity pages cheap at province scale behaves like what it replaced:
the calendar from the shared cache shows a published change after its refresh, the
search through the stored vector finds exactly the rows `icontains` finds, the list's
status counts come from the counters."""

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from kepu.activities.models import Activity
from kepu.activities.querysets import SEARCH_FIELDS
from kepu.activities.tests.helpers import make_activity

pytestmark = pytest.mark.django_db


def test_a_published_activity_appears_on_the_cached_calendar(
    settings, django_capture_on_commit_callbacks
):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    url = reverse("activities:calendar")
    first = Client().get(url)
    assert first.status_code == 200 and first["X-Kepu-Cache"] == "shared"
    assert "缓存里的新活动" not in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(title="缓存里的新活动", days=1)  # approved: published, bumps the tag
    Client().get(url)  # served from the cache while the entry is made again
    after = Client().get(url)
    assert after["X-Kepu-Cache"] == "shared"
    assert "缓存里的新活动" in after.content.decode()


def test_the_event_page_with_its_sign_up_form_is_never_shared():
    activity = make_activity(capacity=5, days=2)
    response = Client().get(reverse("activities:event", args=[activity.pk]))
    assert response.status_code == 200 and "X-Kepu-Cache" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["科普", "地震", "锦江区", "讲座 科普", "科学技术协会", "ai", "馆"]
)
def test_search_finds_the_rows_icontains_finds(query):
    make_activity(title="AI科普讲座：地震来了", brand="天府科技云讲堂")
    expected = Activity.objects.all()
    for term in query.split():
        any_field = Q()
        for field in SEARCH_FIELDS:
            any_field |= Q(**{f"{field}__icontains": term})
        expected = expected.filter(any_field)
    found = set(Activity.objects.search(query).values_list("pk", flat=True))
    assert found == set(expected.values_list("pk", flat=True))
    assert found or query in ("馆",)


def test_the_list_shows_status_counts_from_the_counters(as_persona):
    make_activity(status="submitted", title="等待审核的活动")
    response = as_persona("county_a").get(reverse("activities:activity_list"))
    submitted = Activity.objects.filter(
        region__path__startswith="51/5101/510104/", status="submitted"
    )
    labels = dict(response.context["statuses"])
    assert labels["submitted"].endswith(f"({submitted.count():,})")
