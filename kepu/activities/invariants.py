"""What the activity services guarantee about the stored rows, stated once (see
`kepu.core.invariants`). The demo (through the services) and the benchmark dataset (bulk
rows) must both satisfy them. Each check is a fixed number of queries and names at most
`LIMIT` rows."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from kepu.activities import choices as c
from kepu.activities.models import Activity, ActivityReport, ActivityTag, ReviewDecision, SignUp
from kepu.core.invariants import invariant
from kepu.core.workflow import four_eyes_on

LIMIT = 20
S = c.ActivityStatus
DECIDED = (S.PUBLISHED, S.RETURNED, S.REJECTED)
DECISION_OF = {
    S.PUBLISHED: c.Decision.APPROVED,
    S.RETURNED: c.Decision.RETURNED,
    S.REJECTED: c.Decision.REJECTED,
}


def _count(status):
    return Coalesce(
        Subquery(
            SignUp.objects.filter(activity=OuterRef("pk"), status=status)
            .order_by()
            .values("activity")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


@invariant("activities")
def counters_equal_their_rows():
    rows = (
        Activity.objects.annotate(confirmed=_count(c.SignUpStatus.CONFIRMED))
        .annotate(waiting=_count(c.SignUpStatus.WAITING))
        .exclude(confirmed_count=F("confirmed"), waiting_count=F("waiting"))
        .values_list("pk", "confirmed_count", "confirmed", "waiting_count", "waiting")
        .order_by("pk")[:LIMIT]
    )
    for pk, confirmed_count, confirmed, waiting_count, waiting in rows:
        yield (
            f"activity {pk} counts {confirmed_count} confirmed and {waiting_count} waiting, "
            f"but has {confirmed} confirmed and {waiting} waiting sign-ups."
        )


@invariant("activities")
def places_and_waiting_list_agree():
    overbooked = Activity.objects.filter(capacity__isnull=False, confirmed_count__gt=F("capacity"))
    for pk in overbooked.values_list("pk", flat=True).order_by("pk")[:LIMIT]:
        yield f"activity {pk} has more confirmed sign-ups than places."
    # A published activity has a waiting list only while it is full (a freed place goes
    # to the first person waiting).
    waiting_with_room = Activity.objects.filter(status=S.PUBLISHED, waiting_count__gt=0).filter(
        Q(capacity__isnull=True) | Q(confirmed_count__lt=F("capacity"))
    )
    for pk in waiting_with_room.values_list("pk", flat=True).order_by("pk")[:LIMIT]:
        yield f"activity {pk} has people waiting although places are free."


@invariant("activities")
def status_matches_its_timestamps():
    problems = {
        "a draft with a submission or a review": Q(status=S.DRAFT)
        & (Q(submitted_at__isnull=False) | Q(reviewed_at__isnull=False)),
        "submitted, reviewed or published without a submission time": Q(
            status__in=(S.SUBMITTED, *DECIDED), submitted_at__isnull=True
        ),
        "decided without a review time": Q(status__in=DECIDED, reviewed_at__isnull=True),
        "decided before its last submission": Q(
            status__in=DECIDED, reviewed_at__lt=F("submitted_at")
        ),
        "submitted again before its last review": Q(
            status=S.SUBMITTED, reviewed_at__isnull=False, submitted_at__lt=F("reviewed_at")
        ),
        "submitted before it was created": Q(submitted_at__lt=F("created_at")),
        "published without a report due date": Q(status=S.PUBLISHED, report_due__isnull=True),
        "with a report due date before it ends": Q(report_due__lt=TruncDate("ends_at")),
        "with a report due date but never approved": Q(
            report_due__isnull=False, status__in=(S.DRAFT, S.SUBMITTED, S.RETURNED, S.REJECTED)
        ),
    }
    for sentence, q in problems.items():
        for pk in Activity.objects.filter(q).values_list("pk", flat=True).order_by("pk")[:LIMIT]:
            yield f"activity {pk} is {sentence}."


@invariant("activities")
def decisions_match_the_status():
    latest = ReviewDecision.objects.filter(activity=OuterRef("pk")).order_by("-decided_at", "-pk")
    rows = (
        Activity.objects.filter(status__in=DECIDED)
        .annotate(last=Subquery(latest.values("decision")[:1]))
        .values_list("pk", "status", "last")
    )
    wrong = Q()
    for status, decision in DECISION_OF.items():
        wrong |= Q(status=status) & (Q(last__isnull=True) | ~Q(last=decision))
    for pk, status, last in rows.filter(wrong).order_by("pk")[:LIMIT]:
        yield f"activity {pk} is {status} but its last review decision is {last or 'missing'}."
    never_submitted = ReviewDecision.objects.filter(activity__submitted_at__isnull=True)
    for pk in never_submitted.values_list("activity", flat=True).order_by("pk")[:LIMIT]:
        yield f"activity {pk} has a review decision but was never submitted."


@invariant("activities")
def nobody_decides_their_own_submission():
    """Four-eyes (kepu.core.workflow): no review decision since the last submission is
    by the officer who submitted it."""
    if not four_eyes_on("activities"):
        return
    own = ReviewDecision.objects.filter(
        activity__submitted_by__isnull=False,
        decided_by=F("activity__submitted_by"),
        decided_at__gte=F("activity__submitted_at"),
    )
    for pk in own.values_list("activity", flat=True).order_by("activity")[:LIMIT]:
        yield f"activity {pk} was decided by the officer who submitted it."


@invariant("activities")
def every_activity_has_a_key_group():
    groups = ActivityTag.objects.filter(activity=OuterRef("pk"), kind=c.TagKind.GROUP)
    rows = Activity.objects.filter(~Exists(groups)).values_list("pk", flat=True)
    for pk in rows.order_by("pk")[:LIMIT]:
        yield f"activity {pk} has no key group."


@invariant("activities")
def reports_follow_the_event():
    reports = ActivityReport.objects.annotate(filed_day=TruncDate("filed_at"))
    problems = {
        "of an activity that was never published": ~Q(
            activity__status__in=(S.PUBLISHED, S.CANCELLED)
        )
        | Q(activity__report_due__isnull=True),
        "filed before the activity ended": Q(filed_at__lt=F("activity__ends_at")),
        "flagged late although filed by the due date": Q(
            is_late=True, filed_day__lte=F("activity__report_due")
        ),
        "not flagged late although filed after the due date": Q(
            is_late=False, filed_day__gt=F("activity__report_due")
        ),
    }
    for sentence, q in problems.items():
        for pk in reports.filter(q).values_list("activity", flat=True).order_by("pk")[:LIMIT]:
            yield f"the report of activity {pk} is {sentence}."


@invariant("activities")
def sign_ups_are_consistent():
    W, CANCELLED = c.SignUpStatus.WAITING, c.SignUpStatus.CANCELLED
    problems = {
        "cancelled without a time, or timed without being cancelled": Q(
            status=CANCELLED, cancelled_at__isnull=True
        )
        | (~Q(status=CANCELLED) & Q(cancelled_at__isnull=False)),
        "checked in without a confirmed place": Q(checked_in_at__isnull=False)
        & ~Q(status=c.SignUpStatus.CONFIRMED),
        "moved up but still waiting": Q(status=W, promoted_at__isnull=False),
        "cancelled or moved up before signing up": Q(cancelled_at__lt=F("created_at"))
        | Q(promoted_at__lt=F("created_at")),
        "for an activity without sign-up": Q(activity__signup_required=False),
    }
    for sentence, q in problems.items():
        rows = SignUp.objects.filter(q).values_list("pk", "activity", flat=False)
        for pk, activity in rows.order_by("pk")[:LIMIT]:
            yield f"sign-up {pk} of activity {activity} is {sentence}."


@invariant("activities")
def facility_stops_do_not_overlap():
    live = Activity.objects.filter(facility__isnull=False, status__in=c.LIVE_STATUSES)
    clash = live.filter(
        facility=OuterRef("facility"),
        starts_at__lt=OuterRef("ends_at"),
        ends_at__gt=OuterRef("starts_at"),
    ).exclude(pk=OuterRef("pk"))
    rows = live.filter(Exists(clash)).values_list("pk", "facility", flat=False)
    for pk, facility in rows.order_by("pk")[:LIMIT]:
        yield f"activity {pk} overlaps another stop of facility {facility}."
