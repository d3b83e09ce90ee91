from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kepu.core.models import Region
from kepu.core.scope import require, scope_roots, visible_to
from kepu.people import services
from kepu.people.api.serializers import (
    ExpertPoolSerializer,
    PersonSerializer,
    PoolMembershipSerializer,
    RegistrationSerializer,
    RejectSerializer,
    RevealSerializer,
    TeamSerializer,
)
from kepu.people.filters import ExpertFilter, PersonFilter, RegistrationFilter
from kepu.people.models import ExpertPool, Person, PoolMembership, Registration, Team
from kepu.people.permissions import get_person_for_user, get_registration_for_user
from kepu.people.stats import baseline_date, region_stats


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People in the caller's scope; ID and phone numbers masked. `q` searches Chinese
    text with exact "contains" semantics (or finds an ID/phone number by its hash)."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    queryset = Person.objects.none()

    def get_queryset(self):
        return visible_to(self.request.user, Person.objects.live().with_relations())

    def get_object(self):
        action_name = "change" if self.request.method in ("PUT", "PATCH") else "view"
        return get_person_for_user(self.request.user, self.kwargs["pk"], action_name)

    def list(self, request, *args, **kwargs):
        require(request.user, "people.person.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        require(request.user, "people.person.view")
        return super().retrieve(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        require(request.user, "people.person.create")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require(request.user, "people.person.change")
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_person(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_person(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request=RevealSerializer,
        responses=inline_serializer(
            "Revealed", {"id_number": serializers.CharField(), "phone": serializers.CharField()}
        ),
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Full ID and phone number, with a reason; needs the reveal permission; audited."""
        require(request.user, "people.person.reveal")
        person = get_person_for_user(request.user, pk, "reveal")
        data = RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = services.reveal(person, actor=request.user, reason=data.validated_data["reason"])
        return Response(values, headers={"Cache-Control": "no-store"})


class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    """Registrations; `certify` and `reject` for officers of the person's region."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    queryset = Registration.objects.none()

    def get_queryset(self):
        require(self.request.user, "people.registration.view")
        return visible_to(self.request.user, Registration.objects.with_relations())

    def get_object(self):
        require(self.request.user, "people.registration.view")
        return get_registration_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        require(request.user, "people.registration.review")
        registration = get_registration_for_user(request.user, pk, "review")
        registration = services.certify_registration(registration, actor=request.user)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=RejectSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        require(request.user, "people.registration.review")
        registration = get_registration_for_user(request.user, pk, "review")
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.reject_registration(
            registration, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(RegistrationSerializer(registration).data)


class ExpertPoolViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExpertPoolSerializer
    queryset = ExpertPool.objects.none()

    def get_queryset(self):
        require(self.request.user, "people.expertpool.view")
        return visible_to(self.request.user, ExpertPool.objects.select_related("region"))


class PoolMembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Find experts: `?pool_kind=emergency&topic=earthquake&region=5101&available=true`."""

    serializer_class = PoolMembershipSerializer
    filterset_class = ExpertFilter
    queryset = PoolMembership.objects.none()

    def get_queryset(self):
        require(self.request.user, "people.poolmembership.view")
        return visible_to(self.request.user, PoolMembership.objects.with_relations()).distinct()


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    queryset = Team.objects.none()

    def get_queryset(self):
        require(self.request.user, "people.team.view")
        return visible_to(self.request.user, Team.objects.all()).with_counts()


class StatsView(APIView):
    """Live counts by sub-region of `region` (default: the caller's scope root)."""

    @extend_schema(responses=inline_serializer("PeopleStats", {"rows": serializers.ListField()}))
    def get(self, request):
        require(request.user, "people.dashboard.view")
        roots = scope_roots(request.user)
        focus = Region.objects.filter(code=request.query_params.get("region", "")).first()
        if focus is None or not any(focus.is_within(r) for r in roots):
            focus = roots[0] if roots else None
        if focus is None:
            return Response({"region": None, "rows": []})
        rows, total = region_stats(request.user, focus, baseline_date(request))
        return Response(
            {
                "region": focus.code,
                "since": baseline_date(request).isoformat(),
                "as_of": timezone.now().isoformat(),
                "total": total,
                "rows": [{"region": r.code, "name": r.name, **f} for r, f in rows],
            }
        )
