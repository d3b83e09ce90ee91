"""Demonstration areas and their mid-term evaluation (seeds 003 (七): Jiangsu evaluates its
demonstration counties half-way through the creation cycle; 001 四(一)3: demonstration
counties, communities and science towns), on the shared rubric engine."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.bases import choices as c
from kepu.bases.querysets import AreaQuerySet, EntryQuerySet, EvaluationQuerySet
from kepu.core import clock
from kepu.rubrics.models import ScoresheetBase

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class DemonstrationArea(models.Model):
    """A demonstration county (national or provincial), community or science town in its
    creation cycle (`cycle_start`–`cycle_end`, usually five years). It lies in `region`
    (the county, or the township of a community or town) and is run by `organization`
    (usually the county's science association). Its status follows the cycle: creating →
    passed or failed the mid-term evaluation → named (or not) at the end."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=c.AreaKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organizing unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cycle_start = models.PositiveSmallIntegerField(_("cycle starts"), validators=YEAR)
    cycle_end = models.PositiveSmallIntegerField(_("cycle ends"), validators=YEAR)
    status = models.CharField(
        _("status"), max_length=16, choices=c.AreaStatus.choices, default=c.AreaStatus.CREATING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = AreaQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "kind", "region", "organization", "cycle_start", "cycle_end", "status")

    class Meta:
        ordering = ["-cycle_start", "region", "pk"]
        verbose_name = _("demonstration area")
        verbose_name_plural = _("demonstration areas")
        constraints = [
            # One area of a kind per region and cycle.
            models.UniqueConstraint(
                fields=["region", "kind", "cycle_start"], name="bases_area_one_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(cycle_end__gt=models.F("cycle_start")), name="bases_area_cycle_span"
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="bases_area_region_idx")]

    def __str__(self):
        return self.name

    def in_cycle(self, year: int) -> bool:
        return self.cycle_start <= year <= self.cycle_end

    def can_conclude(self) -> bool:
        """Named or not at the end of the cycle, after its mid-term evaluation."""
        return self.status in (c.AreaStatus.MIDTERM_PASSED, c.AreaStatus.MIDTERM_FAILED)


class MidtermEvaluation(models.Model):
    """A round of mid-term evaluation by the officers of `region` (the areas in its
    subtree whose cycle covers `year`), on a rubric in use for mid-term evaluation. Each
    area's entry holds its self-assessment; each evaluator's score sheet gives the points
    of the manual criteria (the banded ones come from the values); an area's result is the
    mean of its evaluators' totals, graded by the rubric and passed at `pass_mark`.
    Published results move the areas on (passed or failed the mid-term)."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    rubric = models.ForeignKey(
        "rubrics.Rubric", verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"), validators=YEAR)
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.EvaluationStatus.choices,
        default=c.EvaluationStatus.SCORING,
    )
    remarks = models.TextField(_("remarks"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "region", "rubric", "year", "pass_mark", "status", "remarks")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("mid-term evaluation")
        verbose_name_plural = _("mid-term evaluations")
        indexes = [models.Index(fields=["region", "-year", "-id"], name="bases_midterm_list_idx")]

    def __str__(self):
        return self.name

    def is_scoring(self) -> bool:
        return self.status == c.EvaluationStatus.SCORING

    def can_publish(self) -> bool:
        return self.is_scoring()


class MidtermEntry(models.Model):
    """One area in a round: its self-assessment (`values` {criterion code: value} of the
    banded criteria), and once published its result (mean total, grade, passed)."""

    evaluation = models.ForeignKey(
        MidtermEvaluation, on_delete=models.CASCADE, related_name="entries"
    )
    area = models.ForeignKey(DemonstrationArea, on_delete=models.PROTECT, related_name="entries")
    values = models.JSONField(_("self-assessment"), default=dict, blank=True)
    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    objects = EntryQuerySet.as_manager()

    AUDIT_FIELDS = ("values", "total", "grade", "passed", "remarks")

    class Meta:
        ordering = ["evaluation", "area__region__code", "pk"]
        verbose_name = _("area in a mid-term evaluation")
        verbose_name_plural = _("areas in a mid-term evaluation")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "area"], name="bases_entry_one_per_area")
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.area}"

    def can_self_assess(self) -> bool:
        return self.evaluation.is_scoring()


class MidtermScoresheet(ScoresheetBase):
    """One evaluator's score sheet for one area in a round."""

    entry = models.ForeignKey(MidtermEntry, on_delete=models.CASCADE, related_name="sheets")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    AUDIT_FIELDS = ("values", "total", "grade", "comment")

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("mid-term score sheet")
        verbose_name_plural = _("mid-term score sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "evaluator"], name="bases_midterm_sheet_one_per_evaluator"
            )
        ]
