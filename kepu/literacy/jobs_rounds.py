"""Background jobs of the rounds area (`kepu.core.jobs`): the schedule that closes the
rounds whose fielding window has ended."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs, schedules


@jobs.kind("literacy.close_due", title=gettext_lazy("Close survey rounds whose window ended"),
           retries=1)  # fmt: skip
def close_due(run) -> dict:
    """Close every round in the field past its `closes_at` (closing twice is refused
    under the row lock, so a retry is harmless)."""
    from kepu.literacy.services.rounds import close_due_rounds

    closed = close_due_rounds()
    run.outcome = _("%(n)d survey rounds closed.") % {"n": len(closed)}
    return {"closed": closed}


schedules.every(
    "literacy.close_due", "literacy.close_due",
    title=gettext_lazy("Close survey rounds whose window ended"), minutes=15,
)  # fmt: skip
