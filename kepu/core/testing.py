"""Test support shared by every app: the personas (the demo accounts plus anonymous),
logged-in clients, a database fingerprint for "denials change nothing", and the check
that every write made by a request leaves an audit entry."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import ClassVar

from django.apps import apps
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from whitenoise.middleware import WhiteNoiseMiddleware

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
# SQLite's many-to-many `add` is `INSERT OR IGNORE INTO` (a conflict-tolerant insert).
_WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I
)


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


def _business_tables() -> list[str]:
    return sorted(
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.db_table not in FINGERPRINT_SKIP and m._meta.managed and not m._meta.proxy
    )


# Statements that neither write a row nor could (savepoints are undone or kept as a whole).
_READ_ONLY = re.compile(
    r"^\s*(SELECT|BEGIN|COMMIT|ROLLBACK|PRAGMA|EXPLAIN|SHOW|SET\s|SAVEPOINT|RELEASE)", re.I
)


class Fingerprint:
    """The state of every business table when it was taken (`fingerprint()`), to prove that
    a denied request changed nothing: `assert fingerprint() == before`.

    Reading every table twice per check made it the slowest step of many tests, so the rows
    are read lazily: from its creation until the end of the test, the fingerprint watches
    the connection and copies a table just before the first statement that writes to it
    (and every table not yet copied before a statement it cannot read as a row write). A
    table never written still holds the rows it had, so comparing the copies with the
    tables' rows now is comparing the whole database."""

    active: ClassVar[list[Fingerprint]] = []
    taken: ClassVar[int] = 0

    def __init__(self):
        Fingerprint.taken += 1
        self.order = Fingerprint.taken
        self.copies: dict[str, list] = {}
        self.tables = set(_business_tables())
        self.connection = connection
        connection.execute_wrappers.append(self)
        Fingerprint.active.append(self)

    def __call__(self, execute, sql, params, many, context):
        if not _READ_ONLY.match(sql):
            write = _ROW_WRITE.match(sql)
            table = write.group(1).lower() if write else None
            if table is None:  # a statement of another kind: copy whatever is left
                missing = self.tables - set(self.copies)
            else:
                missing = {table} & self.tables - set(self.copies)
            if missing:
                self.copies.update(snapshot(missing))
        return execute(sql, params, many, context)

    def state(self, tables) -> dict:
        """The rows `tables` had when this fingerprint was taken."""
        now = snapshot(t for t in tables if t not in self.copies)
        return {t: self.copies[t] if t in self.copies else now[t] for t in tables}

    def __eq__(self, other):
        if not isinstance(other, Fingerprint):
            return NotImplemented
        older, newer = sorted((self, other), key=lambda fp: fp.order)
        tables = sorted(older.copies)  # the tables written since the older one was taken
        return older.state(tables) == newer.state(tables)

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return f"<Fingerprint, {len(self.copies)} tables written since>"

    @classmethod
    def release_all(cls):
        """At the end of each test (conftest): stop watching."""
        for fp in cls.active:
            wrappers = fp.connection.execute_wrappers
            wrappers[:] = [w for w in wrappers if w is not fp]
        cls.active.clear()


def fingerprint() -> Fingerprint:
    """Every business table of every app (derived from the model registry, not listed), to
    prove that a denied request changed nothing: compare two with `==`."""
    return Fingerprint()


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


class StaticFilesOnce(WhiteNoiseMiddleware):
    """WhiteNoise for the test settings, with its file list made once per process.

    Every test `Client` builds its own middleware chain, and WhiteNoise lists and stats
    every static file when it starts (about 20 ms, most of a matrix case). The files do
    not change during a run, so the list built by the first instance is shared by the
    next ones (read-only: WhiteNoise only looks URLs up in it). Same files, same answers."""

    _shared_files: ClassVar[dict] = {}

    def add_files(self, root, prefix=None):
        self._add_once(("root", str(root), prefix), super().add_files, root, prefix)

    def add_files_from_finders(self):
        self._add_once(("finders", self.static_prefix), super().add_files_from_finders)

    def _add_once(self, part, add, *args):
        if self.autorefresh:  # looks files up per request: nothing listed to share
            add(*args)
            return
        key = (*self._key_so_far(), part)
        if key in self._shared_files:
            self.files.update(self._shared_files[key])
            return
        before = dict(self.files)
        add(*args)
        self._shared_files[key] = {
            url: entry for url, entry in self.files.items() if before.get(url) is not entry
        }

    def _key_so_far(self):
        from django.conf import settings

        return (
            str(settings.STATIC_ROOT),
            tuple(map(str, settings.STATICFILES_DIRS)),
            tuple(settings.INSTALLED_APPS),
        )


# A statement that writes rows, and the table it writes.
_ROW_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r'\s+"?([A-Za-z0-9_]+)"?',
    re.I,
)
_SAVEPOINT = re.compile(
    r'^\s*(SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\s+"?(\w+)"?', re.I
)
# Statements that write no row.
_NO_WRITE = ("SELECT", "BEGIN", "PRAGMA", "EXPLAIN")


class ForeignKeyCheckScope:
    """SQLite only: the foreign-key check at the end of each test narrowed to the tables
    where a broken reference can be. Django's TestCase runs `PRAGMA foreign_key_check`
    over the whole database there (a scan of every table, the demo's included).

    A broken reference is a row of a child table whose parent row is missing: from a
    consistent state it can only come from a write to the child (insert, update) or to
    the parent (delete, key change). Consistent states: committed data (SQLite checks
    the deferred keys at the commit), and the state at the end of the last check that
    passed. So the check covers every table changed since then (by a write, or by the
    undoing of one when a savepoint is rolled back: savepoints are followed) and every
    table that references one of them. A statement that is neither a read nor a
    recognized row write (DDL, raw SQL of another shape) makes it the whole-database
    check, as before."""

    def __init__(self, connection):
        self.connection = connection
        # One frame per open savepoint (the first: the transaction itself):
        # [savepoint id, tables written in it, whether an unrecognized statement ran].
        self.frames: list[list] = [["", set(), False]]
        # Changed since the last consistent state; an unrecognized statement since then.
        self.dirty: set[str] = set()
        self.unknown = False
        self._children: dict[str, set[str]] | None = None
        self._full_check = connection.check_constraints
        self._commit, self._rollback = connection._commit, connection._rollback

    def install(self):
        self.connection.execute_wrappers.append(self)
        self.connection.check_constraints = self.check_constraints
        self.connection._commit = lambda: (self._reset(), self._commit())[1]
        self.connection._rollback = lambda: (self._reset(), self._rollback())[1]

    def _reset(self):
        """Committed, or back to committed data: consistent either way."""
        self.frames = [["", set(), False]]
        self.dirty = set()
        self.unknown = False

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip()[:9].upper()
        if not head.startswith(_NO_WRITE):
            self._record(sql)
        return execute(sql, params, many, context)

    def _record(self, sql):
        write = _ROW_WRITE.match(sql)
        if write:
            table = write.group(1).lower()
            self.frames[-1][1].add(table)
            self.dirty.add(table)
            return
        savepoint = _SAVEPOINT.match(sql)
        if savepoint is None:
            self.frames[-1][2] = self.unknown = True
            self._children = None  # the schema may have changed
            return
        verb, sid = savepoint.group(1).upper().split()[0], savepoint.group(2)
        ids = [frame[0] for frame in self.frames]
        if verb == "SAVEPOINT":
            self.frames.append([sid, set(), False])
        elif sid in ids[1:]:
            at = ids.index(sid)
            closed = self.frames[at:]
            del self.frames[at:]
            tables = set().union(*(frame[1] for frame in closed))
            unknown = any(frame[2] for frame in closed)
            if verb == "RELEASE":  # the writes stay, in the enclosing frame
                self.frames[-1][1] |= tables
                self.frames[-1][2] |= unknown
            else:  # ROLLBACK TO: the writes since the savepoint are undone (changes to
                # the same tables); the savepoint stays open
                self.dirty |= tables
                self.unknown |= unknown
                self.frames.append([sid, set(), False])

    def check_constraints(self, table_names=None):
        if table_names is not None:
            return self._full_check(table_names)
        if self.unknown:
            self._full_check()
        else:
            children = self.children()
            tables = set(self.dirty)
            for table in self.dirty:
                tables |= children.get(table, set())
            self._full_check(sorted(tables))
        self.dirty = set()  # passed: this state is consistent
        self.unknown = False
        return None

    def children(self) -> dict[str, set[str]]:
        """Parent table -> the tables whose foreign keys point at it."""
        if self._children is None:
            children: dict[str, set[str]] = {}
            with self.connection.cursor() as cursor:
                for table in self.connection.introspection.table_names(cursor):
                    quoted = self.connection.ops.quote_name(table)
                    for row in cursor.execute(f"PRAGMA foreign_key_list({quoted})").fetchall():
                        children.setdefault(row[2].lower(), set()).add(table)
            self._children = children
        return self._children
