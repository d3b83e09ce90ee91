"""Progress reports: their periods, submission, review, evidence and reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core import audit, clock, mail, periods, scope
from kepu.core.choices import Role
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import RoleAssignment
from kepu.core.uploads import check_upload
from kepu.core.workdays import working_days_between
from kepu.plans import choices as c
from kepu.plans.models import (
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    Target,
    Task,
    TaskUnit,
)
from kepu.plans.services.common import ATTACHMENT_TYPES

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
    scope.check(actor, report, "review")  # four-eyes: not the submitter (rules.py)
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
    scope.check(actor, report, "review")  # four-eyes: not the submitter (rules.py)
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
            mail.send_later(messages)
    return len(due)
