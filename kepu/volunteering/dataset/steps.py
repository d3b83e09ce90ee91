"""The order steps of the dataset generator, written as `services` writes them."""

from __future__ import annotations

import datetime
import decimal
from operator import itemgetter

from kepu.volunteering.dataset.common import (
    APPROVED,
    CHECK_IN,
    CHECK_OUT,
    IN_SERVICE,
    LOW_COMMENTS,
    MICROSECOND,
    PENDING,
    SOURCE_CHECK_IN,
    WAITING,
    A,
    S,
    _Team,
)
from kepu.volunteering.demo.data import (
    CANCEL_REASONS,
    CLOSE_NOTES,
    COMMENTS,
    REJECT_REASONS,
    RETURN_BY_DEPARTMENT,
    RETURN_BY_TEAM,
)


class _Steps:
    """Mixin of `_Generator`: one order's timeline steps, as `services` applies them."""

    def event(self, action, at, before, actor, label, note="") -> None:
        o = self.order
        self.event_rows.append(
            {
                "id": self.event_id,
                "order_id": o["id"],
                "action": action,
                "from_status": before,
                "to_status": o["status"],
                "actor_id": actor,
                "actor_label": label,
                "note": note[:500],
                "at": at,
            }
        )
        self.event_id += 1
        self.last = at

    def escalate_until(self, until) -> None:
        """What the hourly `escalate_overdue` job did while the order waited."""
        o = self.order
        while o["status"] in WAITING:
            if o["status"] == S.SUBMITTED:
                due, days = o["dispatch_due"], self.dispatch_days
            else:
                due, days = o["accept_due"], self.accept_days
            if due is None:
                return
            if o["escalated_at"] is not None:
                due = self.deadline(o["escalated_at"], days)
            # The hourly job's first run after the deadline (and after the last step).
            at = max(due + MICROSECOND, self.last) + self.minutes[self.integer(1, 59)]
            current = self.escalated_region or o["region"]
            parent = self.by_id.get(current.parent_id)
            if at >= until or parent is None:
                return
            self.escalated_region = parent
            o["escalated_to_id"], o["escalated_at"] = parent.id, at
            note = self.labels["escalated"] % {"region": parent.name}
            self.event(A.ESCALATE, at, o["status"], None, self.labels["system"], note)

    def dispatch(self, at, target) -> None:
        o = self.order
        before = o["status"]
        if isinstance(target, _Team):
            o["department_id"], o["team_id"], o["status"] = None, target.id, S.AWAITING_TEAM
            name = target.name
        else:
            o["department_id"], o["team_id"], o["status"] = target[0], None, S.DISPATCHED
            name = target[1]
        self.department = None if isinstance(target, _Team) else target
        o["dispatched_at"] = at
        o["dispatched_on_time"] = o["dispatch_due"] is None or at <= o["dispatch_due"]
        o["accept_due"] = self.deadline(at, self.accept_days)
        o["escalated_to_id"] = o["escalated_at"] = self.escalated_region = None
        o["reason"] = ""
        note = self.labels["to"] % {"target": name}
        self.event(A.DISPATCH, at, before, *self.officer_actor, note)

    def department_actor(self) -> tuple:
        department = self.department
        if department[1] == "四川省教育厅" and self.member_user is not None:
            return self.member_user
        return None, department[1]

    def claim(self, at, team) -> None:
        o = self.order
        before = o["status"]
        o["team_id"], o["status"], o["claimed_at"] = team.id, S.AWAITING_TEAM, at
        note = self.labels["to"] % {"target": team.name}
        self.event(A.CLAIM, at, before, *self.department_actor(), note)

    def give_back(self, at) -> None:
        """return_order: the department to the dispatcher, the team to the department (or
        to the dispatcher when it came straight)."""
        o = self.order
        before = o["status"]
        if before == S.DISPATCHED:
            actor = self.department_actor()
            reason = self.pick(RETURN_BY_DEPARTMENT)
        else:
            actor = (None, self.team_by_pk[o["team_id"]].leader_label)
            reason = self.pick(RETURN_BY_TEAM)
        if before == S.DISPATCHED or not o["department_id"]:
            o["status"] = S.SUBMITTED
            o["department_id"] = o["team_id"] = None
            o["dispatch_due"] = self.deadline(at, self.dispatch_days)
            o["accept_due"] = None
        else:
            o["status"], o["team_id"] = S.DISPATCHED, None
        o["accepted_at"] = o["accepted_on_time"] = None
        o["reason"] = reason
        self.event(A.RETURN, at, before, *actor, reason)

    def accept(self, at, team, volunteers) -> list:
        o = self.order
        before = o["status"]
        o["status"], o["accepted_at"] = S.ACCEPTED, at
        o["accepted_on_time"] = o["accept_due"] is None or at <= o["accept_due"]
        o["escalated_to_id"] = o["escalated_at"] = self.escalated_region = None
        rows = []
        for person in volunteers:
            rows.append(
                {
                    "id": self.assignment_id,
                    "order_id": o["id"],
                    "person_id": person,
                    "assigned_at": at,
                    "checked_in_at": None,
                    "checked_out_at": None,
                    "hour_entry_id": None,
                }
            )
            self.assignment_id += 1
        self.assignment_rows += rows
        note = "、".join(self.names[p] for p in volunteers)
        self.event(A.ACCEPT, at, before, None, team.leader_label, note)
        return rows

    def end(self, action, at) -> None:
        """A rejection by the officer or a cancellation by the requester."""
        o = self.order
        before = o["status"]
        if action == A.REJECT:
            o["status"], o["reason"] = S.REJECTED, self.pick(REJECT_REASONS)
            actor = self.officer_actor
        else:
            o["status"], o["reason"] = S.CANCELLED, self.pick(CANCEL_REASONS)
            actor = (None, self.labels["requester"])
        o["closed_at"] = at
        self.event(action, at, before, *actor, o["reason"])

    def serve(self, target, team, assignments, officer_close) -> None:
        """Check-ins and check-outs in the window (each check-out a pending hour entry),
        completion (which approves them), then the rating or the officer's closing."""
        rng = self.rng
        o = self.order
        rand = rng.random
        start = o["window_start"]
        length = int((o["window_end"] - start).total_seconds()) // 60
        minutes, integer, names, event = self.minutes, self.integer, self.names, self.event
        visits = []
        for i, assignment in enumerate(assignments):
            if i and rand() < 0.08:
                continue  # did not come
            arrive = integer(-25, 10)
            leave = arrive + integer(40, 80) if rand() < 0.1 else length + integer(-20, 25)
            visits.append((arrive, leave, assignment, names[assignment["person_id"]]))
        visits.sort(key=itemgetter(0))
        for arrive, _leave, assignment, name in visits:
            at = start + minutes[arrive] if arrive >= 0 else start - minutes[-arrive]
            assignment["checked_in_at"] = at
            before = o["status"]
            o["status"] = IN_SERVICE
            event(CHECK_IN, at, before, None, name, name)
        if target == S.IN_SERVICE:  # not completed yet: the hours wait for it
            status, served = PENDING, None
        else:
            last = start + minutes[max(v[1] for v in visits)]
            served = last + datetime.timedelta(hours=self.between(0.2, 20))
            if served >= self.now:
                served = self.now - datetime.timedelta(hours=self.between(0.1, 0.5))
            status = APPROVED
        visits.sort(key=itemgetter(1))
        category, team_id, order_id, region_id = (
            self.category_labels[o["category"]],
            team.id,
            o["id"],
            o["region_id"],
        )
        template, table, rows = self.labels["checked_out"], self.hours, self.entry_rows
        total = decimal.Decimal("0")
        for arrive, leave, assignment, name in visits:
            at = start + minutes[leave]
            hours = table[leave - arrive]
            total += hours
            pk = self.entry_id
            self.entry_id += 1
            rows.append(
                {
                    "id": pk,
                    "person_id": assignment["person_id"],
                    "team_id": team_id,
                    "order_id": order_id,
                    "region_id": region_id,
                    "started_at": assignment["checked_in_at"],
                    "ended_at": at,
                    "hours": hours,
                    "source": SOURCE_CHECK_IN,
                    "status": status,
                    "description": category,
                    "created_by_id": None,
                    "created_at": at,
                    "decided_by_id": None,
                    "decided_at": served,
                    "reject_reason": "",
                }
            )
            assignment["checked_out_at"] = at
            assignment["hour_entry_id"] = pk
            event(CHECK_OUT, at, IN_SERVICE, None, name, template % {"name": name, "hours": hours})
        if served is None:
            return
        before = o["status"]
        o["status"], o["served_at"] = S.SERVED, served
        note = self.labels["confirmed"] % {"hours": total}
        event(A.COMPLETE, served, before, None, team.leader_label, note)
        if target == S.SERVED:
            return
        before = o["status"]
        if officer_close:
            closed = served + datetime.timedelta(hours=self.between(24 * 7, 24 * 20))
            o["status"], o["closed_at"] = S.CLOSED, closed
            self.event(A.CLOSE, closed, before, *self.officer_actor, self.pick(CLOSE_NOTES))
        else:
            rated = served + datetime.timedelta(hours=self.between(1, 24 * 5))
            rating = self.weighted((5, 4, 3, 2, 1), (62, 87, 96, 99, 100))
            comment = self.pick(COMMENTS) if rating >= 3 else self.pick(LOW_COMMENTS)
            o["rating"], o["rating_comment"], o["rated_at"] = rating, comment, rated
            o["status"], o["closed_at"] = S.CLOSED, rated
            note = "★" * rating + (f" {comment}" if comment else "")
            self.event(A.RATE, rated, before, None, self.labels["requester"], note)
