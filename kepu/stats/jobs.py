"""Background work of the statistics survey (each area declares its jobs and schedules
in its own block)."""

from django.utils.translation import gettext_lazy as _lazy

from kepu.core import jobs, schedules  # noqa: F401

# -- entry --


# (keep these blank lines: each area edits its own block)


# -- workflow --


# (keep these blank lines: each area edits its own block)


# -- output --


@jobs.kind("stats.recompute", title=_lazy("Recompute a survey's aggregates"), retries=1,
           queue="bulk")  # fmt: skip
def recompute_aggregates(run) -> dict:
    """Rebuild a round's aggregates from the accepted returns' values and report the
    drift from the kept ones (rewritten whole: a retry is harmless)."""
    from django.utils.translation import gettext as _

    from kepu.core.errors import DomainError
    from kepu.stats.models import SurveyRound
    from kepu.stats.services.analysis import recompute_with_drift

    survey = SurveyRound.objects.filter(pk=run.params["round"]).first()
    if survey is None:
        raise DomainError(_("This survey round no longer exists."))
    result = recompute_with_drift(survey, actor=run.actor)
    if result["drift"]:
        run.outcome = _(
            "%(rows)s aggregate rows rebuilt; %(drift)s differed from the kept ones (drift "
            "corrected)."
        ) % {"rows": f"{result['rows']:,}", "drift": f"{result['drift']:,}"}
    else:
        run.outcome = _("%(rows)s aggregate rows rebuilt; no drift found.") % {
            "rows": f"{result['rows']:,}"
        }
    return result


# The checked import of a statistics table (declared beside the Excel service).
from kepu.stats.services import excel_io  # noqa: E402, F401
