"""Spot checks (抽查) and rectification (整改): an officer draws a sample of the year's
reports at random (seeded, so the draw can be repeated and shown), records each visit;
a base below the bar is warned and ordered to rectify within working days, reports what
it did, and a re-check decides: kept (back to active) or revoked."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.bases import annual_choices as c
from kepu.bases.choices import BaseStatus
from kepu.bases.models import AnnualReport, Base, Rectification, SpotCheck
from kepu.bases.services.annual import _user, require
from kepu.bases.services.registry import set_base_status
from kepu.core import audit, clock, scope, workdays
from kepu.core.errors import DomainError, StateConflict
from kepu.core.uploads import check_image, check_upload

MAX_SAMPLE = 200
PHOTO_TYPES = ("jpg", "jpeg", "png")


def _new_check(base: Base, year: int, *, actor, kind=c.SpotCheckKind.ANNUAL, seed="") -> SpotCheck:
    return SpotCheck(
        base=base,
        year=year,
        region_id=base.region_id,
        organization_id=base.organization_id,
        kind=kind,
        drawn_seed=seed,
        created_by=_user(actor),
    )


@transaction.atomic
def plan_spot_check(base: Base, year: int, *, actor, kind=c.SpotCheckKind.ANNUAL) -> SpotCheck:
    """A visit planned by hand (not drawn)."""
    if actor is not None:
        scope.require_region(actor, SpotCheck, "create", base.region)
    check = _new_check(base, year, actor=actor, kind=kind)
    check.save()
    audit.created(check, actor=actor)
    return check


@transaction.atomic
def draw_spot_checks(*, actor, region, year: int, size: int, seed: str = "") -> list[SpotCheck]:
    """Draw `size` bases at random among those of `region` that filed a report on `year`
    (submitted or accepted) and have no spot check that year yet. Seeded: the same seed
    on the same reports draws the same bases (the seed is kept on each check and in the
    audit entry)."""
    scope.require_region(actor, SpotCheck, "create", region)
    if not 1 <= int(size) <= MAX_SAMPLE:
        raise DomainError({"size": [_("Draw 1 to %(n)d bases.") % {"n": MAX_SAMPLE}]})
    seed = (seed or "").strip() or clock.now().strftime("%Y%m%d%H%M%S")
    candidates = list(
        AnnualReport.objects.filter(
            year=year, region__path__startswith=region.path, status__in=c.FILED_STATUSES
        )
        .exclude(base__spot_checks__year=year, base__spot_checks__kind=c.SpotCheckKind.ANNUAL)
        .order_by("base_id")
        .values_list("base_id", flat=True)
    )
    if not candidates:
        raise DomainError(_("No filed report is left to draw from in this region and year."))
    # A reproducible draw (the seed is shown and audited), not a secret: no CSPRNG.
    picked = random.Random(f"{seed}:{year}:{region.code}").sample(  # noqa: S311
        candidates, min(int(size), len(candidates))
    )
    bases = Base.objects.in_bulk(picked)
    checks = [_new_check(bases[pk], year, actor=actor, seed=seed) for pk in sorted(picked)]
    SpotCheck.objects.bulk_create(checks)
    audit.record(
        "bases.spotcheck.drawn",
        object_type="bases.spotcheck",
        actor=actor,
        region_code=region.code,
        detail={
            "year": year,
            "seed": seed,
            "drawn": len(checks),
            "among": len(candidates),
            "bases": sorted(picked),
        },
    )
    return checks


def _items(items) -> list[dict]:
    out = []
    for item in items or []:
        name = str(item.get("item", "")).strip()[:100]
        if name:
            out.append({"item": name, "passed": bool(item.get("passed"))})
    return out


@transaction.atomic
def record_spot_check(
    check: SpotCheck,
    *,
    actor,
    checked_on: datetime.date,
    inspectors: str,
    findings: str,
    passed: bool,
    adjustment=Decimal(0),
    items=None,
    photo=None,
) -> SpotCheck:
    """Record the visit: when, who, what was found, pass or fail, a score adjustment."""
    check = SpotCheck.objects.select_for_update().select_related("region").get(pk=check.pk)
    require(actor, check, "change")
    if not check.can_record():
        raise StateConflict(_("This spot check has already been recorded."))
    errors = {}
    if checked_on > clock.today():
        errors["checked_on"] = [_("A check cannot be recorded before it happens.")]
    if not (inspectors or "").strip():
        errors["inspectors"] = [_("Name who carried out the check.")]
    if not (findings or "").strip():
        errors["findings"] = [_("Describe the findings.")]
    adjustment = Decimal(adjustment or 0)
    if not Decimal(-10) <= adjustment <= Decimal(10):
        errors["adjustment"] = [_("The adjustment is between -10 and +10 points.")]
    if errors:
        raise DomainError(errors)
    if photo is not None:
        check_upload(photo, extensions=PHOTO_TYPES, max_bytes=c.MAX_EVIDENCE_BYTES)
        check_image(photo)
    before = audit.snapshot(check)
    check.status = c.SpotCheckStatus.RECORDED
    check.checked_on, check.inspectors = checked_on, inspectors.strip()[:200]
    check.findings, check.passed, check.adjustment = findings.strip(), bool(passed), adjustment
    check.items = _items(items)
    check.recorded_at, check.recorded_by = clock.now(), _user(actor)
    if photo is not None:
        check.photo.save(f"{check.pk}-{photo.name}"[-100:], photo, save=False)
    check.full_clean(validate_constraints=False)
    check.save()
    audit.record(
        "bases.spotcheck.recorded",
        obj=check,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(check)),
    )
    return check


# -- rectification --


@transaction.atomic
def warn_base(base: Base, *, actor, reason: str) -> Base:
    """Warn a base (below the bar in the evaluation, or after a spot check)."""
    return set_base_status(base, BaseStatus.WARNED, actor=actor, reason=reason, permission="warn")


@transaction.atomic
def order_rectification(
    base: Base,
    *,
    actor,
    reason: str,
    working_days: int = c.DEFAULT_RECTIFICATION_DAYS,
    evaluation=None,
) -> Rectification:
    """Order `base` to rectify within `working_days` working days: the base goes under
    rectification. One open order per base."""
    if not (reason or "").strip():
        raise DomainError({"reason": [_("Give the reason.")]})
    if not 1 <= int(working_days) <= 250:
        raise DomainError({"working_days": [_("Give 1 to 250 working days.")]})
    if Rectification.objects.filter(base=base, status__in=c.OPEN_RECTIFICATION).exists():
        raise StateConflict(_("This base already has an open rectification order."))
    base = set_base_status(
        base, BaseStatus.RECTIFYING, actor=actor, reason=reason, permission="warn"
    )
    now = clock.now()
    order = Rectification(
        base=base,
        evaluation=evaluation,
        region_id=base.region_id,
        organization_id=base.organization_id,
        reason=reason.strip()[:300],
        working_days=int(working_days),
        due_on=workdays.add_working_days(clock.today(), int(working_days)),
        ordered_at=now,
        ordered_by=_user(actor),
    )
    order.save()
    audit.created(order, actor=actor)
    return order


def _locked(order: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("base", "region")
        .get(pk=order.pk)
    )


@transaction.atomic
def report_rectification(order: Rectification, *, actor, report: str) -> Rectification:
    """The base says what it rectified (its unit's staff, or an officer for it)."""
    order = _locked(order)
    require(actor, order, "change")
    if not order.can_report():
        raise StateConflict(_("This rectification order is closed."))
    if not (report or "").strip():
        raise DomainError({"report": [_("Describe what was rectified.")]})
    before = audit.snapshot(order)
    order.status = c.RectificationStatus.REPORTED
    order.report = report.strip()
    order.reported_at, order.reported_by = clock.now(), _user(actor)
    order.save(update_fields=["status", "report", "reported_at", "reported_by"])
    audit.record(
        "bases.rectification.reported",
        obj=order,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(order)),
    )
    return order


@transaction.atomic
def decide_rectification(
    order: Rectification,
    *,
    actor,
    keep: bool,
    checked_on: datetime.date,
    inspectors: str,
    findings: str,
) -> Rectification:
    """The re-check: recorded as a spot check (kind re-check), then the base is kept
    (back to active) or revoked."""
    order = _locked(order)
    require(actor, order, "decide")
    if not order.can_decide():
        raise StateConflict(_("Only a reported rectification can be re-checked."))
    check = _new_check(order.base, checked_on.year, actor=actor, kind=c.SpotCheckKind.RECHECK)
    check.save()
    check = record_spot_check(
        check,
        actor=None,
        checked_on=checked_on,
        inspectors=inspectors,
        findings=findings,
        passed=keep,
    )
    if keep:
        set_base_status(order.base, BaseStatus.ACTIVE, actor=actor, permission="warn")
    else:
        set_base_status(
            order.base, BaseStatus.REVOKED, actor=actor, reason=findings, permission="revoke"
        )
    order.status = c.RectificationStatus.KEPT if keep else c.RectificationStatus.REVOKED
    order.recheck = check
    order.decided_at, order.decided_by = clock.now(), _user(actor)
    order.save(update_fields=["status", "recheck", "decided_at", "decided_by"])
    audit.record(
        "bases.rectification.decided",
        obj=order,
        actor=actor,
        detail={"kept": keep, "check": check.pk},
    )
    return order
