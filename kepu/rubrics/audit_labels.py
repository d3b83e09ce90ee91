from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "rubrics.rubric.created": _("Rubric created"),
        "rubrics.rubric.changed": _("Rubric changed"),
        "rubrics.rubric.activated": _("Rubric put in use"),
        "rubrics.rubric.retired": _("Rubric retired"),
        "rubrics.rubric.copied": _("Rubric copied"),
        "rubrics.criterion.saved": _("Rubric criterion saved"),
        "rubrics.criterion.deleted": _("Rubric criterion deleted"),
        "rubrics.rubric.exported": _("Rubrics exported"),
    }
)
