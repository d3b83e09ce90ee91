"""Survey rounds: the population, the sampling frame and its strata (county × urban or
rural), the allocation from a target margin of error, the sample points (村/社区, the
PSUs) with their own links and QR codes, the interviewers, the contacts made (for the
dispositions and the response rate), and the census margins the weights are raked to."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.literacy import choices as c

RATE = {"max_digits": 6, "decimal_places": 4}


def new_token() -> str:
    return secrets.token_urlsafe(12)


def default_blueprint():
    """{dimension code: items per form}; empty means the instrument's defaults."""
    return {}


def default_quality():
    """The quality rules: a speeder answers faster than `min_seconds_per_item` on
    average; a straight-liner gives the same option to at least `straightline_share` of
    the items (of at least 10); either flags (or, with `exclude`, excludes) the response."""
    return {"min_seconds_per_item": 2, "straightline_share": 0.9, "exclude": False}


class RoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "instrument")


class SurveyRound(models.Model):
    """A round of the citizen science-literacy survey (or of the satisfaction survey) of
    one region: who is surveyed, how the sample is drawn and allocated, how it is fielded
    and checked, and how it is estimated. `status` follows `ROUND_FLOW`."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("organizing region"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=12, choices=c.RoundKind.choices, default=c.RoundKind.LITERACY
    )
    year = models.PositiveSmallIntegerField(_("year"))
    instrument = models.ForeignKey(
        "literacy.Instrument", verbose_name=_("instrument"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=c.RoundStatus.choices, default=c.RoundStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("fielding opens"))
    closes_at = models.DateTimeField(_("fielding closes"))
    age_min = models.PositiveSmallIntegerField(_("youngest age surveyed"), default=18)
    age_max = models.PositiveSmallIntegerField(_("oldest age surveyed"), default=69)
    # Sampling
    target_moe = models.DecimalField(_("target margin of error"), **RATE, default="0.0200")
    confidence = models.DecimalField(_("confidence level"), **RATE, default="0.9500")
    expected_rate = models.DecimalField(_("expected literate share"), **RATE, default="0.1300")
    design_effect = models.DecimalField(_("expected design effect"), **RATE, default="1.5000")
    response_rate = models.DecimalField(_("expected response rate"), **RATE, default="0.8000")
    allocation = models.CharField(
        _("allocation"), max_length=12, choices=c.Allocation.choices,
        default=c.Allocation.PROPORTIONAL,
    )  # fmt: skip
    min_per_stratum = models.PositiveIntegerField(_("minimum per stratum"), default=30)
    sample_size = models.PositiveIntegerField(_("designed sample"), default=0)
    # Forms
    blueprint = models.JSONField(_("blueprint"), default=default_blueprint, blank=True)
    form_count = models.PositiveSmallIntegerField(_("parallel forms"), default=2)
    quality = models.JSONField(_("quality rules"), default=default_quality, blank=True)
    consent_text = models.TextField(_("notice to respondents"), max_length=4000)
    token = models.CharField(_("public link"), max_length=24, unique=True, default=new_token)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewers"), blank=True, related_name="+"
    )
    # Estimation
    cv_threshold = models.DecimalField(
        _("CV above which a county is model-based"), **RATE, default="0.2000"
    )
    trim_low = models.DecimalField(_("lowest weight ratio kept"), **RATE, default="0.3000")
    trim_high = models.DecimalField(_("highest weight ratio kept"), **RATE, default="3.0000")
    replicates = models.PositiveSmallIntegerField(_("bootstrap replicates"), default=200)
    # Counters (F() in the services)
    response_count = models.PositiveIntegerField(_("responses"), default=0, editable=False)
    valid_count = models.PositiveIntegerField(_("valid responses"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    EDITABLE_FIELDS = (
        "name", "year", "opens_at", "closes_at", "age_min", "age_max", "target_moe",
        "confidence", "expected_rate", "design_effect", "response_rate", "allocation",
        "min_per_stratum", "blueprint", "form_count", "quality", "consent_text",
        "cv_threshold", "trim_low", "trim_high", "replicates",
    )  # fmt: skip
    AUDIT_FIELDS = (*EDITABLE_FIELDS, "region", "kind", "instrument", "status", "sample_size")

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=c.RoundStatus.values), name="literacy_round_status"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="literacy_round_window"
            ),
        ]
        indexes = [models.Index(fields=["region", "-year", "-id"], name="lit_round_list")]

    def __str__(self):
        return self.name

    def is_fielding(self, at=None) -> bool:
        at = at or clock.now()
        return self.status == c.RoundStatus.OPEN and self.opens_at <= at < self.closes_at

    def can_change(self) -> bool:
        return self.status == c.RoundStatus.DRAFT

    def can_open(self) -> bool:
        return self.status == c.RoundStatus.DRAFT

    def can_close(self) -> bool:
        return self.status == c.RoundStatus.OPEN

    def can_estimate(self) -> bool:
        return self.status in (c.RoundStatus.CLOSED, c.RoundStatus.ESTIMATED)

    def can_publish(self) -> bool:
        return self.status == c.RoundStatus.ESTIMATED


class Stratum(models.Model):
    """A stratum of the frame: one county × urban or rural, its population aged 18–69
    (from the census), the sample allocated to it and the responses it has."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="strata")
    region = models.ForeignKey(
        "core.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField(_("urban or rural"), max_length=6, choices=c.AreaType.choices)
    population = models.PositiveIntegerField(_("population"))
    sd = models.FloatField(_("expected standard deviation"), null=True, blank=True)
    allocated = models.PositiveIntegerField(_("allocated sample"), default=0)
    responses = models.PositiveIntegerField(_("responses"), default=0, editable=False)
    valid = models.PositiveIntegerField(_("valid responses"), default=0, editable=False)

    class Meta:
        ordering = ["round", "region__path", "area"]
        verbose_name = _("stratum")
        verbose_name_plural = _("strata")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region", "area"], name="literacy_stratum_once"
            )
        ]

    def __str__(self):
        return f"{self.region} · {self.get_area_display()}"


class SamplePoint(models.Model):
    """A primary sampling unit of a stratum (a village or a residents' community), with
    its own link and QR code and its quota."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="points")
    stratum = models.ForeignKey(Stratum, on_delete=models.CASCADE, related_name="points")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("village or community"), max_length=80)
    quota = models.PositiveIntegerField(_("quota"), default=0)
    responses = models.PositiveIntegerField(_("responses"), default=0, editable=False)
    token = models.CharField(_("link"), max_length=24, unique=True, default=new_token)

    class Meta:
        ordering = ["stratum", "code"]
        verbose_name = _("sample point")
        verbose_name_plural = _("sample points")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="literacy_point_code")
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """One attempt by an interviewer at a sample point, with its outcome (AAPOR-style
    dispositions: the response rate is completes over eligible contacts)."""

    class Outcome(models.TextChoices):
        COMPLETE = "complete", _("Interview completed")
        PARTIAL = "partial", _("Interview broken off")
        REFUSAL = "refusal", _("Refused")
        NONCONTACT = "noncontact", _("Nobody at home")
        INELIGIBLE = "ineligible", _("Not eligible (age, residence)")
        UNKNOWN = "unknown", _("Eligibility unknown")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="contacts")
    point = models.ForeignKey(SamplePoint, on_delete=models.CASCADE, related_name="contacts")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    at = models.DateTimeField(_("at"), default=clock.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["round", "-at", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


class PopulationMargin(models.Model):
    """A census count of one region by one variable (the 7th census: 2020), the target
    of the raking: every variable of a region must add up to the same population."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("census year"), default=2020)
    variable = models.CharField(_("variable"), max_length=10, choices=c.MarginVar.choices)
    category = models.CharField(_("category"), max_length=12)
    population = models.PositiveBigIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        ordering = ["region", "year", "variable", "category"]
        verbose_name = _("population margin")
        verbose_name_plural = _("population margins")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "variable", "category"], name="literacy_margin_once"
            )
        ]
