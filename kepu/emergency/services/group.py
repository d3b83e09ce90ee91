"""The expert group in one step: the platform proposes experts from the emergency and
health pools (by hazard, distance, title level and current load, with its reasons), the
officer confirms them (invited), the experts accept or decline (or an officer records
their answer after a call), a decline proposes a replacement; the duty schedule of the
accepted experts, never two groups at the same hour for one expert.

The proposal runs a few indexed queries (the pool memberships with their topic match,
the current load, who is on duty now) and scores a bounded set in Python: never a query
per person (≤ 1 s at province scale, `bench/emergency_group.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock, mail, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.emergency import choices as c
from kepu.emergency.models import DutyShift, GroupMember, Incident
from kepu.people.choices import PoolKind, TitleLevel
from kepu.people.models import MembershipTopic, Person, PoolMembership

POOL_KINDS = (PoolKind.EMERGENCY, PoolKind.HEALTH)
# Score parts: a topic match outweighs everything; one step nearer outweighs the title
# and the load together; the load costs up to three tasks' worth.
TOPIC_POINTS = 1000
DISTANCE_POINTS = {"county": 450, "city": 300, "province": 150, "other": 0}
TITLE_POINTS = {
    TitleLevel.SENIOR: 40,
    TitleLevel.DEPUTY_SENIOR: 30,
    TitleLevel.INTERMEDIATE: 20,
    TitleLevel.JUNIOR: 10,
    TitleLevel.NONE: 0,
}
LOAD_POINTS, LOAD_CAP = 20, 3
# Experts considered per proposal, best first (the proposal keeps the top `size`).
DEFAULT_LIMIT = 50


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass
class Candidate:
    """One proposed expert: the membership it comes from, its score and reasons."""

    person_id: int
    pool_id: int
    score: float
    reasons: dict = field(default_factory=dict)


def _distance(person_path: str, affected_paths: list[str]) -> str:
    """The nearest relation of the expert's region to any affected region."""
    mine = person_path.strip("/").split("/")
    best = "other"
    order = ("other", "province", "city", "county")
    for path in affected_paths:
        theirs = path.strip("/").split("/")
        if len(mine) >= 3 and len(theirs) >= 3 and mine[:3] == theirs[:3]:
            return "county"
        if len(mine) >= 2 and len(theirs) >= 2 and mine[:2] == theirs[:2]:
            relation = "city"
        elif mine[:1] == theirs[:1]:
            relation = "province"
        else:
            relation = "other"
        if order.index(relation) > order.index(best):
            best = relation
    return best


def candidates(
    incident: Incident, *, exclude_person_ids=(), only_person_ids=None, limit: int = DEFAULT_LIMIT
):
    """The experts to propose for `incident`, best first (at most `limit`): available
    members (term valid) of the active emergency and health pools, not yet in this group
    and not on duty elsewhere now, scored by topic match, distance to the affected
    regions, title level and current load."""
    today, now = clock.today(), clock.now()
    province = incident.region.path.strip("/").split("/")[0]
    affected = list(incident.affected.values_list("region__path", flat=True)) or [
        incident.region.path
    ]
    in_group = GroupMember.objects.filter(incident=incident).values("person_id")
    on_duty = (
        DutyShift.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .exclude(member__incident=incident)
        .values("person_id")
    )
    rows = (
        PoolMembership.objects.filter(
            pool__is_active=True,
            pool__kind__in=POOL_KINDS,
            available=True,
            term_start__lte=today,
            person__erased_at__isnull=True,
        )
        .filter(pool__region__path__startswith=f"{province}/")
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .exclude(person_id__in=in_group)
        .exclude(person_id__in=on_duty)
        .exclude(person_id__in=list(exclude_person_ids))
        .annotate(
            topic_match=Exists(
                MembershipTopic.objects.filter(membership=OuterRef("pk"), topic=incident.hazard)
            )
        )
        .order_by()  # scored in Python: no sort (the default joined the person's name)
        .values_list(
            "person_id",
            "pool_id",
            "pool__name",
            "pool__kind",
            "topic_match",
            "person__region__path",
            "person__title_level",
        )
    )
    if only_person_ids is not None:  # one named expert, scored the same way
        rows = rows.filter(person_id__in=list(only_person_ids))
    best: dict[int, Candidate] = {}
    for person_id, pool_id, pool_name, kind, topic, path, title_level in rows:
        distance = _distance(path, affected)
        score = (
            (TOPIC_POINTS if topic else 0)
            + DISTANCE_POINTS[distance]
            + TITLE_POINTS.get(title_level, 0)
            + (5 if kind == PoolKind.EMERGENCY else 0)
        )
        known = best.get(person_id)
        if known is None or score > known.score:
            best[person_id] = Candidate(
                person_id,
                pool_id,
                score,
                {
                    "topic": bool(topic),
                    "hazard": incident.hazard,
                    "distance": distance,
                    "pool": pool_name,
                    "title_level": title_level,
                },
            )
    if not best:
        return []
    # The current load: invited or accepted members of other open incidents (a few
    # hundred rows at most, grouped in SQL).
    loads = dict(
        GroupMember.objects.busy()
        .exclude(incident=incident)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    for candidate in best.values():
        load = loads.get(candidate.person_id, 0)
        candidate.reasons["load"] = load
        candidate.score -= LOAD_POINTS * min(load, LOAD_CAP)
    ranked = sorted(best.values(), key=lambda x: (-x.score, x.person_id))
    return ranked[:limit]


def describe_reasons(reasons: dict) -> list[str]:
    """The proposal's reasons as short readable phrases ("covers earthquakes · same
    county · Senior (full) · current tasks 0")."""
    from kepu.core.choices import Topic

    if not reasons:
        return []
    parts = []
    hazard = reasons.get("hazard")
    label = Topic(hazard).label if hazard in Topic.values else hazard
    if reasons.get("topic"):
        parts.append(_("covers %(hazard)s") % {"hazard": label})
    else:
        parts.append(_("does not list %(hazard)s") % {"hazard": label})
    parts.append(
        {
            "county": _("same county"),
            "city": _("same city"),
            "province": _("same province"),
            "other": _("farther away"),
        }.get(reasons.get("distance"), _("farther away"))
    )
    title = reasons.get("title_level")
    if title in TitleLevel.values and title != TitleLevel.NONE:
        parts.append(str(TitleLevel(title).label))
    parts.append(_("current tasks %(n)s") % {"n": reasons.get("load", 0)})
    if reasons.get("chosen"):
        parts.append(_("named by the officer"))
    return parts


def _active_count(incident: Incident) -> int:
    return GroupMember.objects.filter(
        incident=incident,
        status__in=(c.MemberStatus.PROPOSED, c.MemberStatus.INVITED, c.MemberStatus.ACCEPTED),
    ).count()


def _add_proposals(incident, found, *, actor, replaces=None) -> list[GroupMember]:
    now = clock.now()
    start = (
        GroupMember.objects.filter(incident=incident)
        .order_by("-rank")
        .values_list("rank", flat=True)
        .first()
        or 0
    )
    members = [
        GroupMember(
            incident=incident,
            person_id=x.person_id,
            pool_id=x.pool_id,
            status=c.MemberStatus.PROPOSED,
            rank=start + i + 1,
            score=x.score,
            reasons=x.reasons,
            replaces=replaces,
            proposed_at=now,
        )
        for i, x in enumerate(found)
    ]
    GroupMember.objects.bulk_create(members)
    if members:
        audit.record(
            "emergency.groupmember.proposed",
            obj=incident,
            actor=actor,
            detail={
                "people": [m.person_id for m in members],
                "replaces": replaces.pk if replaces else None,
            },
        )
    return members


@transaction.atomic
def propose_group(incident: Incident, *, actor=None, size: int | None = None):
    """Propose experts until the group (proposed, invited, accepted) has `size` members
    (default: the level's group size). Returns the new proposals."""
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=incident.pk)
    )
    if not incident.is_open:
        raise StateConflict(_("The incident is closed; its group no longer changes."))
    size = size or c.GROUP_SIZE[incident.level]
    wanted = size - _active_count(incident)
    if wanted <= 0:
        return []
    found = candidates(incident, limit=wanted)
    return _add_proposals(incident, found, actor=actor)


@transaction.atomic
def add_expert(incident: Incident, person, *, actor) -> GroupMember:
    """The officer proposes a named expert (one they know fits, a member of an active
    emergency or health pool, available): a proposal like the platform's, with the same
    reasons and `chosen` set, confirmed (invited) like the others."""
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=incident.pk)
    )
    if not incident.is_open:
        raise StateConflict(_("The incident is closed; its group no longer changes."))
    scope.check(actor, incident, "change")
    if GroupMember.objects.filter(incident=incident, person_id=person.pk).exists():
        raise DomainError({"person": [_("This expert is already in the group.")]})
    found = candidates(incident, only_person_ids=[person.pk], limit=1)
    if not found:
        raise DomainError(
            {
                "person": [
                    _(
                        "Only an available member of an active emergency or health expert "
                        "pool who is not on duty elsewhere can join the group."
                    )
                ]
            }
        )
    found[0].reasons["chosen"] = True
    return _add_proposals(incident, found, actor=actor)[0]


def _locked_member(member: GroupMember) -> GroupMember:
    return (
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("incident", "incident__region", "person", "person__user", "pool")
        .get(pk=member.pk)
    )


def _refuse_state(member: GroupMember) -> None:
    raise StateConflict(
        _("This expert is “%(status)s” in the group; that step is not possible now.")
        % {"status": member.get_status_display()}
    )


def _invitation_mail(member: GroupMember, path: str):
    """The invitation mail, when the expert's account has an e-mail address."""
    from django.conf import settings

    user = member.person.user
    if user is None or not user.email:
        return None
    incident = member.incident
    return (
        _("Invitation to the expert group: %(title)s") % {"title": incident.title},
        _(
            "%(name)s, you are invited to the expert group of “%(title)s” (%(level)s). "
            "Please accept or decline on the platform: %(path)s"
        )
        % {
            "name": member.person.name,
            "title": incident.title,
            "level": incident.get_level_display(),
            "path": path,
        },
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


@transaction.atomic
def invite_members(incident: Incident, *, actor, members) -> list[GroupMember]:
    """The officer confirms proposals: each becomes an invitation, mailed to the expert
    when their account or record has an e-mail address."""
    from django.urls import reverse

    incident = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    if not incident.is_open:
        raise StateConflict(_("The incident is closed; its group no longer changes."))
    ids = [m.pk if isinstance(m, GroupMember) else int(m) for m in members]
    if not ids:
        raise DomainError({"members": [_("Choose the proposed experts to invite.")]})
    rows = list(
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("incident", "person", "person__user")
        .filter(incident=incident, pk__in=ids)
        .order_by("rank", "pk")
    )
    if len(rows) != len(set(ids)):
        raise DomainError({"members": [_("Some of these experts are not in this group.")]})
    waiting = [m for m in rows if m.status != c.MemberStatus.PROPOSED]
    if waiting:
        _refuse_state(waiting[0])
    now = clock.now()
    path = reverse("emergency:invitation_list")
    mails = []
    for member in rows:
        scope.check(actor, member, "invite")
        member.status = c.MemberStatus.INVITED
        member.invited_at, member.invited_by = now, _user(actor)
        member.save(update_fields=["status", "invited_at", "invited_by"])
        audit.record(
            "emergency.groupmember.invited",
            obj=member,
            actor=actor,
            changes={"status": [c.MemberStatus.PROPOSED, c.MemberStatus.INVITED]},
        )
        message = _invitation_mail(member, path)
        if message:
            mails.append(message)
    if mails:
        mail.send_later(mails, actor=_user(actor))
    return rows


@transaction.atomic
def withdraw_member(member: GroupMember, *, actor) -> GroupMember:
    """Take back a proposal or an unanswered invitation."""
    member = _locked_member(member)
    if not member.can_withdraw() or not member.incident.is_open:
        _refuse_state(member)
    scope.check(actor, member, "withdraw")
    before = member.status
    member.status = c.MemberStatus.WITHDRAWN
    member.save(update_fields=["status"])
    audit.record(
        "emergency.groupmember.withdrawn",
        obj=member,
        actor=actor,
        changes={"status": [before, member.status]},
    )
    return member


def _answer(member, *, actor, accept: bool, reason: str, via: str, rule: str):
    reason = (reason or "").strip()
    if not accept and len(reason) < 2:
        raise DomainError({"reason": [_("Give the reason for declining.")]})
    member = _locked_member(member)
    if not member.can_respond():
        _refuse_state(member)
    scope.check(actor, member, rule)
    now = clock.now()
    member.status = c.MemberStatus.ACCEPTED if accept else c.MemberStatus.DECLINED
    member.responded_at, member.responded_via = now, via
    member.decline_reason = "" if accept else reason[:300]
    fields = ["status", "responded_at", "responded_via", "decline_reason"]
    if via == c.Via.OFFICER:
        member.recorded_by = _user(actor)
        fields.append("recorded_by")
    member.save(update_fields=fields)
    audit.record(
        "emergency.groupmember.accepted" if accept else "emergency.groupmember.declined",
        obj=member,
        actor=actor,
        changes={"status": [c.MemberStatus.INVITED, member.status]},
        detail={"via": via, **({"reason": reason[:300]} if reason else {})},
    )
    if accept:
        from kepu.emergency.services.incidents import mark_responding

        mark_responding(member.incident, when=now)
    else:
        propose_replacement(member, actor=actor)
    return member


@transaction.atomic
def respond_invitation(member: GroupMember, *, actor, accept: bool, reason: str = ""):
    """The invited expert answers through their own account; a decline needs a reason
    and makes the platform propose a replacement."""
    return _answer(
        member, actor=actor, accept=accept, reason=reason, via=c.Via.SELF, rule="respond"
    )


@transaction.atomic
def record_response(member: GroupMember, *, actor, accept: bool, reason: str = ""):
    """An officer records the expert's answer given by phone (audited with the officer's
    name, `responded_via` "officer")."""
    return _answer(
        member, actor=actor, accept=accept, reason=reason, via=c.Via.OFFICER, rule="record"
    )


@transaction.atomic
def propose_replacement(member: GroupMember, *, actor=None) -> GroupMember | None:
    """One new proposal replacing a declined expert (the officer confirms it like the
    others); None when no candidate is left."""
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=member.incident_id)
    )
    if not incident.is_open:
        return None
    found = candidates(incident, limit=1)
    added = _add_proposals(incident, found, actor=actor, replaces=member)
    return added[0] if added else None


@transaction.atomic
def set_lead(member: GroupMember, *, actor) -> GroupMember:
    """Make an accepted expert the group's lead (one lead per group)."""
    member = _locked_member(member)
    if member.status != c.MemberStatus.ACCEPTED or not member.incident.is_open:
        _refuse_state(member)
    scope.check(actor, member, "invite")
    GroupMember.objects.filter(incident_id=member.incident_id, is_lead=True).exclude(
        pk=member.pk
    ).update(is_lead=False)
    member.is_lead = True
    member.save(update_fields=["is_lead"])
    audit.record(
        "emergency.groupmember.lead_set",
        obj=member,
        actor=actor,
        changes={"is_lead": [False, True]},
    )
    return member


@transaction.atomic
def add_shift(member: GroupMember, *, actor, starts_at, ends_at) -> DutyShift:
    """Put an accepted expert on duty for the group from `starts_at` to `ends_at`. An
    expert is never on duty for two groups (or twice) at the same hour: the person's row
    is locked, so two requests cannot both pass the check."""
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise DomainError({"ends_at": [_("The shift must end after it starts.")]})
    member = _locked_member(member)
    if member.status != c.MemberStatus.ACCEPTED or not member.incident.is_open:
        raise StateConflict(_("Only accepted experts of an open incident are put on duty."))
    scope.check(actor, member, "schedule")
    Person.objects.select_for_update(of=("self",)).filter(pk=member.person_id).first()
    clash = (
        DutyShift.objects.filter(
            person_id=member.person_id, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("member__incident")
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("%(name)s is already on duty for the “%(incident)s” expert group at that time.")
            % {"name": member.person.name, "incident": clash.member.incident.title}
        )
    shift = DutyShift(
        member=member,
        person_id=member.person_id,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=_user(actor),
    )
    shift.full_clean()
    shift.save()
    audit.record(
        "emergency.dutyshift.created",
        obj=shift,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(shift)),
        detail={"incident": member.incident_id, "person": member.person_id},
    )
    return shift


@transaction.atomic
def remove_shift(shift: DutyShift, *, actor) -> None:
    """Take a shift off the schedule."""
    shift = (
        DutyShift.objects.select_for_update(of=("self",))
        .select_related("member", "member__incident")
        .get(pk=shift.pk)
    )
    if not shift.member.incident.is_open:
        raise StateConflict(_("The incident is closed; its group no longer changes."))
    scope.check(actor, shift.member, "schedule")
    before = audit.snapshot(shift)
    audit.record(
        "emergency.dutyshift.removed",
        obj=shift,
        actor=actor,
        changes=audit.diff(before, {}),
        detail={"incident": shift.member.incident_id},
    )
    shift.delete()
