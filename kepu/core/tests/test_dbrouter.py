"""The read-replica router: reports read from the replica, everything else (and every
write) from the primary. The "replica" here is a second connection to the test
database, added for the test only (the suite has no such alias unless configured)."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from kepu.core import dbrouter
from kepu.core.dbrouter import REPLICA, reporting, reporting_view
from kepu.core.models import Organization, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(monkeypatch):
    # Each test runs inside a transaction of pytest-django's, in which the router would
    # keep every read on the primary: only the test's own transactions count here.
    primary = connections["default"]
    outer = len(primary.atomic_blocks)
    monkeypatch.setattr(
        dbrouter, "_primary_in_transaction", lambda: len(primary.atomic_blocks) > outer
    )
    connections.settings[REPLICA] = dict(connections.settings["default"])
    # Connected here: the test case allows only the aliases it knew of when it began.
    connections[REPLICA].connect()
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def _queries(alias, fn):
    """fn's result and how many queries it made on `alias`."""
    with CaptureQueriesContext(connections[alias]) as queries:
        result = fn()
    return result, len(queries)


def test_reads_inside_reporting_go_to_the_replica(replica):
    assert Region.objects.all().db == "default"
    with reporting():
        assert Region.objects.all().db == REPLICA
        with CaptureQueriesContext(connections["default"]) as on_primary:
            on_replica, queries = _queries(REPLICA, Region.objects.count)
        assert queries == 1 and len(on_primary) == 0
    # The same rows: the replica is the primary's copy.
    assert on_replica == Region.objects.count() > 0
    # Outside the block, reads are the primary's again.
    assert _queries(REPLICA, Region.objects.count)[1] == 0


def test_writes_and_reads_in_a_transaction_stay_on_the_primary(replica):
    with reporting():
        assert dbrouter.ReplicaRouter().db_for_write(Organization) == "default"
        with transaction.atomic():
            # The transaction may hold writes the replica has not seen (read-your-writes).
            assert Region.objects.all().db == "default"
        assert Region.objects.all().db == REPLICA


def test_reporting_view_wraps_the_view(replica):
    @reporting_view
    def view(request):
        return Region.objects.all().db

    assert view(None) == REPLICA
    assert Region.objects.all().db == "default"


def test_without_a_replica_reporting_changes_nothing():
    assert dbrouter.replica_alias() is None
    with reporting():
        assert Region.objects.all().db == "default"
        assert Region.objects.exists()


def test_the_flag_is_per_context():
    """A contextvar: a thread (another request) does not inherit a report's block."""
    import threading

    seen = []
    with reporting():
        thread = threading.Thread(target=lambda: seen.append(dbrouter._reporting.get()))
        thread.start()
        thread.join()
        assert dbrouter._reporting.get() is True
    assert seen == [False] and dbrouter._reporting.get() is False
