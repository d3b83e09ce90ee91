"""A contest (竞赛) and its rounds: the organizer region, the audience, the rounds with
their windows, rules and the question set drawn from the literacy item bank."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.contests import choices as c
from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet


class ContestQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "organizer")


class Contest(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("organizing region"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    organizer = models.ForeignKey(
        "core.Organization", verbose_name=_("organizing unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    audience = models.CharField(
        _("audience"), max_length=10, choices=c.Audience.choices, default=c.Audience.OPEN
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    rules = models.TextField(_("rules shown to participants"), max_length=4000, blank=True)
    # The contest's own notice (what is collected, why, how long it is kept): consent to
    # it is asked before a participant registers.
    notice = models.TextField(_("personal-information notice"), max_length=4000)
    notice_version = models.PositiveSmallIntegerField(default=1, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=c.ContestStatus.choices,
        default=c.ContestStatus.DRAFT,
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)

    objects = ContestQuerySet.as_manager()

    AUDIT_FIELDS = ("region", "organizer", "title", "year", "audience", "status")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        indexes = [models.Index(fields=["region", "-year", "-id"], name="contest_region_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=c.ContestStatus.values), name="contest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=c.Audience.values), name="contest_audience_valid"
            ),
        ]

    def __str__(self):
        return self.title


class RoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("contest", "contest__region", "previous")


class ContestRound(models.Model):
    """One round. `blueprint`: [{"dimension": code, "difficulty": "easy"|"medium"|"hard"|"",
    "count": n}], drawn from the approved items of the contest region's bank (and the
    banks above it) into `RoundItem` rows when the officer draws the set. The participant
    sees `questions` of them (all of them when equal), in an order and with options
    shuffled per attempt."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    stage = models.CharField(_("stage"), max_length=8, choices=c.Stage.choices)
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    instrument = models.ForeignKey(
        "literacy.Instrument", verbose_name=_("item bank structure"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    blueprint = models.JSONField(_("blueprint"), default=list, blank=True)
    questions = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )  # fmt: skip
    points_per_question = models.PositiveSmallIntegerField(
        _("points per question"), default=5, validators=[MinValueValidator(1)]
    )
    time_limit = models.PositiveIntegerField(
        _("time limit (seconds)"), default=600,
        validators=[MinValueValidator(30), MaxValueValidator(7200)],
    )  # fmt: skip
    min_seconds = models.PositiveSmallIntegerField(
        _("minimum seconds per question"), default=2,
        help_text=_("Answers given faster than this are flagged for the organizer."),
    )  # fmt: skip
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts per person"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )  # fmt: skip
    practice = models.BooleanField(_("practice mode (not scored)"), default=True)
    # Eligibility: the regions whose residents may take part (empty: the contest's whole
    # region), and for a later round, only those who advanced from the previous one.
    regions = models.ManyToManyField(
        "core.Region", verbose_name=_("eligible regions"), blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("previous round"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="next_rounds",
    )  # fmt: skip
    advancement = models.CharField(
        _("advancement"), max_length=12, choices=c.Advancement.choices, default=c.Advancement.NONE
    )
    advance_n = models.PositiveIntegerField(_("N (top N)"), null=True, blank=True)
    advance_score = models.PositiveIntegerField(_("X (score at least)"), null=True, blank=True)
    advance_level = models.PositiveSmallIntegerField(
        _("regions for top N"), null=True, blank=True,
        help_text=_("The region level whose top N advance (city or county)."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=c.RoundStatus.choices, default=c.RoundStatus.DRAFT
    )
    drawn_at = models.DateTimeField(_("questions drawn at"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)

    objects = RoundQuerySet.as_manager()

    AUDIT_FIELDS = (
        "contest", "stage", "title", "opens_at", "closes_at", "questions", "time_limit",
        "attempts_allowed", "advancement", "advance_n", "advance_score", "status",
    )  # fmt: skip

    class Meta:
        ordering = ["contest", "position", "pk"]
        verbose_name = _("contest round")
        verbose_name_plural = _("contest rounds")
        indexes = [models.Index(fields=["status", "closes_at"], name="contest_round_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="contest_round_window",
                violation_error_message=_("The round must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=c.RoundStatus.values), name="contest_round_status_valid"
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.contest} · {self.title}"

    @property
    def total_points(self) -> int:
        return self.questions * self.points_per_question


class RoundItem(models.Model):
    """A question of a round's drawn set (the bank's item, fixed at its approved version)."""

    round = models.ForeignKey(ContestRound, on_delete=models.CASCADE, related_name="set_items")
    item = models.ForeignKey("literacy.Item", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"))
    # Written back after the round closes (the bank gets its own copy through writeback).
    answered = models.PositiveIntegerField(_("answered"), default=0)
    correct = models.PositiveIntegerField(_("answered correctly"), default=0)
    discrimination = models.FloatField(_("discrimination"), null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("question of a round")
        verbose_name_plural = _("questions of a round")
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="contest_round_item_once"),
            models.UniqueConstraint(fields=["round", "position"], name="contest_round_item_pos"),
        ]
