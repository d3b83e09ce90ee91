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
ACTION_LABELS.update(
    {
        "emergency.rumor.created": _("Rumour lead reported"),
        "emergency.rumor.merged": _("Repeated rumour report merged into its lead"),
        "emergency.rumor.triaged": _("Rumour lead triaged"),
        "emergency.rumor.rebutted": _("Rumour lead rebutted"),
        "emergency.rumor.exported": _("Rumour leads exported"),
        "emergency.rebuttal.created": _("Rebuttal drafted"),
        "emergency.rebuttal.updated": _("Rebuttal edited"),
        "emergency.rebuttal.submitted": _("Rebuttal sent to expert review"),
        "emergency.rebuttal.returned": _("Rebuttal returned for changes"),
        "emergency.rebuttal.approved": _("Rebuttal approved by the experts"),
        "emergency.rebuttal.published": _("Rebuttal published"),
        "emergency.rebuttal.withdrawn": _("Rebuttal withdrawn"),
        "emergency.rebuttalreview.approved": _("Expert approved a rebuttal"),
        "emergency.rebuttalreview.returned": _("Expert requested changes to a rebuttal"),
    }
)


# (keep these blank lines: each area edits its own block)


# -- public page, expert answers, review report --------------------------------------------
ACTION_LABELS.update({})
