"""The closing foreign-key check of every test still finds a broken reference (on SQLite
it is narrowed to the tables a test changed and those referencing them:
`kepu.core.testing.ForeignKeyCheckScope`)."""

import pytest
from django.db import IntegrityError, connection, transaction

from kepu.core.models import Organization


def test_a_child_row_pointing_nowhere_is_found(demo_orgs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=demo_orgs["a"].pk).update(region_id=10**12)
        connection.check_constraints()


def test_a_parent_row_deleted_under_its_children_is_found(db):
    """Only the parent table is written; the broken rows are in the tables referencing it
    (the account's role assignments)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:  # around the ORM's own cascade
            cursor.execute('DELETE FROM "core_user" WHERE "username" = %s', ["demo-county-a"])
        connection.check_constraints()


def test_a_broken_reference_restored_by_a_rollback_is_found(demo_orgs):
    """A module fixture's broken row, repaired by a test whose check then passes, is back
    once the test is rolled back: the undoing changed the table, the next check sees it."""
    b = demo_orgs["b"]
    outer = transaction.savepoint()  # the module's data
    Organization.objects.filter(pk=b.pk).update(region_id=10**12)
    test = transaction.savepoint()  # one test
    Organization.objects.filter(pk=b.pk).update(region_id=b.region_id)
    connection.check_constraints()
    transaction.savepoint_rollback(test)
    with pytest.raises(IntegrityError):
        connection.check_constraints()
    transaction.savepoint_rollback(outer)
