"""Concurrent sign-ups on PostgreSQL (never on SQLite, which serializes writers anyway):
many parallel requests for few places never overbook, and parallel duplicates of one
person take one place. The threads commit for real, so the test removes its activities
afterwards (their audit entries stay: the trail is append-only)."""

import pytest

from kepu.activities import rollups as counters
from kepu.activities import services
from kepu.activities.models import Activity, SignUp
from kepu.activities.tests.helpers import make_activity
from kepu.core import rollups
from kepu.core.tests.concurrency import committed, parallel, postgresql_only

pytestmark = [
    postgresql_only,
    pytest.mark.django_db,
]


def _remove(activity):
    """Delete the committed activity (no service deletes activities) and rebuild the
    counters it was part of, as the scheduled reconcile would."""
    Activity.objects.filter(pk=activity.pk).delete()
    for metric in counters.METRICS:
        rollups.rebuild(metric)


def test_200_concurrent_sign_ups_for_50_places():
    activity = committed(lambda: make_activity(capacity=50, title="并发报名测试"))
    try:
        statuses = parallel(
            lambda i: (
                services.sign_up(activity, name=f"并发{i}", phone=f"139{i:08d}", key_group="youth")[
                    0
                ].status
            ),
            200,
        )
        assert statuses.count("confirmed") == 50
        assert statuses.count("waiting") == 150

        def counts():
            a = Activity.objects.get(pk=activity.pk)
            rows = SignUp.objects.filter(activity=a)
            return (
                a.confirmed_count,
                a.waiting_count,
                rows.filter(status="confirmed").count(),
                rows.filter(status="waiting").count(),
            )

        assert committed(counts) == (50, 150, 50, 150)
    finally:
        committed(lambda: _remove(activity))


def test_parallel_duplicates_take_one_place():
    activity = committed(lambda: make_activity(capacity=5, title="并发重复提交测试"))
    try:
        tickets = parallel(
            lambda i: (
                services.sign_up(activity, name="同一人", phone="13912340000", key_group="youth")[
                    0
                ].ticket_code
            ),
            30,
        )
        assert len(set(tickets)) == 1
        assert committed(lambda: SignUp.objects.filter(activity_id=activity.pk).count()) == 1
    finally:
        committed(lambda: _remove(activity))
