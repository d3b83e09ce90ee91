"""Every response that carries full personal data is `Cache-Control: no-store`
(security #12): the full registry export (written in the request or by a job), the
reveal page and the reveal endpoint.

The list is kept honest by the source: full values come only out of `crypto.open_sealed`,
and `test_every_source_of_full_values_is_listed` fails when a module starts calling it
without its endpoints being added to `FULL_VALUE_ENDPOINTS`.
"""

from __future__ import annotations

import io
import pathlib
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core import crypto
from kepu.core.models import Job

pytestmark = pytest.mark.django_db

ID_BODY = "51010419880808001"
PHONE = "13812345678"

# Modules that open sealed values, and why; their endpoints are tested below.
FULL_VALUE_SOURCES = {
    "people/services.py": "reveal (page and API); key rotation re-seals without answering",
    "people/io.py": "the full registry export (inline and as a job)",
    "core/backup.py": "the restore check opens a sample to prove the keys work; answers nothing",
    "contests/services/contests.py": "the organizer's reveal of a participant's phone",
    "contests/views/taking.py": "a signed-in person's phone on record, used to register them "
    "in a contest; never shown",
}


def test_every_source_of_full_values_is_listed():
    root = pathlib.Path(crypto.__file__).resolve().parents[1]
    calls = re.compile(r"\bopen_sealed\(")
    sources = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path != pathlib.Path(crypto.__file__).resolve()
        and calls.search(path.read_text(encoding="utf-8"))
    }
    assert sources == set(FULL_VALUE_SOURCES), (
        "modules opening sealed personal data changed: list each in FULL_VALUE_SOURCES and "
        f"test its endpoints here (no-store): {sorted(sources ^ set(FULL_VALUE_SOURCES))}"
    )


@pytest.fixture
def person(db):
    from kepu.people.tests.test_people import make_person

    return make_person(body=ID_BODY, phone=PHONE)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _full_export(client, settings, inline_rows):
    settings.EXPORT_INLINE_ROWS = inline_rows
    params = {"full": "1", "region": "510104", "reason": "保险投保名单"}
    response = client.get(reverse("people:person_export"), params)
    if response.status_code == 302:  # above the inline threshold: the job's file
        job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        assert job.status == "succeeded", job.error
        response = client.get(reverse("core:job_file", args=[job.pk]))
    return response


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(body))
        return str(book.get_sheet_by_index(0).to_python())
    return body.decode()


FULL_VALUE_ENDPOINTS = {
    "people:person_export?full=1 (inline)": lambda c, s, p: _full_export(c, s, 100_000),
    "people:person_export?full=1 (job), then core:job_file": lambda c, s, p: _full_export(c, s, 1),
    "people:person_reveal": lambda c, s, p: c.post(
        reverse("people:person_reveal", args=[p.pk]), {"reason": "核实保险信息"}
    ),
    "api:person-reveal": lambda c, s, p: c.post(
        reverse("api:person-reveal", args=[p.pk]),
        {"reason": "核实保险信息"},
        content_type="application/json",
    ),
}


@pytest.mark.parametrize("endpoint", sorted(FULL_VALUE_ENDPOINTS))
def test_a_response_with_full_values_is_never_cached(endpoint, person, as_persona, settings):
    from kepu.people.tests.authz import valid_id

    response = FULL_VALUE_ENDPOINTS[endpoint](as_persona("province"), settings, person)
    assert response.status_code == 200, endpoint
    text = _text(response)
    assert valid_id(ID_BODY) in text and PHONE in text, f"{endpoint} shows no full value"
    cache = response.get("Cache-Control", "")
    assert "no-store" in cache, f"{endpoint}: Cache-Control {cache!r}"


def test_the_contest_participant_reveal_is_never_cached(as_persona):
    from kepu.contests.services import taking
    from kepu.contests.tests import helpers as h

    contest = h.contest()
    participant, _new = taking.register(
        contest, name="王小明", phone=PHONE, region=h.region("510104"), group="other",
        consent=True,
    )  # fmt: skip
    response = as_persona("province").post(
        reverse("contests:participant_reveal", args=[participant.pk]),
        {"reason": "联系获奖者发放奖品"},
    )
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
