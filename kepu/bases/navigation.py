from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

BASES = _("Bases and venues")

# Entries are added by each area below once its pages exist.

# -- registry --
nav.add(BASES, _("Base registry"), "bases:base_list", "bases.base.view", "building-community")


# (keep these blank lines: each area edits its own block)


# -- recognition rounds --


# (keep these blank lines: each area edits its own block)


# -- annual reports and evaluation --


# (keep these blank lines: each area edits its own block)


# -- subsidies and census --
nav.add(
    BASES,
    _("Subsidies by score"),
    "bases:subsidy_list",
    "bases.subsidyround.view",
    "report-analytics",
)
nav.add(
    BASES,
    _("Infrastructure census"),
    "bases:census_list",
    "bases.censusround.view",
    "clipboard-list",
)
nav.add(
    BASES,
    _("Census returns to file"),
    "bases:censusreturn_queue",
    "bases.censusreturn.fill",
    "checklist",
)


# (keep these blank lines: each area edits its own block)


# -- mid-term evaluation and rubrics --
nav.add(BASES, _("Scoring rubrics"), "rubrics:rubric_list", "rubrics.rubric.view", "checklist")
nav.add(
    BASES,
    _("Demonstration areas"),
    "bases:area_list",
    "bases.demonstrationarea.view",
    "flag",
)
nav.add(
    BASES,
    _("Mid-term evaluations"),
    "bases:evaluation_list",
    "bases.midtermevaluation.view",
    "report-analytics",
)
