"""Background jobs of the bases app (`kepu.core.jobs`), one block per area."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs, schedules
from kepu.core.errors import DomainError

# -- registry --


@jobs.kind("bases.expire", title=gettext_lazy("Expire bases at the end of their cycle"), retries=2)
def expire_bases(run) -> dict:
    """Expire the listed bases whose validity has ended. Safe to repeat: a second run
    finds none left to expire."""
    from kepu.bases.services import expire_bases as expire

    n = expire()
    run.outcome = _("%(n)d bases expired.") % {"n": n}
    return {"expired": n}


schedules.daily(
    "bases.expire",
    "bases.expire",
    title=gettext_lazy("Expire bases at the end of their cycle"),
    at="00:40",
)


# (keep these blank lines: each area edits its own block)

# -- annual reports and evaluation --


def _round_link(job):
    from django.urls import reverse

    return reverse("bases:evaluationround_detail", args=[job.params["round"]])


@jobs.kind(
    "bases.compute_evaluation_round",
    title=gettext_lazy("Compute the results of an evaluation round"),
    retries=1,
    link=_round_link,
)
def compute_evaluation_round(run) -> dict:
    """Score every base of the round at once (a rerun recomputes the same results)."""
    from kepu.bases.models import EvaluationRound
    from kepu.bases.services.annual_evaluation import compute_evaluation_round as compute

    round_ = EvaluationRound.objects.filter(pk=run.params["round"]).first()
    if round_ is None:
        raise DomainError(_("This evaluation round no longer exists."))
    summary = compute(round_, actor=run.actor, progress=run.progress)
    run.outcome = _("%(n)d bases scored, %(missing)d without an accepted report.") % {
        "n": summary["bases"],
        "missing": summary["no_report"],
    }
    return summary
