from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivacyNotice(models.Model):
    """A version of the personal-information notice shown on public forms (PIPL Art. 17).
    Consents record the version the person saw; the newest effective one is current."""

    version = models.CharField(_("version"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    effective_at = models.DateTimeField(_("effective from"), default=timezone.now)

    class Meta:
        ordering = ["-effective_at"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self):
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls):
        return cls.objects.filter(effective_at__lte=timezone.now()).first()
