from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

SELECTIONS = _("Selections and projects")

# Entries are added by each area below once its pages exist.

# -- calls and entries --


# (keep these blank lines: each area edits its own block)


# -- review --
nav.add(SELECTIONS, _("My reviews"), "selections:review_queue", "selections.review.view", "star")


# (keep these blank lines: each area edits its own block)


# -- 公示 and results --


# (keep these blank lines: each area edits its own block)


# -- funded projects --
