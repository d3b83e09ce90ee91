"""Concurrent shifts on PostgreSQL (SQLite serializes writers anyway): parallel requests
to put one expert on duty for two groups at the same hours let exactly one through (the
person's row is locked). The threads commit for real, so the test removes its incidents
afterwards (their audit entries stay: the trail is append-only)."""

import datetime

import pytest
from django.utils import timezone

from kepu.core.errors import DomainError
from kepu.core.tests.concurrency import committed, parallel, postgresql_only
from kepu.emergency.models import DutyShift, Incident
from kepu.emergency.services import group
from kepu.emergency.tests.helpers import make_incident, make_member
from kepu.people.models import Person

pytestmark = [postgresql_only, pytest.mark.django_db]


def test_parallel_overlapping_shifts_of_one_expert_let_one_through():
    def setup():
        person = Person.objects.filter(erased_at__isnull=True).order_by("pk").first()
        first = make_incident(title="并发值班一")
        second = make_incident(title="并发值班二")
        return person, [make_member(first, person), make_member(second, person)]

    person, members = committed(setup)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    try:

        def add(i):
            try:
                group.add_shift(
                    members[i % 2],
                    actor=None,
                    starts_at=start + datetime.timedelta(minutes=i),
                    ends_at=start + datetime.timedelta(hours=4),
                )
                return "added"
            except DomainError:
                return "refused"

        outcomes = parallel(add, 12)
        assert outcomes.count("added") == 1
        assert committed(lambda: DutyShift.objects.filter(person=person).count()) == 1
    finally:
        committed(lambda: Incident.objects.filter(title__in=["并发值班一", "并发值班二"]).delete())
