"""Assessment (考核) of regions and member units on the shared rubric engine (seeds 001
五(一)2 and 五(二)3: the province assesses its cities and its member units on the
science-popularization work; 004 (25): the assessment is scored and its result published).

A round belongs to the assessing region. Each subject (a sub-region or a member unit) is
an entry: the values of the computed criteria are pulled from the registries (stored on
the entry by a recomputation, so the round's pages never aggregate per request), the
subject files a self-assessment with evidence, an officer of the assessing region scores
the manual criteria (never the one who filed the self-assessment) and a second officer
confirms the score. Publishing freezes the totals, grades and ranks (`results`)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.plans import assessment_choices as c
from kepu.plans.querysets import AssessmentEntryQuerySet, AssessmentRoundQuerySet
from kepu.rubrics.models import ScoresheetBase

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class AssessmentRound(models.Model):
    """An assessment of `region`'s sub-regions or of the member units of `plan` for
    `year`, on a rubric in use for assessment. `computed_at` says when the live values
    were last pulled; `results` is the frozen result once published."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("assessing region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("assesses"), max_length=8, choices=c.SubjectKind.choices)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan of the member units"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year assessed"), validators=YEAR)
    rubric = models.ForeignKey(
        "rubrics.Rubric", verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=c.RoundStatus.choices, default=c.RoundStatus.OPEN
    )
    is_public = models.BooleanField(
        _("publish the result on the portal"),
        default=False,
        help_text=_("The assessed always see the published result; the public only if ticked."),
    )
    remarks = models.TextField(_("remarks"), blank=True, max_length=2000)
    computed_at = models.DateTimeField(_("live values as of"), null=True, blank=True)
    results = models.JSONField(_("published result"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentRoundQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "region", "kind", "plan", "year", "rubric", "status", "is_public")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        indexes = [
            models.Index(fields=["region", "-year", "-id"], name="plans_assess_list_idx"),
            models.Index(fields=["status", "is_public", "-id"], name="plans_assess_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="regions") | Q(plan__isnull=False),
                name="plans_assess_units_have_plan",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="plans_assess_published_has_time",
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self) -> bool:
        return self.status == c.RoundStatus.OPEN

    def can_publish(self) -> bool:
        return self.is_open()

    def is_published(self) -> bool:
        return self.status == c.RoundStatus.PUBLISHED


class AssessmentEntry(ScoresheetBase):
    """One subject of a round (a sub-region or a member unit): the live values of the
    computed criteria (`live`, {code: value or None}: None when it cannot be computed,
    e.g. no population), the self-assessment, and the score sheet (`values` the points
    of the manual criteria, `lines`/`total`/`grade` the computed result). `region` is
    where the subject lies (the sub-region itself, or the unit's region): the scope."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="entries")
    subject_region = models.ForeignKey(
        "core.Region",
        verbose_name=_("assessed region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("assessed unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("assessed"), max_length=200)
    status = models.CharField(
        _("status"), max_length=14, choices=c.EntryStatus.choices, default=c.EntryStatus.PENDING
    )
    live = models.JSONField(_("live values"), default=dict, blank=True)
    self_text = models.TextField(_("self-assessment"), blank=True, max_length=5000)
    self_points = models.JSONField(_("points claimed"), default=dict, blank=True)
    self_submitted_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    self_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    objects = AssessmentEntryQuerySet.as_manager()

    AUDIT_FIELDS = ("status", "self_text", "self_points", "values", "total", "grade", "rank")

    class Meta:
        ordering = ["round", "region__code", "pk"]
        verbose_name = _("assessed region or unit")
        verbose_name_plural = _("assessed regions and units")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject_region"],
                condition=Q(subject_region__isnull=False),
                name="plans_assess_entry_region_once",
            ),
            models.UniqueConstraint(
                fields=["round", "organization"],
                condition=Q(organization__isnull=False),
                name="plans_assess_entry_unit_once",
            ),
            models.CheckConstraint(
                condition=Q(subject_region__isnull=True) ^ Q(organization__isnull=True),
                name="plans_assess_entry_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="plans_assess_entry_confirmed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status", "id"], name="plans_assess_entry_status"),
            models.Index(fields=["round", "-total", "id"], name="plans_assess_entry_rank"),
            models.Index(fields=["region", "-id"], name="plans_assess_entry_region"),
        ]

    def __str__(self):
        return f"{self.round} · {self.name}"

    def can_self_assess(self) -> bool:
        return self.round.is_open() and self.status in c.SELF_ASSESSABLE

    def can_score(self) -> bool:
        return self.round.is_open() and self.status in c.SCORABLE

    def can_confirm(self) -> bool:
        return self.round.is_open() and self.status == c.EntryStatus.SCORED


def _evidence_path(instance, filename):
    return f"assessment/{instance.entry.round_id}/{uuid.uuid4().hex}/{filename[-80:]}"


class AssessmentEvidence(models.Model):
    """Evidence attached to a self-assessment (PDF, image or Office file, checked by
    content through the shared upload check)."""

    entry = models.ForeignKey(AssessmentEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=clock.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name
