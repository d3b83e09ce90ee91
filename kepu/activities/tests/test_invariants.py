"""The invariants of `kepu/activities/invariants.py` hold on the demo (on the bulk
benchmark dataset: `kepu/core/tests/test_dataset.py`), and they do catch a broken row."""

import pytest

from kepu.activities.demo import load_demo
from kepu.activities.models import Activity
from kepu.activities.tests.helpers import make_activity
from kepu.core import invariants

pytestmark = pytest.mark.django_db


def test_the_demo_keeps_the_invariants():
    created = load_demo(size=150)
    assert created["activities"] >= 150 and created["signups"]
    assert Activity.objects.filter(status="published").exists()
    assert invariants.check(["activities"]) == []
    assert load_demo(size=150) == {"activities": 0}  # idempotent


def test_a_broken_row_is_named():
    activity = make_activity(capacity=5)
    Activity.objects.filter(pk=activity.pk).update(confirmed_count=3, report_due=None)
    problems = invariants.check(["activities"])
    assert any(f"activity {activity.pk} counts 3 confirmed" in p for p in problems)
    assert any(f"activity {activity.pk} is published without a report" in p for p in problems)


def test_a_decision_by_the_submitter_is_named():
    from kepu.activities.models import ReviewDecision
    from kepu.core.models import User

    activity = make_activity(capacity=5)
    officer = User.objects.get(username="demo-province")
    Activity.objects.filter(pk=activity.pk).update(submitted_by=officer)
    ReviewDecision.objects.filter(activity=activity).update(decided_by=officer)
    assert ReviewDecision.objects.filter(activity=activity).exists()
    problems = invariants.check(["activities"])
    assert any(f"activity {activity.pk} was decided by the officer who" in p for p in problems)
