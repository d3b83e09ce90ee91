"""What awaits the signed-in user in the statistics survey (core.workbench providers;
each area adds its own in its block)."""

from kepu.core import workbench  # noqa: F401

# -- entry --


# (keep these blank lines: each area edits its own block)


# -- workflow --


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
