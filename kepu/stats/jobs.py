"""Background work of the statistics survey (each area declares its jobs and schedules
in its own block)."""

from kepu.core import jobs, schedules  # noqa: F401

# -- entry --


# (keep these blank lines: each area edits its own block)


# -- workflow --
ASSIGN = "stats.assign"  # assigning many reporting units at once
from django.utils.translation import gettext_lazy  # noqa: E402


def _assign_link(job):
    from django.urls import reverse

    return reverse("stats:return_list", args=[job.params["round"]])


@jobs.kind(ASSIGN, title=gettext_lazy("Assign reporting units to a survey"),
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
