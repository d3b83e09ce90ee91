"""Entry endpoints: the returns of the caller's scope (`api:stats-return-*`): list
(filter by round, year, status), retrieve (values by code, findings, status), PUT/PATCH
`values/` (the same `returns.save_values` as the form: 400 naming each code, 409 when
the return is locked or not editable) and POST `submit/`."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.stats import choices as c
from kepu.stats.filters.entry import MyReturnFilter
from kepu.stats.models import Return
from kepu.stats.services import returns as services


def _number(value):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


class ReturnSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    deadline = serializers.DateField(source="round.units_due", read_only=True)

    class Meta:
        model = Return
        fields = [
            "id", "round", "year", "organization", "region", "status", "filled_by_region",
            "is_venue", "errors", "warnings", "unexplained", "deadline", "submitted_at",
            "accepted_at", "late", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReturnDetailSerializer(ReturnSerializer):
    values = serializers.SerializerMethodField()
    registry = serializers.SerializerMethodField()
    findings = serializers.JSONField(read_only=True)
    explanations = serializers.JSONField(read_only=True)

    class Meta(ReturnSerializer.Meta):
        fields = [*ReturnSerializer.Meta.fields, "values", "registry", "findings", "explanations"]
        read_only_fields = fields

    def _rows(self, ret):
        if not hasattr(ret, "_value_rows"):
            ret._value_rows = list(
                ret.values.values_list("indicator__code", "value", "registry", "reason")
            )
        return ret._value_rows

    def get_values(self, ret) -> dict[str, float | None]:
        """The values by indicator code (null: not applicable)."""
        return {code: _number(value) for code, value, _r, _why in self._rows(ret)}

    def get_registry(self, ret) -> dict[str, dict]:
        """The registry counts that pre-filled values, with the override reasons."""
        return {
            code: {"count": _number(registry), "reason": why}
            for code, _v, registry, why in self._rows(ret)
            if registry is not None
        }


class ValuesInput(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True), allow_empty=True, required=True
    )
    reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=300), required=False
    )
    explanations = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=500), required=False
    )

    def validate_values(self, values):
        for code, value in values.items():
            if not isinstance(value, str | int | float | Decimal | type(None)) or isinstance(
                value, bool
            ):
                raise serializers.ValidationError({code: ["A value is a number, a text or null."]})
        return values


class ReturnViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Statistics returns of the caller's scope: a unit's staff read and fill their own,
    the officers those of their region."""

    model = Return
    serializer_class = ReturnSerializer
    filterset_class = MyReturnFilter

    def base_queryset(self):
        return Return.objects.select_related("round", "organization", "region").order_by("-pk")

    def get_serializer_class(self):
        if self.action == "list":
            return ReturnSerializer
        return ReturnDetailSerializer

    def _fresh(self, ret):
        return Response(ReturnDetailSerializer(self.base_queryset().get(pk=ret.pk)).data)

    @extend_schema(request=ValuesInput, responses=ReturnDetailSerializer)
    @action(detail=True, methods=["put", "patch"], scope_action="fill", url_path="values")
    def values(self, request, pk=None):
        """Save values by indicator code (the others keep theirs). A value differing from
        its registry count needs a reason; unreadable values refuse the whole request."""
        ret = self.get_object()
        data = self.input(ValuesInput)
        services.save_values(
            ret,
            data["values"],
            actor=request.user,
            source=c.ValueSource.API,
            reasons=data.get("reasons"),
            explanations=data.get("explanations"),
        )
        return self._fresh(ret)

    @extend_schema(request=None, responses=ReturnDetailSerializer)
    @action(detail=True, methods=["post"], scope_action="fill")
    def submit(self, request, pk=None):
        """Submit the return to the county: no errors left, every warning explained."""
        ret = self.get_object()
        services.submit(ret, actor=request.user)
        return self._fresh(ret)
