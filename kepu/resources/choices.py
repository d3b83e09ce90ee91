"""Choices of the resource catalog (科普资源名录, seed 001 四(四)3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import Topic
from kepu.resources import accuracy


class ResourceType(models.TextChoices):
    PLACE = "place", _("Place or venue")
    FACILITY = "facility", _("Facility or equipment")
    PRODUCT = "product", _("Product")
    WORK = "work", _("Work")
    INFORMATION = "info", _("Information")
    HERITAGE = "heritage", _("Natural heritage")
    POLICY = "policy", _("Policy document")


class PlaceKind(models.TextChoices):
    SCIENCE_MUSEUM = "sciencemuseum", _("Science and technology museum")
    MUSEUM = "museum", _("Museum")
    BASE = "base", _("Science education base")
    BOTANICAL = "botanical", _("Botanical garden")
    ZOO = "zoo", _("Zoo or aquarium")
    LABORATORY = "lab", _("Open laboratory")
    PARK = "park", _("Science park")
    OBSERVATORY = "observatory", _("Observatory or planetarium")
    OTHER = "other", _("Other place")


class WorkKind(models.TextChoices):
    BOOK = "book", _("Book")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")
    EXHIBIT = "exhibit", _("Exhibit")
    COURSE = "course", _("Course")
    GAME = "game", _("Game")
    OTHER = "other", _("Other work")


class HeritageKind(models.TextChoices):
    SPECIES = "species", _("Species")
    MINERAL = "mineral", _("Mineral")
    GEOLOGICAL = "geological", _("Geological relic")


class ResourceStatus(models.TextChoices):
    """The life of the entry in the catalog. The content under review is a version (see
    VersionStatus): a published entry stays up while its next version is reviewed."""

    DRAFT = "draft", _("Not yet published")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Not listed")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting completeness check")
    IN_REVIEW = "in_review", _("In scientific review")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# A version in one of these is the entry's open version (at most one per entry).
OPEN_VERSION_STATUSES = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.IN_REVIEW,
    VersionStatus.RETURNED,
)
EDITABLE_VERSION_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)


Verdict = accuracy.Verdict  # shared with the other registries reviewed by experts


class Decision(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    RETURN = "return", _("Return for revision")
    REJECT = "reject", _("Reject")


class TagKind(models.TextChoices):
    GROUP = "group", _("Key group")
    TOPIC = "topic", _("Topic")
    HAZARD = "hazard", _("Hazard type")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")
    VIDEO = "video", _("Video")


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Complete; sent to expert review")
    INCOMPLETE = "incomplete", _("Returned as incomplete")
    REVIEWED = "reviewed", _("Expert review filed")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Reinstated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RENEWED = "renewed", _("Review-by date renewed")
    REMINDED = "reminded", _("Review reminder sent")


# Hazard types of the emergency library (002 三(三)5): the hazard topics.
HAZARDS = [
    Topic.EPIDEMIC,
    Topic.EARTHQUAKE,
    Topic.FLOOD,
    Topic.GEOHAZARD,
    Topic.FIRE,
    Topic.METEOROLOGY,
    Topic.CHEMICAL,
    Topic.FOOD_SAFETY,
    Topic.NUCLEAR,
]
HAZARD_CHOICES = [(h.value, h.label) for h in HAZARDS]

# Listing-number letter of each type.
TYPE_LETTER = {
    ResourceType.PLACE: "C",
    ResourceType.FACILITY: "S",
    ResourceType.PRODUCT: "P",
    ResourceType.WORK: "Z",
    ResourceType.INFORMATION: "X",
    ResourceType.HERITAGE: "Y",
    ResourceType.POLICY: "F",
}
