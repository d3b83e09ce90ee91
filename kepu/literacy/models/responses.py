"""Responses: one per respondent, with the answers and the time spent on each item kept
on the row (a round of 30,000 respondents × 100 items stays 30,000 rows), the
demographics (no direct identifier), the score and tier, the quality verdict and the
weight the estimation gave it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.querysets import ScopedQuerySet
from kepu.literacy import choices as c


class ResponseQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("round", "region", "point", "form")


class Response(models.Model):
    """`answers`: {"<item pk>": "A" | "AC" | "T" | "4"}; `item_seconds`: {"<item pk>":
    seconds}; `dimension_scores`: {"<dimension code>": points}. `device` is a keyed hash
    of the self-completing device's cookie (one response per device and round);
    `idem` makes a resubmitted form one response."""

    round = models.ForeignKey(
        "literacy.SurveyRound", on_delete=models.PROTECT, related_name="responses"
    )
    form = models.ForeignKey("literacy.Form", on_delete=models.PROTECT, related_name="+")
    stratum = models.ForeignKey(
        "literacy.Stratum", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    point = models.ForeignKey(
        "literacy.SamplePoint", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=c.Mode.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    device = models.CharField(_("device"), max_length=64, blank=True)
    idem = models.CharField(max_length=64)
    user_agent = models.CharField(_("device type"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started at"))
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now)
    seconds = models.PositiveIntegerField(_("time taken (s)"), default=0)
    order_seed = models.PositiveIntegerField(_("item order seed"), default=0)
    answers = models.JSONField(_("answers"), default=dict)
    item_seconds = models.JSONField(_("seconds per item"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("consented at"))
    # Demographics
    sex = models.CharField(_("sex"), max_length=1, choices=c.Sex.choices)
    age_band = models.CharField(_("age"), max_length=5, choices=c.AgeBand.choices)
    education = models.CharField(_("education"), max_length=10, choices=c.Education.choices)
    area = models.CharField(_("urban or rural"), max_length=6, choices=c.AreaType.choices)
    occupation = models.CharField(_("occupation"), max_length=12, choices=c.Occupation.choices)
    key_group = models.CharField(
        _("key group"), max_length=8, choices=c.KeyGroup.choices, blank=True
    )
    # Score
    total = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    dimension_scores = models.JSONField(_("dimension scores"), default=dict, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=c.Tier.choices, blank=True)
    literate = models.BooleanField(_("scientifically literate"), null=True)
    # Quality
    quality = models.CharField(
        _("quality"), max_length=10, choices=c.Quality.choices, default=c.Quality.VALID
    )
    flags = models.JSONField(_("quality flags"), default=list, blank=True)
    excluded_reason = models.CharField(_("why excluded"), max_length=200, blank=True)
    # Weights (written by the estimation)
    design_weight = models.FloatField(_("design weight"), null=True, blank=True)
    weight = models.FloatField(_("final weight"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    AUDIT_FIELDS = ("round", "region", "mode", "quality", "flags", "excluded_reason")

    class Meta:
        ordering = ["round", "-submitted_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["round", "idem"], name="literacy_response_idem"),
            models.UniqueConstraint(
                fields=["round", "device"], condition=~Q(device=""),
                name="literacy_response_device",
                violation_error_message=_("This device has already answered this survey."),
            ),
            models.CheckConstraint(
                condition=Q(quality__in=c.Quality.values), name="literacy_response_quality"
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["round", "region", "-submitted_at", "-id"], name="lit_resp_list"),
            models.Index(fields=["round", "quality"], name="lit_resp_quality"),
            # The responses list without a round: newest first, in a county or everywhere.
            models.Index(fields=["-submitted_at", "-id"], name="lit_resp_newest"),
            models.Index(fields=["region", "-submitted_at", "-id"], name="lit_resp_region"),
        ]
