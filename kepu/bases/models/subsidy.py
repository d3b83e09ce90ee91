"""Subsidies tied to the evaluation score (seed 003 (十三): 免费开放补助) and the
infrastructure census (普查) over the bases and venues of a region."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.bases import choices as c
from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.rubrics.choices import Grade


class SubsidyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class CensusStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")


def default_ineligible():
    return [Grade.FAIL.value]


class SubsidyRoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "submitted_by", "approved_by")


class SubsidyRound(models.Model):
    """One allocation of a subsidy budget over the bases of a region by their score of the
    year evaluated (e.g. 2025年度科技馆免费开放补助). Amounts are whole yuan. The formula is
    data: a base amount per eligible base, the rest shared by score and by visitors (two
    weights adding to 100%), an optional cap per base; bases of an ineligible grade or
    without an evaluation get nothing. draft → submitted (the lines are saved) → approved
    by another officer (four-eyes; the lines are frozen) → published."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    budget = models.PositiveBigIntegerField(_("budget (yuan)"))
    levels = models.JSONField(_("levels"), default=list)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    base_amount = models.PositiveBigIntegerField(_("base amount per base (yuan)"), default=0)
    score_weight = models.PositiveSmallIntegerField(_("share by score (%)"), default=70)
    visitor_weight = models.PositiveSmallIntegerField(_("share by visitors (%)"), default=30)
    cap = models.PositiveBigIntegerField(_("cap per base (yuan)"), null=True, blank=True)
    ineligible_grades = models.JSONField(_("ineligible grades"), default=default_ineligible)
    status = models.CharField(
        _("status"), max_length=10, choices=SubsidyStatus.choices, default=SubsidyStatus.DRAFT
    )
    return_reason = models.CharField(_("reason returned"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubsidyRoundQuerySet.as_manager()

    FORMULA_FIELDS = (
        "name",
        "year",
        "budget",
        "levels",
        "categories",
        "base_amount",
        "score_weight",
        "visitor_weight",
        "cap",
        "ineligible_grades",
    )
    AUDIT_FIELDS = (*FORMULA_FIELDS, "region", "status", "return_reason")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("subsidy round")
        verbose_name_plural = _("subsidy rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(score_weight__lte=100)
                & Q(visitor_weight__lte=100)
                & Q(score_weight=100 - models.F("visitor_weight")),
                name="bases_subsidy_weights_100",
            ),
        ]
        indexes = [models.Index(fields=["region", "-year", "-id"], name="bases_subsidy_list_idx")]

    def __str__(self):
        return self.name

    def can_change(self) -> bool:
        return self.status == SubsidyStatus.DRAFT

    def can_submit(self) -> bool:
        return self.status == SubsidyStatus.DRAFT

    def can_approve(self) -> bool:
        return self.status == SubsidyStatus.SUBMITTED

    def can_publish(self) -> bool:
        return self.status == SubsidyStatus.APPROVED

    def has_lines(self) -> bool:
        return self.status != SubsidyStatus.DRAFT

    def level_labels(self) -> str:
        return "、".join(str(c.BaseLevel(v).label) for v in self.levels if v in c.BaseLevel)

    def category_labels(self) -> str:
        return "、".join(
            str(c.BaseCategory(v).label) for v in self.categories if v in c.BaseCategory
        )

    def grade_labels(self) -> str:
        return "、".join(str(Grade(v).label) for v in self.ineligible_grades if v in Grade)


class SubsidyLine(models.Model):
    """One base's amount in a submitted round, with the inputs and the reason in words;
    frozen once the round is approved. Ineligible bases have a line of 0 saying why."""

    round = models.ForeignKey(SubsidyRound, on_delete=models.CASCADE, related_name="lines")
    base = models.ForeignKey(
        "bases.Base", verbose_name=_("base"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("amount (yuan)"), default=0)
    eligible = models.BooleanField(_("eligible"), default=False)
    capped = models.BooleanField(_("capped"), default=False)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["round", "-amount", "pk"]
        verbose_name = _("subsidy line")
        verbose_name_plural = _("subsidy lines")
        constraints = [
            models.UniqueConstraint(fields=["round", "base"], name="bases_subsidyline_one_per_base")
        ]
        indexes = [
            models.Index(fields=["round", "-amount", "id"], name="bases_subsidyline_amount_idx")
        ]

    def __str__(self):
        return f"{self.round_id}:{self.base_id}"


class CensusRoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region")


class CensusRound(models.Model):
    """An infrastructure census (普查) over every listed base and venue of a region: the
    fields are data (`fields`: code, label, type int/decimal/text/choice/bool, required,
    unit, min/max, choices); opening it makes one return per base, filled by its unit
    or an officer before the deadline."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    fields = models.JSONField(_("fields"), default=list)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=8, choices=CensusStatus.choices, default=CensusStatus.OPEN
    )
    expected = models.PositiveIntegerField(_("returns expected"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CensusRoundQuerySet.as_manager()

    AUDIT_FIELDS = ("name", "region", "year", "fields", "deadline", "status", "expected")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("census round")
        verbose_name_plural = _("census rounds")
        indexes = [models.Index(fields=["region", "-year", "-id"], name="bases_census_list_idx")]

    def __str__(self):
        return self.name

    def is_open(self) -> bool:
        return self.status == CensusStatus.OPEN

    def is_past_deadline(self) -> bool:
        return clock.today() > self.deadline


class CensusReturnQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("round", "base", "region")


class CensusReturn(models.Model):
    """One base's answers to a census round (`values`: {field code: value}), in the
    base's region and unit so that its unit's staff fill it and officers above check it."""

    round = models.ForeignKey(CensusRound, on_delete=models.CASCADE, related_name="returns")
    base = models.ForeignKey(
        "bases.Base", verbose_name=_("base"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    values = models.JSONField(_("values"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    objects = CensusReturnQuerySet.as_manager()

    AUDIT_FIELDS = ("values", "status")

    class Meta:
        ordering = ["round", "region", "pk"]
        verbose_name = _("census return")
        verbose_name_plural = _("census returns")
        constraints = [
            models.UniqueConstraint(fields=["round", "base"], name="bases_censusreturn_one")
        ]
        indexes = [
            models.Index(fields=["round", "region", "id"], name="bases_censusreturn_idx"),
            models.Index(fields=["organization", "status"], name="bases_censusreturn_org_idx"),
        ]

    def __str__(self):
        return f"{self.round} · {self.base}"

    def can_fill(self) -> bool:
        return self.status == ReturnStatus.DRAFT and self.round.is_open()

    def can_accept(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED

    def can_reopen(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED and self.round.is_open()
