from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

BASES = _("Bases and venues")

# Entries are added by each area below once its pages exist.

# -- registry --


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
