from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- item bank --
ACTION_LABELS.update(
    {
        "literacy.item.created": _("Test item written"),
        "literacy.item.changed": _("Test item changed"),
        "literacy.item.versioned": _("New version of a test item written"),
        "literacy.item.sent_to_review": _("Test item sent to the accuracy review"),
        "literacy.item.approved": _("Test item approved"),
        "literacy.item.returned": _("Test item returned to its author"),
        "literacy.item.retired": _("Test item retired"),
        "literacy.item.imported": _("Test items imported"),
        "literacy.item.exported": _("Test items exported"),
        "literacy.itemreview.filed": _("Accuracy review of a test item filed"),
    }
)


# -- rounds and fielding --
ACTION_LABELS.update({})


# -- estimation, reports and the index --
ACTION_LABELS.update({})

_unused = _  # the blocks above use it once filled
