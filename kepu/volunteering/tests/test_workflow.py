"""The order state machine, hours and certificates, through the services."""

import datetime
import uuid

import pytest
from django.utils import timezone

from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.models import HourEntry, ServiceOrder
from kepu.volunteering.tests.helpers import (
    make_order,
    make_team,
    make_volunteer,
    officer,
    org,
    served_order,
)

pytestmark = pytest.mark.django_db
S = c.OrderStatus


def test_the_same_client_key_places_one_order():
    key = uuid.uuid4()
    start = timezone.now() + datetime.timedelta(days=3)
    window = {"window_start": start, "window_end": start + datetime.timedelta(hours=3)}
    first = make_order(client_key=key, **window)
    again = make_order(client_key=key, **window)  # the same form sent again
    assert first.pk == again.pk
    assert ServiceOrder.objects.filter(client_key=key).count() == 1
    assert first.requester_phone_masked == "139****1111"
    assert "13900001111" not in first.requester_phone_enc
    assert first.dispatch_due > first.submitted_at


def test_full_journey_department_claim_team_accept_service_rating():
    leader = make_volunteer(name="队长")
    member = make_volunteer(name="队员")
    team = make_team(leader=leader, members=[member])
    order = make_order()
    order = services.dispatch(order, actor=officer(), department=org("四川省教育厅"))
    assert order.status == S.DISPATCHED and order.dispatched_on_time
    order = services.claim(order, actor=None, team=team)
    assert order.status == S.AWAITING_TEAM
    order = services.accept(order, actor=None, volunteers=[leader, member])
    assert order.status == S.ACCEPTED and order.accepted_on_time
    start = timezone.now() - datetime.timedelta(hours=3)
    for a in order.assignments.all():
        services.check_in(a, actor=None, at=start)
        services.check_out(a, actor=None, at=start + datetime.timedelta(minutes=150))
    order.refresh_from_db()
    assert order.status == S.IN_SERVICE
    order = services.complete(order, actor=None)
    assert order.status == S.SERVED
    assert [str(e.hours) for e in HourEntry.objects.filter(order=order)] == ["2.50", "2.50"]
    assert set(HourEntry.objects.filter(order=order).values_list("status", flat=True)) == {
        c.HourStatus.APPROVED
    }
    order = services.rate(order, rating=5, comment="讲得很好")
    assert order.status == S.CLOSED
    steps = list(order.events.values_list("action", flat=True))
    assert steps == [
        "submit",
        "dispatch",
        "claim",
        "accept",
        "check_in",
        "check_out",
        "check_in",
        "check_out",
        "complete",
        "rate",
    ]
    actions = set(
        AuditEntry.objects.filter(
            object_id=str(order.pk), object_type="volunteering.serviceorder"
        ).values_list("action", flat=True)
    )
    assert "volunteering.serviceorder.rated" in actions


def test_steps_out_of_order_are_refused():
    order = make_order()
    with pytest.raises(DomainError):
        services.rate(order, rating=5)
    with pytest.raises(DomainError):
        services.complete(order, actor=None)


def test_return_goes_back_one_level_with_a_reason():
    team = make_team(leader=make_volunteer())
    order = make_order()
    order = services.dispatch(order, actor=officer(), department=org("四川省教育厅"))
    order = services.claim(order, actor=None, team=team)
    with pytest.raises(DomainError):
        services.return_order(order, actor=None, reason=" ")
    order = services.return_order(order, actor=None, reason="队员都在外地")
    assert order.status == S.DISPATCHED and order.team is None
    order = services.return_order(order, actor=None, reason="不属于本部门")
    assert order.status == S.SUBMITTED and order.department is None


def test_overlapping_hours_are_refused():
    person = make_volunteer()
    team = make_team(leader=make_volunteer(), members=[person])
    start = timezone.now() - datetime.timedelta(days=2)
    services.add_manual_entry(
        actor=None,
        person=person,
        team=team,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=2),
        description="社区讲座",
    )
    with pytest.raises(DomainError, match="overlaps|重叠"):
        services.add_manual_entry(
            actor=None,
            person=person,
            team=team,
            started_at=start + datetime.timedelta(hours=1),
            ended_at=start + datetime.timedelta(hours=3),
            description="又一次",
        )


def test_certificate_counts_approved_hours_only():
    order = served_order(hours=2)
    entry = HourEntry.objects.get(order=order)
    today = timezone.localdate()
    cert = services.issue_certificate(
        actor=None,
        person=entry.person,
        team=order.team,
        period_start=today - datetime.timedelta(days=30),
        period_end=today,
    )
    assert cert.total_hours == 2 and cert.entries == 1
    assert cert.number.startswith("ZYZM")


def test_overdue_orders_escalate_to_the_level_above():
    order = make_order()
    later = order.dispatch_due + datetime.timedelta(minutes=1)
    assert services.escalate_overdue(now=later) == 1
    order.refresh_from_db()
    assert order.escalated_to.code == "510104"  # the township's county
    assert services.escalate_overdue(now=later) == 0  # the county still has time


def test_a_check_out_seconds_after_check_in_is_refused_not_a_crash():
    volunteer = make_volunteer()
    team = make_team(leader=volunteer)
    order = services.dispatch(make_order(days=0), actor=officer(), team=team)
    order = services.accept(order, actor=None, volunteers=[volunteer])
    assignment = order.assignments.get()
    now = timezone.now()
    services.check_in(assignment, actor=None, at=now - datetime.timedelta(seconds=10))
    with pytest.raises(DomainError):
        services.check_out(assignment, actor=None, at=now)
    assert not HourEntry.objects.filter(order=order).exists()


def test_dispatch_only_to_departments_and_teams_that_serve_the_place():
    order = make_order()  # in county A (锦江区)
    other_county = make_team(organization="涪城区科学技术协会", code="510703")
    with pytest.raises(DomainError):
        services.dispatch(order, actor=officer(), team=other_county)
    with pytest.raises(DomainError):
        services.dispatch(order, actor=officer(), department=org("涪城区科学技术协会"))
    names = set(services.dispatch_departments(order).values_list("name", flat=True))
    assert "四川省教育厅" in names and "涪城区科学技术协会" not in names
    order.refresh_from_db()
    assert order.status == S.SUBMITTED


def test_every_order_step_is_audited_in_the_past_tense_with_a_label():
    from kepu.core.audit import ACTION_LABELS

    for step, verb in services.AUDIT_ACTIONS.items():
        code = f"volunteering.serviceorder.{verb}"
        assert verb.endswith("ed") or verb.endswith("_in") or verb.endswith("_out"), code
        assert ACTION_LABELS.get(code), code
        # The code recorded before the rename keeps its label (older entries exist).
        assert ACTION_LABELS.get(f"volunteering.serviceorder.{step}"), step
