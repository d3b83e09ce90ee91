"""Background jobs of the bases app (`kepu.core.jobs`), one block per area."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs
from kepu.core.errors import DomainError

# -- annual reports and evaluation --


def _round_link(job):
    from django.urls import reverse

    return reverse("bases:evaluationround_detail", args=[job.params["round"]])


@jobs.kind(
    "bases.compute_round",
    title=gettext_lazy("Compute the results of an evaluation round"),
    retries=1,
    link=_round_link,
)
def compute_round(run) -> dict:
    """Score every base of the round at once (a rerun recomputes the same results)."""
    from kepu.bases.models import EvaluationRound
    from kepu.bases.services.annual_evaluation import compute_round as compute

    round_ = EvaluationRound.objects.filter(pk=run.params["round"]).first()
    if round_ is None:
        raise DomainError(_("This evaluation round no longer exists."))
    summary = compute(round_, actor=run.actor, progress=run.progress)
    run.outcome = _("%(n)d bases scored, %(missing)d without an accepted report.") % {
        "n": summary["bases"],
        "missing": summary["no_report"],
    }
    return summary
