"""One demo order taken through the real services, each step at its moment in the past
(`clock.frozen`) and by a real account: the region's officer dispatches, rejects and
closes; the member unit's account (or the region's officer for other departments) claims;
the team leader (or, for a leader without an account, the officer) accepts, returns and
completes; volunteers check themselves in and out (or their leader or the officer does it
for them on the order page); the requester rates or cancels. Escalations are those the
hourly `escalate_overdue` job made while the order waited."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from kepu.core import clock, workdays
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
)
from kepu.volunteering.models import Assignment, ServiceOrder

if TYPE_CHECKING:
    from kepu.volunteering.demo.build import _Demo

S = c.OrderStatus
A = c.OrderAction
LOW_RATING_COMMENT = "讲解时间太短，没有解决问题。"


class _Replay:
    """Place the order (`fields`: the arguments of `services.submit_order` and the
    seeded `number`) at `submitted_at`, then `run(step, at, ...)` its steps."""

    def __init__(self, demo: _Demo, fields: dict, submitted_at: datetime.datetime):
        self.demo = demo
        fields = dict(fields)
        number = fields.pop("number")
        with clock.frozen(submitted_at):
            order, _created = services.submit_order(actor=None, **fields)
        # The number the seeded generator chose (the service draws a random one): the demo
        # stays the same for the same seed and day.
        ServiceOrder.objects.filter(pk=order.pk).update(number=number)
        order.number = number
        order.region = fields["region"]
        self.order = order
        self.last = submitted_at
        self.assignments: list[Assignment] = []

    # --- who takes each step ---------------------------------------------------------------

    def officer(self):
        return self.demo.officer(self.order.region)

    def leader(self):
        team = self.order.team
        if team.leader_id and team.leader.user_id:
            return team.leader.user
        return self.officer()

    def department_actor(self, department):
        member = self.demo.users.get("demo-member")
        if department.name == MEMBER_UNIT and member is not None:
            return member
        return self.officer()

    def volunteer(self, person):
        return person.user if person.user_id else self.leader()

    # --- the steps ---------------------------------------------------------------------------

    def run(self, step, at, **args) -> None:
        """Take `step` at `at` (after the escalations due before it)."""
        assert at >= self.last, f"{self.order.number}: {step} before the previous step"
        self.escalate_until(at)
        with clock.frozen(at):
            getattr(self, f"do_{step}")(**args)
        self.last = at

    def escalate_until(self, until) -> None:
        """What the hourly `escalate_overdue` job did while the order waited."""
        order = self.order
        while order.status in (*c.WAITING_DISPATCH, *c.WAITING_ACCEPT):
            if order.status == S.SUBMITTED:
                due, days = order.dispatch_due, services.dispatch_days()
            else:
                due, days = order.accept_due, services.accept_days()
            if due is None:
                return
            if order.escalated_at is not None:
                due = workdays.deadline(order.escalated_at, days)
            at = due + datetime.timedelta(minutes=self.demo.rng.randint(1, 59))
            current = order.escalated_to or order.region
            if at >= until or current.parent_id is None:
                return
            with clock.frozen(at):
                if not services.escalate(order, now=at):
                    return
            order = self.order = self._fresh()
            self.last = at

    def _fresh(self) -> ServiceOrder:
        fresh = ServiceOrder.objects.select_related("escalated_to").get(pk=self.order.pk)
        fresh.region = self.order.region
        return fresh

    def _did(self, order: ServiceOrder) -> None:
        """Go on with the order the service answered (its region never changes)."""
        order.region = self.order.region
        self.order = order

    def do_dispatch(self, department=None, team=None) -> None:
        self._did(
            services.dispatch(self.order, actor=self.officer(), department=department, team=team)
        )

    def do_claim(self, team) -> None:
        actor = self.department_actor(self.order.department)
        self._did(services.claim(self.order, actor=actor, team=team))

    def do_accept(self, volunteers) -> None:
        self._did(services.accept(self.order, actor=self.leader(), volunteers=volunteers))
        self.assignments = list(self.order.assignments.select_related("person", "person__user"))

    def do_return_department(self, department) -> None:
        reason = self.demo.rng.choice(RETURN_BY_DEPARTMENT)
        actor = self.department_actor(department)
        self._did(services.return_order(self.order, actor=actor, reason=reason))
        self.assignments = []

    def do_return_team(self, team) -> None:
        reason = self.demo.rng.choice(RETURN_BY_TEAM)
        self._did(services.return_order(self.order, actor=self.leader(), reason=reason))
        self.assignments = []

    def do_reject(self) -> None:
        reason = self.demo.rng.choice(REJECT_REASONS)
        self._did(services.reject(self.order, actor=self.officer(), reason=reason))

    def do_cancel(self) -> None:
        reason = self.demo.rng.choice(CANCEL_REASONS)
        self._did(services.cancel_order(self.order, reason=reason))

    def do_check_in(self, assignment) -> None:
        actor = self.volunteer(assignment.person)
        done = services.check_in(assignment, actor=actor, at=clock.now())
        assignment.checked_in_at = done.checked_in_at

    def do_check_out(self, assignment) -> None:
        actor = self.volunteer(assignment.person)
        done = services.check_out(assignment, actor=actor, at=clock.now())
        assignment.checked_out_at, assignment.hour_entry = done.checked_out_at, done.hour_entry

    def do_complete(self) -> None:
        self._did(services.complete(self.order, actor=self.leader()))

    def do_rate(self) -> None:
        rng = self.demo.rng
        rating = rng.choices((5, 4, 3, 2, 1), weights=(62, 25, 9, 3, 1))[0]
        comment = rng.choice(COMMENTS) if rating >= 3 else LOW_RATING_COMMENT
        self._did(services.rate(self.order, rating=rating, comment=comment))

    def do_close(self) -> None:
        note = self.demo.rng.choice(CLOSE_NOTES)
        self._did(services.close(self.order, actor=self.officer(), note=note))
