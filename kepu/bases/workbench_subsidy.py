"""Workbench items of the subsidy area (`kepu.core.workbench`): officers — subsidy
allocations submitted by another officer, to approve; units and officers — census
returns still to file (the overdue ones past the census deadline)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kepu.bases.models import CensusReturn, SubsidyRound
from kepu.bases.models.subsidy import CensusStatus, ReturnStatus, SubsidyStatus
from kepu.core import clock, scope, workbench

workbench.link("bases.subsidyround", "bases:subsidy_detail")
workbench.link("bases.censusreturn", "bases:censusreturn_fill")


@workbench.register
def subsidies_and_census(user, focus):
    if scope.has_permission(user, "bases.subsidyround.approve"):
        # Four-eyes: the officer's own submissions are left out (scope.actionable).
        rows = scope.actionable(
            user, SubsidyRound.objects.filter(status=SubsidyStatus.SUBMITTED), "approve"
        )
        yield workbench.todo(
            "bases.subsidy.approve",
            _("Subsidy allocations to approve"),
            f"{reverse('bases:subsidy_list')}?status={SubsidyStatus.SUBMITTED}",
            rows,
            date_field="submitted_at",
            icon="report-analytics",
        )
    if scope.has_permission(user, "bases.censusreturn.fill"):
        rows = scope.actionable(
            user,
            CensusReturn.objects.filter(status=ReturnStatus.DRAFT, round__status=CensusStatus.OPEN),
            "fill",
        )
        yield workbench.todo(
            "bases.census.returns",
            _("Census returns to file"),
            reverse("bases:censusreturn_queue"),
            rows,
            date_field="updated_at",
            overdue=rows.filter(round__deadline__lt=clock.today()),
            icon="checklist",
        )
