"""The prize list of a round with its 公示 (`core.publicity`): drafted from the ranking
(the tiers and counts the officer chooses, plus 优秀组织奖 for the top organizer cities
by the Shanxi score), put to public notice, objections filed by anyone under a real
name and answered in writing, a prize withdrawn after an upheld objection, and the list
made final after the notice by another officer than the one who drafted it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.contests import choices as c
from kepu.contests.models import ContestRound, Prize, PrizeList, PrizeObjection, Standing
from kepu.contests.services import rankings
from kepu.core import audit, clock, publiccache, publicity, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models.publicity import ObjectionStatus

PERSON_TIERS = (c.PrizeTier.FIRST, c.PrizeTier.SECOND, c.PrizeTier.THIRD, c.PrizeTier.EXCELLENCE)
MAX_PRIZES = 10_000
PUBLIC_TAG = "contests.prizes"  # the public prize lists (core.publiccache)


def _bump(round_id: int) -> None:
    publiccache.bump(rankings.tag(round_id), PUBLIC_TAG)


@transaction.atomic
def draft_prizes(
    round_: ContestRound, *, actor, counts: dict, organizers: int = 0,
    publicity_days: int = 5, working_days: bool = False,
) -> PrizeList:  # fmt: skip
    """Draft (or draft again) the round's prize list: the first `counts[tier]` persons of
    the ranking get that tier, in tier order; the top `organizers` cities by the organizer
    score get 优秀组织奖. Only while the list is a draft, after the results are published."""
    round_ = (
        ContestRound.objects.select_for_update(of=("self",))
        .select_related("contest", "contest__region")
        .get(pk=round_.pk)
    )
    scope.require_region(actor, PrizeList, "create", round_.contest.region)
    if round_.status != c.RoundStatus.PUBLISHED:
        raise StateConflict(_("Prizes are drafted once the round's results are published."))
    plist = PrizeList.objects.select_for_update().filter(round=round_).first()
    if plist is not None and plist.status != c.PrizeListStatus.DRAFT:
        raise StateConflict(_("This prize list is already in public notice or final."))
    sizes = {t: int(counts.get(t) or 0) for t in PERSON_TIERS}
    if any(n < 0 for n in sizes.values()) or organizers < 0:
        raise DomainError(_("Enter the number of prizes of each tier (0 or more)."))
    total = sum(sizes.values())
    if total + organizers == 0:
        raise DomainError(_("Give at least one prize."))
    if total > MAX_PRIZES:
        raise DomainError(_("At most %(n)s person prizes.") % {"n": f"{MAX_PRIZES:,}"})
    if not 1 <= publicity_days <= 30:
        raise DomainError({"publicity_days": [_("The public notice lasts 1 to 30 days.")]})
    if plist is None:
        plist = PrizeList(round=round_)
    plist.drafted_by = actor if getattr(actor, "is_authenticated", False) else None
    plist.publicity_days, plist.working_days = publicity_days, working_days
    plist.save()
    plist.prizes.all().delete()
    top = list(rankings.persons(round_).values_list("participant_id", "region_id", "score")[:total])
    prizes, rank = [], 0
    for tier in PERSON_TIERS:
        for participant_id, region_id, score in top[rank : rank + sizes[tier]]:
            rank += 1
            prizes.append(
                Prize(prize_list=plist, tier=tier, rank=rank, participant_id=participant_id,
                      region_id=region_id, score=score)
            )  # fmt: skip
    for i, row in enumerate(rankings.organizers(round_, RegionLevel.PREFECTURE)[:organizers], 1):
        prizes.append(Prize(prize_list=plist, tier=c.PrizeTier.ORGANIZER, rank=i,
                            region_id=row.region_id))  # fmt: skip
    Prize.objects.bulk_create(prizes)
    audit.record(
        "contests.prizelist.drafted", obj=plist, actor=actor,
        detail={"counts": {str(k): v for k, v in sizes.items()}, "organizers": organizers,
                "prizes": len(prizes)},
    )  # fmt: skip
    return plist


def _locked_list(plist: PrizeList) -> PrizeList:
    return (
        PrizeList.objects.select_for_update(of=("self",))
        .select_related("round", "round__contest", "round__contest__region")
        .get(pk=plist.pk)
    )


@transaction.atomic
def start_publicity(plist: PrizeList, *, actor) -> PrizeList:
    """Put the drafted list to public notice from today for its number of days."""
    plist = _locked_list(plist)
    scope.check(actor, plist, "change")
    if plist.status != c.PrizeListStatus.DRAFT:
        raise StateConflict(_("This prize list is already in public notice or final."))
    if not plist.prizes.exists():
        raise DomainError(_("This prize list has no prizes."))
    today = clock.today()
    plist.status = c.PrizeListStatus.PUBLICITY
    plist.publicity_start = today
    plist.publicity_end = publicity.publicity_end(today, plist.publicity_days, plist.working_days)
    plist.save(update_fields=["status", "publicity_start", "publicity_end"])
    audit.record(
        "contests.prizelist.publicized", obj=plist, actor=actor,
        changes={"status": [c.PrizeListStatus.DRAFT, c.PrizeListStatus.PUBLICITY]},
        detail={"from": today.isoformat(), "until": plist.publicity_end.isoformat()},
    )  # fmt: skip
    _bump(plist.round_id)
    return plist


@transaction.atomic
def file_objection(prize: Prize, *, name, phone, text, client_key=None):
    """A written objection to a prize, under a real name with a mobile number, while the
    notice is open; a repeat with the same key is the same objection: (objection, new)."""
    found = publicity.existing(PrizeObjection, client_key)
    if found is not None:
        return found, False
    prize = (
        Prize.objects.select_for_update(of=("self",)).select_related("prize_list").get(pk=prize.pk)
    )
    plist = prize.prize_list
    if (
        plist.status != c.PrizeListStatus.PUBLICITY
        or prize.withdrawn
        or not publicity.is_open(plist.publicity_start, plist.publicity_end)
    ):
        raise StateConflict(publicity.closed_or_absent_message(plist.publicity_end))
    fields = publicity.clean_objection(name=name, phone=phone, text=text)
    return publicity.save_objection(PrizeObjection(prize=prize, **fields), client_key)


@transaction.atomic
def answer_objection(objection: PrizeObjection, *, actor, upheld: bool, answer: str):
    """The officers' written answer (upheld or dismissed), while the list is on notice."""
    objection = PrizeObjection.objects.select_related("prize__prize_list").get(pk=objection.pk)
    scope.check(actor, objection, "answer")
    if objection.prize.prize_list.status != c.PrizeListStatus.PUBLICITY:
        raise StateConflict(_("This prize list is no longer in public notice."))
    return publicity.answer_objection(
        objection, actor=actor, upheld=upheld, answer=answer,
        code="contests.prizeobjection.answered",
    )  # fmt: skip


@transaction.atomic
def withdraw_prize(prize: Prize, *, actor) -> Prize:
    """Withdraw a prize after an objection to it was upheld (the list still on notice)."""
    prize = Prize.objects.select_for_update(of=("self",)).get(pk=prize.pk)
    plist = _locked_list(prize.prize_list)
    scope.check(actor, plist, "change")
    if plist.status != c.PrizeListStatus.PUBLICITY:
        raise StateConflict(_("This prize list is no longer in public notice."))
    if prize.withdrawn:
        raise StateConflict(_("This prize has already been withdrawn."))
    if not prize.objections.filter(status=ObjectionStatus.UPHELD).exists():
        raise DomainError(_("A prize is withdrawn only after an objection to it is upheld."))
    prize.withdrawn = True
    prize.save(update_fields=["withdrawn"])
    audit.record(
        "contests.prize.withdrawn", obj=prize, actor=actor,
        changes={"withdrawn": [False, True]}, detail={"prize_list": plist.pk},
    )  # fmt: skip
    _bump(plist.round_id)
    return prize


def pending_objections(plist: PrizeList) -> int:
    return PrizeObjection.objects.filter(
        prize__prize_list=plist, status=ObjectionStatus.PENDING
    ).count()


@transaction.atomic
def finalize_prizes(plist: PrizeList, *, actor) -> PrizeList:
    """Make the list final once the notice is over and every objection answered; not by
    the officer who drafted it."""
    plist = _locked_list(plist)
    if plist.status != c.PrizeListStatus.PUBLICITY:
        if plist.status == c.PrizeListStatus.FINAL:
            raise StateConflict(_("This prize list is already final."))
        raise StateConflict(_("Put the prize list to public notice first."))
    scope.check(actor, plist, "finalize")
    if clock.today() <= plist.publicity_end:
        raise DomainError(
            _("The public notice runs until %(day)s; make the list final after it.")
            % {"day": plist.publicity_end.isoformat()}
        )
    if pending_objections(plist):
        raise DomainError(_("Answer every objection before making the list final."))
    plist.status = c.PrizeListStatus.FINAL
    plist.finalized_by = actor if getattr(actor, "is_authenticated", False) else None
    plist.finalized_at = clock.now()
    plist.save(update_fields=["status", "finalized_by", "finalized_at"])
    audit.record(
        "contests.prizelist.finalized", obj=plist, actor=actor,
        changes={"status": [c.PrizeListStatus.PUBLICITY, c.PrizeListStatus.FINAL]},
        detail={"prizes": plist.prizes.filter(withdrawn=False).count()},
    )  # fmt: skip
    _bump(plist.round_id)
    return plist


def final_prize_of(round_: ContestRound, participant_id: int) -> Prize | None:
    """The participant's prize in the round's final list (not withdrawn), if any."""
    return (
        Prize.objects.filter(
            prize_list__round=round_, prize_list__status=c.PrizeListStatus.FINAL,
            participant_id=participant_id, withdrawn=False,
        ).first()
    )  # fmt: skip


def standing_of(round_: ContestRound, participant_id: int) -> Standing | None:
    return Standing.objects.filter(round=round_, participant_id=participant_id).first()
