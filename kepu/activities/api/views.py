"""The activities REST API, on the shared base (`kepu.core.api.base.ScopedViewSet`): the
base checks the permission of each action and the caller's scope; the services refuse
what the state does not allow (`StateConflict`, 409) and the rest (400), through the one
error contract of `kepu.core.api.errors`."""

from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
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
from kepu.activities.filters import ActivityFilter, CampaignFilter, FacilityFilter, SignUpFilter
from kepu.activities.models import Activity, Campaign, MobileFacility, SignUp
from kepu.core import scope
from kepu.core.api.base import ScopedViewSet


def _fresh(activity) -> dict:
    return ActivitySerializer(Activity.objects.with_relations().get(pk=activity.pk)).data


class ActivityViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Activities of the caller's own scope (as in the back office: published activities
    of other regions are on the public calendar, not here). Same filters as the list page.
    Created as drafts; `submit`, `approve` / `return` / `reject`, `cancel` move them on."""

    model = Activity
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def base_queryset(self):
        return Activity.objects.with_relations().select_related("report__filed_by")

    def perform_create(self, serializer):
        serializer.instance = services.create_activity(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_activity(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    # --- the workflow -------------------------------------------------------------------

    def _reason(self) -> str:
        return self.input(ReasonSerializer).get("reason", "")

    def _review(self, step):
        activity = self.get_object()
        reason = self._reason()
        activity = services.review_activity(
            activity, actor=self.request.user, step=step, reason=reason
        )
        return Response(_fresh(activity))

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], scope_action="submit")
    def submit(self, request, pk=None):
        """Submit a draft (or a returned activity) for review. 409 in any other state."""
        activity = services.submit_activity(self.get_object(), actor=request.user)
        return Response(_fresh(activity))

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], scope_action="review")
    def approve(self, request, pk=None):
        """Approve a submitted activity: it is published. 409 when already decided."""
        return self._review("approve")

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", scope_action="review"
    )
    def return_(self, request, pk=None):
        """Return a submitted activity to its organizer, with the reason."""
        return self._review("return")

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], scope_action="review")
    def reject(self, request, pk=None):
        """Reject a submitted activity, with the reason."""
        return self._review("reject")

    @extend_schema(request=ReasonSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], scope_action="cancel")
    def cancel(self, request, pk=None):
        """Cancel an activity that has not been rejected or cancelled, with the reason."""
        activity = self.get_object()
        reason = self._reason()
        activity = services.cancel_activity(activity, actor=request.user, reason=reason)
        return Response(_fresh(activity))

    # --- sign-ups, check-in, report -----------------------------------------------------

    @extend_schema(
        responses=SignUpSerializer(many=True),
        parameters=[OpenApiParameter("status", enum=c.SignUpStatus.values)],
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        scope_action="view",
        scope_permission="activities.signup.view",
    )
    def signups(self, request, pk=None):
        """The sign-ups of an activity (phone numbers masked), oldest first per status."""
        # The sign-up permission (a reviewer sees activities, not who signed up); the
        # activity itself is fetched within the caller's view scope.
        activity = self.get_object()
        queryset = scope.visible_to(request.user, SignUp).filter(activity=activity)
        filterset = SignUpFilter(request.query_params, queryset=queryset)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(filterset.qs.order_by("status", "created_at", "pk"))
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
    @action(detail=True, methods=["post"], scope_action="checkin")
    def checkin(self, request, pk=None):
        """Check a ticket in by its code; a ticket counts once (409 the second time, or
        for a ticket that is not a confirmed place; 400 for a code of no ticket)."""
        activity = self.get_object()
        code = self.input(CheckInSerializer)["code"]
        signup = services.check_in(activity, actor=request.user, code=code)
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
    @action(detail=True, methods=["post"], scope_action="report")
    def report(self, request, pk=None):
        """File the after-event report (photos are added on the page). 409 before the
        activity has ended or once the report is filed."""
        activity = self.get_object()
        data = self.input(ReportSerializer)
        report = services.file_report(activity, actor=request.user, **data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """Theme campaigns (public: every signed-in user may read them); officers create them
    in their regions."""

    model = Campaign
    public = True
    open_actions = ("list", "retrieve")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def base_queryset(self):
        return Campaign.objects.select_related("region")

    def perform_create(self, serializer):
        serializer.instance = services.create_campaign(
            actor=self.request.user, **serializer.validated_data
        )


class FacilityViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Mobile facilities (科普大篷车, 流动科技馆) whose tours activities can be stops of."""

    model = MobileFacility
    public = True
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter

    def base_queryset(self):
        return MobileFacility.objects.select_related("region", "organization")
