"""Readable labels of the emergency app's audit action codes."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from kepu.core.audit import ACTION_LABELS

# -- incidents and the expert group ------------------------------------------------------
ACTION_LABELS.update({})


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries -----------------------------------------------------------------
ACTION_LABELS.update(
    {
        "emergency.push.created": _("Emergency push sent"),
        "emergency.push.delivered": _("Emergency push delivered"),
        "emergency.delivery.acknowledged": _("Emergency push acknowledged"),
        "emergency.delivery.recorded": _("Emergency push acknowledgement recorded"),
        "emergency.delivery.exported": _("Emergency push deliveries exported"),
    }
)


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals -----------------------------------------------------------------
ACTION_LABELS.update({})


# (keep these blank lines: each area edits its own block)


# -- public page, expert answers, review report --------------------------------------------
ACTION_LABELS.update({})
