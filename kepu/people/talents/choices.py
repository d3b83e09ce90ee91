"""Constants of talent evaluation and the high-level talent service."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoundKind(models.TextChoices):
    TITLE = "title", _("Professional title (science communication series)")
    HONOUR = "honour", pgettext_lazy("evaluation kind", "Honour")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation round", "Draft")
    OPEN = "open", pgettext_lazy("evaluation round", "Open for applications")
    REVIEWING = "reviewing", pgettext_lazy("evaluation round", "Under review")
    PUBLISHED = "published", pgettext_lazy("evaluation round", "Results published")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("talent application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("talent application", "Awaiting unit recommendation")
    RECOMMENDED = "recommended", pgettext_lazy("talent application", "Recommended by the unit")
    RETURNED = "returned", pgettext_lazy("talent application", "Returned")
    AWARDED = "awarded", pgettext_lazy("talent application", "Approved")
    NOT_AWARDED = "not_awarded", pgettext_lazy("talent application", "Not approved")


EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class EvidenceSource(models.TextChoices):
    """Where an item of an applicant's record comes from."""

    VOLUNTEERING = "volunteering", _("Volunteer service ledger")
    RESOURCES = "resources", _("Resource catalog")
    ACTIVITIES = "activities", _("Activities registry")
    TRAINING = "training", _("Training records")
    CREDITS = "credits", _("Credits ledger")
    HONOURS = "honours", _("Honours registry")
    POOLS = "pools", _("Expert pools")
    SELF = "self", _("Self-declared")


class TalentCategory(models.TextChoices):
    ACADEMICIAN = "academician", _("Academician")
    LEADING = "leading", _("Leading talent (national or provincial programme)")
    SENIOR_TITLE = "senior", _("Senior professional title")
    POOL_EXPERT = "expert", _("Expert in a pool")
    OTHER = "other", _("Other high-level talent")


class ServiceKind(models.TextChoices):
    VISIT = "visit", _("Visit or talk")
    NEED = "need", _("Need raised")
    HELP = "help", _("Help given")
    FOLLOW_UP = "follow_up", _("Follow-up")


# Months without contact after which a talent is overdue (the reminder's default).
CONTACT_EVERY_MONTHS = 6
