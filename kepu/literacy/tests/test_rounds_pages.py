"""The rounds area's pages through HTTP: officers' pages render in scope, the public
questionnaire takes one whole response per device, the interviewer's entry."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from kepu.core.models import User
from kepu.literacy.models import Response
from kepu.literacy.services import fielding
from kepu.literacy.services import rounds as services
from kepu.literacy.services.fielding import slots_of
from kepu.literacy.tests import helpers_rounds as h

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        h.bank(h.region("51"))
        h.margins()
        round_ = h.make_round("51")
        services.add_interviewer(round_, User.objects.get(username="demo-member"), actor=None)
        yield {"round": round_}
        transaction.set_rollback(True)


def test_officer_pages_render(data, as_persona):
    r = data["round"]
    client = as_persona("province")
    for url in [
        reverse("literacy:round_list"), reverse("literacy:round_create"),
        reverse("literacy:round_detail", args=[r.pk]),
        reverse("literacy:round_points", args=[r.pk]),
        reverse("literacy:round_dispositions", args=[r.pk]), reverse("literacy:response_list"),
        reverse("literacy:margin_list") + "?region=51", "/api/v1/literacy/rounds/",
    ]:  # fmt: skip
        assert client.get(url + ("&" if "?" in url else "?") + "lang=en").status_code == 200, url
    page = client.get(reverse("literacy:round_detail", args=[r.pk])).content.decode()
    assert "n = 1,087" in page or "n=1,087" in page or "1,087" in page


def _answer_page(client, url):
    client.cookies["django_language"] = "en"  # the messages are asserted in English
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    start = re.search(r'name="start" value="([^"]+)"', html).group(1)
    return html, start


def test_public_questionnaire(data, client):
    client.cookies["django_language"] = "en"
    r = data["round"]
    url = reverse("literacy:survey_point", args=[r.points.first().token])
    html, start = _answer_page(client, url)
    items = [int(x) for x in re.findall(r'name="q(\d+)"', html)]
    form = next(f for f in r.forms.all() if {s.item for s in slots_of(f)} == set(items))
    answers = {f"q{s.item}": s.key for s in slots_of(form)}
    post = {"start": start, "age": 35, "sex": "m", "education": "college", "area": "urban",
            "occupation": "worker", "key_group": "", "consent": "on", **answers}  # fmt: skip
    before = Response.objects.count()
    done = client.post(url, post)
    assert done.status_code == 302
    assert Response.objects.count() == before + 1
    stored = Response.objects.latest("pk")
    assert done["Location"].endswith(f"?receipt={fielding.receipt_of(stored.idem)}")
    assert fielding.receipt_of(stored.idem) in client.get(done["Location"]).content.decode()
    # The same page posted again (a double tap) is answered with the same receipt.
    assert client.post(url, post)["Location"] == done["Location"]
    # The same page posted again (a double tap) is the same response.
    assert client.post(url, post).status_code == 302
    assert Response.objects.count() == before + 1
    # A new page from the same phone is refused with a clear message.
    _html, start2 = _answer_page(client, url)
    again = client.post(url, {**post, "start": start2})
    assert again.status_code == 400 and "already answered" in again.content.decode()
    assert Response.objects.count() == before + 1


def test_public_outside_population_stores_nothing(data, client):
    client.cookies["django_language"] = "en"
    r = data["round"]
    url = reverse("literacy:survey", args=[r.token])
    _html, start = _answer_page(client, url)
    county = r.strata.first().region_id
    before = Response.objects.count()
    page = client.post(url, {"start": start, "age": 75, "sex": "m", "education": "college",
                             "area": "urban", "occupation": "worker", "county": county,
                             "consent": "on"})  # fmt: skip
    assert page.status_code == 200 and "aged 18 to 69" in page.content.decode()
    assert Response.objects.count() == before


def test_interviewer_entry_and_contact(data, as_persona):
    r = data["round"]
    client = as_persona("member")
    assert client.get(reverse("literacy:interview_list")).status_code == 200
    assert client.get(reverse("literacy:interview", args=[r.pk])).status_code == 200
    point = r.points.first()
    assert (
        client.get(reverse("literacy:interview", args=[r.pk]) + f"?point={point.pk}").status_code
        == 200
    )
    other = as_persona("county_b")
    assert other.get(reverse("literacy:interview", args=[r.pk])).status_code in (403, 404)


def test_refused_questionnaire_keeps_the_answers_given(data, client):
    """One question left open: the page comes back with the other answers still chosen,
    the open question marked, the demographics kept, and nothing stored."""
    client.cookies["django_language"] = "en"
    r = data["round"]
    url = reverse("literacy:survey_point", args=[r.points.first().token])
    html, start = _answer_page(client, url)
    assert 'value="" selected' in html or '<option value="" selected>' in html
    items = [int(x) for x in re.findall(r'name="q(\d+)"', html)]
    form = next(f for f in r.forms.all() if {s.item for s in slots_of(f)} == set(items))
    slots = slots_of(form)
    answers = {f"q{s.item}": s.key for s in slots[1:]}
    before = Response.objects.count()
    page = client.post(url, {"start": start, "age": 35, "sex": "f", "education": "college",
                             "area": "urban", "occupation": "worker", "consent": "on",
                             **answers})  # fmt: skip
    assert page.status_code == 400 and Response.objects.count() == before
    body = page.content.decode()
    assert body.count("data-missing") == 1 and "Not answered yet." in body
    chosen = re.findall(r'name="q(\d+)" value="(\w+)" checked', body)
    assert {f"q{pk}" for pk, _v in chosen} == set(answers)
    assert '<option value="f" selected>' in body
