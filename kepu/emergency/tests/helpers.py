"""Test data for the emergency app's tests.

`make_incident` and `make_member` write an incident and a group member directly, for
tests about pushes, rumours and the public pages that need an incident but not its
activation (no proposal, no audit): cheap fixtures. Tests of activation and of the group
go through the services (`tests/authz_group.py` `make_incident`). Use them only in
tests."""

from __future__ import annotations

from kepu.core import clock
from kepu.core.models import Region
from kepu.emergency import choices as c
from kepu.emergency.models import GroupMember, Incident, IncidentRegion
from kepu.people.models import ExpertPool


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_incident(
    *,
    title="测试地震",
    hazard="earthquake",
    level=3,
    region_code="51",
    affected=("510104",),
    is_drill=False,
    status=c.IncidentStatus.ACTIVATED,
) -> Incident:
    now = clock.now()
    incident = Incident.objects.create(
        title=title,
        hazard=hazard,
        level=level,
        region=region(region_code),
        started_at=now,
        activated_at=now,
        is_drill=is_drill,
        status=status,
        closed_at=now if status == c.IncidentStatus.CLOSED else None,
    )
    for code in affected:
        IncidentRegion.objects.create(incident=incident, region=region(code))
    return incident


def make_member(incident: Incident, person, *, status=c.MemberStatus.ACCEPTED) -> GroupMember:
    pool = (
        ExpertPool.objects.filter(kind="emergency").order_by("pk").first()
        or ExpertPool.objects.order_by("pk").first()
    )
    now = clock.now()
    return GroupMember.objects.create(
        incident=incident,
        person=person,
        pool=pool,
        status=status,
        proposed_at=now,
        invited_at=now if status != c.MemberStatus.PROPOSED else None,
        responded_at=now if status in (c.MemberStatus.ACCEPTED, c.MemberStatus.DECLINED) else None,
        responded_via=c.Via.SELF if status == c.MemberStatus.ACCEPTED else "",
    )
