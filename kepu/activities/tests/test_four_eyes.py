"""Four-eyes on activities (security problem #13): the officer who submitted an activity
does not approve, return or reject it; another officer does. Configurable per workflow
(KEPU_FOUR_EYES_OFF), on by default."""

import pytest
from django.urls import reverse

from kepu.activities import services
from kepu.activities.models import Activity
from kepu.activities.tests.helpers import make_activity
from kepu.core.models import AuditEntry, User
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


def submitted_by_county_a() -> Activity:
    activity = make_activity(status="draft")
    return services.submit_activity(activity, actor=User.objects.get(username="demo-county-a"))


def review(client, activity, step="approve"):
    return client.post(reverse("activities:activity_review", args=[activity.pk, step]))


def test_the_submitter_cannot_approve_their_own_activity(as_persona):
    activity = submitted_by_county_a()
    county_a = as_persona("county_a")
    county_a.cookies["django_language"] = "en"  # the messages in English
    detail = reverse("activities:activity_detail", args=[activity.pk])
    page = county_a.get(detail).content.decode()
    assert reverse("activities:activity_review", args=[activity.pk, "approve"]) not in page
    assert "You submitted this yourself; another officer must approve it." in page
    # Not in the submitter's review queue either; in the city's.
    queue = county_a.get(reverse("activities:review_queue"))
    assert activity.pk not in {a.pk for a in queue.context["page"]}
    queue = as_persona("city").get(reverse("activities:review_queue"))
    assert activity.pk in {a.pk for a in queue.context["page"]}
    before = fingerprint()
    for step in ("approve", "return", "reject"):
        response = county_a.post(
            reverse("activities:activity_review", args=[activity.pk, step]), {"reason": "自己审"}
        )
        assert response.status_code == 400  # the page again, with the reason
        assert "You submitted this yourself; another officer must approve it." in (
            response.content.decode()
        )
    assert fingerprint() == before
    assert not AuditEntry.objects.filter(
        action="activities.activity.approved", object_id=str(activity.pk)
    ).exists()
    # Another officer (the city above the county) approves it.
    city = as_persona("city")
    assert reverse("activities:activity_review", args=[activity.pk, "approve"]) in (
        city.get(detail).content.decode()
    )
    assert review(city, activity).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "published"
    assert (activity.submitted_by.username, activity.reviewed_by.username) == (
        "demo-county-a",
        "demo-city",
    )


def test_four_eyes_can_be_switched_off_per_workflow(as_persona, settings):
    settings.KEPU_FOUR_EYES = {**settings.KEPU_FOUR_EYES, "activities": False}
    activity = submitted_by_county_a()
    assert review(as_persona("county_a"), activity).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "published" and activity.reviewed_by.username == "demo-county-a"
