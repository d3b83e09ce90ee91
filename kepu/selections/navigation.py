from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

SELECTIONS = _("Selections and projects")

# Entries are added by each area below once its pages exist.

# -- calls and entries --
nav.add(SELECTIONS, _("Calls"), "selections:call_list", "selections.call.view", "clipboard-list")
nav.add(SELECTIONS, _("Entries"), "selections:entry_list", "selections.entry.view", "file-text")
nav.add(
    SELECTIONS, _("Entries to check"), "selections:check_queue", "selections.entry.check",
    "checklist",
)  # fmt: skip
nav.add(
    SELECTIONS, _("Disciplinary flags"), "selections:flag_list",
    "selections.disciplinaryflag.view", "flag",
)  # fmt: skip
nav.add(
    SELECTIONS, _("Declared relationships"), "selections:relationship_list",
    "selections.relationship.view", "users",
)  # fmt: skip

# (keep these blank lines: each area edits its own block)


# -- review --
nav.add(SELECTIONS, _("My reviews"), "selections:review_queue", "selections.review.view", "star")


# (keep these blank lines: each area edits its own block)


# -- 公示 and results --
nav.add(
    SELECTIONS, _("Objections to call candidates"), "selections:objection_list",
    "selections.objection.view", "flag",
)  # fmt: skip


# (keep these blank lines: each area edits its own block)


# -- funded projects --
nav.add(SELECTIONS, _("Funded projects"), "selections:project_list", "selections.project.view",
        "clipboard-list")  # fmt: skip
nav.add(
    SELECTIONS, _("Project statistics"), "selections:project_stats", "selections.project.export",
    "chart-bar",
)  # fmt: skip
