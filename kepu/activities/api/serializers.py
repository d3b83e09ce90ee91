from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from kepu.activities import choices as c
from kepu.activities.models import Activity, ActivityReport, Campaign, MobileFacility, SignUp
from kepu.activities.permissions import bookable_facilities, placement_regions
from kepu.core.api.serializers import narrow_to_scope
from kepu.core.choices import KeyGroup, Topic
from kepu.core.models import Organization, Region
from kepu.core.scope import visible_to
from kepu.core.validators import normalize_credit_code


class OrganizationRefField(serializers.PrimaryKeyRelatedField):
    """An organization by its id (a number) or its unified social credit code (18
    characters), among those the caller sees; answers the id."""

    default_error_messages = {
        "does_not_exist": _("No organization you can see has this id or credit code."),
        "incorrect_type": _("Give the organization's id or its credit code."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type")
        text = str(data).strip()
        # A credit code may be all digits, but it always has 18 characters; ids are shorter.
        if isinstance(data, int) or (text.isdigit() and len(text) < 18):
            return super().to_internal_value(data)
        if not isinstance(data, str) or not text:
            self.fail("incorrect_type")
        found = self.get_queryset().filter(credit_code=normalize_credit_code(text)).first()
        if found is None:
            self.fail("does_not_exist", pk_value=text)
        return found


class TagCodesField(serializers.ListField):
    """The activity's key groups or topics as a list of codes."""

    def __init__(self, kind, choices, **kwargs):
        self.kind = kind
        super().__init__(child=serializers.ChoiceField(choices=choices), **kwargs)

    def get_attribute(self, instance):
        return instance.codes(self.kind)


class ReportSerializer(serializers.ModelSerializer):
    """The after-event report (photos are uploaded on the page)."""

    filed_by = serializers.SerializerMethodField()

    class Meta:
        model = ActivityReport
        fields = [
            "onsite_attendance",
            "online_views",
            "volunteers_served",
            "summary",
            "links",
            "filed_at",
            "filed_by",
            "is_late",
        ]
        read_only_fields = ["filed_at", "is_late"]

    def get_filed_by(self, report) -> str:
        return report.filed_by.display_name if report.filed_by_id else ""


class ActivitySerializer(serializers.ModelSerializer):
    """An activity; it is written as a draft (or a returned one) and moves on through the
    workflow actions. `organization` is written as an id or a credit code."""

    organization = OrganizationRefField(queryset=Organization.objects.none())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.none(), required=False, allow_null=True
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=MobileFacility.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("A mobile facility on tour (set when the activity is created)."),
    )
    groups = TagCodesField(c.TagKind.GROUP, KeyGroup.choices, allow_empty=False)
    topics = TagCodesField(c.TagKind.TOPIC, Topic.choices, required=False)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    places_left = serializers.IntegerField(read_only=True)
    report_overdue = serializers.BooleanField(read_only=True)
    report = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "uid",
            "title",
            "organization",
            "organization_name",
            "campaign",
            "kind",
            "kind_display",
            "groups",
            "topics",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "starts_at",
            "ends_at",
            "online_url",
            "capacity",
            "signup_required",
            "volunteers_needed",
            "expected_audience",
            "brand",
            "description",
            "facility",
            "status",
            "status_display",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "report_due",
            "report_overdue",
            "confirmed_count",
            "waiting_count",
            "places_left",
            "report",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "uid",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "report_due",
            "confirmed_count",
            "waiting_count",
            "created_at",
            "updated_at",
        ]
        # The model and the service check the rules (one validation path).
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method in SAFE_METHODS:
            # Reading only: the choices are never offered, and narrowing them to a
            # province's scope (thousands of region ids) would cost every list request.
            return
        if not narrow_to_scope(self, Activity):
            return
        user = self.context["request"].user
        action = "change" if self.instance is not None else "create"
        region = self.fields["region"]
        region.queryset = placement_regions(user, action)
        self.fields["campaign"].queryset = visible_to(user, Campaign)
        self.fields["facility"].queryset = bookable_facilities(user)
        if self.instance is not None:
            # A stop stays with its facility; the tour is planned when it is created.
            self.fields["facility"].read_only = True

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, activity):
        report = getattr(activity, "report", None)
        return ReportSerializer(report).data if report is not None else None


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class SignUpSerializer(serializers.ModelSerializer):
    """A sign-up as the organizer sees it: the phone number only masked."""

    key_group_display = serializers.CharField(source="get_key_group_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SignUp
        fields = [
            "id",
            "ticket_code",
            "name",
            "phone_masked",
            "key_group",
            "key_group_display",
            "status",
            "status_display",
            "created_at",
            "promoted_at",
            "cancelled_at",
            "checked_in_at",
        ]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "year",
            "theme",
            "start_date",
            "end_date",
            "region",
            "region_name",
            "description",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_to_scope(self, Campaign)


class FacilitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = MobileFacility
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "organization",
            "organization_name",
            "region",
            "region_name",
            "description",
            "is_active",
        ]
        read_only_fields = fields
