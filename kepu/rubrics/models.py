"""Scoring rubrics as data (评分细则), one engine for every evaluation of the platform:
the recognition and annual evaluation of science-education bases, mid-term evaluations,
selections and awards, and the assessment of regions and member units (issue 23).

A rubric is a list of weighted criteria adding up to 100 points. A criterion is scored by
the evaluator (`manual`, 0 to its weight), or from a value by bands (`banded`: open days
>300 earn the whole weight, 250–300 eight tenths…), or from a value the registries hold
(`auto`: a registered source, e.g. the activities a base held, then bands). The total
maps to a grade by the rubric's grade bands (优秀 ≥90, 优良 ≥70, 合格 ≥60, 不合格 <60).
The computation is `kepu.rubrics.engine`; the domain apps keep their own score sheets
(subclasses of `ScoresheetBase`) beside what they score.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.rubrics import choices as c


def _default_grade_bands():
    return [dict(band) for band in c.DEFAULT_GRADE_BANDS]


class Rubric(models.Model):
    """A scoring rubric owned by a region's officers. Only a rubric whose weights add up
    to 100 and whose bands are well formed can be put in use (`engine.validate`); a rubric
    in use is never edited (its scores must stay explainable): copy it instead."""

    name = models.CharField(_("name"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=20, choices=c.Purpose.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("owner region"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    grade_bands = models.JSONField(
        _("grade bands"),
        default=_default_grade_bands,
        help_text=_("The lowest total that earns each grade, highest first."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=c.RubricStatus.choices, default=c.RubricStatus.DRAFT
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    AUDIT_FIELDS = ("name", "purpose", "region", "description", "grade_bands", "status")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scoring rubric")
        verbose_name_plural = _("scoring rubrics")

    def __str__(self):
        return self.name

    def is_editable(self) -> bool:
        return self.status == c.RubricStatus.DRAFT

    def total_weight(self) -> Decimal:
        return sum((cr.weight for cr in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    """One criterion of a rubric: its weight in points, how it is scored, the bands that
    turn a value into a share of the weight, and the evidence the evaluator looks at.

    `bands` is a list of {"min": number or null, "max": number or null, "share": 0–100}
    in ascending order: a value v falls in the band with min ≤ v < max (null: open), and
    earns share % of the weight. The bands of a criterion are contiguous (each max is the
    next min) so that every value falls in exactly one."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    group = models.CharField(_("group"), max_length=60, blank=True)
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    method = models.CharField(_("scoring"), max_length=8, choices=c.Method.choices)
    source = models.CharField(
        _("registry source"),
        max_length=60,
        blank=True,
        help_text=_("For a criterion computed from the registries."),
    )
    unit = models.CharField(_("unit of the value"), max_length=16, blank=True)
    bands = models.JSONField(_("bands"), default=list, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    AUDIT_FIELDS = ("code", "group", "name", "weight", "method", "source", "unit", "bands")

    class Meta:
        ordering = ["rubric", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="rubrics_criterion_code_unique")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name

    @property
    def takes_value(self) -> bool:
        """Scored from a value (by bands), not given points directly."""
        return self.method != c.Method.MANUAL


class ScoresheetBase(models.Model):
    """What one evaluator gave one subject on one rubric: `values` {criterion code: the
    points of a manual criterion, or the value of a banded one}, and the computed `lines`
    {code: points} and `total` and `grade` (kept so a finished score never changes when
    the registries do). Domain apps subclass it with a link to what they score."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(_("values"), default=dict)
    lines = models.JSONField(_("points by criterion"), default=dict)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=c.Grade.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        abstract = True
