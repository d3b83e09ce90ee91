from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

SELECTIONS = _("Selections and projects")

# Entries are added by each area below once its pages exist.

# -- calls and entries --


# (keep these blank lines: each area edits its own block)


# -- review --


# (keep these blank lines: each area edits its own block)


# -- 公示 and results --


# (keep these blank lines: each area edits its own block)


# -- funded projects --
nav.add(SELECTIONS, _("Funded projects"), "selections:project_list", "selections.project.view",
        "clipboard-list")  # fmt: skip
nav.add(
    SELECTIONS, _("Project statistics"), "selections:project_stats", "selections.project.export",
    "chart-bar",
)  # fmt: skip
