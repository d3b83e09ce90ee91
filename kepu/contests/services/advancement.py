"""After a round closes: advancement to the next round by the round's rule, and the
publication of its results (rankings, explanations, certificates) by another officer
than the one who closed it (four-eyes)."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.contests import choices as c
from kepu.contests.models import ContestRound, Standing
from kepu.contests.services import rankings
from kepu.core import audit, clock, publiccache, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region

AFTER_CLOSE = (c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED)


def _locked(round_: ContestRound) -> ContestRound:
    return (
        ContestRound.objects.select_for_update(of=("self",))
        .select_related("contest", "contest__region")
        .get(pk=round_.pk)
    )


def _ancestor_codes(region_ids, level: int) -> dict[int, str]:
    """{participant region id: code of its ancestor at `level`} (the region itself at
    its own level)."""
    out = {}
    for pk, path in Region.objects.filter(pk__in=region_ids).values_list("pk", "path"):
        codes = [p for p in path.split("/") if p]
        if len(codes) >= level:
            out[pk] = codes[level - 1]
    return out


def _chosen(round_: ContestRound) -> list[int]:
    """The standings that advance under the round's rule; ties at a cut are decided by
    the ranking order itself (score, time used, submission, row)."""
    standings = Standing.objects.filter(round=round_)
    rule = round_.advancement
    if rule == c.Advancement.MIN_SCORE:
        if round_.advance_score is None:
            raise DomainError(_("Set the score X of the advancement rule first."))
        return list(standings.filter(score__gte=round_.advance_score).values_list("pk", flat=True))
    if not round_.advance_n:
        raise DomainError(_("Set the number N of the advancement rule first."))
    ordered = standings.order_by(*rankings.RANK_ORDER)
    if rule == c.Advancement.TOP_N_OVERALL:
        return list(ordered.values_list("pk", flat=True)[: round_.advance_n])
    level = round_.advance_level or 3
    region_ids = list(standings.order_by().values_list("region_id", flat=True).distinct())
    groups: dict[str, list[int]] = {}
    for region_id, code in _ancestor_codes(region_ids, level).items():
        groups.setdefault(code, []).append(region_id)
    chosen = []
    for ids in groups.values():  # one indexed range per region (contest_standing_region)
        chosen += list(
            ordered.filter(region_id__in=ids).values_list("pk", flat=True)[: round_.advance_n]
        )
    return chosen


@transaction.atomic
def advance(round_: ContestRound, *, actor) -> dict:
    """Apply the round's advancement rule: set `Standing.advanced` for those who go on
    (replacing any earlier decision). Refused before the round closes. Returns
    {"advanced": n, "regions": {region name: n}} and audits it."""
    round_ = _locked(round_)
    scope.check(actor, round_, "advance")
    if round_.status not in AFTER_CLOSE:
        raise StateConflict(_("Advancement is decided after the round closes."))
    if round_.advancement == c.Advancement.NONE:
        raise DomainError(_("This round has no advancement rule (it is the last round)."))
    chosen = _chosen(round_)
    Standing.objects.filter(round=round_, advanced=True).update(advanced=False)
    Standing.objects.filter(pk__in=chosen).update(advanced=True)
    level = round_.advance_level or 3
    per_region = Counter(
        Standing.objects.filter(pk__in=chosen).values_list("region_id", flat=True)
    )  # fmt: skip
    codes = _ancestor_codes(per_region, level)
    names = dict(Region.objects.filter(code__in=set(codes.values())).values_list("code", "name"))
    by_region = Counter()
    for region_id, n in per_region.items():
        by_region[names.get(codes.get(region_id), "")] += n
    result = {"advanced": len(chosen), "regions": dict(sorted(by_region.items()))}
    audit.record(
        "contests.contestround.advanced", obj=round_, actor=actor,
        detail={"rule": round_.advancement, "n": round_.advance_n,
                "score": round_.advance_score, "level": round_.advance_level, **result},
    )  # fmt: skip
    publiccache.bump(rankings.tag(round_.pk))
    return result


@transaction.atomic
def publish_results(round_: ContestRound, *, actor) -> ContestRound:
    """Publish a closed round's results: participants then see their explanations and
    certificates, the public the final rankings. Not by the officer who closed it."""
    round_ = _locked(round_)
    if round_.status != c.RoundStatus.CLOSED:
        if round_.status == c.RoundStatus.PUBLISHED:
            raise StateConflict(_("The results of this round have already been published."))
        raise StateConflict(_("Results are published after the round closes."))
    scope.check(actor, round_, "publish")
    before = audit.snapshot(round_)
    round_.status = c.RoundStatus.PUBLISHED
    round_.published_at = clock.now()
    round_.published_by = actor if getattr(actor, "is_authenticated", False) else None
    round_.changed_at = round_.published_at
    round_.save(update_fields=["status", "published_at", "published_by", "changed_at"])
    audit.record(
        "contests.contestround.published", obj=round_, actor=actor,
        changes=audit.diff(before, audit.snapshot(round_)),
    )  # fmt: skip
    publiccache.bump(rankings.tag(round_.pk))
    return round_
