"""The plans REST API: plans and their sections, tasks of the division-of-work table,
numeric targets with their live standing, trajectory and decomposition, progress reports
(submitted by the units, accepted or returned by the officers), supervision notes, and
the public progress of published plans.

Same scope as the pages: outside the caller's scope a row is 404; visible without the
right to a step, 403. A step the row's current state does not allow (a service's
`StateConflict`) is 409 Conflict; other refusals and invalid fields are 400."""

from collections import defaultdict

import django_filters
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kepu.core.errors import StateConflict
from kepu.core.filters import RegionSubtreeFilter
from kepu.core.scope import require, visible_to
from kepu.plans import choices as c
from kepu.plans import filters as plan_filters
from kepu.plans import progress, services
from kepu.plans.api.serializers import (
    DecomposeSerializer,
    NoteResponseSerializer,
    PlanDetailSerializer,
    PlanSerializer,
    ProgressReportDetailSerializer,
    ProgressReportSerializer,
    PublicPlanDetailSerializer,
    PublicPlanSerializer,
    ReportAcceptSerializer,
    ReportReturnSerializer,
    ReportSubmitSerializer,
    SectionSerializer,
    SupervisionNoteSerializer,
    TargetDetailSerializer,
    TargetSerializer,
    TaskSerializer,
    TaskStatusSerializer,
    TrajectorySerializer,
)
from kepu.plans.models import Plan, ProgressReport, SupervisionNote, Target, Task
from kepu.plans.permissions import (
    get_note_for_user,
    get_plan_for_user,
    get_public_plan,
    get_report_for_user,
    get_target_for_user,
    get_task_for_user,
)

PLAN = "plans.plan"
TASK = "plans.task"
TARGET = "plans.target"
REPORT = "plans.progressreport"
NOTE = "plans.supervisionnote"
ID = r"[0-9]+"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be done in the current state.")
    default_code = "conflict"


def conflicts(call):
    """Run a state change; a step the row's current state does not allow (the service's
    `StateConflict`: a report already reviewed, a plan already published) is 409
    Conflict. Other domain errors stay 400 (core exception handler)."""
    try:
        return call()
    except StateConflict as exc:
        raise Conflict(" ".join(exc.messages)) from exc


def _valid(serializer_class, request):
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- filters ----------------------------------------------------------------------------


class PlanFilter(plan_filters.PlanFilter):
    """The page's filters, and the region (its subtree, by code)."""

    region = RegionSubtreeFilter()

    class Meta(plan_filters.PlanFilter.Meta):
        fields = [*plan_filters.PlanFilter.Meta.fields, "region"]


class PublicPlanFilter(PlanFilter):
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in c.PUBLIC_PLAN_STATUSES],
        label=gettext_lazy("Status"),
    )


class TaskFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=gettext_lazy("Plan"))
    section = django_filters.NumberFilter(field_name="section_id", label=gettext_lazy("Section"))
    unit = django_filters.NumberFilter(
        field_name="units__organization_id", label=gettext_lazy("Lead or responsible unit")
    )
    status = django_filters.ChoiceFilter(
        choices=list(c.TASK_DISPLAY.items()),
        method="filter_status",
        label=gettext_lazy("Status (as displayed: overdue apart)"),
    )

    class Meta:
        model = Task
        fields = ["plan", "section", "unit", "status"]

    def filter_status(self, qs, name, value):
        # The displayed status: an overdue task counts as overdue, not as its stored
        # status (as in progress.task_counts).
        if value == c.TASK_OVERDUE:
            return qs.overdue()
        return qs.filter(status=value).exclude(pk__in=qs.overdue().values("pk"))


class TargetFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=gettext_lazy("Plan"))
    task = django_filters.NumberFilter(field_name="task_id", label=gettext_lazy("Task"))
    region = RegionSubtreeFilter()
    source = django_filters.ChoiceFilter(
        choices=c.TargetSource.choices, label=gettext_lazy("Actual value from")
    )
    top = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=gettext_lazy("Not a part of a target")
    )

    class Meta:
        model = Target
        fields = ["plan", "task", "region", "source", "top"]


class ReportFilter(plan_filters.ProgressReportFilter):
    """The page's filters; `organization` is the same as `unit` (the reporting unit)."""

    organization = django_filters.NumberFilter(
        field_name="organization_id", label=gettext_lazy("Reporting unit")
    )

    class Meta(plan_filters.ProgressReportFilter.Meta):
        fields = [*plan_filters.ProgressReportFilter.Meta.fields, "organization"]


class NoteFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="task__plan_id", label=gettext_lazy("Plan"))
    task = django_filters.NumberFilter(field_name="task_id", label=gettext_lazy("Task"))
    open = django_filters.BooleanFilter(
        field_name="responded_at", lookup_expr="isnull", label=gettext_lazy("Not answered yet")
    )

    class Meta:
        model = SupervisionNote
        fields = ["plan", "task", "open"]


# --- plans ------------------------------------------------------------------------------


def _plan_detail(request, plan) -> dict:
    """The plan with its sections and the tasks the caller sees (their counts by status
    and weighted completion over the same tasks)."""
    prefetch_related_objects([plan], "sections")
    tasks = visible_to(request.user, Task.objects.with_units(), public=False).filter(plan=plan)
    context = {
        "request": request,
        "tasks": list(tasks),
        "task_counts": progress.task_counts(tasks),
        "progress": progress.weighted_progress(tasks),
    }
    return PlanDetailSerializer(plan, context=context).data


def _fresh_plan(plan) -> dict:
    return PlanSerializer(Plan.objects.with_relations().get(pk=plan.pk)).data


class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Plans of the caller's own scope: the officers of the plan's region, and the units
    named on its tasks (published plans of other regions are on the public endpoint, not
    here). Created as drafts; `publish` opens the reporting periods, `close` ends it."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    queryset = Plan.objects.none()
    lookup_value_regex = ID

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        return visible_to(self.request.user, Plan.objects.with_relations(), public=False)

    def get_object(self):
        action_name = "change" if self.request.method in ("PUT", "PATCH") else "view"
        return get_plan_for_user(self.request.user, self.kwargs["pk"], action_name)

    def list(self, request, *args, **kwargs):
        require(request.user, f"{PLAN}.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        """The plan with its sections, its tasks (those the caller sees) with their
        counts by displayed status, and its weighted completion."""
        require(request.user, f"{PLAN}.view")
        return Response(_plan_detail(request, self.get_object()))

    def create(self, request, *args, **kwargs):
        require(request.user, f"{PLAN}.create")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require(request.user, f"{PLAN}.change")
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.create_plan(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = conflicts(
            lambda: services.update_plan(
                serializer.instance, actor=self.request.user, **serializer.validated_data
            )
        )

    def _checked(self, request, pk, permission) -> Plan:
        require(request.user, f"{PLAN}.{permission}")
        return get_plan_for_user(request.user, pk, permission)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request, pk=None):
        """Publish a draft: its progress becomes public and its reporting periods open.
        409 unless it is a draft; 400 while no task has a lead unit."""
        plan = self._checked(request, pk, "publish")
        plan = conflicts(lambda: services.publish_plan(plan, actor=request.user))
        return Response(_fresh_plan(plan))

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        """Close a published plan (its progress stays public). 409 unless published."""
        plan = self._checked(request, pk, "publish")
        plan = conflicts(lambda: services.close_plan(plan, actor=request.user))
        return Response(_fresh_plan(plan))

    @extend_schema(request=SectionSerializer, responses={201: SectionSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def sections(self, request, pk=None):
        """Add a section (三、提升行动) at the end of the plan; tasks are placed in it."""
        plan = self._checked(request, pk, "change")
        data = _valid(SectionSerializer, request)
        section = services.add_section(plan, actor=request.user, **data)
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)


# --- tasks ------------------------------------------------------------------------------


def _fresh_task(task) -> Task:
    return Task.objects.with_units().get(pk=task.pk)


class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks of the division-of-work table in the caller's scope: the officers of the
    plan's region, and the units named on the task. `status=overdue` lists the tasks past
    their deadline and not done; the other statuses leave those out."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.none()
    lookup_value_regex = ID

    def get_queryset(self):
        return visible_to(self.request.user, Task.objects.with_units(), public=False)

    def get_object(self):
        action_name = "change" if self.request.method in ("PUT", "PATCH") else "view"
        return get_task_for_user(self.request.user, self.kwargs["pk"], action_name)

    def list(self, request, *args, **kwargs):
        require(request.user, f"{TASK}.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        require(request.user, f"{TASK}.view")
        return super().retrieve(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        """Add a task to a plan the caller may change: `lead_unit` (an organization id)
        and `responsible_units` (ids, in the order of the table)."""
        require(request.user, f"{TASK}.change")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require(request.user, f"{TASK}.change")
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        task = services.create_task(plan, actor=self.request.user, **data)
        serializer.instance = _fresh_task(task)

    def perform_update(self, serializer):
        task = services.update_task(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = _fresh_task(task)

    @extend_schema(request=TaskStatusSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        """Set the stored status; "done" sets the progress to 100 and the completion
        date to today."""
        require(request.user, f"{TASK}.change")
        task = get_task_for_user(request.user, pk, "change")
        wanted = _valid(TaskStatusSerializer, request)["status"]
        task = conflicts(lambda: services.set_task_status(task, actor=request.user, status=wanted))
        return Response(TaskSerializer(_fresh_task(task)).data)


# --- targets ----------------------------------------------------------------------------


def _target_queryset():
    return Target.objects.select_related("plan", "region", "organization")


def _target_detail(request, target) -> dict:
    """The target with its live standing and its parts', from one call of
    progress.standings (a fixed number of queries)."""
    target = _target_queryset().get(pk=target.pk)
    parts = list(target.parts.select_related("region", "organization"))
    standings = {s.target.pk: s for s in progress.standings([target, *parts])}
    context = {"request": request, "standings": standings, "parts": parts}
    return TargetDetailSerializer(target, context=context).data


class TargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Numeric targets in the caller's scope (a target's region, or the units named on
    the plan's tasks), each with its live standing: the actual value (measured from a
    registry or from accepted reports), where the straight line from baseline to target
    stands today, the percentage of the way and the state."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    queryset = Target.objects.none()
    lookup_value_regex = ID

    def get_serializer_class(self):
        return TargetDetailSerializer if self.action == "retrieve" else TargetSerializer

    def get_queryset(self):
        return visible_to(self.request.user, _target_queryset(), public=False)

    def get_object(self):
        action_name = "change" if self.request.method in ("PUT", "PATCH") else "view"
        return get_target_for_user(self.request.user, self.kwargs["pk"], action_name)

    def list(self, request, *args, **kwargs):
        require(request.user, f"{TARGET}.view")
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        standings = {s.target.pk: s for s in progress.standings(page)}
        data = TargetSerializer(page, many=True, context={"standings": standings}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        """The target with its standing and its parts (分解), each with its own."""
        require(request.user, f"{TARGET}.view")
        return Response(_target_detail(request, self.get_object()))

    @extend_schema(responses={201: TargetDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Add a target to a plan the caller may change."""
        require(request.user, f"{TARGET}.change")
        data = dict(_valid(TargetSerializer, request))
        plan = data.pop("plan")
        target = services.create_target(plan, actor=request.user, **data)
        return Response(_target_detail(request, target), status=status.HTTP_201_CREATED)

    @extend_schema(responses=TargetDetailSerializer)
    def update(self, request, *args, **kwargs):
        require(request.user, f"{TARGET}.change")
        target = self.get_object()
        serializer = TargetSerializer(
            target,
            data=request.data,
            partial=kwargs.get("partial", False),
            context={"request": request},
        )
        serializer.is_valid(raise_exception=True)
        target = services.update_target(target, actor=request.user, **serializer.validated_data)
        return Response(_target_detail(request, target))

    @extend_schema(request=None, responses=TrajectorySerializer)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def trajectory(self, request, pk=None):
        """Month by month from the baseline date: the planned values up to the deadline
        and the actual values up to today."""
        require(request.user, f"{TARGET}.view")
        target = get_target_for_user(request.user, pk)
        return Response(TrajectorySerializer(progress.trajectory(target)).data)

    @extend_schema(
        request=DecomposeSerializer,
        responses={200: TargetDetailSerializer, 409: OpenApiResponse(description="Conflict")},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decompose(self, request, pk=None):
        """Replace the target's parts (分解): each for a region below the target's (code)
        or a unit (id), with its target value. The parts of an additive target must add
        up to it exactly (400 otherwise); 409 once units have reported figures for them."""
        require(request.user, f"{TARGET}.change")
        target = get_target_for_user(request.user, pk, "change")
        parts = _valid(DecomposeSerializer, request)["parts"]
        conflicts(
            lambda: services.decompose_target(
                target, actor=request.user, parts=[dict(p) for p in parts]
            )
        )
        return Response(_target_detail(request, target))


# --- progress reports -------------------------------------------------------------------


def _fresh_report(report) -> dict:
    report = ProgressReport.objects.with_relations().select_related("reviewed_by").get(pk=report.pk)
    prefetch_related_objects([report], "figures__target", "attachments", "events__actor")
    return ProgressReportDetailSerializer(report).data


class ProgressReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Progress reports in the caller's scope: the officers of the plan's region see all
    of them, a unit its own. The unit `submit`s (again after a return); the officers
    `accept` or `return` it."""

    serializer_class = ProgressReportSerializer
    filterset_class = ReportFilter
    queryset = ProgressReport.objects.none()
    lookup_value_regex = ID

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProgressReportDetailSerializer
        return ProgressReportSerializer

    def get_queryset(self):
        return visible_to(self.request.user, ProgressReport.objects.with_relations())

    def list(self, request, *args, **kwargs):
        require(request.user, f"{REPORT}.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        """The report with its text, figures, attachments (metadata and download link)
        and history."""
        require(request.user, f"{REPORT}.view")
        return Response(_fresh_report(get_report_for_user(request.user, kwargs["pk"])))

    def _checked(self, request, pk, permission) -> ProgressReport:
        require(request.user, f"{REPORT}.{permission}")
        return get_report_for_user(request.user, pk, permission)

    @extend_schema(
        request={
            "multipart/form-data": ReportSubmitSerializer,
            "application/json": ReportSubmitSerializer,
        },
        responses={
            200: ProgressReportDetailSerializer,
            409: OpenApiResponse(description="Conflict"),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def submit(self, request, pk=None):
        """The unit submits its report (or resubmits it after a return): `text`,
        `progress` (0–100), `figures` ({target id: value}, a JSON string in a form) and
        `attachments` (files). 409 once it has been submitted."""
        report = self._checked(request, pk, "submit")
        data = _valid(ReportSubmitSerializer, request)
        report = conflicts(
            lambda: services.submit_report(
                report,
                actor=request.user,
                text=data["text"],
                progress=data.get("progress"),
                figures=data.get("figures") or {},
                attachments=data.get("attachments") or [],
            )
        )
        return Response(_fresh_report(report))

    @extend_schema(
        request=ReportAcceptSerializer,
        responses={
            200: ProgressReportDetailSerializer,
            409: OpenApiResponse(description="Conflict"),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        """Accept a submitted report, with an optional note: its figures become the
        actual values of their targets. 409 unless it is submitted."""
        report = self._checked(request, pk, "review")
        note = _valid(ReportAcceptSerializer, request).get("note", "")
        report = conflicts(lambda: services.accept_report(report, actor=request.user, note=note))
        return Response(_fresh_report(report))

    @extend_schema(
        request=ReportReturnSerializer,
        responses={
            200: ProgressReportDetailSerializer,
            409: OpenApiResponse(description="Conflict"),
        },
    )
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None
    )
    def return_(self, request, pk=None):
        """Return a submitted report for revision, with the reason (required). 409 unless
        it is submitted."""
        report = self._checked(request, pk, "review")
        reason = _valid(ReportReturnSerializer, request).get("reason", "")
        report = conflicts(
            lambda: services.return_report(report, actor=request.user, reason=reason)
        )
        return Response(_fresh_report(report))


# --- supervision notes ------------------------------------------------------------------


def _note_queryset():
    return SupervisionNote.objects.select_related(
        "task", "task__plan", "organization", "author", "responded_by"
    )


class SupervisionNoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Supervision notes (督查意见) in the caller's scope: the officers of the plan's region
    write them; the units named on the task read and `respond` to them."""

    serializer_class = SupervisionNoteSerializer
    filterset_class = NoteFilter
    queryset = SupervisionNote.objects.none()
    lookup_value_regex = ID

    def get_queryset(self):
        return visible_to(self.request.user, _note_queryset())

    def get_object(self):
        return get_note_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require(request.user, f"{NOTE}.view")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        require(request.user, f"{NOTE}.view")
        return super().retrieve(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        """Write a note on a task of a plan of the caller's regions, optionally addressed
        to one of its units with a date by which it must be rectified."""
        require(request.user, f"{NOTE}.create")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        task = data.pop("task")
        note = services.add_note(task, actor=self.request.user, **data)
        serializer.instance = _note_queryset().get(pk=note.pk)

    @extend_schema(
        request=NoteResponseSerializer,
        responses={200: SupervisionNoteSerializer, 409: OpenApiResponse(description="Conflict")},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def respond(self, request, pk=None):
        """The unit answers the note (once: 409 when it has been answered)."""
        require(request.user, f"{NOTE}.respond")
        note = get_note_for_user(request.user, pk, "respond")
        response = _valid(NoteResponseSerializer, request).get("response", "")
        note = conflicts(
            lambda: services.respond_to_note(note, actor=request.user, response=response)
        )
        return Response(SupervisionNoteSerializer(_note_queryset().get(pk=note.pk)).data)


# --- the public portal ------------------------------------------------------------------


class PublicPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Published (and closed) plans and where their targets stand, for anyone: no
    progress reports, no supervision notes, no names of people. Drafts are 404."""

    permission_classes = [AllowAny]
    serializer_class = PublicPlanSerializer
    filterset_class = PublicPlanFilter
    queryset = Plan.objects.none()
    lookup_value_regex = ID

    def get_serializer_class(self):
        return PublicPlanDetailSerializer if self.action == "retrieve" else PublicPlanSerializer

    def get_queryset(self):
        return Plan.objects.public().with_relations()

    def retrieve(self, request, *args, **kwargs):
        """The plan with its targets (parts nested), their standings, its tasks by
        displayed status and its weighted completion."""
        plan = get_public_plan(kwargs["pk"])
        targets = list(plan.targets.select_related("region", "organization"))
        standings = {s.target.pk: s for s in progress.standings(targets, timezone.localdate())}
        parts = defaultdict(list)
        for target in targets:
            if target.parent_id is not None:
                parts[target.parent_id].append(target)
        tasks = plan.tasks.all()
        context = {
            "request": request,
            "targets": [t for t in targets if t.parent_id is None],
            "parts": parts,
            "standings": standings,
            "task_counts": progress.task_counts(tasks),
            "progress": progress.weighted_progress(tasks),
        }
        return Response(PublicPlanDetailSerializer(plan, context=context).data)
