"""Background work of the statistics survey (each area declares its jobs and schedules
in its own block)."""

from django.utils.translation import gettext_lazy as _

from kepu.core import jobs, schedules  # noqa: F401

# -- entry --


@jobs.kind("stats.prefill", title=_("Pre-fill a survey's returns from the registries"), retries=1)
def prefill_round(run) -> dict:
    """Every editable return of the round gets the registry counts (a rerun writes the
    same counts: safe to repeat)."""
    from django.utils.translation import gettext as gettext_now

    from kepu.core.errors import DomainError
    from kepu.stats.models import SurveyRound
    from kepu.stats.services.prefill import prefill_round as fill

    survey = SurveyRound.objects.select_related("data_set").filter(pk=run.params["round"]).first()
    if survey is None:
        raise DomainError(gettext_now("This survey round no longer exists."))
    n = fill(survey, actor=run.actor, progress=run.progress)
    run.outcome = gettext_now("%(n)d returns pre-filled from the registries.") % {"n": n}
    return {"returns": n}


# (keep these blank lines: each area edits its own block)


# -- workflow --


# (keep these blank lines: each area edits its own block)


# -- output --
