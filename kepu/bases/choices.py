"""Choices of the bases app (科普教育基地 and 科技馆; domain.md §7, seeds 000 (四), 003 (十三))."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BaseLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class BaseCategory(models.TextChoices):
    """The six CAST categories (全国科普教育基地创建与认定管理办法)."""

    VENUE = "venue", pgettext_lazy("base category", "Science venues")
    RESEARCH = "research", pgettext_lazy("base category", "Education, research and major projects")
    RURAL = "rural", pgettext_lazy("base category", "Agriculture and rural areas")
    ENTERPRISE = "enterprise", pgettext_lazy("base category", "Enterprises")
    NATURE = "nature", pgettext_lazy("base category", "Natural resources")
    OTHER = "other", pgettext_lazy("base category", "Other bases")


class BaseStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("base status", "Active")
    WARNED = "warned", pgettext_lazy("base status", "Warned")
    RECTIFYING = "rectifying", pgettext_lazy("base status", "Under rectification")
    REVOKED = "revoked", pgettext_lazy("base status", "Revoked")
    EXPIRED = "expired", pgettext_lazy("base status", "Expired")


# A base in one of these is listed publicly and counts towards the targets.
LISTED_STATUSES = (BaseStatus.ACTIVE, BaseStatus.WARNED, BaseStatus.RECTIFYING)
# Recognition cycles last five years (domain.md §7.1).
CYCLE_YEARS = 5


class AreaKind(models.TextChoices):
    """Demonstration areas created over a cycle (seeds 003 (七), 001 四(一)3)."""

    NATIONAL_COUNTY = "national_county", _("National science demonstration county")
    PROVINCIAL_COUNTY = "provincial_county", _("Provincial science demonstration county")
    COMMUNITY = "community", _("Science demonstration community")
    TOWN = "town", _("Science town")


class AreaStatus(models.TextChoices):
    CREATING = "creating", _("Creating")
    MIDTERM_PASSED = "midterm_passed", _("Passed the mid-term evaluation")
    MIDTERM_FAILED = "midterm_failed", _("Failed the mid-term evaluation")
    NAMED = "named", _("Named")
    NOT_NAMED = "not_named", _("Not named")


class EvaluationStatus(models.TextChoices):
    SCORING = "scoring", _("Scoring")
    PUBLISHED = "published", _("Results published")


# A creation cycle lasts five years (2023–2027); no cycle is longer than ten.
AREA_CYCLE_YEARS = 5
MAX_CYCLE_YEARS = 10
# A region-level demonstration county is a county; a community or a town lies below one.
COUNTY_KINDS = (AreaKind.NATIONAL_COUNTY, AreaKind.PROVINCIAL_COUNTY)
