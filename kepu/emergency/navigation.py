from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

EMERGENCY = _("Emergency science")

# Entries are added by each area below once its pages exist.

# -- incidents and the expert group --
nav.add(
    EMERGENCY,
    _("Emergency response"),
    "emergency:incident_list",
    "emergency.incident.view",
    "alert-triangle",
)
nav.add(
    EMERGENCY,
    _("Expert group invitations"),
    "emergency:invitation_list",
    "emergency.groupmember.respond",
    "user-check",
)


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries --
nav.add(
    EMERGENCY,
    _("Emergency messages to acknowledge"),
    "emergency:delivery_inbox",
    "emergency.delivery.acknowledge",
    "send",
)


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals --
nav.add(
    EMERGENCY, _("Rumour leads"), "emergency:rumor_list", "emergency.rumor.view", "message-report"
)
nav.add(
    EMERGENCY,
    _("Report a rumour"),
    "emergency:rumor_create",
    "emergency.rumor.create",
    "message-plus",
)
nav.add(
    EMERGENCY,
    _("Rebuttals to review"),
    "emergency:review_list",
    "emergency.rebuttalreview.decide",
    "certificate",
)


# (keep these blank lines: each area edits its own block)


# -- public page, expert answers, review report --
nav.add(
    EMERGENCY,
    _("Public emergency pages"),
    "emergency:public_incident_list",
    "emergency.incident.view",
    "world",
)
