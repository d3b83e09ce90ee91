"""Activity statistics by region, campaign, key group and topic — all counted in SQL
over the rows the user may see (shared by the statistics page, the campaign dashboard,
the export and the API). The span is a `kepu.core.periods.Period` (a year on the page,
by default; any month, quarter or range works): activities count in the period in which
they start."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from kepu.activities import choices as c
from kepu.activities.models import Activity, ActivityReport, ActivityTag, ReviewDecision
from kepu.core import clock
from kepu.core.choices import KeyGroup, Topic
from kepu.core.periods import Period
from kepu.core.rollups import counts_by_child_region
from kepu.core.scope import visible_to

S = c.ActivityStatus


def scoped(user, *, campaign=None, period: Period | None = None):
    queryset = visible_to(user, Activity, public=False)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if period is not None:
        queryset = queryset.filter(starts_at__gte=period.start, starts_at__lt=period.end)
    return queryset


def _measures(today):
    held = Q(status=S.PUBLISHED, ends_at__lt=clock.now())
    overdue = Q(status=S.PUBLISHED, report_due__lt=today, _has_report=False)
    return {
        "published": Q(status=S.PUBLISHED),
        "held": held,
        "pending": Q(status=S.SUBMITTED),
        "reported": Q(_has_report=True),
        "late": Q(report__is_late=True) | overdue,
    }


def _aggregates():
    return {
        "onsite": Sum("report__onsite_attendance"),
        "online": Sum("report__online_views"),
    }


def _annotated(queryset):
    return queryset.annotate(
        _has_report=Exists(ActivityReport.objects.filter(activity=OuterRef("pk")))
    )


def _rate(approved, decided):
    return round(100 * approved / decided, 1) if decided else None


def by_region(user, focus, *, campaign=None, period: Period | None = None):
    """[(child region, figures)] and the focus total. Figures: published, held, pending,
    reported, late (filed late or overdue), onsite, online, decided, approved, pass_rate."""
    queryset = _annotated(scoped(user, campaign=campaign, period=period))
    today = clock.today()
    rows, direct = counts_by_child_region(
        queryset, focus, measures=_measures(today), aggregates=_aggregates()
    )
    decisions = visible_to(user, ReviewDecision).filter(
        activity__in=scoped(user, campaign=campaign, period=period)
    )
    d_rows, d_direct = counts_by_child_region(
        decisions,
        focus,
        region_lookup="activity__region",
        measures={"approved": Q(decision=c.Decision.APPROVED)},
    )
    decided = {region.pk: f for region, f in d_rows}
    out, total = [], {}
    for region, figures in rows:
        f = {k: v or 0 for k, v in figures.items()}
        d = decided.get(region.pk, {"total": 0, "approved": 0})
        f.update(
            decided=d["total"], approved=d["approved"], pass_rate=_rate(d["approved"], d["total"])
        )
        out.append((region, f))
        for k, v in f.items():
            if k != "pass_rate":
                total[k] = total.get(k, 0) + v
    for k, v in direct.items():
        total[k] = total.get(k, 0) + (v or 0)
    total["decided"] = total.get("decided", 0) + (d_direct.get("total") or 0)
    total["approved"] = total.get("approved", 0) + (d_direct.get("approved") or 0)
    total["pass_rate"] = _rate(total["approved"], total["decided"])
    return out, total


def _inside(queryset, focus):
    from kepu.core.querysets import subtree_bounds

    low, high = subtree_bounds(focus.path)
    return queryset.filter(region__path__gte=low, region__path__lt=high)


def by_tag(user, focus, kind, *, campaign=None, period: Period | None = None):
    """Per key group or topic: activities held and their audience (an activity with two
    groups counts for both)."""
    held = _inside(scoped(user, campaign=campaign, period=period), focus).filter(
        status=S.PUBLISHED, ends_at__lt=clock.now()
    )
    rows = (
        ActivityTag.objects.filter(kind=kind, activity__in=held)
        .values("code")
        .annotate(
            n=Count("activity", distinct=True),
            onsite=Sum("activity__report__onsite_attendance"),
            online=Sum("activity__report__online_views"),
        )
        .order_by("-n")
    )
    labels = dict(KeyGroup.choices if kind == c.TagKind.GROUP else Topic.choices)
    return [
        {
            "code": r["code"],
            "label": labels.get(r["code"], r["code"]),
            "n": r["n"],
            "onsite": r["onsite"] or 0,
            "online": r["online"] or 0,
        }
        for r in rows
    ]


def by_organizer(user, focus, *, campaign=None, period: Period | None = None, limit=20):
    """Review pass rate per organizer (the units with most reviews first)."""
    activities = _inside(scoped(user, campaign=campaign, period=period), focus)
    rows = (
        visible_to(user, ReviewDecision)
        .filter(activity__in=activities)
        .values("activity__organization__name")
        .annotate(decided=Count("pk"), approved=Count("pk", filter=Q(decision=c.Decision.APPROVED)))
        .order_by("-decided", "activity__organization__name")[:limit]
    )
    return [
        {
            "name": r["activity__organization__name"],
            "decided": r["decided"],
            "approved": r["approved"],
            "pass_rate": _rate(r["approved"], r["decided"]),
        }
        for r in rows
    ]


def by_status(user, focus, *, campaign=None, period: Period | None = None):
    rows = (
        _inside(scoped(user, campaign=campaign, period=period), focus)
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {r["status"]: r["n"] for r in rows}
    return [(value, label, counts.get(value, 0)) for value, label in S.choices]


def campaign_counts(queryset):
    """Per campaign: activities published, held, their on-site audience."""
    return (
        queryset.values("campaign")
        .annotate(
            total=Count("pk"),
            published=Count("pk", filter=Q(status=S.PUBLISHED)),
            pending=Count("pk", filter=Q(status=S.SUBMITTED)),
            onsite=Sum("report__onsite_attendance"),
        )
        .order_by()
    )
