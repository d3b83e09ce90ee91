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


ITEM_STATISTICS = "contests.item_statistics"


@jobs.kind(ITEM_STATISTICS, title=gettext_lazy("Item statistics of a contest round"), retries=1,
           queue="bulk")  # fmt: skip
def item_statistics(run) -> dict:
    """Compute a closed round's item statistics from its counted attempts, store them on
    the round's questions and feed them back to the bank (rewritten whole: a retry is
    harmless)."""
    from kepu.contests.models import ContestRound
    from kepu.contests.services.reports import write_item_statistics
    from kepu.core.errors import DomainError

    round_ = ContestRound.objects.filter(pk=run.params["round"]).first()
    if round_ is None:
        raise DomainError(_("This contest round no longer exists."))
    stats = write_item_statistics(round_, actor=run.actor)
    answered = sum(1 for s in stats if s["answered"])
    run.outcome = _("Statistics of %(n)d questions written back to the item bank.") % {
        "n": answered
    }
    return {"items": answered}


ITEM_STATISTICS_DUE = "contests.item_statistics_due"


@jobs.kind(ITEM_STATISTICS_DUE, title=gettext_lazy("Item statistics of closed contest rounds"),
           retries=1, queue="bulk")  # fmt: skip
def item_statistics_due(run) -> dict:
    """The item statistics of every closed or published round whose questions have none
    yet (after close, whoever closed it): computed and fed back to the bank."""
    from kepu.contests.services.reports import rounds_without_statistics, write_item_statistics

    done = 0
    for round_ in rounds_without_statistics():
        write_item_statistics(round_, actor=None)
        done += 1
    run.outcome = _("Item statistics of %(n)d contest rounds written back.") % {"n": done}
    return {"rounds": done}


schedules.daily(
    ITEM_STATISTICS_DUE, ITEM_STATISTICS_DUE,
    title=gettext_lazy("Item statistics of closed contest rounds"), at="03:10",
)  # fmt: skip


# The prize certificates in one ZIP (the job is declared beside the certificates).
from kepu.contests import certificates  # noqa: E402, F401
