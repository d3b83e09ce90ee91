"""Activity statistics by region, campaign, key group and topic — all counted in SQL
over the rows the user may see (shared by the statistics page, the campaign dashboard,
the export and the API). The span is a `kepu.core.periods.Period` (a year on the page,
by default; any month, quarter or range works): activities count in the period in which
they start.

Over a region of the user's own scope (the statistics page and its export) the figures
come from the counters of `kepu.activities.rollups` (a few hundred rows whatever the
size of the province) plus this month's raw rows for what the clock decides (held,
overdue); a campaign's dashboard, whose activities are few, counts its rows directly."""

import time

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum

from kepu.activities import choices as c
from kepu.activities import rollups as counters
from kepu.activities import stats_counters as counted
from kepu.activities.models import Activity, ActivityReport, ActivityTag, ReviewDecision
from kepu.activities.stats_counters import rate as _rate
from kepu.core import clock
from kepu.core.choices import ROLE_SCOPE, KeyGroup, ScopeKind, Topic
from kepu.core.periods import Period
from kepu.core.publiccache import versions
from kepu.core.rollups import counts_by_child_region
from kepu.core.scope import granting_assignments, visible_to

S = c.ActivityStatus
STATS_SECONDS = 60


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


def overview(user, focus, *, campaign=None, period: Period | None = None) -> dict:
    """Everything the statistics page and the campaign dashboard show: rows and total by
    region, key groups, topics, organizers, statuses. From the counters it is the same for
    every officer who sees the focus region's subtree, so it is kept in the shared cache
    for a minute at most (what the clock decides, held and overdue, moves on) and made
    again as soon as a counted fact changes (the services bump its tag)."""
    if focus is None:
        empty = {"rows": [], "total": {}, "groups": [], "topics": [], "organizers": []}
        return {**empty, "statuses": []}
    span = {"campaign": campaign, "period": period}

    def make():
        rows, total = by_region(user, focus, **span)
        tags = by_tags(user, focus, **span)
        return {
            "rows": rows,
            "total": total,
            "groups": tags[c.TagKind.GROUP],
            "topics": tags[c.TagKind.TOPIC],
            "organizers": by_organizer(user, focus, **span),
            "statuses": by_status(user, focus, **span),
        }

    if not _from_counters(user, focus, campaign):
        return make()
    return _cached(f"activities:stats:{focus.pk}:{period.slug if period else ''}", make)


def _cached(key: str, make):
    """`make()` from the shared cache while no counted fact changed (the services bump
    STATS_TAG) and for STATS_SECONDS at most (the clock moves what is held or overdue)."""
    current = versions((counters.STATS_TAG,))
    entry = cache.get(key)
    if entry is not None and entry[0] == current and time.time() - entry[1] < STATS_SECONDS:
        return entry[2]
    value = make()
    cache.set(key, (current, time.time(), value), STATS_SECONDS)
    return value


def status_counts(user) -> dict[str, int] | None:
    """{status: n} of the activities in the user's back-office scope, from the counters,
    or None when the scope is not whole regions (member units: the list shows no counts)."""
    roots = []
    for a in granting_assignments(user, Activity, "view"):
        if ROLE_SCOPE[a.role] != ScopeKind.REGION or not a.region_id:
            return None
        roots.append(a.region)
    roots = [r for r in roots if not any(o.path != r.path and r.is_within(o) for o in roots)]
    total: dict[str, int] = {}
    for root in {r.path: r for r in roots}.values():
        counts = _cached(
            f"activities:statuses:{root.pk}", lambda r=root: counted.by_status(r, None)
        )
        for status, n in counts.items():
            total[status] = total.get(status, 0) + n
    return total if roots else None


def _from_counters(user, focus, campaign) -> bool:
    """The counters hold every activity of the focus region's subtree: they answer when
    the user sees that whole subtree (an officer whose region contains it)."""
    if campaign is not None or focus is None:
        return False
    return any(
        ROLE_SCOPE[a.role] == ScopeKind.REGION and a.region_id and focus.is_within(a.region)
        for a in granting_assignments(user, Activity, "view")
    )


def by_region(user, focus, *, campaign=None, period: Period | None = None):
    """[(child region, figures)] and the focus total. Figures: published, held, pending,
    reported, late (filed late or overdue), onsite, online, decided, approved, pass_rate."""
    if _from_counters(user, focus, campaign):
        return counted.by_region(focus, period)
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
    if _from_counters(user, focus, campaign):
        return counted.by_tags(focus, period)[kind]
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


def by_tags(user, focus, *, campaign=None, period: Period | None = None) -> dict:
    """{kind: by_tag(kind)} for key groups and topics."""
    if _from_counters(user, focus, campaign):
        return counted.by_tags(focus, period)
    return {
        kind: by_tag(user, focus, kind, campaign=campaign, period=period)
        for kind in c.TagKind.values
    }


def by_organizer(user, focus, *, campaign=None, period: Period | None = None, limit=20):
    """Review pass rate per organizer (the units with most reviews first)."""
    if _from_counters(user, focus, campaign):
        return counted.by_organizer(focus, period, limit=limit)
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
    if _from_counters(user, focus, campaign):
        counts = counted.by_status(focus, period)
        return [(value, label, counts.get(value, 0)) for value, label in S.choices]
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
