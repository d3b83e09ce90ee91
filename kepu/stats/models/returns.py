"""A reporting unit's return for a round (the unit is assigned by the return existing),
its values, its history, and the aggregates of accepted returns up the region tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.stats import choices as c


class Return(models.Model):
    """One reporting unit's return (调查表) for one round: the organization files it, or
    the responsible region (the county) fills it on behalf of a unit without an account
    (`filled_by_region`). Each 科普场馆 files its own return (`is_venue`), which is never
    summed into its parent unit's. `findings` keeps the last validation (errors and
    warnings), `explanations` the unit's answers to the warnings, by finding key."""

    round = models.ForeignKey(
        "stats.SurveyRound",
        verbose_name=_("survey round"),
        on_delete=models.CASCADE,
        related_name="returns",
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The responsible region (a county, or the city or province for their own units).
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("responsible region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dept_category = models.CharField(
        _("department category"),
        max_length=2,
        choices=c.DeptCategory.choices,
        default=c.DeptCategory.OTHER,
    )
    is_venue = models.BooleanField(_("venue's own return"), default=False)
    filled_by_region = models.BooleanField(_("filled by the region"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.ReturnStatus.choices,
        default=c.ReturnStatus.NOT_STARTED,
    )
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    unexplained = models.PositiveIntegerField(_("warnings without explanation"), default=0)
    findings = models.JSONField(_("validation findings"), default=list, blank=True)
    explanations = models.JSONField(_("explanations"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    AUDIT_FIELDS = ("status", "dept_category", "is_venue", "filled_by_region")

    class Meta:
        ordering = ["round", "region__code", "organization__name"]
        verbose_name = _("statistics return")
        verbose_name_plural = _("statistics returns")
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="stats_return_once")
        ]
        indexes = [
            # With `late`, completeness and timeliness per region are one index-only
            # grouped query (services.completeness).
            models.Index(
                fields=["round", "region", "status", "late"], name="stats_return_progress"
            ),
            models.Index(fields=["organization", "round"], name="stats_return_unit"),
        ]

    def __str__(self):
        return f"{self.round} · {self.organization}"

    @property
    def editable(self) -> bool:
        return self.status in c.EDITABLE_RETURN


class Value(models.Model):
    """One indicator's value in a return. None is "not applicable" (–); 0 is zero.
    `registry` keeps the pre-filled registry count; a different value is an override,
    which needs `reason` (audited)."""

    # No single-column indexes: (ret, indicator) is the unique index, which serves a
    # return's values; an index on indicator alone (200 values over millions of rows)
    # only lured the planner into reading a whole indicator's values.
    ret = models.ForeignKey(
        Return,
        verbose_name=_("return"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
    )
    indicator = models.ForeignKey(
        "stats.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=c.ValueSource.choices, default=c.ValueSource.ENTERED
    )
    registry = models.DecimalField(
        _("registry value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("reason for overriding"), max_length=300, blank=True)

    class Meta:
        ordering = ["ret", "indicator"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["ret", "indicator"], name="stats_value_once")
        ]

    def __str__(self):
        return f"{self.indicator_id}={self.value}"


class ReturnEvent(models.Model):
    """A return's history: saved, submitted, returned (with the reason), accepted."""

    ret = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    action = models.CharField(_("action"), max_length=10, choices=c.EventAction.choices)
    from_status = models.CharField(
        _("from"), max_length=10, choices=c.ReturnStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=c.ReturnStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["ret", "at", "pk"]
        verbose_name = _("return event")
        verbose_name_plural = _("return events")

    def __str__(self):
        return f"{self.ret_id} {self.action}"


class Aggregate(models.Model):
    """The sum of the accepted returns' values in a region's subtree, per indicator,
    kept by the services as returns are accepted or reopened (rollups: the analysis
    never sums 4 million values per request), and checkable against the raw values by
    one SQL statement (`services.aggregation.recompute`). `units` is the number of
    accepted returns counted."""

    round = models.ForeignKey(
        "stats.SurveyRound",
        verbose_name=_("survey round"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        "stats.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, default=0)
    units = models.PositiveIntegerField(_("units counted"), default=0)

    class Meta:
        ordering = ["round", "region", "indicator"]
        verbose_name = _("aggregate")
        verbose_name_plural = _("aggregates")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region", "indicator"], name="stats_aggregate_once"
            )
        ]

    def __str__(self):
        return f"{self.region_id}/{self.indicator_id}={self.value}"
