"""The assessment API: rounds (list, detail, ranking) and their regions and units (list,
detail; `score` and `confirm` by the officers of the assessing region, four-eyes). The
same FilterSets as the pages; errors through the shared contract (a wrong state 409, the
object rules 403 with their reason)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.plans.filters import AssessmentEntryFilter, AssessmentRoundFilter
from kepu.plans.models import AssessmentEntry, AssessmentRound
from kepu.plans.services import assessment as services

ID = r"[0-9]+"
CONFLICT = {409: OpenApiResponse(description="Conflict: the current state does not allow it")}


class AssessmentRoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rubric = serializers.StringRelatedField()

    class Meta:
        model = AssessmentRound
        fields = [
            "id", "name", "region", "kind", "plan", "year", "rubric", "status", "is_public",
            "computed_at", "published_at",
        ]  # fmt: skip
        read_only_fields = fields


class AssessmentEntrySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AssessmentEntry
        fields = [
            "id", "round", "name", "region", "organization", "status", "live", "values",
            "lines", "total", "grade", "rank", "self_submitted_at", "submitted_at",
            "confirmed_at",
        ]  # fmt: skip
        read_only_fields = fields


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    total = serializers.CharField()
    grade = serializers.CharField()


class ScoreInputSerializer(serializers.Serializer):
    points = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        help_text="{criterion code: points} of every manual criterion",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AssessmentRoundViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Assessment rounds in the caller's scope (the assessing region's, and those the
    caller is assessed in)."""

    model = AssessmentRound
    serializer_class = AssessmentRoundSerializer
    filterset_class = AssessmentRoundFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return AssessmentRound.objects.with_relations().order_by("-year", "-pk")

    @extend_schema(responses={200: RankingRowSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, scope_action="view")
    def ranking(self, request, pk=None):
        """The frozen ranking once published; before, the provisional ranking of the
        entries the caller reads."""
        from kepu.plans.views.assessment import ranking_rows

        rows = ranking_rows(request, self.get_object())
        return Response(RankingRowSerializer(rows, many=True).data)


class AssessmentEntryViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The regions and units of assessment rounds in the caller's scope."""

    model = AssessmentEntry
    serializer_class = AssessmentEntrySerializer
    filterset_class = AssessmentEntryFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return AssessmentEntry.objects.select_related("region").order_by("round_id", "pk")

    @extend_schema(
        request=ScoreInputSerializer, responses={200: AssessmentEntrySerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="score")
    def score(self, request, pk=None):
        """Points of every manual criterion (an officer of the assessing region who did
        not file the self-assessment)."""
        entry = self.get_object()
        data = self.input(ScoreInputSerializer)
        entry = services.score_entry(
            entry, actor=request.user, points=data["points"], comment=data.get("comment", "")
        )
        return Response(AssessmentEntrySerializer(entry).data)

    @extend_schema(request=None, responses={200: AssessmentEntrySerializer, **CONFLICT})
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="confirm")
    def confirm(self, request, pk=None):
        """A second officer confirms the score (not the one who scored it)."""
        entry = services.confirm_entry(self.get_object(), actor=request.user)
        return Response(AssessmentEntrySerializer(entry).data)
