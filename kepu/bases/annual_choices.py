"""Choices of the annual area: self-reports, spot checks, evaluation rounds and
rectification (domain.md §7.2, dynamic management)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("base annual report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("base annual report", "Submitted")
    RETURNED = "returned", pgettext_lazy("base annual report", "Returned for correction")
    ACCEPTED = "accepted", pgettext_lazy("base annual report", "Accepted")


# A report the officers can read (filed at least once).
FILED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class SpotCheckStatus(models.TextChoices):
    DRAWN = "drawn", _("Drawn, to visit")
    RECORDED = "recorded", _("Recorded")


class SpotCheckKind(models.TextChoices):
    ANNUAL = "annual", _("Annual spot check")
    RECHECK = "recheck", _("Re-check after rectification")


class RoundKind(models.TextChoices):
    ANNUAL = "annual", _("Annual evaluation")
    MIDTERM = "midterm", _("Mid-term evaluation of a cycle")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("evaluation round", "Open")
    COMPUTED = "computed", pgettext_lazy("evaluation round", "Computed")
    PUBLISHED = "published", pgettext_lazy("evaluation round", "Published")


class RectificationStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    REPORTED = "reported", _("Rectification reported")
    KEPT = "kept", _("Kept after re-check")
    REVOKED = "revoked", pgettext_lazy("rectification", "Revoked")


OPEN_RECTIFICATION = (RectificationStatus.ORDERED, RectificationStatus.REPORTED)

# Criteria of the annual rubric whose values come from the self-report.
REPORT_VALUES = {
    "open_days": "open_days",
    "visitors": "visitors",
    "renewal": "renewal_pct",
}
# Manual criteria defaulted from a spot check: a passed check gives the whole weight, a
# failed one half, each adjusted by the check's adjustment (bounded to 0..weight).
SPOT_CHECK_CRITERIA = ("safety",)
DEFAULT_WORKING_DAYS = 30
DEFAULT_RECTIFICATION_DAYS = 60
MAX_EVIDENCE = 6
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
