"""The 公示 (public notice) shared by every procedure that names, awards or funds: a
written objection under a real name with a contact phone (kept encrypted, shown masked),
answered in writing by the officers. Apps subclass `ObjectionBase` with a link to what
is objected to; `kepu.core.publicity` holds the rules (window, validation, answer)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core import clock


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class ObjectionBase(models.Model):
    """A written objection during a 公示. Anonymous objections are not accepted (the
    practice found: Tianjin rejects them, Henan asks for a real name); a repeated
    submission with the same `client_key` is one objection."""

    name = models.CharField(_("your name"), max_length=40)
    phone_enc = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False)
    text = models.TextField(_("objection"), max_length=3000)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    filed_at = models.DateTimeField(_("filed at"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
    )  # fmt: skip
    answer = models.TextField(_("answer"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    AUDIT_FIELDS = ("name", "phone_masked", "text", "status", "answer")

    class Meta:
        abstract = True
