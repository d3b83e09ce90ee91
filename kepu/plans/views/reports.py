"""Back-office pages of progress reports: the list (with the unit's own reports to fill
first) and its export, the report page with its review, the unit's form, and the
download of its evidence files."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock, exports, periods, scope, workflow
from kepu.core.excel import Column
from kepu.core.models import Organization
from kepu.core.scope import has_permission, visible_to
from kepu.core.uploads import file_response
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)
from kepu.core.workdays import working_days_between
from kepu.plans import choices as c
from kepu.plans import services
from kepu.plans.filters import ProgressReportFilter
from kepu.plans.forms import ReportForm, ReviewForm
from kepu.plans.models import Plan, ProgressReport
from kepu.plans.permissions import get_report_for_user, own_units

# At most this many of the unit's owed reports are listed above the full list.
TO_FILL = 20


def mark_overdue(reports, today=None):
    """Set `overdue` and `overdue_days` (working days past the due date) on each report."""
    today = today or clock.today()
    for report in reports:
        report.overdue = report.is_overdue(today)
        report.overdue_days = working_days_between(report.due_date, today) if report.overdue else 0
    return reports


def _filtered(request, action="view"):
    reports = visible_to(request.user, ProgressReport.objects.with_relations(), action)
    return ProgressReportFilter(request.GET or None, queryset=reports)


@require_safe
@permission_required("plans.progressreport.view")
def report_list(request):
    user = request.user
    today = clock.today()
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else ProgressReport.objects.none()
    page = paginate(request, queryset.order_by("-period_start", "due_date", "task__position", "pk"))
    mark_overdue(page, today)
    fills = bool(own_units(user))
    to_fill = []
    if fills and not request.GET.get("page"):
        to_fill = mark_overdue(
            list(
                visible_to(user, ProgressReport.objects.with_relations(), "submit")
                .owed()
                .filter(period_start__lte=today)
                .order_by("due_date", "task__position", "pk")[:TO_FILL]
            ),
            today,
        )
    visible = visible_to(user, ProgressReport)
    spans = visible.order_by("-period_start").values_list("period_start", "period_end").distinct()
    return render(
        request,
        "plans/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "to_fill": to_fill,
            "plans": visible_to(user, Plan, public=False).order_by("-period_end", "title"),
            "units": Organization.objects.filter(pk__in=visible.values("organization")).order_by(
                "name"
            ),
            "periods": [
                (start.isoformat(), periods.period_of(start, end).label) for start, end in spans
            ],
            "statuses": c.ReportStatus.choices,
            "can_export": has_permission(user, "plans.progressreport.export"),
            "can_fill": fills,
        },
    )


def _export_columns():
    return [
        Column("plan", _("Plan"), width=28),
        Column("number", _("Number"), width=8),
        Column("task", _("Task"), width=36),
        Column("unit", _("Reporting unit"), width=24),
        Column("period", _("Period"), width=12),
        Column("due", _("Due"), width=12),
        Column("status", _("Status"), width=14),
        Column("overdue", _("Working days overdue"), text=False, width=10),
        Column("submitted", _("Submitted at"), width=18),
        Column("on_time", _("First submitted on time"), width=10),
        Column("progress", _("Task progress (%)"), text=False, width=10),
        Column("text", _("Progress made"), width=60),
        Column("return_reason", _("Reason for return"), width=30),
    ]


def _export_values(today):
    yes, no = _("Yes"), _("No")

    def values(report):
        overdue = working_days_between(report.due_date, today) if report.is_overdue(today) else ""
        submitted = (
            timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
            if report.submitted_at
            else ""
        )
        return [
            str(report.task.plan),
            report.task.number,
            report.task.title,
            report.organization.name,
            report.period_label,
            report.due_date.isoformat(),
            report.get_status_display(),
            overdue,
            submitted,
            "" if report.on_time is None else (yes if report.on_time else no),
            report.progress,
            report.text,
            report.return_reason,
        ]

    return values


@exports.builder(
    "plans.progressreport", permission="plans.progressreport.export", back="plans:report_list"
)
def report_export_rows(request):
    filterset = _filtered(request, "export")
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=filterset.qs.order_by("-period_start", "task__plan", "task__position", "pk"),
        action="plans.progressreport.exported",
        title=_("Progress reports"),
        columns=_export_columns(),
        to_values=_export_values(clock.today()),
        basename="progress-reports",
    )


@require_safe
@permission_required("plans.progressreport.export")
def report_export(request):
    return export_list(request, "plans.progressreport")


def _detail_context(request, report, **extra):
    user = request.user
    today = clock.today()
    mark_overdue([report], today)
    context = {
        "report": report,
        "task": report.task,
        "plan": report.task.plan,
        "figures": report.figures.select_related("target").order_by("target__position"),
        "attachments": report.attachments.all(),
        "events": report.events.select_related("actor"),
        "can_review": report.can_review() and scope.can(user, report, "review"),
        "held_back": workflow.held_back(user, report, "review") if report.can_review() else None,
        "can_edit": report.can_edit() and scope.can(user, report, "submit"),
        "review_form": ReviewForm(),
    }
    context.update(extra)
    return context


@require_safe
@permission_required("plans.progressreport.view")
def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    return render(request, "plans/report_detail.html", _detail_context(request, report))


REVIEW_STEPS = {
    "accept": lambda report, actor, data: services.accept_report(
        report, actor=actor, note=data.get("note", "")
    ),
    "return": lambda report, actor, data: services.return_report(
        report, actor=actor, reason=data.get("reason", "")
    ),
}
REVIEW_MESSAGES = {
    "accept": lambda: _("Accepted: its figures and progress now count for the task."),
    "return": lambda: _("Returned to the unit with your reasons."),
}


@require_POST
@permission_required("plans.progressreport.review")
def report_review(request, pk, step):
    if step not in REVIEW_STEPS:
        raise Http404
    report = get_report_for_user(request.user, pk, "review")
    form = ReviewForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda: REVIEW_STEPS[step](report, request.user, form.cleaned_data),
        success=reverse("plans:report_detail", args=[pk]),
        message=lambda _report: REVIEW_MESSAGES[step](),
    )
    if done:
        return done
    report.refresh_from_db(fields=["status"])
    if not report.can_review():  # reviewed meanwhile: the reason on the report's page
        messages.warning(request, " ".join(form.non_field_errors()))
        return redirect("plans:report_detail", pk=pk)
    context = _detail_context(request, report, review_form=form, review_step=step)
    return render(request, "plans/report_detail.html", context, status=400)


@permission_required("plans.progressreport.submit")
def report_edit(request, pk):
    report = get_report_for_user(request.user, pk, "submit")
    done = reverse("plans:report_detail", args=[report.pk])
    if not report.can_edit():
        messages.info(request, _("This report has been submitted and can no longer be changed."))
        return redirect(done)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        report=report,
        targets=services.reportable_targets(report).order_by("position", "pk"),
    )

    def submit():
        data = form.cleaned_data
        return services.submit_report(
            report,
            actor=request.user,
            text=data["text"],
            progress=data["progress"],
            figures=form.figures(),
            attachments=data["attachments"],
        )

    submitted = submit_form(
        request,
        form,
        submit,
        success=done,
        message=_("Report submitted. The officers of %(region)s will review it.")
        % {"region": report.task.plan.region.name},
    )
    context = {
        "report": report,
        "task": report.task,
        "plan": report.task.plan,
        "attachments": report.attachments.all(),
        "max_attachments": c.MAX_ATTACHMENTS,
    }
    return submitted or form_page(request, "plans/report_form.html", form, context)


@require_safe
@permission_required("plans.reportattachment.view")
def report_attachment(request, pk, file_pk):
    report = get_report_for_user(request.user, pk)
    attachment = report.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    audit.record(
        "plans.reportattachment.downloaded",
        obj=attachment,
        detail={"report": report.pk},
        region_code=report.task.plan.region.code,
    )
    return file_response(
        attachment.file, content_type=attachment.content_type, name=attachment.name, download=True
    )
