"""The panel meeting of a call (会议评审): the seats chosen from the expert pool with a
chair, the votes on each scored entry (recorded by the officer at the meeting, or cast
by a panel member with an account), and the result per entry: quorum
(`call.panel_quorum` % of the seats voted) and pass (strictly more than `call.pass_share`
% of the votes cast "for"). The results slice reads `panel_result(call)`."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock
from kepu.core.errors import DomainError, StateConflict
from kepu.selections.choices import CallStatus, EntryStatus, Vote
from kepu.selections.models import Entry, PanelSeat, PanelVote
from kepu.selections.services.review import locked_call, pool_reviewers, require


@transaction.atomic
def set_panel(call, *, actor, people, chair=None) -> list[PanelSeat]:
    """Seat the panel (members of the call's pool; `chair` one of them, else the first).
    During the expert review or the meeting, until the first vote."""
    call = locked_call(call)
    require(actor, call, "vote")
    if call.status not in (CallStatus.REVIEWING, CallStatus.PANEL):
        raise StateConflict(_("The panel is set before or at the panel meeting."))
    if PanelVote.objects.filter(entry__call=call).exists():
        raise StateConflict(_("Votes have been cast: the panel can no longer change."))
    people = list(dict.fromkeys(people))
    if not people:
        raise DomainError({"people": [_("Choose the members of the panel.")]})
    pool = {p.pk for p in pool_reviewers(call)}
    outside = [p for p in people if p.pk not in pool]
    if outside:
        raise DomainError(
            {"people": [_("%(name)s is not an available member of the call's pool.")
                        % {"name": outside[0].name}]}
        )  # fmt: skip
    chair = chair if chair in people else people[0]
    PanelSeat.objects.filter(call=call).delete()
    seats = PanelSeat.objects.bulk_create(
        PanelSeat(call=call, person=p, chair=(p == chair)) for p in people
    )
    audit.record(
        "selections.call.panel_set", obj=call, actor=actor,
        detail={"members": [p.pk for p in people], "chair": chair.pk},
    )  # fmt: skip
    return seats


@transaction.atomic
def record_vote(entry, *, actor, member, vote: str) -> PanelVote:
    """A panel member's vote on a scored entry at the meeting: the member's own (their
    account), or recorded by an officer of the call. A second vote replaces the first."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("call").get(pk=entry.pk)
    call = entry.call
    own = member is not None and actor is not None and member.user_id == actor.pk
    if not own:
        require(actor, call, "vote")
    if call.status != CallStatus.PANEL:
        raise StateConflict(_("Votes are cast at the panel meeting."))
    if entry.status != EntryStatus.SCORED:
        raise StateConflict(_("Only a ranked entry is voted on."))
    if vote not in Vote.values:
        raise DomainError({"vote": [_("Vote for, against or abstain.")]})
    if member is None or not PanelSeat.objects.filter(call=call, person=member).exists():
        raise DomainError({"member": [_("Only a member of the panel votes.")]})
    cast, created = PanelVote.objects.update_or_create(
        entry=entry,
        member=member,
        defaults={
            "vote": vote,
            "cast_at": clock.now(),
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    counts = PanelVote.objects.filter(entry=entry).aggregate(
        f=Count("pk", filter=Q(vote=Vote.FOR)),
        a=Count("pk", filter=Q(vote=Vote.AGAINST)),
        n=Count("pk", filter=Q(vote=Vote.ABSTAIN)),
    )
    entry.votes_for, entry.votes_against = counts["f"], counts["a"]
    entry.votes_abstain = counts["n"]
    entry.save(update_fields=["votes_for", "votes_against", "votes_abstain"])
    audit.record(
        "selections.panelvote.recorded", obj=cast, actor=actor,
        object_repr=f"{member} · {entry}"[:200],
        detail={"entry": entry.pk, "member": member.pk, "vote": vote, "own": own,
                "replaced": not created},
    )  # fmt: skip
    return cast


def outcome(call, seats: int, votes_for: int, against: int, abstain: int) -> dict:
    """Quorum and pass of one entry's votes."""
    cast = votes_for + against + abstain
    quorum = seats > 0 and cast * 100 >= call.panel_quorum * seats
    passed = quorum and cast > 0 and votes_for * 100 > call.pass_share * cast
    return {
        "for": votes_for,
        "against": against,
        "abstain": abstain,
        "cast": cast,
        "seats": seats,
        "quorum": quorum,
        "passed": passed,
    }


def panel_result(call) -> dict:
    """{entry id: {"for", "against", "abstain", "cast", "seats", "quorum", "passed"}} of
    the call's ranked entries (the stored counters; two queries); {} when no panel was
    seated (the call has no meeting vote to respect)."""
    seats = PanelSeat.objects.filter(call=call).count()
    if not seats:
        return {}
    rows = Entry.objects.filter(call=call, corrected_rank__isnull=False).values_list(
        "pk", "votes_for", "votes_against", "votes_abstain"
    )
    return {pk: outcome(call, seats, f, a, n) for pk, f, a, n in rows}
