"""Background work of the statistics survey (each area declares its jobs and schedules
in its own block)."""

from django.utils.translation import gettext_lazy as _

from kepu.core import jobs, schedules  # noqa: F401

# -- entry --


@jobs.kind("stats.prefill", title=_("Pre-fill a survey's returns from the registries"), retries=1)
def prefill_round(run) -> dict:
    """Every editable return of the round gets the registry counts (a rerun writes the
    same counts: safe to repeat)."""
    from kepu.core.errors import DomainError
    from kepu.stats.models import SurveyRound
    from kepu.stats.services.prefill import prefill_round as fill

    survey = SurveyRound.objects.select_related("data_set").filter(pk=run.params["round"]).first()
    if survey is None:
        raise DomainError(str(_("This survey round no longer exists.")))
    n = fill(survey, actor=run.actor, progress=run.progress)
    run.outcome = str(_("%(n)d returns pre-filled from the registries.")) % {"n": n}
    return {"returns": n}


# (keep these blank lines: each area edits its own block)


# -- workflow --
ASSIGN = "stats.assign"  # assigning many reporting units at once


def _assign_link(job):
    from django.urls import reverse

    return reverse("stats:return_list", args=[job.params["round"]])


@jobs.kind(ASSIGN, title=_("Assign reporting units to a survey"),
           link=_assign_link)  # fmt: skip
def assign_units(run) -> dict:
    """Assign a region's units of the chosen types to the round in bulk (one or two
    INSERT statements); safe to repeat: units already assigned are skipped."""
    from kepu.core.models import Region
    from kepu.stats.models import SurveyRound
    from kepu.stats.services import assignment

    params = run.params
    n = assignment.assign_units(
        SurveyRound.objects.get(pk=params["round"]),
        Region.objects.get(pk=params["region"]),
        params["org_types"],
        actor=run.actor,
        dept_category=params["dept_category"],
        progress=run.progress,
    )
    run.outcome = str(n)
    return {"assigned": n}


# (keep these blank lines: each area edits its own block)


# -- output --


@jobs.kind("stats.recompute", title=_("Recompute a survey's aggregates"), retries=1,
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
