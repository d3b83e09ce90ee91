"""Annual self-reports, spot checks, evaluation rounds (annual and mid-term) with their
per-base results, and rectification orders: the dynamic management of bases (domain.md
§7.2; each base reports once a year, the officers check a sample on site, evaluate every
base on a rubric and warn, order to rectify, keep or revoke those below the bar)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.bases import annual_choices as c
from kepu.bases.querysets_annual import (
    AnnualEvaluationQuerySet,
    AnnualReportQuerySet,
    EvaluationRoundQuerySet,
    RectificationQuerySet,
    SpotCheckQuerySet,
)
from kepu.core import clock
from kepu.rubrics.models import ScoresheetBase


def _user_fk():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class ReportWindow(models.Model):
    """When a region's bases file their self-reports for one year: `working_days`
    working days after `starts_on` (e.g. 30 working days from 2 January, on the holiday
    calendar). A base's deadline is the window of its nearest region that has one."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year reported"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    starts_on = models.DateField(_("reports open on"))
    working_days = models.PositiveSmallIntegerField(
        _("working days to file"), validators=[MinValueValidator(1), MaxValueValidator(250)]
    )
    due_on = models.DateField(_("deadline"))
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    AUDIT_FIELDS = ("region", "year", "starts_on", "working_days", "due_on")

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = _("report window")
        verbose_name_plural = _("report windows")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="bases_window_once")]

    def __str__(self):
        return f"{self.region} {self.year}"


class AnnualReport(models.Model):
    """A base's annual self-report (年度自评报告) for one year: the statistics form,
    activities with evidence, safety, problems and plans. Filed by the base's unit (or an
    officer for it): draft → submitted → (returned → resubmitted) → accepted. Filed after
    the deadline it is flagged late. The accepted report feeds the annual evaluation."""

    base = models.ForeignKey(
        "bases.Base", verbose_name=_("base"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year reported"))
    # Copies of the base's region and unit: the scope of the report.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=c.ReportStatus.choices, default=c.ReportStatus.DRAFT
    )
    # The statistics form.
    open_days = models.PositiveSmallIntegerField(
        _("open days"), default=0, validators=[MaxValueValidator(366)]
    )
    visitors = _count(_("visitors"))
    students = _count(_("of which students"))
    free_admissions = _count(_("of which free admissions"))
    activities_held = _count(_("activities held"))
    activities_published = _count(_("of which published on the platform"))
    exhibits_total = _count(_("exhibits in total"))
    exhibits_renewed = _count(_("exhibits new or renewed"))
    renewal_pct = models.DecimalField(
        _("renewal (%)"), max_digits=5, decimal_places=2, default=0, editable=False
    )
    staff = _count(_("full-time staff"))
    docents = _count(_("docents"))
    volunteers = _count(_("volunteers"))
    budget = models.DecimalField(
        _("budget (10,000 yuan)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # The narrative parts.
    activities = models.TextField(_("main activities"), blank=True, max_length=4000)
    safety_incidents = _count(_("safety incidents"))
    safety_inspections = _count(_("safety inspections"))
    safety = models.TextField(_("safety"), blank=True, max_length=2000)
    problems = models.TextField(_("problems"), blank=True, max_length=2000)
    plans = models.TextField(_("plans for next year"), blank=True, max_length=2000)
    # The workflow.
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    late = models.BooleanField(_("filed late"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = _user_fk()
    return_reason = models.CharField(_("reason returned"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = _user_fk()
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    FORM_FIELDS = (
        "open_days",
        "visitors",
        "students",
        "free_admissions",
        "activities_held",
        "activities_published",
        "exhibits_total",
        "exhibits_renewed",
        "staff",
        "docents",
        "volunteers",
        "budget",
        "activities",
        "safety_incidents",
        "safety_inspections",
        "safety",
        "problems",
        "plans",
    )
    AUDIT_FIELDS = (*FORM_FIELDS, "status", "late", "return_reason")

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("annual self-report")
        verbose_name_plural = _("annual self-reports")
        constraints = [
            models.UniqueConstraint(fields=["base", "year"], name="bases_report_once_a_year"),
            models.CheckConstraint(
                condition=Q(students__lte=models.F("visitors"))
                & Q(free_admissions__lte=models.F("visitors")),
                name="bases_report_parts_of_visitors",
            ),
            models.CheckConstraint(
                condition=Q(activities_published__lte=models.F("activities_held")),
                name="bases_report_published_of_held",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "region", "status", "-id"], name="bases_report_list_idx"),
            models.Index(fields=["organization", "year"], name="bases_report_unit_idx"),
        ]

    def __str__(self):
        return f"{self.base} {self.year}"

    def is_editable(self) -> bool:
        return self.status in c.EDITABLE_STATUSES

    def can_submit(self) -> bool:
        return self.is_editable()

    def can_review(self) -> bool:
        return self.status == c.ReportStatus.SUBMITTED


def _evidence_path(instance, filename):
    return f"bases/reports/{instance.report_id}/{filename}"


class ReportEvidence(models.Model):
    """Evidence of a report's activities (photos, PDF, Office files, checked by content)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name


class SpotCheck(models.Model):
    """An officer's on-site check of a base (抽查): drawn at random among the year's
    reports (or planned by hand, or a re-check after rectification), then recorded with
    the date, who went, the findings, pass/fail per item and a score adjustment that the
    annual evaluation applies to the safety criterion."""

    base = models.ForeignKey(
        "bases.Base", verbose_name=_("base"), on_delete=models.CASCADE, related_name="spot_checks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=c.SpotCheckKind.choices, default=c.SpotCheckKind.ANNUAL
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=c.SpotCheckStatus.choices,
        default=c.SpotCheckStatus.DRAWN,
    )
    drawn_seed = models.CharField(_("draw seed"), max_length=40, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True, max_length=4000)
    items = models.JSONField(_("items checked"), default=list, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    adjustment = models.DecimalField(
        _("score adjustment"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(-10), MaxValueValidator(10)],
    )
    photo = models.FileField(upload_to="bases/checks/", blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    recorded_by = _user_fk()
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    AUDIT_FIELDS = (
        "kind",
        "status",
        "checked_on",
        "inspectors",
        "findings",
        "items",
        "passed",
        "adjustment",
    )

    objects = SpotCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        indexes = [
            models.Index(fields=["year", "region", "status", "-id"], name="bases_check_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="drawn") | Q(passed__isnull=False, checked_on__isnull=False),
                name="bases_check_recorded_has_result",
            )
        ]

    def __str__(self):
        return f"{self.base} {self.year}"

    def can_record(self) -> bool:
        return self.status == c.SpotCheckStatus.DRAWN


class EvaluationRound(models.Model):
    """One evaluation of the bases of a level in a region on a rubric: the annual
    evaluation of a year (the province evaluates its provincial bases, a city its city
    bases) or the mid-term evaluation of a recognition cycle (`kind`, `batch`). Computed
    for all its bases at once by a background job; published, its grades are public."""

    kind = models.CharField(
        _("kind"), max_length=8, choices=c.RoundKind.choices, default=c.RoundKind.ANNUAL
    )
    year = models.PositiveSmallIntegerField(
        _("year evaluated"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level of the bases"), max_length=10)
    batch = models.CharField(
        _("recognition batch"),
        max_length=60,
        blank=True,
        help_text=_("Mid-term evaluation: only the bases of this batch (empty: all)."),
    )
    rubric = models.ForeignKey(
        "rubrics.Rubric", verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=c.RoundStatus.choices, default=c.RoundStatus.OPEN
    )
    bases_count = models.PositiveIntegerField(_("bases"), default=0)
    grades = models.JSONField(_("grade distribution"), default=dict, blank=True)
    job_id = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    AUDIT_FIELDS = ("kind", "year", "region", "level", "batch", "rubric", "title", "status")

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "region", "level", "batch"], name="bases_round_once"
            )
        ]

    def __str__(self):
        return self.title

    def can_compute(self) -> bool:
        return self.status in (c.RoundStatus.OPEN, c.RoundStatus.COMPUTED)

    def can_score(self) -> bool:
        return self.status != c.RoundStatus.PUBLISHED

    def can_publish(self) -> bool:
        return self.status == c.RoundStatus.COMPUTED


class AnnualEvaluation(ScoresheetBase):
    """One base's result in a round: the officers' manual points (`manual`), the values
    used (`values`: from the accepted report, the registry and `manual`), the lines,
    total and grade the engine gave. `no_report`: the base had no accepted report (the
    report criteria score 0)."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results"
    )
    base = models.ForeignKey(
        "bases.Base", verbose_name=_("base"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    manual = models.JSONField(_("points given by the officers"), default=dict, blank=True)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    no_report = models.BooleanField(_("no accepted report"), default=False)
    complete = models.BooleanField(_("every criterion scored"), default=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    AUDIT_FIELDS = ("manual", "total", "grade")

    objects = AnnualEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-total", "pk"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [
            models.UniqueConstraint(fields=["round", "base"], name="bases_evaluation_once")
        ]
        indexes = [
            models.Index(fields=["year", "base"], name="bases_evaluation_year_idx"),
        ]

    def __str__(self):
        return f"{self.base} {self.year}"


class Rectification(models.Model):
    """An order to rectify (整改) given to a base below the bar: the reason and a
    deadline in working days; the base reports what it did; a re-check (a spot check of
    kind re-check) decides: kept (back to active) or revoked."""

    base = models.ForeignKey(
        "bases.Base",
        verbose_name=_("base"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    evaluation = models.ForeignKey(
        AnnualEvaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.RectificationStatus.choices,
        default=c.RectificationStatus.ORDERED,
    )
    reason = models.CharField(_("reason"), max_length=300)
    working_days = models.PositiveSmallIntegerField(
        _("working days to rectify"), validators=[MinValueValidator(1), MaxValueValidator(250)]
    )
    due_on = models.DateField(_("deadline"))
    ordered_at = models.DateTimeField(_("ordered at"), default=clock.now)
    ordered_by = _user_fk()
    report = models.TextField(_("what was rectified"), blank=True, max_length=4000)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = _user_fk()
    recheck = models.ForeignKey(
        SpotCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = _user_fk()

    AUDIT_FIELDS = ("status", "reason", "working_days", "due_on", "report")

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        constraints = [
            models.UniqueConstraint(
                fields=["base"],
                condition=Q(status__in=["ordered", "reported"]),
                name="bases_one_open_rectification",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="bases_rect_due_idx")]

    def __str__(self):
        return f"{self.base} {self.due_on}"

    def is_open(self) -> bool:
        return self.status in c.OPEN_RECTIFICATION

    def can_report(self) -> bool:
        return self.is_open()

    def can_decide(self) -> bool:
        return self.status == c.RectificationStatus.REPORTED
