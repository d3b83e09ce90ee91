"""The volunteer service REST API: orders through dispatch, claim, acceptance, service and
closing (the same state machine and scope as the pages), public ordering and rating,
check-in and check-out, the hour ledger and certificates.

Outside the caller's scope a row is 404; visible without the right to a step, 403. A
refused transition (the order is no longer in a state that allows the step) is 409
Conflict; refused fields are 400."""

import datetime
import uuid

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kepu.core import ratelimit
from kepu.core.errors import DomainError
from kepu.core.models import PrivacyNotice
from kepu.core.scope import get_for_user, require, visible_to
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
from kepu.volunteering.filters import OrderFilter
from kepu.volunteering.models import Assignment, Certificate, HourEntry, ServiceOrder
from kepu.volunteering.permissions import (
    get_assignment_for_user,
    get_certificate_for_user,
    get_entry_for_user,
)

A = c.OrderAction
ORDER = "volunteering.serviceorder"
# Public orders per client address and hour (a retry with the same client_key counts too).
PUBLIC_ORDER_LIMIT = 20


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be done in the current state.")
    default_code = "conflict"


def conflicts(call):
    """Run a state change; a refusal of the whole request (the step is not possible from
    the current state) is 409 Conflict. Refused fields stay 400."""
    try:
        return call()
    except DomainError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise Conflict(" ".join(exc.messages)) from exc


def require_status(order: ServiceOrder, step: str) -> None:
    """409 unless the order's current status allows `step` (checked again, under a lock,
    by the service)."""
    sources, _target = services.TRANSITIONS[step]
    if order.status not in sources:
        raise Conflict(
            _("This order is “%(status)s”; that step is not possible now.")
            % {"status": order.get_status_display()}
        )


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


def _valid(serializer_class, request):
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- orders -------------------------------------------------------------------------------


class ServiceOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Service orders of the caller's scope: the region's officers, the department they
    were dispatched to, the leader of the team that holds them. The contact's phone number
    appears only masked. Each step is a POST on the order (`dispatch`, `claim`, `accept`,
    `return`, `reject`, `complete`, `close`) and answers the order with its timeline."""

    serializer_class = ServiceOrderSerializer
    filterset_class = OrderFilter
    queryset = ServiceOrder.objects.none()

    def get_serializer_class(self):
        return ServiceOrderDetailSerializer if self.action == "retrieve" else ServiceOrderSerializer

    def get_queryset(self):
        return visible_to(self.request.user, ServiceOrder.objects.with_relations(), public=False)

    def get_object(self):
        return get_for_user(_detail_queryset(), self.request.user, self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require(request.user, f"{ORDER}.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        require(request.user, f"{ORDER}.view")
        return super().retrieve(request, *args, **kwargs)

    # --- the steps ----------------------------------------------------------------------

    def _order(self, request, pk, step) -> ServiceOrder:
        """The order for `step`: 403 without the permission, 404 outside scope, 403 in
        view scope without the step's permission there, 409 in the wrong status."""
        if step == A.RETURN:
            # The department returns while it holds the order, the team after.
            require(request.user, f"{ORDER}.view")
            current = get_for_user(ServiceOrder, request.user, pk)
            permission = services.return_permission(current)
        else:
            permission = services.STEP_PERMISSION[step]
        require(request.user, f"{ORDER}.{permission}")
        order = get_for_user(ServiceOrder.objects.with_relations(), request.user, pk, permission)
        require_status(order, step)
        return order

    @extend_schema(request=DispatchSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="dispatch",
        url_name="dispatch",
        filterset_class=None,
    )
    def dispatch_order(self, request, pk=None):
        """派单: send the order to a member department (`department`, which claims it) or
        directly to a team (`team`, which accepts it)."""
        order = self._order(request, pk, A.DISPATCH)
        data = _valid(DispatchSerializer, request)
        order = conflicts(
            lambda: services.dispatch(
                order, actor=request.user, department=data.get("department"), team=data.get("team")
            )
        )
        return Response(_fresh(order))

    @extend_schema(request=ClaimSerializer, responses=ServiceOrderDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def claim(self, request, pk=None):
        """领单: the department passes the order to one of its own teams."""
        order = self._order(request, pk, A.CLAIM)
        team = _valid(ClaimSerializer, request)["team"]
        order = conflicts(lambda: services.claim(order, actor=request.user, team=team))
        return Response(_fresh(order))

    @extend_schema(request=AcceptSerializer, responses=ServiceOrderDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        """接单: the team accepts and assigns volunteers (ids of its members)."""
        order = self._order(request, pk, A.ACCEPT)
        ids = _valid(AcceptSerializer, request)["volunteers"]
        people = list(
            Person.objects.filter(pk__in=ids, team_memberships__team_id=order.team_id).distinct()
        )
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
        order = conflicts(lambda: services.accept(order, actor=request.user, volunteers=people))
        return Response(_fresh(order))

    @extend_schema(request=StepReasonSerializer, responses=ServiceOrderDetailSerializer)
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None
    )
    def return_(self, request, pk=None):
        """Hand the order back one level, with the reason: the department to the
        dispatcher, the team to the department (or the dispatcher)."""
        order = self._order(request, pk, A.RETURN)
        reason = _valid(StepReasonSerializer, request).get("reason", "")
        order = conflicts(lambda: services.return_order(order, actor=request.user, reason=reason))
        return Response(_fresh(order))

    @extend_schema(request=StepReasonSerializer, responses=ServiceOrderDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        """Turn the order down (not a volunteer service, out of area …), with the reason."""
        order = self._order(request, pk, A.REJECT)
        reason = _valid(StepReasonSerializer, request).get("reason", "")
        order = conflicts(lambda: services.reject(order, actor=request.user, reason=reason))
        return Response(_fresh(order))

    @extend_schema(request=None, responses=ServiceOrderDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def complete(self, request, pk=None):
        """The team closes the service: every volunteer has checked out; their hours are
        approved with it."""
        order = self._order(request, pk, A.COMPLETE)
        order = conflicts(lambda: services.complete(order, actor=request.user))
        return Response(_fresh(order))

    @extend_schema(request=NoteSerializer, responses=ServiceOrderDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        """Close a served order that the requester has not rated."""
        order = self._order(request, pk, A.CLOSE)
        note = _valid(NoteSerializer, request).get("note", "")
        order = conflicts(lambda: services.close(order, actor=request.user, note=note))
        return Response(_fresh(order))

    @extend_schema(request=None, responses=SuggestionsSerializer)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def suggestions(self, request, pk=None):
        """Suggested teams and volunteers, best first, each with a score out of 100 and the
        reasons for it (specialty fit, distance, availability, current load)."""
        require(request.user, f"{ORDER}.match")
        order = get_for_user(ServiceOrder.objects.with_relations(), request.user, pk, "match")
        body = {
            "teams": matching.suggest_teams(order),
            "volunteers": matching.suggest_volunteers(order),
        }
        return Response(SuggestionsSerializer(body).data)


# --- public ordering ------------------------------------------------------------------------


class PublicOrderViewSet(viewsets.GenericViewSet):
    """群众点单 without an account: place an order, follow it through its private link
    (the `token` answered on placing it) and rate the service."""

    permission_classes = [AllowAny]
    serializer_class = PublicOrderStatusSerializer
    queryset = ServiceOrder.objects.none()
    lookup_field = "token"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"
    pagination_class = None
    filterset_class = None

    def get_object(self):
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
            request, "api-service-order", limit=PUBLIC_ORDER_LIMIT, per_seconds=3600
        ):
            raise Throttled()
        data = dict(_valid(PublicOrderSerializer, request))
        data.pop("consent")
        order, created = services.submit_order(
            actor=request.user,
            notice=PrivacyNotice.current(),
            **data,
        )
        order = (
            ServiceOrder.objects.select_related("region", "team")
            .prefetch_related("events")
            .get(pk=order.pk)
        )
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
        """评单: one to five stars once the service is done; it closes the order."""
        order = self.get_object()
        require_status(order, A.RATE)
        data = _valid(RateSerializer, request)
        conflicts(
            lambda: services.rate(order, rating=data["rating"], comment=data.get("comment", ""))
        )
        return Response(PublicOrderStatusSerializer(self.get_object()).data)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- assignments: check-in and check-out -------------------------------------------------


class AssignmentFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label=gettext_lazy("My own"))
    order = django_filters.NumberFilter(field_name="order_id", label=gettext_lazy("Order"))
    open = django_filters.BooleanFilter(method="filter_open", label=gettext_lazy("Still to serve"))

    class Meta:
        model = Assignment
        fields = ["mine", "order", "open"]

    def filter_mine(self, qs, name, value):
        if value is None:
            return qs
        mine = {"person__user": self.request.user}
        return qs.filter(**mine) if value else qs.exclude(**mine)

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        waiting = {
            "order__status__in": (c.OrderStatus.ACCEPTED, c.OrderStatus.IN_SERVICE),
            "checked_out_at__isnull": True,
        }
        return qs.filter(**waiting) if value else qs.exclude(**waiting)


class AssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Assignments of volunteers to orders: a volunteer's own (and, for a team leader,
    the team's), the region's for its officers. `mine=true` keeps one's own. A volunteer
    checks in on arrival and out on leaving; the check-out records the hours."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = Assignment.objects.none()

    def get_queryset(self):
        queryset = Assignment.objects.select_related("order", "person", "hour_entry").order_by(
            "-order__window_start", "pk"
        )
        return visible_to(self.request.user, queryset, public=False)

    def list(self, request, *args, **kwargs):
        require(request.user, "volunteering.assignment.view")
        return super().list(request, *args, **kwargs)

    def _assignment(self, request, pk) -> Assignment:
        require(request.user, "volunteering.assignment.checkin")
        return get_assignment_for_user(request.user, pk, "checkin")

    def _answer(self, assignment):
        fresh = Assignment.objects.select_related("order", "person", "hour_entry").get(
            pk=assignment.pk
        )
        return Response(AssignmentSerializer(fresh).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        """Arrive at the service (a second tap keeps the first time)."""
        assignment = self._assignment(request, pk)
        if not assignment.checked_in_at:
            require_status(assignment.order, A.CHECK_IN)
        assignment = conflicts(lambda: services.check_in(assignment, actor=request.user))
        return self._answer(assignment)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-out", url_name="check-out")
    def check_out(self, request, pk=None):
        """Leave the service: the time since check-in becomes an hour entry, confirmed
        when the team completes the order (a second tap keeps the first time)."""
        assignment = self._assignment(request, pk)
        if not assignment.checked_out_at:
            require_status(assignment.order, A.CHECK_OUT)
        assignment = conflicts(lambda: services.check_out(assignment, actor=request.user))
        return self._answer(assignment)


# --- the hour ledger ---------------------------------------------------------------------


def _period_bounds(value: str):
    """ "2025" or "2025-03": the local start and end of that year or month."""
    year, _sep, month = value.partition("-")
    tz = timezone.get_current_timezone()
    if month:
        start = datetime.date(int(year), int(month), 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
    else:
        start, end = datetime.date(int(year), 1, 1), datetime.date(int(year) + 1, 1, 1)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )


class HourFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label=gettext_lazy("Volunteer"))
    team = django_filters.NumberFilter(field_name="team_id", label=gettext_lazy("Service team"))
    status = django_filters.ChoiceFilter(choices=c.HourStatus.choices, label=gettext_lazy("Status"))
    period = django_filters.CharFilter(
        method="filter_period",
        label=gettext_lazy("Year or month (2025, 2025-03)"),
        validators=[RegexValidator(r"^\d{4}(-(0[1-9]|1[0-2]))?$")],
    )

    class Meta:
        model = HourEntry
        fields = ["person", "team", "status", "period"]

    def filter_period(self, qs, name, value):
        if not value:
            return qs
        start, end = _period_bounds(value)
        return qs.filter(started_at__gte=start, started_at__lt=end)


class HourEntryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The hour ledger of the caller's scope (a volunteer's own; a team leader's team).
    Hours recorded by hand are pending until the team leader or an officer approves them;
    nobody decides on their own hours."""

    serializer_class = HourEntrySerializer
    filterset_class = HourFilter
    queryset = HourEntry.objects.none()

    def get_queryset(self):
        queryset = HourEntry.objects.select_related("person", "team", "order", "region")
        return visible_to(self.request.user, queryset, public=False)

    def list(self, request, *args, **kwargs):
        require(request.user, "volunteering.hourentry.view")
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        """Record a period of service by hand (pending until approved)."""
        require(request.user, "volunteering.hourentry.create")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.add_manual_entry(
            actor=self.request.user, **serializer.validated_data
        )

    def _decide(self, request, pk, approve: bool):
        require(request.user, "volunteering.hourentry.approve")
        entry = get_entry_for_user(request.user, pk, "approve")
        if entry.status != c.HourStatus.PENDING:
            raise Conflict(_("This entry has already been decided."))
        if entry.person.user_id == request.user.pk:
            raise PermissionDenied(_("You cannot approve your own hours."))
        reason = "" if approve else _valid(StepReasonSerializer, request).get("reason", "")
        entry = conflicts(
            lambda: services.decide_entry(entry, actor=request.user, approve=approve, reason=reason)
        )
        fresh = HourEntry.objects.select_related("person", "team", "order", "region")
        return Response(HourEntrySerializer(fresh.get(pk=entry.pk)).data)

    @extend_schema(request=None, responses=HourEntrySerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """Approve a pending entry: it counts in the ledger."""
        return self._decide(request, pk, approve=True)

    @extend_schema(request=StepReasonSerializer, responses=HourEntrySerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        """Reject a pending entry, with the reason."""
        return self._decide(request, pk, approve=False)


# --- certificates --------------------------------------------------------------------------


class CertificateViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Service record certificates (志愿服务记录证明) of the caller's scope. Issued in the
    name of the team that recorded the hours (谁记录谁证明); anyone can check a number."""

    serializer_class = CertificateSerializer
    filterset_fields = ["person", "team"]
    queryset = Certificate.objects.none()

    def get_queryset(self):
        queryset = Certificate.objects.select_related("team", "team__organization")
        return visible_to(self.request.user, queryset, public=False)

    def list(self, request, *args, **kwargs):
        require(request.user, "volunteering.certificate.view")
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        """Issue a certificate of the approved hours of `person` with `team` between
        `period_start` and `period_end`."""
        require(request.user, "volunteering.certificate.issue")
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
    @action(detail=True, methods=["post"], filter_backends=[])
    def revoke(self, request, pk=None):
        """Revoke a certificate issued in error, with the reason: the public check no
        longer confirms it. 409 when it is already revoked."""
        require(request.user, "volunteering.certificate.revoke")
        certificate = get_certificate_for_user(request.user, pk, "revoke")
        if certificate.revoked_at:
            raise Conflict(_("This certificate has already been revoked."))
        reason = _valid(StepReasonSerializer, request).get("reason", "")
        certificate = services.revoke_certificate(certificate, actor=request.user, reason=reason)
        return Response(CertificateSerializer(certificate).data)
