from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- calls and entries --
ACTION_LABELS.update(
    {
        "selections.call.created": _("Call created"),
        "selections.call.changed": _("Call changed"),
        "selections.call.advanced": _("Call moved to its next step"),
        "selections.call.exported": _("Calls exported"),
        "selections.entry.created": _("Entry submitted"),
        "selections.entry.completed": _("Entry completed and resubmitted"),
        "selections.entry.withdrawn": _("Entry withdrawn"),
        "selections.entry.checked": _("Entry passed the formal check"),
        "selections.entry.returned": _("Entry returned for completion"),
        "selections.entry.rejected": _("Entry failed the formal check"),
        "selections.entry.lapsed": _("Entries not completed in time rejected"),
        "selections.entry.exported": _("Entries exported"),
        "selections.entrymaterial.downloaded": _("Entry material downloaded"),
        "selections.disciplinaryflag.created": _("Disciplinary flag opened"),
        "selections.disciplinaryflag.closed": _("Disciplinary flag closed"),
        "selections.relationship.created": _("Relationship declared"),
    }
)

# -- review --
ACTION_LABELS.update(
    {
        "selections.call.reviewers_assigned": _("Reviewers assigned to a call"),
        "selections.review.reassigned": _("Reviewer replaced by hand"),
        "selections.review.submitted": _("Expert review submitted"),
        "selections.call.ranked": _("Entries of a call ranked"),
        "selections.call.review_closed": _("Expert review closed"),
        "selections.call.panel_set": _("Panel of a call set"),
        "selections.panelvote.recorded": _("Panel vote recorded"),
        "selections.call.ranking_exported": _("Ranking of a call exported"),
    }
)

# -- 公示 and results --
ACTION_LABELS.update(
    {
        "selections.call.publicized": _("Call candidates put on public notice"),
        "selections.call.decided": _("Call results decided"),
        "selections.entry.awarded": _("Entry awarded"),
        "selections.objection.created": _("Objection to a call candidate filed"),
        "selections.objection.answered": _("Objection to a call candidate answered"),
        "selections.entry.certificate_downloaded": _("Award certificate downloaded"),
        "selections.call.certificates_exported": _("Award certificates of a call exported"),
    }
)

# -- funded projects --
ACTION_LABELS.update(
    {
        "selections.project.created": _("Funded project entered"),
        "selections.project.changed": _("Funded project changed"),
        "selections.project.budget_set": _("Project budget set"),
        "selections.project.contracted": _("Project contract recorded"),
        "selections.project.actuals_reported": _("Project actual values reported"),
        "selections.project.submitted": _("Project submitted for acceptance"),
        "selections.project.accepted": _("Project accepted"),
        "selections.project.failed": _("Project failed acceptance"),
        "selections.project.terminated": _("Project terminated"),
        "selections.project.exported": _("Funded projects exported"),
        "selections.milestone.created": _("Project milestone added"),
        "selections.milestone.done": _("Project milestone done"),
        "selections.performancetarget.created": _("Performance target added"),
        "selections.projectcheck.created": _("Project check recorded"),
        "selections.disbursement.created": _("Project payment recorded"),
        "selections.projectoutput.created": _("Project output added"),
    }
)

_unused = _  # the areas' labels use it
