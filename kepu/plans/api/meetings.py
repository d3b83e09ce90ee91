"""The joint-conference API (issue 26): conferences and meetings (with their decisions
and the tasks those assign), read-only, with the pages' scope and FilterSet."""

from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.plans.filters import MeetingFilter
from kepu.plans.models import JointConference, Meeting, MeetingDecision


class ConferenceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = JointConference
        fields = ["id", "name", "region", "office", "members", "decisions_plan", "meeting_count"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingDecision
        fields = ["id", "number", "text", "task"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    present = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    topics = serializers.ListField(
        source="topic_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "conference",
            "number",
            "title",
            "date",
            "place",
            "chaired_by",
            "present",
            "topics",
            "decisions",
        ]
        read_only_fields = fields


class ConferenceViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = JointConference
    serializer_class = ConferenceSerializer
    queryset = JointConference.objects.none()

    def base_queryset(self):
        return JointConference.objects.select_related("region").prefetch_related("members")


class MeetingViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    queryset = Meeting.objects.none()

    def base_queryset(self):
        return Meeting.objects.with_relations().prefetch_related("present", "decisions")
