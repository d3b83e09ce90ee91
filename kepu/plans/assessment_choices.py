"""Constants of the assessment (考核) of regions and member units (seeds 001 五(一)2,
五(二)3; 004 (25))."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubjectKind(models.TextChoices):
    """What a round assesses: the assessing region's sub-regions (the province its
    cities, a city its counties), or the member units named on a plan's tasks."""

    REGIONS = "regions", _("Sub-regions")
    UNITS = "units", _("Member units")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment", "Under assessment")
    PUBLISHED = "published", pgettext_lazy("assessment", "Result published")


class EntryStatus(models.TextChoices):
    """One subject in a round: waiting for its self-assessment, self-assessed, scored by
    an officer of the assessing region, confirmed by a second officer (four-eyes)."""

    PENDING = "pending", pgettext_lazy("assessment", "Awaiting self-assessment")
    SELF_ASSESSED = "self_assessed", pgettext_lazy("assessment", "Self-assessed")
    SCORED = "scored", pgettext_lazy("assessment", "Scored")
    CONFIRMED = "confirmed", pgettext_lazy("assessment", "Confirmed")


# Steps in which the assessing officers may (re)score an entry.
SCORABLE = (EntryStatus.PENDING, EntryStatus.SELF_ASSESSED, EntryStatus.SCORED)
SELF_ASSESSABLE = (EntryStatus.PENDING, EntryStatus.SELF_ASSESSED)

EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
MAX_EVIDENCE = 8
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# The rubric-engine subjects of the sources this app registers.
REGION_SUBJECT = "core.region"
UNIT_SUBJECT = "core.organization"
