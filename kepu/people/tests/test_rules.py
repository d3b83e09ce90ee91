"""Object rules of the registry, defined once in `rules.py`: an officer does not certify or
reject their own registration — not on the page, not in the API, not in the service, and
the review queue offers no button for it."""

import pytest
from django.urls import reverse
from django.utils import translation

from kepu.core import scope
from kepu.core.errors import DomainError
from kepu.core.models import Region, User
from kepu.people import services
from kepu.people.choices import RegistrationStatus
from kepu.people.models import Registration
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_registration():
    officer = User.objects.get(username="demo-county-a")
    person = services.create_person(
        actor=None,
        name="官员本人",
        id_number=valid_id("51010419800404007"),
        region=Region.objects.get(code="510104"),
        user=officer,
    )
    registration = services.add_registration(
        person, actor=None, kind="expert", status=RegistrationStatus.PENDING
    )
    return officer, registration


def test_the_rule_refuses_with_a_translated_reason(own_registration):
    officer, registration = own_registration
    with translation.override("zh-hans"):
        reason = scope.refusal(officer, registration, "review")
    assert reason == "不能审核本人的登记。"
    assert not scope.can(officer, registration, "review")
    assert scope.can(User.objects.get(username="demo-city"), registration, "review")
    queue = scope.actionable(officer, Registration.objects.pending(), "review")
    assert not queue.filter(pk=registration.pk).exists()
    assert queue.exists()  # others' registrations stay in the queue


def test_the_service_refuses_self_approval(own_registration):
    officer, registration = own_registration
    with pytest.raises(DomainError):
        services.certify_registration(registration, actor=officer)
    with pytest.raises(DomainError):
        services.reject_registration(registration, actor=officer, reason="不合格")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_the_api_answers_403_with_the_reason(own_registration, as_persona):
    _officer, registration = own_registration
    client = as_persona("county_a")
    response = client.post(
        reverse("api:registration-certify", args=[registration.pk]),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "You cannot review your own registration.",
        "fields": {},
    }
    city = as_persona("city")
    done = city.post(
        reverse("api:registration-certify", args=[registration.pk]),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "certified"


def test_the_page_shows_no_button_and_refuses_the_post(own_registration, as_persona):
    _officer, registration = own_registration
    client = as_persona("county_a")
    page = client.get(reverse("people:registration_list"), {"kind": "expert"})
    certify = reverse("people:registration_certify", args=[registration.pk])
    assert registration.pk not in page.context["reviewable"]
    assert certify not in page.content.decode()
    client.post(certify)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
