"""Readable labels of the emergency app's audit action codes."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from kepu.core.audit import ACTION_LABELS

# -- incidents and the expert group ------------------------------------------------------
ACTION_LABELS.update(
    {
        "emergency.incident.activated": _("Emergency response activated"),
        "emergency.incident.updated": _("Incident changed"),
        "emergency.incident.closed": _("Incident closed"),
        "emergency.incident.response_started": _("Incident response started"),
        "emergency.incident.exported": _("Incidents exported"),
        "emergency.groupmember.proposed": _("Experts proposed for the group"),
        "emergency.groupmember.invited": _("Expert invited to the group"),
        "emergency.groupmember.withdrawn": _("Expert withdrawn from the group"),
        "emergency.groupmember.accepted": _("Group invitation accepted"),
        "emergency.groupmember.declined": _("Group invitation declined"),
        "emergency.groupmember.lead_set": _("Group lead set"),
        "emergency.dutyshift.created": _("Duty shift added"),
        "emergency.dutyshift.removed": _("Duty shift removed"),
    }
)


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
ACTION_LABELS.update(
    {
        "emergency.expertanswer.created": _("Expert answer published"),
        "emergency.incident.report_exported": _("Incident review report exported"),
    }
)
