"""Rankings of a round, read from `Standing` (one row per participant: the best counted
attempt), never from the attempts.

- Persons: best score, then least time used, then the earliest submission (the real
  contests' tie-break, domain-wave2 §3.2), then the row id: the index
  `contest_standing_rank` serves the order in one range scan, and a person's rank is one
  indexed count of the standings ranked before theirs.
- Regions: per city and per county (participants' regions rolled up through the region
  tree's paths) by headcount (参赛人数: standings), attempts (参赛人次: the sum of
  `Standing.attempts`), participation per 10,000 inhabitants and average score; the
  organizers by the Shanxi score (rank on 人次 + rank on 人数, the lowest sum first, ties
  by the 人数 rank: domain-wave2 §3.3).
- The live leaderboard (the top 100 and the region tables) is one value per round in the
  shared cache (`core.publiccache.cached_value`), refreshed by one worker in the
  background every `LIVE_SECONDS` while the others serve the stored value: at a million
  standings a GROUP BY costs hundreds of milliseconds, which no page pays per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from kepu.contests.models import ContestRound, Participant, Standing
from kepu.core import clock, publiccache
from kepu.core.choices import RegionLevel
from kepu.core.models import Region

TOP = 100
LIVE_SECONDS = 10
RANK_ORDER = ("-score", "time_used_ms", "submitted_at", "pk")


def tag(round_id: int) -> str:
    """The cache tag of a round's public results (bumped when they change by an officer's
    step: publication, exclusion, advancement, prizes)."""
    return f"contests.round.{round_id}"


# --- persons ---------------------------------------------------------------------------


def persons(round_: ContestRound, queryset=None):
    """The round's standings in ranking order (optionally within `queryset`, e.g. the
    standings an officer may see)."""
    rows = Standing.objects.all() if queryset is None else queryset
    return rows.filter(round=round_).select_related("participant", "region").order_by(*RANK_ORDER)


def ahead_of(standing: Standing) -> Q:
    """The standings of the same round ranked before `standing`."""
    s, t, at = standing.score, standing.time_used_ms, standing.submitted_at
    return (
        Q(score__gt=s)
        | Q(score=s, time_used_ms__lt=t)
        | Q(score=s, time_used_ms=t, submitted_at__lt=at)
        | Q(score=s, time_used_ms=t, submitted_at=at, pk__lt=standing.pk)
    )


def rank_of(standing: Standing) -> int:
    """1-based rank of a standing in its round: one indexed count."""
    return Standing.objects.filter(ahead_of(standing), round_id=standing.round_id).count() + 1


def my_rank(round_: ContestRound, participant: Participant) -> dict | None:
    """The participant's own standing and rank (not cached: one row and one count)."""
    standing = Standing.objects.filter(round=round_, participant=participant).first()
    if standing is None:
        return None
    return {
        "rank": rank_of(standing), "score": standing.score,
        "time": seconds_text(standing.time_used_ms), "advanced": standing.advanced,
        "attempts": standing.attempts,
    }  # fmt: skip


def seconds_text(ms: int) -> str:
    """Time used as people read it: 83.4 s → "1:23.4"."""
    seconds = (ms or 0) / 1000
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def masked_name(name: str) -> str:
    """姓* : the family name (first character) and an asterisk."""
    return f"{(name or '?')[:1]}*"


def masked_unit(unit: str) -> str:
    return f"{unit[:2]}**" if unit else ""


# --- regions and organizers -------------------------------------------------------------


@dataclass
class RegionRow:
    region_id: int
    code: str
    name: str
    headcount: int = 0
    attempts: int = 0
    points: int = 0
    population: int | None = None
    rank_people: int = 0
    rank_attempts: int = 0
    organizer_score: int = 0
    organizer_rank: int = 0

    @property
    def average(self) -> float:
        return round(self.points / self.headcount, 1) if self.headcount else 0.0

    @property
    def per_10k(self) -> float | None:
        if not self.population:
            return None
        return round(self.headcount * 10000 / self.population, 2)

    def as_dict(self) -> dict:
        return {
            "region_id": self.region_id, "code": self.code, "name": self.name,
            "headcount": self.headcount, "attempts": self.attempts, "average": self.average,
            "population": self.population, "per_10k": self.per_10k,
            "rank_people": self.rank_people, "rank_attempts": self.rank_attempts,
            "organizer_score": self.organizer_score, "organizer_rank": self.organizer_rank,
        }  # fmt: skip


def _by_participant_region(round_: ContestRound) -> list[tuple[int, int, int, int]]:
    """(region id, 人数, 人次, points) per participants' region: one GROUP BY."""
    return list(
        Standing.objects.filter(round=round_)
        .values("region_id")
        .annotate(n=Count("pk"), att=Sum("attempts"), pts=Sum("score"))
        .order_by("region_id")
        .values_list("region_id", "n", "att", "pts")
    )


def populations(regions: list[Region], year: int) -> dict[int, int]:
    """{region pk: inhabitants}: the region's resident population when set, else the
    literacy census margins' total; missing when neither is known."""
    out = {r.pk: int(r.population) for r in regions if r.population}
    missing = [r for r in regions if r.pk not in out]
    if missing:
        try:
            from kepu.literacy.index_sources import population
        except ImportError:  # the literacy app is not installed
            return out
        out.update(population(missing, year))
    return out


def _competition_ranks(values: list[int]) -> list[int]:
    """Ranks of `values` (highest first), equal values sharing a rank (1, 2, 2, 4)."""
    order = sorted(values, reverse=True)
    first = {}
    for i, v in enumerate(order, start=1):
        first.setdefault(v, i)
    return [first[v] for v in values]


def region_table(round_: ContestRound, level: int, raw=None) -> list[RegionRow]:
    """The cities (level 2) or counties (level 3) with participants, by headcount first,
    with the organizer score and rank (Shanxi: rank on 人次 + rank on 人数, lowest sum
    first, ties by the 人数 rank)."""
    raw = _by_participant_region(round_) if raw is None else raw
    paths = dict(Region.objects.filter(pk__in=[r[0] for r in raw]).values_list("pk", "path"))
    totals: dict[str, list[int]] = {}
    for region_id, n, att, pts in raw:
        codes = [p for p in paths.get(region_id, "").split("/") if p]
        if len(codes) < level:
            continue
        key = codes[level - 1]
        acc = totals.setdefault(key, [0, 0, 0])
        acc[0] += n
        acc[1] += att or 0
        acc[2] += pts or 0
    regions = list(Region.objects.filter(code__in=totals, level=level).order_by("code"))
    pops = populations(regions, round_.contest.year)
    rows = [
        RegionRow(
            region_id=r.pk,
            code=r.code,
            name=r.name,
            headcount=totals[r.code][0],
            attempts=totals[r.code][1],
            points=totals[r.code][2],
            population=pops.get(r.pk),
        )  # fmt: skip
        for r in regions
    ]
    organizer_ranks(rows)
    rows.sort(key=lambda r: (-r.headcount, -r.attempts, r.code))
    return rows


def organizer_ranks(rows: list[RegionRow]) -> None:
    """Set each row's 人数 and 人次 ranks, organizer score and organizer rank."""
    people = _competition_ranks([r.headcount for r in rows])
    tries = _competition_ranks([r.attempts for r in rows])
    for row, p, t in zip(rows, people, tries, strict=True):
        row.rank_people, row.rank_attempts = p, t
        row.organizer_score = p + t
    ordered = sorted(rows, key=lambda r: (r.organizer_score, r.rank_people, r.code))
    previous, rank = None, 0
    for i, row in enumerate(ordered, start=1):
        key = (row.organizer_score, row.rank_people)
        if key != previous:
            rank, previous = i, key
        row.organizer_rank = rank


def organizers(round_: ContestRound, level: int = RegionLevel.PREFECTURE) -> list[RegionRow]:
    """The organizer regions of a level in organizer-rank order (优秀组织奖)."""
    return sorted(region_table(round_, level), key=lambda r: (r.organizer_rank, r.code))


# --- the live leaderboard ----------------------------------------------------------------


def _top(round_: ContestRound, limit: int = TOP) -> list[dict]:
    rows = (
        persons(round_)
        .select_related("region__parent")
        .only(
            "score", "time_used_ms", "submitted_at", "advanced", "participant__name",
            "participant__unit", "region__name", "region__level", "region__parent__name",
        )[:limit]
    )  # fmt: skip
    return [
        {
            "rank": i,
            "name": masked_name(s.participant.name),
            "region": s.region.parent.name if s.region.parent_id else s.region.name,
            "unit": masked_unit(s.participant.unit),
            "score": s.score,
            "time": seconds_text(s.time_used_ms),
            "advanced": s.advanced,
        }  # fmt: skip
        for i, s in enumerate(rows, start=1)
    ]


def board(round_: ContestRound) -> dict:
    """The leaderboard's whole content, computed (the cached value)."""
    raw = _by_participant_region(round_)
    return {
        "top": _top(round_),
        "cities": [r.as_dict() for r in region_table(round_, RegionLevel.PREFECTURE, raw)],
        "counties": [r.as_dict() for r in region_table(round_, RegionLevel.COUNTY, raw)],
        "headcount": sum(r[1] for r in raw),
        "attempts": sum(r[2] or 0 for r in raw),
        "at": clock.now(),
    }


def live_board(round_: ContestRound) -> dict:
    """The leaderboard from the shared cache, at most about `LIVE_SECONDS` old (one
    worker refreshes it in the background; the others serve the stored value)."""
    return publiccache.cached_value(
        f"contests:board:{round_.pk}", [tag(round_.pk)], lambda: board(round_),
        fresh=LIVE_SECONDS,
    )  # fmt: skip


def no_population_note() -> str:
    return _("no population")
