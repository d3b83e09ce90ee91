"""Calls (评选 / 征集 / 立项通知): what is selected or funded, by whom, under which rules
(eligibility, quotas, routes, materials as data), on which timeline, reviewed how; the
panel of a call's meeting; and the registers the eligibility rules read besides the
people registry: disciplinary flags and the experts' declared relationships (回避)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.people.choices import Honour
from kepu.selections import choices as c


def default_eligibility():
    """The starting rules of a call (each rule is optional; see `services.eligibility`):
    {"registration_kinds": [...], "min_registered_years": n, "min_service_hours": h,
    "min_title_level": "senior", "min_age": 18, "within_region": true,
    "no_open_flag": true, "max_previous_awards": 0}."""
    return {"within_region": True, "no_open_flag": True}


def default_quotas():
    """{"per_region": {"default": n, "<region code>": n}, "per_category": {"<code>": n},
    "per_unit": n}: a region's quota counts the entries its officers (or units below it)
    nominate; empty means no limit."""
    return {"per_region": {}, "per_category": {}}


def default_materials():
    return [{"code": "form", "label": "申报表", "required": True}]


def default_routes():
    return [c.Route.REGION]


class CallQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "rubric", "pool")

    def for_list(self):
        return self.select_related("region").only(
            "title", "kind", "year", "status", "opens_on", "closes_on", "region__name",
            "region__code", "entry_count", "award_count", "created_at",
        )  # fmt: skip


class Call(models.Model):
    """A call of one organizing region: an honour selection (天府科普使者), a works
    selection, a competition or funded projects (科普专项), with its rules as data and its
    procedure (`status` along `CALL_FLOW`)."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=c.CallKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("organizing region"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    honour = models.CharField(
        _("honour conferred"), max_length=12, choices=Honour.choices, blank=True,
        help_text=_("An awarded individual receives this honour in the people registry."),
    )  # fmt: skip
    award_title = models.CharField(_("title as awarded"), max_length=120, blank=True)
    description = models.TextField(_("notice text"), blank=True, max_length=8000)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    subject_kind = models.CharField(
        _("entries are"), max_length=12, choices=c.SubjectKind.choices,
        default=c.SubjectKind.PERSON,
    )  # fmt: skip
    routes = models.JSONField(_("nomination routes"), default=default_routes)
    eligibility = models.JSONField(_("eligibility rules"), default=default_eligibility)
    quotas = models.JSONField(_("quotas"), default=default_quotas, blank=True)
    materials = models.JSONField(_("required materials"), default=default_materials)
    opens_on = models.DateField(_("entries open on"))
    closes_on = models.DateField(_("entries close on"))
    check_by = models.DateField(_("formal check by"), null=True, blank=True)
    review_by = models.DateField(_("expert review by"), null=True, blank=True)
    rubric = models.ForeignKey(
        "rubrics.Rubric", verbose_name=_("scoring rubric"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    pool = models.ForeignKey(
        "people.ExpertPool", verbose_name=_("expert pool"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reviewers_per_entry = models.PositiveSmallIntegerField(_("reviewers per entry"), default=5)
    avoid_same_region = models.BooleanField(
        _("reviewers from the entry's own region are avoided"), default=False
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("quorum of reviews per entry"), default=3,
        help_text=_("An entry with fewer submitted reviews is not ranked."),
    )  # fmt: skip
    severity = models.CharField(
        _("severity correction"), max_length=8, choices=c.Severity.choices,
        default=c.Severity.ZSCORE,
    )  # fmt: skip
    award_count = models.PositiveIntegerField(_("places"), null=True, blank=True)
    panel_quorum = models.PositiveSmallIntegerField(
        _("panel quorum (%)"), default=67,
        help_text=_("Share of the panel that must vote for a vote to count."),
    )  # fmt: skip
    pass_share = models.PositiveSmallIntegerField(
        _("votes needed to pass (%)"), default=50,
        help_text=_("An entry passes with more than this share of the votes cast for it."),
    )  # fmt: skip
    publicity_days = models.PositiveSmallIntegerField(_("public notice length (days)"), default=7)
    publicity_working_days = models.BooleanField(_("counted in working days"), default=False)
    publicity_from = models.DateField(_("public notice from"), null=True, blank=True)
    publicity_to = models.DateField(_("public notice until"), null=True, blank=True)
    decision_number = models.CharField(_("decision document number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    certificate_prefix = models.CharField(_("certificate number prefix"), max_length=20, blank=True)
    assignment = models.JSONField(_("assignment summary"), default=dict, blank=True, editable=False)
    entry_count = models.PositiveIntegerField(_("entries"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=c.CallStatus.choices, default=c.CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = CallQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "title", "year", "honour", "award_title", "description", "categories", "subject_kind",
        "routes", "eligibility", "quotas", "materials", "opens_on", "closes_on", "check_by",
        "review_by", "rubric", "pool", "reviewers_per_entry", "avoid_same_region",
        "min_reviews", "severity", "award_count", "panel_quorum", "pass_share",
        "publicity_days", "publicity_working_days", "certificate_prefix",
    )  # fmt: skip
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "kind", "region", "status", "decided_on", "decision_number")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["region", "-year", "-id"], name="sel_call_region_idx"),
            models.Index(fields=["status", "-year", "-id"], name="sel_call_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="sel_call_window"
            ),
            models.CheckConstraint(
                condition=Q(reviewers_per_entry__gte=1) & Q(reviewers_per_entry__lte=15),
                name="sel_call_reviewers",
            ),
        ]

    def __str__(self):
        return self.title

    def next_status(self) -> str | None:
        i = c.CALL_FLOW.index(self.status)
        return c.CALL_FLOW[i + 1] if i + 1 < len(c.CALL_FLOW) else None

    def is_open_on(self, day) -> bool:
        return self.status == c.CallStatus.OPEN and self.opens_on <= day <= self.closes_on

    def can_change(self) -> bool:
        return self.status in (c.CallStatus.DRAFT, c.CallStatus.OPEN)

    def is_public(self) -> bool:
        return self.status != c.CallStatus.DRAFT

    def publicity_open_on(self, day) -> bool:
        return (
            self.status == c.CallStatus.PUBLICITY
            and self.publicity_from is not None
            and self.publicity_from <= day <= self.publicity_to
        )

    def category_label(self, code: str) -> str:
        for item in self.categories or []:
            if item.get("code") == code:
                return item.get("label", code)
        return code


class PanelSeat(models.Model):
    """A member of a call's panel meeting (会议评审), who votes on the ranked entries."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="panel")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["call", "-chair", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="sel_panel_once")]

    def __str__(self):
        return str(self.person)


class FlagQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


class DisciplinaryFlag(models.Model):
    """An open disciplinary matter (a violation found, a sanction in force) on a person or
    a unit: while open, calls with the "no open flag" rule refuse them (the 2019 national
    rules: no violations in the past three years)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )  # fmt: skip
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    opened_on = models.DateField(_("opened on"), default=clock.today)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FlagQuerySet.as_manager()

    AUDIT_FIELDS = ("person", "organization", "reason", "opened_on", "closed_on")

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("disciplinary flag")
        verbose_name_plural = _("disciplinary flags")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="sel_flag_subject",
            )
        ]

    def __str__(self):
        return self.reason


class Relationship(models.Model):
    """A relationship an expert declared (回避声明) with a person or a unit: the expert
    never reviews an entry of that person or unit. Standing, or for one call."""

    expert = models.ForeignKey(
        "people.Person", verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("related person"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )  # fmt: skip
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("related unit"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )  # fmt: skip
    call = models.ForeignKey(
        Call, verbose_name=_("call"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="relationships",
    )  # fmt: skip
    kind = models.CharField(_("relationship"), max_length=10, choices=c.RelationshipKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), default=clock.now)

    AUDIT_FIELDS = ("expert", "person", "organization", "call", "kind", "note")

    class Meta:
        ordering = ["-declared_at", "-pk"]
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="sel_relationship_subject",
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.get_kind_display()}"
