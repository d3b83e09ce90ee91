"""The assessment's background work: recomputing a round's live values (a button on
the round's page) and, every night, those of every open round."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs, schedules
from kepu.core.errors import DomainError


def _round_link(job):
    from django.urls import reverse

    return reverse("plans:assessment_detail", args=[job.params["round"]])


@jobs.kind(
    "plans.assessment_refresh",
    title=gettext_lazy("Recompute the live values of an assessment round"),
    retries=1,
    link=_round_link,
)
def assessment_refresh(run) -> dict:
    """Pull the live values of one round (a rerun gives the same values)."""
    from kepu.plans.models import AssessmentRound
    from kepu.plans.services.assessment import refresh_round

    round_ = AssessmentRound.objects.filter(pk=run.params["round"]).first()
    if round_ is None:
        raise DomainError(_("This assessment round no longer exists."))
    summary = refresh_round(round_, actor=run.actor, progress=run.progress)
    run.outcome = _("%(n)d regions or units recomputed.") % {"n": summary["subjects"]}
    return summary


@jobs.kind(
    "plans.assessment_refresh_all",
    title=gettext_lazy("Recompute the live values of the open assessment rounds"),
    retries=1,
)
def assessment_refresh_all(run) -> dict:
    from kepu.plans.assessment_choices import RoundStatus
    from kepu.plans.models import AssessmentRound
    from kepu.plans.services.assessment import refresh_round

    rounds = list(AssessmentRound.objects.filter(status=RoundStatus.OPEN).order_by("pk"))
    for i, round_ in enumerate(rounds):
        refresh_round(round_, actor=None)
        run.progress(i + 1, len(rounds), "")
    run.outcome = _("%(n)d assessment rounds recomputed.") % {"n": len(rounds)}
    return {"rounds": len(rounds)}


schedules.daily(
    "plans.assessment_refresh_all",
    "plans.assessment_refresh_all",
    title=gettext_lazy("Recompute the live values of the open assessment rounds"),
    at="03:10",
)
