"""Choices and constants of calls, entries, reviews and funded projects (seeds 000 (三)(五),
001 四(四)5, 五(二)2, 003 (三)(十)(十二), 004 (22)(23)(24); domain-wave2 §1–2)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallKind(models.TextChoices):
    HONOUR = "honour", _("Honour selection")
    WORKS = "works", _("Works selection")
    COMPETITION = "competition", _("Competition")
    PROJECT = "project", _("Funded projects")


class CallStatus(models.TextChoices):
    """The procedure of a call: 申报 → 形式审查 → 专家评审 → 会议评审 → 公示 → 结果发布."""

    DRAFT = "draft", pgettext_lazy("call status", "Draft")
    OPEN = "open", _("Open for entries")
    CHECKING = "checking", _("Formal check")
    REVIEWING = "reviewing", _("Expert review")
    PANEL = "panel", _("Panel meeting")
    PUBLICITY = "publicity", _("Public notice")
    DECIDED = "decided", _("Results published")


CALL_FLOW = list(CallStatus.values)
PUBLIC_CALL_STATUSES = [s for s in CALL_FLOW if s != CallStatus.DRAFT]


class Route(models.TextChoices):
    SELF = "self", _("Self-application")
    UNIT = "unit", _("Unit recommendation")
    REGION = "region", _("Region recommendation")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Individual")
    ORGANIZATION = "organization", _("Unit")
    WORK = "work", _("Work")
    PROJECT = "project", _("Project proposal")


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the formal check")
    RETURNED = "returned", _("Returned for completion")
    ELIGIBLE = "eligible", _("Passed the formal check")
    REJECTED = "rejected", _("Failed the formal check")
    SCORED = "scored", _("Scored")
    CANDIDATE = "candidate", _("In public notice")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Entries that hold a place in the call (one per person, quota counting).
LIVE_ENTRY_STATUSES = (
    EntryStatus.SUBMITTED,
    EntryStatus.RETURNED,
    EntryStatus.ELIGIBLE,
    EntryStatus.SCORED,
    EntryStatus.CANDIDATE,
    EntryStatus.AWARDED,
)


class Severity(models.TextChoices):
    """How reviewers' leniency or severity is corrected before ranking."""

    NONE = "none", _("No correction (raw mean)")
    ZSCORE = "z", _("Standardized per reviewer (z-score)")
    FACETS = "facets", _("Additive rater-severity model")


class Vote(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class RelationshipKind(models.TextChoices):
    KIN = "kin", _("Relative")
    TEACHER = "teacher", _("Teacher and student")
    COLLEAGUE = "colleague", _("Same team or recent collaborator")
    INTEREST = "interest", _("Other interest")


class ProjectType(models.TextChoices):
    ACTIVITY = "activity", _("Science-popularization activity")
    WORK = "work", _("Science-popularization work or product")
    BASE = "base", _("Demonstration base")


class ProjectLevel(models.TextChoices):
    GENERAL = "general", pgettext_lazy("project level", "General")
    KEY = "key", pgettext_lazy("project level", "Key")
    MAJOR = "major", _("Major (decided case by case)")


# Caps per level (Chongqing's 实施细则: 一般 ≤10万, 重点 ≤30万, 重大 一事一议), in yuan.
LEVEL_CAPS = {ProjectLevel.GENERAL: Decimal(100_000), ProjectLevel.KEY: Decimal(300_000)}


class FundingMode(models.TextChoices):
    PREFUNDED = "prefunded", _("Funded in advance")
    AFTER = "after", _("Paid after the work (事后补助)")


class ProjectStatus(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("project status", "Approved")
    CONTRACTED = "contracted", pgettext_lazy("project status", "Under way")
    ACCEPTANCE = "acceptance", _("Awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("project status", "Accepted")
    FAILED = "failed", _("Failed acceptance")
    TERMINATED = "terminated", _("Terminated")


OPEN_PROJECT_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.ACCEPTANCE)


class BudgetCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    MATERIALS = "materials", pgettext_lazy("budget", "Materials")
    TRAVEL = "travel", _("Travel")
    MEETINGS = "meetings", _("Meetings")
    PUBLICATION = "publication", _("Publication and dissemination")
    TRAINING = "training", pgettext_lazy("budget", "Training")
    LABOUR = "labour", _("Labour")
    EXPERTS = "experts", _("Expert consultation")
    MANAGEMENT = "management", pgettext_lazy("budget", "Management")
    OTHER = "other", pgettext_lazy("budget", "Other")


class TargetKind(models.TextChoices):
    """The rows of the 项目支出绩效目标申报表."""

    OUTPUT = "output", _("Output")
    EFFECT = "effect", _("Effect")
    SATISFACTION = "satisfaction", _("Satisfaction")


class CheckKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term check")
    ACCEPTANCE = "acceptance", _("Acceptance")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FIX = "fix", _("To be rectified")
    FAILED = "failed", _("Failed")
