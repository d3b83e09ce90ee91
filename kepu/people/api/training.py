"""The API of training as a process: courses (read and create), sessions (read, enrol a
registered person), enrolments (read, mark attendance, complete). The same services,
scope and FilterSets as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kepu.core.api.base import ScopedViewSet
from kepu.core.api.serializers import narrow_to_scope
from kepu.core.models import Organization, Region
from kepu.core.scope import visible_to
from kepu.people import training_services as services
from kepu.people.filters import CourseFilter, EnrolmentFilter, SessionFilter
from kepu.people.models import Course, Enrolment, Person, TrainingSession


class CourseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "topic",
            "audience",
            "hours",
            "credit",
            "region",
            "organization",
            "description",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_to_scope(self, Course)


class SessionSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course",
            "course_title",
            "name",
            "region",
            "base",
            "place",
            "starts_on",
            "ends_on",
            "capacity",
            "enrol_from",
            "enrol_until",
            "status",
            "enrolled_count",
            "waiting_count",
            "completed_count",
        ]
        read_only_fields = fields


class EnrolmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "person",
            "person_name",
            "audience",
            "status",
            "self_enrolled",
            "enrolled_at",
            "attended",
            "completed_on",
            "hours",
            "credit",
            "certificate_number",
        ]
        read_only_fields = fields


class EnrolInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=2**53)


class AttendInput(serializers.Serializer):
    attended = serializers.BooleanField()


class CourseViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    model = Course
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    queryset = Course.objects.none()

    def base_queryset(self):
        return Course.objects.with_relations().order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services.create_course(
            actor=self.request.user, **serializer.validated_data
        )


class SessionViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Sessions in the caller's scope (and open ones); `enrol` for the organizers."""

    model = TrainingSession
    # Open sessions are read by everyone signed in (a registered person enrols in them).
    public = True
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    queryset = TrainingSession.objects.none()

    def base_queryset(self):
        return TrainingSession.objects.with_relations().order_by("-starts_on", "-pk")

    @extend_schema(request=EnrolInput, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def enrol(self, request, pk=None):
        """Enrol a registered person (by registry id, within the caller's scope): a place,
        or the waiting list when the session is full; again, the same enrolment."""
        session = self.get_object()
        data = self.input(EnrolInput)
        person = visible_to(request.user, Person.objects.live()).filter(pk=data["person"]).first()
        if person is None:
            raise serializers.ValidationError(
                {"person": [_("No registered person in your scope has this number.")]}
            )
        enrolment, created = services.enrol(session, person, actor=request.user)
        return Response(EnrolmentSerializer(enrolment).data, status=201 if created else 200)


class EnrolmentViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = Enrolment
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    queryset = Enrolment.objects.none()

    def base_queryset(self):
        return Enrolment.objects.with_relations().order_by("-enrolled_at", "-pk")

    @extend_schema(request=AttendInput, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def attend(self, request, pk=None):
        data = self.input(AttendInput)
        enrolment = services.set_attendance(
            self.get_object(), actor=request.user, attended=data["attended"]
        )
        return Response(self.get_serializer(enrolment).data)

    @extend_schema(request=None, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def complete(self, request, pk=None):
        """Completion (结业) with the course's hours and credit and a certificate number."""
        enrolment = services.complete(self.get_object(), actor=request.user)
        return Response(self.get_serializer(enrolment).data)
