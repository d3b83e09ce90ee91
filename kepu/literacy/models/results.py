"""What the estimation writes: a run (its settings and its report: the rake's
convergence, trimming, warnings), the estimates by region and group with their
standard errors and intervals, the item statistics; and the 科普指数 (an indicator tree
with its normalization and weights, and the values by region and year)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.literacy import choices as c


class EstimationRun(models.Model):
    """One estimation of a round. `report`: {"rake": {"converged", "iterations",
    "max_error", "trimmed"}, "warnings": [...], "counts": {...}, "seconds": s}."""

    round = models.ForeignKey("literacy.SurveyRound", on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("status"), max_length=8, choices=c.RunStatus.choices)
    options = models.JSONField(_("settings"), default=dict)
    report = models.JSONField(_("report"), default=dict)
    is_current = models.BooleanField(_("current"), default=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), default=clock.now)

    class Meta:
        ordering = ["round", "-finished_at", "-pk"]
        verbose_name = _("estimation run")
        verbose_name_plural = _("estimation runs")


class EstimateQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(run__is_current=True)


class Estimate(models.Model):
    """One estimate: a measure (the literate share, the mean score, an opinion item's
    mean) for a region and a group, by a method; `published` marks the one shown (for a
    county: the direct estimate, or the Fay–Herriot one where the direct CV is above the
    round's threshold)."""

    run = models.ForeignKey(EstimationRun, on_delete=models.CASCADE, related_name="estimates")
    round = models.ForeignKey(
        "literacy.SurveyRound", on_delete=models.CASCADE, related_name="estimates"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField(_("measure"), max_length=12, choices=c.Measure.choices)
    item = models.ForeignKey(
        "literacy.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group_var = models.CharField(
        _("group"), max_length=10, choices=c.GroupVar.choices, default=c.GroupVar.ALL
    )
    group_value = models.CharField(_("group value"), max_length=12, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=c.Method.choices)
    n = models.PositiveIntegerField(_("respondents"))
    estimate = models.FloatField(_("estimate"))
    se = models.FloatField(_("standard error"), null=True)
    ci_low = models.FloatField(_("95% CI from"), null=True)
    ci_high = models.FloatField(_("95% CI to"), null=True)
    deff = models.FloatField(_("design effect"), null=True)
    cv = models.FloatField(_("coefficient of variation"), null=True)
    published = models.BooleanField(_("published figure"), default=False)

    objects = EstimateQuerySet.as_manager()

    class Meta:
        ordering = ["round", "region", "measure", "group_var", "group_value", "method"]
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        indexes = [
            models.Index(
                fields=["round", "measure", "group_var", "region"], name="lit_estimate_find"
            ),
            models.Index(fields=["region", "measure", "published"], name="lit_estimate_region"),
        ]


class ItemStatistic(models.Model):
    """The classical statistics of one item in one run: difficulty (share correct),
    corrected point-biserial discrimination, the share choosing each option, Cronbach's
    α of the form without it."""

    run = models.ForeignKey(EstimationRun, on_delete=models.CASCADE, related_name="item_stats")
    item = models.ForeignKey("literacy.Item", on_delete=models.CASCADE, related_name="stats")
    n = models.PositiveIntegerField(_("responses"))
    p_value = models.FloatField(_("difficulty (share correct)"), null=True)
    discrimination = models.FloatField(_("discrimination"), null=True)
    options = models.JSONField(_("option shares"), default=dict)
    alpha_if_deleted = models.FloatField(_("α without this item"), null=True)

    class Meta:
        ordering = ["run", "item"]
        constraints = [
            models.UniqueConstraint(fields=["run", "item"], name="literacy_itemstat_once")
        ]


class IndexQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region")


class IndexTree(models.Model):
    """A 科普指数 of one region (its cities or counties compared): the indicator tree, the
    normalization and the weighting, computed by year; published to the portal."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    normalization = models.CharField(
        _("normalization"), max_length=8, choices=c.Normalization.choices,
        default=c.Normalization.MINMAX,
    )  # fmt: skip
    weighting = models.CharField(
        _("weighting"), max_length=8, choices=c.Weighting.choices, default=c.Weighting.CV
    )
    method_note = models.TextField(_("method note"), blank=True, max_length=4000)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = IndexQuerySet.as_manager()

    EDITABLE_FIELDS = ("name", "year", "normalization", "weighting", "method_note")
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "region", "published_at")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("science-popularization index")
        verbose_name_plural = _("science-popularization indices")
        indexes = [models.Index(fields=["region", "-year", "-id"], name="lit_index_list")]

    def __str__(self):
        return self.name


class IndexNode(models.Model):
    """A node of the tree: a first-level indicator (科普人员 …) or a second-level one that
    reads a source (`source`: a registered source code, e.g. "people.fulltime" or
    "literacy.rate"), per 10,000 inhabitants where `per_capita`, with its expert weight."""

    tree = models.ForeignKey(IndexTree, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    source = models.CharField(_("source"), max_length=60, blank=True)
    per_capita = models.BooleanField(_("per 10,000 inhabitants"), default=False)
    expert_weight = models.DecimalField(_("expert weight"), max_digits=6, decimal_places=4,
                                        default=0)  # fmt: skip
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["tree", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tree", "code"], name="literacy_indexnode_code")
        ]

    def __str__(self):
        return self.name


class IndexValue(models.Model):
    """The value of a node (or of the whole index: node empty) for one region: raw,
    normalized, the weight used, the weighted score and the rank among the regions."""

    tree = models.ForeignKey(IndexTree, on_delete=models.CASCADE, related_name="values")
    node = models.ForeignKey(
        IndexNode, null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    raw = models.FloatField(_("value"), null=True)
    normalized = models.FloatField(_("normalized"), null=True)
    weight = models.FloatField(_("weight"), null=True)
    score = models.FloatField(_("score"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)

    class Meta:
        ordering = ["tree", "node", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree", "node", "region"], name="literacy_indexvalue_once",
                condition=Q(node__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["tree", "region"], name="literacy_indexvalue_total_once",
                condition=Q(node__isnull=True),
            ),
        ]  # fmt: skip
