from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- calls and entries --
ACTION_LABELS.update({})

# -- review --
ACTION_LABELS.update({})

# -- 公示 and results --
ACTION_LABELS.update({})

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
