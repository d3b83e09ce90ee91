"""Plans' workbench items (`kepu.core.workbench`): for the reporting units, progress
reports overdue, returned for revision and due soon; for the officers, submitted reports
to review and the reports overdue in their area. Each links to the report list filtered
to exactly those reports (its `overdue`, `status` and `due_soon` filters)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.core import clock, scope, workbench
from kepu.core.workdays import add_working_days
from kepu.plans import choices as c
from kepu.plans.filters import DUE_SOON_WORKING_DAYS
from kepu.plans.models import ProgressReport

workbench.link("plans.plan", "plans:plan_detail")
workbench.link("plans.progressreport", "plans:report_detail")


def _url(query: str) -> str:
    return reverse("plans:report_list") + "?" + query


@workbench.register
def reports(user, focus):
    today = clock.today()
    if scope.has_permission(user, "plans.progressreport.submit"):
        mine = scope.visible_to(user, ProgressReport, "submit", public=False)
        yield workbench.todo(
            "plans.overdue",
            _("Overdue progress reports"),
            _url("overdue=true"),
            mine.overdue(today),
            date_field="due_date",
            overdue=mine.overdue(today),
            icon="alert-triangle",
        )
        yield workbench.todo(
            "plans.returned",
            _("Progress reports returned for revision"),
            _url(f"status={c.ReportStatus.RETURNED}"),
            mine.filter(status=c.ReportStatus.RETURNED),
            date_field="reviewed_at",
            icon="pencil",
        )
        last = add_working_days(today, DUE_SOON_WORKING_DAYS)
        due_soon = mine.owed().filter(due_date__gte=today, due_date__lte=last)
        n, capped = workbench.count(due_soon)
        if n:
            yield workbench.Item(
                key="plans.due_soon",
                label=_("Progress reports due soon"),
                url=_url("due_soon=true"),
                count=n,
                capped=capped,
                kind=workbench.REMINDER,
                icon="calendar-event",
            )
    if scope.has_permission(user, "plans.progressreport.review"):
        yield workbench.todo(
            "plans.review",
            _("Progress reports to review"),
            _url(f"status={c.ReportStatus.SUBMITTED}"),
            scope.actionable(user, ProgressReport, "review").filter(
                status=c.ReportStatus.SUBMITTED
            ),
            date_field="submitted_at",
            icon="report-analytics",
        )
        overdue = scope.visible_to(user, ProgressReport, public=False).overdue(today)
        yield workbench.todo(
            "plans.overdue_area",
            _("Progress reports overdue in my area"),
            _url("overdue=true"),
            overdue,
            date_field="due_date",
            overdue=overdue,
            icon="alert-triangle",
        )
