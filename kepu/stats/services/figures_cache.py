"""A round's figures from the shared cache, keyed by the round's data version.

The completeness page and the aggregates page read the same grouped figures for every
officer of a region (returns by region and status, the aggregates of a table, the
approvals). They change only when a service changes a return, an approval, the
aggregates or an exception: each such service calls `changed(round)` (after its commit),
which moves the round to a new version, so a cached figure is never read after the data
it was built from changed. The version lives in the shared cache (Redis at scale: every
app server and job worker sees the same); the figures also expire after TIMEOUT, and the
date is part of their key (overdue counts change at midnight).

Only a shared cache will do: with the per-process default (LocMemCache, `make run`) a job
worker's change would move its own version and not the web server's, so the figures are
then built on every request (`enabled()`)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from kepu.core import clock

TIMEOUT = 600


def _version_key(round_id: int) -> str:
    return f"kepu:stats:v:{round_id}"


def version(round_id: int) -> int:
    value = cache.get(_version_key(round_id))
    if value is None:
        cache.add(_version_key(round_id), 1, None)
        value = cache.get(_version_key(round_id)) or 1
    return value


def changed(round_id: int) -> None:
    """The round's data changed (call inside the service's transaction: the version
    moves once it commits, and at once when there is no transaction)."""

    def bump():
        try:
            cache.incr(_version_key(round_id))
        except ValueError:
            cache.set(_version_key(round_id), 2, None)

    transaction.on_commit(bump)


def enabled() -> bool:
    """Whether the figures are cached: when every process shares the cache (Redis), or
    when KEPU_STATS_FIGURES_CACHE says so (the tests)."""
    forced = getattr(settings, "KEPU_STATS_FIGURES_CACHE", None)
    if forced is not None:
        return bool(forced)
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def cached(round_id: int, name: str, build):
    if not enabled():
        return build()
    key = f"kepu:stats:f:{round_id}:{version(round_id)}:{clock.today().isoformat()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
