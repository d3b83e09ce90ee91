from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- calls and entries --
ACTION_LABELS.update({})

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
ACTION_LABELS.update({})

# -- funded projects --
ACTION_LABELS.update({})

_unused = _  # the areas' labels use it
