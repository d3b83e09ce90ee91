"""The registry's pages on the one view helper: a repeated submission of a form token
runs the service once and lands where the first one did; refusals come back on the form
or as a message."""

import re

import pytest
from django.urls import reverse

from kepu.people.models import Person, Team, Training
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


def token(response) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', response.content.decode()).group(1)


def test_a_double_submitted_team_is_created_once(as_persona):
    client = as_persona("county_a")
    url = reverse("people:team_list")
    data = {"name": "双击服务队", "region": "510104", "form_token": token(client.get(url))}
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again.url == first.url
    assert Team.objects.filter(name="双击服务队").count() == 1


def test_a_person_form_refused_by_the_service_comes_back_with_400(as_persona):
    client = as_persona("county_b")  # county B may not place a person in county A
    response = client.post(
        reverse("people:person_create"),
        {
            "name": "越界",
            "doc_type": "id",
            "id_number": valid_id("51010419910909008"),
            "region": "510104",
            "title_level": "none",
        },
    )
    assert response.status_code == 400 and response.context["form"].errors
    assert not Person.objects.filter(name="越界").exists()


def test_a_double_submitted_record_is_added_once(as_persona):
    client = as_persona("county_a")
    person = Person.objects.filter(region__path__startswith="51/5101/510104/").first()
    page = client.get(reverse("people:person_records", args=[person.pk]))
    form_token = re.search(
        r'records/training/" class="mb-3">.*?name="form_token" value="([0-9a-f]+)"',
        page.content.decode(),
        re.S,
    ).group(1)
    url = reverse("people:record_add", args=[person.pk, "training"])
    data = {
        "training-course": "双击培训",
        "training-hours": "4",
        "training-date": "2025-05-05",
        "form_token": form_token,
    }
    client.post(url, data)
    client.post(url, data)
    assert Training.objects.filter(person=person, course="双击培训").count() == 1


def test_the_person_page_builds_no_form_to_add_records(as_persona):
    """The forms with their lists of pools and teams are on a page of their own."""
    client = as_persona("county_a")
    person = Person.objects.filter(region__path__startswith="51/5101/510104/").first()
    detail = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    records_url = reverse("people:person_records", args=[person.pk])
    assert records_url in detail
    names = ("registration_add", "pool_member_add", "team_member_add")
    for name in names:
        assert reverse(f"people:{name}", args=[person.pk]) not in detail
    assert 'name="team"' not in detail and 'name="pool"' not in detail
    records = client.get(records_url).content.decode()
    for name in names:
        assert reverse(f"people:{name}", args=[person.pk]) in records
    assert 'name="team"' in records and 'name="pool"' in records


def test_a_refused_step_is_a_message_and_changes_nothing(as_persona):
    client = as_persona("county_a")
    person = Person.objects.filter(region__path__startswith="51/5101/510104/").first()
    response = client.post(
        reverse("people:person_erase", args=[person.pk]), {"reason": " "}, follow=True
    )
    assert not Person.objects.get(pk=person.pk).is_erased
    assert [str(m) for m in response.context["messages"]]
