"""The states the volunteer service services can produce, stated once (see
`kepu.core.invariants`). Each check runs a fixed number of SQL queries, whatever the size
of the data, and names at most `LIMIT` violating rows, one sentence each.

They hold on the demo (`load_demo`) and on the benchmark dataset (`dataset/`), which
writes its rows in bulk without the services.
"""

from __future__ import annotations

import datetime
import decimal

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum

from kepu.core.invariants import invariant
from kepu.volunteering import choices as c
from kepu.volunteering.models import Assignment, Certificate, HourEntry, OrderEvent, ServiceOrder
from kepu.volunteering.services import TRANSITIONS

S = c.OrderStatus
A = c.OrderAction
H = c.HourStatus
LIMIT = 20
CENT = decimal.Decimal("0.01")  # sums of hours are floats on SQLite: compare to the cent

WAITING = (S.SUBMITTED, S.DISPATCHED, S.AWAITING_TEAM)
TAKEN = (S.ACCEPTED, S.IN_SERVICE, S.SERVED, S.CLOSED)  # accepted by a team, not given back
ENDED = (S.REJECTED, S.CANCELLED)


def _orders(q: Q, sentence: str):
    for number, status in ServiceOrder.objects.filter(q).values_list("number", "status")[:LIMIT]:
        yield f"order {number} ({status}): {sentence}"


@invariant("volunteering")
def order_status_matches_its_holder_and_times():
    """Who holds an order and which step times it has follow from its status."""
    rules = [
        (Q(status=S.SUBMITTED) & (Q(department__isnull=False) | Q(team__isnull=False)),
         "waiting for dispatch but held by a department or team"),
        (Q(status=S.DISPATCHED) & (Q(department__isnull=True) | Q(team__isnull=False)),
         "dispatched to a department without one, or already with a team"),
        (Q(status__in=(S.AWAITING_TEAM, *TAKEN), team__isnull=True),
         "past dispatch without a team"),
        (Q(status__in=(S.DISPATCHED, S.AWAITING_TEAM, *TAKEN), dispatched_at__isnull=True),
         "past dispatch without a dispatch time"),
        (Q(dispatched_at__isnull=False, dispatched_on_time__isnull=True),
         "dispatched without its on-time flag"),
        (Q(status__in=TAKEN) & (Q(accepted_at__isnull=True) | Q(accepted_on_time__isnull=True)),
         "accepted without an acceptance time or on-time flag"),
        (Q(status__in=WAITING, accepted_at__isnull=False),
         "waiting for a team but carries an acceptance time"),
        (Q(status__in=(S.SERVED, S.CLOSED), served_at__isnull=True),
         "served or closed without a service completion time"),
        (Q(status__in=(*ENDED, *WAITING), served_at__isnull=False),
         "never served but carries a completion time"),
        (Q(status__in=(S.CLOSED, *ENDED), closed_at__isnull=True), "ended without a closing time"),
        (Q(status__in=c.OPEN_STATUSES, closed_at__isnull=False), "open but carries a closing time"),
        (Q(rating__isnull=False) & ~Q(status=S.CLOSED), "rated but not closed"),
        (Q(rating__isnull=True) ^ Q(rated_at__isnull=True), "a rating without its time or back"),
        (Q(escalated_to__isnull=True) ^ Q(escalated_at__isnull=True),
         "escalated without its region or time"),
        (Q(status__in=(S.REJECTED,), reason=""), "rejected without a reason"),
    ]  # fmt: skip
    for q, sentence in rules:
        yield from _orders(q, sentence)


@invariant("volunteering")
def order_times_follow_each_other():
    """Deadlines come after the step they follow; steps after the order was placed."""
    rules = [
        (Q(dispatch_due__isnull=True) | Q(dispatch_due__lte=F("submitted_at")),
         "no dispatch deadline after the order was placed"),
        (Q(status__in=(S.DISPATCHED, S.AWAITING_TEAM))
         & (Q(accept_due__isnull=True) | Q(accept_due__lte=F("dispatched_at"))),
         "waiting for acceptance without a deadline after the dispatch"),
        (Q(dispatched_at__lt=F("submitted_at")), "dispatched before it was placed"),
        (Q(accepted_at__lt=F("dispatched_at")), "accepted before its dispatch"),
        (Q(served_at__lt=F("accepted_at")), "served before it was accepted"),
        (Q(closed_at__lt=F("served_at")), "closed before it was served"),
        (Q(closed_at__lt=F("submitted_at")), "closed before it was placed"),
        (Q(rated_at__lt=F("served_at")), "rated before it was served"),
        (Q(escalated_at__lt=F("submitted_at")), "escalated before it was placed"),
    ]  # fmt: skip
    for q, sentence in rules:
        yield from _orders(q, sentence)


@invariant("volunteering")
def timelines_start_with_the_order_and_end_in_its_status():
    """One "ordered" step per order, each step taken from a status that allows it, and the
    last step leads to the order's current status."""
    submitted = OrderEvent.objects.filter(order=OuterRef("pk"), action=A.SUBMIT)
    yield from _orders(~Q(Exists(submitted)), "no \u201cordered\u201d step on its timeline")
    last = OrderEvent.objects.filter(order=OuterRef("pk")).order_by("-at", "-pk")
    late = ServiceOrder.objects.annotate(last_status=Subquery(last.values("to_status")[:1]))
    for number, status, seen in (
        late.exclude(last_status=F("status"))
        .exclude(last_status__isnull=True)
        .values_list("number", "status", "last_status")[:LIMIT]
    ):
        yield f"order {number} ({status}): its last step leads to {seen}"
    wrong = Q()
    for step, (sources, _target) in TRANSITIONS.items():
        wrong |= Q(action=step) & ~Q(from_status__in=sources)
    wrong |= Q(action=A.ESCALATE) & ~Q(from_status__in=(*c.WAITING_DISPATCH, *c.WAITING_ACCEPT))
    for number, action, before in (
        OrderEvent.objects.filter(wrong)
        .order_by("pk")
        .values_list("order__number", "action", "from_status")[:LIMIT]
    ):
        yield f"order {number}: step {action} taken from status {before}"


@invariant("volunteering")
def assignments_follow_acceptance_and_check_in():
    """Volunteers are assigned on acceptance (and dropped when the order is given back);
    a check-out follows a check-in and records an hour entry."""
    assigned = Assignment.objects.filter(order=OuterRef("pk"))
    yield from _orders(Q(status__in=WAITING) & Q(Exists(assigned)), "volunteers before acceptance")
    yield from _orders(Q(status__in=TAKEN) & ~Q(Exists(assigned)), "accepted without volunteers")
    arrived = assigned.filter(checked_in_at__isnull=False)
    yield from _orders(Q(status=S.ACCEPTED) & Q(Exists(arrived)), "checked in but not in service")
    yield from _orders(Q(status=S.IN_SERVICE) & ~Q(Exists(arrived)), "in service, nobody arrived")
    still_in = arrived.filter(checked_out_at__isnull=True)
    yield from _orders(
        Q(status__in=(S.SERVED, S.CLOSED)) & Q(Exists(still_in)),
        "served while a volunteer is still checked in",
    )
    rules = [
        (Q(checked_out_at__isnull=False, checked_in_at__isnull=True), "checked out, never in"),
        (Q(checked_out_at__lte=F("checked_in_at")), "checked out before checking in"),
        (Q(checked_out_at__isnull=True) ^ Q(hour_entry__isnull=True),
         "a check-out without its hour entry, or back"),
        (Q(hour_entry__isnull=False) & ~Q(hour_entry__person=F("person")),
         "an hour entry of somebody else"),
        (Q(hour_entry__isnull=False) & ~Q(hour_entry__started_at=F("checked_in_at")),
         "an hour entry that does not start at the check-in"),
    ]  # fmt: skip
    for q, sentence in rules:
        for number, name in (
            Assignment.objects.filter(q)
            .order_by("pk")
            .values_list("order__number", "person__name")[:LIMIT]
        ):
            yield f"order {number}, volunteer {name}: {sentence}"


@invariant("volunteering")
def hour_entries_are_decided_once_and_never_overlap():
    """An entry is pending until decided (who and when), rejected with a reason, at most
    24 hours long, recorded after the service; check-in hours are confirmed when the order
    is completed; one volunteer's live entries never overlap."""
    rules = [
        (Q(status=H.PENDING) & (Q(decided_at__isnull=False) | Q(decided_by__isnull=False)),
         "pending but carries a decision"),
        (~Q(status=H.PENDING) & Q(decided_at__isnull=True), "decided without a decision time"),
        (Q(status=H.REJECTED, reject_reason=""), "rejected without a reason"),
        (~Q(status=H.REJECTED) & ~Q(reject_reason=""), "a rejection reason but not rejected"),
        (Q(ended_at__gt=F("started_at") + datetime.timedelta(hours=24)), "longer than 24 hours"),
        (Q(created_at__lt=F("ended_at")), "recorded before the service ended"),
        (Q(decided_at__lt=F("created_at")), "decided before it was recorded"),
        (Q(source=c.HourSource.CHECK_IN) & (Q(order__isnull=True) | Q(assignment__isnull=True)),
         "check-in hours without their order and assignment"),
        (Q(source=c.HourSource.CHECK_IN, order__status__in=(S.SERVED, S.CLOSED),
           status=H.PENDING), "check-in hours still pending on a completed order"),
        (Q(source=c.HourSource.CHECK_IN) & ~Q(status=H.PENDING)
         & ~Q(order__status__in=(S.SERVED, S.CLOSED)),
         "check-in hours decided before the order was completed"),
        (Q(order__isnull=False) & ~Q(team=F("order__team")), "not the team of its order"),
    ]  # fmt: skip
    for q, sentence in rules:
        for name, start in (
            HourEntry.objects.filter(q)
            .order_by("pk")
            .values_list("person__name", "started_at")[:LIMIT]
        ):
            yield f"hours of {name} from {start:%Y-%m-%d %H:%M}: {sentence}"
    clash = HourEntry.objects.live().filter(
        person=OuterRef("person"),
        started_at__lt=OuterRef("ended_at"),
        ended_at__gt=OuterRef("started_at"),
    )
    overlapping = (
        HourEntry.objects.live()
        .filter(Exists(clash.exclude(pk=OuterRef("pk"))))
        .order_by("pk")
        .values_list("person__name", "started_at")[:LIMIT]
    )
    for name, start in overlapping:
        yield f"hours of {name} from {start:%Y-%m-%d %H:%M}: overlap another live entry"


@invariant("volunteering")
def certificates_count_approved_hours():
    """A certificate covers a period with approved hours, never more than the ledger holds
    for that person, team and period; a revoked one says why."""
    rules = [
        (Q(period_end__lt=F("period_start")), "its period ends before it starts"),
        (Q(total_hours__lte=0) | Q(entries__lte=0), "certifies no hours"),
        (Q(revoked_at__isnull=True) ^ Q(revoke_reason=""), "revoked without a reason, or back"),
    ]
    for q, sentence in rules:
        for number in Certificate.objects.filter(q).values_list("number", flat=True)[:LIMIT]:
            yield f"certificate {number}: {sentence}"
    # Approved hours are never un-approved: the ledger holds at least what was certified
    # (compared by day; an entry counts on the local day it starts).
    ledger = (
        HourEntry.objects.approved()
        .filter(
            person=OuterRef("person"),
            team=OuterRef("team"),
            started_at__date__gte=OuterRef("period_start"),
            started_at__date__lte=OuterRef("period_end"),
        )
        .order_by()
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    short = (
        Certificate.objects.annotate(ledger=Subquery(ledger[:1]))
        .filter(Q(ledger__isnull=True) | Q(total_hours__gt=F("ledger") + CENT / 2))
        .values_list("number", flat=True)[:LIMIT]
    )
    for number in short:
        yield f"certificate {number}: certifies more hours than the ledger holds"
