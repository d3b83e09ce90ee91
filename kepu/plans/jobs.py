"""Plans' periodic jobs."""

from django.utils.translation import gettext_lazy as _

from kepu.core import jobs, schedules
from kepu.plans.services import send_reminders


@jobs.kind("plans.reminders", title=_("Open reporting periods and remind units"), retries=2)
def plan_reminders(run) -> dict:
    """Open the reporting periods of published plans and remind units of reports due
    within the reminder window. Safe to repeat: each reminder is sent once per period."""
    sent = send_reminders()
    run.outcome = _("%(n)d reminders sent.") % {"n": sent}
    return {"reminders": sent}


schedules.daily(
    "plans.reminders",
    "plans.reminders",
    title=_("Open reporting periods and remind units"),
    at="08:00",
)
