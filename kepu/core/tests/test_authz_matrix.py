"""The authorization matrix: every URL and API endpoint × every persona → expected status.

`test_every_endpoint_is_in_the_matrix` fails when a URL name is added without a row here,
so no endpoint ships without an access decision. For requests that change state, every
persona not listed in `changes` must leave the business tables exactly as they were.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kepu.core import imports, services
from kepu.core.choices import Role
from kepu.core.models import AuditEntry, RoleAssignment, User
from kepu.core.testing import ALL, PERSONAS, Row, fingerprint, officers, statuses


def org(key):
    return lambda ctx: {"pk": ctx["orgs"][key].pk}


def org_post(ctx):
    return {"name": "矩阵测试单位", "org_type": "school", "region": "510104", "credit_code": ""}


CORE_ROWS = [
    Row("home", "core:home", expect=statuses(302)),
    Row("dashboard", "core:dashboard", expect=officers(200, member=200)),
    Row("focus", "core:focus_region", "post", data=lambda c: {"region": "510104"},
        expect=statuses(302)),
    Row("a11y", "core:accessibility", "post", expect=statuses(302)),
    Row("map", "core:map_geojson", kwargs=lambda c: {"code": "51"}, expect=statuses(200)),
    Row("login", "core:login", expect=statuses(302, anonymous=200)),
    Row("login-otp", "core:login_otp", expect=statuses(302)),
    Row("login-enroll", "core:login_enroll", expect=statuses(302)),
    Row("logout", "core:logout", "post", expect=statuses(302)),
    Row("password", "core:password_change", expect=statuses(200, anonymous=302)),
    Row("security", "core:security", expect=statuses(200, anonymous=302)),
    Row("session", "core:session_status", expect=statuses(200, anonymous=302)),
    Row("org-list", "core:organization_list", expect=officers(200, member=200)),
    Row("org-new", "core:organization_create", expect=officers(200)),
    Row("org-new-post", "core:organization_create", "post", data=org_post,
        expect=officers(302, county_b=200), changes=("province", "city", "county_a")),
    Row("org-export", "core:organization_export", expect=officers(200, member=200)),
    Row("org-detail-b", "core:organization_detail", kwargs=org("b"),
        expect=officers(200, city=404, county_a=404, member=404)),
    Row("org-detail-a", "core:organization_detail", kwargs=org("a"),
        expect=officers(200, county_b=404, member=404)),
    Row("org-edit-b", "core:organization_update", kwargs=org("b"),
        expect=officers(200, city=404, county_a=404, member=404)),
    Row("org-edit-b-post", "core:organization_update", "post", kwargs=org("b"),
        data=lambda c: {"name": "改名测试", "org_type": "kx", "region": "510703"},
        expect=officers(302, city=404, county_a=404, member=404),
        changes=("province", "county_b")),
    Row("org-edit-member", "core:organization_update", kwargs=org("member"),
        expect=officers(404, province=200, member=200)),
    Row("import-start", "core:import_start", kwargs=lambda c: {"spec_key": "core.organization"},
        expect=officers(200)),
    Row("import-template", "core:import_template",
        kwargs=lambda c: {"spec_key": "core.organization"}, expect=officers(200)),
    Row("import-job", "core:import_job", kwargs=lambda c: {"pk": c["job"].pk},
        expect=statuses(404, anonymous=302, county_a=200)),
    Row("import-errors", "core:import_job_errors", kwargs=lambda c: {"pk": c["bad_job"].pk},
        expect=statuses(404, anonymous=302, county_a=200)),
    Row("import-confirm", "core:import_job_confirm", "post", kwargs=lambda c: {"pk": c["job"].pk},
        expect=statuses(404, anonymous=302, county_a=302), changes=("county_a",)),
    Row("user-list", "core:user_list", expect=statuses(403, anonymous=302, sysadmin=200,
                                                       secadmin=200)),
    Row("user-new", "core:user_create", expect=statuses(403, anonymous=302, sysadmin=200)),
    Row("user-new-post", "core:user_create", "post",
        data=lambda c: {"username": "matrix-user", "full_name": "测试", "password": "Matrix#2025x",
                        "is_active": "on"},
        expect=statuses(403, anonymous=302, sysadmin=302), changes=("sysadmin",)),
    Row("user-detail", "core:user_detail", kwargs=lambda c: {"pk": c["target"].pk},
        expect=statuses(403, anonymous=302, sysadmin=200, secadmin=200)),
    Row("user-edit", "core:user_update", kwargs=lambda c: {"pk": c["target"].pk},
        expect=statuses(403, anonymous=302, sysadmin=200)),
    Row("role-assign", "core:role_assign", "post", kwargs=lambda c: {"pk": c["target"].pk},
        data=lambda c: {"role": "reviewer", "region": "510104"},
        expect=statuses(403, anonymous=302, secadmin=302), changes=("secadmin",)),
    Row("user-unlock", "core:user_unlock", "post", kwargs=lambda c: {"pk": c["target"].pk},
        expect=statuses(403, anonymous=302, secadmin=302)),
    Row("role-revoke", "core:role_revoke", "post", kwargs=lambda c: {"pk": c["assignment"].pk},
        expect=statuses(403, anonymous=302, secadmin=302), changes=("secadmin",)),
    Row("audit-list", "core:audit_list", expect=statuses(403, anonymous=302, auditor=200)),
    Row("audit-export", "core:audit_export", expect=statuses(403, anonymous=302, auditor=200)),
    Row("audit-detail", "core:audit_detail", kwargs=lambda c: {"pk": c["entry"].pk},
        expect=statuses(403, anonymous=302, auditor=200)),
    Row("setlang", "set_language", "post", data=lambda c: {"language": "en"},
        expect=statuses(302)),
    Row("api-token", "api:token", "post", data=lambda c: {}, expect=statuses(400), json=True),
    Row("api-schema", "api:schema", expect=statuses(200)),
    Row("api-docs", "api:docs", expect=statuses(200)),
    Row("api-redoc", "api:redoc", expect=statuses(200)),
    Row("api-regions", "api:region-list", expect=statuses(200)),
    Row("api-region", "api:region-detail", kwargs=lambda c: {"code": "510104"},
        expect=statuses(200)),
    Row("api-orgs", "api:organization-list", expect=officers(200, anonymous=401, member=200)),
    Row("api-orgs-post", "api:organization-list", "post", json=True,
        data=lambda c: {"name": "接口测试单位", "org_type": "school", "region": "510104"},
        expect=officers(201, anonymous=401, county_b=400),
        changes=("province", "city", "county_a")),
    Row("api-org-b", "api:organization-detail", kwargs=org("b"),
        expect=officers(200, anonymous=401, city=404, county_a=404, member=404)),
    Row("api-org-b-patch", "api:organization-detail", "patch", kwargs=org("b"), json=True,
        data=lambda c: {"name": "接口改名"},
        expect=officers(200, anonymous=401, city=404, county_a=404, member=404),
        changes=("province", "county_b")),
]  # fmt: skip


def _app_modules():
    """Each app's `tests/authz.py` adds its ROWS and objects (`context(ctx)`)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("kepu.") and config.name != "kepu.core":
            try:
                yield importlib.import_module(f"{config.name}.tests.authz")
            except ModuleNotFoundError:
                continue


def _all_rows():
    rows = list(CORE_ROWS)
    for module in _app_modules():
        rows.extend(module.ROWS)
    return rows


ROWS = _all_rows()


def _build_context():
    from kepu.core.models import Organization

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
    from kepu.core.tests.test_excel import workbook

    good = workbook([["矩阵导入单位", "", "学校", "", "", "510104"]])
    bad = workbook([["", "", "不存在的类型", "", "", "110101"]])
    job = imports.validate_import(spec, good, actor=county_a)
    bad_job = imports.validate_import(spec, bad, actor=county_a)
    assert job.can_confirm and not bad_job.can_confirm
    assignment = services.assign_role(
        target, actor=None, role=Role.REVIEWER, region=orgs["b"].region
    )
    context = {
        "orgs": orgs,
        "job": job,
        "bad_job": bad_job,
        "target": target,
        "assignment": assignment,
        "entry": AuditEntry.objects.order_by("-pk").first(),
    }
    for module in _app_modules():
        module.context(context)
    return context


@pytest.fixture(scope="module")
def _module_ctx(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects every row refers to, built once for the module inside a transaction
    that is rolled back at the end (each test runs in a savepoint within it, as with
    Django's setUpTestData), instead of once per row and persona."""
    media = str(tmp_path_factory.mktemp("matrix-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_context(), media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def ctx(_module_ctx, db, settings):
    context, media = _module_ctx
    settings.MEDIA_ROOT = media
    return context


def _request(client, row, ctx):
    url = reverse(row.name, kwargs=row.kwargs(ctx) if row.kwargs else None)
    data = row.data(ctx) if row.data else {}
    method = getattr(client, row.method)
    if row.json:
        return method(url, data, content_type="application/json")
    return method(url, data) if row.method != "get" else method(url)


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_matrix(row, persona, as_persona, ctx):
    client = as_persona(persona)
    mutating = row.method != "get"
    extra = [label for module in _app_modules() for label in getattr(module, "FINGERPRINT", [])]
    before = fingerprint(extra) if mutating else None
    response = _request(client, row, ctx)
    assert response.status_code == row.expect[persona], (
        f"{row.id} as {persona}: {response.status_code}, expected {row.expect[persona]}"
    )
    if mutating and persona not in row.changes:
        assert fingerprint(extra) == before, f"{row.id} as {persona} changed data"
    if mutating and persona in row.changes:
        assert fingerprint(extra) != before, f"{row.id} as {persona} was meant to change data"


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_endpoint_is_in_the_matrix():
    in_matrix = {row.name for row in ROWS}
    missing = sorted(set(_names(get_resolver().url_patterns)) - in_matrix)
    assert not missing, f"URL names without a row in the authorization matrix: {missing}"


def test_every_persona_exists(db):
    for username in filter(None, PERSONAS.values()):
        assert User.objects.filter(username=username).exists()
    assert RoleAssignment.objects.filter(user__username="demo-county-a").count() == 1
