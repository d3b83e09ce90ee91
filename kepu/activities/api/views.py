from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from kepu.activities import choices as c
from kepu.activities import services
from kepu.activities.api.serializers import (
    ActivitySerializer,
    CampaignSerializer,
    CheckInSerializer,
    FacilitySerializer,
    ReasonSerializer,
    ReportSerializer,
    SignUpSerializer,
)
from kepu.activities.filters import ActivityFilter
from kepu.activities.models import Activity, Campaign, MobileFacility, SignUp
from kepu.activities.permissions import (
    get_activity_for_user,
    get_campaign_for_user,
    get_facility_for_user,
)
from kepu.core.errors import DomainError
from kepu.core.scope import require, visible_to


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be done in the current state.")
    default_code = "conflict"


def conflicts(call):
    """Run a state change; a refusal of the whole request (a transition not allowed from
    the current state, e.g. a second reviewer deciding an activity already decided) is
    409 Conflict. Refused fields (a missing reason) stay 400 (core exception handler)."""
    try:
        return call()
    except DomainError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise Conflict(" ".join(exc.messages)) from exc


def _fresh(activity) -> dict:
    return ActivitySerializer(Activity.objects.with_relations().get(pk=activity.pk)).data


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Activities of the caller's own scope (as in the back office: published activities
    of other regions are on the public calendar, not here). Same filters as the list page.
    Created as drafts; `submit`, `approve` / `return` / `reject`, `cancel` move them on."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    queryset = Activity.objects.none()

    def get_queryset(self):
        queryset = Activity.objects.with_relations().select_related("report__filed_by")
        return visible_to(self.request.user, queryset, public=False)

    def get_object(self):
        action_name = "change" if self.request.method in ("PUT", "PATCH") else "view"
        return get_activity_for_user(self.request.user, self.kwargs["pk"], action_name)

    def list(self, request, *args, **kwargs):
        require(request.user, "activities.activity.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        require(request.user, "activities.activity.view")
        return super().retrieve(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        require(request.user, "activities.activity.create")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require(request.user, "activities.activity.change")
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_activity(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_activity(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    # --- the workflow -------------------------------------------------------------------

    def _checked(self, request, pk, permission):
        require(request.user, f"activities.activity.{permission}")
        return get_activity_for_user(request.user, pk, permission)

    def _reason(self, request) -> str:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("reason", "")

    def _review(self, request, pk, step):
        activity = self._checked(request, pk, "review")
        reason = self._reason(request)
        activity = conflicts(
            lambda: services.review_activity(activity, actor=request.user, step=step, reason=reason)
        )
        return Response(_fresh(activity))

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft (or a returned activity) for review."""
        activity = self._checked(request, pk, "submit")
        activity = conflicts(lambda: services.submit_activity(activity, actor=request.user))
        return Response(_fresh(activity))

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted activity: it is published. 409 when already decided."""
        return self._review(request, pk, "approve")

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return a submitted activity to its organizer, with the reason."""
        return self._review(request, pk, "return")

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a submitted activity, with the reason."""
        return self._review(request, pk, "reject")

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an activity that has not been rejected or cancelled, with the reason."""
        activity = self._checked(request, pk, "cancel")
        reason = self._reason(request)
        activity = conflicts(
            lambda: services.cancel_activity(activity, actor=request.user, reason=reason)
        )
        return Response(_fresh(activity))

    # --- sign-ups, check-in, report -----------------------------------------------------

    @extend_schema(
        responses=SignUpSerializer(many=True),
        parameters=[OpenApiParameter("status", enum=c.SignUpStatus.values)],
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def signups(self, request, pk=None):
        """The sign-ups of an activity (phone numbers masked), oldest first per status."""
        require(request.user, "activities.signup.view")
        activity = get_activity_for_user(request.user, pk)
        queryset = visible_to(request.user, SignUp).filter(activity=activity)
        wanted = request.query_params.get("status", "")
        if wanted in c.SignUpStatus.values:
            queryset = queryset.filter(status=wanted)
        page = self.paginate_queryset(queryset.order_by("status", "created_at", "pk"))
        return self.get_paginated_response(SignUpSerializer(page, many=True).data)

    @extend_schema(
        request=CheckInSerializer,
        responses=inline_serializer(
            "CheckInResult",
            {
                "message": serializers.CharField(),
                "signup": SignUpSerializer(),
                "confirmed": serializers.IntegerField(),
                "arrived": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def checkin(self, request, pk=None):
        """Check a ticket in by its code; a ticket counts once (409 the second time)."""
        require(request.user, "activities.activity.checkin")
        activity = get_activity_for_user(request.user, pk, "checkin")
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data["code"]
        signup = conflicts(lambda: services.check_in(activity, actor=request.user, code=code))
        confirmed = activity.signups.filter(status=c.SignUpStatus.CONFIRMED)
        return Response(
            {
                "message": _("Welcome, %(name)s. Ticket %(code)s checked in.")
                % {"name": signup.name, "code": signup.ticket_code},
                "signup": SignUpSerializer(signup).data,
                "confirmed": confirmed.count(),
                "arrived": confirmed.filter(checked_in_at__isnull=False).count(),
            }
        )

    @extend_schema(request=ReportSerializer, responses={201: ReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """File the after-event report (photos are added on the page)."""
        activity = self._checked(request, pk, "report")
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = conflicts(
            lambda: services.file_report(activity, actor=request.user, **data.validated_data)
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Theme campaigns (public: every signed-in user may read them); officers create them
    in their regions."""

    serializer_class = CampaignSerializer
    filterset_fields = ["year", "kind"]
    queryset = Campaign.objects.none()

    def get_queryset(self):
        return visible_to(self.request.user, Campaign.objects.select_related("region"))

    def get_object(self):
        return get_campaign_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        require(request.user, "activities.campaign.create")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_campaign(
            actor=self.request.user, **serializer.validated_data
        )


class FacilityViewSet(viewsets.ReadOnlyModelViewSet):
    """Mobile facilities (科普大篷车, 流动科技馆) whose tours activities can be stops of."""

    serializer_class = FacilitySerializer
    filterset_fields = ["kind", "is_active"]
    queryset = MobileFacility.objects.none()

    def get_queryset(self):
        require(self.request.user, "activities.mobilefacility.view")
        return visible_to(
            self.request.user, MobileFacility.objects.select_related("region", "organization")
        )

    def get_object(self):
        require(self.request.user, "activities.mobilefacility.view")
        return get_facility_for_user(self.request.user, self.kwargs["pk"])
