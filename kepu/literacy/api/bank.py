"""The item bank's endpoint, `api:literacy-item-list/detail`: list (the page's filters),
read, create (a draft in the caller's bank) and update (a draft in place, an approved
item as a new draft version: the answer is the version written), all through the
services."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.core.errors import DomainError
from kepu.literacy.filters.bank import ItemFilter
from kepu.literacy.io_bank import bank_region
from kepu.literacy.models import Dimension, Instrument, Item
from kepu.literacy.services import bank as services


class OptionSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=1)
    text = serializers.CharField(max_length=500)


class ItemSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    instrument = serializers.SlugRelatedField(slug_field="code", queryset=Instrument.objects.all())
    dimension = serializers.PrimaryKeyRelatedField(queryset=Dimension.objects.all())
    options = OptionSerializer(many=True, required=False)
    key = serializers.ListField(
        child=serializers.CharField(max_length=1), required=False, max_length=8
    )
    previous = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Item
        fields = [
            "id", "region", "code", "version", "previous", "instrument", "dimension",
            "sub_dimension", "kind", "stem", "options", "key", "explanation", "difficulty",
            "source", "status", "times_used", "p_value", "discrimination", "stats_n",
            "stats_at", "created_at", "changed_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "region", "version", "previous", "status", "times_used", "p_value",
            "discrimination", "stats_n", "stats_at", "created_at", "changed_at",
        ]  # fmt: skip
        extra_kwargs = {"code": {"required": False}}


class ItemViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Items of the banks in the caller's scope (their own region's and those above)."""

    model = Item
    serializer_class = ItemSerializer
    filterset_class = ItemFilter

    def base_queryset(self):
        return Item.objects.with_relations().order_by("dimension_id", "code", "pk")

    def perform_create(self, serializer):
        region = bank_region(self.request.user)
        if region is None:
            raise DomainError(_("You may not add items to a bank."))
        data = dict(serializer.validated_data)
        data["options"] = [dict(o) for o in data.get("options", [])]
        serializer.instance = services.create_item(region, actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("code", None)
        if "options" in data:
            data["options"] = [dict(o) for o in data["options"]]
        serializer.instance = services.change_item(
            serializer.instance, actor=self.request.user, **data
        )
