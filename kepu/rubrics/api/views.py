"""The rubric API: rubrics in the caller's scope (their region's and those above),
read-only, with the list page's filters (`RubricFilter`); a rubric with its criteria."""

from django.db.models import Prefetch
from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.rubrics.filters import RubricFilter
from kepu.rubrics.models import Criterion, Rubric


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "code",
            "group",
            "name",
            "weight",
            "method",
            "source",
            "unit",
            "bands",
            "evidence",
            "position",
        ]
        read_only_fields = fields


class RubricSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = [
            "id",
            "name",
            "purpose",
            "region",
            "description",
            "status",
            "grade_bands",
            "criteria",
            "created_at",
        ]
        read_only_fields = fields


class RubricViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Rubrics the caller reads, newest first, with their criteria in order."""

    model = Rubric
    serializer_class = RubricSerializer
    filterset_class = RubricFilter

    def base_queryset(self):
        return (
            Rubric.objects.select_related("region")
            .prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk"))
            )
            .order_by("-created_at", "-pk")
        )
