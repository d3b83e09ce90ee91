"""No 5xx from any query parameter or URL argument (security #11).

`?plan=99999999999999999999` once answered 500 in 15 API filters and 3 page filters: a
number no key can hold reached the database. Every GET page and endpoint of the
authorization matrix is requested here, as the first persona it answers 200 for, with each
of its parameters set in turn to a number beyond 64 bits, one beyond 32 bits (PostgreSQL
`integer` columns), a negative number and a word; and every whole-number URL argument is
replaced by a number beyond 64 bits. Nothing may answer 5xx: the API says 400 (or ignores
the parameter), a page shows the filter's error or an empty list.

The parameters are found, not listed: the OpenAPI schema's query parameters of the
endpoint, the FilterSet the page passes to its template (`filter`), the names of the
fields in the page's GET forms, and the pagination parameters. A new endpoint, filter or
form field is covered without touching this file.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from django.urls import reverse

from kepu.core.tests.matrix import matrix_tests
from kepu.core.tests.test_authz_matrix import ROWS
from kepu.core.tests.test_lists import PREFERENCE

HUGE = "99999999999999999999"
HOSTILE = (HUGE, "2147483648", "-1", "abc")
# Read by the paginators of every page and endpoint.
PAGINATION = ("page", "page_size", "after")
# Form fields that are not filters: the language switcher, the double-submit guard.
NOT_PARAMETERS = {"csrfmiddlewaretoken", "form_token", "language", "next"}

GET_FORM = re.compile(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def _get_rows():
    """One GET row per URL name: the first one, with the first persona it allows."""
    seen = {}
    for row in ROWS:
        if row.method != "get" or row.name in seen:
            continue
        for persona in PREFERENCE:
            if row.expect.get(persona) == 200:
                seen[row.name] = (row, persona)
                break
    return seen


GET_ROWS = _get_rows()

_matrix_ctx, ctx, _unused = matrix_tests([], app="*")


@cache
def _schema_parameters() -> list[tuple[re.Pattern, set[str]]]:
    """(path pattern, query parameter names) of every GET operation of the API schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        names = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        found.append((pattern, names))
    return found


def _is_list(response) -> bool:
    context = getattr(response, "context", None)
    if context is not None:
        return context.get("page") is not None
    if response.streaming:
        return False
    return response.get("Content-Type", "").startswith("application/json") and (
        b'"results"' in response.content[:4096]
    )


def _parameters(path: str, response) -> set[str]:
    names = set(PAGINATION) if _is_list(response) else set()
    if path.startswith("/api/"):
        for pattern, query in _schema_parameters():
            if pattern.match(path):
                names |= query
    context = getattr(response, "context", None)
    if context is not None and context.get("filter") is not None:
        names |= set(context["filter"].filters)
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html") and not response.streaming:
        for form in GET_FORM.findall(response.content.decode("utf-8", "replace")):
            names |= set(FIELD_NAME.findall(form))
    return names - NOT_PARAMETERS


@pytest.mark.parametrize("name", sorted(GET_ROWS))
def test_no_parameter_value_makes_a_server_error(name, as_persona, ctx):
    row, persona = GET_ROWS[name]
    client = as_persona(persona)
    kwargs = row.kwargs(ctx) if row.kwargs else None
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200, f"{name} as {persona}: {response.status_code}"
    failures = []
    for parameter in sorted(_parameters(url, response)):
        for value in HOSTILE:
            answer = client.get(url, {parameter: value})
            if answer.status_code >= 500:
                failures.append(f"?{parameter}={value}: {answer.status_code}")
    # Whole-number URL arguments (`<int:pk>`): a number no key can hold is a 404.
    for key, value in (kwargs or {}).items():
        if isinstance(value, int) or str(value).isdigit():
            huge = client.get(reverse(name, kwargs={**kwargs, key: HUGE}))
            if huge.status_code >= 500:
                failures.append(f"{key}={HUGE}: {huge.status_code}")
    assert not failures, f"{url} as {persona}: " + "; ".join(failures)


def test_the_audit_ip_filter_takes_only_an_address(as_persona):
    """Found by the test above on PostgreSQL: `?ip=99999999999999999999` reached the inet
    column (500). An address that is not one is the filter's error: the page lists
    nothing, the export goes back to the page."""
    auditor = as_persona("auditor")
    response = auditor.get(reverse("core:audit_list"), {"ip": HUGE})
    assert response.status_code == 200
    assert "ip" in response.context["filter"].errors
    assert len(response.context["page"]) == 0
    assert auditor.get(reverse("core:audit_list"), {"ip": "127.0.0.1"}).status_code == 200
    export = auditor.get(reverse("core:audit_export"), {"ip": HUGE})
    assert export.status_code == 302 and export.url.startswith(reverse("core:audit_list"))
