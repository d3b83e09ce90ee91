"""What awaits the signed-in user in the statistics survey (core.workbench providers;
each area adds its own in its block)."""

from kepu.core import workbench  # noqa: F401

# -- entry --


workbench.link("stats.return", "stats:return_form")


@workbench.register
def returns_to_fill(user, focus):
    """Units' staff: their statistics returns to fill (not yet submitted) and those the
    county returned to them."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from kepu.core import clock, scope
    from kepu.stats import choices as c
    from kepu.stats.models import Return

    units = [o.pk for o in scope.member_units(user, Return, "fill")]
    if not units:
        return
    url = reverse("stats:my_returns")
    rows = Return.objects.filter(
        organization_id__in=units,
        status__in=c.EDITABLE_RETURN,
        round__status=c.RoundStatus.OPEN,
    )
    yield workbench.todo(
        "stats.returns.fill",
        _("Statistics returns to fill"),
        url,
        rows.exclude(status=c.ReturnStatus.RETURNED),
        date_field="round__units_due",
        overdue=rows.filter(round__units_due__lt=clock.today()),
        icon="file-spreadsheet",
    )
    yield workbench.todo(
        "stats.returns.returned",
        _("Statistics returns returned to you"),
        f"{url}?status=returned",
        rows.filter(status=c.ReturnStatus.RETURNED),
        date_field="updated_at",
        icon="alert-triangle",
    )


# (keep these blank lines: each area edits its own block)


# -- workflow --


def _open_rounds(user):
    from kepu.core import scope
    from kepu.stats import choices as c
    from kepu.stats.models import SurveyRound

    return list(
        scope.visible_to(user, SurveyRound, public=False)
        .filter(status=c.RoundStatus.OPEN)
        .select_related("region")
        .order_by("-year", "-pk")[:5]
    )


@workbench.register
def stats_workflow(user, focus):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from kepu.core import clock, scope
    from kepu.stats import choices as c
    from kepu.stats.models import RegionApproval, Return
    from kepu.stats.services import approvals
    from kepu.stats.views.workflow_common import approves

    if not scope.has_permission(user, "stats.surveyround.view"):
        return
    for survey in _open_rounds(user):
        if scope.has_permission(user, "stats.return.accept"):
            yield workbench.todo(
                f"stats.accept.{survey.pk}",
                _("Statistics returns waiting for your acceptance"),
                reverse("stats:return_list", args=[survey.pk]) + "?status=submitted",
                scope.actionable(user, Return, "accept").filter(
                    round=survey, status=c.ReturnStatus.SUBMITTED
                ),
                date_field="submitted_at",
                icon="checklist",
            )
        if scope.has_permission(user, "stats.regionapproval.approve"):
            ready = [
                a.region
                for a in scope.granting_assignments(user, RegionApproval, "approve")
                if a.region_id and a.region.is_within(survey.region) and approves(user, a.region)
                and not RegionApproval.objects.filter(
                    round=survey, region=a.region, status=c.ApprovalStatus.APPROVED
                ).exists()
                and not approvals.blockers(survey, a.region)
            ]  # fmt: skip
            if ready:
                yield workbench.Item(
                    key=f"stats.approve.{survey.pk}",
                    label=_("Regions ready for your approval"),
                    url=reverse("stats:approval", args=[survey.pk]),
                    count=len(ready),
                    icon="circle-check",
                )
        if clock.today() > survey.units_due:
            yield workbench.todo(
                f"stats.overdue.{survey.pk}",
                _("Overdue units in your region"),
                reverse("stats:return_list", args=[survey.pk]) + "?late=true",
                scope.visible_to(user, Return, public=False).filter(
                    round=survey, status__in=c.EDITABLE_RETURN
                ),
                date_field="updated_at",
                kind=workbench.REMINDER,
                icon="clock",
            )


# (keep these blank lines: each area edits its own block)


# -- output --


@workbench.register
def rounds_to_publish(user, focus):
    """Province officers: surveys their province approved, not yet published as open
    data."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from kepu.core import scope
    from kepu.stats import choices as c
    from kepu.stats.models import RegionApproval, SurveyRound

    if not scope.has_permission(user, "stats.surveyround.publish"):
        return
    approved = RegionApproval.objects.filter(
        round=OuterRef("pk"), region=OuterRef("region"), status=c.ApprovalStatus.APPROVED
    )
    rows = scope.actionable(
        user, SurveyRound.objects.filter(Exists(approved), status=c.RoundStatus.OPEN), "publish"
    )
    yield workbench.todo(
        "stats.rounds.publish",
        _("Statistics surveys approved, to publish"),
        reverse("stats:aggregates"),
        rows,
        date_field="created_at",
        icon="chart-bar",
    )
