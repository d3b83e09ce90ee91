from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import AuditOutcome
from kepu.core.querysets import AuditQuerySet


class AuditEntry(models.Model):
    """One entry of the audit trail: who did what to which object, from where, when.

    Append-only. The model refuses updates and deletes, and database triggers (see the
    migrations) refuse UPDATE, REPLACE and TRUNCATE, and DELETE except of entries both
    older than the legal minimum retention and covered by a purge record, whatever the
    application does. `actor` is a plain id column without a foreign-key constraint so that
    nothing ever needs to rewrite an entry.

    Tamper-evident (`kepu.core.auditchain`): `seq` numbers the entries without gaps, and
    `hash` is an HMAC-SHA256, under a key kept outside the database, of the entry's content
    and of `prev_hash`, the hash of the entry before it. Saving links the entry into the
    chain.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "core.User",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    seq = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    prev_hash = models.CharField(max_length=90, blank=True, editable=False)
    hash = models.CharField(max_length=90, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["action", "created_at"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries are append-only")
        kwargs["force_insert"] = True
        from kepu.core import auditchain

        auditchain.link(
            [self],
            lambda: super(AuditEntry, self).save(*args, **kwargs),
            using=kwargs.get("using") or "default",
        )

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only")


class AuditSeal(models.Model):
    """A signed record of the audit chain's position: `seal` (the periodic seal: the head
    of the chain at that time, so a removed tail or an emptied table is detected) or
    `purge` (the last entry deleted by the retention purge, where verification of the
    remaining chain starts). `mac` is an HMAC of the record under the audit key.
    Append-only, like the entries."""

    class Kind(models.TextChoices):
        SEAL = "seal", _("Seal")
        PURGE = "purge", _("Purge")

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    seq = models.BigIntegerField(_("sequence number"))
    entry_hash = models.CharField(max_length=90, blank=True)
    entries = models.BigIntegerField(_("entries"), default=0)
    mac = models.CharField(max_length=90)

    class Meta:
        ordering = ["-seq", "-id"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        indexes = [models.Index(fields=["kind", "seq"])]

    def __str__(self):
        return f"{self.kind} {self.seq} {self.created_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit seals are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit seals are append-only")
