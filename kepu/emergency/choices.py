"""Choices of emergency science communication (应急科普): incident levels and states,
the expert group, the last-mile push and the rumour-rebuttal flow."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.choices import Topic
from kepu.resources.choices import HAZARD_CHOICES, HAZARDS  # noqa: F401  (one hazard list)


class Level(models.IntegerChoices):
    """The four severity levels of 《国家突发公共事件总体应急预案》; Ⅰ is the highest
    (red warning), Ⅳ the lowest (blue)."""

    I = 1, _("Level I (extremely serious)")  # noqa: E741
    II = 2, _("Level II (serious)")
    III = 3, _("Level III (relatively serious)")
    IV = 4, _("Level IV (general)")


# The warning colour of each level (red = Ⅰ; some mirror sites reverse them).
LEVEL_COLOUR = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}

# Who may activate: levels Ⅰ and Ⅱ only an officer of a province; Ⅲ and Ⅳ an officer of
# a province or a city (RegionLevel values). Counties take part but do not activate.
ACTIVATING_LEVELS = {1: (1,), 2: (1,), 3: (1, 2), 4: (1, 2)}

# Size of the proposed expert group by incident level.
GROUP_SIZE = {1: 9, 2: 7, 3: 5, 4: 3}


class IncidentStatus(models.TextChoices):
    ACTIVATED = "activated", _("Activated")
    RESPONDING = "responding", _("Responding")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (IncidentStatus.ACTIVATED, IncidentStatus.RESPONDING)


class MemberStatus(models.TextChoices):
    """An expert of the group: proposed by the system, confirmed (invited) by the officer,
    then accepted or declined by the expert; an officer may withdraw a proposal."""

    PROPOSED = "proposed", pgettext_lazy("expert group", "Proposed")
    INVITED = "invited", pgettext_lazy("expert group", "Invited")
    ACCEPTED = "accepted", pgettext_lazy("expert group", "Accepted")
    DECLINED = "declined", pgettext_lazy("expert group", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("expert group", "Withdrawn")


# The members that count as the expert's current load.
BUSY_STATUSES = (MemberStatus.INVITED, MemberStatus.ACCEPTED)


class Via(models.TextChoices):
    """How an answer reached the platform: the person's own account, or an officer who
    recorded it after a phone call (audited with the officer's name)."""

    SELF = "self", _("By the person")
    OFFICER = "officer", _("Recorded by an officer")


class Channel(models.TextChoices):
    """The last-mile channels of a push."""

    TEAM = "team", _("Volunteer teams")
    INFO_OFFICER = "info_officer", _("Information officers")
    COMMUNITY = "community", _("Communities and villages")
    MEMBER_UNIT = "member_unit", _("Member units")


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DELIVERING = "delivering", _("Delivering")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class RumorSource(models.TextChoices):
    OFFICER = "officer", _("Officer")
    INFO_OFFICER = "info_officer", _("Information officer")
    PUBLIC = "public", _("Public report")


class RumorStatus(models.TextChoices):
    """线索 → 辟谣: a lead is triaged, then rebutted (or set aside)."""

    NEW = "new", _("New lead")
    NEEDS_REBUTTAL = "needs_rebuttal", _("Needs a rebuttal")
    DUPLICATE = "duplicate", _("Duplicate")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    REBUTTED = "rebutted", _("Rebutted")


class TriageDecision(models.TextChoices):
    NEEDS_REBUTTAL = "needs_rebuttal", _("Needs a rebuttal")
    DUPLICATE = "duplicate", _("Duplicate of another lead")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class RebuttalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In expert review")
    APPROVED = "approved", _("Approved by the experts")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    CHANGES = "changes", _("Changes requested")


# Hours an expert has to review a rebuttal (the deadline is in hours, not working days).
DEFAULT_REVIEW_HOURS = 4

TOPIC_CHOICES = Topic.choices

# The shared-cache tag of every public emergency page (incident pages, the rebuttal
# library, the feeds): bumped by each service that changes something they show.
PUBLIC_TAG = "emergency"
