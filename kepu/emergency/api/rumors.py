"""The rumour leads endpoint (`api:rumor-list`, `api:rumor-detail`): the leads of the
caller's scope with the list page's filters; officers report leads in their scope (the
same claim for the same incident is merged into its lead: 200 with the lead instead of
201)."""

from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.core.api.serializers import narrow_to_scope
from kepu.core.models import Region
from kepu.core.scope import visible_to
from kepu.emergency import choices as c
from kepu.emergency.filters.rumors import RumorFilter
from kepu.emergency.models import Incident, Rumor
from kepu.emergency.services import rumors as services


class RumorSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Rumor
        fields = [
            "id",
            "incident",
            "claim",
            "topic",
            "region",
            "source",
            "seen_on",
            "link",
            "report_count",
            "status",
            "reported_at",
            "duplicate_of",
            "triaged_at",
            "triage_note",
        ]
        read_only_fields = [
            "id",
            "source",
            "report_count",
            "status",
            "reported_at",
            "duplicate_of",
            "triaged_at",
            "triage_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if narrow_to_scope(self, Rumor):
            user = self.context["request"].user
            self.fields["incident"].queryset = visible_to(
                user, Incident.objects.open(), public=False
            )


class RumorViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Rumour leads in the caller's scope; the same filters as the list page."""

    model = Rumor
    serializer_class = RumorSerializer
    filterset_class = RumorFilter

    def base_queryset(self):
        return Rumor.objects.with_relations().order_by("-reported_at", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rumor, created = services.report_rumor(
            actor=request.user, source=c.RumorSource.OFFICER, **serializer.validated_data
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(rumor).data, status=answer)
