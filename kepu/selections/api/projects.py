"""The funded-project endpoints: `GET /api/v1/selections/projects/` and `/<id>/` with the
list page's filters (`ProjectFilter`) and flags. Officers read the projects of their
region, the unit's staff their unit's."""

from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.selections.filters.projects import ProjectFilter
from kepu.selections.flags import with_flags
from kepu.selections.models import Project


class ProjectSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    remaining = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="flag_overdue", read_only=True)
    at_risk = serializers.BooleanField(source="flag_at_risk", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "number", "title", "organization", "region", "year", "project_type", "level",
            "funding_mode", "status", "approved_amount", "disbursed", "remaining", "starts_on",
            "ends_on", "next_due", "contract_number", "accepted_on", "audience", "overdue",
            "at_risk",
        ]  # fmt: skip
        read_only_fields = fields

    def get_remaining(self, project) -> str:
        return f"{project.approved_amount - project.disbursed:.2f}"


class ProjectViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Funded projects in the caller's scope; the same filters as the page."""

    model = Project
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def base_queryset(self):
        return with_flags(
            Project.objects.select_related("region", "organization").order_by("-year", "-pk")
        )
