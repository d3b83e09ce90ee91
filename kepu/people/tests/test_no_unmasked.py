"""No unmasked identifier anywhere: every page and API response the authorization matrix
knows (GET), as every persona that reads data, plus the exports — no valid 18-digit ID
number and no mobile number may appear without the reveal permission. One test per
persona, over the matrix's full context (built once for the module)."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core.tests.matrix import matrix_tests
from kepu.core.tests.test_authz_matrix import ROWS
from kepu.people.tests.test_people import HEX_ID_PATTERN, PHONE_PATTERN, make_person, real_ids

_matrix_ctx, ctx, _unused = matrix_tests([])

PERSONAS = (
    "province",
    "city",
    "county_a",
    "county_b",
    "member",
    "volunteer",
    "auditor",
    "anonymous",
)
GET_ROWS = [r for r in ROWS if r.method == "get"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_unmasked_identifier_anywhere_without_the_reveal_permission(persona, ctx, as_persona):
    make_person()  # with a known phone and ID in county A
    client = as_persona(persona)
    for row in GET_ROWS:
        url = reverse(row.name, kwargs=row.kwargs(ctx) if row.kwargs else None)
        response = client.get(url)
        if response.status_code != 200 or response.get("Content-Type", "").startswith(
            "application/vnd.oai"
        ):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx"):
            book = CalamineWorkbook.from_filelike(io.BytesIO(body))
            text = str(
                [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]
            )
        elif url.endswith(".json"):
            continue  # map boundaries
        else:
            text = body.decode("utf-8", "replace")
        assert not real_ids(text), f"unmasked ID number on {url} as {persona}"
        phone = PHONE_PATTERN.search(HEX_ID_PATTERN.sub("", text))
        assert not phone, f"unmasked phone {phone[0]} on {url} as {persona}"
