"""Four-eyes on registrations (security problem #13): the officer who filed a pending
registration for someone does not certify or reject it; another officer does."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kepu.core.models import Region, User
from kepu.core.testing import fingerprint
from kepu.people import services
from kepu.people.choices import RegistrationKind, RegistrationStatus
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db
MESSAGE = "You submitted this yourself; another officer must approve it."


def filed_by_county_a():
    person = services.create_person(
        actor=None,
        name="四眼测试",
        id_number=valid_id("51010419900101002"),
        phone="13812340000",
        region=Region.objects.get(code="510104"),
    )
    return services.add_registration(
        person,
        actor=User.objects.get(username="demo-county-a"),
        kind=RegistrationKind.VOLUNTEER,
        status=RegistrationStatus.PENDING,
    )


def certify(client, registration):
    return client.post(reverse("people:registration_certify", args=[registration.pk]))


def test_the_officer_who_filed_it_cannot_certify_it(as_persona):
    registration = filed_by_county_a()
    assert registration.submitted_by.username == "demo-county-a"
    county_a = as_persona("county_a")
    county_a.cookies["django_language"] = "en"  # the messages in English
    queue = reverse("people:registration_list")
    page = county_a.get(queue, {"status": "pending"}).content.decode()
    assert reverse("people:registration_certify", args=[registration.pk]) not in page
    assert MESSAGE in page
    before = fingerprint()
    for response in (
        certify(county_a, registration),
        county_a.post(
            reverse("people:registration_reject", args=[registration.pk]), {"reason": "自己审"}
        ),
    ):
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == MESSAGE
    assert fingerprint() == before
    # Another officer certifies it.
    assert certify(as_persona("city"), registration).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "certified" and registration.reviewed_by.username == "demo-city"


def test_four_eyes_can_be_switched_off_for_registrations(as_persona, settings):
    settings.KEPU_FOUR_EYES = {**settings.KEPU_FOUR_EYES, "registrations": False}
    registration = filed_by_county_a()
    assert certify(as_persona("county_a"), registration).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "certified"
