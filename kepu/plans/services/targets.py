"""Numeric targets and their decomposition (分解)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.plans.models import (
    Plan,
    ReportFigure,
    Target,
)
from kepu.plans.services.common import _apply, _inside

# --- targets ----------------------------------------------------------------------------


def _check_target(plan: Plan, target: Target):
    if not _inside(target.region, plan.region):
        raise DomainError({"region": _("The target's region must be inside the plan's region.")})
    if target.task_id and target.task.plan_id != plan.pk:
        raise DomainError({"task": _("The task belongs to another plan.")})


@transaction.atomic
def create_target(plan: Plan, *, actor, **fields) -> Target:
    position = (
        plan.targets.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    if fields.get("baseline_date") is None and plan.baseline_date:
        fields["baseline_date"] = plan.baseline_date
    target = Target(plan=plan, position=position, **fields)
    target.full_clean()
    _check_target(plan, target)
    target.save()
    audit.created(target, actor=actor)
    return target


@transaction.atomic
def update_target(target: Target, *, actor, **fields) -> Target:
    target = Target.objects.select_for_update().select_related("plan__region").get(pk=target.pk)
    scope.check(actor, target, "change")  # a part is changed by decomposing its target

    def check(target):
        _check_target(target.plan, target)
        if target.parent_id is None:
            parts = list(target.parts.values_list("target_value", flat=True))
            if parts:
                _check_sum(target, parts)

    changes = _apply(target, Target.EDITABLE_FIELDS, fields, check=check)
    if changes:
        audit.record("plans.target.updated", obj=target, actor=actor, changes=changes)
    return target


def _check_sum(target: Target, values):
    if not target.additive:
        return
    total = sum(values, Decimal(0))
    if total != target.target_value:
        raise DomainError(
            _(
                "The parts add up to %(total)s, but the target is %(target)s: "
                "they must add up exactly."
            )
            % {"total": _number(total), "target": _number(target.target_value)}
        )


def _number(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@transaction.atomic
def decompose_target(target: Target, *, actor, parts) -> list[Target]:
    """Replace the target's parts (分解). `parts` is a list of dicts with a `region` (inside
    the target's region, below it) or an `organization`, and a `target_value`. The parts
    of an additive target must add up to it exactly; the parts of a rate each get their
    own value. A part keeps the parent's indicator, baseline and deadline."""
    target = (
        Target.objects.select_for_update()
        .select_related("plan__region", "region")
        .get(pk=target.pk)
    )
    scope.check(actor, target, "change")  # a part is not decomposed further
    if target.parent_id is not None:  # not even by the system: targets go two levels deep
        raise DomainError(_("A part of a target cannot be decomposed further here."))
    seen = set()
    new_parts = []
    for i, part in enumerate(parts, start=1):
        region = part.get("region")
        organization = part.get("organization")
        if (region is None) == (organization is None):
            raise DomainError(_("Each part is for a region or for a unit."))
        if region is not None and (
            region.pk == target.region_id or not _inside(region, target.region)
        ):
            raise DomainError(
                _("“%(region)s” is not below %(parent)s.")
                % {"region": region, "parent": target.region}
            )
        key = ("r", region.pk) if region is not None else ("o", organization.pk)
        if key in seen:
            raise DomainError(_("“%(part)s” appears twice.") % {"part": region or organization})
        seen.add(key)
        value = Decimal(part["target_value"])
        if value < 0:
            raise DomainError(_("A part cannot be negative."))
        new_parts.append(
            Target(
                plan=target.plan,
                task=target.task,
                parent=target,
                name=target.name,
                unit=target.unit,
                region=region if region is not None else target.region,
                organization=organization,
                source=target.source,
                indicator=target.indicator,
                baseline_date=target.baseline_date,
                baseline_value=Decimal(part.get("baseline_value") or 0)
                if target.additive
                else Decimal(part.get("baseline_value", target.baseline_value)),
                target_value=value,
                comparison=target.comparison,
                deadline=target.deadline,
                additive=target.additive,
                position=i,
            )
        )
    _check_sum(target, [p.target_value for p in new_parts])
    before = [
        (str(p.organization or p.region), _number(p.target_value))
        for p in target.parts.select_related("region", "organization")
    ]
    if ReportFigure.objects.filter(target__parent=target).exists():
        raise StateConflict(
            _("Units have already reported figures for the parts; the parts cannot be replaced.")
        )
    target.parts.all().delete()
    Target.objects.bulk_create(new_parts)
    audit.record(
        "plans.target.decomposed",
        obj=target,
        actor=actor,
        changes={
            "parts": [
                before,
                [(str(p.organization or p.region), _number(p.target_value)) for p in new_parts],
            ]
        },
    )
    return list(target.parts.select_related("region", "organization"))
