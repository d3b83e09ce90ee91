"""The API of designated service groups and team honours (issue 26): read-only, with the
list pages' FilterSets and scope."""

from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.people.filters import ServiceGroupFilter, TeamHonourFilter
from kepu.people.models import ServiceGroup, TeamHonour


class ServiceGroupSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    counties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ServiceGroup
        fields = [
            "id",
            "name",
            "region",
            "lead_team",
            "lead_organization",
            "counties",
            "period_start",
            "period_end",
            "description",
        ]
        read_only_fields = fields


class TeamHonourSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = TeamHonour
        fields = ["id", "team", "team_name", "honour", "title", "year", "awarded_by"]
        read_only_fields = fields


class ServiceGroupViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Designated service groups: the organizing region's, and those serving one's county."""

    model = ServiceGroup
    serializer_class = ServiceGroupSerializer
    filterset_class = ServiceGroupFilter
    queryset = ServiceGroup.objects.none()

    def base_queryset(self):
        return ServiceGroup.objects.with_relations()


class TeamHonourViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = TeamHonour
    serializer_class = TeamHonourSerializer
    filterset_class = TeamHonourFilter
    queryset = TeamHonour.objects.none()

    def base_queryset(self):
        return TeamHonour.objects.select_related("team")
