from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- foundation: the core services --
ACTION_LABELS.update(
    {
        "stats.dataset.created": _("Statistics data set loaded"),
        "stats.return.created": _("Reporting unit assigned to a survey"),
        "stats.return.saved": _("Statistics return saved"),
        "stats.return.submitted": _("Statistics return submitted"),
        "stats.return.accepted": _("Statistics return accepted"),
        "stats.return.returned": _("Statistics return returned"),
        "stats.regionapproval.approved": _("Region's statistics approved"),
        "stats.regionapproval.returned": _("Region's statistics approval returned"),
    }
)


# (keep these blank lines: each area edits its own block)


# -- entry --
ACTION_LABELS.update(
    {
        "stats.return.prefilled": _("Statistics return pre-filled from the registries"),
        "stats.return.exported": _("Statistics returns exported"),
        "stats.validationrule.created": _("Statistics validation rule added"),
        "stats.validationrule.changed": _("Statistics validation rule changed"),
        "stats.indicator.created": _("Statistics indicator added"),
        "stats.indicator.changed": _("Statistics indicator changed"),
    }
)


# (keep these blank lines: each area edits its own block)


# -- workflow --
ACTION_LABELS.update(
    {
        "stats.surveyround.created": _("Statistics survey created"),
        "stats.surveyround.changed": _("Statistics survey changed"),
        "stats.surveyround.opened": _("Statistics survey opened for filing"),
        "stats.surveyround.closed": _("Statistics survey closed"),
        "stats.surveyround.assigned": _("Reporting units assigned to a survey"),
        "stats.surveyround.completeness_exported": _("Survey completeness exported"),
        "stats.return.removed": _("Reporting unit removed from a survey"),
        "stats.return.exported": _("Statistics returns exported"),
        "stats.lockexception.created": _("Exception to the statistics lock granted"),
    }
)


# (keep these blank lines: each area edits its own block)


# -- output --
ACTION_LABELS.update(
    {
        "stats.aggregate.recomputed": _("Statistics aggregates recomputed"),
        "stats.surveyround.published": _("Statistics survey results published"),
        "stats.return.imported": _("Statistics table imported from Excel"),
        "stats.aggregate.exported": _("Statistics table exported"),
        "stats.dataset.exported": _("Statistics data set exported"),
    }
)
