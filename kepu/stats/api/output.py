"""Read-only API of the output area: `api:stats-aggregate-*` — a round's approved totals
by region and indicator (the Aggregate rows, scoped like the aggregates page), with the
units counted and the per-capita figure where the indicator has one."""

from __future__ import annotations

from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.stats.models import Aggregate
from kepu.stats.services.analysis import per_capita


class AggregateSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    per_capita = serializers.SerializerMethodField()
    per_capita_kind = serializers.CharField(source="indicator.per_capita", read_only=True)

    class Meta:
        model = Aggregate
        fields = [
            "id", "round", "year", "region", "region_name", "indicator", "indicator_name",
            "unit", "value", "units", "per_capita", "per_capita_kind",
        ]  # fmt: skip
        read_only_fields = fields

    def get_per_capita(self, obj) -> str | None:
        people = self.context.get("population", {})
        value = per_capita(obj.indicator, obj.value, people.get(obj.region_id))
        return None if value is None else str(value)


class AggregateViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Approved totals of the caller's regions (accepted returns only). Filters:
    `round` (id), `region` (code), `indicator` (code)."""

    model = Aggregate
    serializer_class = AggregateSerializer

    def base_queryset(self):
        return Aggregate.objects.select_related("round", "region", "indicator").order_by(
            "round_id", "region__code", "indicator__order", "pk"
        )

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        round_ = params.get("round")
        if round_:
            if not round_.isdigit() or len(round_) > 9:
                raise ValidationError({"round": "round must be a number."})
            qs = qs.filter(round_id=int(round_))
        if params.get("region"):
            qs = qs.filter(region__code=params["region"][:12])
        if params.get("indicator"):
            qs = qs.filter(indicator__code=params["indicator"][:16])
        return qs

    def _population(self, rows) -> dict:
        from kepu.literacy.index_sources import population

        out = {}
        by_year: dict[int, dict] = {}
        for row in rows:
            if row.indicator.per_capita:
                by_year.setdefault(row.round.year, {})[row.region_id] = row.region
        for year, regions in by_year.items():
            out.update(population(regions.values(), year))
        return out

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        context = {**self.get_serializer_context(), "population": self._population(rows)}
        data = AggregateSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        context = {**self.get_serializer_context(), "population": self._population([obj])}
        return Response(AggregateSerializer(obj, context=context).data)
