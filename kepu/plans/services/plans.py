"""Plans, their sections and the tasks of their division-of-work table."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Organization, Region
from kepu.core.scope import require_region
from kepu.plans import choices as c
from kepu.plans.models import (
    Plan,
    Section,
    Task,
    TaskUnit,
)
from kepu.plans.services.common import _apply
from kepu.plans.services.reports import open_periods

# --- plans ------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor, **fields) -> Plan:
    require_region(actor, Plan, "create", fields["region"])
    plan = Plan(created_by=actor, created_at=clock.now(), **fields)
    plan.full_clean()
    plan.save()
    audit.created(plan, actor=actor)
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, actor, **fields) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if "region" in fields and fields["region"] != plan.region:
        require_region(actor, Plan, "change", fields["region"])
        outside = plan.targets.exclude(region__in=Region.objects.subtree(fields["region"]))
        if outside.exists():
            raise DomainError({"region": _("Some targets are in regions outside the new region.")})
    changes = _apply(plan, Plan.EDITABLE_FIELDS, fields)
    if changes:
        audit.record("plans.plan.updated", obj=plan, actor=actor, changes=changes)
    return plan


@transaction.atomic
def publish_plan(plan: Plan, *, actor, today=None) -> Plan:
    """Publish the plan: its progress becomes public and its reporting periods open."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.can_publish():
        raise StateConflict(_("Only a draft plan can be published."))
    if not plan.tasks.filter(units__is_lead=True).exists():
        raise DomainError(_("Add at least one task with its lead unit before publishing."))
    plan.status = c.PlanStatus.PUBLISHED
    plan.published_at = clock.now()
    plan.save(update_fields=["status", "published_at"])
    audit.record("plans.plan.published", obj=plan, actor=actor)
    open_periods(plan, today=today)
    return plan


@transaction.atomic
def close_plan(plan: Plan, *, actor) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != c.PlanStatus.PUBLISHED:
        raise StateConflict(_("Only a published plan can be closed."))
    plan.status = c.PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit.record("plans.plan.closed", obj=plan, actor=actor)
    return plan


@transaction.atomic
def add_section(plan: Plan, *, actor, number: str = "", title: str) -> Section:
    position = plan.sections.count()
    section = Section(plan=plan, number=number, title=title, position=position)
    section.full_clean()
    section.save()
    audit.created(section, actor=actor, region_code=plan.region.code)
    return section


# --- tasks ------------------------------------------------------------------------------


def _check_units(lead_unit, responsible_units):
    if lead_unit is None:
        raise DomainError({"lead_unit": _("Every task needs a lead unit.")})
    seen = {lead_unit.pk}
    for unit in responsible_units:
        if unit.pk in seen:
            raise DomainError(
                {"responsible_units": _("“%(unit)s” is named twice.") % {"unit": unit}}
            )
        seen.add(unit.pk)


def _set_units(task: Task, lead_unit, responsible_units) -> list[str]:
    """Replace the task's units (lead first, then the responsible units in order); the
    names before, for the audit trail."""
    before = [str(u.organization) for u in task.units.select_related("organization")]
    task.units.all().delete()
    TaskUnit.objects.bulk_create(
        [TaskUnit(task=task, organization=lead_unit, is_lead=True, position=0)]
        + [
            TaskUnit(task=task, organization=unit, position=i)
            for i, unit in enumerate(responsible_units, start=1)
        ]
    )
    return before


def _check_task_place(plan: Plan, section, parent):
    if section is not None and section.plan_id != plan.pk:
        raise DomainError({"section": _("The section belongs to another plan.")})
    if parent is not None:
        if parent.plan_id != plan.pk:
            raise DomainError({"parent": _("The parent task belongs to another plan.")})
        if parent.parent_id is not None:
            raise DomainError({"parent": _("Tasks go two levels deep: a task and its actions.")})


@transaction.atomic
def create_task(
    plan: Plan, *, actor, lead_unit, responsible_units=(), section=None, parent=None, **fields
) -> Task:
    _check_units(lead_unit, responsible_units)
    _check_task_place(plan, section, parent)
    position = fields.pop("position", None)
    if position is None:
        position = (
            plan.tasks.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
    task = Task(plan=plan, section=section, parent=parent, position=position, **fields)
    task.full_clean()
    task.save()
    _set_units(task, lead_unit, list(responsible_units))
    audit.created(
        task,
        actor=actor,
        region_code=plan.region.code,
        detail={
            "lead_unit": str(lead_unit),
            "responsible_units": [str(u) for u in responsible_units],
        },
    )
    if plan.status == c.PlanStatus.PUBLISHED:
        open_periods(plan)
    return task


@transaction.atomic
def update_task(task: Task, *, actor, lead_unit=None, responsible_units=None, **fields) -> Task:
    task = Task.objects.select_for_update().select_related("plan", "plan__region").get(pk=task.pk)
    _check_task_place(
        task.plan, fields.get("section", task.section), fields.get("parent", task.parent)
    )
    if fields.get("parent") is not None and fields["parent"].pk == task.pk:
        raise DomainError({"parent": _("A task cannot be part of itself.")})
    new_units = None
    if lead_unit is not None or responsible_units is not None:
        current = list(task.units.select_related("organization"))
        lead = lead_unit or next(u.organization for u in current if u.is_lead)
        others = (
            list(responsible_units)
            if responsible_units is not None
            else [u.organization for u in current if not u.is_lead]
        )
        _check_units(lead, others)  # before anything is written
        new_units = (lead, others)
    changes = _apply(task, Task.EDITABLE_FIELDS, fields)
    if new_units is not None:
        lead, others = new_units
        old = _set_units(task, lead, others)
        new = [str(lead), *(str(u) for u in others)]
        if old != new:
            changes["units"] = [old, new]
        if task.plan.status == c.PlanStatus.PUBLISHED:
            open_periods(task.plan)
    if changes:
        audit.record(
            "plans.task.updated",
            obj=task,
            actor=actor,
            changes=changes,
            region_code=task.plan.region.code,
        )
    return task


@transaction.atomic
def set_task_status(task: Task, *, actor, status: str, today=None) -> Task:
    task = Task.objects.select_for_update().select_related("plan__region").get(pk=task.pk)
    if status not in c.TaskStatus.values:
        raise DomainError({"status": _("Unknown status.")})
    before = audit.snapshot(task)
    task.status = status
    if status == c.TaskStatus.DONE:
        task.progress = 100
        task.completed_on = today or clock.today()
    else:
        task.completed_on = None
    task.save(update_fields=["status", "progress", "completed_on"])
    audit.record(
        "plans.task.status_changed",
        obj=task,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(task)),
        region_code=task.plan.region.code,
    )
    return task


def units_by_name(names, region) -> list[Organization]:
    """Organizations of `region` by exact name, in the order given (for the demo and the
    division-of-work import); unknown names are an error naming them."""
    found = {o.name: o for o in Organization.objects.filter(region=region, name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise DomainError(_("Unknown units: %(names)s") % {"names": "、".join(missing)})
    return [found[n] for n in names]
