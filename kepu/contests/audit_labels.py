from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- contests and rounds --
ACTION_LABELS.update(
    {
        "contests.contest.created": _("Contest created"),
        "contests.contest.changed": _("Contest changed"),
        "contests.contest.published": _("Contest published"),
        "contests.contest.finished": _("Contest finished"),
        "contests.contest.cancelled": _("Contest cancelled"),
        "contests.contest.exported": _("Contests exported"),
        "contests.contestround.created": _("Contest round created"),
        "contests.contestround.changed": _("Contest round changed"),
        "contests.contestround.drawn": _("Questions of a contest round drawn"),
        "contests.contestround.opened": _("Contest round opened"),
        "contests.contestround.closed": _("Contest round closed"),
    }
)


# -- taking part (officers' steps on attempts) --
ACTION_LABELS.update(
    {
        "contests.attempt.excluded": _("Contest attempt excluded"),
        "contests.attempt.restored": _("Contest attempt restored"),
        "contests.participant.revealed": _("Participant's mobile number shown"),
        "contests.attempt.exported": _("Contest attempts exported"),
    }
)


# -- rankings, prizes, certificates and reports --
ACTION_LABELS.update(
    {
        "contests.contestround.published": _("Contest results published"),
        "contests.contestround.advanced": _("Advancement to the next round decided"),
        "contests.contestround.item_statistics_written": _(
            "Item statistics of a contest round written back to the bank"
        ),
        "contests.contestround.certificates_exported": _("Prize certificates of a round exported"),
        "contests.standing.exported": _("Contest ranking exported"),
        "contests.prizelist.drafted": _("Contest prize list drafted"),
        "contests.prizelist.publicized": _("Contest prize list put to public notice"),
        "contests.prizelist.finalized": _("Contest prize list made final"),
        "contests.prize.withdrawn": _("Contest prize withdrawn after an objection"),
        "contests.prizeobjection.created": _("Objection to a contest prize filed"),
        "contests.prizeobjection.answered": _("Objection to a contest prize answered"),
        "contests.certificate.issued": _("Contest certificate issued"),
    }
)
