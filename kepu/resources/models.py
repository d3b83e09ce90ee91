"""The resource catalog (科普资源名录, seeds 001 四(四)3, 002 三(三)5, 000 (四), 003 (十九),
004 (6)): entries of seven types, classified for the key groups, topics and hazards;
applied for by units and individuals, checked for completeness, reviewed for scientific
accuracy by experts, published with a listing number and a review-by date, and managed
afterwards (suspended, withdrawn, renewed). Every change of content is a version: a
published entry stays up while its next version goes through review."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kepu.core.choices import KeyGroup, Topic
from kepu.resources import choices as c
from kepu.resources.accuracy import AccuracyReview
from kepu.resources.querysets import ResourceQuerySet, VersionQuerySet


class Resource(models.Model):
    """One catalog entry. Its content fields are the live content once published (before
    that, the content applied for); `versions` keep every submitted content."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resource_type = models.CharField(
        _("resource type"), max_length=10, choices=c.ResourceType.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
        help_text=_("Empty when an individual applied."),
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(pgettext_lazy("resource", "summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Separate with “、” or commas.")
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    is_emergency = models.BooleanField(
        _("in the emergency library"),
        default=False,
        help_text=_("Emergency science data and resources (应急科普资源库)."),
    )
    # places
    place_kind = models.CharField(
        _("kind of place"), max_length=16, choices=c.PlaceKind.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    booking_info = models.CharField(_("booking"), max_length=300, blank=True)
    # facilities, equipment and products
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    sharing_terms = models.CharField(_("how it is shared"), max_length=300, blank=True)
    # works
    work_kind = models.CharField(
        _("kind of work"), max_length=10, choices=c.WorkKind.choices, blank=True
    )
    authors = models.CharField(_("authors"), max_length=200, blank=True)
    publisher = models.CharField(_("publisher"), max_length=120, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    # natural heritage
    heritage_kind = models.CharField(
        _("kind of heritage"), max_length=12, choices=c.HeritageKind.choices, blank=True
    )
    scientific_name = models.CharField(_("scientific name"), max_length=120, blank=True)
    plain_description = models.TextField(
        _("plain-language description"),
        blank=True,
        help_text=_("What it is and why it matters, in words a pupil understands."),
    )
    # policy documents
    issuer = models.CharField(_("issuer"), max_length=120, blank=True)
    doc_number = models.CharField(
        pgettext_lazy("policy", "document number"), max_length=60, blank=True
    )
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    body = models.TextField(_("full text"), blank=True)
    # the life of the entry
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.ResourceStatus.choices,
        default=c.ResourceStatus.DRAFT,
        db_index=True,
    )
    listing_number = models.CharField(_("listing number"), max_length=24, blank=True, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    live_version = models.PositiveIntegerField(_("live version"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    # The entry's own text, then the owner unit's name: `search_text` indexes both, and
    # searches (and their one-character fallback) look in the same fields.
    TEXT_FIELDS = ["title", "summary", "keywords", "authors", "issuer", "body"]
    SEARCH_FIELDS = [*TEXT_FIELDS, "organization__name"]
    # On PostgreSQL search_text is also stored as a tsvector (`search_vector`, generated
    # by the database, see `core.search`).
    SEARCH_VECTOR = True
    # The content a version carries (tags travel beside them, see `services.content_of`).
    COMMON_FIELDS = ["title", "region", "summary", "description", "keywords", "url", "is_emergency"]
    TYPE_FIELDS = {
        c.ResourceType.PLACE: [
            "place_kind",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "capacity",
            "booking_info",
        ],
        c.ResourceType.FACILITY: ["specification", "quantity", "sharing_terms", "address"],
        c.ResourceType.PRODUCT: ["specification", "quantity", "sharing_terms"],
        c.ResourceType.WORK: [
            "work_kind",
            "authors",
            "publisher",
            "published_on",
            "duration_minutes",
        ],
        c.ResourceType.INFORMATION: ["publisher", "published_on"],
        c.ResourceType.HERITAGE: [
            "heritage_kind",
            "scientific_name",
            "plain_description",
            "address",
            "latitude",
            "longitude",
        ],
        c.ResourceType.POLICY: ["issuer", "doc_number", "issued_on", "body"],
    }
    # What must be filled for the type (checked when the version is submitted).
    REQUIRED_FIELDS = {
        c.ResourceType.PLACE: ["place_kind", "address"],
        c.ResourceType.FACILITY: ["specification"],
        c.ResourceType.PRODUCT: ["specification"],
        c.ResourceType.WORK: ["work_kind", "authors"],
        c.ResourceType.INFORMATION: [],
        c.ResourceType.HERITAGE: ["heritage_kind", "plain_description"],
        c.ResourceType.POLICY: ["issuer", "issued_on", "body"],
    }
    CONTENT_FIELDS = list(
        dict.fromkeys([*COMMON_FIELDS, *(f for fs in TYPE_FIELDS.values() for f in fs)])
    )
    AUDIT_FIELDS = [
        "resource_type",
        "title",
        "organization",
        "region",
        "is_emergency",
        "status",
        "listing_number",
        "review_by",
        "live_version",
    ]

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["status", "resource_type"], name="resource_status_type"),
            models.Index(fields=["status", "review_by"], name="resource_review_by"),
            # The back-office list's order, province-wide and within a region's entries.
            models.Index(fields=["-updated_at", "-id"], name="resource_updated"),
            models.Index(fields=["region", "-updated_at", "-id"], name="resource_region_updated"),
            # The public catalog's order (newest first) over the published entries, and
            # the emergency library's (a published entry always has its date).
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="resource_public_newest",
            ),
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published", is_emergency=True),
                name="resource_emergency_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=c.ResourceStatus.values), name="resource_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(resource_type__in=c.ResourceType.values),
                name="resource_type_valid",
            ),
            models.UniqueConstraint(
                fields=["listing_number"],
                condition=~Q(listing_number=""),
                name="resource_listing_number_unique",
            ),
        ]

    def __str__(self):
        return self.title

    def type_fields(self) -> list[str]:
        return self.TYPE_FIELDS.get(self.resource_type, [])

    @property
    def is_public(self) -> bool:
        return self.status == c.ResourceStatus.PUBLISHED

    @property
    def review_overdue(self) -> bool:
        return (
            self.status == c.ResourceStatus.PUBLISHED
            and self.review_by is not None
            and self.review_by < timezone.localdate()
        )

    def codes(self, kind) -> list[str]:
        return [t.code for t in self.tags.all() if t.kind == kind]

    def group_labels(self) -> list[str]:
        return [KeyGroup(code).label for code in self.codes(c.TagKind.GROUP)]

    def topic_labels(self) -> list[str]:
        return [Topic(code).label for code in self.codes(c.TagKind.TOPIC)]

    def hazard_labels(self) -> list[str]:
        return [Topic(code).label for code in self.codes(c.TagKind.HAZARD)]

    def open_version(self):
        """The version in the workflow (draft, submitted, in review or returned), if any."""
        return self.versions.filter(status__in=c.OPEN_VERSION_STATUSES).first()

    def owner_label(self) -> str:
        """Who offers the resource, as the public sees it (an individual is not named;
        a policy document without a unit is offered by its issuer)."""
        if self.organization_id:
            return self.organization.name
        if self.resource_type == c.ResourceType.POLICY and self.issuer:
            return self.issuer
        return str(_("Individual applicant"))


class ResourceTag(models.Model):
    """A key group, topic or hazard of an entry (several of each; counted in SQL)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=8, choices=c.TagKind.choices)
    code = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "kind", "code"], name="resource_tag_once")
        ]
        indexes = [models.Index(fields=["kind", "code", "resource"], name="resource_tag_code")]


class ResourceVersion(models.Model):
    """One submitted content of an entry (`data`: the content fields and tags as plain
    values). The first version is the application; later ones are edits of the
    published entry. The one approved last is the live content."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=c.VersionStatus.choices,
        default=c.VersionStatus.DRAFT,
        db_index=True,
    )
    note = models.TextField(_("note to the reviewers"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(  # four-eyes: never its approver (kepu.core.workflow)
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("comments to the applicant"), blank=True)

    objects = VersionQuerySet.as_manager()

    AUDIT_FIELDS = ["resource", "number", "status"]

    class Meta:
        ordering = ["resource_id", "-number"]
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_once"),
            # One version in the workflow at a time: a second edit goes into the first.
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(status__in=c.OPEN_VERSION_STATUSES),
                name="resource_one_open_version",
            ),
            models.CheckConstraint(
                condition=Q(status__in=c.VersionStatus.values), name="resource_version_status"
            ),
        ]

    def __str__(self):
        return f"{self.resource} · v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in c.EDITABLE_VERSION_STATUSES


class ReviewAssignment(AccuracyReview):
    """An expert asked to review one version for scientific accuracy (科学性审核), and
    the structured review they file (the fields shared with other expert reviews are in
    `kepu.resources.accuracy.AccuracyReview`)."""

    version = models.ForeignKey(
        ResourceVersion, on_delete=models.CASCADE, related_name="assignments"
    )
    pool = models.ForeignKey(
        "people.ExpertPool",
        verbose_name=_("expert pool"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    AUDIT_FIELDS = [
        "version",
        "reviewer",
        "facts_correct",
        "sources_reliable",
        "fits_audience",
        "verdict",
    ]

    class Meta:
        ordering = ["version_id", "assigned_at", "pk"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "reviewer"],
                name="resource_review_once",
                violation_error_message=_("This expert already reviews this version."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(verdict=""),
                name="resource_review_has_verdict",
            ),
        ]

    def __str__(self):
        return f"{self.version} · {self.reviewer.name}"


def _attachment_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"resources/{instance.resource_id}/{uuid.uuid4().hex}.{ext}"


def _thumbnail_path(instance, filename):
    return f"resources/{instance.resource_id}/thumbs/{uuid.uuid4().hex}.jpg"


class ResourceAttachment(models.Model):
    """An image, PDF or video of an entry, checked by content. Files added while an edit
    is under review go live when that version is published."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="attachments")
    version = models.ForeignKey(
        ResourceVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=c.AttachmentKind.choices)
    file = models.FileField(upload_to=_attachment_path)
    thumbnail = models.FileField(upload_to=_thumbnail_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    is_live = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    AUDIT_FIELDS = ["resource", "kind", "original_name", "content_type", "size", "is_live"]

    class Meta:
        ordering = ["resource_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    @property
    def thumbnail_name(self) -> str:
        return self.original_name.rsplit(".", 1)[0] + ".jpg"


class ResourceEvent(models.Model):
    """One step in the timeline of an entry (beside the audit trail)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(
        ResourceVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=c.EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("resource event")
        verbose_name_plural = _("resource events")
