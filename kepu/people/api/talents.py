"""The API of talent evaluation and the high-level talent service: the same services,
scope and FilterSets as the pages (`ScopedViewSet` checks each action's permission,
fetches through the scope engine and applies the object rules)."""

from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.people.models import EvaluationRound, HighLevelTalent, ServiceRecord, TalentApplication
from kepu.people.talents import choices as c
from kepu.people.talents import services
from kepu.people.talents.filters import ApplicationFilter, RoundFilter, TalentFilter


class RoundSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "name",
            "region",
            "region_name",
            "kind",
            "year",
            "title_level",
            "title",
            "honour",
            "opens_on",
            "closes_on",
            "eligibility",
            "min_hours",
            "quota",
            "pass_mark",
            "status",
            "application_count",
            "published_at",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    """The applicant named and masked; the frozen record and its figures."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    phone_masked = serializers.CharField(source="person.phone_masked", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=""
    )

    class Meta:
        model = TalentApplication
        fields = [
            "id",
            "round",
            "person",
            "person_name",
            "phone_masked",
            "region",
            "organization",
            "organization_name",
            "status",
            "statement",
            "figures",
            "evidence",
            "submitted_at",
            "recommended_at",
            "return_reason",
            "score",
            "sheet_count",
            "rank",
            "decided_at",
        ]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRecord
        fields = ["id", "date", "kind", "summary", "is_open", "resolved_on"]
        read_only_fields = ["id", "is_open", "resolved_on"]


class TalentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    phone_masked = serializers.CharField(source="person.phone_masked", read_only=True)
    title = serializers.CharField(source="person.title", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    contact = serializers.CharField(source="contact.username", read_only=True, default="")

    class Meta:
        model = HighLevelTalent
        fields = [
            "id",
            "person",
            "person_name",
            "phone_masked",
            "title",
            "region",
            "category",
            "contact",
            "since",
            "last_contact_on",
            "open_needs",
            "is_active",
        ]
        read_only_fields = fields


class RoundViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Evaluation rounds in the caller's scope (and the open calls above it)."""

    model = EvaluationRound
    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def base_queryset(self):
        return EvaluationRound.objects.with_relations().order_by("-year", "-pk")


class ApplicationViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Talent applications in the caller's scope, newest first."""

    model = TalentApplication
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def base_queryset(self):
        return TalentApplication.objects.with_relations().order_by("-created_at", "-pk")

    @action(detail=True, methods=["post"], scope_action="recommend")
    def recommend(self, request, pk=None):
        application = services.recommend_application(self.get_object(), actor=request.user)
        return Response(self.get_serializer(application).data)


class TalentViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """High-level talents in the caller's scope, the longest without contact first;
    `overdue=6` lists those not contacted for six months."""

    model = HighLevelTalent
    serializer_class = TalentSerializer
    filterset_class = TalentFilter

    def base_queryset(self):
        return (
            HighLevelTalent.objects.with_relations()
            .filter(is_active=True)
            .order_by("last_contact_on", "pk")
        )

    @action(
        detail=True,
        methods=["post"],
        scope_action="change",
        scope_permission="people.servicerecord.create",
    )
    def services(self, request, pk=None):
        """Record a contact (visit, need raised, help given, follow-up)."""
        data = self.input(ServiceSerializer)
        record = services.record_service(
            self.get_object(),
            actor=request.user,
            date=data["date"],
            kind=data["kind"],
            summary=data["summary"],
        )
        return Response(ServiceSerializer(record).data, status=201)


__all__ = ["ApplicationViewSet", "RoundViewSet", "TalentViewSet", "c"]
