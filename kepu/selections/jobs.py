"""Background jobs of the selections app (`kepu.core.jobs`), one block per area."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs
from kepu.core.errors import DomainError

# -- calls and entries --


# -- review --


def _assignment_link(job):
    from django.urls import reverse

    return reverse("selections:call_assignment", args=[job.params["call"]])


@jobs.kind(
    "selections.assign",
    title=gettext_lazy("Assign the reviewers of a call"),
    retries=1,
    link=_assignment_link,
)
def assign_call_reviewers(run) -> dict:
    """The automatic assignment of a large call (a rerun replaces the assignment while no
    review is submitted, so repeating is harmless)."""
    from kepu.selections.models import Call
    from kepu.selections.services.review import assign_reviewers

    call = Call.objects.filter(pk=run.params["call"]).first()
    if call is None:
        raise DomainError(_("This call no longer exists."))
    summary = assign_reviewers(call, actor=run.actor, progress=run.progress)
    run.outcome = _("%(n)d reviews assigned to %(r)d reviewers.") % {
        "n": summary["assigned"],
        "r": summary["reviewers"],
    }
    return summary


# -- 公示 and results --
# The certificates' batch job is declared beside them, in kepu/selections/certificates.py.

# -- funded projects --
# No schedule: the overdue and at-risk flags are computed from dates in SQL when a list
# or the workbench is read (filters/projects.py), so nothing needs to run at night.
