"""Readable labels of the emergency app's audit action codes."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from kepu.core.audit import ACTION_LABELS

# -- incidents and the expert group ------------------------------------------------------
ACTION_LABELS.update({})


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries -----------------------------------------------------------------
ACTION_LABELS.update({})


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals -----------------------------------------------------------------
ACTION_LABELS.update({})


# (keep these blank lines: each area edits its own block)


# -- public page, expert answers, review report --------------------------------------------
ACTION_LABELS.update(
    {
        "emergency.expertanswer.created": _("Expert answer published"),
        "emergency.incident.report_exported": _("Incident review report exported"),
    }
)
