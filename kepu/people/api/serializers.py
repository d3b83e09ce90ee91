from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kepu.core.api.serializers import narrow_to_scope
from kepu.core.models import Organization, Region
from kepu.people.models import (
    ExpertPool,
    OfficerActivity,
    Person,
    PoolMembership,
    Registration,
    Team,
)


class PersonSerializer(serializers.ModelSerializer):
    """Identifiers appear only masked; they are written through `id_number` / `phone`."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )
    id_number = serializers.CharField(write_only=True, required=False)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    registrations = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "doc_type",
            "id_masked",
            "phone_masked",
            "email",
            "region",
            "region_name",
            "organization",
            "education",
            "title_level",
            "title",
            "discipline",
            "specialties",
            "languages",
            "registrations",
            "id_number",
            "phone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "gender", "id_masked", "phone_masked", "created_at", "updated_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_to_scope(self, Person)

    def get_registrations(self, person):
        return [
            {"kind": r.kind, "status": r.status}
            for r in person.registrations.all()
            if r.status in ("pending", "certified")
        ]

    def validate(self, data):
        if self.instance is None and not data.get("id_number"):
            raise serializers.ValidationError({"id_number": [_("This field is required.")]})
        return data


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=4, max_length=300)


class RegistrationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "person",
            "person_name",
            "kind",
            "status",
            "source",
            "region",
            "start_date",
            "applied_at",
            "reviewed_at",
            "reject_reason",
            "matches_person",
            "applicant_name",
            "applicant_phone_masked",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ExpertPoolSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ExpertPool
        fields = ["id", "name", "kind", "region", "description", "is_active"]
        read_only_fields = fields


class PoolMembershipSerializer(serializers.ModelSerializer):
    pool_name = serializers.CharField(source="pool.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    region = serializers.CharField(source="person.region.code", read_only=True)
    topics = serializers.SerializerMethodField()

    class Meta:
        model = PoolMembership
        fields = [
            "id",
            "pool",
            "pool_name",
            "person",
            "person_name",
            "region",
            "topics",
            "available",
            "term_start",
            "term_end",
        ]
        read_only_fields = fields

    def get_topics(self, membership):
        return [t.topic for t in membership.topics.all()]


class TeamSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "organization",
            "region",
            "specialties",
            "leader",
            "member_count",
            "status",
            "status_reason",
            "parent",
            "sub_team_count",
            "certified_at",
        ]
        read_only_fields = fields


class OfficerActivitySerializer(serializers.ModelSerializer):
    """One shared item of an information officer. `person` may be left out by an officer
    recording their own; `client_key` makes a retry return the first row (200, not 201)."""

    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), required=False, allow_null=True
    )
    person_name = serializers.CharField(source="person.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OfficerActivity
        fields = [
            "id",
            "person",
            "person_name",
            "region",
            "date",
            "channel",
            "title",
            "link",
            "views",
            "shares",
            "client_key",
            "source",
            "created_at",
        ]
        read_only_fields = ["id", "person_name", "region", "source", "created_at"]
        validators = []  # the client key's uniqueness is the service's (a retry is a 200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "person" in self.fields:
            from kepu.core.scope import visible_to

            self.fields["person"].queryset = visible_to(request.user, Person.objects.live())
