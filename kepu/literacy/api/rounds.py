"""Rounds and responses endpoints (read): `api:literacy-round-list/detail` and
`api:literacy-response-list/detail` (officers; no answers in the list). The public survey
posts to its page, not to the API."""

from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.literacy.filters.rounds import ResponseFilter, RoundFilter
from kepu.literacy.models import Response, SurveyRound


class RoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    instrument = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SurveyRound
        fields = [
            "id", "name", "kind", "region", "year", "instrument", "status", "opens_at",
            "closes_at", "age_min", "age_max", "target_moe", "confidence", "expected_rate",
            "design_effect", "response_rate", "allocation", "min_per_stratum", "sample_size",
            "form_count", "response_count", "valid_count", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class RoundViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Survey rounds of the caller's scope; the list page's filters."""

    model = SurveyRound
    public = False
    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def base_queryset(self):
        return SurveyRound.objects.with_relations().order_by("-year", "-pk")


class ResponseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    form = serializers.SlugRelatedField(slug_field="label", read_only=True)

    class Meta:
        model = Response
        fields = [
            "id", "round", "form", "stratum", "point", "region", "mode", "user_agent",
            "started_at", "submitted_at", "seconds", "sex", "age_band", "education", "area",
            "occupation", "key_group", "total", "dimension_scores", "tier", "literate",
            "quality", "flags", "excluded_reason",
        ]  # fmt: skip
        read_only_fields = fields


class ResponseDetailSerializer(ResponseSerializer):
    class Meta(ResponseSerializer.Meta):
        fields = [*ResponseSerializer.Meta.fields, "answers", "item_seconds"]
        read_only_fields = fields


class ResponseViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Responses of the caller's scope (no answers in the list); the page's filters."""

    model = Response
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter

    def get_serializer_class(self):
        return ResponseDetailSerializer if self.action == "retrieve" else ResponseSerializer

    def base_queryset(self):
        qs = Response.objects.with_relations().order_by("-submitted_at", "-pk")
        return qs if self.action == "retrieve" else qs.defer("answers", "item_seconds")
