from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

SELECTIONS = _("Selections and projects")

# Entries are added by each area below once its pages exist.

# -- calls and entries --


# (keep these blank lines: each area edits its own block)


# -- review --


# (keep these blank lines: each area edits its own block)


# -- 公示 and results --
nav.add(
    SELECTIONS, _("Objections to call candidates"), "selections:objection_list",
    "selections.objection.view", "flag",
)  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- funded projects --
