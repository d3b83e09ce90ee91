from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

LITERACY = _("Science literacy")

# Entries are added by each area below once its pages exist.

# -- item bank --
nav.add(LITERACY, _("Item bank"), "literacy:item_list", "literacy.item.view", "book")
nav.add(
    LITERACY,
    _("Item reviews"),
    "literacy:itemreview_queue",
    "literacy.itemreview.file",
    "checklist",
)


# (keep these blank lines: each area edits its own block)


# -- rounds and fielding --


# (keep these blank lines: each area edits its own block)


# -- estimation, reports and the index --
