"""Approval up the tree (DHIS2's data approval): a county approves once every return it
answers for is accepted; a city once every county below it that has returns approved; the
province once every city did. A parent never approves before its children. The level
above returns an approval with a reason; it reopens (the county may then return a unit's
return), and the parent's own approval must be open to do so."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.stats import choices as c
from kepu.stats.models import RegionApproval, Return, SurveyRound
from kepu.stats.services import figures_cache

A = c.ApprovalStatus


def reporting_children(survey: SurveyRound, region: Region) -> list[Region]:
    """The regions right below `region` that have returns in their subtree."""
    from kepu.core.scope import region_q

    depth = region.level + 1
    codes = set()
    # The distinct responsible regions from the (round, region, status) index, then
    # their paths: no join of every return with its region.
    ids = (
        Return.objects.filter(region_q("region", [region]), round=survey)
        .exclude(region=region)
        .values_list("region_id", flat=True)
        .distinct()
        .order_by()
    )
    for path in Region.objects.filter(pk__in=list(ids)).values_list("path", flat=True):
        parts = [p for p in path.split("/") if p]
        if len(parts) >= depth:
            codes.add(parts[depth - 1])
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def blockers(survey: SurveyRound, region: Region) -> list[str]:
    """Why the region cannot approve yet (empty: it can)."""
    out = []
    open_returns = (
        Return.objects.filter(round=survey, region=region)
        .exclude(status=c.ReturnStatus.ACCEPTED)
        .count()
    )
    if open_returns:
        out.append(_("%(n)s returns of units are not accepted yet.") % {"n": open_returns})
    children = reporting_children(survey, region)
    approved = set(
        RegionApproval.objects.filter(
            round=survey, region__in=children, status=A.APPROVED
        ).values_list("region_id", flat=True)
    )
    waiting = [r.name for r in children if r.pk not in approved]
    if waiting:
        out.append(
            _("Not approved yet below: %(regions)s.")
            % {"regions": "、".join(waiting[:10]) + ("…" if len(waiting) > 10 else "")}
        )
    return out


def approval(survey: SurveyRound, region: Region) -> RegionApproval:
    row, _created = RegionApproval.objects.get_or_create(round=survey, region=region)
    return row


def _require_parent_open(survey: SurveyRound, region: Region) -> None:
    if (
        region.parent_id
        and RegionApproval.objects.filter(
            round=survey, region_id=region.parent_id, status=A.APPROVED
        ).exists()
    ):
        raise StateConflict(_("The level above has approved; it must return its approval first."))


@transaction.atomic
def approve(survey: SurveyRound, region: Region, *, actor) -> RegionApproval:
    if survey.status != c.RoundStatus.OPEN:
        raise StateConflict(_("The survey is not open."))
    # The blockers first: a refused approval writes nothing (not even the pending row).
    waiting = blockers(survey, region)
    if waiting:
        raise DomainError(" ".join(waiting))
    row = RegionApproval.objects.select_for_update().get(pk=approval(survey, region).pk)
    if row.status == A.APPROVED:
        raise StateConflict(_("Already approved."))
    before = row.status
    row.status, row.approved_by, row.approved_at = A.APPROVED, actor, clock.now()
    row.reason = ""
    row.save()
    figures_cache.changed(survey.pk)
    audit.record(
        "stats.regionapproval.approved",
        obj=row,
        actor=actor,
        changes={"status": [before, row.status]},
    )
    return row


@transaction.atomic
def send_back(survey: SurveyRound, region: Region, *, actor, reason: str) -> RegionApproval:
    """The level above returns a region's approval (the caller checked it is the parent's
    officer)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason for returning it.")})
    row = RegionApproval.objects.select_for_update().get(pk=approval(survey, region).pk)
    if row.status != A.APPROVED:
        raise StateConflict(_("Only an approved region can be returned."))
    _require_parent_open(survey, region)
    before = row.status
    row.status, row.returned_by, row.returned_at, row.reason = (
        A.RETURNED,
        actor,
        clock.now(),
        reason,
    )
    row.save()
    figures_cache.changed(survey.pk)
    audit.record(
        "stats.regionapproval.returned",
        obj=row,
        actor=actor,
        changes={"status": [before, row.status]},
        detail={"reason": reason},
    )
    return row
