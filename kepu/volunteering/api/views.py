"""The volunteer service REST API: orders through dispatch, claim, acceptance, service and
closing (the same state machine and scope as the pages), public ordering and rating,
check-in and check-out, the hour ledger and certificates.

Every viewset derives from `kepu.core.api.base.ScopedViewSet`: the permission is checked
first (403), a row outside the caller's scope is 404, visible without the right to a step
403. Errors follow the one contract of `kepu.core.api.errors`: a refused transition (the
order is no longer in a state that allows the step: `StateConflict`) is 409 `conflict`,
refused fields 400 `invalid`, other refusals 400 `refused`."""

import uuid

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kepu.core import ratelimit, scope
from kepu.core.api.base import DEFAULT_ACTIONS, ScopedViewSet
from kepu.core.choices import NoticePurpose
from kepu.core.models import PrivacyNotice
from kepu.people.models import Person
from kepu.volunteering import choices as c
from kepu.volunteering import matching, services
from kepu.volunteering.api.serializers import (
    AcceptSerializer,
    AssignmentSerializer,
    CertificateCheckSerializer,
    CertificateSerializer,
    ClaimSerializer,
    DispatchSerializer,
    HourEntrySerializer,
    NoteSerializer,
    PublicOrderSerializer,
    PublicOrderStatusSerializer,
    RateSerializer,
    ServiceOrderDetailSerializer,
    ServiceOrderSerializer,
    StepReasonSerializer,
    SuggestionsSerializer,
)
from kepu.volunteering.filters import (
    AssignmentFilter,
    CertificateFilter,
    HourFilter,
    OrderFilter,
)
from kepu.volunteering.models import Assignment, Certificate, HourEntry, ServiceOrder

A = c.OrderAction


def _detail_queryset():
    return ServiceOrder.objects.with_relations().prefetch_related(
        "events",
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("person", "hour_entry", "order"),
        ),
    )


def _fresh(order) -> dict:
    return ServiceOrderDetailSerializer(_detail_queryset().get(pk=order.pk)).data


# --- orders -------------------------------------------------------------------------------


class ServiceOrderViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Service orders of the caller's scope: the region's officers, the department they
    were dispatched to, the leader of the team that holds them. The contact's phone number
    appears only masked. Each step is a POST on the order (`dispatch`, `claim`, `accept`,
    `return`, `reject`, `complete`, `close`) and answers the order with its timeline; a
    step the order's status does not allow is 409."""

    model = ServiceOrder
    serializer_class = ServiceOrderSerializer
    filterset_class = OrderFilter
    queryset = ServiceOrder.objects.none()

    def get_serializer_class(self):
        return ServiceOrderDetailSerializer if self.action == "retrieve" else ServiceOrderSerializer

    def base_queryset(self):
        if self.action == "retrieve":
            return _detail_queryset()
        return ServiceOrder.objects.with_relations()

    # --- the steps ----------------------------------------------------------------------

    @extend_schema(request=DispatchSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="dispatch",
        url_name="dispatch",
        filterset_class=None,
        scope_action=services.STEP_PERMISSION[A.DISPATCH],
    )
    def dispatch_order(self, request, pk=None):
        """派单: send the order to a member department (`department`, which claims it) or
        directly to a team (`team`, which accepts it)."""
        order = self.get_object()
        # The state first (409), then the choices, which are the order's (as on the page).
        services._check(order, A.DISPATCH)
        data = self.input(DispatchSerializer, order=order)
        order = services.dispatch(
            order, actor=request.user, department=data.get("department"), team=data.get("team")
        )
        return Response(_fresh(order))

    @extend_schema(request=ClaimSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        scope_action=services.STEP_PERMISSION[A.CLAIM],
    )
    def claim(self, request, pk=None):
        """领单: the department passes the order to one of its own teams."""
        order = self.get_object()
        services._check(order, A.CLAIM)  # the state first (409), then the choices
        team = self.input(ClaimSerializer, order=order)["team"]
        return Response(_fresh(services.claim(order, actor=request.user, team=team)))

    @extend_schema(request=AcceptSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        scope_action=services.STEP_PERMISSION[A.ACCEPT],
    )
    def accept(self, request, pk=None):
        """接单: the team accepts and assigns volunteers (ids of its members)."""
        order = self.get_object()
        ids = self.input(AcceptSerializer)["volunteers"]
        people = list(Person.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {p.pk for p in people})
        if missing:
            raise serializers.ValidationError(
                {
                    "volunteers": [
                        _("Not members of the team: %(names)s")
                        % {"names": "、".join(map(str, missing))}
                    ]
                }
            )
        # The service refuses a wrong status (409) before people outside the team (400).
        return Response(_fresh(services.accept(order, actor=request.user, volunteers=people)))

    @extend_schema(request=StepReasonSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filterset_class=None,
        scope_action="view",
    )
    def return_(self, request, pk=None):
        """Hand the order back one level, with the reason: the department to the
        dispatcher, the team to the department (or the dispatcher)."""
        # Who may return depends on who holds the order: the department while it is
        # dispatched to it (`claim`), the team after (`accept`).
        held = self.get_object()
        permission = services.return_permission(held)
        scope.require(request.user, scope.permission_code(ServiceOrder, permission))
        order = scope.get_for_user(self.base_queryset(), request.user, pk, permission, public=False)
        reason = self.input(StepReasonSerializer).get("reason", "")
        return Response(_fresh(services.return_order(order, actor=request.user, reason=reason)))

    @extend_schema(request=StepReasonSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        scope_action=services.STEP_PERMISSION[A.REJECT],
    )
    def reject(self, request, pk=None):
        """Turn the order down (not a volunteer service, out of area …), with the reason."""
        order = self.get_object()
        reason = self.input(StepReasonSerializer).get("reason", "")
        return Response(_fresh(services.reject(order, actor=request.user, reason=reason)))

    @extend_schema(request=None, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        scope_action=services.STEP_PERMISSION[A.COMPLETE],
    )
    def complete(self, request, pk=None):
        """The team closes the service: every volunteer has checked out; their hours are
        approved with it."""
        return Response(_fresh(services.complete(self.get_object(), actor=request.user)))

    @extend_schema(request=NoteSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        scope_action=services.STEP_PERMISSION[A.CLOSE],
    )
    def close(self, request, pk=None):
        """Close a served order that the requester has not rated."""
        order = self.get_object()
        note = self.input(NoteSerializer).get("note", "")
        return Response(_fresh(services.close(order, actor=request.user, note=note)))

    @extend_schema(request=None, responses=SuggestionsSerializer)
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        scope_action="match",
    )
    def suggestions(self, request, pk=None):
        """Suggested teams and volunteers, best first, each with a score out of 100 and the
        reasons for it (specialty fit, distance, availability, current load)."""
        order = self.get_object()
        body = {
            "teams": matching.suggest_teams(order),
            "volunteers": matching.suggest_volunteers(order),
        }
        return Response(SuggestionsSerializer(body).data)


# --- public ordering ------------------------------------------------------------------------


class PublicOrderViewSet(ScopedViewSet):
    """群众点单 without an account: place an order, follow it through its private link
    (the `token` answered on placing it) and rate the service. Open to everyone: the
    private link is the requester's key."""

    model = ServiceOrder
    public = True
    open_actions = ("create", "retrieve", "rate")
    permission_classes = [AllowAny]
    serializer_class = PublicOrderStatusSerializer
    queryset = ServiceOrder.objects.none()
    lookup_field = "token"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"
    pagination_class = None
    filterset_class = None

    def get_object(self):
        """The order of the private link (the token is the key; no scope applies)."""
        order = (
            ServiceOrder.objects.select_related("region", "team")
            .prefetch_related("events")
            .filter(token=self.kwargs["token"])
            .first()
            if _is_uuid(self.kwargs["token"])
            else None
        )
        if order is None:
            raise Http404
        return order

    @extend_schema(
        request=PublicOrderSerializer,
        responses={201: PublicOrderStatusSerializer, 200: PublicOrderStatusSerializer},
    )
    def create(self, request):
        """Place an order (201); the same `client_key` again answers the first order (200)
        and places nothing. The phone number is stored encrypted and shown only masked."""
        if not ratelimit.allow(
            request, "api-service-order", limit=settings.PUBLIC_ORDER_LIMIT, per_seconds=3600
        ):
            raise Throttled()
        data = dict(self.input(PublicOrderSerializer))
        data.pop("consent")
        order, created = services.submit_order(
            actor=request.user,
            notice=PrivacyNotice.current(NoticePurpose.ORDER),
            **data,
        )
        prefetch_related_objects([order], "region", "team", "events")
        return Response(
            PublicOrderStatusSerializer(order).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def retrieve(self, request, token=None):
        """The order's status and timeline."""
        return Response(PublicOrderStatusSerializer(self.get_object()).data)

    @extend_schema(request=RateSerializer, responses=PublicOrderStatusSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, token=None):
        """评单: one to five stars once the service is done; it closes the order (409
        when the order is not waiting for a rating)."""
        order = self.get_object()
        data = self.input(RateSerializer)
        services.rate(order, rating=data["rating"], comment=data.get("comment", ""))
        return Response(PublicOrderStatusSerializer(self.get_object()).data)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- assignments: check-in and check-out -------------------------------------------------


class AssignmentViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Assignments of volunteers to orders: a volunteer's own (and, for a team leader,
    the team's), the region's for its officers. `mine=true` keeps one's own. A volunteer
    checks in on arrival and out on leaving; the check-out records the hours."""

    model = Assignment
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = Assignment.objects.none()

    def base_queryset(self):
        return Assignment.objects.select_related(
            "order", "order__region", "order__team", "person", "hour_entry"
        ).order_by("-order__window_start", "pk")

    def _answer(self, assignment):
        fresh = Assignment.objects.select_related("order", "person", "hour_entry").get(
            pk=assignment.pk
        )
        return Response(AssignmentSerializer(fresh).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="check-in",
        url_name="check-in",
        scope_action="checkin",
    )
    def check_in(self, request, pk=None):
        """Arrive at the service (a second tap keeps the first time)."""
        return self._answer(services.check_in(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="check-out",
        url_name="check-out",
        scope_action="checkin",
    )
    def check_out(self, request, pk=None):
        """Leave the service: the time since check-in becomes an hour entry, confirmed
        when the team completes the order (a second tap keeps the first time)."""
        return self._answer(services.check_out(self.get_object(), actor=request.user))


# --- the hour ledger ---------------------------------------------------------------------


class HourEntryViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """The hour ledger of the caller's scope (a volunteer's own; a team leader's team).
    Hours recorded by hand are pending until the team leader or an officer approves them;
    nobody decides on their own hours (403)."""

    model = HourEntry
    serializer_class = HourEntrySerializer
    filterset_class = HourFilter
    queryset = HourEntry.objects.none()

    def base_queryset(self):
        return HourEntry.objects.select_related("person", "team", "order", "region")

    def create(self, request, *args, **kwargs):
        """Record a period of service by hand (pending until approved)."""
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.add_manual_entry(
            actor=self.request.user, **serializer.validated_data
        )

    def _decide(self, request, approve: bool):
        entry = self.get_object()  # one's own hours: 403 (rules.not_own_hours)
        reason = "" if approve else self.input(StepReasonSerializer).get("reason", "")
        entry = services.decide_entry(entry, actor=request.user, approve=approve, reason=reason)
        return Response(HourEntrySerializer(self.base_queryset().get(pk=entry.pk)).data)

    @extend_schema(request=None, responses=HourEntrySerializer)
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="approve")
    def approve(self, request, pk=None):
        """Approve a pending entry: it counts in the ledger (409 once decided)."""
        return self._decide(request, approve=True)

    @extend_schema(request=StepReasonSerializer, responses=HourEntrySerializer)
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="approve")
    def reject(self, request, pk=None):
        """Reject a pending entry, with the reason (409 once decided)."""
        return self._decide(request, approve=False)


# --- certificates --------------------------------------------------------------------------


class CertificateViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Service record certificates (志愿服务记录证明) of the caller's scope. Issued in the
    name of the team that recorded the hours (谁记录谁证明); anyone can check a number."""

    model = Certificate
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    queryset = Certificate.objects.none()
    open_actions = ("verify",)
    action_permissions = {**DEFAULT_ACTIONS, "create": "issue"}

    def base_queryset(self):
        return Certificate.objects.select_related("person", "team", "team__organization")

    def create(self, request, *args, **kwargs):
        """Issue a certificate of the approved hours of `person` with `team` between
        `period_start` and `period_end`."""
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.issue_certificate(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses=CertificateCheckSerializer)
    @action(
        detail=False,
        methods=["get"],
        url_path=r"verify/(?P<number>[0-9A-Za-z]{1,24})",
        url_name="verify",
        permission_classes=[AllowAny],
        filter_backends=[],
        pagination_class=None,
    )
    def verify(self, request, number=None):
        """Check a certificate number (public): the holder's name masked; 404 when no
        certificate has this number."""
        certificate = (
            Certificate.objects.select_related("team", "team__organization")
            .filter(number=number.upper(), revoked_at__isnull=True)
            .first()
        )
        if certificate is None:
            raise Http404
        return Response(CertificateCheckSerializer(certificate).data)

    @extend_schema(request=StepReasonSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], scope_action="revoke")
    def revoke(self, request, pk=None):
        """Revoke a certificate issued in error, with the reason: the public check no
        longer confirms it. 409 when it is already revoked."""
        certificate = self.get_object()
        reason = self.input(StepReasonSerializer).get("reason", "")
        certificate = services.revoke_certificate(certificate, actor=request.user, reason=reason)
        return Response(CertificateSerializer(certificate).data)
