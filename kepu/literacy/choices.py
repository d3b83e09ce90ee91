"""Choices and constants of science-literacy monitoring (no scattered literals)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstrumentKind(models.TextChoices):
    SCORED = "scored", _("Scored test")
    OPINION = "opinion", _("Opinion questionnaire")


class ItemKind(models.TextChoices):
    TRUE_FALSE = "tf", _("True or false")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    LIKERT = "likert", _("Rating scale")


SCORED_ITEM_KINDS = (ItemKind.TRUE_FALSE, ItemKind.SINGLE, ItemKind.MULTIPLE)


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("item status", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("item status", "In accuracy review")
    APPROVED = "approved", pgettext_lazy("item status", "Approved")
    RETIRED = "retired", pgettext_lazy("item status", "Retired")


USABLE_ITEM_STATUSES = (ItemStatus.APPROVED,)


class RoundKind(models.TextChoices):
    LITERACY = "literacy", _("Science-literacy survey")
    SATISFACTION = "satisfaction", _("Satisfaction and participation survey")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round status", "Being prepared")
    OPEN = "open", pgettext_lazy("round status", "In the field")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")
    ESTIMATED = "estimated", pgettext_lazy("round status", "Estimated")
    PUBLISHED = "published", pgettext_lazy("round status", "Published")


ROUND_FLOW = [
    RoundStatus.DRAFT,
    RoundStatus.OPEN,
    RoundStatus.CLOSED,
    RoundStatus.ESTIMATED,
    RoundStatus.PUBLISHED,
]
PUBLIC_ROUND_STATUSES = (RoundStatus.PUBLISHED,)


class Allocation(models.TextChoices):
    PROPORTIONAL = "proportional", _("Proportional to population")
    NEYMAN = "neyman", _("Neyman (optimal)")
    EQUAL = "equal", _("Equal per stratum")


class AreaType(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class AgeBand(models.TextChoices):
    A18 = "18-29", "18–29"
    A30 = "30-39", "30–39"
    A40 = "40-49", "40–49"
    A50 = "50-59", "50–59"
    A60 = "60-69", "60–69"


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or less")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree or above")


class Occupation(models.TextChoices):
    FARMER = "farmer", _("Farming")
    WORKER = "worker", _("Industrial work")
    SERVICE = "service", _("Commerce and services")
    PROFESSIONAL = "professional", _("Professional and technical")
    PUBLIC = "public", _("Public administration")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other or none")


class KeyGroup(models.TextChoices):
    """The 纲要's key groups (重点人群)."""

    NONE = "", _("None of these")
    YOUTH = "youth", _("Young people")
    FARMERS = "farmers", _("Farmers")
    WORKERS = "workers", _("Industrial workers")
    ELDERLY = "elderly", _("Older people")
    CADRES = "cadres", _("Civil servants and cadres")


class Mode(models.TextChoices):
    SELF = "self", _("Self-completed (link or QR code)")
    INTERVIEWER = "interviewer", _("Interviewer on a phone")


class Quality(models.TextChoices):
    VALID = "valid", pgettext_lazy("response quality", "Valid")
    FLAGGED = "flagged", pgettext_lazy("response quality", "Flagged")
    EXCLUDED = "excluded", pgettext_lazy("response quality", "Excluded")


class QualityFlag(models.TextChoices):
    SPEEDER = "speeder", _("Answered too fast")
    STRAIGHT_LINE = "straightline", _("Same answer throughout")
    DUPLICATE_DEVICE = "device", _("Second response from the same device")
    OUT_OF_QUOTA = "quota", _("Stratum quota already met")
    OUT_OF_POPULATION = "population", _("Outside the survey population")


class Tier(models.TextChoices):
    """The 2024 national grading (≥85, ≥70, ≥55, below)."""

    ADVANCED = "advanced", _("Advanced scientific literacy")
    LITERATE = "literate", _("Scientifically literate")
    BASIC = "basic", _("Basically literate")
    LOW = "low", _("Lower literacy")


class Measure(models.TextChoices):
    LITERATE = "literate", _("Share scientifically literate")
    MEAN = "mean", _("Mean score")
    SATISFACTION = "satisfaction", _("Mean satisfaction")


class Method(models.TextChoices):
    TAYLOR = "taylor", _("Direct, Taylor linearization")
    JACKKNIFE = "jackknife", _("Direct, jackknife replicates")
    BOOTSTRAP = "bootstrap", _("Direct, bootstrap replicates")
    FAY_HERRIOT = "fh", _("Model-based, Fay–Herriot")


class GroupVar(models.TextChoices):
    ALL = "all", _("Everyone")
    SEX = "sex", _("Sex")
    AGE = "age_band", _("Age")
    EDUCATION = "education", _("Education")
    AREA = "area", _("Urban or rural")
    OCCUPATION = "occupation", _("Occupation")
    KEY_GROUP = "key_group", _("Key group")


class MarginVar(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE = "age_band", _("Age")
    AREA = "area", _("Urban or rural")
    EDUCATION = "education", _("Education")


class Normalization(models.TextChoices):
    MINMAX = "minmax", _("Min–max to 0–100")
    ZSCORE = "zscore", _("Z-score")


class Weighting(models.TextChoices):
    EXPERT = "expert", _("Set by experts")
    CV = "cv", _("Coefficient of variation")
    ENTROPY = "entropy", _("Entropy")


class RunStatus(models.TextChoices):
    OK = "ok", _("Estimated")
    WARNING = "warning", _("Estimated with warnings")
