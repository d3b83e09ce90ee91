"""One demo order's steps applied the way `services` applies them."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from kepu.core import workdays
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.demo.data import (
    CANCEL_REASONS,
    CLOSE_NOTES,
    COMMENTS,
    MEMBER_UNIT,
    REJECT_REASONS,
    RETURN_BY_DEPARTMENT,
    RETURN_BY_TEAM,
    A,
    S,
    _hours,
)
from kepu.volunteering.models import Assignment, HourEntry, OrderEvent, ServiceOrder

if TYPE_CHECKING:
    from kepu.volunteering.demo.build import _Demo


class _Replay:
    """One order's steps applied the way `services` applies them (the same transitions,
    deadlines, flags, labels and notes), collecting the rows to bulk-create."""

    def __init__(self, demo: _Demo, order: ServiceOrder):
        self.demo = demo
        self.order = order
        self.events: list[OrderEvent] = []
        self.assignments: list[Assignment] = []
        self.entries: list[HourEntry] = []
        self.last = order.submitted_at
        self.dispatch_days = settings.KEPU_ORDER_DISPATCH_DAYS
        self.accept_days = settings.KEPU_ORDER_ACCEPT_DAYS
        order.status = S.SUBMITTED
        order.dispatch_due = workdays.deadline(order.submitted_at, self.dispatch_days)
        label = order.requester_organization.name if order.requester_organization else ""
        self.event(A.SUBMIT, order.submitted_at, "", label=label or _("Requester"))

    def event(self, action, at, before, *, actor=None, label="", note=""):
        self.events.append(
            OrderEvent(
                order=self.order,
                action=action,
                from_status=before,
                to_status=self.order.status,
                actor=actor,
                actor_label=label,
                note=note[:500],
                at=at,
            )
        )
        self.last = at

    @staticmethod
    def user_label(user) -> str:
        return user.display_name or user.username

    def officer(self):
        user = self.demo.officer(self.order.region)
        return user, self.user_label(user) if user else _("System")

    def leader(self):
        team = self.order.team
        user = team.leader.user if team.leader_id and team.leader.user_id else None
        if user is not None:
            return user, self.user_label(user)
        return None, team.leader.name if team.leader_id else team.name

    def department_actor(self, department):
        member = self.demo.users.get("demo-member")
        if department.name == MEMBER_UNIT and member is not None:
            return member, self.user_label(member)
        return None, department.name

    def run(self, step, at, **args) -> None:
        """Apply `step` at `at` (after the overdue escalations due before it)."""
        assert at >= self.last, f"{self.order.number}: {step} before the previous step"
        self.escalate_until(at)
        sources, _target = services.TRANSITIONS[
            {"return_department": A.RETURN, "return_team": A.RETURN}.get(step, step)
        ]
        assert self.order.status in sources, f"{step} from {self.order.status}"
        getattr(self, f"do_{step}")(at, **args)

    def escalate_until(self, until) -> None:
        """What the periodic `escalate_overdue` job did while the order waited."""
        order = self.order
        while order.status in (*c.WAITING_DISPATCH, *c.WAITING_ACCEPT):
            if order.status == S.SUBMITTED:
                due, days = order.dispatch_due, self.dispatch_days
            else:
                due, days = order.accept_due, self.accept_days
            if due is None:
                return
            if order.escalated_at is not None:
                due = workdays.deadline(order.escalated_at, days)
            at = due + datetime.timedelta(minutes=self.demo.rng.randint(1, 59))
            current = order.escalated_to or order.region
            if at >= until or current.parent_id is None:
                return
            parent = self.demo.by_id[current.parent_id]
            order.escalated_to, order.escalated_at = parent, at
            self.event(
                A.ESCALATE,
                at,
                order.status,
                label=_("System"),
                note=_("Overdue; escalated to %(region)s") % {"region": parent.name},
            )

    def do_dispatch(self, at, department=None, team=None) -> None:
        order = self.order
        before = order.status
        order.department, order.team = department, team
        order.status = S.AWAITING_TEAM if team else S.DISPATCHED
        order.dispatched_at = at
        order.dispatched_on_time = order.dispatch_due is None or at <= order.dispatch_due
        order.accept_due = workdays.deadline(at, self.accept_days)
        order.escalated_to = order.escalated_at = None
        order.reason = ""
        user, label = self.officer()
        target = team or department
        note = _("To %(target)s") % {"target": target.name}
        self.event(A.DISPATCH, at, before, actor=user, label=label, note=note)

    def do_claim(self, at, team) -> None:
        order = self.order
        before = order.status
        order.team, order.status, order.claimed_at = team, S.AWAITING_TEAM, at
        user, label = self.department_actor(order.department)
        note = _("To %(target)s") % {"target": team.name}
        self.event(A.CLAIM, at, before, actor=user, label=label, note=note)

    def do_accept(self, at, volunteers) -> None:
        order = self.order
        members = {p.pk for p in self.demo.team_members[order.team.pk]}
        assert volunteers and all(p.pk in members for p in volunteers)
        before = order.status
        order.status, order.accepted_at = S.ACCEPTED, at
        order.accepted_on_time = order.accept_due is None or at <= order.accept_due
        order.escalated_to = order.escalated_at = None
        self.assignments = [Assignment(order=order, person=p, assigned_at=at) for p in volunteers]
        user, label = self.leader()
        note = "、".join(p.name for p in volunteers)
        self.event(A.ACCEPT, at, before, actor=user, label=label, note=note)

    def _return(self, at, reason, actor) -> None:
        order = self.order
        before = order.status
        if order.status == S.DISPATCHED or not order.department_id:
            order.status = S.SUBMITTED
            order.department = order.team = None
            order.dispatch_due = workdays.deadline(at, self.dispatch_days)
            order.accept_due = None
        else:
            order.status, order.team = S.DISPATCHED, None
        order.accepted_at = order.accepted_on_time = None
        order.reason = reason
        self.assignments = []
        self.event(A.RETURN, at, before, actor=actor[0], label=actor[1], note=reason)

    def do_return_department(self, at, department) -> None:
        reason = self.demo.rng.choice(RETURN_BY_DEPARTMENT)
        self._return(at, reason, self.department_actor(department))

    def do_return_team(self, at, team) -> None:
        self._return(at, self.demo.rng.choice(RETURN_BY_TEAM), self.leader())

    def do_reject(self, at) -> None:
        order = self.order
        before = order.status
        order.status, order.closed_at = S.REJECTED, at
        order.reason = self.demo.rng.choice(REJECT_REASONS)
        user, label = self.officer()
        self.event(A.REJECT, at, before, actor=user, label=label, note=order.reason)

    def do_cancel(self, at) -> None:
        order = self.order
        before = order.status
        order.status, order.closed_at = S.CANCELLED, at
        order.reason = self.demo.rng.choice(CANCEL_REASONS)
        self.event(A.CANCEL, at, before, label=_("Requester"), note=order.reason)

    def volunteer(self, person):
        if person.user_id:
            return person.user, self.user_label(person.user)
        return None, person.name

    def do_check_in(self, at, assignment) -> None:
        order = self.order
        before = order.status
        assignment.checked_in_at = at
        order.status = S.IN_SERVICE
        user, label = self.volunteer(assignment.person)
        self.event(A.CHECK_IN, at, before, actor=user, label=label, note=assignment.person.name)

    def do_check_out(self, at, assignment) -> None:
        order, person = self.order, assignment.person
        assert at > assignment.checked_in_at
        start = assignment.checked_in_at
        user, label = self.volunteer(person)
        entry = HourEntry(
            person=person,
            team=order.team,
            order=order,
            region=order.region,
            started_at=start,
            ended_at=at,
            hours=_hours(start, at),
            source=c.HourSource.CHECK_IN,
            status=c.HourStatus.PENDING,
            description=str(order.get_category_display()),
            created_by=user,
            created_at=at,
        )
        assignment.checked_out_at, assignment.hour_entry = at, entry
        self.entries.append(entry)
        note = _("%(name)s, %(hours)s h") % {"name": person.name, "hours": entry.hours}
        self.event(A.CHECK_OUT, at, order.status, actor=user, label=label, note=note)

    def do_complete(self, at) -> None:
        order = self.order
        assert any(a.checked_out_at for a in self.assignments)
        assert not any(a.checked_in_at and not a.checked_out_at for a in self.assignments)
        before = order.status
        order.status, order.served_at = S.SERVED, at
        user, label = self.leader()
        total = decimal.Decimal("0")
        for entry in self.entries:
            if entry.status == c.HourStatus.PENDING:
                entry.status, entry.decided_by, entry.decided_at = c.HourStatus.APPROVED, user, at
                total += entry.hours
        note = _("%(hours)s volunteer hours confirmed") % {"hours": total}
        self.event(A.COMPLETE, at, before, actor=user, label=label, note=note)

    def do_rate(self, at) -> None:
        order = self.order
        before = order.status
        rating = self.demo.rng.choices((5, 4, 3, 2, 1), weights=(62, 25, 9, 3, 1))[0]
        comment = self.demo.rng.choice(COMMENTS) if rating >= 3 else "讲解时间太短，没有解决问题。"
        order.rating, order.rating_comment, order.rated_at = rating, comment, at
        order.status, order.closed_at = S.CLOSED, at
        note = "★" * rating + (f" {comment}" if comment else "")
        self.event(A.RATE, at, before, label=_("Requester"), note=note)

    def do_close(self, at) -> None:
        order = self.order
        before = order.status
        order.status, order.closed_at = S.CLOSED, at
        user, label = self.officer()
        note = self.demo.rng.choice(CLOSE_NOTES)
        self.event(A.CLOSE, at, before, actor=user, label=label, note=note)
