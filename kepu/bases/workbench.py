"""The bases app's workbench items (`kepu.core.workbench`), one block per area."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, scope, workbench

# -- annual reports and evaluation --


workbench.link("bases.annualreport", "bases:report_detail")
workbench.link("bases.rectification", "bases:rectification_detail")


@workbench.register
def annual_reports(user, focus):
    """Units: their reports to file (drafts and returned ones). Officers: submitted
    reports to review."""
    from kepu.bases import annual_choices as c
    from kepu.bases.models import AnnualReport

    reports = reverse("bases:report_list")
    if scope.has_permission(user, "bases.annualreport.review"):
        rows = scope.actionable(
            user, AnnualReport.objects.filter(status=c.ReportStatus.SUBMITTED), "review"
        )
        yield workbench.todo(
            "bases.reports.review",
            _("Annual self-reports to review"),
            f"{reports}?status=submitted",
            rows,
            date_field="submitted_at",
            icon="file-text",
        )
    elif scope.has_permission(user, "bases.annualreport.change"):
        rows = scope.actionable(
            user, AnnualReport.objects.filter(status__in=c.EDITABLE_STATUSES), "change"
        )
        yield workbench.todo(
            "bases.reports.file",
            _("Annual self-reports to file"),
            reports,
            rows,
            date_field="created_at",
            overdue=rows.filter(due_on__lt=clock.today()),
            icon="file-text",
        )


@workbench.register
def rectifications(user, focus):
    """Units: rectification orders to report on. Officers: reported ones to re-check."""
    from kepu.bases import annual_choices as c
    from kepu.bases.models import Rectification

    url = reverse("bases:rectification_list")
    if scope.has_permission(user, "bases.rectification.decide"):
        rows = scope.actionable(
            user, Rectification.objects.filter(status=c.RectificationStatus.REPORTED), "decide"
        )
        yield workbench.todo(
            "bases.rectifications.recheck",
            _("Rectifications to re-check"),
            f"{url}?status=reported",
            rows,
            date_field="reported_at",
            icon="alert-circle",
        )
    elif scope.has_permission(user, "bases.rectification.change"):
        rows = scope.actionable(
            user, Rectification.objects.filter(status=c.RectificationStatus.ORDERED), "change"
        )
        yield workbench.todo(
            "bases.rectifications.due",
            _("Rectifications due"),
            f"{url}?status=ordered",
            rows,
            date_field="due_on",
            overdue=rows.filter(due_on__lt=clock.today()),
            icon="alert-circle",
        )
