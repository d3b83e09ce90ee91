"""Annual self-reports: the officers set each year's window (a number of working days
after a start date, on the holiday calendar); a base's unit (or an officer for it) fills
its report, submits it (late when past the deadline), the officers return it for
correction or accept it; evidence files are checked by content."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.bases import annual_choices as c
from kepu.bases.models import AnnualReport, Base, ReportEvidence, ReportWindow
from kepu.core import audit, clock, scope, workdays
from kepu.core.errors import DomainError, StateConflict
from kepu.core.uploads import check_upload


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def require(actor, obj, action: str) -> None:
    """Refuse unless `actor` may `action` `obj` (scope, permission, object rules); the
    system (None) may always."""
    if actor is None:
        return
    if not scope.can(actor, obj, action):
        raise DomainError(_("This is outside your scope."))


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError({"year": [_("Give a year.")]}) from None
    if not 2000 <= year <= 2100:
        raise DomainError({"year": [_("Give a year between 2000 and 2100.")]})
    return year


# -- the window --


@transaction.atomic
def set_report_window(
    *, actor, region, year: int, starts_on: datetime.date, working_days: int
) -> ReportWindow:
    """Set (or change) when the bases of `region` file their reports for `year`: the
    deadline is `working_days` working days after `starts_on`. The open reports of the
    region's bases take the new deadline."""
    scope.require_region(actor, ReportWindow, "create", region)
    year = _check_year(year)
    if not 1 <= int(working_days) <= 250:
        raise DomainError({"working_days": [_("Give 1 to 250 working days.")]})
    if starts_on.year < year:
        raise DomainError(
            {"starts_on": [_("Reports on a year open once the year is over or during it.")]}
        )
    due_on = workdays.add_working_days(starts_on, int(working_days))
    window = ReportWindow.objects.select_for_update().filter(region=region, year=year).first()
    before = audit.snapshot(window) if window else {}
    if window is None:
        window = ReportWindow(region=region, year=year, created_by=_user(actor))
    window.starts_on, window.working_days, window.due_on = starts_on, int(working_days), due_on
    window.full_clean(validate_constraints=False)
    window.save()
    AnnualReport.objects.filter(
        year=year,
        region__path__startswith=region.path,
        status__in=c.EDITABLE_STATUSES,
    ).update(due_on=due_on)
    audit.record(
        "bases.reportwindow.set",
        obj=window,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(window)),
    )
    return window


def report_deadline(base: Base, year: int) -> datetime.date | None:
    """The deadline of `base`'s report on `year`: the window of its nearest region."""
    codes = base.region.path.strip("/").split("/")
    windows = ReportWindow.objects.filter(year=year, region__code__in=codes).values_list(
        "region__code", "due_on"
    )
    by_code = dict(windows)
    for code in reversed(codes):
        if code in by_code:
            return by_code[code]
    return None


# -- the report --


@transaction.atomic
def open_report(base: Base, year: int, *, actor) -> AnnualReport:
    """The base's report on `year` (a new draft the first time; the same one after)."""
    year = _check_year(year)
    found = AnnualReport.objects.filter(base=base, year=year).first()
    if found is not None:
        return found
    report = AnnualReport(
        base=base,
        year=year,
        region_id=base.region_id,
        organization_id=base.organization_id,
        created_by=_user(actor),
        due_on=report_deadline(base, year),
        open_days=base.open_days,
        staff=base.staff,
        docents=base.docents,
    )
    if actor is not None:
        if not scope.visible_to(actor, Base, "view").filter(pk=base.pk).exists():
            raise DomainError(_("This is outside your scope."))
        if not scope.has_permission(actor, "bases.annualreport.create") or not (
            scope.visible_to(actor, Base, "change").filter(pk=base.pk).exists()
        ):
            raise DomainError(_("You cannot file a report for this base."))
    if not base.is_listed():
        raise DomainError(_("Only a listed base files annual reports."))
    report.save()
    audit.created(report, actor=actor)
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("base", "region")
        .get(pk=report.pk)
    )


def renewal_pct(exhibits_total: int, exhibits_renewed: int) -> Decimal:
    """New or renewed exhibits as a share of all exhibits, two places."""
    if not exhibits_total:
        return Decimal(0)
    share = Decimal(exhibits_renewed) * 100 / Decimal(exhibits_total)
    return share.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _check_figures(report: AnnualReport) -> None:
    errors = {}
    if report.students > report.visitors:
        errors["students"] = [_("Students are part of the visitors: at most the visitors.")]
    if report.free_admissions > report.visitors:
        errors["free_admissions"] = [
            _("Free admissions are part of the visitors: at most the visitors.")
        ]
    if report.activities_published > report.activities_held:
        errors["activities_published"] = [
            _("Activities published are part of those held: at most the activities held.")
        ]
    if report.exhibits_renewed > report.exhibits_total:
        errors["exhibits_renewed"] = [_("At most the exhibits in total.")]
    if report.open_days > 366:
        errors["open_days"] = [_("A year has at most 366 days.")]
    if errors:
        raise DomainError(errors)


def _add_evidence(report: AnnualReport, uploads) -> None:
    uploads = list(uploads or [])
    if not uploads:
        return
    if len(uploads) + report.evidence.count() > c.MAX_EVIDENCE:
        raise DomainError(
            {"evidence": [_("At most %(n)d evidence files per report.") % {"n": c.MAX_EVIDENCE}]}
        )
    types = [
        check_upload(f, extensions=c.EVIDENCE_TYPES, max_bytes=c.MAX_EVIDENCE_BYTES)
        for f in uploads
    ]
    for upload, content_type in zip(uploads, types, strict=True):
        item = ReportEvidence(
            report=report,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_at=clock.now(),
        )
        item.file.save(upload.name, upload, save=False)
        item.save()


@transaction.atomic
def save_report(report: AnnualReport, *, actor, evidence=None, **fields) -> AnnualReport:
    """Fill in a draft (or a returned) report; nothing is written if a figure is refused."""
    report = _locked(report)
    require(actor, report, "change")
    if not report.is_editable():
        raise StateConflict(_("This report has been submitted; it can no longer be changed."))
    unknown = set(fields) - set(AnnualReport.FORM_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.renewal_pct = renewal_pct(report.exhibits_total, report.exhibits_renewed)
    _check_figures(report)
    report.full_clean(validate_constraints=False)
    report.save()
    _add_evidence(report, evidence)
    audit.record(
        "bases.annualreport.changed",
        obj=report,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(report)),
        detail={"evidence": len(evidence)} if evidence else {},
    )
    return report


@transaction.atomic
def submit_report(report: AnnualReport, *, actor) -> AnnualReport:
    """Submit (or resubmit after correction); late when the deadline has passed."""
    report = _locked(report)
    require(actor, report, "change")
    if not report.can_submit():
        raise StateConflict(_("This report has already been submitted."))
    if not report.open_days and not report.visitors:
        raise DomainError(_("Fill in the statistics form (open days and visitors) first."))
    _check_figures(report)
    now = clock.now()
    resubmitted = report.status == c.ReportStatus.RETURNED
    report.due_on = report.due_on or report_deadline(report.base, report.year)
    if not resubmitted:
        report.late = report.due_on is not None and timezone.localdate(now) > report.due_on
    report.status = c.ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = now, _user(actor)
    report.save(update_fields=["status", "late", "due_on", "submitted_at", "submitted_by"])
    audit.record(
        "bases.annualreport.resubmitted" if resubmitted else "bases.annualreport.submitted",
        obj=report,
        actor=actor,
        detail={"late": report.late},
    )
    return report


@transaction.atomic
def return_report(report: AnnualReport, *, actor, reason: str) -> AnnualReport:
    """Send a submitted report back for correction, saying what to correct."""
    report = _locked(report)
    require(actor, report, "review")
    if not report.can_review():
        raise StateConflict(_("Only a submitted report can be returned."))
    if not (reason or "").strip():
        raise DomainError({"reason": [_("Say what is to be corrected.")]})
    report.status = c.ReportStatus.RETURNED
    report.return_reason = reason.strip()[:500]
    report.reviewed_at, report.reviewed_by = clock.now(), _user(actor)
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    audit.record(
        "bases.annualreport.returned",
        obj=report,
        actor=actor,
        detail={"reason": report.return_reason},
    )
    return report


@transaction.atomic
def accept_report(report: AnnualReport, *, actor) -> AnnualReport:
    """Accept a submitted report: its figures feed the annual evaluation."""
    report = _locked(report)
    require(actor, report, "review")
    if not report.can_review():
        raise StateConflict(_("Only a submitted report can be accepted."))
    report.status = c.ReportStatus.ACCEPTED
    report.reviewed_at, report.reviewed_by = clock.now(), _user(actor)
    report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    audit.record("bases.annualreport.accepted", obj=report, actor=actor)
    return report
