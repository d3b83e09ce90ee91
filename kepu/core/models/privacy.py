from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kepu.core import clock
from kepu.core.choices import NoticePurpose


class PrivacyNotice(models.Model):
    """One version of the personal-information notice of one purpose (PIPL Art. 17): what
    the form of that purpose collects, why, how long it is kept, who sees it and the
    person's rights. A new version is a new row; the current one of a purpose is the
    latest already effective. Consents record the version the person saw (a foreign key
    on the sign-up, the order, the registration), so old versions are never edited or
    deleted (PROTECT)."""

    purpose = models.CharField(
        _("purpose"),
        max_length=16,
        choices=NoticePurpose.choices,
        default=NoticePurpose.REGISTRATION,
    )
    version = models.CharField(_("version"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    # The English text, for a visitor reading the site in English (the Chinese is the
    # binding one; both are written together when a version is published).
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    effective_at = models.DateTimeField(_("effective from"), default=clock.now)

    class Meta:
        ordering = ["purpose", "-effective_at", "-pk"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="notice_version_per_purpose"
            )
        ]
        indexes = [models.Index(fields=["purpose", "-effective_at"], name="notice_current")]

    def __str__(self):
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls, purpose=NoticePurpose.REGISTRATION):
        """The version of `purpose` in force now (None before the first one)."""
        return (
            cls.objects.filter(purpose=purpose, effective_at__lte=clock.now())
            .order_by("-effective_at", "-pk")
            .first()
        )

    @staticmethod
    def check_purpose(notice, purpose) -> None:
        """The services' half of the consent rule: a consent recorded for a form is to the
        notice of that form's purpose (a sign-up never points at the registry's notice).
        Raises DomainError; None (no consent asked, e.g. an officer's order) passes."""
        if notice is not None and notice.purpose != purpose:
            from django.utils.translation import gettext

            from kepu.core.errors import DomainError

            raise DomainError(gettext("The privacy notice does not belong to this form."))

    def _english(self) -> bool:
        return (translation.get_language() or "").startswith("en")

    @property
    def shown_title(self) -> str:
        """The title in the request's language (the Chinese when no English was written)."""
        return self.title_en if self._english() and self.title_en else self.title

    @property
    def shown_text(self) -> str:
        return self.text_en if self._english() and self.text_en else self.text
