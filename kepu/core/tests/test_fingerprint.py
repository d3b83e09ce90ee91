"""The fingerprint behind "a denied request changes nothing" sees every kind of write and
compares the state at the times the two fingerprints were taken."""

import pytest
from django.db import connection, transaction

from kepu.core.models import Organization
from kepu.core.testing import Fingerprint, fingerprint

pytestmark = pytest.mark.django_db


def _org():
    return Organization.objects.order_by("pk").first()


def test_nothing_written_is_equal():
    before = fingerprint()
    list(Organization.objects.all()[:5])
    assert fingerprint() == before


def test_an_orm_save_is_seen():
    before = fingerprint()
    org = _org()
    org.name += "（改）"
    org.save()
    assert fingerprint() != before


def test_a_raw_update_and_a_bulk_delete_are_seen():
    before = fingerprint()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Organization._meta.db_table} SET name = name || 'x' WHERE id = %s",  # noqa: S608
            [_org().pk],
        )
    assert fingerprint() != before


def test_a_statement_it_cannot_read_copies_everything_first():
    before = fingerprint()
    table = Organization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH t AS (SELECT id FROM {table} ORDER BY id LIMIT 1) "  # noqa: S608
            f"UPDATE {table} SET name = name || 'y' WHERE id IN (SELECT id FROM t)"
        )
    assert table in before.copies
    assert fingerprint() != before


def test_a_write_undone_by_a_savepoint_is_equal():
    before = fingerprint()
    try:
        with transaction.atomic():
            org = _org()
            org.name = "临时名称"
            org.save()
            raise RuntimeError
    except RuntimeError:
        pass
    assert fingerprint() == before


def test_an_older_fingerprint_compares_with_the_state_when_the_newer_was_taken():
    first = fingerprint()
    org = _org()
    org.name += "1"
    org.save()
    second = fingerprint()
    org.name += "2"
    org.save()
    # second was taken after the first write: it differs from first, and from now.
    assert second != first
    assert fingerprint() != second
    assert second == second


def test_watching_stops_with_the_test():
    fingerprint()
    assert Fingerprint.active
    Fingerprint.release_all()
    assert not Fingerprint.active
    assert not any(isinstance(w, Fingerprint) for w in connection.execute_wrappers)
