"""Background work of the contests: attempts scored at their deadline, rounds closed at
the end of their window, and the areas' own jobs below."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs, schedules


@jobs.kind("contests.expire_due", title=gettext_lazy("Score contest attempts whose time ran out"),
           retries=1)  # fmt: skip
def expire_due(run) -> dict:
    """Score every attempt left open past its deadline with the answers it holds
    (`finish` is idempotent under the row lock, so a retry is harmless)."""
    from kepu.contests.services.taking import expire_due as expire

    scored = expire()
    run.outcome = _("%(n)d contest attempts scored at their time limit.") % {"n": scored}
    return {"scored": scored}


schedules.every(
    "contests.expire_due", "contests.expire_due",
    title=gettext_lazy("Score contest attempts whose time ran out"), minutes=1,
)  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- contests and rounds --


@jobs.kind("contests.close_due", title=gettext_lazy("Close contest rounds whose window ended"),
           retries=1)  # fmt: skip
def close_due(run) -> dict:
    """Close every open round past its closing time, scoring the attempts still in
    progress (a round already closed is skipped under its row lock: a retry is harmless)."""
    from kepu.contests.services.contests import close_due as close

    closed = close()
    run.outcome = _("%(n)d contest rounds closed.") % {"n": closed}
    return {"closed": closed}


schedules.every(
    "contests.close_due", "contests.close_due",
    title=gettext_lazy("Close contest rounds whose window ended"), minutes=5,
)  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- rankings, prizes, certificates and reports --
