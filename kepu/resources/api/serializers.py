"""Serializers of the catalog API. Content is written through the services (one validation
path: the serializers type the fields, the services judge the content); what is read
leaves out everything personal about applicants: an entry is owned by a unit (id and
name) or by an "individual", never by a named account."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kepu.core.choices import KeyGroup, Topic
from kepu.core.models import Organization, Region
from kepu.core.scope import visible_to
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.models import Resource, ResourceAttachment, ResourceVersion, ReviewAssignment

TAGS = ["groups", "topics", "hazards"]
# Stages of the workflow an entry can be at (its open version's status).
STAGE_CHOICES = [(s.value, s.label) for s in c.OPEN_VERSION_STATUSES]
_MANAGE_LABELS = {
    "suspend": _("Suspend"),
    "reinstate": _("Reinstate"),
    "withdraw": _("Withdraw"),
    "renew": _("Renew the review-by date"),
}
# Every action of the service, labelled (a new action without a label fails at import).
MANAGE_ACTION_CHOICES = [(action, _MANAGE_LABELS[action]) for action in services.MANAGE_ACTIONS]
OWNER_KINDS = [("unit", _("Unit")), ("individual", _("Individual"))]


def _user(serializer):
    request = serializer.context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return request.user


# --- shared parts -----------------------------------------------------------------------


class ResourceOwnerSerializer(serializers.Serializer):
    """Who offers the resource: a unit (its id and name) or an individual, not named."""

    kind = serializers.ChoiceField(choices=OWNER_KINDS, read_only=True)
    id = serializers.IntegerField(allow_null=True, read_only=True)
    name = serializers.CharField(read_only=True)

    def to_representation(self, resource):
        if resource.organization_id:
            return {
                "kind": "unit",
                "id": resource.organization_id,
                "name": resource.organization.name,
            }
        return {"kind": "individual", "id": None, "name": resource.owner_label()}


class ResourceTagSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=c.TagKind.choices, read_only=True)
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


_TAG_LABELS = {
    c.TagKind.GROUP: dict(KeyGroup.choices),
    c.TagKind.TOPIC: dict(Topic.choices),
    c.TagKind.HAZARD: dict(Topic.choices),
}


class TaggedMixin(serializers.Serializer):
    """The entry's key groups, topics and hazards as codes (the shape they are written
    in), from the prefetched tags."""

    groups = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    hazards = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(KeyGroup.choices)))
    def get_groups(self, resource):
        return sorted(resource.codes(c.TagKind.GROUP))

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Topic.choices)))
    def get_topics(self, resource):
        return sorted(resource.codes(c.TagKind.TOPIC))

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(c.HAZARD_CHOICES)))
    def get_hazards(self, resource):
        return sorted(resource.codes(c.TagKind.HAZARD))


def _tags(resource) -> list[dict]:
    return [
        {"kind": t.kind, "code": t.code, "label": str(_TAG_LABELS[t.kind].get(t.code, t.code))}
        for t in sorted(resource.tags.all(), key=lambda t: (t.kind, t.code))
    ]


# Content fields beyond the list's: the description and every type's own fields (empty
# where they do not belong to the entry's type).
DETAIL_CONTENT_FIELDS = [
    name
    for name in Resource.CONTENT_FIELDS
    if name not in ("title", "region", "summary", "is_emergency")
]


# --- back office: entries ---------------------------------------------------------------


class ResourceSerializer(TaggedMixin, serializers.ModelSerializer):
    """An entry as the back office lists it. `stage` is the status of the version in the
    workflow (empty when none is open)."""

    resource_type_display = serializers.CharField(
        source="get_resource_type_display", read_only=True
    )
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    owner = ResourceOwnerSerializer(source="*", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stage = serializers.SerializerMethodField()
    review_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "uid",
            "resource_type",
            "resource_type_display",
            "title",
            "summary",
            "region",
            "region_name",
            "owner",
            "is_emergency",
            "groups",
            "topics",
            "hazards",
            "status",
            "status_display",
            "stage",
            "listing_number",
            "published_at",
            "review_by",
            "review_overdue",
            "live_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=[("", "-"), *STAGE_CHOICES], allow_blank=True)
    )
    def get_stage(self, resource) -> str:
        version = _open_version(resource)
        return version.status if version is not None else ""


def _open_version(resource):
    """The open version, from the `open_versions` prefetch when there is one."""
    if hasattr(resource, "open_versions"):
        return resource.open_versions[0] if resource.open_versions else None
    return resource.open_version()


class ResourceAttachmentSerializer(serializers.ModelSerializer):
    """A file of the entry; `url` and `thumbnail_url` download it in the back office
    (signed in, same scope). `is_live`: public with the published content."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ResourceAttachment
        fields = [
            "id",
            "kind",
            "kind_display",
            "original_name",
            "content_type",
            "size",
            "caption",
            "is_live",
            "version",
            "uploaded_at",
            "url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse(
            "resources:attachment_download",
            kwargs={"pk": attachment.resource_id, "file_pk": attachment.pk},
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, attachment):
        if not attachment.thumbnail:
            return None
        return reverse(
            "resources:attachment_thumbnail",
            kwargs={"pk": attachment.resource_id, "file_pk": attachment.pk},
        )


class ResourceReviewSummarySerializer(serializers.ModelSerializer):
    """An expert's review as the deciding officers see it."""

    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True)
    pool_name = serializers.CharField(source="pool.name", read_only=True, allow_null=True)
    verdict_display = serializers.CharField(source="get_verdict_display", read_only=True)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "reviewer_name",
            "pool_name",
            "assigned_at",
            "due_date",
            "submitted_at",
            "verdict",
            "verdict_display",
            "facts_correct",
            "sources_reliable",
            "fits_audience",
            "comments",
        ]
        read_only_fields = fields


class ResourceOpenVersionSerializer(serializers.ModelSerializer):
    """The version in the workflow: its content (`data`, plain JSON), what it still lacks
    (`missing`, labels of required fields) and, for the officers who decide, the experts'
    reviews."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    data = serializers.JSONField(read_only=True)
    missing = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()

    class Meta:
        model = ResourceVersion
        fields = [
            "number",
            "status",
            "status_display",
            "note",
            "decision_note",
            "created_at",
            "submitted_at",
            "checked_at",
            "data",
            "missing",
            "reviews",
        ]
        read_only_fields = fields

    def get_missing(self, version) -> list[str]:
        return services.missing_fields(
            version.resource.resource_type, services.from_data(version.data)
        )

    @extend_schema_field(ResourceReviewSummarySerializer(many=True))
    def get_reviews(self, version):
        if not self.context.get("show_reviews"):
            return []
        assignments = version.assignments.select_related("reviewer", "pool")
        return ResourceReviewSummarySerializer(assignments, many=True).data


class ResourceDetailSerializer(ResourceSerializer):
    """The entry with its live content (before the first publication: the content
    applied for), labelled tags, the open version and the files."""

    tags = serializers.SerializerMethodField()
    open_version = serializers.SerializerMethodField()
    attachments = ResourceAttachmentSerializer(many=True, read_only=True)

    class Meta(ResourceSerializer.Meta):
        fields = [
            *ResourceSerializer.Meta.fields,
            *DETAIL_CONTENT_FIELDS,
            "status_reason",
            "tags",
            "open_version",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(ResourceTagSerializer(many=True))
    def get_tags(self, resource):
        return _tags(resource)

    @extend_schema_field(ResourceOpenVersionSerializer(allow_null=True))
    def get_open_version(self, resource):
        version = _open_version(resource)
        if version is None:
            return None
        return ResourceOpenVersionSerializer(version, context=self.context).data


# --- back office: writing ---------------------------------------------------------------


def _tag_field(choices):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, max_length=50
    )


class ResourceContentSerializer(serializers.ModelSerializer):
    """The content of an entry: the common fields, the fields of its type (others are
    ignored), the key groups (at least one), topics and hazards (an emergency-library
    resource names its hazards), and a note to the reviewers. `region` is a region code."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    groups = _tag_field(KeyGroup.choices)
    topics = _tag_field(Topic.choices)
    hazards = _tag_field(c.HAZARD_CHOICES)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Note to the reviewers.")
    )

    class Meta:
        model = Resource
        fields = [*Resource.CONTENT_FIELDS, *TAGS, "note"]
        # The services check the rules (one validation path).
        validators = []

    def content(self) -> dict:
        """The content dict of the services: the fields given (a PATCH changes only
        those), tag lists as given."""
        data = self.validated_data
        return {name: data[name] for name in [*Resource.CONTENT_FIELDS, *TAGS] if name in data}


class ResourceCreateSerializer(ResourceContentSerializer):
    """A new entry of `resource_type`, owned by a unit (`organization`, an id; leave it
    out when applying as an individual), saved as a draft or `submit`ted at once."""

    resource_type = serializers.ChoiceField(choices=c.ResourceType.choices)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )
    submit = serializers.BooleanField(required=False, default=False)

    class Meta(ResourceContentSerializer.Meta):
        fields = ["resource_type", "organization", *ResourceContentSerializer.Meta.fields, "submit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["organization"].queryset = visible_to(user, Organization)


class ResourceUpdateResultSerializer(serializers.Serializer):
    """What a change made: the version it went into and whether it waits for review
    before it goes live (an edit of a listed entry), with the entry as it stands."""

    version = serializers.IntegerField()
    version_status = serializers.ChoiceField(choices=c.VersionStatus.choices)
    pending_review = serializers.BooleanField()
    resource = ResourceDetailSerializer()


class ResourceSubmitSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ResourceCheckSerializer(serializers.Serializer):
    """The completeness check: complete sends the version to the chosen experts (pool
    membership ids among the `candidates`), incomplete returns it with the note."""

    complete = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    reviewers = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=20
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ResourceDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=c.Decision.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ResourceManageSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=MANAGE_ACTION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ResourceVersionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_live = serializers.SerializerMethodField()

    class Meta:
        model = ResourceVersion
        fields = [
            "number",
            "status",
            "status_display",
            "is_live",
            "note",
            "decision_note",
            "created_at",
            "submitted_at",
            "checked_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_is_live(self, version) -> bool:
        return version.number == version.resource.live_version


class ResourceDiffRowSerializer(serializers.Serializer):
    """One changed field: its label, the old and new text, and for long texts a line
    diff (pairs of "-", "+" or " " and the line)."""

    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    lines = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    )


class ResourceVersionDiffSerializer(serializers.Serializer):
    """What version `number` changes against the version published before it (against
    nothing for the first application)."""

    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=c.VersionStatus.choices)
    rows = ResourceDiffRowSerializer(many=True)


class ReviewerCandidateSerializer(serializers.Serializer):
    """An expert who may review the entry (a pool membership), best first."""

    id = serializers.IntegerField(help_text=_("Pool membership id (what `check` takes)."))
    person_name = serializers.CharField(source="person.name")
    pool = serializers.IntegerField(source="pool_id")
    pool_name = serializers.CharField(source="pool.name")
    organization_name = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    topic_match = serializers.IntegerField(
        help_text=_("How many of the entry's topics and hazards the expert covers.")
    )
    open_reviews = serializers.IntegerField(help_text=_("Reviews the expert has yet to file."))

    def get_organization_name(self, membership) -> str:
        organization = membership.person.organization
        return organization.name if organization is not None else ""

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Topic.choices)))
    def get_topics(self, membership):
        return sorted(t.topic for t in membership.topics.all())


# --- experts ----------------------------------------------------------------------------


class ResourceReviewSerializer(serializers.ModelSerializer):
    """A review the signed-in expert was asked for: the entry, the version, the due
    date and the review once filed. `can_file`: it waits for the review."""

    resource = serializers.IntegerField(source="version.resource_id", read_only=True)
    resource_title = serializers.CharField(source="version.resource.title", read_only=True)
    resource_type = serializers.ChoiceField(
        source="version.resource.resource_type", choices=c.ResourceType.choices, read_only=True
    )
    region_name = serializers.CharField(source="version.resource.region.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    version_status = serializers.ChoiceField(
        source="version.status", choices=c.VersionStatus.choices, read_only=True
    )
    pool_name = serializers.CharField(source="pool.name", read_only=True, allow_null=True)
    verdict_display = serializers.CharField(source="get_verdict_display", read_only=True)
    can_file = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "resource",
            "resource_title",
            "resource_type",
            "region_name",
            "version",
            "version_status",
            "pool_name",
            "assigned_at",
            "due_date",
            "can_file",
            "submitted_at",
            "verdict",
            "verdict_display",
            "facts_correct",
            "sources_reliable",
            "fits_audience",
            "comments",
        ]
        read_only_fields = fields

    def get_can_file(self, assignment) -> bool:
        return (
            assignment.submitted_at is None
            and assignment.version.status == c.VersionStatus.IN_REVIEW
        )


class ResourceReviewDetailSerializer(ResourceReviewSerializer):
    """The review with what is to be reviewed: the version's content (plain JSON, codes
    as stored), the applicant's note and what it changes against the content published
    before (everything, for a first application). Other experts' reviews are not shown."""

    owner_name = serializers.CharField(source="version.resource.owner_label", read_only=True)
    note = serializers.CharField(source="version.note", read_only=True)
    content = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta(ResourceReviewSerializer.Meta):
        fields = [*ResourceReviewSerializer.Meta.fields, "owner_name", "note", "content", "changes"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, assignment):
        return assignment.version.data

    @extend_schema_field(ResourceDiffRowSerializer(many=True))
    def get_changes(self, assignment):
        version = assignment.version
        return services.version_diff(services.previous_data(version), version.data)


class ResourceReviewFileSerializer(serializers.Serializer):
    """The structured review: the three checks, the verdict, and comments (required
    unless the verdict is "accurate")."""

    verdict = serializers.ChoiceField(choices=c.Verdict.choices)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    facts_correct = serializers.BooleanField()
    sources_reliable = serializers.BooleanField()
    fits_audience = serializers.BooleanField()


# --- the public catalog -----------------------------------------------------------------


def _live_attachments(resource) -> list:
    if hasattr(resource, "live_attachments"):
        return resource.live_attachments
    return [a for a in resource.attachments.all() if a.is_live]


class PublicResourceAttachmentSerializer(serializers.ModelSerializer):
    """A published file; `url` and `thumbnail_url` are public."""

    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ResourceAttachment
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "caption",
            "url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse(
            "resources:public_file",
            kwargs={"uid": attachment.resource.uid, "file_pk": attachment.pk},
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, attachment):
        if not attachment.thumbnail:
            return None
        return reverse(
            "resources:public_thumbnail",
            kwargs={"uid": attachment.resource.uid, "file_pk": attachment.pk},
        )


class PublicResourceSerializer(TaggedMixin, serializers.ModelSerializer):
    """A published entry as open data (no personal data: the owner is a unit's name or
    "individual"). `thumbnail_url`: the first published image's thumbnail."""

    resource_type_display = serializers.CharField(
        source="get_resource_type_display", read_only=True
    )
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    owner_name = serializers.CharField(source="owner_label", read_only=True)
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "uid",
            "listing_number",
            "resource_type",
            "resource_type_display",
            "title",
            "summary",
            "region",
            "region_name",
            "owner_name",
            "is_emergency",
            "groups",
            "topics",
            "hazards",
            "published_at",
            "review_by",
            "thumbnail_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, resource):
        for attachment in _live_attachments(resource):
            if attachment.thumbnail:
                return reverse(
                    "resources:public_thumbnail",
                    kwargs={"uid": resource.uid, "file_pk": attachment.pk},
                )
        return None


class PublicResourceDetailSerializer(PublicResourceSerializer):
    """The published content in full, its labelled tags and its published files."""

    tags = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(PublicResourceSerializer.Meta):
        fields = [
            *PublicResourceSerializer.Meta.fields,
            *DETAIL_CONTENT_FIELDS,
            "updated_at",
            "tags",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(ResourceTagSerializer(many=True))
    def get_tags(self, resource):
        return _tags(resource)

    @extend_schema_field(PublicResourceAttachmentSerializer(many=True))
    def get_attachments(self, resource):
        return PublicResourceAttachmentSerializer(_live_attachments(resource), many=True).data


class CatalogFacetSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CatalogFacetRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CatalogFacetsSerializer(serializers.Serializer):
    """Published entries matching the filters, counted by type, key group, topic, hazard
    and region (the parts of the `region` filtered on; without one, of the region all
    the entries lie in)."""

    count = serializers.IntegerField()
    types = CatalogFacetSerializer(many=True)
    groups = CatalogFacetSerializer(many=True)
    topics = CatalogFacetSerializer(many=True)
    hazards = CatalogFacetSerializer(many=True)
    region = CatalogFacetRegionSerializer(allow_null=True)
    regions = CatalogFacetSerializer(many=True)
