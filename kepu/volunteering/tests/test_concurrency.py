"""Concurrent ordering and check-in on PostgreSQL (never on SQLite, which serializes
writers anyway): parallel duplicates of one form place one order, distinct forms all
place theirs, and parallel taps of check-in and check-out record one hour entry. The
threads commit for real, so each test removes its rows afterwards (their audit entries
stay: the trail is append-only)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from kepu.core import rollups
from kepu.core.models import Region
from kepu.core.tests.concurrency import WORKERS, committed, parallel, postgresql_only
from kepu.people.models import Person, Team
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.models import Assignment, HourEntry, OrderEvent, ServiceOrder
from kepu.volunteering.tests.helpers import make_order, make_team, make_volunteer, officer

pytestmark = [
    postgresql_only,
    pytest.mark.django_db,
]


def remove(order_ids=(), team_ids=(), person_ids=()):
    """Delete committed rows in dependency order (entries, orders, teams, people)."""

    def run():
        HourEntry.objects.filter(order_id__in=order_ids).delete()
        HourEntry.objects.filter(person_id__in=person_ids).delete()
        ServiceOrder.objects.filter(pk__in=order_ids).delete()
        Team.objects.filter(pk__in=team_ids).delete()
        Person.objects.filter(pk__in=person_ids).delete()
        # The services counted the committed rows; deleted by hand, they are recounted.
        for name in rollups.metrics():
            if name.startswith("volunteering."):
                rollups.rebuild(name)

    committed(run)


def ids_of(**lookup) -> list[int]:
    return list(ServiceOrder.objects.filter(**lookup).values_list("pk", flat=True))


@pytest.fixture
def township():
    return committed(lambda: Region.objects.get(code="510104022"))


def submit(township, i, key, start=None):
    start = start or timezone.now() + datetime.timedelta(days=3)
    order, _created = services.submit_order(
        client_key=key,
        name=f"并发点单{i}",
        phone=f"139{i:08d}",
        category="elderly_digital",
        key_group="elderly",
        region=township,
        address="锦江区某社区党群服务中心",
        window_start=start,
        window_end=start + datetime.timedelta(hours=2),
        expected_attendees=30,
        description="社区老人想学智能手机挂号。",
    )
    return order.pk


def test_40_parallel_submissions_of_one_form_place_one_order(township):
    key = uuid.uuid4()
    try:
        # One form sent 40 times: the same details each time.
        start = timezone.now() + datetime.timedelta(days=3)
        ids = parallel(lambda i: submit(township, 0, key, start), WORKERS)
        assert len(set(ids)) == 1
        count = committed(lambda: ServiceOrder.objects.filter(client_key=key).count())
        assert count == 1
        events = committed(lambda: OrderEvent.objects.filter(order_id=ids[0]).count())
        assert events == 1
    finally:
        remove(order_ids=committed(lambda: ids_of(client_key=key)))


def test_40_parallel_submissions_of_different_forms_place_40_orders(township):
    keys = [uuid.uuid4() for _i in range(WORKERS)]
    try:
        ids = parallel(lambda i: submit(township, i, keys[i]), WORKERS)
        assert len(set(ids)) == WORKERS
        count = committed(lambda: ServiceOrder.objects.filter(client_key__in=keys).count())
        assert count == WORKERS
        numbers = committed(
            lambda: set(
                ServiceOrder.objects.filter(client_key__in=keys).values_list("number", flat=True)
            )
        )
        assert len(numbers) == WORKERS
    finally:
        remove(order_ids=committed(lambda: ids_of(client_key__in=keys)))


def test_parallel_check_in_and_check_out_record_one_hour_entry():
    def setup():
        volunteer = make_volunteer(name="并发签到")
        team = make_team(leader=volunteer)
        order = services.dispatch(make_order(days=0), actor=officer(), team=team)
        order = services.accept(order, actor=None, volunteers=[volunteer])
        return order, team, volunteer, order.assignments.get()

    order, team, volunteer, assignment = committed(setup)
    arrived = timezone.now() - datetime.timedelta(hours=3)
    left = arrived + datetime.timedelta(minutes=150)
    try:
        times = parallel(
            lambda i: services.check_in(assignment, actor=None, at=arrived).checked_in_at,
            WORKERS,
        )
        assert set(times) == {arrived}
        outs = parallel(
            lambda i: services.check_out(assignment, actor=None, at=left).hour_entry_id,
            WORKERS,
        )
        assert len(set(outs)) == 1

        def state():
            fresh = Assignment.objects.get(pk=assignment.pk)
            entries = HourEntry.objects.filter(person=volunteer)
            steps = list(
                OrderEvent.objects.filter(order_id=order.pk).values_list("action", flat=True)
            )
            return fresh, list(entries), steps, ServiceOrder.objects.get(pk=order.pk).status

        fresh, entries, steps, status = committed(state)
        assert len(entries) == 1 and entries[0].hours == 2.5
        assert fresh.hour_entry_id == entries[0].pk and fresh.checked_out_at == left
        assert steps.count(c.OrderAction.CHECK_IN) == 1
        assert steps.count(c.OrderAction.CHECK_OUT) == 1
        assert status == c.OrderStatus.IN_SERVICE
    finally:
        remove(order_ids=[order.pk], team_ids=[team.pk], person_ids=[volunteer.pk])
