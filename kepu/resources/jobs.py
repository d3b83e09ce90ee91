"""The catalog's periodic jobs."""

from django.utils.translation import gettext_lazy as _

from kepu.core import jobs, schedules
from kepu.resources.services import send_review_reminders

TITLE = _("Remind owners of catalog entries due for review")


@jobs.kind("resources.reminders", title=TITLE, retries=2)
def resource_reminders(run) -> dict:
    """Remind owner units and officers of entries whose review-by date is near (once per
    review period, so a repeat sends nothing twice)."""
    entries = send_review_reminders()
    run.outcome = _("%(n)d catalog entries due for review: owners reminded.") % {"n": entries}
    return {"entries": entries}


schedules.daily(
    "resources.reminders",
    "resources.reminders",
    title=TITLE,
    at="08:10",
)
