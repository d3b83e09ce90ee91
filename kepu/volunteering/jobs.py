"""Volunteer service's periodic jobs."""

from django.utils.translation import gettext_lazy as _

from kepu.core import jobs, schedules
from kepu.volunteering.services import escalate_overdue


@jobs.kind("volunteering.escalate_orders", title=_("Escalate overdue service orders"), retries=2)
def escalate_orders(run) -> dict:
    """Flag orders past their dispatch or acceptance deadline (working days) and raise
    them to the level above. Safe to repeat: an escalated order is not escalated again."""
    escalated = escalate_overdue()
    run.outcome = _("%(n)d overdue orders escalated.") % {"n": escalated}
    return {"escalated": escalated}


schedules.every(
    "volunteering.escalate_orders",
    "volunteering.escalate_orders",
    title=_("Escalate overdue service orders"),
    hours=1,
)
