"""Funded science-popularization projects (科普专项, seed 000 (三): about 100 a year;
004 (22) purchase of services and rewards): the approved amount and its budget lines,
the contract, milestones, the performance targets (绩效目标表) with target and actual,
the mid-term check and the acceptance (结题验收) on a rubric, disbursements that never
exceed the approved amount, and the outputs linked to the registries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.rubrics.models import ScoresheetBase
from kepu.selections import choices as c


class ProjectQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "organization", "call", "leader")

    def for_list(self):
        return self.select_related("region", "organization").only(
            "title", "year", "project_type", "level", "funding_mode", "status",
            "approved_amount", "disbursed", "ends_on", "next_due", "region__name",
            "region__code", "organization__name",
        )  # fmt: skip

    def open(self):
        return self.filter(status__in=c.OPEN_PROJECT_STATUSES)


class Project(models.Model):
    """A funded project of a unit, approved in a year (from a funded-project call's
    awarded entry, or entered directly), followed to acceptance. `next_due` is the
    earliest undone milestone (or the end date), kept by the services for the overdue
    and at-risk flags."""

    call = models.ForeignKey(
        "selections.Call", verbose_name=_("call"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="projects",
    )  # fmt: skip
    entry = models.OneToOneField(
        "selections.Entry", verbose_name=_("entry"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="project",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("project number"), max_length=40, blank=True)
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("undertaking unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        "people.Person", verbose_name=_("project leader"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    project_type = models.CharField(_("type"), max_length=10, choices=c.ProjectType.choices)
    level = models.CharField(_("level"), max_length=8, choices=c.ProjectLevel.choices)
    funding_mode = models.CharField(
        _("funding mode"), max_length=10, choices=c.FundingMode.choices,
        default=c.FundingMode.AFTER,
    )  # fmt: skip
    approved_amount = models.DecimalField(
        _("approved amount (yuan)"), max_digits=12, decimal_places=2
    )
    disbursed = models.DecimalField(
        _("disbursed (yuan)"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    next_due = models.DateField(_("next due"), null=True, blank=True, editable=False)
    audience = models.PositiveIntegerField(_("audience reached"), default=0)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=12, choices=c.ProjectStatus.choices,
        default=c.ProjectStatus.APPROVED,
    )  # fmt: skip
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = ProjectQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "title", "number", "organization", "leader", "year", "project_type", "level",
        "funding_mode", "approved_amount", "starts_on", "ends_on", "summary",
    )  # fmt: skip
    AUDIT_FIELDS = (
        *EDITABLE_FIELDS, "region", "status", "contract_number", "contract_signed_on",
        "disbursed", "audience", "accepted_on",
    )  # fmt: skip

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        indexes = [
            models.Index(fields=["region", "-year", "-id"], name="sel_project_region_idx"),
            models.Index(fields=["-year", "-id"], name="sel_project_recent_idx"),
            models.Index(fields=["status", "next_due"], name="sel_project_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="sel_project_window"
            ),
            models.CheckConstraint(
                condition=Q(disbursed__lte=models.F("approved_amount")) & Q(disbursed__gte=0),
                name="sel_project_disbursed_within",
            ),
            models.CheckConstraint(condition=Q(approved_amount__gt=0), name="sel_project_amount"),
        ]

    def __str__(self):
        return self.title

    def is_open(self) -> bool:
        return self.status in c.OPEN_PROJECT_STATUSES

    def remaining(self):
        return self.approved_amount - self.disbursed


class BudgetLine(models.Model):
    """A line of the project's budget (预算表); the lines add up to at most the approved
    amount."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget")
    category = models.CharField(_("category"), max_length=12, choices=c.BudgetCategory.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    AUDIT_FIELDS = ("category", "amount", "note")

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "category"], name="sel_budget_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sel_budget_positive"),
        ]

    def __str__(self):
        return self.get_category_display()


class Milestone(models.Model):
    """A milestone of the project plan, with its due date and the day it was done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    AUDIT_FIELDS = ("title", "due_on", "done_on", "note")

    class Meta:
        ordering = ["project", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class PerformanceTarget(models.Model):
    """A row of the performance-target table (绩效目标表: 产出 / 效益 / 满意度), with the
    target set at approval and the actual value reported at acceptance."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=12, choices=c.TargetKind.choices)
    indicator = models.CharField(_("indicator"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    actual = models.DecimalField(
        _("actual"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    AUDIT_FIELDS = ("kind", "indicator", "unit", "target", "actual")

    class Meta:
        ordering = ["project", "kind", "pk"]
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")

    def __str__(self):
        return self.indicator

    def is_met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target


class ProjectCheckQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("project", "project__region", "rubric")


class ProjectCheck(ScoresheetBase):
    """A mid-term check or the acceptance (结题验收) of a project, scored on a rubric
    against the application, the budget and the performance targets, with its result."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("kind"), max_length=10, choices=c.CheckKind.choices)
    result = models.CharField(_("result"), max_length=8, choices=c.CheckResult.choices)
    checked_on = models.DateField(_("checked on"), default=clock.today)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProjectCheckQuerySet.as_manager()

    AUDIT_FIELDS = ("kind", "result", "values", "total", "grade", "comment", "checked_on")

    class Meta:
        ordering = ["project", "checked_on", "pk"]
        verbose_name = _("project check")
        verbose_name_plural = _("project checks")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.project}"


class Disbursement(models.Model):
    """A payment to the project's unit. The sum never exceeds the approved amount (the
    service locks the project; the project's check constraint is the last guard)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"), default=clock.today)
    voucher = models.CharField(_("voucher number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    AUDIT_FIELDS = ("amount", "paid_on", "voucher", "note")

    class Meta:
        ordering = ["project", "paid_on", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="sel_pay_positive")]

    def __str__(self):
        return f"{self.amount} · {self.paid_on}"


class ProjectOutput(models.Model):
    """An output of a project linked to the registries: an activity it held, a work
    (resource) it produced, with the audience it reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs")
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    resource = models.ForeignKey(
        "resources.Resource", verbose_name=_("work"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    note = models.CharField(_("description"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(_("audience"), default=0)
    added_at = models.DateTimeField(default=clock.now)

    AUDIT_FIELDS = ("activity", "resource", "note", "audience")

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("project output")
        verbose_name_plural = _("project outputs")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(resource__isnull=False) | ~Q(note=""),
                name="sel_output_something",
            )
        ]

    def __str__(self):
        return self.note or str(self.activity or self.resource)
