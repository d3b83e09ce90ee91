"""The authorization matrix harness: every URL and API endpoint × every persona → the
expected status, and for requests that change state, proof that only the personas listed
in `changes` changed anything.

Rows live beside their app (`kepu/<app>/tests/authz.py`: `ROWS`, `context(ctx)`); each
app's `tests/test_authz_matrix.py` runs its own rows through `matrix_tests(ROWS)`, so that
pytest-xdist spreads the matrix over the workers. The context (the objects the rows point
at) is built once per module inside a transaction that is rolled back at the end.

Every page and answer that a GET row reads is also searched for unmasked ID and phone
numbers, as every persona, exports included (the old separate crawl, at no extra request).

"Denials change nothing" is derived, not listed: every SQL write a request makes is seen
(`WriteTracker`), the request runs inside a savepoint, and each table it wrote is compared
before and after — every table of every app, with no list to keep up to date.
"""

from __future__ import annotations

import copy
import importlib
import io
import re
import sys

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from kepu.core import pii
from kepu.core.models import User
from kepu.core.testing import ALL, PERSONAS, login_client, snapshot

# Written on every request by design (sessions, lockout counters, the audit trail).
NOT_STATE = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "core_auditentry",
}


def app_modules():
    """Each app's `tests/authz.py` (its ROWS and `context(ctx)`). An app without one is
    skipped; any other import error fails loudly."""
    for config in apps.get_app_configs():
        if config.name.startswith("kepu.") and config.name != "kepu.core":
            name = f"{config.name}.tests.authz"
            try:
                yield importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise


def core_context() -> dict:
    """Core's objects: the persona organizations, an account to manage, import jobs."""
    from kepu.core import imports, services
    from kepu.core.choices import Role
    from kepu.core.models import AuditEntry, Organization
    from kepu.core.tests.test_excel import workbook

    def get(name):
        return Organization.objects.get(name=name)

    orgs = {
        "a": get("锦江区科学技术协会"),
        "b": get("涪城区科学技术协会"),
        "city": get("成都市科学技术协会"),
        "province": get("四川省科学技术协会"),
        "member": get("四川省教育厅"),
    }
    county_a = User.objects.get(username="demo-county-a")
    target = services.create_user(actor=None, username="matrix-target", password="Target#2025x")
    spec = imports.get_spec("core.organization")
    good = workbook([["矩阵导入单位", "", "学校", "", "", "510104"]])
    bad = workbook([["", "", "不存在的类型", "", "", "110101"]])
    job = imports.validate_import(spec, good, actor=county_a)
    bad_job = imports.validate_import(spec, bad, actor=county_a)
    assert job.can_confirm and not bad_job.can_confirm
    from django.core.files.base import ContentFile

    from kepu.core.models import Job, Region

    task = Job.objects.get(key=f"import.check:{job.pk}")
    region_job = Job.objects.create(
        kind="core.purge_files",
        title="矩阵测试任务",
        created_by=User.objects.get(username="demo-city"),
        region=Region.objects.get(code="510104"),
        status="succeeded",
    )
    region_job.file.save("matrix.txt", ContentFile(b"matrix"), save=True)
    region_job.file_name = "matrix.txt"
    region_job.save(update_fields=["file_name"])
    assignment = services.assign_role(
        target, actor=None, role=Role.REVIEWER, region=orgs["b"].region
    )
    token, _key = services.create_api_token(county_a, actor=None, name="矩阵")
    return {
        "orgs": orgs,
        "token": token,
        "job": job,
        "bad_job": bad_job,
        "task": task,
        "region_job": region_job,
        "target": target,
        "assignment": assignment,
        "entry": AuditEntry.objects.order_by("-pk").first(),
    }


def build_context(app: str | None = None) -> dict:
    """Core's objects and those of `app`'s rows ("kepu.literacy"; every app's when None).
    A module's rows point only at its own app's objects and core's: building the other
    apps' too cost each matrix module seconds of CPU for nothing."""
    context = core_context()
    for module in app_modules():
        if app is None or module.__name__.startswith(f"{app}."):
            module.context(context)
    return context


def url_names() -> set[str]:
    """Every named URL of the project, namespaced ("people:person_list", "api:plan-list")."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns))


def _request(client, row, ctx):
    url = reverse(row.name, kwargs=row.kwargs(ctx) if row.kwargs else None)
    data = row.data(ctx) if row.data else {}
    method = getattr(client, row.method)
    if row.json:
        return method(url, data, content_type="application/json")
    return method(url, data) if row.method != "get" else method(url)


# An 18-digit number with a valid check digit, or a mainland mobile number.
ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dX](?![\dX])")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# Random hexadecimal identifiers (request IDs, UUIDs, tokens) can contain an 11-digit run by
# chance; they are removed before looking for phone numbers.
HEX_ID_PATTERN = re.compile(
    r"(?<![0-9a-f])[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}(?![0-9a-f])"
)


def real_ids(text: str) -> list[str]:
    """Resident ID numbers: a valid birth date and check digit (credit codes that are all
    digits could otherwise match)."""
    return [
        m
        for m in ID_PATTERN.findall(text)
        if pii.id_check_char(m[:17]) == m[17] and pii.birth_date_from_id(m) is not None
    ]


def assert_nothing_unmasked(response, url: str, persona: str) -> None:
    """No valid ID number and no mobile number in a page, an API answer or a spreadsheet
    (full values need the reveal permission, a reason and a POST)."""
    if response.get("Content-Type", "").startswith("application/vnd.oai") or url.endswith(".json"):
        return  # the API schema's examples; map boundaries
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".xlsx"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(body))
        text = str([book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))])
    else:
        text = body.decode("utf-8", "replace")
    assert not real_ids(text), f"unmasked ID number on {url} as {persona}"
    phone = PHONE_PATTERN.search(HEX_ID_PATTERN.sub("", text))
    assert not phone, f"unmasked phone {phone[0]} on {url} as {persona}"


def check_row(row, persona, client, ctx, tracker):
    """Send the row's request as `persona`; check the status, what it changed, and that a
    page or answer it reads shows no personal identifier unmasked."""
    if row.method == "get":
        response = _request(client, row, ctx)
        if response.status_code == 200:
            assert_nothing_unmasked(response, response.request["PATH_INFO"], persona)
    else:
        savepoint = transaction.savepoint()
        try:
            response = _request(client, row, ctx)
            written = tracker.last_tables - NOT_STATE
            after = snapshot(written)
        finally:
            transaction.savepoint_rollback(savepoint)
        before = snapshot(written)
        changed = sorted(t for t in written if after[t] != before[t])
        if persona in row.changes:
            assert changed, f"{row.id} as {persona} was meant to change data"
        else:
            assert not changed, f"{row.id} as {persona} changed {changed}"
    assert response.status_code == row.expect[persona], (
        f"{row.id} as {persona}: {response.status_code}, expected {row.expect[persona]}"
    )


def matrix_tests(rows, app: str | None = None):
    """The module fixtures and the parametrized test for `rows`; assign them to module
    names: `_matrix_ctx, ctx, test_matrix = matrix_tests(ROWS)`. The context holds core's
    objects and those of `app` (by default the calling module's app: "kepu.literacy" for
    `kepu.literacy.tests.test_authz_matrix`; "*": every app's, for the sweeps over every
    URL)."""
    app = app or sys._getframe(1).f_globals["__name__"].split(".tests.")[0]
    app = None if app == "*" else app

    @pytest.fixture(scope="module")
    def _matrix_ctx(django_db_setup, django_db_blocker, tmp_path_factory):
        media = str(tmp_path_factory.mktemp("matrix-media"))
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                # One session per persona for the whole module (each test's writes to it
                # are rolled back with the test), instead of a login per test.
                sessions = {}
                for persona, username in PERSONAS.items():
                    sessions[persona] = login_client(Client(), username).cookies
                yield build_context(app), media, sessions
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    @pytest.fixture
    def ctx(_matrix_ctx, db, settings):
        context, media, _sessions = _matrix_ctx
        settings.MEDIA_ROOT = media
        return context

    @pytest.mark.parametrize("persona", ALL)
    @pytest.mark.parametrize("row", rows, ids=[r.id for r in rows])
    def test_matrix(row, persona, ctx, _matrix_ctx, audit_every_write):
        client = Client()
        client.cookies = copy.deepcopy(_matrix_ctx[2][persona])
        check_row(row, persona, client, ctx, audit_every_write)

    return _matrix_ctx, ctx, test_matrix
