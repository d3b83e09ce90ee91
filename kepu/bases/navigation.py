from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

BASES = _("Bases and venues")

# Entries are added by each area below once its pages exist.

# -- registry --


# (keep these blank lines: each area edits its own block)


# -- recognition rounds --
nav.add(
    BASES, _("Recognition rounds"), "bases:round_list", "bases.recognitionround.view", "certificate"
)
nav.add(
    BASES, _("Recognition applications"), "bases:application_list", "bases.application.view",
    "file-text",
)  # fmt: skip
nav.add(
    BASES, _("Applications to recommend"), "bases:recommend_queue",
    "bases.application.recommend", "user-check",
)  # fmt: skip
nav.add(BASES, _("Formal checks"), "bases:check_queue", "bases.application.check", "checklist")
nav.add(BASES, _("Applications to score"), "bases:sheet_queue", "bases.scoresheet.view", "star")
nav.add(BASES, _("Objections"), "bases:objection_queue", "bases.objection.view", "flag")


# (keep these blank lines: each area edits its own block)


# -- annual reports and evaluation --


# (keep these blank lines: each area edits its own block)


# -- subsidies and census --


# (keep these blank lines: each area edits its own block)


# -- mid-term evaluation and rubrics --
