from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav  # noqa: F401

BASES = _("Bases and venues")

# Entries are added by each area below once its pages exist.

# -- registry --


# (keep these blank lines: each area edits its own block)


# -- recognition rounds --


# (keep these blank lines: each area edits its own block)


# -- annual reports and evaluation --
nav.add(
    BASES,
    _("Annual self-reports"),
    "bases:report_list",
    "bases.annualreport.view",
    "file-text",
)
nav.add(BASES, _("Spot checks"), "bases:spotcheck_list", "bases.spotcheck.view", "scan")
nav.add(
    BASES,
    _("Evaluation rounds"),
    "bases:evaluationround_list",
    "bases.evaluationround.view",
    "report-analytics",
)
nav.add(
    BASES,
    _("Rectification orders"),
    "bases:rectification_list",
    "bases.rectification.view",
    "alert-circle",
)


# (keep these blank lines: each area edits its own block)


# -- subsidies and census --


# (keep these blank lines: each area edits its own block)


# -- mid-term evaluation and rubrics --
