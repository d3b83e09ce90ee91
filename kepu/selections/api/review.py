"""The review endpoints: `GET /api/v1/selections/reviews/` (the review queue's filters:
a reviewer's own reviews, an officer's reviews in scope), `/…/<id>/`, and
`POST /…/<id>/score/` (the assigned reviewer's score on the call's rubric)."""

from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.core.scope import has_permission
from kepu.selections.filters.review import ReviewFilter
from kepu.selections.models import Review
from kepu.selections.services import review as services


class ReviewSerializer(serializers.ModelSerializer):
    entry_title = serializers.CharField(source="entry.title", read_only=True)
    call = serializers.IntegerField(source="entry.call_id", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id", "entry", "entry_title", "call", "reviewer", "reviewer_name", "match",
            "reason", "manual", "values", "lines", "total", "grade", "comment",
            "submitted_at",
        ]  # fmt: skip
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.DecimalField(max_digits=8, decimal_places=2))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReviewViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Reviews: a reviewer reads their own, an officer those of the calls in scope."""

    model = Review
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def base_queryset(self):
        rows = Review.objects.with_relations().order_by("submitted_at", "entry_id", "pk")
        user = self.request.user
        if self.action in ("list", "retrieve") and not has_permission(
            user, "selections.review.override"
        ):
            rows = rows.filter(reviewer__user=user)
        return rows

    @action(detail=True, methods=["post"], scope_action="score")
    def score(self, request, pk=None):
        data = self.input(ScoreInputSerializer)
        review = services.score_review(
            self.get_object(), actor=request.user, values=data["values"],
            comment=data.get("comment", ""),
        )  # fmt: skip
        return Response(self.get_serializer(review).data)
