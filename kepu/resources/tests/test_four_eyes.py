"""Four-eyes on the catalog (security problem #13): the officer who submitted a version
does not decide it; another officer does. Configurable (KEPU_FOUR_EYES_OFF)."""

import pytest
from django.urls import reverse

from kepu.core.models import User
from kepu.core.testing import fingerprint
from kepu.resources import services
from kepu.resources.tests.helpers import file_accurate_reviews, make_expert, make_resource

pytestmark = pytest.mark.django_db
MESSAGE = "You submitted this yourself; another officer must approve it."


def in_review_submitted_by_county_a():
    resource = make_resource()
    services.submit_version(resource, actor=User.objects.get(username="demo-county-a"))
    version = services.check_completeness(
        resource, actor=None, complete=True, reviewers=[make_expert()[2]]
    )
    file_accurate_reviews(version)
    resource.refresh_from_db()
    return resource


def decide(client, resource):
    return client.post(
        reverse("resources:resource_decide", args=[resource.pk]), {"decision": "publish"}
    )


def test_the_submitter_cannot_decide_their_own_entry(as_persona):
    resource = in_review_submitted_by_county_a()
    county_a = as_persona("county_a")
    county_a.cookies["django_language"] = "en"  # the messages in English
    detail = reverse("resources:resource_detail", args=[resource.pk])
    page = county_a.get(detail).content.decode()
    assert reverse("resources:resource_decide", args=[resource.pk]) not in page
    assert MESSAGE in page
    before = fingerprint()
    response = decide(county_a, resource)
    assert response.status_code == 400 and MESSAGE in response.content.decode()
    assert fingerprint() == before
    # Another officer decides it.
    city = as_persona("city")
    assert reverse("resources:resource_decide", args=[resource.pk]) in (
        city.get(detail).content.decode()
    )
    assert decide(city, resource).status_code == 302
    resource.refresh_from_db()
    assert resource.status == "published"


def test_four_eyes_can_be_switched_off_for_the_catalog(as_persona, settings):
    settings.KEPU_FOUR_EYES = {**settings.KEPU_FOUR_EYES, "resources": False}
    resource = in_review_submitted_by_county_a()
    assert decide(as_persona("county_a"), resource).status_code == 302
    resource.refresh_from_db()
    assert resource.status == "published"
