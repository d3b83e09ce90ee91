"""The demo registry: its workflow states were made by the services with real actors, and
the invariants hold on it (and catch a broken row)."""

import datetime

import pytest

from kepu.core import invariants
from kepu.core.models import AuditEntry
from kepu.people import choices as c
from kepu.people.demo import load_demo
from kepu.people.models import Registration

pytestmark = pytest.mark.django_db


def test_the_demo_satisfies_the_invariants():
    load_demo(size=300)  # loaded for the session already: idempotent
    assert Registration.objects.exists()
    assert invariants.check(["people"]) == []


def test_a_broken_row_is_named():
    registration = Registration.objects.filter(status=c.RegistrationStatus.CERTIFIED).first()
    Registration.objects.filter(pk=registration.pk).update(
        status=c.RegistrationStatus.REJECTED,
        reject_reason="",
        end_date=registration.start_date - datetime.timedelta(days=1),
    )
    problems = invariants.check(["people"])
    assert any(f"registration {registration.pk} is rejected" in p for p in problems)
    assert any(f"registration {registration.pk} (rejected)" in p for p in problems)


def test_the_demo_workflows_ran_through_the_services():
    assert load_demo(size=300) == {"people": 0}  # idempotent
    officers = {"demo-county-a", "demo-county-b", "demo-city", "demo-province"}
    rejections = Registration.objects.filter(
        status=c.RegistrationStatus.REJECTED, reviewed_by__username__in=officers
    )
    assert rejections.exists()
    for rejected in rejections:
        username = rejected.reviewed_by.username
        assert rejected.reject_reason and rejected.reviewed_at > rejected.applied_at
        assert AuditEntry.objects.filter(
            action="people.registration.rejected",
            object_id=str(rejected.pk),
            actor_username=username,
        ).exists()
    applied = Registration.objects.filter(status=c.RegistrationStatus.PENDING).first()
    assert applied.notice is not None and applied.consented_at == applied.applied_at
    assert AuditEntry.objects.filter(
        action="people.registration.applied", object_id=str(applied.pk)
    ).exists()


def test_the_demo_keeps_the_registry_counters():
    """Every loader (the people demo through the services, the others' bulk rows followed
    by a rebuild) leaves the registry's counters equal to the rows."""
    from kepu.core import rollups
    from kepu.people import rollups as counters

    for name in counters.METRICS:
        assert rollups.reconcile(name, fix=False) == [], name
