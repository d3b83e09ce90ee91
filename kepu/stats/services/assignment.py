"""Reporting units per round: an officer assigns the organizations of a region's subtree
by type, in bulk (a province's 20,000 units are one or two INSERT statements, and a job
with progress above ASYNC_ABOVE), and removes a unit that has not started.

A unit without an active staff account is marked `filled_by_region`: its county fills
the return for it. A venue (org_type venue) files its own return (`is_venue`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit
from kepu.core.choices import OrgType
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Organization, Region, RoleAssignment
from kepu.core.scope import id_ranges_q, require_region
from kepu.stats import choices as c
from kepu.stats.models import Return, SurveyRound
from kepu.stats.services import figures_cache

# Above this many candidate units the assignment runs as a background job.
ASYNC_ABOVE = 2000


def _subtree_q(lookup: str, region: Region):
    from kepu.core.regiontree import subtree_ids

    ids = subtree_ids(region)
    if ids is None:
        from django.db.models import Q

        return Q(**{f"{lookup}__isnull": False})
    return id_ranges_q(lookup, ids)


def candidates(survey: SurveyRound, region: Region, org_types):
    """Active organizations of the types in the region's subtree not yet assigned."""
    assigned = Return.objects.filter(round=survey).values("organization_id")
    return (
        Organization.objects.filter(_subtree_q("region", region), is_active=True)
        .filter(org_type__in=list(org_types))
        .exclude(pk__in=assigned)
    )


def _responsible(paths: dict[int, str]) -> dict[int, int]:
    """Region id → the id of the region that answers for its units (the county, or the
    region itself at county level and above)."""
    county_codes = {}
    for pk, path in paths.items():
        codes = [p for p in path.split("/") if p]
        county_codes[pk] = codes[2] if len(codes) > 3 else codes[-1]
    ids = dict(Region.objects.filter(code__in=set(county_codes.values())).values_list("code", "pk"))
    return {pk: ids[code] for pk, code in county_codes.items()}


@transaction.atomic
def assign_units(
    survey: SurveyRound,
    region: Region,
    org_types,
    *,
    actor,
    dept_category: str = c.DeptCategory.OTHER,
    progress=None,
) -> int:
    """Assign every candidate unit; answers how many were assigned."""
    require_region(actor, SurveyRound, "assign", region)
    if survey.status in (c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED):
        raise StateConflict(_("The survey is closed: units can no longer be assigned."))
    if not region.is_within(survey.region):
        raise DomainError({"region": _("This region is outside the survey's region.")})
    pending = candidates(survey, region, org_types)
    rows = list(pending.values_list("pk", "org_type", "region_id"))
    if not rows:
        return 0
    if progress:
        progress(0, len(rows), _("Assigning the units"))
    paths = dict(Region.objects.filter(pk__in={r[2] for r in rows}).values_list("pk", "path"))
    responsible = _responsible(paths)
    staffed = set(
        RoleAssignment.objects.filter(
            organization_id__in=pending.values("pk"), user__is_active=True
        ).values_list("organization_id", flat=True)
    )
    Return.objects.bulk_create(
        [
            Return(
                round=survey,
                organization_id=pk,
                region_id=responsible[region_id],
                dept_category=dept_category,
                is_venue=org_type == OrgType.VENUE,
                filled_by_region=pk not in staffed,
            )
            for pk, org_type, region_id in rows
        ],
        batch_size=10000,
    )
    figures_cache.changed(survey.pk)
    audit.record(
        "stats.surveyround.assigned",
        obj=survey,
        actor=actor,
        detail={
            "region": region.code,
            "org_types": sorted(org_types),
            "dept_category": dept_category,
            "units": len(rows),
            "filled_by_region": sum(1 for r in rows if r[0] not in staffed),
        },
    )
    if progress:
        progress(len(rows), len(rows))
    return len(rows)


@transaction.atomic
def remove_unit(ret: Return, *, actor) -> None:
    """Take a unit out of the round before it started filing."""
    ret = Return.objects.select_for_update().select_related("round", "region").get(pk=ret.pk)
    if ret.status != c.ReturnStatus.NOT_STARTED:
        raise StateConflict(_("Only a unit that has not started filing can be removed."))
    figures_cache.changed(ret.round_id)
    audit.record(
        "stats.return.removed",
        obj=ret,
        actor=actor,
        detail={"organization": ret.organization_id, "round": ret.round_id},
    )
    ret.delete()
