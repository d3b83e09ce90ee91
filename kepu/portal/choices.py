"""Choices of the portal's notices (公告)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NoticeCategory(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Notice")  # 通知公告
    NEWS = "news", _("Work news")  # 工作动态


EDITABLE_STATUSES = (NoticeStatus.DRAFT, NoticeStatus.RETURNED)
# How many notices the home page lists, and how many results of each kind the unified
# search shows before its "more" link.
HOME_NOTICES = 6
