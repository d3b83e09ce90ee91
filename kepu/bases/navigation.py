from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

BASES = _("Bases and venues")

# Entries are added by each area below once its pages exist.

# -- registry --
nav.add(BASES, _("Base registry"), "bases:base_list", "bases.base.view", "building-community")


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
