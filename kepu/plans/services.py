"""Every state change of plans, tasks, targets, progress reports and supervision notes:
in a transaction, audited, refusing what the rules refuse for pages, API and commands
alike."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import audit, clock, periods, scope
from kepu.core.choices import Role
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Organization, Region, RoleAssignment
from kepu.core.scope import require_region
from kepu.core.uploads import check_upload
from kepu.core.workdays import working_days_between
from kepu.plans import choices as c
from kepu.plans.models import (
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    Section,
    SupervisionNote,
    Target,
    Task,
    TaskUnit,
)

ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


def _inside(region, ancestor) -> bool:
    return region.path.startswith(ancestor.path)


def _apply(obj, fields, values: dict, *, check=None) -> dict:
    """Set `values` (only names in `fields`), validate (the model, then `check(obj)`),
    save, and return the changes for the audit trail."""
    before = audit.snapshot(obj)
    for name, value in values.items():
        if name not in fields:
            raise TypeError(f"{name} cannot be changed here")
        setattr(obj, name, value)
    obj.full_clean()
    if check is not None:
        check(obj)
    obj.save()
    return audit.diff(before, audit.snapshot(obj))


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


# --- progress reports -------------------------------------------------------------------


def report_due(plan: Plan, period_end: datetime.date) -> datetime.date:
    """Due `plan.report_days` Chinese working days after the period ends (holidays and
    make-up working days included)."""
    return periods.add_working_days(period_end, plan.report_days)


@transaction.atomic
def open_periods(plan: Plan, *, today=None) -> int:
    """Open the report of every unit of every task for each period of the plan that has
    started by `today` (idempotent: the unique constraint keeps one per unit, task and
    period). Returns how many were opened."""
    today = today or clock.today()
    if plan.status != c.PlanStatus.PUBLISHED or today < plan.first_report_day:
        return 0
    spans = periods.periods_between(
        plan.first_report_day, min(plan.period_end, today), c.CYCLE_PERIOD[plan.report_cycle]
    )
    units = list(TaskUnit.objects.filter(task__plan=plan).values_list("task_id", "organization_id"))
    existing = set(
        ProgressReport.objects.filter(task__plan=plan).values_list(
            "task_id", "organization_id", "period_start"
        )
    )
    new = [
        ProgressReport(
            task_id=task_id,
            organization_id=org_id,
            period_start=period.first,
            period_end=period.last,
            due_date=report_due(plan, period.last),
        )
        for period in spans
        for task_id, org_id in units
        if (task_id, org_id, period.first) not in existing
    ]
    ProgressReport.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if new:
        audit.record(
            "plans.plan.periods_opened",
            obj=plan,
            detail={"reports": len(new), "until": today.isoformat()},
        )
    return len(new)


def _locked_report(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("task", "task__plan", "task__plan__region", "organization")
        .get(pk=report.pk)
    )


def reportable_targets(report: ProgressReport):
    """The reported targets a report gives figures for: those of its task, for the
    whole task or for the reporting unit."""
    return (
        Target.objects.filter(task=report.task, source=c.TargetSource.REPORTED)
        .filter(
            Q(organization__isnull=True, parts__isnull=True) | Q(organization=report.organization)
        )
        .distinct()
    )


@transaction.atomic
def submit_report(
    report: ProgressReport,
    *,
    actor,
    text: str,
    progress: int | None = None,
    figures: dict | None = None,
    attachments=(),
    now=None,
) -> ProgressReport:
    """The unit submits (or, after a return, resubmits) its report. The first submission
    decides whether it was on time (by the end of the due day)."""
    report = _locked_report(report)
    if not report.can_edit():
        raise StateConflict(_("This report has already been submitted."))
    now = now or clock.now()
    if timezone.localdate(now) < report.period_start:
        raise StateConflict(_("The reporting period has not started yet."))
    if not text.strip():
        raise DomainError({"text": _("Describe the progress made.")})
    if progress is not None and not 0 <= progress <= 100:
        raise DomainError({"progress": _("Progress is a percentage from 0 to 100.")})
    allowed = {t.pk: t for t in reportable_targets(report)}
    figures = figures or {}
    for target_pk, value in figures.items():
        if target_pk not in allowed:
            raise DomainError(_("A figure was given for a target this report does not cover."))
        if value is None or Decimal(value) < 0:
            raise DomainError(_("Figures cannot be negative."))
    if len(attachments) + report.attachments.count() > c.MAX_ATTACHMENTS:
        raise DomainError(
            {"attachments": _("At most %(n)d attachments per report.") % {"n": c.MAX_ATTACHMENTS}}
        )
    types = [
        check_upload(f, extensions=ATTACHMENT_TYPES, max_bytes=c.MAX_ATTACHMENT_BYTES)
        for f in attachments
    ]
    before = audit.snapshot(report)
    report.text = text.strip()
    report.progress = progress
    report.status = c.ReportStatus.SUBMITTED
    report.submitted_at = now
    report.submitted_by = actor
    if report.on_time is None:
        report.on_time = timezone.localdate(now) <= report.due_date
    report.save()
    for target_pk, value in figures.items():
        ReportFigure.objects.update_or_create(
            report=report, target_id=target_pk, defaults={"value": Decimal(value)}
        )
    for upload, content_type in zip(attachments, types, strict=True):
        attachment = ReportAttachment(
            report=report,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_at=now,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    ReportEvent.objects.create(report=report, action=c.ReportAction.SUBMITTED, actor=actor, at=now)
    audit.record(
        "plans.progressreport.submitted",
        obj=report,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(report)),
        region_code=report.task.plan.region.code,
        detail={"figures": len(figures), "attachments": len(attachments)},
    )
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, actor, reason: str, today=None) -> ProgressReport:
    """Return a submitted report for revision: the unit gets at least the plan's report
    days (working days) from today to resubmit."""
    report = _locked_report(report)
    if not report.can_review():
        raise StateConflict(_("Only a submitted report can be returned or accepted."))
    if not reason.strip():
        raise DomainError({"reason": _("Say what needs to be revised.")})
    today = today or clock.today()
    before = audit.snapshot(report)
    report.status = c.ReportStatus.RETURNED
    report.return_reason = reason.strip()[:500]
    report.reviewed_at, report.reviewed_by = clock.now(), actor
    report.due_date = max(report.due_date, report_due(report.task.plan, today))
    report.reminded_on = None
    report.save()
    ReportEvent.objects.create(
        report=report,
        action=c.ReportAction.RETURNED,
        actor=actor,
        note=report.return_reason,
        at=report.reviewed_at,
    )
    audit.record(
        "plans.progressreport.returned",
        obj=report,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(report)),
        region_code=report.task.plan.region.code,
    )
    return report


@transaction.atomic
def accept_report(report: ProgressReport, *, actor, note: str = "") -> ProgressReport:
    """Accept a submitted report. Its figures become the actual values of their targets;
    the lead unit's progress becomes the task's progress (any unit's, while the lead unit
    has none accepted)."""
    report = _locked_report(report)
    if not report.can_review():
        raise StateConflict(_("Only a submitted report can be returned or accepted."))
    before = audit.snapshot(report)
    report.status = c.ReportStatus.ACCEPTED
    report.reviewed_at, report.reviewed_by = clock.now(), actor
    report.return_reason = ""
    report.save()
    ReportEvent.objects.create(
        report=report,
        action=c.ReportAction.ACCEPTED,
        actor=actor,
        note=note.strip()[:500],
        at=report.reviewed_at,
    )
    audit.record(
        "plans.progressreport.accepted",
        obj=report,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(report)),
        region_code=report.task.plan.region.code,
    )
    if report.progress is not None:
        _update_task_progress(report.task, actor=actor)
    return report


def _update_task_progress(task: Task, *, actor):
    task = Task.objects.select_for_update().select_related("plan__region").get(pk=task.pk)
    if task.status == c.TaskStatus.DONE:
        return  # an officer marked it done: a later report does not reopen it
    accepted = ProgressReport.objects.filter(
        task=task, status=c.ReportStatus.ACCEPTED, progress__isnull=False
    ).order_by("-period_start", "-reviewed_at")
    lead = task.units.filter(is_lead=True).values_list("organization_id", flat=True).first()
    latest = accepted.filter(organization_id=lead).first() or accepted.first()
    if (
        latest is None
        or latest.progress == task.progress
        and task.status != c.TaskStatus.NOT_STARTED
    ):
        return
    before = audit.snapshot(task)
    task.progress = latest.progress
    if task.progress >= 100:
        task.status = c.TaskStatus.DONE
        task.completed_on = task.completed_on or clock.today()
    elif task.status == c.TaskStatus.NOT_STARTED and task.progress > 0:
        task.status = c.TaskStatus.IN_PROGRESS
    task.save(update_fields=["progress", "status", "completed_on"])
    changes = audit.diff(before, audit.snapshot(task))
    if changes:
        audit.record(
            "plans.task.progress_updated",
            obj=task,
            actor=actor,
            changes=changes,
            region_code=task.plan.region.code,
        )


def remove_attachment(attachment: ReportAttachment, *, actor) -> None:
    with transaction.atomic():
        report = _locked_report(attachment.report)
        if not report.can_edit():
            raise StateConflict(_("Attachments of a submitted report cannot be removed."))
        audit.record(
            "plans.reportattachment.deleted",
            obj=report,
            actor=actor,
            detail={"file": attachment.name},
            region_code=report.task.plan.region.code,
        )
        attachment.file.delete(save=False)
        attachment.delete()


# --- reminders --------------------------------------------------------------------------


def _unit_recipients(organization_ids) -> dict[int, list[str]]:
    rows = (
        RoleAssignment.objects.filter(
            role=Role.MEMBER_STAFF,
            organization_id__in=organization_ids,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("organization_id", "user__email")
    )
    recipients: dict[int, list[str]] = {}
    for org_id, email in rows:
        recipients.setdefault(org_id, []).append(email)
    return recipients


def send_reminders(*, today=None) -> int:
    """Open the periods of every published plan, then remind each unit of its reports due
    within the plan's reminder window (working days) and not yet reminded: by e-mail to
    the unit's staff, and on the report's history. Run it daily from cron."""
    today = today or clock.today()
    for plan in Plan.objects.filter(status=c.PlanStatus.PUBLISHED):
        open_periods(plan, today=today)
    candidates = list(
        ProgressReport.objects.owed()
        .filter(reminded_on__isnull=True, due_date__gte=today, period_end__lt=today)
        .select_related("task", "task__plan", "organization")
    )
    due = [
        r for r in candidates if working_days_between(today, r.due_date) <= r.task.plan.remind_days
    ]
    if not due:
        return 0
    recipients = _unit_recipients({r.organization_id for r in due})
    messages = []
    with transaction.atomic():
        for report in due:
            ProgressReport.objects.filter(pk=report.pk).update(reminded_on=today)
            ReportEvent.objects.create(
                report=report, action=c.ReportAction.REMINDED, at=clock.now()
            )
            audit.record(
                "plans.progressreport.reminded",
                obj=report,
                region_code=report.task.plan.region.code,
                detail={
                    "due": report.due_date.isoformat(),
                    "emails": len(recipients.get(report.organization_id, [])),
                },
            )
            if recipients.get(report.organization_id):
                messages.append(
                    (
                        _("Progress report due %(date)s: %(task)s")
                        % {"date": report.due_date.isoformat(), "task": report.task},
                        _(
                            "The progress report of %(unit)s on “%(task)s” (%(plan)s) for "
                            "%(period)s is due on %(date)s. Please submit it on the platform."
                        )
                        % {
                            "unit": report.organization,
                            "task": report.task,
                            "plan": report.task.plan,
                            "period": report.period_label,
                            "date": report.due_date.isoformat(),
                        },
                        settings.DEFAULT_FROM_EMAIL,
                        recipients[report.organization_id],
                    )
                )
        if messages:
            transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(due)


# --- supervision ------------------------------------------------------------------------


@transaction.atomic
def add_note(
    task: Task, *, actor, text: str, organization=None, rectify_by=None
) -> SupervisionNote:
    if not text.strip():
        raise DomainError({"text": _("Write the supervision note.")})
    if organization is not None and not task.units.filter(organization=organization).exists():
        raise DomainError({"organization": _("That unit is not named on this task.")})
    note = SupervisionNote(
        task=task,
        organization=organization,
        text=text.strip(),
        rectify_by=rectify_by,
        author=actor,
        created_at=clock.now(),
    )
    note.full_clean()
    note.save()
    audit.created(note, actor=actor, region_code=task.plan.region.code)
    return note


@transaction.atomic
def respond_to_note(note: SupervisionNote, *, actor, response: str) -> SupervisionNote:
    note = (
        SupervisionNote.objects.select_for_update()
        .select_related("task__plan__region", "organization")
        .get(pk=note.pk)
    )
    if not note.is_open():
        raise StateConflict(_("This note has already been answered."))
    # A note addressed to one unit is answered by that unit (or its parent unit).
    scope.check(actor, note, "respond")
    if not response.strip():
        raise DomainError({"response": _("Write the answer.")})
    note.response = response.strip()
    note.responded_at, note.responded_by = clock.now(), actor
    note.save(update_fields=["response", "responded_at", "responded_by"])
    audit.record(
        "plans.supervisionnote.answered",
        obj=note,
        actor=actor,
        region_code=note.task.plan.region.code,
    )
    return note


def units_by_name(names, region) -> list[Organization]:
    """Organizations of `region` by exact name, in the order given (for the demo and the
    division-of-work import); unknown names are an error naming them."""
    found = {o.name: o for o in Organization.objects.filter(region=region, name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise DomainError(_("Unknown units: %(names)s") % {"names": "、".join(missing)})
    return [found[n] for n in names]
