"""Test support shared by every app: the personas (the demo accounts plus anonymous),
logged-in clients, a database fingerprint for "denials change nothing", and the check
that every write made by a request leaves an audit entry."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core.middleware import SESSION_LOGIN_AT
from kepu.core.models import User

PERSONAS = {
    "anonymous": None,
    "province": "demo-province",
    "city": "demo-city",
    "county_a": "demo-county-a",
    "county_b": "demo-county-b",
    "member": "demo-member",
    "volunteer": "demo-volunteer",
    "sysadmin": "demo-sysadmin",
    "secadmin": "demo-secadmin",
    "auditor": "demo-auditor",
}


def login_client(client: Client, username: str | None) -> Client:
    """Log `client` in as `username` (with a verified second factor where it has one)."""
    if username is None:
        return client
    user = User.objects.get(username=username)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_LOGIN_AT] = time.time()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# Tables whose writes are not business state: sessions, the lockout counters, token
# usage stamps and OTP throttling counters, and the audit table itself.
UNAUDITED_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "core_auditentry",
    "core_apitoken",
    "otp_totp_totpdevice",
}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)


class WriteTracker:
    """Records, per request, the tables written and whether an audit entry was added."""

    def __init__(self):
        self.current = None
        self.violations = []
        self.last_tables: set[str] = set()  # every table the last request wrote

    def __call__(self, execute, sql, params, many, context):
        if self.current is not None:
            match = _WRITE.match(sql)
            if match:
                table = match.group(1).lower()
                self.current["written"].add(table)
                if table == "core_auditentry" and sql.lstrip().upper().startswith("INSERT"):
                    self.current["audited"] = True
                elif table not in UNAUDITED_TABLES:
                    self.current["tables"].add(table)
        return execute(sql, params, many, context)

    def started(self, environ=None, **kwargs):
        path = (environ or {}).get("PATH_INFO", "?")
        self.current = {"path": path, "tables": set(), "written": set(), "audited": False}
        self.last_tables = self.current["written"]

    def finished(self, **kwargs):
        if self.current and self.current["tables"] and not self.current["audited"]:
            self.violations.append(
                f"{self.current['path']} wrote {sorted(self.current['tables'])} without audit"
            )
        self.current = None


# Not business state, or reference data that only `load_regions` writes (no request
# does; the matrix's write tracking would catch one that did).
FINGERPRINT_SKIP = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "core_auditentry",
    "core_region",
    "django_migrations",
    "django_content_type",
    "auth_permission",
}
FINGERPRINT_VOLATILE = {
    "last_login",
    "last_used_at",
    "throttling_failure_count",
    "throttling_failure_timestamp",
    "last_t",
}


def snapshot(tables) -> dict:
    """The rows of `tables` (by table name; volatile stamps left out), in key order."""
    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    state = {}
    for table in sorted(tables):
        model = models.get(table)
        if model is None:  # a table without a model
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (a catalog name)
                state[table] = sorted(map(repr, cursor.fetchall()))
            continue
        fields = [
            f.attname for f in model._meta.concrete_fields if f.attname not in FINGERPRINT_VOLATILE
        ]
        state[table] = list(model._base_manager.order_by("pk").values_list(*fields))
    return state


def fingerprint():
    """A snapshot of every business table of every app (derived from the model registry,
    not listed), to prove that a denied request changed nothing."""
    return snapshot(
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.db_table not in FINGERPRINT_SKIP and m._meta.managed and not m._meta.proxy
    )


# --- the authorization matrix (rows from every app) -------------------------------------

ALL = list(PERSONAS)
OFFICERS = ["province", "city", "county_a", "county_b"]


@dataclass
class Row:
    """One endpoint × method in the authorization matrix (kepu/core/tests)."""

    id: str
    name: str
    method: str = "get"
    kwargs: object = None  # callable(ctx) -> dict
    data: object = None  # callable(ctx) -> dict
    expect: dict = field(default_factory=dict)  # persona -> status
    changes: tuple = ()  # personas whose request is meant to change business data
    json: bool = False


def statuses(default: int, **overrides) -> dict:
    return {p: overrides.get(p, default) for p in ALL}


def officers(ok: int, *, default=403, anonymous=302, **more) -> dict:
    return statuses(default, **{"anonymous": anonymous, **dict.fromkeys(OFFICERS, ok), **more})
