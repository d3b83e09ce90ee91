"""Helpers of the PostgreSQL concurrency tests: work committed in connections of its own,
and many calls released at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections

WORKERS = 40  # parallel connections (the server allows 100, shared with the other worker)

postgresql_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="concurrency is tested on PostgreSQL",
)


def committed(fn):
    """Run `fn` in its own connection, outside the test's transaction, and commit."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def parallel(fn, n):
    """`fn(i)` for i < n, the first WORKERS released together; exceptions re-raised."""
    barrier = threading.Barrier(min(n, WORKERS))

    def call(i):
        try:
            if i < WORKERS:
                barrier.wait(timeout=30)
            return fn(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(call, range(n)))
