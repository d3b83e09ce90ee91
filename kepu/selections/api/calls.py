"""Calls and entries endpoints: `api:selection-call-list/detail` (read) and
`api:selection-entry-list/detail` (read, and create: a nomination through the same
service as the page; required materials as multipart files `material_<code>`)."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers

from kepu.core.api.base import ScopedViewSet
from kepu.core.scope import visible_to
from kepu.selections import choices as c
from kepu.selections.filters.calls import CallFilter, EntryFilter
from kepu.selections.models import Call, Entry
from kepu.selections.services import entries as services


class CallSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Call
        fields = [
            "id", "title", "kind", "region", "year", "honour", "award_title", "subject_kind",
            "categories", "routes", "eligibility", "quotas", "materials", "opens_on",
            "closes_on", "check_by", "review_by", "reviewers_per_entry", "min_reviews",
            "award_count", "publicity_days", "publicity_working_days", "publicity_from",
            "publicity_to", "entry_count", "status",
        ]  # fmt: skip
        read_only_fields = fields


class CallViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Calls of the caller's scope and the open or finished calls; the list page's
    filters."""

    model = Call
    public = True
    serializer_class = CallSerializer
    filterset_class = CallFilter

    def base_queryset(self):
        return Call.objects.with_relations().order_by("-year", "-pk")


class EntrySerializer(serializers.ModelSerializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.none())
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    nominating_region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Entry.person.field.related_model.objects.none(), required=False, allow_null=True
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Entry.organization.field.related_model.objects.none(), required=False,
        allow_null=True,
    )  # fmt: skip
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False,
        write_only=True, max_length=services.MAX_MEMBERS,
    )  # fmt: skip
    client_key = serializers.UUIDField(required=False, allow_null=True, write_only=True)
    route = serializers.ChoiceField(choices=c.Route.choices)

    class Meta:
        model = Entry
        fields = [
            "id", "call", "subject_kind", "person", "organization", "title", "category",
            "region", "route", "nominating_region", "rank", "summary", "amount_requested",
            "status", "check_note", "submitted_at", "members", "client_key",
        ]  # fmt: skip
        read_only_fields = [
            "id", "subject_kind", "region", "nominating_region", "status", "check_note",
            "submitted_at",
        ]  # fmt: skip
        extra_kwargs = {"title": {"required": False}, "category": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return
        from kepu.core.models import Organization
        from kepu.people.models import Person

        user = request.user
        self.fields["call"].queryset = visible_to(user, Call).filter(status=c.CallStatus.OPEN)
        self.fields["person"].queryset = visible_to(user, Person)
        self.fields["organization"].queryset = visible_to(user, Organization)

    def validate_members(self, value):
        from kepu.people.models import Person

        user = self.context["request"].user
        found = {p.pk: p for p in visible_to(user, Person).filter(pk__in=value)}
        missing = [str(pk) for pk in value if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("No person you can see has these numbers: %(n)s.") % {"n": ", ".join(missing)}
            )
        return [found[pk] for pk in value]


class EntryViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Entries of the caller's scope (and their own); nominate through `POST`."""

    model = Entry
    serializer_class = EntrySerializer
    filterset_class = EntryFilter

    def base_queryset(self):
        return Entry.objects.with_relations().order_by("-submitted_at", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        call = data.pop("call")
        files = getattr(self.request, "FILES", {})
        materials = {
            m["code"]: files[f"material_{m['code']}"]
            for m in call.materials or []
            if f"material_{m['code']}" in files
        }
        serializer.instance = services.nominate(
            call, actor=self.request.user, materials=materials,
            members=data.pop("members", []), **data,
        )  # fmt: skip
