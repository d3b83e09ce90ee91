"""The API never answers 5xx, whatever it is sent: schemathesis against the OpenAPI
schema, per role (security hardening, "no 5xx from any input").

The schema is loaded through WSGI from `/api/v1/schema/` (drf-spectacular), and every
operation — reads and writes: the test database is thrown away — is called with inputs
generated from its parameters and bodies, as each persona (an API token of theirs) and
anonymously. The only check is `not_a_server_error`: refusals (400, 401, 403, 404, 409)
are the API doing its job; a 5xx is a bug.

Deterministic and time-bounded: hypothesis is derandomized (the same inputs on every
run), a few examples per operation, no shrinking, no example database. Select it with
`-m schemathesis`; `SCHEMATHESIS_EXAMPLES` raises the number of examples for a longer
local run.
"""

from __future__ import annotations

import os
from functools import cache

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error

from kepu.core import services
from kepu.core.models import User
from kepu.core.testing import PERSONAS

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
ROLES = ("anonymous", "province", "county_a", "member", "volunteer")


@cache
def _schema():
    """Loaded once per run (drf-spectacular builds it in a few seconds)."""
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def api_schema(db, monkeypatch):
    # The rate limits would answer 429 after a few dozen calls and hide the operations.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    # As Django's test client does: the WSGI handler would close the database connection
    # at the end of each request, and with it the test's transaction (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _schema()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(persona: str) -> dict:
    username = PERSONAS[persona]
    if username is None:
        return {}
    _token, key = services.create_api_token(User.objects.get(username=username), actor=None)
    return {"Authorization": f"Token {key}"}


def _run(operation, headers: dict, statuses: dict) -> list[str]:
    """Call `operation` with generated inputs; the 5xx answers, described. `statuses`
    counts the answers by status code."""
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        response = case.call(headers=headers)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except Exception as exc:  # the check's failure, with the request that caused it
            failures.append(
                f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}: "
                f"{response.status_code} ({type(exc).__name__})"
            )

    call()
    return failures


@pytest.mark.parametrize("persona", ROLES)
def test_no_input_makes_the_api_answer_5xx(persona, api_schema):
    headers = _headers(persona)
    failures, statuses, operations = [], {}, 0
    for result in api_schema.get_all_operations():
        operations += 1
        failures += _run(result.ok(), headers, statuses)
    # Every operation was called (none skipped by the strategies), and a signed-in role
    # got past the refusals into real answers.
    assert sum(statuses.values()) >= operations > 50, (operations, statuses)
    if persona != "anonymous":
        assert statuses.get(200, 0) >= 20, statuses
    assert not failures, f"{len(failures)} server errors as {persona}:\n" + "\n".join(failures[:30])
