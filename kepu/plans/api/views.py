"""The plans REST API: plans and their sections, tasks of the division-of-work table,
numeric targets with their live standing, trajectory and decomposition, progress reports
(submitted by the units, accepted or returned by the officers), supervision notes, and
the public progress of published plans.

Every viewset derives from `ScopedViewSet`: the permission is checked first (403), a row
outside the caller's scope is 404, the object rules (`kepu.plans.rules`) refuse with 403
and their reason. A step the row's current state does not allow (a service's
`StateConflict`) is 409 `conflict`; other refusals are 400 `refused`, invalid fields 400
`invalid` (the one error body of `kepu.core.api.errors`)."""

from collections import defaultdict

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kepu.core import clock
from kepu.core.api.base import DEFAULT_ACTIONS, ScopedViewSet
from kepu.core.scope import visible_to
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
from kepu.plans.filters import (
    NoteFilter,
    PlanFilter,
    ProgressReportFilter,
    PublicPlanFilter,
    TargetFilter,
    TaskFilter,
)
from kepu.plans.models import Plan, ProgressReport, SupervisionNote, Target, Task

ID = r"[0-9]+"
CONFLICT = {409: OpenApiResponse(description="Conflict: the current state does not allow it")}
# Tasks and targets are added by those who may change the plan's tasks and targets.
CHANGE_TO_CREATE = {**DEFAULT_ACTIONS, "create": "change"}


# --- plans ------------------------------------------------------------------------------


def _plan_detail(request, plan) -> dict:
    """The plan with its sections, the tasks the caller sees (their counts by status) and
    the plan's overall progress (`progress.OVERALL_RULE`, the same figure as its page)."""
    prefetch_related_objects([plan], "sections")
    tasks = visible_to(request.user, Task.objects.with_units(), public=False).filter(plan=plan)
    context = {
        "request": request,
        "tasks": list(tasks),
        "task_counts": progress.task_counts(tasks),
        "progress": progress.plan_overall(plan).percent,
    }
    return PlanDetailSerializer(plan, context=context).data


def _fresh_plan(plan) -> dict:
    return PlanSerializer(Plan.objects.with_relations().get(pk=plan.pk)).data


class PlanViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Plans of the caller's own scope: the officers of the plan's region, and the units
    named on its tasks (published plans of other regions are on the public endpoint, not
    here). Created as drafts; `publish` opens the reporting periods, `close` ends it."""

    model = Plan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return Plan.objects.with_relations()

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def retrieve(self, request, *args, **kwargs):
        """The plan with its sections, its tasks (those the caller sees) with their
        counts by displayed status, and its overall progress."""
        return Response(_plan_detail(request, self.get_object()))

    def perform_create(self, serializer):
        serializer.instance = services.create_plan(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_plan(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses={200: PlanSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="publish")
    def publish(self, request, pk=None):
        """Publish a draft: its progress becomes public and its reporting periods open.
        409 unless it is a draft; 400 while no task has a lead unit."""
        plan = services.publish_plan(self.get_object(), actor=request.user)
        return Response(_fresh_plan(plan))

    @extend_schema(request=None, responses={200: PlanSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="publish")
    def close(self, request, pk=None):
        """Close a published plan (its progress stays public). 409 unless published."""
        plan = services.close_plan(self.get_object(), actor=request.user)
        return Response(_fresh_plan(plan))

    @extend_schema(request=SectionSerializer, responses={201: SectionSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="change")
    def sections(self, request, pk=None):
        """Add a section (三、提升行动) at the end of the plan; tasks are placed in it."""
        plan = self.get_object()
        section = services.add_section(plan, actor=request.user, **self.input(SectionSerializer))
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)


# --- tasks ------------------------------------------------------------------------------


def _fresh_task(task) -> Task:
    return Task.objects.with_units().get(pk=task.pk)


class TaskViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Tasks of the division-of-work table in the caller's scope: the officers of the
    plan's region, and the units named on the task. `status=overdue` lists the tasks past
    their deadline and not done; the other statuses leave those out. A task is added
    (`lead_unit`: an organization id, `responsible_units`: ids in the order of the table)
    to a plan the caller may change."""

    model = Task
    action_permissions = CHANGE_TO_CREATE
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return Task.objects.with_units()

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
    @action(
        detail=True, methods=["post"], url_path="status", url_name="status", scope_action="change"
    )
    def set_status(self, request, pk=None):
        """Set the stored status; "done" sets the progress to 100 and the completion
        date to today."""
        task = self.get_object()
        wanted = self.input(TaskStatusSerializer)["status"]
        task = services.set_task_status(task, actor=request.user, status=wanted)
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
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Numeric targets in the caller's scope (a target's region, or the units named on
    the plan's tasks), each with its live standing: the actual value (measured from a
    registry or from accepted reports), where the straight line from baseline to target
    stands today, the percentage of the way and the state. A part of a decomposed
    target is changed through its target's `decompose` (403 otherwise)."""

    model = Target
    action_permissions = CHANGE_TO_CREATE
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return _target_queryset()

    def get_serializer_class(self):
        return TargetDetailSerializer if self.action == "retrieve" else TargetSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        standings = {s.target.pk: s for s in progress.standings(page)}
        data = TargetSerializer(page, many=True, context={"standings": standings}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        """The target with its standing and its parts (分解), each with its own."""
        return Response(_target_detail(request, self.get_object()))

    @extend_schema(responses={201: TargetDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Add a target to a plan the caller may change."""
        data = dict(self.input(TargetSerializer))
        plan = data.pop("plan")
        target = services.create_target(plan, actor=request.user, **data)
        return Response(_target_detail(request, target), status=status.HTTP_201_CREATED)

    @extend_schema(responses=TargetDetailSerializer)
    def update(self, request, *args, **kwargs):
        target = self.get_object()
        serializer = TargetSerializer(
            target,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        target = services.update_target(target, actor=request.user, **serializer.validated_data)
        return Response(_target_detail(request, target))

    @extend_schema(request=None, responses=TrajectorySerializer)
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        scope_action="view",
    )
    def trajectory(self, request, pk=None):
        """Month by month from the baseline date: the planned values up to the deadline
        and the actual values up to today."""
        return Response(TrajectorySerializer(progress.trajectory(self.get_object())).data)

    @extend_schema(request=DecomposeSerializer, responses={200: TargetDetailSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="change")
    def decompose(self, request, pk=None):
        """Replace the target's parts (分解): each for a region below the target's (code)
        or a unit (id), with its target value. The parts of an additive target must add
        up to it exactly (400 otherwise); 409 once units have reported figures for them."""
        target = self.get_object()
        parts = self.input(DecomposeSerializer)["parts"]
        services.decompose_target(target, actor=request.user, parts=[dict(p) for p in parts])
        return Response(_target_detail(request, target))


# --- progress reports -------------------------------------------------------------------


def _fresh_report(report) -> dict:
    report = ProgressReport.objects.with_relations().select_related("reviewed_by").get(pk=report.pk)
    prefetch_related_objects([report], "figures__target", "attachments", "events__actor")
    return ProgressReportDetailSerializer(report).data


REPORT_RESPONSES = {200: ProgressReportDetailSerializer, **CONFLICT}


class ProgressReportViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Progress reports in the caller's scope: the officers of the plan's region see all
    of them, a unit its own. The unit `submit`s (again after a return); the officers
    `accept` or `return` it."""

    model = ProgressReport
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return ProgressReport.objects.with_relations()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProgressReportDetailSerializer
        return ProgressReportSerializer

    def retrieve(self, request, *args, **kwargs):
        """The report with its text, figures, attachments (metadata and download link)
        and history."""
        return Response(_fresh_report(self.get_object()))

    @extend_schema(
        request={
            "multipart/form-data": ReportSubmitSerializer,
            "application/json": ReportSubmitSerializer,
        },
        responses=REPORT_RESPONSES,
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        scope_action="submit",
    )
    def submit(self, request, pk=None):
        """The unit submits its report (or resubmits it after a return): `text`,
        `progress` (0–100), `figures` ({target id: value}, a JSON string in a form) and
        `attachments` (files). 409 once it has been submitted."""
        report = self.get_object()
        data = self.input(ReportSubmitSerializer)
        report = services.submit_report(
            report,
            actor=request.user,
            text=data["text"],
            progress=data.get("progress"),
            figures=data.get("figures") or {},
            attachments=data.get("attachments") or [],
        )
        return Response(_fresh_report(report))

    @extend_schema(request=ReportAcceptSerializer, responses=REPORT_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="review")
    def accept(self, request, pk=None):
        """Accept a submitted report, with an optional note: its figures become the
        actual values of their targets. 409 unless it is submitted."""
        report = self.get_object()
        note = self.input(ReportAcceptSerializer).get("note", "")
        report = services.accept_report(report, actor=request.user, note=note)
        return Response(_fresh_report(report))

    @extend_schema(request=ReportReturnSerializer, responses=REPORT_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filterset_class=None,
        scope_action="review",
    )
    def return_(self, request, pk=None):
        """Return a submitted report for revision, with the reason (required). 409 unless
        it is submitted."""
        report = self.get_object()
        reason = self.input(ReportReturnSerializer).get("reason", "")
        report = services.return_report(report, actor=request.user, reason=reason)
        return Response(_fresh_report(report))


# --- supervision notes ------------------------------------------------------------------


def _note_queryset():
    return SupervisionNote.objects.select_related(
        "task", "task__plan", "organization", "author", "responded_by"
    )


class SupervisionNoteViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """Supervision notes (督查意见) in the caller's scope: the officers of the plan's region
    write them (on a task of a plan of their regions, optionally addressed to one of its
    units with a date by which it must be rectified); the units named on the task read
    and `respond` to them (a note addressed to one unit: that unit, else 403)."""

    model = SupervisionNote
    serializer_class = SupervisionNoteSerializer
    filterset_class = NoteFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return _note_queryset()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        task = data.pop("task")
        note = services.add_note(task, actor=self.request.user, **data)
        serializer.instance = _note_queryset().get(pk=note.pk)

    @extend_schema(
        request=NoteResponseSerializer, responses={200: SupervisionNoteSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"], filterset_class=None, scope_action="respond")
    def respond(self, request, pk=None):
        """The unit answers the note (once: 409 when it has been answered)."""
        note = self.get_object()
        response = self.input(NoteResponseSerializer).get("response", "")
        note = services.respond_to_note(note, actor=request.user, response=response)
        return Response(SupervisionNoteSerializer(_note_queryset().get(pk=note.pk)).data)


# --- the public portal ------------------------------------------------------------------


class PublicPlanViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Published (and closed) plans and where their targets stand, for anyone: no
    progress reports, no supervision notes, no names of people. Drafts are 404."""

    model = Plan
    public = True
    open_actions = ("list", "retrieve")
    permission_classes = [AllowAny]
    serializer_class = PublicPlanSerializer
    filterset_class = PublicPlanFilter
    lookup_value_regex = ID

    def base_queryset(self):
        return Plan.objects.public().with_relations()

    def get_serializer_class(self):
        return PublicPlanDetailSerializer if self.action == "retrieve" else PublicPlanSerializer

    def retrieve(self, request, *args, **kwargs):
        """The plan with its targets (parts nested), their standings, its tasks by
        displayed status and its overall progress (the rule of `progress.OVERALL_RULE`)."""
        plan = self.get_object()
        targets = list(plan.targets.select_related("region", "organization"))
        standings = {s.target.pk: s for s in progress.standings(targets, clock.today())}
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
            "progress": progress.plan_overall(
                plan, known=[standings[t.pk] for t in targets if t.parent_id is None]
            ).percent,
        }
        return Response(PublicPlanDetailSerializer(plan, context=context).data)
