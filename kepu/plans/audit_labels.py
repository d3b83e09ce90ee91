"""Readable names of the plan action codes on the audit pages."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "plans.plan.created": _("Plan created"),
        "plans.plan.updated": _("Plan changed"),
        "plans.plan.published": _("Plan published"),
        "plans.plan.closed": _("Plan closed"),
        "plans.plan.periods_opened": _("Reporting periods opened"),
        "plans.plan.exported": _("Plan bulletin exported"),
        "plans.section.created": _("Plan section added"),
        "plans.task.created": _("Task added"),
        "plans.task.updated": _("Task changed"),
        "plans.task.status_changed": _("Task status changed"),
        "plans.task.progress_updated": _("Task progress updated from a report"),
        "plans.target.created": _("Target added"),
        "plans.target.updated": _("Target changed"),
        "plans.target.decomposed": _("Target decomposed"),
        "plans.target.exported": _("Targets exported"),
        "plans.progressreport.submitted": _("Progress report submitted"),
        "plans.progressreport.returned": _("Progress report returned for revision"),
        "plans.progressreport.accepted": _("Progress report accepted"),
        "plans.progressreport.reminded": _("Progress report reminder sent"),
        "plans.progressreport.exported": _("Progress reports exported"),
        "plans.reportattachment.deleted": _("Report attachment removed"),
        "plans.reportattachment.downloaded": _("Report attachment downloaded"),
        "plans.supervisionnote.created": _("Supervision note written"),
        "plans.supervisionnote.answered": _("Supervision note answered"),
        "plans.jointconference.created": _("Joint conference set up"),
        "plans.meeting.created": _("Joint-conference meeting recorded"),
        "plans.meeting.updated": _("Joint-conference meeting corrected"),
        "plans.meeting.exported": _("Joint-conference meetings exported"),
        "plans.meetingdecision.created": _("Meeting decision recorded"),
        "plans.meetingdecision.updated": _("Meeting decision corrected"),
        "plans.meetingminutes.uploaded": _("Meeting minutes uploaded"),
        "plans.meetingminutes.downloaded": _("Meeting minutes downloaded"),
        # assessment of regions and member units
        "plans.assessmentround.created": _("Assessment round created"),
        "plans.assessmentround.recomputed": _("Assessment live values recomputed"),
        "plans.assessmentround.published": _("Assessment result published"),
        "plans.assessmentround.exported": _("Assessment result exported"),
        "plans.assessmententry.self_assessed": _("Self-assessment filed"),
        "plans.assessmententry.scored": _("Assessment scored"),
        "plans.assessmententry.confirmed": _("Assessment score confirmed"),
        "plans.assessmentevidence.downloaded": _("Assessment evidence downloaded"),
    }
)
