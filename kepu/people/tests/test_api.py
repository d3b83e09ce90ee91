"""The people API on the shared base: one error body `{code, message, fields}` for every
refusal, 409 for state clashes, the same FilterSets as the pages."""

import pytest
from django.urls import reverse

from kepu.core.models import Region
from kepu.people import services
from kepu.people.choices import RegistrationStatus
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db

BODY = {"code", "message", "fields"}


def pending_in(code="510104", body="51010419930303004"):
    person = services.create_person(
        actor=None,
        name="接口申请人",
        id_number=valid_id(body),
        region=Region.objects.get(code=code),
    )
    return services.add_registration(
        person, actor=None, kind="volunteer", status=RegistrationStatus.PENDING
    )


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_a_second_certification_is_a_409_conflict(as_persona):
    registration = pending_in()
    client = as_persona("county_a")
    url = reverse("api:registration-certify", args=[registration.pk])
    assert post(client, url).status_code == 200
    again = post(client, url)
    assert again.status_code == 409
    assert set(again.json()) == BODY and again.json()["code"] == "conflict"
    assert again.json()["fields"] == {}
    rejected = post(
        client, reverse("api:registration-reject", args=[registration.pk]), {"reason": "迟了"}
    )
    assert rejected.status_code == 409 and rejected.json()["code"] == "conflict"


def test_a_rejection_without_a_reason_is_invalid_with_its_field(as_persona):
    registration = pending_in()
    response = post(
        as_persona("county_a"), reverse("api:registration-reject", args=[registration.pk])
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == BODY and body["code"] == "invalid" and "reason" in body["fields"]


def test_outside_scope_is_404_and_without_the_right_403(as_persona):
    registration = pending_in("510703", "51070319930303005")
    url = reverse("api:registration-certify", args=[registration.pk])
    outside = post(as_persona("county_a"), url)
    assert outside.status_code == 404 and outside.json()["code"] == "not_found"
    assert set(outside.json()) == BODY
    person = registration.person
    reveal = post(
        as_persona("county_b"), reverse("api:person-reveal", args=[person.pk]), {"reason": "核实"}
    )
    assert reveal.status_code == 403 and reveal.json()["code"] == "forbidden"


def test_invalid_input_names_its_fields(as_persona):
    response = post(
        as_persona("county_a"),
        reverse("api:person-list"),
        {"name": "", "doc_type": "id", "region": "510104"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "name" in body["fields"]


def test_editing_an_erased_person_is_a_conflict(as_persona):
    person = services.create_person(
        actor=None,
        name="已删除者",
        id_number=valid_id("51010419930303006"),
        region=Region.objects.get(code="510104"),
    )
    services.erase_person(person, actor=None, reason="本人申请")
    response = as_persona("county_a").patch(
        reverse("api:person-detail", args=[person.pk]),
        {"specialties": "改"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
