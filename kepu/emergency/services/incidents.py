"""Incidents: activation (the level decides who may activate: `choices.ACTIVATING_LEVELS`),
changes, the start of the response and closing. Activation proposes the expert group in
the same transaction (`services.group.propose_group`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache, scope
from kepu.core.choices import RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import allowed_regions, require_region
from kepu.emergency import choices as c
from kepu.emergency.models import Incident, IncidentRegion

EDITABLE = ("title", "summary", "level")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=incident.pk)
    )


def _refuse_state(incident: Incident) -> None:
    raise StateConflict(
        _("This incident is “%(status)s”; it cannot be changed that way now.")
        % {"status": incident.get_status_display()}
    )


def level_rule_refusal(level: int, region) -> str | None:
    """Why an incident of `level` cannot be the responsibility of `region`, or None.
    Levels Ⅰ and Ⅱ belong to a province, Ⅲ and Ⅳ to a province or a city."""
    if region.level not in (RegionLevel.PROVINCE, RegionLevel.PREFECTURE):
        return _(
            "The responsible region must be a province or a city; counties take part as "
            "affected regions."
        )
    if region.level not in c.ACTIVATING_LEVELS[level]:
        return _("Level I and II incidents are activated by a province officer.")
    return None


def _check_activator(actor, level: int, region) -> None:
    if actor is None:  # the system (demo, tests)
        return
    regions = allowed_regions(actor, Incident, "create")
    if not regions.filter(level__lte=RegionLevel.PREFECTURE).exists():
        raise DomainError(
            _(
                "Only province and city officers activate an incident; "
                "county officers take part in it."
            )
        )
    require_region(actor, Incident, "create", region)


def _check_affected(region, affected) -> list:
    affected = list({r.pk: r for r in affected}.values())
    if not affected:
        raise DomainError({"affected_regions": [_("Choose at least one affected region.")]})
    outside = [r.name for r in affected if not r.path.startswith(region.path)]
    if outside:
        raise DomainError(
            {
                "affected_regions": [
                    _("%(regions)s: not within %(region)s.")
                    % {"regions": _(", ").join(outside), "region": region.name}
                ]
            }
        )
    return affected


@transaction.atomic
def activate_incident(
    *,
    actor,
    title,
    hazard,
    level,
    region,
    affected_regions,
    started_at=None,
    summary="",
    is_drill=False,
) -> Incident:
    """Activate the emergency response for `region` (a province or a city in the actor's
    scope, as the level allows) and propose its expert group at once."""
    level = int(level)
    if level not in c.GROUP_SIZE:
        raise DomainError({"level": [_("Choose a level from I to IV.")]})
    reason = level_rule_refusal(level, region)
    _check_activator(actor, level, region)
    if reason:
        raise DomainError({"level": [reason]})
    affected = _check_affected(region, affected_regions)
    now = clock.now()
    started_at = started_at or now
    if started_at > now:
        raise DomainError({"started_at": [_("The start cannot be in the future.")]})
    incident = Incident(
        title=(title or "").strip(),
        hazard=hazard,
        level=level,
        region=region,
        summary=summary or "",
        started_at=started_at,
        is_drill=bool(is_drill),
        status=c.IncidentStatus.ACTIVATED,
        activated_by=_user(actor),
        activated_at=now,
    )
    incident.full_clean()
    incident.save()
    IncidentRegion.objects.bulk_create(
        [IncidentRegion(incident=incident, region=r) for r in affected]
    )
    audit.record(
        "emergency.incident.activated",
        obj=incident,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(incident)),
        detail={"affected": sorted(r.code for r in affected)},
    )
    from kepu.emergency.services.group import propose_group

    propose_group(incident, actor=actor)
    publiccache.bump(c.PUBLIC_TAG)  # a drill's page is reachable by its address too
    return incident


@transaction.atomic
def update_incident(incident: Incident, *, actor, add_regions=(), **fields) -> Incident:
    """Change the title, situation or level of an open incident and add affected regions
    (never remove one: pushes went there). A new level is checked against the level rule
    again."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    incident = _locked(incident)
    if not incident.can_change():
        _refuse_state(incident)
    scope.check(actor, incident, "change")
    if "level" in fields:
        fields["level"] = int(fields["level"])
        if fields["level"] != incident.level:
            reason = level_rule_refusal(fields["level"], incident.region)
            if reason:
                raise DomainError({"level": [reason]})
    before = audit.snapshot(incident)
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.full_clean()
    incident.save(update_fields=list(fields))
    existing = set(incident.affected.values_list("region_id", flat=True))
    added = [r for r in add_regions if r.pk not in existing]
    if added:
        added = _check_affected(incident.region, added)
        IncidentRegion.objects.bulk_create(
            [IncidentRegion(incident=incident, region=r) for r in added]
        )
    changes = audit.diff(before, audit.snapshot(incident))
    detail = {"added_regions": sorted(r.code for r in added)} if added else None
    audit.record(
        "emergency.incident.updated", obj=incident, actor=actor, changes=changes, detail=detail
    )
    publiccache.bump(c.PUBLIC_TAG)  # a drill's page is reachable by its address too
    return incident


@transaction.atomic
def close_incident(incident: Incident, *, actor, lessons: str = "") -> Incident:
    """Close an open incident with the lessons learned; its open invitations and
    proposals stay as they are (the review report shows them)."""
    incident = _locked(incident)
    if not incident.can_close():
        _refuse_state(incident)
    scope.check(actor, incident, "close")
    before = audit.snapshot(incident)
    incident.status = c.IncidentStatus.CLOSED
    incident.closed_by, incident.closed_at = _user(actor), clock.now()
    incident.lessons = (lessons or "").strip()
    incident.full_clean()
    incident.save(update_fields=["status", "closed_by", "closed_at", "lessons"])
    audit.record(
        "emergency.incident.closed",
        obj=incident,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(incident)),
    )
    publiccache.bump(c.PUBLIC_TAG)  # a drill's page is reachable by its address too
    return incident


@transaction.atomic
def mark_responding(incident: Incident, *, when=None) -> bool:
    """activated → responding (the first expert accepted, or the first push went out).
    Idempotent: True only for the call that made the change."""
    when = when or clock.now()
    changed = Incident.objects.filter(pk=incident.pk, status=c.IncidentStatus.ACTIVATED).update(
        status=c.IncidentStatus.RESPONDING, responding_at=when
    )
    if changed:
        incident.status, incident.responding_at = c.IncidentStatus.RESPONDING, when
        audit.record(
            "emergency.incident.response_started",
            obj=incident,
            changes={"status": [c.IncidentStatus.ACTIVATED, c.IncidentStatus.RESPONDING]},
        )
        publiccache.bump(c.PUBLIC_TAG)
    return bool(changed)
