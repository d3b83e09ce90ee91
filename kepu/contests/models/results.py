"""Results: the prize list of a round with its 公示 (objections by `core.publicity`), the
prizes (persons and organizing regions), and certificates with a public verification
code."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.contests import choices as c
from kepu.core import clock
from kepu.core.models.publicity import ObjectionBase
from kepu.core.querysets import ScopedQuerySet


def new_code() -> str:
    """A certificate's verification code: 12 characters, unguessable, easy to read out."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class PrizeListQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("round", "round__contest", "round__contest__region")


class PrizeList(models.Model):
    """The prizes of a round: drafted from the ranking, put to 公示 for `publicity_days`,
    then made final (by another officer than the one who drafted it)."""

    round = models.OneToOneField(
        "contests.ContestRound", on_delete=models.CASCADE, related_name="prize_list"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=c.PrizeListStatus.choices,
        default=c.PrizeListStatus.DRAFT,
    )  # fmt: skip
    publicity_days = models.PositiveSmallIntegerField(_("days of public notice"), default=5)
    working_days = models.BooleanField(_("counted in working days"), default=False)
    publicity_start = models.DateField(_("public notice from"), null=True, blank=True)
    publicity_end = models.DateField(_("public notice until"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    finalized_at = models.DateTimeField(_("made final at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = PrizeListQuerySet.as_manager()

    AUDIT_FIELDS = ("round", "status", "publicity_start", "publicity_end")

    class Meta:
        verbose_name = _("prize list")
        verbose_name_plural = _("prize lists")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=c.PrizeListStatus.values), name="contest_prizelist_status"
            )
        ]

    def __str__(self):
        return str(self.round)


class Prize(models.Model):
    """A prize to a participant (by rank) or to an organizing region (优秀组织奖)."""

    prize_list = models.ForeignKey(PrizeList, on_delete=models.CASCADE, related_name="prizes")
    tier = models.CharField(_("prize"), max_length=12, choices=c.PrizeTier.choices)
    rank = models.PositiveIntegerField(_("rank"))
    participant = models.ForeignKey(
        "contests.Participant", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    withdrawn = models.BooleanField(_("withdrawn after an objection"), default=False)

    AUDIT_FIELDS = ("prize_list", "tier", "rank", "participant", "region", "withdrawn")

    class Meta:
        ordering = ["prize_list", "rank", "pk"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(
                fields=["prize_list", "participant"], condition=Q(participant__isnull=False),
                name="contest_prize_person_once",
            ),
            models.CheckConstraint(
                condition=Q(tier__in=c.PrizeTier.values), name="contest_prize_tier_valid"
            ),
        ]  # fmt: skip


class PrizeObjectionQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("prize", "prize__prize_list__round__contest")


class PrizeObjection(ObjectionBase):
    """A written objection to a prize during the prize list's 公示."""

    prize = models.ForeignKey(Prize, on_delete=models.PROTECT, related_name="objections")

    objects = PrizeObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("objection to a prize")
        verbose_name_plural = _("objections to prizes")


class Certificate(models.Model):
    """A certificate (参赛证书 for a participant's standing, 获奖证书 for a final prize),
    verified publicly by its code through a QR link."""

    round = models.ForeignKey(
        "contests.ContestRound", on_delete=models.CASCADE, related_name="certificates"
    )
    participant = models.ForeignKey(
        "contests.Participant", on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=c.CertificateKind.choices)
    prize = models.ForeignKey(
        Prize, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(_("verification code"), max_length=12, unique=True, default=new_code)
    score = models.PositiveIntegerField(_("score"))
    issued_at = models.DateTimeField(_("issued at"), default=clock.now)
    revoked = models.BooleanField(_("revoked"), default=False)

    AUDIT_FIELDS = ("round", "participant", "kind", "code", "revoked")

    class Meta:
        ordering = ["round", "participant", "kind"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant", "kind"], name="contest_certificate_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=c.CertificateKind.values), name="contest_certificate_kind"
            ),
        ]
