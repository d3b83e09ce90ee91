"""What must hold of the emergency app's stored data (`kepu.core.invariants`). Each check
runs a bounded number of queries whatever the data size and names at most 20 rows."""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum

from kepu.core.invariants import invariant
from kepu.emergency import choices as c
from kepu.emergency.models import (
    Delivery,
    DutyShift,
    GroupMember,
    Incident,
    Push,
    ReachTally,
    Rebuttal,
    RebuttalReview,
)

LIMIT = 20
TALLY_SAMPLE = 20


@invariant("emergency")
def closed_incidents_have_a_closing_time():
    rows = Incident.objects.filter(status=c.IncidentStatus.CLOSED).filter(
        Q(closed_at__isnull=True) | Q(closed_at__lt=F("activated_at"))
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"incident {pk} is closed without a closing time after its activation"
    rows = Incident.objects.filter(status__in=c.OPEN_STATUSES, closed_at__isnull=False)
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"incident {pk} is open but has a closing time"


@invariant("emergency")
def accepted_members_answered():
    rows = GroupMember.objects.filter(
        status__in=(c.MemberStatus.ACCEPTED, c.MemberStatus.DECLINED)
    ).filter(Q(responded_at__isnull=True) | Q(invited_at__isnull=True))
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"group member {pk} accepted or declined without an invitation and an answer"


@invariant("emergency")
def pushes_deliver_what_they_expected():
    rows = Push.objects.filter(
        Q(delivered__gt=F("expected"))
        | Q(status=c.PushStatus.DELIVERED) & ~Q(delivered=F("expected"))
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"push {pk} delivered more than expected, or is delivered with some missing"
    counted = Delivery.objects.filter(push=OuterRef("pk")).order_by().values("push")
    rows = (
        Push.objects.annotate(rows=Subquery(counted.annotate(n=Count("pk")).values("n")[:1]))
        .exclude(delivered=0, rows__isnull=True)
        .exclude(rows=F("delivered"))
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"push {pk} counts a number of deliveries other than its delivery rows"


@invariant("emergency")
def tallies_equal_the_deliveries():
    """On a sample: the newest incidents with tallies (at most TALLY_SAMPLE)."""
    sample = list(
        ReachTally.objects.order_by("-incident_id")
        .values_list("incident_id", flat=True)
        .distinct()[:TALLY_SAMPLE]
    )
    raw = {
        (row["incident_id"], row["region_id"]): (
            row["n"],
            row["acked"],
            row["groups"] or 0,
            row["people"] or 0,
        )
        for row in Delivery.objects.filter(incident_id__in=sample)
        .order_by()
        .values("incident_id", "region_id")
        .annotate(
            n=Count("pk"),
            acked=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            groups=Sum("groups_forwarded"),
            people=Sum("people_reached"),
        )
    }
    kept = {
        (t.incident_id, t.region_id): (
            t.deliveries,
            t.acknowledged,
            t.groups_forwarded,
            t.people_reached,
        )
        for t in ReachTally.objects.filter(incident_id__in=sample)
    }
    wrong = sorted(
        key
        for key in raw.keys() | kept.keys()
        if raw.get(key, (0, 0, 0, 0)) != kept.get(key, (0, 0, 0, 0))
    )
    for incident, region in wrong[:LIMIT]:
        yield (
            f"the reach tally of incident {incident} in region {region} differs from its deliveries"
        )


@invariant("emergency")
def published_rebuttals_were_approved():
    last_round = (
        RebuttalReview.objects.filter(rebuttal=OuterRef("pk"))
        .order_by("-round")
        .values("round")[:1]
    )
    approvals = (
        RebuttalReview.objects.filter(
            rebuttal=OuterRef("pk"), decision=c.ReviewDecision.APPROVED, round=OuterRef("last")
        )
        .order_by()
        .values("rebuttal")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    rows = (
        Rebuttal.objects.filter(
            status__in=(
                c.RebuttalStatus.APPROVED,
                c.RebuttalStatus.PUBLISHED,
                c.RebuttalStatus.WITHDRAWN,
            )
        )
        .annotate(last=Subquery(last_round))
        .annotate(approvals=Subquery(approvals))
        .filter(Q(approvals__isnull=True) | Q(approvals__lt=F("approvals_required")))
    )
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"rebuttal {pk} was approved or published without its experts' approvals"
    rows = Rebuttal.objects.filter(status=c.RebuttalStatus.PUBLISHED, published_at__isnull=True)
    for pk in rows.values_list("pk", flat=True)[:LIMIT]:
        yield f"rebuttal {pk} is published without a publication time"


@invariant("emergency")
def no_expert_on_duty_for_two_groups_at_once():
    overlapping = DutyShift.objects.filter(
        person=OuterRef("person"),
        starts_at__lt=OuterRef("ends_at"),
        ends_at__gt=OuterRef("starts_at"),
    ).exclude(member__incident=OuterRef("member__incident"))
    rows = DutyShift.objects.filter(Exists(overlapping))
    for pk, person in rows.values_list("pk", "person_id")[:LIMIT]:
        yield f"expert {person} is on duty for two groups at the same hour (shift {pk})"
