"""The incident API: incidents in the caller's scope, read-only with the list page's
filters (`IncidentFilter`), and the invited expert's answer to their invitation
(`POST /api/v1/incident-members/<id>/respond/`)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.emergency.filters.incidents import IncidentFilter
from kepu.emergency.models import GroupMember, Incident, IncidentRegion
from kepu.emergency.services import group as group_services


class IncidentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    affected = serializers.SerializerMethodField()
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "hazard",
            "level",
            "colour",
            "region",
            "affected",
            "summary",
            "status",
            "is_drill",
            "started_at",
            "activated_at",
            "responding_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_affected(self, incident) -> list[str]:
        return [a.region.code for a in incident.affected.all()]


class IncidentViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Incidents in the caller's scope (and those affecting their regions); the same
    filters as the list page."""

    model = Incident
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter

    def base_queryset(self):
        return (
            Incident.objects.with_relations()
            .prefetch_related(
                Prefetch("affected", queryset=IncidentRegion.objects.select_related("region"))
            )
            .newest_first()
        )


class MemberSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = GroupMember
        fields = ["id", "incident", "person", "status", "responded_at", "decline_reason"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class MemberViewSet(ScopedViewSet):
    """The invited expert answers through their own account (object rule `respond`)."""

    model = GroupMember
    serializer_class = MemberSerializer

    def base_queryset(self):
        return GroupMember.objects.with_relations()

    @extend_schema(request=AnswerSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"], scope_action="respond")
    def respond(self, request, pk=None):
        data = self.input(AnswerSerializer)
        member = group_services.respond_invitation(
            self.get_object(), actor=request.user, accept=data["accept"], reason=data["reason"]
        )
        return Response(MemberSerializer(member).data)
