"""The inbox of the information officers' apps: the caller's own deliveries (their
account's, their member unit's) and the acknowledgement."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.core.scope import visible_to
from kepu.emergency.filters.pushes import DeliveryFilter
from kepu.emergency.models import Delivery
from kepu.emergency.services import pushes as services
from kepu.emergency.services.pushes import MAX_GROUPS, MAX_PEOPLE


class DeliverySerializer(serializers.ModelSerializer):
    push_title = serializers.CharField(source="push.title", read_only=True)
    message = serializers.CharField(source="push.message", read_only=True)
    incident = serializers.PrimaryKeyRelatedField(read_only=True)
    incident_title = serializers.CharField(source="incident.title", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "push",
            "push_title",
            "message",
            "incident",
            "incident_title",
            "channel",
            "name",
            "region",
            "delivered_at",
            "acknowledged_at",
            "acknowledged_via",
            "groups_forwarded",
            "people_reached",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    groups_forwarded = serializers.IntegerField(min_value=0, max_value=MAX_GROUPS)
    people_reached = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE)


class DeliveryViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The caller's emergency messages, waiting first, newest first."""

    model = Delivery
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter

    def base_queryset(self):
        return Delivery.objects.with_relations()

    def get_queryset(self):
        if self.action == "list":
            return visible_to(self.request.user, services.inbox(self.request.user), public=False)
        return super().get_queryset()

    @extend_schema(request=AcknowledgeSerializer, responses=DeliverySerializer)
    @action(detail=True, methods=["post"], scope_action="acknowledge")
    def acknowledge(self, request, pk=None):
        """Acknowledge the message with how far it was forwarded. 409 the second time."""
        data = self.input(AcknowledgeSerializer)
        delivery = services.acknowledge_delivery(self.get_object(), actor=request.user, **data)
        return Response(
            self.get_serializer(Delivery.objects.with_relations().get(pk=delivery.pk)).data
        )
