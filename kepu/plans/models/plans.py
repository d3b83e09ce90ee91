"""Plans (规划/实施方案), their tasks with lead and responsible units (工作分工表), numeric
targets decomposed to regions and units (分解), periodic progress reports, and
supervision notes (督查)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core import clock, periods
from kepu.plans import choices as c
from kepu.plans.querysets import PlanQuerySet, ProgressReportQuerySet, TaskQuerySet

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Plan(models.Model):
    """A plan issued for a region (a province's talent plan, a city's literacy action
    plan). Officers of the plan's region manage it; the units named in its tasks see it;
    once published, its progress is public."""

    title = models.CharField(_("title"), max_length=200)
    short_title = models.CharField(_("short title"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200)
    document_number = models.CharField(
        pgettext_lazy("plan", "document number"), max_length=64, blank=True
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    document_url = models.URLField(
        _("link to the document"),
        blank=True,
        help_text=_("Where the full text is published (until it is in the policy library)."),
    )
    summary = models.TextField(pgettext_lazy("plan", "summary"), blank=True)
    # One baseline per plan (issue 26): its targets count from it unless a target is
    # periodic (a yearly target counts from its own year), and the registry statistics
    # count "new since" from it.
    baseline_date = models.DateField(
        _("baseline date"),
        null=True,
        blank=True,
        help_text=_(
            "The day the plan's figures count from (e.g. its date of issue). New targets "
            "take it, and the registry statistics count new registrations after it."
        ),
    )
    report_cycle = models.CharField(
        _("progress reports"),
        max_length=12,
        choices=c.ReportCycle.choices,
        default=c.ReportCycle.QUARTERLY,
    )
    reports_from = models.DateField(
        _("progress reports from"),
        null=True,
        blank=True,
        help_text=_(
            "The first reporting period is the one containing this day (default: "
            "the start of the plan's period)."
        ),
    )
    report_days = models.PositiveSmallIntegerField(
        _("report due (working days after the period)"),
        default=5,
        validators=[MaxValueValidator(30)],
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind (working days before the due date)"),
        default=3,
        validators=[MaxValueValidator(30)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=c.PlanStatus.choices, default=c.PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PlanQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "title",
        "short_title",
        "issuer",
        "document_number",
        "issued_on",
        "region",
        "period_start",
        "period_end",
        "document_url",
        "summary",
        "baseline_date",
        "report_cycle",
        "reports_from",
        "report_days",
        "remind_days",
    )
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "status")

    class Meta:
        ordering = ["-period_end", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        # One name everywhere (lists, breadcrumbs, filters, exports, audit): the full
        # title; the short title is shown beside it as a subtitle, never instead of it.
        return self.title

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})

    @property
    def is_public(self) -> bool:
        return self.status in c.PUBLIC_PLAN_STATUSES

    @property
    def first_report_day(self):
        return max(self.reports_from or self.period_start, self.period_start)

    def can_publish(self) -> bool:
        return self.status == c.PlanStatus.DRAFT


class Section(models.Model):
    """A part of the plan (三、提升行动; 四、重点工程) grouping its tasks."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("number"), max_length=16, blank=True)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.number}、{self.title}" if self.number else self.title


class Task(models.Model):
    """A task or action of the plan: one row of the division-of-work table, or an action
    under such a row (`parent`). Its units (`TaskUnit`, in the order the table lists them)
    are one lead unit (牵头单位) and the responsible units (责任单位); each of them reports
    progress on it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=16, blank=True)
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.TaskStatus.choices,
        default=c.TaskStatus.NOT_STARTED,
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MaxValueValidator(100)]
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    objects = TaskQuerySet.as_manager()

    EDITABLE_FIELDS = ("section", "parent", "number", "title", "description", "deadline", "weight")
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "status", "progress", "completed_on")

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def is_overdue(self, today=None) -> bool:
        today = today or clock.today()
        return bool(self.deadline and self.deadline < today and self.status != c.TaskStatus.DONE)

    @property
    def display_status(self) -> str:
        return c.TASK_OVERDUE if self.is_overdue() else self.status

    @property
    def display_status_label(self):
        return c.TASK_DISPLAY[self.display_status]

    def lead_unit(self):
        return next((u.organization for u in self.units.all() if u.is_lead), None)

    def responsible_units(self):
        return [u.organization for u in self.units.all() if not u.is_lead]


class TaskUnit(models.Model):
    """A unit named on a task: the lead unit or one of the responsible units, in the
    order of the division-of-work table."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="plan_tasks",
    )
    is_lead = models.BooleanField(_("lead unit"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")
        constraints = [
            models.UniqueConstraint(fields=["task", "organization"], name="plans_taskunit_once"),
            models.UniqueConstraint(
                fields=["task"], condition=Q(is_lead=True), name="plans_taskunit_one_lead"
            ),
        ]

    def __str__(self):
        return str(self.organization)


class Target(models.Model):
    """A numeric target (目标): from a baseline (date, value) to a target value by a
    deadline, for a region or a unit. The actual value is measured live from a registry
    through a declared indicator (`kepu.plans.indicators`) or taken from the accepted
    progress reports. A target may be decomposed (分解) into parts for subordinate regions
    or units (`parent`); parts of an additive target must add up to it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=16, blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("actual value from"), max_length=12, choices=c.TargetSource.choices)
    indicator = models.CharField(_("registry indicator"), max_length=64, blank=True)
    baseline_date = models.DateField(_("baseline date"))
    baseline_value = models.DecimalField(_("baseline value"), default=0, **AMOUNT)
    target_value = models.DecimalField(_("target value"), **AMOUNT)
    comparison = models.CharField(
        _("met when the actual value is"),
        max_length=8,
        choices=c.Comparison.choices,
        default=c.Comparison.AT_LEAST,
        help_text=_("“超过16%” is met only above 16 (>); “达到200人” at 200 (≥)."),
    )
    deadline = models.DateField(_("deadline"))
    additive = models.BooleanField(
        _("parts add up"),
        default=True,
        help_text=_("A count whose parts must add up to it (not a rate or a percentage)."),
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    EDITABLE_FIELDS = (
        "task",
        "name",
        "unit",
        "region",
        "organization",
        "source",
        "indicator",
        "baseline_date",
        "baseline_value",
        "target_value",
        "comparison",
        "deadline",
        "additive",
    )
    AUDIT_FIELDS = EDITABLE_FIELDS

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        where = self.organization or self.region
        return f"{self.name} · {where}" if self.parent_id else self.name

    @property
    def comparison_sign(self) -> str:
        return ">" if self.comparison == c.Comparison.ABOVE else "≥"

    def is_met_by(self, actual) -> bool:
        if actual is None:
            return False
        if self.comparison == c.Comparison.ABOVE:
            return actual > self.target_value
        return actual >= self.target_value

    def clean(self):
        from kepu.plans import indicators

        errors = {}
        if self.source == c.TargetSource.MEASURED:
            if self.indicator not in indicators.REGISTRY:
                errors["indicator"] = _("Choose the registry indicator that measures it.")
        elif self.indicator:
            errors["indicator"] = _("A reported target has no registry indicator.")
        if self.baseline_date and self.deadline and self.deadline <= self.baseline_date:
            errors["deadline"] = _("The deadline must come after the baseline date.")
        if errors:
            raise ValidationError(errors)


def _attachment_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"plans/reports/{instance.report_id}/{uuid.uuid4().hex}.{ext}"


class ProgressReport(models.Model):
    """One unit's progress report on one task for one period. The rows are opened for
    every unit of the task when a period starts (`services.open_periods`); the unit fills
    and submits it, the officer accepts it or returns it for revision. Due a number of
    Chinese working days after the period ends."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=c.ReportStatus.choices,
        default=c.ReportStatus.PENDING,
    )
    text = models.TextField(_("progress made"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("task progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_time = models.BooleanField(_("first submitted on time"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    objects = ProgressReportQuerySet.as_manager()

    AUDIT_FIELDS = ("status", "text", "progress", "on_time", "return_reason", "due_date")

    class Meta:
        ordering = ["-period_start", "task__position", "organization__name"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organization", "period_start"], name="plans_report_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.task} · {self.organization} · {self.period_label}"

    @property
    def period(self) -> periods.Period:
        """The month or quarter reported on."""
        return periods.period_of(self.period_start, self.period_end)

    @property
    def period_label(self) -> str:
        return self.period.label

    def is_overdue(self, today=None) -> bool:
        today = today or clock.today()
        return self.status in c.OWED_REPORT_STATUSES and today > self.due_date

    def can_edit(self) -> bool:
        return self.status in c.OWED_REPORT_STATUSES

    def can_review(self) -> bool:
        return self.status == c.ReportStatus.SUBMITTED


class ReportFigure(models.Model):
    """A value a report gives for one of the task's reported targets, as of the end of
    its period; an accepted report's figure is the target's actual value."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="figures")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="figures")
    value = models.DecimalField(_("value"), **AMOUNT)

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="plans_figure_once")
        ]


class ReportAttachment(models.Model):
    """Evidence attached to a report (PDF, image or Office file, checked by content)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ReportEvent(models.Model):
    """The history of a report: submitted, returned (with the reason), accepted."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=c.ReportAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")


class SupervisionNote(models.Model):
    """A supervision note (督查意见) on a task, optionally addressed to one unit and with a
    date by which it must be rectified; the unit answers it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("supervision note"))
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    AUDIT_FIELDS = ("text", "rectify_by", "organization", "response")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")

    def __str__(self):
        return self.text[:60]

    def is_open(self) -> bool:
        return self.responded_at is None

    def is_overdue(self, today=None) -> bool:
        today = today or clock.today()
        return self.is_open() and self.rectify_by is not None and today > self.rectify_by
