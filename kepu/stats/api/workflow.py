"""Workflow endpoints of the statistics survey: the rounds (read; open and close by the
province's officers) and a round's completeness and timeliness per region
(`?region=<id>`, as on the page). `api:stats-round-*`."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.stats.models import SurveyRound
from kepu.stats.services import completeness, rounds
from kepu.stats.views.workflow_common import focus_region


class SurveyRoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SurveyRound
        fields = [
            "id", "data_set", "region", "year", "title", "status", "opens_on", "units_due",
            "county_due", "city_due", "province_due", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    own_units = serializers.BooleanField(source="own")
    assigned = serializers.IntegerField()
    not_started = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    returned = serializers.IntegerField()
    accepted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completeness = serializers.FloatField(allow_null=True)
    timeliness = serializers.FloatField(allow_null=True)
    approval = serializers.CharField()


class CompletenessSerializer(serializers.Serializer):
    region = serializers.CharField()
    total = ProgressSerializer()
    rows = ProgressSerializer(many=True)


class RoundViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The survey rounds the caller takes part in (those of the regions above, read)."""

    model = SurveyRound
    serializer_class = SurveyRoundSerializer

    def base_queryset(self):
        return SurveyRound.objects.select_related("region").order_by("-year", "-pk")

    @extend_schema(responses=CompletenessSerializer)
    @action(detail=True, methods=["get"], scope_action="view")
    def completeness(self, request, pk=None):
        """Per child region: units assigned, by status, on time, late, overdue,
        completeness and timeliness (%) and the approval status."""
        survey = self.get_object()
        region = focus_region(request, survey)
        total, rows = completeness.breakdown(survey, region)
        data = {"region": region.code, "total": total, "rows": rows}
        return Response(CompletenessSerializer(data).data)

    def _fresh(self, survey):
        return Response(self.get_serializer(self.base_queryset().get(pk=survey.pk)).data)

    @extend_schema(request=None, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def open(self, request, pk=None):
        """Open the survey for filing (again, after a close)."""
        return self._fresh(rounds.open_round(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def close(self, request, pk=None):
        """Close the survey: no more filing, accepting or approving."""
        return self._fresh(rounds.close_round(self.get_object(), actor=request.user))
