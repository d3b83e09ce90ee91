"""The people registry's API: the same services, scope and FilterSets as the pages. The
base (`ScopedViewSet`) checks the permission of each action, fetches rows through the
scope engine and applies the object rules; errors follow the one contract of
`kepu.core.api.errors`."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kepu.core import clock
from kepu.core.api.base import ScopedViewSet
from kepu.core.api.pagination import Pagination
from kepu.core.models import Region
from kepu.core.pagination import CappedPaginator
from kepu.core.privacy import no_store
from kepu.core.scope import require, scope_roots
from kepu.people import services
from kepu.people.api.serializers import (
    ExpertPoolSerializer,
    OfficerActivitySerializer,
    PersonSerializer,
    PoolMembershipSerializer,
    RegistrationSerializer,
    RejectSerializer,
    RevealSerializer,
    TeamSerializer,
)
from kepu.people.filters import (
    FILTERED_COUNT_CAP,
    ExpertFilter,
    OfficerActivityFilter,
    PersonFilter,
    RegistrationFilter,
    TeamFilter,
)
from kepu.people.models import (
    ExpertPool,
    OfficerActivity,
    Person,
    PoolMembership,
    Registration,
    Team,
)
from kepu.people.stats import baseline, region_stats


class _SearchPaginator(CappedPaginator):
    cap = FILTERED_COUNT_CAP


class PersonPagination(Pagination):
    """`count` capped at 1,000 for a search or a filter (see the list page), at 10,000
    for the whole registry."""

    def paginate_queryset(self, queryset, request, view=None):
        filtered = any(request.query_params.get(name) for name in PersonFilter.base_filters)
        self.django_paginator_class = _SearchPaginator if filtered else CappedPaginator
        return super().paginate_queryset(queryset, request, view)


class PersonViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """People in the caller's scope; ID and phone numbers masked. `q` searches Chinese
    text with exact "contains" semantics (or finds an ID/phone number by its hash)."""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    pagination_class = PersonPagination
    queryset = Person.objects.none()

    def base_queryset(self):
        return Person.objects.with_relations()

    def get_queryset(self):
        # Lists leave out erased tombstones; a single row is still reachable by its id.
        return super().get_queryset().live()

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
    @action(detail=True, methods=["post"], scope_action="reveal")
    def reveal(self, request, pk=None):
        """Full ID and phone number, with a reason; needs the reveal permission; audited."""
        person = self.get_object()
        data = self.input(RevealSerializer)
        values = services.reveal(person, actor=request.user, reason=data["reason"])
        return no_store(Response(values))


class RegistrationViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Registrations; `certify` and `reject` for officers of the person's region (never
    of their own registration)."""

    model = Registration
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    queryset = Registration.objects.none()

    def base_queryset(self):
        return Registration.objects.with_relations()

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], scope_action="review")
    def certify(self, request, pk=None):
        registration = services.certify_registration(self.get_object(), actor=request.user)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=RejectSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], scope_action="review")
    def reject(self, request, pk=None):
        registration = self.get_object()
        data = self.input(RejectSerializer)
        registration = services.reject_registration(
            registration, actor=request.user, reason=data["reason"]
        )
        return Response(RegistrationSerializer(registration).data)


class ExpertPoolViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Expert pools: pool names are not personal data, so every active pool is listed to
    whoever may view pools (the scope rule's public rows)."""

    model = ExpertPool
    public = True
    serializer_class = ExpertPoolSerializer
    queryset = ExpertPool.objects.none()

    def base_queryset(self):
        return ExpertPool.objects.select_related("region")


class PoolMembershipViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Find experts: `?pool_kind=emergency&topic=earthquake&region=5101&available=true`."""

    model = PoolMembership
    serializer_class = PoolMembershipSerializer
    filterset_class = ExpertFilter
    queryset = PoolMembership.objects.none()

    def base_queryset(self):
        return PoolMembership.objects.with_relations()

    def get_queryset(self):
        return super().get_queryset().distinct()  # the topic filter joins the topics


class TeamViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Volunteer teams (the list page's filters); `certify` for another officer of the
    team's region than the one who filed it (four-eyes)."""

    model = Team
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    queryset = Team.objects.none()

    def base_queryset(self):
        return Team.objects.with_relations()

    @extend_schema(request=None, responses=TeamSerializer)
    @action(detail=True, methods=["post"], scope_action="certify")
    def certify(self, request, pk=None):
        from kepu.people import team_services

        team = team_services.certify_team(self.get_object(), actor=request.user)
        return Response(TeamSerializer(team).data)


class StatsView(APIView):
    """Live counts by sub-region of `region` (default: the caller's scope root) and
    `?since=YYYY-MM-DD` (default: the targets' baseline). Not a model endpoint: the
    dashboard permission is checked here."""

    @extend_schema(responses=inline_serializer("PeopleStats", {"rows": serializers.ListField()}))
    def get(self, request):
        require(request.user, "people.dashboard.view")
        roots = scope_roots(request.user)
        focus = Region.objects.filter(code=request.query_params.get("region", "")).first()
        if focus is None or not any(focus.is_within(r) for r in roots):
            focus = roots[0] if roots else None
        if focus is None:
            return Response({"region": None, "rows": []})
        base = baseline(request.query_params, focus)
        since = base.since
        rows, total = region_stats(request.user, focus, since)
        return Response(
            {
                "region": focus.code,
                "since": since.isoformat(),
                "baseline_plan": base.plan,
                "as_of": clock.now().isoformat(),
                "total": total,
                "rows": [{"region": r.code, "name": r.name, **f} for r, f in rows],
            }
        )


class OfficerActivityViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Information officers' activity log (the page's filters). Creating is idempotent on
    `client_key`: the same key for the same officer returns the first row with 200."""

    model = OfficerActivity
    serializer_class = OfficerActivitySerializer
    filterset_class = OfficerActivityFilter
    queryset = OfficerActivity.objects.none()

    def base_queryset(self):
        return OfficerActivity.objects.with_relations()

    def create(self, request, *args, **kwargs):
        from rest_framework import status

        from kepu.core.errors import DomainError
        from kepu.people.officers import record_activity

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = data.pop("person", None) or getattr(request.user, "person", None)
        if person is None:
            raise DomainError({"person": _("Say whose activity this is.")})
        activity, created = record_activity(person, actor=request.user, **data)
        return Response(
            self.get_serializer(activity).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
