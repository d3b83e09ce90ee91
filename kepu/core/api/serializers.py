from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kepu.core.models import Organization, Region
from kepu.core.scope import allowed_regions, visible_to


def narrow_to_scope(serializer, model) -> bool:
    """Limit a serializer's `region` (by code) to where the requesting user may create or
    change rows of `model`, and its `organization`/`parent` choices to what they see.
    Returns False when there is no authenticated request (schema generation)."""
    request = serializer.context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    action = "change" if serializer.instance is not None else "create"
    field = serializer.fields["region"]
    field.queryset = allowed_regions(request.user, model, action)
    field.error_messages["does_not_exist"] = _(
        "Region “{value}” does not exist or is outside your scope."
    )
    for name in ("organization", "parent"):
        if name in serializer.fields:
            serializer.fields[name].queryset = visible_to(request.user, Organization)
    return True


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "parent"]


class OrganizationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )
    org_type_display = serializers.CharField(source="get_org_type_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "org_type",
            "org_type_display",
            "sector",
            "credit_code",
            "region",
            "region_name",
            "parent",
            "address",
            "phone",
            "website",
            "description",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "is_active", "created_at", "updated_at"]
        # Uniqueness is checked by the model/service (one validation path).
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_to_scope(self, Organization)
