from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kepu.core import pii
from kepu.core.choices import KeyGroup
from kepu.core.models import Organization, Region
from kepu.core.scope import visible_to
from kepu.people.models import Person, Team, TeamMembership
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.models import Assignment, Certificate, HourEntry, OrderEvent, ServiceOrder
from kepu.volunteering.permissions import teams_for_user


def mask_name(name: str) -> str:
    """刘* / 张*明 / 欧**娜: the first and (from three characters) the last character."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


def _user(serializer):
    request = serializer.context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return request.user


def entry_teams(user):
    """Teams for which `user` may record hours or issue certificates: those they act for
    (scope or leadership), and, for their own hours only, the teams they belong to."""
    own = TeamMembership.objects.filter(person__user=user).values("team_id")
    return Team.objects.filter(Q(pk__in=teams_for_user(user).values("pk")) | Q(pk__in=own))


def entry_people(user):
    """People for whom `user` may record hours or ask for a certificate: themselves, the
    members of the teams they act for, and the people of their scope. Anyone else is an
    unknown id, answered as one (an error naming the person would tell that they exist)."""
    members = TeamMembership.objects.filter(team__in=teams_for_user(user)).values("person_id")
    return Person.objects.filter(erased_at__isnull=True).filter(
        Q(user=user) | Q(pk__in=members) | Q(pk__in=visible_to(user, Person).values("pk"))
    )


def check_own_or_team(user, person, team) -> None:
    """Outside the teams the user acts for, only their own record."""
    if not teams_for_user(user).filter(pk=team.pk).exists() and person.user_id != user.pk:
        raise serializers.ValidationError(
            {"person": [_("You can only act for yourself with this team.")]}
        )


# --- orders -----------------------------------------------------------------------------


class OrderEventSerializer(serializers.ModelSerializer):
    """One step on an order's timeline."""

    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = OrderEvent
        fields = [
            "action",
            "action_display",
            "from_status",
            "to_status",
            "actor_label",
            "note",
            "at",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    """A volunteer on an order, with the hours their check-out recorded."""

    order_number = serializers.CharField(source="order.number", read_only=True)
    order_status = serializers.CharField(source="order.status", read_only=True)
    order_category = serializers.CharField(source="order.category", read_only=True)
    order_address = serializers.CharField(source="order.address", read_only=True)
    window_start = serializers.DateTimeField(source="order.window_start", read_only=True)
    window_end = serializers.DateTimeField(source="order.window_end", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    hours = serializers.DecimalField(
        source="hour_entry.hours",
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
    )
    hour_status = serializers.CharField(source="hour_entry.status", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "order",
            "order_number",
            "order_status",
            "order_category",
            "order_address",
            "window_start",
            "window_end",
            "person",
            "person_name",
            "assigned_at",
            "checked_in_at",
            "checked_out_at",
            "hours",
            "hour_status",
        ]
        read_only_fields = fields


class ServiceOrderSerializer(serializers.ModelSerializer):
    """A service order as the back office sees it: the contact's phone only masked."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    key_group_display = serializers.CharField(source="get_key_group_display", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True
    )
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    escalated_to = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceOrder
        fields = [
            "id",
            "number",
            "status",
            "status_display",
            "category",
            "category_display",
            "key_group",
            "key_group_display",
            "requester_kind",
            "requester_name",
            "requester_phone_masked",
            "requester_organization",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "window_start",
            "window_end",
            "expected_attendees",
            "description",
            "department",
            "department_name",
            "team",
            "team_name",
            "submitted_at",
            "dispatch_due",
            "dispatched_at",
            "dispatched_on_time",
            "accept_due",
            "claimed_at",
            "accepted_at",
            "accepted_on_time",
            "served_at",
            "closed_at",
            "overdue",
            "escalated_to",
            "escalated_at",
            "rating",
            "rating_comment",
            "rated_at",
            "reason",
            "updated_at",
        ]
        read_only_fields = fields


class ServiceOrderDetailSerializer(ServiceOrderSerializer):
    """The order with its timeline and its volunteers."""

    timeline = OrderEventSerializer(source="events", many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta(ServiceOrderSerializer.Meta):
        fields = [*ServiceOrderSerializer.Meta.fields, "timeline", "assignments"]
        read_only_fields = fields


class DispatchSerializer(serializers.Serializer):
    """派单: to a member department (which claims it) or directly to a team, among the
    order's choices (as on the page): any other id is "does not exist"."""

    department = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields["department"].queryset = services.dispatch_departments(order)
            self.fields["team"].queryset = services.covering_teams(order)

    def validate(self, data):
        department, team = data.get("department"), data.get("team")
        if (department is None) == (team is None):
            raise serializers.ValidationError(_("Choose either a department or a team."))
        if department is not None and not services.department_teams(department).exists():
            raise serializers.ValidationError(
                {"department": [_("This department has no volunteer team to pass the order to.")]}
            )
        return data


class ClaimSerializer(serializers.Serializer):
    """领单: the department passes the order to one of its teams."""

    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields["team"].queryset = services.claim_teams(order)


class AcceptSerializer(serializers.Serializer):
    """接单: the volunteers (ids of people in the team) who will serve."""

    volunteers = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=200
    )


class StepReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TeamSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="obj.pk")
    name = serializers.CharField(source="obj.name")
    organization_name = serializers.CharField(source="obj.organization.name", allow_null=True)
    region_name = serializers.CharField(source="obj.region.name")
    score = serializers.IntegerField(help_text=_("Out of 100."))
    reasons = serializers.ListField(child=serializers.CharField())


class VolunteerSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="obj.pk")
    name = serializers.CharField(source="obj.name")
    region_name = serializers.CharField(source="obj.region.name")
    score = serializers.IntegerField(help_text=_("Out of 100."))
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestionsSerializer(serializers.Serializer):
    teams = TeamSuggestionSerializer(many=True)
    volunteers = VolunteerSuggestionSerializer(many=True)


# --- public ordering (群众点单) -----------------------------------------------------------


class PublicOrderSerializer(serializers.Serializer):
    """An order placed without an account. `client_key` (a UUID the client makes once per
    form) makes the submission idempotent: sent again, it returns the first order."""

    client_key = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(max_length=64)
    phone = serializers.CharField(max_length=20, write_only=True)
    category = serializers.ChoiceField(choices=c.ServiceCategory.choices)
    key_group = serializers.ChoiceField(choices=KeyGroup.choices)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The county or, better, the township (region code)."),
    )
    address = serializers.CharField(max_length=200)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    expected_attendees = serializers.IntegerField(min_value=1, max_value=100000)
    description = serializers.CharField(max_length=2000)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("The community placing the order (signed-in community accounts only)."),
    )
    consent = serializers.BooleanField(
        write_only=True,
        help_text=_("I have read the notice on personal information and agree to it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["organization"].queryset = visible_to(user, Organization)

    def validate_phone(self, value):
        phone = pii.normalize_phone(value)
        pii.validate_mobile(phone)
        return phone

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(_("Please read and accept the notice to continue."))
        return value


class PublicOrderStatusSerializer(serializers.ModelSerializer):
    """What the requester sees through the private link: status and timeline."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    timeline = OrderEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = ServiceOrder
        fields = [
            "number",
            "token",
            "status",
            "status_display",
            "category",
            "category_display",
            "region_name",
            "address",
            "window_start",
            "window_end",
            "expected_attendees",
            "submitted_at",
            "team_name",
            "reason",
            "rating",
            "rating_comment",
            "rated_at",
            "timeline",
        ]
        read_only_fields = fields


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


# --- the hour ledger and certificates -----------------------------------------------------


class HourEntrySerializer(serializers.ModelSerializer):
    """An entry of the hour ledger; created by hand (pending until approved)."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    person_name = serializers.CharField(source="person.name", read_only=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    team_name = serializers.CharField(source="team.name", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = HourEntry
        fields = [
            "id",
            "person",
            "person_name",
            "team",
            "team_name",
            "order",
            "order_number",
            "region",
            "region_name",
            "started_at",
            "ended_at",
            "hours",
            "source",
            "source_display",
            "status",
            "status_display",
            "description",
            "created_at",
            "decided_at",
            "reject_reason",
        ]
        read_only_fields = [
            "id",
            "order",
            "hours",
            "source",
            "status",
            "created_at",
            "decided_at",
            "reject_reason",
        ]
        extra_kwargs = {"description": {"required": True, "allow_blank": False}}
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["team"].queryset = entry_teams(user)
            self.fields["person"].queryset = entry_people(user)

    def validate(self, data):
        check_own_or_team(_user(self), data["person"], data["team"])
        return data


class CertificateSerializer(serializers.ModelSerializer):
    """A service record certificate (志愿服务记录证明); issued for a person, a team and a
    period, it certifies the approved hours found there."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    team_name = serializers.CharField(source="team.name", read_only=True)
    organization_name = serializers.CharField(
        source="team.organization.name", read_only=True, allow_null=True
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "person",
            "holder_name",
            "team",
            "team_name",
            "organization_name",
            "period_start",
            "period_end",
            "total_hours",
            "entries",
            "issued_at",
            "revoked_at",
        ]
        read_only_fields = [
            "id",
            "number",
            "holder_name",
            "total_hours",
            "entries",
            "issued_at",
            "revoked_at",
        ]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["team"].queryset = entry_teams(user)
            self.fields["person"].queryset = entry_people(user)

    def validate(self, data):
        check_own_or_team(_user(self), data["person"], data["team"])
        return data


class CertificateCheckSerializer(serializers.ModelSerializer):
    """The public verification of a certificate number: the holder's name masked."""

    holder_name = serializers.SerializerMethodField()
    team_name = serializers.CharField(source="team.name", read_only=True)
    organization_name = serializers.CharField(
        source="team.organization.name", read_only=True, allow_null=True
    )
    valid = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "number",
            "holder_name",
            "team_name",
            "organization_name",
            "period_start",
            "period_end",
            "total_hours",
            "entries",
            "issued_at",
            "revoked_at",
            "valid",
        ]
        read_only_fields = fields

    def get_holder_name(self, certificate) -> str:
        return mask_name(certificate.holder_name)

    def get_valid(self, certificate) -> bool:
        return certificate.revoked_at is None
