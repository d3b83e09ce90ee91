"""The base registry API: `GET /api/v1/bases/` and `/api/v1/bases/<id>/`, with the list
page's filters (`BaseFilter`). Officers and the unit's staff read the bases of their
scope; everyone (anonymous callers too) reads the listed bases, as the catalog API
serves its published entries; the liaison is only for those with the registry's
permission."""

from rest_framework import mixins, serializers
from rest_framework.permissions import AllowAny

from kepu.bases.filters.registry import BaseFilter
from kepu.bases.models import Base
from kepu.core.api.base import ScopedViewSet
from kepu.core.scope import has_permission

CONTACT_FIELDS = ("contact_name", "contact_phone")


class BaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    place = serializers.UUIDField(source="place.uid", read_only=True, allow_null=True)
    address = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Base
        fields = [
            "id",
            "name",
            "level",
            "category",
            "organization",
            "region",
            "place",
            "address",
            "latitude",
            "longitude",
            "batch",
            "number",
            "valid_from",
            "valid_to",
            "status",
            "open_days",
            "opening_hours",
            "area_m2",
            "staff",
            "docents",
            "description",
            *CONTACT_FIELDS,
        ]
        read_only_fields = fields

    def get_address(self, base) -> str:
        return base.place.address if base.place_id else ""

    def get_latitude(self, base) -> float | None:
        place = base.place
        return float(place.latitude) if place and place.latitude is not None else None

    def get_longitude(self, base) -> float | None:
        place = base.place
        return float(place.longitude) if place and place.longitude is not None else None

    def to_representation(self, base):
        data = super().to_representation(base)
        request = self.context.get("request")
        if request is None or not has_permission(request.user, "bases.base.view"):
            for name in CONTACT_FIELDS:
                data.pop(name, None)
        return data


class BaseViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Bases in the caller's scope and the listed bases; the same filters as the page."""

    model = Base
    public = True
    open_actions = ("list", "retrieve")
    permission_classes = [AllowAny]
    serializer_class = BaseSerializer
    filterset_class = BaseFilter

    def base_queryset(self):
        return Base.objects.with_relations().order_by("-valid_from", "-pk")
