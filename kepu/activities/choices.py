"""Constants of activities and campaigns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    SCIENCE_DAY = "science_day", _("National Science Popularization Day")
    TECH_WEEK = "tech_week", _("National Science and Technology Week")
    SCIENCE_WEEK = "science_week", _("Provincial science popularization week")
    THEME_DAY = "theme_day", _("Theme day")
    BRAND = "brand", _("Brand activity")
    OTHER = "other", _("Other campaign")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    EXHIBITION = "exhibition", _("Exhibition")
    CONTEST = "contest", _("Contest")
    OPEN_DAY = "open_day", _("Open day")
    SHOW = "show", _("Science show")
    LIVE = "live", _("Online live stream")
    TOUR_STOP = "tour_stop", _("Mobile exhibition stop")
    LAB_OPEN = "lab_open", _("Laboratory open day")
    TRAINING = "training", _("Training")
    FIELD_TRIP = "field_trip", _("Field trip")
    OTHER = "other", _("Other activity")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Approved and published")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


EDITABLE_STATUSES = (ActivityStatus.DRAFT, ActivityStatus.RETURNED)
# Statuses in which an activity occupies its mobile facility's calendar.
LIVE_STATUSES = (
    ActivityStatus.DRAFT,
    ActivityStatus.SUBMITTED,
    ActivityStatus.RETURNED,
    ActivityStatus.PUBLISHED,
)


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")


class TagKind(models.TextChoices):
    GROUP = "group", _("Key group")
    TOPIC = "topic", _("Topic")


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class FacilityKind(models.TextChoices):
    CARAVAN = "caravan", _("Science caravan")
    MOBILE_MUSEUM = "mobile_museum", _("Mobile science museum")
    OTHER = "other", _("Other mobile facility")
