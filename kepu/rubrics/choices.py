"""Choices of the rubric engine."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Purpose(models.TextChoices):
    """What a rubric scores. One engine serves them all (issue 23)."""

    BASE_RECOGNITION = "base_recognition", _("Recognition of science-education bases")
    BASE_ANNUAL = "base_annual", _("Annual evaluation of bases")
    MIDTERM = "midterm", _("Mid-term evaluation")
    SELECTION = "selection", _("Selections and awards")
    ASSESSMENT = "assessment", _("Assessment of regions and member units")
    OTHER = "other", _("Other")


class Method(models.TextChoices):
    """How a criterion gets its points."""

    MANUAL = "manual", _("Scored by the evaluator")
    BANDED = "banded", _("From a value, by bands")
    AUTO = "auto", _("Computed from the registries, by bands")


class RubricStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_USE = "in_use", _("In use")
    RETIRED = "retired", _("Retired")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", pgettext_lazy("grade", "Excellent")
    GOOD = "good", pgettext_lazy("grade", "Good")
    PASS = "pass", pgettext_lazy("grade", "Pass")
    FAIL = "fail", pgettext_lazy("grade", "Fail")


# The usual grade bands (优秀 ≥90, 优良 ≥70, 合格 ≥60, 不合格 <60; domain.md §7.2): the
# lowest total that earns each grade, highest first. A rubric may set its own.
DEFAULT_GRADE_BANDS = [
    {"grade": Grade.EXCELLENT.value, "min": 90},
    {"grade": Grade.GOOD.value, "min": 70},
    {"grade": Grade.PASS.value, "min": 60},
    {"grade": Grade.FAIL.value, "min": 0},
]
PASSING_GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS)
TOTAL = Decimal(100)
