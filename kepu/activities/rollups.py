"""The counters of activities, their reports, reviews and sign-ups (`kepu.core.rollups`),
kept by `kepu.activities.services` in the transaction of each change and read by the
activity statistics (`kepu.activities.stats`) and the list's status counts.

Every metric is attached to the activity's region and to the month in which the activity
starts (the statistics count an activity in the period in which it starts), except the
sign-ups (the month of the sign-up). "Held" and "overdue" depend on the clock, so the
keys that need it carry a month: the month in which a published activity ends, the month
in which its report is due; the statistics count the months before this one from the
counters and read only this month's rows raw.
"""

from __future__ import annotations

from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Concat, TruncMonth

from kepu.activities import choices as c
from kepu.core import publiccache, rollups

ACTIVITIES = "activities.activities"  # key: status; "published:<end month>"
REPORTS = "activities.reports"  # keys: filed, late (counts), onsite, online (sums)
UNREPORTED = "activities.unreported"  # published without report; key: <due month>
DECISIONS = "activities.decisions"  # key: decision
ORGANIZER_DECISIONS = "activities.organizer_decisions"  # key: <organization id>:<decision>
TAGS = "activities.tags"  # published, per tag; key: <kind>:<code>:<end month>
TAG_AUDIENCE = "activities.tag_audience"  # published with report; <kind>:<code>:onsite|online
SIGNUPS = "activities.signups"  # month of the sign-up; key: status

# The shared-cache tag of the statistics computed from these counters.
STATS_TAG = "activities-stats"
PUBLISHED = c.ActivityStatus.PUBLISHED
AUDIENCE = ("onsite", "online")


def month_key(when) -> str:
    """ "2026-05": the local month of a datetime or date (the suffix of month keys)."""
    return rollups.month_of(when).strftime("%Y-%m")


def status_key(activity) -> str:
    if activity.status == PUBLISHED:
        return f"{PUBLISHED}:{month_key(activity.ends_at)}"
    return activity.status


def status_of(key: str) -> str:
    return key.split(":", 1)[0]


def tag_keys(activity) -> list[str]:
    return [f"{t.kind}:{t.code}" for t in activity.tags.all()]


# --- the changes the services make -------------------------------------------------------


def apply(changes) -> None:
    """Add the changes to the counters (in the caller's transaction) and mark the
    statistics computed from them stale (after the commit)."""
    rollups.add_many(changes)
    publiccache.bump(STATS_TAG)


def published_changes(activity, sign: int, *, report=None) -> list[tuple]:
    """The counters that a published activity holds besides its status (±1): its tags,
    and either its report's audience per tag or its place among the unreported."""
    region, when = activity.region_id, activity.starts_at
    end = month_key(activity.ends_at)
    tags = tag_keys(activity)
    changes = [(TAGS, region, when, f"{t}:{end}", sign) for t in tags]
    if report is None:
        if activity.report_due is not None:
            changes.append((UNREPORTED, region, when, month_key(activity.report_due), sign))
    else:
        for t in tags:
            changes.append(
                (TAG_AUDIENCE, region, when, f"{t}:onsite", sign * report.onsite_attendance)
            )
            changes.append((TAG_AUDIENCE, region, when, f"{t}:online", sign * report.online_views))
    return changes


def status_changes(activity, old_key: str | None, *, report=None) -> list[tuple]:
    """The activity moved from `old_key` (None: it is new) to its current status."""
    region, when = activity.region_id, activity.starts_at
    new_key = status_key(activity)
    changes = [(ACTIVITIES, region, when, new_key, 1)]
    if old_key is not None:
        changes.append((ACTIVITIES, region, when, old_key, -1))
        if status_of(old_key) == PUBLISHED:
            changes += published_changes(activity, -1, report=report)
    if activity.status == PUBLISHED and status_of(old_key or "") != PUBLISHED:
        changes += published_changes(activity, 1, report=report)
    return changes


def report_changes(activity, report) -> list[tuple]:
    region, when = activity.region_id, activity.starts_at
    changes = [
        (REPORTS, region, when, "filed", 1),
        (REPORTS, region, when, "late", 1 if report.is_late else 0),
        (REPORTS, region, when, "onsite", report.onsite_attendance),
        (REPORTS, region, when, "online", report.online_views),
    ]
    if activity.status == PUBLISHED:
        changes += published_changes(activity, -1)  # no longer unreported …
        changes += published_changes(activity, 1, report=report)  # … its audience instead
    return changes


def decision_changes(activity, decision: str) -> list[tuple]:
    region, when = activity.region_id, activity.starts_at
    return [
        (DECISIONS, region, when, decision, 1),
        (ORGANIZER_DECISIONS, region, when, f"{activity.organization_id}:{decision}", 1),
    ]


def signup_changes(activity, signup, old_status: str | None) -> list[tuple]:
    changes = [(SIGNUPS, activity.region_id, signup.created_at, signup.status, 1)]
    if old_status is not None:
        changes.append((SIGNUPS, activity.region_id, signup.created_at, old_status, -1))
    return changes


# --- the raw definitions ---------------------------------------------------------------


def _activities():
    from kepu.activities.models import Activity

    rows = (
        Activity.objects.annotate(_m=TruncMonth("starts_at"), _e=TruncMonth("ends_at"))
        .values("region_id", "_m", "status", "_e")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        key = f"{PUBLISHED}:{month_key(r['_e'])}" if r["status"] == PUBLISHED else r["status"]
        yield {"region_id": r["region_id"], "month": r["_m"], "key": key, "value": r["n"]}


def _reports():
    from kepu.activities.models import ActivityReport

    rows = (
        ActivityReport.objects.annotate(_m=TruncMonth("activity__starts_at"))
        .values("activity__region_id", "_m")
        .annotate(
            filed=Count("pk"),
            late=Count("pk", filter=Q(is_late=True)),
            onsite=Sum("onsite_attendance"),
            online=Sum("online_views"),
        )
        .order_by()
    )
    for r in rows:
        for key in ("filed", "late", "onsite", "online"):
            yield {
                "region_id": r["activity__region_id"],
                "month": r["_m"],
                "key": key,
                "value": r[key],
            }


def _published():
    from kepu.activities.models import Activity

    return Activity.objects.filter(status=PUBLISHED)


def _unreported():
    rows = (
        _published()
        .filter(report__isnull=True, report_due__isnull=False)
        .annotate(_m=TruncMonth("starts_at"), _d=TruncMonth("report_due"))
        .values("region_id", "_m", "_d")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        yield {
            "region_id": r["region_id"],
            "month": r["_m"],
            "key": month_key(r["_d"]),
            "value": r["n"],
        }


def _decisions():
    from kepu.activities.models import ReviewDecision

    return rollups.monthly(
        ReviewDecision.objects,
        region="activity__region_id",
        when="activity__starts_at",
        key="decision",
    )


def _organizer_decisions():
    from kepu.activities.models import ReviewDecision

    keyed = ReviewDecision.objects.annotate(
        _key=Concat("activity__organization_id", Value(":"), "decision", output_field=CharField())
    )
    return rollups.monthly(
        keyed, region="activity__region_id", when="activity__starts_at", key="_key"
    )


def _tags():
    from kepu.activities.models import ActivityTag

    rows = (
        ActivityTag.objects.filter(activity__status=PUBLISHED)
        .annotate(_m=TruncMonth("activity__starts_at"), _e=TruncMonth("activity__ends_at"))
        .values("activity__region_id", "_m", "_e", "kind", "code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        key = f"{r['kind']}:{r['code']}:{month_key(r['_e'])}"
        yield {"region_id": r["activity__region_id"], "month": r["_m"], "key": key, "value": r["n"]}


def _tag_audience():
    from kepu.activities.models import ActivityTag

    rows = (
        ActivityTag.objects.filter(activity__status=PUBLISHED, activity__report__isnull=False)
        .annotate(_m=TruncMonth("activity__starts_at"))
        .values("activity__region_id", "_m", "kind", "code")
        .annotate(
            onsite=Sum("activity__report__onsite_attendance"),
            online=Sum("activity__report__online_views"),
        )
        .order_by()
    )
    for r in rows:
        for part in AUDIENCE:
            yield {
                "region_id": r["activity__region_id"],
                "month": r["_m"],
                "key": f"{r['kind']}:{r['code']}:{part}",
                "value": r[part],
            }


def _signups():
    from kepu.activities.models import SignUp

    return rollups.monthly(
        SignUp.objects, region="activity__region_id", when="created_at", key="status"
    )


rollups.register(ACTIVITIES, _activities, "Activities by starting month and status")
rollups.register(REPORTS, _reports, "After-event reports and their audience")
rollups.register(UNREPORTED, _unreported, "Published activities without report, by due month")
rollups.register(DECISIONS, _decisions, "Review decisions")
rollups.register(ORGANIZER_DECISIONS, _organizer_decisions, "Review decisions per organizer")
rollups.register(TAGS, _tags, "Published activities per key group and topic, by end month")
rollups.register(TAG_AUDIENCE, _tag_audience, "Reported audience per key group and topic")
rollups.register(SIGNUPS, _signups, "Sign-ups by month and status")

METRICS = (
    ACTIVITIES,
    REPORTS,
    UNREPORTED,
    DECISIONS,
    ORGANIZER_DECISIONS,
    TAGS,
    TAG_AUDIENCE,
    SIGNUPS,
)
