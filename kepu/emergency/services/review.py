"""The figures of an incident's review report (复盘报告): timeline, response times, experts
engaged, reach, rumours and rebuttals, lessons. Everything is aggregated in the database
with a fixed number of queries whatever the incident's size (about a dozen); the only rows
read are the incident's pushes, its reach tallies by region and a capped list of its
published rebuttals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    Sum,
)
from django.utils.translation import gettext as _

from kepu.emergency import choices as c
from kepu.emergency.models import (
    Delivery,
    DutyShift,
    GroupMember,
    Incident,
    Push,
    ReachTally,
    Rebuttal,
    Rumor,
)
from kepu.emergency.services.pushes import county_reach

# The activation speed seen in practice (domain-wave2 §4): about 70 pieces of content
# within about 15 hours of a major earthquake. The report states where this incident
# stands beside it, without judging.
REFERENCE_ITEMS = 70
REFERENCE_HOURS = 15
# Rebuttals listed one by one (and in the timeline); the figures count them all.
LISTED_REBUTTALS = 50
TIMELINE_REBUTTALS = 20


def duration_text(seconds) -> str:
    """ "3 h 05 min", "2 d 4 h", "45 min" — or "—" when unknown."""
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def median_seconds(published) -> int | None:
    """The (lower) median time to publish of the rebuttals in `published`: the middle row
    by time-to-publish (a count and one indexed read), None when none is timed. The one
    definition for the incident's rumour tab and its review report."""
    timed = published.filter(seconds_to_publish__isnull=False)
    n = timed.count()
    if not n:
        return None
    return timed.order_by("seconds_to_publish", "pk").values_list("seconds_to_publish", flat=True)[
        (n - 1) // 2
    ]


@dataclass
class Event:
    at: datetime.datetime
    label: str
    detail: str = ""


@dataclass
class Review:
    incident: Incident
    timeline: list = field(default_factory=list)
    response: dict = field(default_factory=dict)
    experts: dict = field(default_factory=dict)
    reach: dict = field(default_factory=dict)
    regions: list = field(default_factory=list)
    pushes: list = field(default_factory=list)
    rumors: dict = field(default_factory=dict)
    rumor_statuses: list = field(default_factory=list)
    rebuttals: dict = field(default_factory=dict)
    rebuttal_rows: list = field(default_factory=list)
    comparison: str = ""


def _since(start, moment):
    if start is None or moment is None:
        return None
    return (moment - start).total_seconds()


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def incident_review(incident: Incident) -> Review:
    """The review report's figures for `incident` (see the module docstring)."""
    review = Review(incident=incident)
    start = incident.activated_at

    members = GroupMember.objects.filter(incident=incident).aggregate(
        proposed=Count("pk"),
        group_proposed=Min("proposed_at"),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        first_invited=Min("invited_at"),
        accepted=Count("pk", filter=Q(status=c.MemberStatus.ACCEPTED)),
        first_accepted=Min("responded_at", filter=Q(status=c.MemberStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=c.MemberStatus.DECLINED)),
        replacements=Count("pk", filter=Q(replaces__isnull=False)),
    )
    duty = DutyShift.objects.filter(member__incident=incident).aggregate(
        shifts=Count("pk"),
        total=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())),
    )
    duty_hours = round(duty["total"].total_seconds() / 3600, 1) if duty["total"] else 0
    review.experts = {**members, "shifts": duty["shifts"], "duty_hours": duty_hours}

    pushes = list(
        Push.objects.filter(incident=incident)
        .order_by("created_at", "pk")
        .values("pk", "title", "status", "created_at", "delivered_at", "expected", "delivered")
    )
    review.pushes = pushes
    first_ack = Delivery.objects.filter(incident=incident).aggregate(first=Min("acknowledged_at"))[
        "first"
    ]
    totals = ReachTally.objects.filter(incident=incident).aggregate(
        deliveries=Sum("deliveries"),
        acknowledged=Sum("acknowledged"),
        groups_forwarded=Sum("groups_forwarded"),
        people_reached=Sum("people_reached"),
    )
    totals = {key: value or 0 for key, value in totals.items()}
    totals["share"] = _share(totals["acknowledged"], totals["deliveries"])
    totals["pushes"] = len(pushes)
    review.reach = totals
    # By county (a township's recipients count for its county), most people reached first.
    review.regions = sorted(
        (
            {
                "region__name": row["region"].name,
                "region__code": row["region"].code,
                **{k: v for k, v in row.items() if k != "region"},
                "share": _share(row["acknowledged"], row["deliveries"]),
            }
            for row in county_reach(incident)
        ),
        key=lambda r: (-r["people_reached"], r["region__code"]),
    )

    rumors = Rumor.objects.filter(incident=incident)
    review.rumors = rumors.aggregate(
        leads=Count("pk"), reports=Sum("report_count"), first=Min("reported_at")
    )
    review.rumors["reports"] = review.rumors["reports"] or 0
    labels = dict(c.RumorStatus.choices)
    counts = dict(rumors.order_by().values_list("status").annotate(n=Count("pk")))
    review.rumor_statuses = [
        {"status": value, "label": labels[value], "count": counts.get(value, 0)}
        for value in c.RumorStatus.values
    ]

    published = Rebuttal.objects.filter(incident=incident, status=c.RebuttalStatus.PUBLISHED)
    within = datetime.timedelta(hours=REFERENCE_HOURS)
    stats = published.aggregate(
        count=Count("pk"),
        first=Min("published_at"),
        slowest=Max("seconds_to_publish"),
        within_reference=Count("pk", filter=Q(published_at__lt=start + within)),
    )
    median = median_seconds(published)
    stats.update(median=median, median_text=duration_text(median))
    stats["slowest_text"] = duration_text(stats["slowest"])
    review.rebuttals = stats
    review.rebuttal_rows = [
        {**row, "speed": duration_text(row["seconds_to_publish"])}
        for row in published.order_by("published_at", "pk").values(
            "pk", "title", "published_at", "seconds_to_publish"
        )[:LISTED_REBUTTALS]
    ]

    review.response = {
        "to_acceptance": _since(start, members["first_accepted"]),
        "to_push": _since(start, pushes[0]["created_at"] if pushes else None),
        "to_rebuttal": _since(start, stats["first"]),
    }
    review.response.update(
        {f"{key}_text": duration_text(value) for key, value in list(review.response.items())}
    )
    review.comparison = _comparison(stats["within_reference"], incident)
    review.timeline = _timeline(incident, members, pushes, first_ack, review)
    return review


def _comparison(items: int, incident: Incident) -> str:
    reference = _(
        "For reference, about %(items)d pieces of content were published within about "
        "%(hours)d hours of a major earthquake."
    ) % {"items": REFERENCE_ITEMS, "hours": REFERENCE_HOURS}
    own = _("This incident: %(n)d rebuttals published within %(hours)d hours of activation.") % {
        "n": items,
        "hours": REFERENCE_HOURS,
    }
    return f"{own} {reference}"


def _timeline(incident, members, pushes, first_ack, review) -> list[Event]:
    events = [Event(incident.activated_at, _("Response activated"))]
    optional = [
        (members["group_proposed"], _("Expert group proposed"), ""),
        (members["first_invited"], _("First expert invited"), ""),
        (members["first_accepted"], _("First expert accepted"), ""),
        (pushes[0]["created_at"] if pushes else None, _("First push sent"), ""),
        (first_ack, _("First acknowledgement from the last mile"), ""),
        (review.rumors["first"], _("First rumour lead"), ""),
        (incident.closed_at, _("Response closed"), ""),
    ]
    for push in pushes:
        if push["delivered_at"]:
            optional.append((push["delivered_at"], _("Push delivered"), push["title"]))
    for row in review.rebuttal_rows[:TIMELINE_REBUTTALS]:
        optional.append((row["published_at"], _("Rebuttal published"), row["title"]))
    events += [Event(at, label, detail) for at, label, detail in optional if at is not None]
    events.sort(key=lambda e: e.at)
    return events
