"""The registry's invariants hold on the demo (and catch a broken row)."""

import datetime

import pytest

from kepu.core import invariants
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
