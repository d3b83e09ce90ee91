"""The activity statistics of a region's whole subtree, read from the counters of
`kepu.activities.rollups` (see `kepu.activities.stats` for when they answer).

What the clock decides is exact: an activity is held once it has ended, a report overdue
once its due date has passed. The counters carry the month in which each published
activity ends and each report is due, so every earlier month is counted from them and
only this month's rows are read raw (two small index ranges)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from kepu.activities import choices as c
from kepu.activities import rollups as r
from kepu.activities.models import Activity, ActivityReport, ActivityTag
from kepu.core import clock, rollups
from kepu.core.choices import KeyGroup, Topic
from kepu.core.models import Organization, Region
from kepu.core.periods import Period
from kepu.core.regiontree import subtree_ids

S = c.ActivityStatus
FIGURES = ("published", "held", "pending", "reported", "late", "onsite", "online")


def _month_start(first: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time()))


def rate(approved, decided):
    return round(100 * approved / decided, 1) if decided else None


def _span(period: Period | None):
    return (period.start, period.end) if period else (None, None)


def _this_month():
    now = clock.now()
    return now, r.month_key(now), rollups.month_of(now)


def _in_focus(queryset, focus, lookup="region_id"):
    """Rows whose region lies in the subtree of `focus`, by the literal ids of the region
    tree (no join to the regions: these rows are few and picked by an index on time)."""
    ids = subtree_ids(focus)
    return queryset if ids is None else queryset.filter(**{f"{lookup}__in": ids})


def _by_child(queryset, focus, children):
    """({child pk: n}, n attached to focus itself) for `queryset` rows of the subtree."""
    counts = dict(
        _in_focus(queryset, focus)
        .values("region_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("region_id", "n")
    )
    paths = dict(Region.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    out: dict[int, int] = {}
    direct = 0
    for region_id, n in counts.items():
        path = paths[region_id]
        child = next((ch for ch in children if path.startswith(ch.path)), None)
        if child is None:
            direct += n
        else:
            out[child.pk] = out.get(child.pk, 0) + n
    return out, direct


def _published_in(period):
    published = Activity.objects.filter(status=S.PUBLISHED)
    if period is not None:
        published = published.filter(starts_at__gte=period.start, starts_at__lt=period.end)
    return published


def _raw_now(focus, period, children):
    """This month's raw part, by child region: published activities that have ended since
    the month began, and unreported ones whose report fell due since then."""
    now, _key, first = _this_month()
    published = _published_in(period)
    held = _by_child(
        published.filter(ends_at__gte=min(now, _month_start(first)), ends_at__lt=now),
        focus,
        children,
    )
    overdue = _by_child(
        published.filter(report_due__gte=first, report_due__lt=clock.today()).exclude(
            Exists(ActivityReport.objects.filter(activity=OuterRef("pk")))
        ),
        focus,
        children,
    )
    return held, overdue


def _figures(acts: dict, reports: dict, unreported: dict, decisions: dict, held_now, overdue_now):
    _now, this, _first = _this_month()
    f = dict.fromkeys(FIGURES, 0)
    f["total"] = sum(acts.values())
    for key, n in acts.items():
        status, _sep, end = key.partition(":")
        if status == S.PUBLISHED:
            f["published"] += n
            if end < this:
                f["held"] += n
    f["held"] += held_now
    f["pending"] = acts.get(S.SUBMITTED, 0)
    f["reported"] = reports.get("filed", 0)
    f["onsite"] = reports.get("onsite", 0)
    f["online"] = reports.get("online", 0)
    f["late"] = reports.get("late", 0) + overdue_now
    f["late"] += sum(n for due, n in unreported.items() if due < this)
    f["decided"] = sum(decisions.values())
    f["approved"] = decisions.get(c.Decision.APPROVED, 0)
    f["pass_rate"] = rate(f["approved"], f["decided"])
    return f


def by_region(focus, period: Period | None):
    start, end = _span(period)
    parts = [
        rollups.by_child(metric, focus, start, end, split_keys=True)
        for metric in (r.ACTIVITIES, r.REPORTS, r.UNREPORTED, r.DECISIONS)
    ]
    children = [region for region, _f in parts[0][0]]
    (held, held_direct), (overdue, overdue_direct) = _raw_now(focus, period, children)
    out = []
    for children in zip(*(part[0] for part in parts), strict=True):
        region = children[0][0]
        figures = [f for _region, f in children]
        out.append((region, _figures(*figures, held.get(region.pk, 0), overdue.get(region.pk, 0))))
    direct = _figures(*(part[1] for part in parts), held_direct, overdue_direct)
    total = {}
    for f in [*(f for _region, f in out), direct]:
        for k, v in f.items():
            if k != "pass_rate":
                total[k] = total.get(k, 0) + v
    total["pass_rate"] = rate(total["approved"], total["decided"])
    return out, total


def by_tags(focus, period: Period | None) -> dict[str, list[dict]]:
    """{kind: rows} for key groups and topics (two counter reads for both kinds)."""
    start, end = _span(period)
    now, this, first = _this_month()
    counts: dict[tuple[str, str], int] = {}
    for key, n in rollups.by_key(r.TAGS, focus, start, end).items():
        kind, code, month = key.split(":", 2)
        if month < this:
            counts[(kind, code)] = counts.get((kind, code), 0) + n
    recent = ActivityTag.objects.filter(
        activity__in=_in_focus(
            _published_in(period).filter(
                ends_at__gte=min(now, _month_start(first)), ends_at__lt=now
            ),
            focus,
        )
    )
    for row in recent.values("kind", "code").annotate(n=Count("pk")).order_by():
        counts[(row["kind"], row["code"])] = counts.get((row["kind"], row["code"]), 0) + row["n"]
    audience: dict[tuple[str, str, str], int] = {}
    for key, n in rollups.by_key(r.TAG_AUDIENCE, focus, start, end).items():
        kind, code, part = key.split(":", 2)
        audience[(kind, code, part)] = n
    result = {}
    for kind in c.TagKind.values:
        labels = dict(KeyGroup.choices if kind == c.TagKind.GROUP else Topic.choices)
        rows = [
            {
                "code": code,
                "label": labels.get(code, code),
                "n": n,
                "onsite": audience.get((kind, code, "onsite"), 0),
                "online": audience.get((kind, code, "online"), 0),
            }
            for (k, code), n in counts.items()
            if k == kind and n
        ]
        result[kind] = sorted(rows, key=lambda row: (-row["n"], row["code"]))
    return result


def by_organizer(focus, period: Period | None, *, limit=20):
    """The organizers with most reviews, summed by the database (the counters hold one
    key per organizer and decision: tens of thousands of rows province-wide)."""
    start, end = _span(period)
    colon = StrIndex("key", Value(":"))
    grouped = (
        rollups.rows(r.ORGANIZER_DECISIONS, focus, start, end)
        .annotate(_org=Substr("key", 1, colon - 1))
        .values("_org")
        .annotate(
            decided=Sum("value"),
            approved=Sum("value", filter=Q(key__endswith=f":{c.Decision.APPROVED}")),
        )
        .filter(decided__gt=0)
        .order_by("-decided", "_org")
    )
    ranked = list(grouped[: limit * 3])
    if len(ranked) == limit * 3 and ranked[-1]["decided"] == ranked[limit - 1]["decided"]:
        ranked = list(grouped.filter(decided__gte=ranked[limit - 1]["decided"]))
    if len(ranked) > limit:  # the names decide among equals at the cut
        ranked = [x for x in ranked if x["decided"] >= ranked[limit - 1]["decided"]]
    names = dict(
        Organization.objects.filter(pk__in=[int(x["_org"]) for x in ranked]).values_list(
            "pk", "name"
        )
    )
    rows = [
        {
            "name": names.get(int(x["_org"]), ""),
            "decided": x["decided"],
            "approved": x["approved"] or 0,
            "pass_rate": rate(x["approved"] or 0, x["decided"]),
        }
        for x in ranked
    ]
    return sorted(rows, key=lambda row: (-row["decided"], row["name"]))[:limit]


def by_status(focus, period: Period | None) -> dict[str, int]:
    start, end = _span(period)
    counts: dict[str, int] = {}
    for key, n in rollups.by_key(r.ACTIVITIES, focus, start, end).items():
        status = r.status_of(key)
        counts[status] = counts.get(status, 0) + n
    return counts
