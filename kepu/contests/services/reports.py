"""Reports of a round: participation by region, by group and by hour, the score
distribution, and the item statistics per question (share correct, discrimination as the
corrected point-biserial, option shares) written to `RoundItem` and fed back to the
literacy bank (`Item.p_value`, `discrimination`, `stats_n`, `stats_at`).

The figures of a round are one value per round and region in the shared cache (a
closed round's figures barely change), never aggregated per page view; the item
statistics are a background job after the round closes (every counted attempt's paper
is rebuilt from its seed)."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.contests import choices as c
from kepu.contests.models import Attempt, ContestRound, RoundItem, Standing
from kepu.contests.services import paper as papers
from kepu.contests.services import rankings
from kepu.core import audit, clock, publiccache
from kepu.core.choices import RegionLevel
from kepu.core.errors import StateConflict
from kepu.core.models import Region
from kepu.core.querysets import subtree_bounds

REPORT_SECONDS = 300
BANDS = 10  # the score distribution in tenths of the full marks


def _in_region(queryset, region: Region | None):
    if region is None:
        return queryset
    lo, hi = subtree_bounds(region.path)
    return queryset.filter(region__path__gte=lo, region__path__lt=hi)


def histogram(round_: ContestRound, standings) -> list[dict]:
    """Standings per tenth of the full marks (0–9 %, 10–19 % … 90–100 %)."""
    full = max(round_.total_points, 1)
    counts = [0] * BANDS
    for score, n in standings.values_list("score").annotate(n=Count("pk")).order_by("score"):
        counts[min(BANDS - 1, int(score * BANDS / full))] += n
    width = 100 // BANDS
    return [
        {"band": f"{i * width}–{i * width + width - 1 if i < BANDS - 1 else 100}", "n": n}
        for i, n in enumerate(counts)
    ]


def by_hour(round_: ContestRound, region: Region | None) -> list[dict]:
    """Attempts started per hour (local time) of the round."""
    rows = (
        _in_region(Attempt.objects.filter(round=round_, practice=False), region)
        .annotate(hour=TruncHour("started_at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
    )
    return [{"hour": timezone.localtime(r["hour"]).strftime("%m-%d %H:00"), "n": r["n"]}
            for r in rows]  # fmt: skip


def report(round_: ContestRound, region: Region | None = None) -> dict:
    """The round's figures, within `region` (a county officer's own county) or whole."""
    standings = _in_region(Standing.objects.filter(round=round_), region)
    total = standings.aggregate(n=Count("pk"), att=Sum("attempts"), pts=Sum("score"))
    groups = dict(standings.values_list("group").annotate(n=Count("pk")).order_by("group"))
    level = RegionLevel.PREFECTURE if region is None or region.level < 2 else RegionLevel.COUNTY
    raw = list(
        standings.values("region_id").annotate(n=Count("pk"), att=Sum("attempts"),
                                               pts=Sum("score"))
        .order_by("region_id").values_list("region_id", "n", "att", "pts")
    )  # fmt: skip
    regions = [r.as_dict() for r in rankings.region_table(round_, level, raw)]
    excluded = _in_region(
        Attempt.objects.filter(round=round_, status=c.AttemptStatus.EXCLUDED), region
    ).count()
    return {
        "headcount": total["n"] or 0,
        "attempts": total["att"] or 0,
        "average": round((total["pts"] or 0) / total["n"], 1) if total["n"] else 0,
        "excluded": excluded,
        "groups": [{"group": str(c.Group(g).label), "n": groups.get(g, 0)} for g in c.Group.values],
        "regions": regions,
        "histogram": histogram(round_, standings),
        "hours": by_hour(round_, region),
        "at": clock.now(),
    }


def cached_report(round_: ContestRound, region: Region | None = None) -> dict:
    key = f"contests:report:{round_.pk}:{region.pk if region else 0}"
    return publiccache.cached_value(
        key, [rankings.tag(round_.pk)], lambda: report(round_, region), fresh=REPORT_SECONDS
    )


# --- item statistics -------------------------------------------------------------------


def _point_biserial(item_right: np.ndarray, rest: np.ndarray) -> float | None:
    """Corrected point-biserial: the correlation of the item's 0/1 with the score on the
    other items of the same attempts."""
    if len(item_right) < 3 or item_right.std() == 0 or rest.std() == 0:
        return None
    return round(float(np.corrcoef(item_right, rest)[0, 1]), 4)


def item_statistics(round_: ContestRound) -> list[dict]:
    """Per question of the round's set: answered (attempts whose paper held it), correct,
    share correct, discrimination and option shares, from the counted attempts."""
    full = papers.question_set(round_)
    index = {q.item: j for j, q in enumerate(full)}
    attempts = Attempt.objects.filter(
        round=round_, practice=False, status__in=c.COUNTED_ATTEMPT_STATUSES
    ).values_list("seed", "answers")
    seen, right, picks = [], [], [dict() for _q in full]
    for seed, answers in attempts.iterator(chunk_size=2000):
        paper = papers.paper(round_, seed)
        row_seen = np.zeros(len(full), dtype=bool)
        row_right = np.zeros(len(full), dtype=np.int8)
        for position, question in enumerate(paper.questions, start=1):
            j = index[question.item]
            row_seen[j] = True
            given = (answers or {}).get(str(position), "")
            if given and question.slot.is_right(given):
                row_right[j] = 1
            for key in given or "-":
                picks[j][key] = picks[j].get(key, 0) + 1
        seen.append(row_seen)
        right.append(row_right)
    if not seen:
        return []
    seen_m, right_m = np.array(seen), np.array(right)
    totals = right_m.sum(axis=1)
    out = []
    for j, question in enumerate(full):
        mask = seen_m[:, j]
        answered = int(mask.sum())
        correct = int(right_m[mask, j].sum())
        item_right = right_m[mask, j].astype(float)
        rest = (totals[mask] - right_m[mask, j]).astype(float)
        out.append({
            "item": question.item, "answered": answered, "correct": correct,
            "p_value": round(correct / answered, 4) if answered else None,
            "discrimination": _point_biserial(item_right, rest) if answered else None,
            "options": {k: round(v / answered, 4) for k, v in sorted(picks[j].items())}
            if answered else {},
        })  # fmt: skip
    return out


@transaction.atomic
def write_item_statistics(round_: ContestRound, *, actor=None) -> list[dict]:
    """Compute the round's item statistics, store them on its `RoundItem` rows and feed
    them back to the bank's items (only the statistics columns: share correct,
    discrimination, number of answers and the time; the audit entry names the source).
    Refused before the round closes."""
    from kepu.literacy.models import Item

    round_ = ContestRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    if round_.status not in (c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED):
        raise StateConflict(_("Item statistics are computed after the round closes."))
    stats = item_statistics(round_)
    by_item = {s["item"]: s for s in stats}
    rows = list(RoundItem.objects.filter(round=round_, item_id__in=by_item))
    for row in rows:
        s = by_item[row.item_id]
        row.answered, row.correct, row.discrimination = (
            s["answered"],
            s["correct"],
            s["discrimination"],
        )
    RoundItem.objects.bulk_update(rows, ["answered", "correct", "discrimination"])
    now = clock.now()
    items = list(Item.objects.filter(pk__in=[s["item"] for s in stats if s["answered"]]).only("pk"))
    for item in items:
        s = by_item[item.pk]
        item.p_value, item.discrimination = s["p_value"], s["discrimination"]
        item.stats_n, item.stats_at = s["answered"], now
    Item.objects.bulk_update(items, ["p_value", "discrimination", "stats_n", "stats_at"])
    audit.record(
        "contests.contestround.item_statistics_written", obj=round_, actor=actor,
        detail={"source": f"contest round {round_.pk}", "items": [i.pk for i in items]},
    )  # fmt: skip
    return stats


def report_region(user, round_: ContestRound) -> Region | None:
    """The part of the round a user's report covers: the whole round for the officers of
    the organizing region (or above), else their own region (a county officer sees their
    county's figures)."""
    from kepu.core.scope import granting_assignments

    contest_path = round_.contest.region.path
    paths = sorted(
        (a.region.path for a in granting_assignments(user, Standing, "view") if a.region_id),
        key=len,
    )
    if any(contest_path.startswith(p) for p in paths):
        return None
    inside = [p for p in paths if p.startswith(contest_path)]
    if not inside:
        return None
    return Region.objects.get(path=inside[0])


def rounds_without_statistics(limit: int = 20):
    """Closed or published rounds with counted attempts whose questions have no
    statistics yet (the schedule computes them)."""
    return (
        ContestRound.objects.filter(
            status__in=(c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED),
            attempts__status__in=c.COUNTED_ATTEMPT_STATUSES, attempts__practice=False,
        )
        .exclude(set_items__answered__gt=0)
        .distinct()
        .order_by("pk")[:limit]
    )  # fmt: skip
