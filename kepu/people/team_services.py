"""State changes of volunteer teams, second pass (issue 26): a team applies or is filed,
the region certifies it (认定, four-eyes), suspends, reinstates or dissolves it; sub-teams
(分队) under a parent team; designated service groups for counties (seed 003 (十六)); team
honours (seeds 004 (23), 003 (十)). Each runs in a transaction and is audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.core.scope import require_region
from kepu.people import choices as c
from kepu.people.models import Person, ServiceGroup, ServiceGroupCounty, Team, TeamHonour

S = c.TeamStatus


def _check_parent(parent: Team | None, region) -> None:
    if parent is None:
        return
    if parent.status in (S.REJECTED, S.DISSOLVED):
        raise DomainError({"parent": _("The parent team is not certified or has been dissolved.")})
    if not Region.objects.subtree(parent.region).filter(pk=region.pk).exists():
        raise DomainError({"parent": _("A sub-team is in its parent team's region or within it.")})


@transaction.atomic
def file_team(*, actor, parent=None, **fields) -> Team:
    """An officer files a team for certification (status: awaiting certification)."""
    fields.setdefault("created_at", clock.now())
    team = Team(status=S.PENDING, submitted_by=actor, parent=parent, **fields)
    team.full_clean()
    require_region(actor, Team, "create", team.region)
    _check_parent(parent, team.region)
    team.save()
    if parent is not None:
        Team.objects.filter(pk=parent.pk).update(sub_team_count=F("sub_team_count") + 1)
    audit.created(team, actor=actor)
    return team


@transaction.atomic
def apply_team(*, actor, name: str, specialties: str = "", organization=None) -> Team:
    """A registered person applies for a team they lead; the team is in their region and
    waits for the region's certification. Nobody files it for them, so no four-eyes."""
    leader = Person.objects.filter(user=actor, erased_at__isnull=True).first()
    if leader is None:
        raise DomainError(_("Only a person in the registry can apply for a team; register first."))
    if Team.objects.filter(leader=leader, status=S.PENDING).exists():
        raise StateConflict(_("You already have a team application awaiting certification."))
    team = Team(
        name=name,
        specialties=specialties,
        organization=organization,
        region=leader.region,
        leader=leader,
        status=S.PENDING,
        created_at=clock.now(),
    )
    team.full_clean()
    team.save()
    audit.record(
        "people.team.applied", obj=team, actor=actor, changes=audit.diff({}, audit.snapshot(team))
    )
    return team


def _locked(team: Team) -> Team:
    return Team.objects.select_for_update(of=("self",)).select_related("region").get(pk=team.pk)


def _move(
    team: Team,
    *,
    actor,
    status: str,
    code: str,
    reason: str = "",
    allowed: bool,
    refusal: str,
    **extra,
) -> Team:
    if not allowed:
        raise StateConflict(refusal)
    before = audit.snapshot(team)
    team.status = status
    team.status_reason = reason
    fields = ["status", "status_reason"]
    for name, value in extra.items():
        setattr(team, name, value)
        fields.append(name)
    team.save(update_fields=fields)
    audit.record(code, obj=team, actor=actor, changes=audit.diff(before, audit.snapshot(team)))
    return team


@transaction.atomic
def certify_team(team: Team, *, actor) -> Team:
    """The region certifies (认定) the team; who filed it may not (four-eyes)."""
    team = _locked(team)
    if actor is not None:
        scope.check(actor, team, "certify")
    return _move(
        team,
        actor=actor,
        status=S.ACTIVE,
        code="people.team.certified",
        allowed=team.can_certify(),
        refusal=_("Only a team awaiting certification can be certified."),
        certified_at=clock.now(),
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError({"reason": _("Give the reason.")})
    return reason[:300]


@transaction.atomic
def reject_team(team: Team, *, actor, reason: str) -> Team:
    team = _locked(team)
    if actor is not None:
        scope.check(actor, team, "certify")
    return _move(
        team,
        actor=actor,
        status=S.REJECTED,
        code="people.team.rejected",
        reason=_reason(reason),
        allowed=team.can_certify(),
        refusal=_("Only a team awaiting certification can be refused."),
    )


@transaction.atomic
def suspend_team(team: Team, *, actor, reason: str) -> Team:
    team = _locked(team)
    return _move(
        team,
        actor=actor,
        status=S.SUSPENDED,
        code="people.team.suspended",
        reason=_reason(reason),
        allowed=team.can_suspend(),
        refusal=_("Only an active team can be suspended."),
    )


@transaction.atomic
def reinstate_team(team: Team, *, actor) -> Team:
    team = _locked(team)
    return _move(
        team,
        actor=actor,
        status=S.ACTIVE,
        code="people.team.reinstated",
        allowed=team.can_reinstate(),
        refusal=_("Only a suspended team can be reinstated."),
    )


@transaction.atomic
def dissolve_team(team: Team, *, actor, reason: str) -> Team:
    team = _locked(team)
    if (
        team.can_dissolve()
        and team.sub_teams.exclude(status__in=[S.DISSOLVED, S.REJECTED]).exists()
    ):
        raise DomainError(_("Dissolve or move its sub-teams first."))
    return _move(
        team,
        actor=actor,
        status=S.DISSOLVED,
        code="people.team.dissolved",
        reason=_reason(reason),
        allowed=team.can_dissolve(),
        refusal=_("Only an active or suspended team can be dissolved."),
    )


# Deeper than any real team tree: the walk up from a new parent stops there.
MAX_DEPTH = 20


@transaction.atomic
def move_team(team: Team, *, actor, parent: Team | None) -> Team:
    """Put a team under another parent team, or at the top (None). The parents' stored
    sub-team counts follow; a team cannot go under itself or one of its own sub-teams,
    and stays within its new parent's region (as when it was filed)."""
    team = _locked(team)
    if actor is not None:
        scope.check(actor, team, "change")
    if not team.can_move():
        raise StateConflict(_("A dissolved or refused team cannot be moved."))
    if (parent.pk if parent else None) == team.parent_id:
        raise StateConflict(_("The team is already under this parent."))
    if parent is not None:
        ancestor, depth = parent, 0
        while ancestor is not None and depth < MAX_DEPTH:
            if ancestor.pk == team.pk:
                raise DomainError(
                    {"parent": _("A team cannot go under itself or one of its sub-teams.")}
                )
            ancestor, depth = ancestor.parent, depth + 1
        _check_parent(parent, team.region)
    before = audit.snapshot(team)
    old = team.parent_id
    team.parent = parent
    team.save(update_fields=["parent"])
    if old is not None:
        Team.objects.filter(pk=old).update(sub_team_count=F("sub_team_count") - 1)
    if parent is not None:
        Team.objects.filter(pk=parent.pk).update(sub_team_count=F("sub_team_count") + 1)
    audit.record(
        "people.team.moved", obj=team, actor=actor, changes=audit.diff(before, audit.snapshot(team))
    )
    return team


# --- honours ----------------------------------------------------------------------------


@transaction.atomic
def add_team_honour(
    team: Team, *, actor, honour: str, year: int, awarded_by: str, title: str = ""
) -> TeamHonour:
    if team.status not in (S.ACTIVE, S.SUSPENDED, S.DISSOLVED):
        raise StateConflict(_("Only a certified team can receive an honour."))
    if year > clock.today().year:
        raise DomainError({"year": _("The year cannot be in the future.")})
    record = TeamHonour(team=team, honour=honour, year=year, awarded_by=awarded_by, title=title)
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise DomainError(_("The team already has this honour for this year.")) from None
    audit.created(record, actor=actor, region_code=team.region.code)
    return record


# --- designated service groups -------------------------------------------------------------


@transaction.atomic
def create_service_group(*, actor, counties, **fields) -> ServiceGroup:
    """A group the region sends to `counties` (county level, within the region)."""
    group = ServiceGroup(created_at=clock.now(), **fields)
    group.full_clean()
    require_region(actor, ServiceGroup, "create", group.region)
    counties = list(counties)
    if not counties:
        raise DomainError({"counties": _("Assign the group at least one county.")})
    inside = set(
        Region.objects.subtree(group.region)
        .filter(pk__in=[r.pk for r in counties], level=RegionLevel.COUNTY)
        .values_list("pk", flat=True)
    )
    outside = [r.name for r in counties if r.pk not in inside]
    if outside:
        raise DomainError(
            {
                "counties": _("Not a county within the organizing region: %(names)s")
                % {"names": "、".join(outside)}
            }
        )
    lead = group.lead_team
    if lead is not None and lead.status != S.ACTIVE:
        raise DomainError({"lead_team": _("The lead team must be certified and active.")})
    group.save()
    ServiceGroupCounty.objects.bulk_create(
        [ServiceGroupCounty(group=group, county=r) for r in sorted(counties, key=lambda r: r.code)]
    )
    audit.created(group, actor=actor, detail={"counties": [r.code for r in counties]})
    return group
