"""Background jobs of the emergency app (`kepu.core.jobs`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs
from kepu.core.errors import DomainError
from kepu.resources.services.review import URGENT_HAZARDS

# -- pushes and deliveries --


def _push_link(job):
    from django.urls import reverse

    return reverse("emergency:push_detail", args=[job.params["push"]])


@jobs.kind(
    "emergency.deliver_push",
    title=gettext_lazy("Deliver a push to the last mile"),
    retries=3,
    queue="bulk",
    link=_push_link,
)
def deliver_push(run) -> dict:
    """Write one delivery per recipient in chunks, then count, tally, mail and audit
    once. Safe to run again (a retry, a second delivery of the task): the unique target
    skips what is written, `finish_delivery` runs once under a lock."""
    from kepu.emergency.models import Push
    from kepu.emergency.services import pushes

    push = Push.objects.filter(pk=run.params["push"]).first()
    if push is None:
        raise DomainError(_("This push no longer exists."))
    push = pushes.start_delivering(push)
    if push is None:
        return {"skipped": True}
    run.progress(0, push.expected, _("Delivering"))
    for done in pushes.deliver_chunks(push):
        run.progress(min(done, push.expected), push.expected, _("Delivering"))
    push = pushes.finish_delivery(push)
    run.outcome = _("%(delivered)d of %(expected)d recipients delivered.") % {
        "delivered": push.delivered,
        "expected": push.expected,
    }
    return {"delivered": push.delivered, "expected": push.expected}


def _open_hazards() -> set[str]:
    """The hazards of the open real incidents: the catalog's emergency SLA (an emergency
    library entry about one of them is reviewed the same day, first in the queue)."""
    from kepu.emergency.models import Incident

    return set(Incident.objects.open().real().values_list("hazard", flat=True))


# Registered here because this module is imported at start-up (apps.ready); the catalog
# does not import the emergency app.
URGENT_HAZARDS.append(_open_hazards)
