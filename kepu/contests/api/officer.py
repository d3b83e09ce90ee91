"""Officer endpoints of contests: contests and rounds (read; a round's draw, open and
close), and a round's attempts (read, masked). `api:contest-*`, `api:contestround-*`,
`api:contest-attempt-*`. The participants' own steps are the taking area's."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.contests.filters.officer import AttemptFilter, ContestFilter, RoundFilter
from kepu.contests.models import Attempt, Contest, ContestRound
from kepu.contests.services import contests as services
from kepu.core.api.base import ScopedViewSet


class ContestSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Contest
        fields = [
            "id", "title", "region", "organizer", "year", "audience", "description", "rules",
            "notice", "notice_version", "status", "created_at", "changed_at",
        ]  # fmt: skip
        read_only_fields = fields


class ContestViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Contests of the caller's scope (and those of the regions above, read only); the
    list page's filters."""

    model = Contest
    serializer_class = ContestSerializer
    filterset_class = ContestFilter

    def base_queryset(self):
        return Contest.objects.with_relations().order_by("-year", "-pk")


class ContestRoundSerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="code", read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    total_points = serializers.IntegerField(read_only=True)

    class Meta:
        model = ContestRound
        fields = [
            "id", "contest", "stage", "title", "position", "opens_at", "closes_at",
            "instrument", "blueprint", "questions", "points_per_question", "total_points",
            "time_limit", "min_seconds", "attempts_allowed", "practice", "regions", "previous",
            "advancement", "advance_n", "advance_score", "advance_level", "status", "drawn_at",
        ]  # fmt: skip
        read_only_fields = fields


class RoundViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Rounds of the contests of the caller's scope; draw, open and close are the
    organizing region's steps."""

    model = ContestRound
    serializer_class = ContestRoundSerializer
    filterset_class = RoundFilter

    def base_queryset(self):
        return (
            ContestRound.objects.with_relations().select_related("instrument")
            .prefetch_related("regions").order_by("-contest_id", "position", "-pk")
        )  # fmt: skip

    def _fresh(self, round_):
        return Response(self.get_serializer(self.base_queryset().get(pk=round_.pk)).data)

    @extend_schema(request=None, responses=ContestRoundSerializer)
    @action(detail=True, methods=["post"], scope_action="draw")
    def draw(self, request, pk=None):
        """Draw the round's question set from the bank by its blueprint."""
        round_ = self.get_object()
        services.draw(round_, actor=request.user)
        return self._fresh(round_)

    @extend_schema(request=None, responses=ContestRoundSerializer)
    @action(detail=True, methods=["post"], scope_action="open")
    def open(self, request, pk=None):
        """Open a round whose questions are drawn (the contest is published)."""
        round_ = self.get_object()
        services.open_round(round_, actor=request.user)
        return self._fresh(round_)

    @extend_schema(request=None, responses=ContestRoundSerializer)
    @action(detail=True, methods=["post"], scope_action="close")
    def close(self, request, pk=None):
        """Close an open round; attempts in progress are scored."""
        round_ = self.get_object()
        services.close_round(round_, actor=request.user)
        return self._fresh(round_)


class ContestAttemptSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    participant = serializers.SerializerMethodField()
    phone_masked = serializers.CharField(source="participant.phone_masked", read_only=True)
    group = serializers.CharField(source="participant.group", read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id", "round", "participant", "phone_masked", "region", "group", "number",
            "practice", "status", "score", "correct", "time_used_ms", "started_at", "deadline",
            "submitted_at", "flags", "excluded_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_participant(self, attempt) -> str:
        """The participant's name masked (姓*)."""
        name = attempt.participant.name
        return f"{name[:1]}*" if name else ""


class AttemptViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Attempts in the caller's scope (their residents'), newest first, masked; the
    attempts page's filters (`round` selects one round)."""

    model = Attempt
    serializer_class = ContestAttemptSerializer
    filterset_class = AttemptFilter

    def base_queryset(self):
        return (
            Attempt.objects.with_relations().defer("answers", "times")
            .order_by("-started_at", "-pk")
        )  # fmt: skip
