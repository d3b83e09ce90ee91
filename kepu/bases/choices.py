"""Choices of the bases app (科普教育基地 and 科技馆; domain.md §7, seeds 000 (四), 003 (十三))."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class BaseCategory(models.TextChoices):
    """The six CAST categories (全国科普教育基地创建与认定管理办法)."""

    VENUE = "venue", _("Science venues")
    RESEARCH = "research", _("Education, research and major projects")
    RURAL = "rural", _("Agriculture and rural areas")
    ENTERPRISE = "enterprise", _("Enterprises")
    NATURE = "nature", _("Natural resources")
    OTHER = "other", _("Other bases")


class BaseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WARNED = "warned", _("Warned")
    RECTIFYING = "rectifying", _("Under rectification")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# A base in one of these is listed publicly and counts towards the targets.
LISTED_STATUSES = (BaseStatus.ACTIVE, BaseStatus.WARNED, BaseStatus.RECTIFYING)
# Recognition cycles last five years (domain.md §7.1).
CYCLE_YEARS = 5
