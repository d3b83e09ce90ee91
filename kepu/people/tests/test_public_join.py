"""Security #3: the public application form is no identity oracle. Whether or not the
document number is registered, the applicant gets the same answer and a private link to
their own application only; an application that matches a registered person waits for
the officer with a flag, and a region must be a real county or township."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import PrivacyNotice, Region
from kepu.core.testing import fingerprint
from kepu.people import services
from kepu.people.models import Registration
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


JOIN = reverse("people:join_form", args=["volunteer"])
KNOWN = valid_id("51010419770707007")
UNKNOWN = valid_id("51010419880808008")


def english():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def known():
    """A registered volunteer whose earlier expert application was rejected."""
    person = services.create_person(
        actor=None,
        name="真实姓名",
        id_number=KNOWN,
        phone="13911112222",
        region=Region.objects.get(code="510104"),
    )
    volunteer = services.add_registration(person, actor=None, kind="volunteer")
    expert = services.add_registration(person, actor=None, kind="expert", status="pending")
    services.reject_registration(expert, actor=None, reason="秘密的驳回理由")
    return person, volunteer


def apply(client, number, *, name="申请人甲", kind="volunteer", **over):
    data = {
        "name": name,
        "doc_type": "id",
        "id_number": number,
        "phone": "13700009999",
        "region": "510703",
        "consent": "on",
        **over,
    }
    return client.post(reverse("people:join_form", args=[kind]), data)


def shape(page: str) -> str:
    """The page without what legitimately differs between two applications."""
    page = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "<time>", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r"/join/status/[0-9a-f-]{36}/", "<link>", page)
    return re.sub(r"nonce=\"[^\"]+\"", "", page)


def test_a_known_number_answers_like_an_unknown_one(known):
    person, volunteer = known
    answers = {}
    for number in (KNOWN, UNKNOWN):
        client = english()
        response = apply(client, number, name="同一个名字")
        assert response.status_code == 302
        assert re.fullmatch(r"/join/status/[0-9a-f-]{36}/", response["Location"])
        answers[number] = shape(client.get(response["Location"]).content.decode())
    assert answers[KNOWN] == answers[UNKNOWN]
    page = answers[KNOWN]
    assert "Your application has been received." in page and "同一个名字" in page
    assert "Awaiting review" in page
    for secret in ("真实姓名", "秘密的驳回理由", "Certified", "Rejected", "139****2222"):
        assert secret not in page
    # Both are new pending applications; the registered person's own rows are untouched.
    mine = Registration.objects.get(person=person, matches_person=True)
    assert (mine.status, mine.kind, mine.region.code) == ("pending", "volunteer", "510703")
    assert (mine.applicant_name, mine.applicant_phone_masked) == ("同一个名字", "137****9999")
    volunteer.refresh_from_db()
    assert volunteer.status == "certified" and volunteer.region.code == "510104"
    person.refresh_from_db()
    assert person.name == "真实姓名" and person.phone_masked == "139****2222"
    fresh = Registration.objects.get(person__name="同一个名字")
    assert not fresh.matches_person


def test_the_officer_sees_the_flag_and_decides(known, as_persona):
    person, _volunteer = known
    apply(english(), KNOWN, name="冒名者")
    flagged = Registration.objects.get(person=person, matches_person=True)
    officer = as_persona("county_b")  # the county the applicant picked
    officer.cookies["django_language"] = "en"
    queue = officer.get(reverse("people:registration_list")).content.decode()
    assert "Matches a registered person" in queue and "冒名者" in queue
    api = officer.get(reverse("api:registration-list")).json()["results"]
    row = next(r for r in api if r["id"] == flagged.pk)
    assert row["matches_person"] is True and row["applicant_name"] == "冒名者"
    # The person already holds a certified volunteer registration: certifying the
    # duplicate is refused (nothing changes); rejecting it is the way.
    before = fingerprint()
    with pytest.raises(StateConflict):
        services.certify_registration(flagged, actor=None)
    certify = reverse("people:registration_certify", args=[flagged.pk])
    response = officer.post(certify, follow=True)
    assert "already has a registration of this kind" in response.content.decode()
    assert fingerprint() == before
    services.reject_registration(flagged, actor=None, reason="非本人申请")
    flagged.refresh_from_db()
    assert flagged.status == "rejected" and flagged.matches_person


def test_a_confirmed_match_becomes_the_persons_registration(known):
    person, _volunteer = known
    response = apply(english(), KNOWN, kind="expert", name="真实姓名")
    flagged = Registration.objects.get(person=person, kind="expert", status="pending")
    assert flagged.matches_person
    services.certify_registration(flagged, actor=None)
    flagged.refresh_from_db()
    assert flagged.status == "certified" and not flagged.matches_person
    assert "Certified" in english().get(response["Location"]).content.decode()


def test_a_second_application_never_returns_the_first_one():
    first = apply(english(), UNKNOWN)
    second = apply(english(), UNKNOWN, name="另一人")
    assert first["Location"] != second["Location"]
    page = english().get(second["Location"]).content.decode()
    assert "另一人" in page and "申请人甲" not in page
    flagged = Registration.objects.filter(matches_person=True, person__name="申请人甲")
    assert list(flagged.values_list("applicant_name", flat=True)) == ["另一人"]


def test_the_same_form_twice_is_one_application():
    client = english()
    token = {"form_token": "a" * 32}
    first = apply(client, UNKNOWN, **token)
    again = apply(client, UNKNOWN, **token)
    assert first["Location"] == again["Location"]
    assert Registration.objects.filter(person__name="申请人甲").count() == 1


@pytest.mark.parametrize("code", ["51", "5107", "999999"])
def test_the_region_must_be_a_county_or_township(code):
    before = fingerprint()
    response = apply(english(), UNKNOWN, region=code)
    assert response.status_code == 400
    assert fingerprint() == before
    # The service keeps the rule too (the API and any other caller).
    with pytest.raises(DomainError) as refused:
        services.self_register(
            kind="volunteer",
            notice=PrivacyNotice.current(),
            name="申请人",
            doc_type="id",
            id_number=UNKNOWN,
            phone="",
            email="",
            region=Region.objects.filter(code=code).first(),
        )
    assert list(refused.value.message_dict) == ["region"]
    assert fingerprint() == before


def test_public_applications_are_rate_limited():
    client = english()
    for _i in range(20):
        assert client.post(JOIN, {"name": "x"}).status_code == 400
    before = fingerprint()
    assert apply(client, UNKNOWN).status_code == 429
    assert fingerprint() == before
