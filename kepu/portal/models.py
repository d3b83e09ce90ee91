"""Notices (公告): what an association publishes on the portal — 通知公告 and 工作动态.

An officer drafts a notice for a region of their scope and submits it; another officer of
the same or a higher region reviews it (four-eyes) and publishes it or returns it with a
reason; a published notice may be withdrawn. Only published notices are public.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.portal.choices import EDITABLE_STATUSES, NoticeCategory, NoticeStatus
from kepu.portal.querysets import NoticeQuerySet

_USER = settings.AUTH_USER_MODEL


class Notice(models.Model):
    """A notice issued for a region (its officers and those above review it). The body is
    plain text; blank lines separate its paragraphs."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20000)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("issued for"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=NoticeCategory.choices,
        default=NoticeCategory.ANNOUNCEMENT,
    )
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    # None: submitted by the system (demo, dataset) — nobody is kept from reviewing it.
    submitted_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("reason"), blank=True, max_length=1000)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    AUDIT_FIELDS = ("title", "body", "region", "category", "issuer", "pinned", "status")
    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            # The public list and the home page: published, pinned first, newest first.
            models.Index(
                fields=["status", "-pinned", "-published_at", "-id"], name="notice_public_order"
            ),
            models.Index(fields=["region", "-updated_at", "-id"], name="notice_region_updated"),
            models.Index(fields=["-updated_at", "-id"], name="notice_updated"),
            models.Index(fields=["status", "submitted_at"], name="notice_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="notice_published_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_note=""),
                name="notice_returned_has_a_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def can_submit(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def can_review(self) -> bool:
        return self.status == NoticeStatus.SUBMITTED

    def can_withdraw(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED

    def paragraphs(self) -> list[str]:
        """The body's paragraphs (separated by blank lines), each stripped."""
        chunks = [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n")]
        return [p for p in chunks if p]
