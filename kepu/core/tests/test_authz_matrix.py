"""The authorization matrix: every URL and API endpoint × every persona → expected status.

Core's rows are here; each app's rows are in `kepu/<app>/tests/authz.py` and run by that
app's `tests/test_authz_matrix.py` (the harness: `kepu/core/tests/matrix.py`).
`test_every_endpoint_is_in_the_matrix` fails when a URL name is added without a row in
any of them, so no endpoint ships without an access decision. For requests that change
state, every persona not listed in `changes` must leave every table as it was.
"""

from __future__ import annotations

from kepu.core.models import RoleAssignment, User
from kepu.core.testing import PERSONAS, Row, officers, statuses
from kepu.core.tests.matrix import app_modules, matrix_tests, url_names


def org(key):
    return lambda ctx: {"pk": ctx["orgs"][key].pk}


def org_post(ctx):
    return {"name": "矩阵测试单位", "org_type": "school", "region": "510104", "credit_code": ""}


CORE_ROWS = [
    # The workbench: every signed-in role's start page; the old dashboard redirects to it.
    Row("home", "core:home", expect=statuses(200, anonymous=302)),
    Row("dashboard", "core:dashboard", expect=statuses(302)),
    Row("focus", "core:focus_region", "post", data=lambda c: {"region": "510104"},
        expect=statuses(302)),
    Row("a11y", "core:accessibility", "post", expect=statuses(302)),
    Row("privacy-signup", "core:privacy_notice", kwargs=lambda c: {"purpose": "signup"},
        expect=statuses(200)),
    Row("privacy-survey", "core:privacy_notice", kwargs=lambda c: {"purpose": "survey"},
        expect=statuses(404)),
    Row("map", "core:map_geojson", kwargs=lambda c: {"code": "51"}, expect=statuses(200)),
    Row("login", "core:login", expect=statuses(302, anonymous=200)),
    Row("login-otp", "core:login_otp", expect=statuses(302)),
    Row("login-enroll", "core:login_enroll", expect=statuses(302)),
    Row("logout", "core:logout", "post", expect=statuses(302)),
    Row("password", "core:password_change", expect=statuses(200, anonymous=302)),
    Row("security", "core:security", expect=statuses(200, anonymous=302)),
    Row("tokens", "core:apitoken_list", expect=statuses(200, anonymous=302)),
    Row("tokens-new", "core:apitoken_list", "post", data=lambda c: {"name": "脚本"},
        expect=statuses(200, anonymous=302),
        changes=tuple(p for p in PERSONAS if p != "anonymous")),
    Row("token-revoke", "core:apitoken_revoke", "post", kwargs=lambda c: {"pk": c["token"].pk},
        expect=statuses(404, anonymous=302, county_a=302), changes=("county_a",)),
    Row("session", "core:session_status", expect=statuses(200, anonymous=302)),
    Row("org-list", "core:organization_list", expect=officers(200, member=200)),
    Row("org-new", "core:organization_create", expect=officers(200)),
    Row("org-new-post", "core:organization_create", "post", data=org_post,
        expect=officers(302, county_b=400), changes=("province", "city", "county_a")),
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
    Row("job-list", "core:job_list", expect=statuses(200, anonymous=302, volunteer=403)),
    Row("job-own", "core:job_detail", kwargs=lambda c: {"pk": c["task"].pk},
        expect=statuses(404, anonymous=302, volunteer=403, county_a=200)),
    Row("job-own-status", "core:job_status", kwargs=lambda c: {"pk": c["task"].pk},
        expect=statuses(404, anonymous=302, volunteer=403, county_a=200)),
    Row("job-region", "core:job_detail", kwargs=lambda c: {"pk": c["region_job"].pk},
        expect=officers(200, default=404, volunteer=403, county_b=404, member=404)),
    Row("job-region-status", "core:job_status", kwargs=lambda c: {"pk": c["region_job"].pk},
        expect=officers(200, default=404, volunteer=403, county_b=404, member=404)),
    Row("job-file", "core:job_file", kwargs=lambda c: {"pk": c["region_job"].pk},
        expect=statuses(404, anonymous=302, volunteer=403, city=200)),
    Row("schedules", "core:schedule_list", expect=statuses(403, anonymous=302, sysadmin=200)),
    Row("schedule-run", "core:schedule_run", "post",
        kwargs=lambda c: {"name": "core.rollups_check"},
        expect=statuses(403, anonymous=302, sysadmin=302), changes=("sysadmin",)),
    Row("healthz", "healthz", expect=statuses(200)),
    Row("readyz", "readyz", expect=statuses(200)),
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
    Row("user-password", "core:user_reset_password", kwargs=lambda c: {"pk": c["target"].pk},
        expect=statuses(403, anonymous=302, sysadmin=200)),
    Row("user-password-post", "core:user_reset_password", "post",
        kwargs=lambda c: {"pk": c["target"].pk}, data=lambda c: {"new_password": "Temp#Pass2025x"},
        expect=statuses(403, anonymous=302, sysadmin=302), changes=("sysadmin",)),
    Row("user-totp-reset", "core:user_reset_totp", "post", kwargs=lambda c: {"pk": c["target"].pk},
        expect=statuses(403, anonymous=302, sysadmin=302)),
    Row("role-revoke", "core:role_revoke", "post", kwargs=lambda c: {"pk": c["assignment"].pk},
        expect=statuses(403, anonymous=302, secadmin=302), changes=("secadmin",)),
    Row("audit-list", "core:audit_list", expect=statuses(403, anonymous=302, auditor=200)),
    Row("audit-export", "core:audit_export", expect=statuses(403, anonymous=302, auditor=200)),
    Row("audit-verify", "core:audit_verify", "post",
        expect=statuses(403, anonymous=302, auditor=302), changes=("auditor",)),
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


def _all_rows():
    rows = list(CORE_ROWS)
    for module in app_modules():
        rows.extend(module.ROWS)
    return rows


ROWS = _all_rows()  # every app's rows (the completeness test and the PII crawl use them)
_app_modules = app_modules

_matrix_ctx, ctx, test_matrix = matrix_tests(CORE_ROWS)


def test_every_endpoint_is_in_the_matrix():
    in_matrix = {row.name for row in ROWS}
    missing = sorted(url_names() - in_matrix)
    assert not missing, f"URL names without a row in the authorization matrix: {missing}"


def test_every_persona_exists(db):
    for username in filter(None, PERSONAS.values()):
        assert User.objects.filter(username=username).exists()
    assert RoleAssignment.objects.filter(user__username="demo-county-a").count() == 1
