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
nav.add(
    LITERACY, _("Survey rounds"), "literacy:round_list", "literacy.surveyround.view", "chart-dots"
)
nav.add(
    LITERACY, _("Census margins"), "literacy:margin_list", "literacy.populationmargin.view",
    "users-group",
)  # fmt: skip
nav.add(
    LITERACY, _("My interviews"), "literacy:interview_list", "literacy.surveyround.interview",
    "device-mobile",
)  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- estimation, reports and the index --
nav.add(LITERACY, _("Survey results"), "literacy:result_list", "literacy.estimate.view",
        "report-analytics")  # fmt: skip
nav.add(LITERACY, _("Science-literacy trend"), "literacy:trend", "literacy.estimate.view",
        "chart-bar")  # fmt: skip
nav.add(LITERACY, _("Science-popularization index"), "literacy:index_list",
        "literacy.indextree.view", "chart-pie")  # fmt: skip
