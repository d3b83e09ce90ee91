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
ACTION_LABELS.update(
    {
        "literacy.surveyround.created": _("Survey round created"),
        "literacy.surveyround.changed": _("Survey round changed"),
        "literacy.surveyround.frame_built": _("Sampling frame built"),
        "literacy.surveyround.allocated": _("Sample allocated"),
        "literacy.surveyround.forms_assembled": _("Survey forms assembled"),
        "literacy.surveyround.opened": _("Survey round opened for fielding"),
        "literacy.surveyround.closed": _("Survey round closed"),
        "literacy.surveyround.interviewer_added": _("Interviewer added to a round"),
        "literacy.surveyround.interviewer_removed": _("Interviewer removed from a round"),
        "literacy.surveyround.exported": _("Survey rounds exported"),
        "literacy.response.submitted": _("Survey response submitted"),
        "literacy.response.bulk_loaded": _("Survey responses loaded in bulk"),
        "literacy.response.excluded": _("Survey response excluded"),
        "literacy.response.restored": _("Survey response restored"),
        "literacy.response.exported": _("Survey responses exported"),
        "literacy.contact.recorded": _("Interview contact recorded"),
        "literacy.populationmargin.set": _("Census margins entered"),
        "literacy.populationmargin.imported": _("Census margins imported"),
        "literacy.samplepoint.exported": _("QR sheet of sample points exported as PDF"),
    }
)


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
