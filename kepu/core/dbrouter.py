"""Reads of reports from a read replica, everything else from the primary.

    with reporting():
        rows = build_bulletin(...)   # reads from the replica, when one is configured

A replica lags the primary by a moment, so it is used only where the caller said a
moment-old answer is right (a bulletin, a statistics page, an export), never otherwise:
a page that shows what its own request (or the one before) just wrote must read the
primary (read-your-writes). Writes always go to the primary. Without `KEPU_REPLICA_URL`
there is no `replica` alias and `reporting()` changes nothing.
"""

from __future__ import annotations

import contextlib
import functools
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction

REPLICA = "replica"

_reporting: ContextVar[bool] = ContextVar("kepu_reporting", default=False)


@contextlib.contextmanager
def reporting():
    """Within the block, reads go to the replica (if there is one)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_view(view):
    """A view whose reads are a report's: `reporting()` around the whole view."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with reporting():
            return view(*args, **kwargs)

    return wrapped


def replica_alias() -> str | None:
    """The replica's database alias, or None when none is configured."""
    return REPLICA if REPLICA in connections.settings else None


def _primary_in_transaction() -> bool:
    return transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block


def read_alias() -> str | None:
    """Where a read goes now: the replica inside `reporting()`, unless the primary has a
    transaction open in this thread (it may hold writes the replica has not seen)."""
    if not _reporting.get():
        return None
    alias = replica_alias()
    if alias is None or _primary_in_transaction():
        return None
    return alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
