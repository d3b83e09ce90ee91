from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- item bank --
ACTION_LABELS.update({})


# -- rounds and fielding --
ACTION_LABELS.update({})


# -- estimation, reports and the index --
ACTION_LABELS.update(
    {
        "literacy.surveyround.estimated": _("Survey round estimated"),
        "literacy.surveyround.published": _("Survey round results published"),
        "literacy.indextree.created": _("Science-popularization index created"),
        "literacy.indextree.changed": _("Science-popularization index changed"),
        "literacy.indextree.weighted": _("Index weights set by experts"),
        "literacy.indextree.computed": _("Science-popularization index computed"),
        "literacy.indextree.published": _("Science-popularization index published"),
        "literacy.report.exported": _("Survey round report exported as PDF"),
    }
)

_unused = _  # the blocks above use it once filled
