"""The volunteer service demo: made through the services, idempotent, every status,
timelines that the state machine could have produced, hour entries that never overlap,
closed orders rated or closed by an officer, every invariant kept — and the services
accept the demo rows as they are.

The demo is loaded once for the module, inside a transaction rolled back at the end;
each test runs in a savepoint within it."""

import datetime
from collections import defaultdict

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from kepu.core import invariants, workdays
from kepu.core.models import AuditEntry
from kepu.people.models import Person, Team, TeamMembership
from kepu.volunteering import choices as c
from kepu.volunteering import matching, services
from kepu.volunteering.demo import MEMBER_UNIT, TEAMS, load_demo
from kepu.volunteering.models import Assignment, Certificate, HourEntry, OrderEvent, ServiceOrder

pytestmark = pytest.mark.django_db
S = c.OrderStatus
A = c.OrderAction
TABLES = (ServiceOrder, OrderEvent, Assignment, HourEntry, Certificate, Team, TeamMembership)


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_demo(size=300)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_module_demo, db):
    assert _module_demo["orders"] == 100
    return _module_demo


def test_loading_twice_creates_nothing_more(demo):
    counts = [model.objects.count() for model in TABLES]
    assert load_demo(size=300) == {"orders": 0}
    assert [model.objects.count() for model in TABLES] == counts
    assert Certificate.objects.count() == demo["certificates"] >= 3


def test_every_status_and_what_the_personas_need(demo):
    statuses = set(ServiceOrder.objects.values_list("status", flat=True))
    assert statuses == set(S.values)
    now = timezone.now()
    overdue = ServiceOrder.objects.overdue(now)
    assert overdue.filter(status=S.SUBMITTED, escalated_to__isnull=False).exists()
    assert overdue.filter(status__in=c.WAITING_ACCEPT).exists()
    assert ServiceOrder.objects.filter(dispatched_on_time=False).exists()
    assert ServiceOrder.objects.filter(region__path__startswith="51/5101/510104/").count() >= 5
    assert ServiceOrder.objects.filter(region__path__startswith="51/5107/510703/").count() >= 5
    # The member unit has orders to claim; its team (led by the demo volunteer) to accept.
    assert ServiceOrder.objects.filter(status=S.DISPATCHED, department__name=MEMBER_UNIT)
    team = Team.objects.get(name=TEAMS[0][0])
    assert team.leader.user.username == "demo-volunteer"
    assert team.latitude is not None and team.organization.name == MEMBER_UNIT
    assert ServiceOrder.objects.filter(status=S.AWAITING_TEAM, team=team).exists()
    mine = Assignment.objects.filter(person=team.leader)
    assert mine.filter(order__status=S.ACCEPTED).exists()
    assert mine.filter(order__status=S.CLOSED, hour_entry__status="approved").exists()
    assert HourEntry.objects.filter(team=team, status="pending", source="manual").exclude(
        person=team.leader
    )
    # Descriptions are the citizens' own words; phones only sealed and masked.
    order = ServiceOrder.objects.filter(category="elderly_digital").first()
    assert order.description and "*" in order.requester_phone_masked
    assert AuditEntry.objects.filter(action="volunteering.serviceorder.created").count() >= 100


def test_timelines_follow_the_state_machine(demo):
    orders = ServiceOrder.objects.select_related("region").prefetch_related("events")
    dispatch_days = settings.KEPU_ORDER_DISPATCH_DAYS
    now = timezone.now()
    for order in orders:
        events = list(order.events.all())
        assert events[0].action == A.SUBMIT and events[0].at == order.submitted_at
        assert order.number.startswith(f"{timezone.localtime(order.submitted_at):%Y%m%d}")
        assert order.window_end > order.window_start
        state, last = "", order.submitted_at
        for event in events:
            assert event.at >= last and event.at <= now, order.number
            assert event.from_status == state or event.action == A.SUBMIT, order.number
            if event.action not in (A.SUBMIT, A.ESCALATE):
                sources, _target = services.TRANSITIONS[event.action]
                assert event.from_status in sources, (order.number, event.action)
            state, last = event.to_status, event.at
        assert state == order.status, order.number
        if not any(e.action == A.RETURN for e in events):
            assert order.dispatch_due == workdays.deadline(order.submitted_at, dispatch_days)
        if order.dispatched_at and order.status != S.SUBMITTED:
            # (an order handed back to the dispatcher keeps its last dispatch time but
            # has a new dispatch deadline and no acceptance deadline)
            assert order.dispatched_on_time == (order.dispatched_at <= order.dispatch_due)
            assert order.accept_due > order.dispatched_at
        if order.status in (S.ACCEPTED, S.IN_SERVICE, S.SERVED, S.CLOSED):
            assert order.team_id and order.accepted_at and order.accepted_on_time is not None
            assert order.accepted_at < order.window_start
        if order.status in (S.SERVED, S.CLOSED):
            assert order.served_at and not order.hour_entries.filter(status="pending")
            assert order.hour_entries.filter(status="approved").exists()
        if order.status in (S.CLOSED, S.REJECTED, S.CANCELLED):
            assert order.closed_at and order.closed_at <= now
        if order.status == S.IN_SERVICE:
            assert order.assignments.filter(checked_in_at__isnull=False).exists()
        if order.status == S.ACCEPTED:
            assert not order.assignments.filter(checked_in_at__isnull=False).exists()
        if order.status in (S.REJECTED, S.CANCELLED):
            assert order.reason


def test_no_volunteer_has_overlapping_hours(demo):
    periods = defaultdict(list)
    for person_id, start, end in HourEntry.objects.values_list(
        "person_id", "started_at", "ended_at"
    ):
        periods[person_id].append((start, end))
    assert sum(len(p) for p in periods.values()) >= 50
    for person_id, spans in periods.items():
        spans.sort()
        for (_s1, end), (start, _e2) in zip(spans, spans[1:], strict=False):
            assert end <= start, f"person {person_id}: overlapping entries"
    # Every check-in entry lies within its assignment's times and counts its hours.
    for assignment in Assignment.objects.filter(hour_entry__isnull=False).select_related(
        "hour_entry"
    ):
        entry = assignment.hour_entry
        assert (entry.started_at, entry.ended_at) == (
            assignment.checked_in_at,
            assignment.checked_out_at,
        )
        assert entry.hours == services._hours(entry.started_at, entry.ended_at)
        assert TeamMembership.objects.filter(team=entry.team, person=entry.person).exists()


def test_every_closed_order_is_rated_or_closed_by_an_officer(demo):
    closed = ServiceOrder.objects.filter(status=S.CLOSED)
    assert closed.count() >= 20
    by_officer = closed.filter(
        rating__isnull=True, events__action=A.CLOSE, events__actor__isnull=False
    )
    rated = closed.filter(rating__isnull=False, rated_at__isnull=False)
    assert rated.exists() and by_officer.exists()
    assert set(closed.values_list("pk", flat=True)) == set(rated.values_list("pk", flat=True)) | (
        set(by_officer.values_list("pk", flat=True))
    )
    assert not rated.filter(rated_at__lt=F("served_at"))
    assert not closed.filter(closed_at__lt=F("served_at"))


def test_certificates_add_up(demo):
    for certificate in Certificate.objects.select_related("person", "team"):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(certificate.period_start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            certificate.period_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        entries = HourEntry.objects.approved().filter(
            person=certificate.person, team=certificate.team, started_at__range=(start, end)
        )
        assert entries.count() == certificate.entries
        assert entries.total() == certificate.total_hours
        assert certificate.issued_at.date() >= certificate.period_end - datetime.timedelta(days=1)


def test_the_services_take_the_demo_rows_as_they_are(demo):
    """The demo volunteer accepts an order waiting for his team; matching runs on it."""
    team = Team.objects.get(name=TEAMS[0][0])
    order = ServiceOrder.objects.filter(status=S.AWAITING_TEAM, team=team).first()
    assert matching.suggest_teams(order) and matching.suggest_volunteers(order)
    members = [
        m.person for m in TeamMembership.objects.filter(team=team).select_related("person")[:2]
    ]
    accepted = services.accept(order, actor=team.leader.user, volunteers=members)
    assert accepted.status == S.ACCEPTED
    busy = (
        Person.objects.filter(hour_entries__isnull=False)
        .annotate(n=Count("hour_entries"))
        .order_by("-n")
        .first()
    )
    assert busy.n >= 2


# --- the invariants ---------------------------------------------------------------------


def test_the_demo_keeps_every_invariant(demo):
    assert invariants.check(["volunteering"]) == []


def test_the_demo_counters_equal_the_rows(demo):
    """The demo goes through the services, which keep the counters."""
    from kepu.core import rollups

    for name in rollups.metrics():
        if name.startswith("volunteering."):
            assert rollups.reconcile(name, fix=False) == [], name


def test_a_broken_state_is_named(demo):
    order = ServiceOrder.objects.filter(status=S.CLOSED).order_by("pk").first()
    ServiceOrder.objects.filter(pk=order.pk).update(closed_at=None, rating=None)
    entry = HourEntry.objects.filter(status="pending").order_by("pk").first()
    HourEntry.objects.filter(pk=entry.pk).update(decided_at=timezone.now())
    problems = invariants.check(["volunteering"])
    assert any(order.number in p and "closing time" in p for p in problems), problems
    assert any("pending but carries a decision" in p for p in problems), problems


def test_the_steps_are_audited_as_the_services_record_them(demo):
    """Made through the services: every order step has its audit entry, by its actor."""
    steps = OrderEvent.objects.exclude(action=A.SUBMIT).count()
    audited = AuditEntry.objects.filter(
        object_type="volunteering.serviceorder",
        action__in=[f"volunteering.serviceorder.{v}" for v in services.AUDIT_ACTIONS.values()],
    ).count()
    assert audited == steps
    closed_by = OrderEvent.objects.filter(action=A.CLOSE).values_list("actor__username", flat=True)
    assert closed_by and all(closed_by)
