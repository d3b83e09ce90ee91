"""The item bank: instruments (the test structures, shipped as data), their dimensions,
items with their keys and the experts' accuracy reviews, and the forms a round fields
(assembled from a blueprint, in parallel versions)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.literacy import choices as c
from kepu.resources.accuracy import AccuracyReview

POINTS = {"max_digits": 6, "decimal_places": 2}


class Instrument(models.Model):
    """A test or questionnaire structure: the 2024 national structure (four dimensions,
    100 points, four tiers), the 2016 基准 test (50 items × 2 points, ≥ 60 % correct) or
    the satisfaction questionnaire. Shipped as data (migration 0002) and read-only.

    `tiers`: [{"code": "advanced", "min": 85}, …] from the top, on the total in points
    (or, with `percent`, on the share of points); `literate`: the tier codes counted as
    具备科学素质."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=c.InstrumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    total_points = models.DecimalField(_("total points"), **POINTS, default=100)
    percent = models.BooleanField(_("tiers on the share of points"), default=False)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    literate = models.JSONField(_("tiers counted as literate"), default=list, blank=True)
    note = models.TextField(_("method note"), blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self):
        return self.name


class Dimension(models.Model):
    """A dimension of an instrument (科学知识 40 points …), with the number of items a form
    draws from it by default (the blueprint)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    points = models.DecimalField(_("points"), **POINTS, default=0)
    items_per_form = models.PositiveSmallIntegerField(_("items per form"), default=0)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["instrument", "position", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="literacy_dimension_code")
        ]

    def __str__(self):
        return self.name


class ItemQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "instrument", "dimension")

    def usable(self):
        return self.filter(status__in=c.USABLE_ITEM_STATUSES)


class Item(models.Model):
    """One question of a region's bank. `options`: [{"key": "A", "text": "…"}, …];
    `key`: the correct option keys ("T"/"F" for true-or-false; several for multiple
    choice, all of which must be chosen; empty for a rating scale). A changed approved
    item is a new version (`previous`), so what a round fielded stays as it was."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("bank of"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("item code"), max_length=30)
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="items"
    )
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="items"
    )
    sub_dimension = models.CharField(_("sub-dimension"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=c.ItemKind.choices)
    stem = models.TextField(_("question"), max_length=2000)
    options = models.JSONField(_("options"), default=list, blank=True)
    key = models.JSONField(_("correct answer"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, max_length=4000)
    difficulty = models.CharField(
        _("target difficulty"), max_length=8, choices=c.Difficulty.choices,
        default=c.Difficulty.MEDIUM,
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("previous version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=c.ItemStatus.choices, default=c.ItemStatus.DRAFT
    )
    times_used = models.PositiveIntegerField(_("forms using it"), default=0, editable=False)
    # The latest item analysis (written back by a round's estimation).
    p_value = models.FloatField(_("difficulty (share correct)"), null=True, blank=True)
    discrimination = models.FloatField(_("discrimination"), null=True, blank=True)
    stats_n = models.PositiveIntegerField(_("responses analysed"), default=0)
    stats_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)

    objects = ItemQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "instrument", "dimension", "sub_dimension", "kind", "stem", "options", "key",
        "explanation", "difficulty", "source",
    )  # fmt: skip
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "code", "region", "version", "status")

    class Meta:
        ordering = ["dimension_id", "code", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code", "version"], name="literacy_item_code_version",
                violation_error_message=_("This bank already has an item with this code."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=c.ItemStatus.values), name="literacy_item_status"
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["region", "status", "dimension", "code"], name="lit_item_list"),
            models.Index(fields=["dimension", "code", "id"], name="lit_item_order"),
        ]

    def __str__(self):
        return f"{self.code} v{self.version}"

    @property
    def is_scored(self) -> bool:
        return self.kind in c.SCORED_ITEM_KINDS

    def can_edit(self) -> bool:
        return self.status == c.ItemStatus.DRAFT

    def can_send_to_review(self) -> bool:
        return self.status == c.ItemStatus.DRAFT

    def can_retire(self) -> bool:
        return self.status != c.ItemStatus.RETIRED


class ItemReviewQuerySet(models.QuerySet):
    def with_relations(self):
        return self.select_related(
            "item", "item__region", "item__instrument", "item__dimension", "reviewer"
        )

    def open(self):
        return self.filter(submitted_at__isnull=True, item__status=c.ItemStatus.IN_REVIEW)


class ItemReview(AccuracyReview):
    """An expert asked to review one item for scientific accuracy (科学性审核), and the
    structured review they file — the catalog's accuracy review
    (`kepu.resources.accuracy.AccuracyReview`) applied to the bank. An expert has at most
    one open review of an item; a returned item can go back to the same expert."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")

    objects = ItemReviewQuerySet.as_manager()

    AUDIT_FIELDS = ["item", "reviewer", "facts_correct", "sources_reliable", "fits_audience",
                    "verdict"]  # fmt: skip

    class Meta:
        ordering = ["item_id", "assigned_at", "pk"]
        verbose_name = _("item accuracy review")
        verbose_name_plural = _("item accuracy reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reviewer"], condition=Q(submitted_at__isnull=True),
                name="literacy_review_once",
                violation_error_message=_("This expert already reviews this item."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(verdict=""),
                name="literacy_review_has_verdict",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["reviewer", "-assigned_at", "-id"], name="lit_review_queue"),
        ]

    def __str__(self):
        return f"{self.item} · {self.reviewer.name}"


class Form(models.Model):
    """One version of a round's questionnaire (A, B, … parallel forms from the same
    blueprint); the items and their order are fixed when the round opens, and each
    respondent also gets the items in a shuffled order seeded by the response."""

    round = models.ForeignKey(
        "literacy.SurveyRound", on_delete=models.CASCADE, related_name="forms"
    )
    label = models.CharField(_("form"), max_length=4)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    items = models.ManyToManyField(Item, through="FormItem", related_name="forms")
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        ordering = ["round", "label"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        constraints = [
            models.UniqueConstraint(fields=["round", "label"], name="literacy_form_label")
        ]

    def __str__(self):
        return self.label


class FormItem(models.Model):
    """An item's place on a form and the points it carries there (its dimension's points
    shared equally among the dimension's items on the form)."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="slots")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="slots")
    position = models.PositiveSmallIntegerField(_("position"))
    points = models.DecimalField(_("points"), **POINTS)

    class Meta:
        ordering = ["form", "position"]
        constraints = [
            models.UniqueConstraint(fields=["form", "item"], name="literacy_formitem_once"),
            models.UniqueConstraint(fields=["form", "position"], name="literacy_formitem_pos"),
        ]
