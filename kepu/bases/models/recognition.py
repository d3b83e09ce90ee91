"""Recognition rounds (认定): the call with its eligibility rules as data, the units'
applications with their materials, the one recommendation each, the expert panel's score
sheets on the round's rubric, the 公示 objections; naming writes the registry rows."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.bases import choices as bc
from kepu.core import clock
from kepu.core.models.publicity import ObjectionBase, ObjectionStatus  # noqa: F401 (re-export)
from kepu.core.querysets import ScopedQuerySet
from kepu.rubrics.models import ScoresheetBase


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    RECOMMENDING = "recommending", _("Recommendation")
    CHECKING = "checking", _("Formal check")
    REVIEWING = "reviewing", _("Expert review")
    PUBLICITY = "publicity", _("Public notice")
    NAMED = "named", _("Named")
    CLOSED = "closed", _("Closed")


class AppStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting recommendation")
    RECOMMENDED = "recommended", _("Recommended")
    DECLINED = "declined", _("Not recommended")
    CHECK_PASSED = "passed", _("Passed the formal check")
    CHECK_FAILED = "failed", _("Failed the formal check")
    SCORED = "scored", _("Scored")
    PUBLICITY = "publicity", _("In public notice")
    NAMED = "named", _("Named")
    NOT_NAMED = "not_named", _("Not named")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BodyKind(models.TextChoices):
    REGION = "region", _("Lower-level science association")
    MEMBER = "member", _("Member unit")
    SOCIETY = "society", _("Learned society")


# Applications still in the running (a unit has one per round).
LIVE_APP_STATUSES = (
    AppStatus.SUBMITTED,
    AppStatus.RECOMMENDED,
    AppStatus.CHECK_PASSED,
    AppStatus.SCORED,
    AppStatus.PUBLICITY,
    AppStatus.NAMED,
)
PUBLIC_ROUND_STATUSES = [s for s in RoundStatus.values if s != RoundStatus.DRAFT]
# The order of the procedure: `advance_round` moves one step along it.
ROUND_FLOW = list(RoundStatus.values)


def default_eligibility():
    """The CAST thresholds (domain.md §7.1) as the starting point of a call's rules."""
    return {
        "legal_person": True,
        "min_years_open": 1,
        "min_open_days": 200,
        "min_area": {"venue": 500, "research": 300, "rural": 300, "enterprise": 300},
    }


class RoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "rubric", "pool")


class RecognitionRound(models.Model):
    """A call for applications (申报通知) of one level, run by the officers of `region`
    through the procedure 推荐 → 初评 → 终评 → 公示 → 命名决定."""

    title = models.CharField(_("title"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=bc.BaseLevel.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("organizing region"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    batch = models.CharField(_("recognition batch"), max_length=60)
    number_prefix = models.CharField(
        _("certificate number prefix"), max_length=20,
        help_text=_("The certificates are numbered from it: prefix, then 001, 002 …"),
    )  # fmt: skip
    eligibility = models.JSONField(_("eligibility rules"), default=default_eligibility)
    rubric = models.ForeignKey(
        "rubrics.Rubric", verbose_name=_("scoring rubric"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    pool = models.ForeignKey(
        "people.ExpertPool", verbose_name=_("expert pool"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    recommend_by = models.DateField(_("recommendation deadline"))
    panel_size = models.PositiveSmallIntegerField(_("panel size"), default=5)
    publicity_days = models.PositiveSmallIntegerField(_("public notice length (days)"), default=7)
    publicity_working_days = models.BooleanField(_("counted in working days"), default=True)
    publicity_from = models.DateField(_("public notice from"), null=True, blank=True)
    publicity_to = models.DateField(_("public notice until"), null=True, blank=True)
    cutoff = models.DecimalField(
        _("cut-off score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    panel_seed = models.PositiveIntegerField(_("draw seed"), null=True, blank=True)
    decided_on = models.DateField(_("naming decision on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = RoundQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "title", "year", "batch", "number_prefix", "eligibility", "rubric", "pool", "opens_on",
        "closes_on", "recommend_by", "panel_size", "publicity_days", "publicity_working_days",
    )  # fmt: skip
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "level", "region", "status", "cutoff", "decided_on")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("recognition round")
        verbose_name_plural = _("recognition rounds")
        indexes = [models.Index(fields=["region", "-year", "-id"], name="bases_round_list_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="bases_round_window"
            ),
        ]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        return self.status == RoundStatus.OPEN and self.opens_on <= day <= self.closes_on

    def can_change(self) -> bool:
        return self.status in (RoundStatus.DRAFT, RoundStatus.OPEN)

    def next_status(self) -> str | None:
        i = ROUND_FLOW.index(self.status)
        return ROUND_FLOW[i + 1] if i + 1 < len(ROUND_FLOW) else None

    def publicity_open_on(self, day) -> bool:
        return (
            self.status == RoundStatus.PUBLICITY
            and self.publicity_from is not None
            and self.publicity_from <= day <= self.publicity_to
        )


class ApplicationQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("round", "organization", "region", "recommendation")

    def live(self):
        return self.filter(status__in=LIVE_APP_STATUSES)


class Application(models.Model):
    """A unit's application to a round, with the figures the eligibility rules read. A
    renewal (`is_renewal`: its base at this level has expired) takes its area and years
    open from the registry and skips those rules and check items (simplified review)."""

    round = models.ForeignKey(
        RecognitionRound, verbose_name=_("round"), on_delete=models.PROTECT,
        related_name="applications",
    )  # fmt: skip
    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("base name"), max_length=120)
    category = models.CharField(
        pgettext_lazy("base", "category"), max_length=12, choices=bc.BaseCategory.choices
    )
    place = models.ForeignKey(
        "resources.Resource", verbose_name=_("catalog place"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    legal_person = models.BooleanField(_("independent legal person"), default=False)
    years_open = models.PositiveSmallIntegerField(_("years open"), default=0)
    open_days = models.PositiveSmallIntegerField(_("open days last year"), default=0)
    area_m2 = models.PositiveIntegerField(_("exhibition area (m²)"), default=0)
    staff = models.PositiveSmallIntegerField(_("full-time staff"), default=0)
    docents = models.PositiveSmallIntegerField(_("docents"), default=0)
    visitors = models.PositiveIntegerField(_("visitors last year"), default=0)
    statement = models.TextField(_("statement"), max_length=4000)
    is_renewal = models.BooleanField(_("renewal (simplified review)"), default=False)
    previous_base = models.ForeignKey(
        "bases.Base", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AppStatus.choices, default=AppStatus.SUBMITTED
    )
    check_items = models.JSONField(_("formal check"), default=dict, blank=True)
    check_note = models.CharField(_("formal check note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    base = models.ForeignKey(
        "bases.Base", verbose_name=_("registry entry"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)

    objects = ApplicationQuerySet.as_manager()

    FIGURES = ("legal_person", "years_open", "open_days", "area_m2", "staff", "docents", "visitors")
    AUDIT_FIELDS = (
        "name", "category", "organization", "status", *FIGURES, "is_renewal", "score", "grade",
    )  # fmt: skip

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"],
                condition=~Q(status="withdrawn"),
                name="bases_application_one_per_unit",
            )
        ]
        indexes = [
            models.Index(fields=["round", "status", "-submitted_at", "-id"], name="bases_app_idx"),
            models.Index(fields=["region", "status"], name="bases_app_region_idx"),
        ]

    def __str__(self):
        return self.name

    def can_withdraw(self) -> bool:
        return self.status in (AppStatus.SUBMITTED, AppStatus.RECOMMENDED)


def _material_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"bases/applications/{instance.application_id}/{uuid.uuid4().hex}.{ext}"


class ApplicationMaterial(models.Model):
    """A file attached to an application (checked by its content)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=_material_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")

    def __str__(self):
        return self.name


class Recommendation(models.Model):
    """The one recommendation of an application (推荐), by a lower region's science
    association, a member unit or a learned society: one row per application (the
    one-to-one is the database's guarantee against a second recommending body)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="recommendation"
    )
    body_kind = models.CharField(_("recommending body"), max_length=8, choices=BodyKind.choices)
    body_region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_name = models.CharField(_("recommended by"), max_length=120)
    recommended = models.BooleanField(_("recommended"), default=True)
    opinion = models.TextField(_("opinion"), max_length=2000)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    AUDIT_FIELDS = ("body_kind", "body_name", "recommended", "opinion", "rank")

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return self.body_name


class PanelMember(models.Model):
    """An expert drawn for a round's panel (终评), in draw order."""

    round = models.ForeignKey(RecognitionRound, on_delete=models.CASCADE, related_name="panel")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="bases_panel_once")]

    def __str__(self):
        return str(self.person)


class ScoreSheetQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related(
            "application", "application__round", "application__organization", "expert"
        )

    def scoring(self):
        """Sheets that count (the expert has no conflict with the application)."""
        return self.filter(conflict="")


class ScoreSheet(ScoresheetBase):
    """One panel expert's score of one application on the round's rubric. An expert in
    conflict with the application (`conflict`: why) does not score it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sheets")
    expert = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    conflict = models.CharField(_("conflict of interest"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScoreSheetQuerySet.as_manager()

    AUDIT_FIELDS = ("values", "total", "grade", "comment", "conflict")

    class Meta:
        ordering = ["application", "expert"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="bases_sheet_once")
        ]

    def __str__(self):
        return f"{self.expert} · {self.application}"

    def can_score(self) -> bool:
        return (
            not self.conflict
            and self.submitted_at is None
            and self.application.round.status == RoundStatus.REVIEWING
        )


class ObjectionQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("application", "application__round")


class Objection(ObjectionBase):
    """A written objection to a candidate during the 公示 (the shared rules:
    `kepu.core.publicity`), answered by the round's officers."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections"
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["status", "-filed_at", "-id"], name="bases_objection_idx")]

    def __str__(self):
        return f"{self.name} · {self.application}"
