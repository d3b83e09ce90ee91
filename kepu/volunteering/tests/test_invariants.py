"""The invariants of volunteer service (`kepu/volunteering/invariants.py`) hold on the
demo, and each one notices the state it forbids."""

import pytest
from django.utils import timezone

from kepu.core import invariants
from kepu.volunteering.demo import load_demo
from kepu.volunteering.models import HourEntry, ServiceOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo(size=300)


def test_the_demo_keeps_every_invariant(demo):
    assert invariants.check(["volunteering"]) == []


def test_a_broken_state_is_named(demo):
    order = ServiceOrder.objects.filter(status="closed").order_by("pk").first()
    ServiceOrder.objects.filter(pk=order.pk).update(closed_at=None, rating=None)
    entry = HourEntry.objects.filter(status="pending").order_by("pk").first()
    HourEntry.objects.filter(pk=entry.pk).update(decided_at=timezone.now())
    problems = invariants.check(["volunteering"])
    assert any(order.number in p and "closing time" in p for p in problems), problems
    assert any("pending but carries a decision" in p for p in problems), problems
