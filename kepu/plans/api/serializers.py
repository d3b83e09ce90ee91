import json
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kepu.core.models import Organization, Region
from kepu.core.scope import allowed_regions, visible_to
from kepu.plans import choices as c
from kepu.plans import indicators, rules
from kepu.plans.models import (
    AMOUNT,
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    Section,
    SupervisionNote,
    Target,
    Task,
)


def _user(serializer):
    request = serializer.context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return request.user


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _narrow_region(serializer, model, action) -> None:
    field = serializer.fields["region"]
    field.queryset = allowed_regions(_user(serializer), model, action)
    field.error_messages["does_not_exist"] = _(
        "Region “{value}” does not exist or is outside your scope."
    )


# --- plans ------------------------------------------------------------------------------


class SectionSerializer(serializers.ModelSerializer):
    """A part of the plan grouping its tasks (三、提升行动)."""

    class Meta:
        model = Section
        fields = ["id", "number", "title", "position"]
        read_only_fields = ["id", "position"]


class TaskCountsSerializer(serializers.Serializer):
    """Tasks by displayed status (overdue counted apart from the stored status)."""

    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    """A plan; written while it is a draft or published, moved on by `publish` / `close`.
    `region` is a region code inside the caller's scope."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    report_cycle_display = serializers.CharField(source="get_report_cycle_display", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "short_title",
            "issuer",
            "document_number",
            "issued_on",
            "region",
            "region_name",
            "period_start",
            "period_end",
            "document_url",
            "summary",
            "baseline_date",
            "report_cycle",
            "report_cycle_display",
            "report_days",
            "remind_days",
            "status",
            "status_display",
            "published_at",
            "created_at",
        ]
        read_only_fields = ["id", "status", "published_at", "created_at"]
        # The model and the service check the rules (one validation path).
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _user(self) is not None:
            _narrow_region(self, Plan, "change" if self.instance is not None else "create")


class TaskSummarySerializer(serializers.ModelSerializer):
    """A task as the plan lists it."""

    lead_unit_name = serializers.SerializerMethodField()
    display_status = serializers.CharField(read_only=True)
    display_status_label = serializers.CharField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "section",
            "parent",
            "number",
            "title",
            "deadline",
            "lead_unit_name",
            "display_status",
            "display_status_label",
            "progress",
        ]
        read_only_fields = fields

    def get_lead_unit_name(self, task) -> str:
        lead = task.lead_unit()
        return lead.name if lead is not None else ""


class PlanDetailSerializer(PlanSerializer):
    """The plan with its sections, the tasks the caller sees, their counts by status and
    the plan's overall progress (`kepu.plans.progress.OVERALL_RULE`)."""

    sections = SectionSerializer(many=True, read_only=True)
    tasks = serializers.SerializerMethodField()
    task_counts = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "sections", "tasks", "task_counts", "progress"]

    @extend_schema_field(TaskSummarySerializer(many=True))
    def get_tasks(self, plan):
        return TaskSummarySerializer(self.context.get("tasks", []), many=True).data

    @extend_schema_field(TaskCountsSerializer)
    def get_task_counts(self, plan):
        return self.context.get("task_counts")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_progress(self, plan):
        return self.context.get("progress")


# --- tasks ------------------------------------------------------------------------------


class TaskUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.pk")
    name = serializers.CharField(source="organization.name")
    is_lead = serializers.BooleanField()


class TaskSerializer(serializers.ModelSerializer):
    """A task of the division-of-work table: one lead unit (牵头单位) and the responsible
    units (责任单位) in the table's order, given as organization ids. `display_status`
    is the stored status, or "overdue" once the deadline has passed without it being
    done; `status` changes through the `status` action."""

    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    plan_title = serializers.CharField(source="plan.title", read_only=True)
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.none(), required=False, allow_null=True
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.none(), required=False, allow_null=True
    )
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    responsible_units = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), many=True, required=False
    )
    units = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    display_status = serializers.CharField(read_only=True)
    display_status_label = serializers.CharField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "plan_title",
            "section",
            "parent",
            "number",
            "title",
            "description",
            "deadline",
            "weight",
            "lead_unit",
            "responsible_units",
            "units",
            "status",
            "status_display",
            "display_status",
            "display_status_label",
            "progress",
            "completed_on",
        ]
        read_only_fields = ["id", "status", "progress", "completed_on"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is None:
            return
        if self.instance is not None:
            # A task stays in its plan.
            self.fields["plan"].read_only = True
        plans = visible_to(user, Plan, "change", public=False)
        self.fields["plan"].queryset = plans
        # The service checks that the section and the parent are the task's plan's.
        self.fields["section"].queryset = Section.objects.filter(plan__in=plans)
        self.fields["parent"].queryset = Task.objects.filter(plan__in=plans)
        units = visible_to(user, Organization)
        self.fields["lead_unit"].queryset = units
        self.fields["responsible_units"].child_relation.queryset = units

    def validate(self, attrs):
        # The service refuses a unit named twice too, but only after it has saved the
        # task's other fields (rolled back): refuse it here before anything is written.
        task = self.instance
        lead = attrs.get("lead_unit") or (task.lead_unit() if task is not None else None)
        others = attrs.get("responsible_units")
        if others is None:
            others = task.responsible_units() if task is not None else []
        seen = {lead.pk} if lead is not None else set()
        for unit in others:
            if unit.pk in seen:
                raise serializers.ValidationError(
                    {"responsible_units": _("“%(unit)s” is named twice.") % {"unit": unit}}
                )
            seen.add(unit.pk)
        return attrs

    @extend_schema_field(TaskUnitSerializer(many=True))
    def get_units(self, task):
        """The lead unit first, then the responsible units in order."""
        return TaskUnitSerializer(
            sorted(task.units.all(), key=lambda u: u.position), many=True
        ).data


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=c.TaskStatus.choices)


# --- targets ----------------------------------------------------------------------------


class StandingSerializer(serializers.Serializer):
    """Where a target stands today against the straight line from baseline to target."""

    actual = serializers.DecimalField(allow_null=True, **AMOUNT)
    expected = serializers.DecimalField(**AMOUNT)
    percent = serializers.IntegerField(
        allow_null=True, help_text=_("Of the way from baseline to target (may exceed 100).")
    )
    state = serializers.ChoiceField(choices=c.TargetState.choices)
    state_display = serializers.CharField(source="state_label")


class TargetSerializer(serializers.ModelSerializer):
    """A numeric target for a region (code) or a unit (organization id), with its live
    standing. A measured target names its registry `indicator`; a reported one takes its
    actual value from the accepted progress reports."""

    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.none(), required=False, allow_null=True
    )
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True
    )
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    indicator = serializers.ChoiceField(
        choices=indicators.choices(), required=False, allow_blank=True
    )
    standing = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "task",
            "parent",
            "name",
            "unit",
            "region",
            "region_name",
            "organization",
            "organization_name",
            "source",
            "source_display",
            "indicator",
            "baseline_date",
            "baseline_value",
            "target_value",
            "comparison",
            "deadline",
            "additive",
            "position",
            "standing",
        ]
        read_only_fields = ["id", "parent", "position"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is None:
            return
        if self.instance is not None:
            self.fields["plan"].read_only = True
        # Targets have no "create" right of their own: adding one changes the plan.
        self.fields["plan"].queryset = visible_to(user, Plan, "change", public=False)
        self.fields["task"].queryset = visible_to(user, Task, public=False)
        self.fields["organization"].queryset = visible_to(user, Organization)
        _narrow_region(self, Target, "change")

    @extend_schema_field(StandingSerializer(allow_null=True))
    def get_standing(self, target):
        standing = self.context.get("standings", {}).get(target.pk)
        return StandingSerializer(standing).data if standing is not None else None


class TargetPartSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True
    )
    standing = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "region",
            "region_name",
            "organization",
            "organization_name",
            "baseline_value",
            "target_value",
            "standing",
        ]
        read_only_fields = fields

    @extend_schema_field(StandingSerializer(allow_null=True))
    def get_standing(self, target):
        standing = self.context.get("standings", {}).get(target.pk)
        return StandingSerializer(standing).data if standing is not None else None


class TargetDetailSerializer(TargetSerializer):
    """The target with its parts (分解), each with its own standing."""

    parts = serializers.SerializerMethodField()

    class Meta(TargetSerializer.Meta):
        fields = [*TargetSerializer.Meta.fields, "parts"]

    @extend_schema_field(TargetPartSerializer(many=True))
    def get_parts(self, target):
        return TargetPartSerializer(
            self.context.get("parts", []), many=True, context=self.context
        ).data


@extend_schema_field(OpenApiTypes.INT)
class VisibleOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization by id, among those the caller sees (looked up once bound, so it
    works in nested serializers too)."""

    def get_queryset(self):
        user = _user(self)
        return visible_to(user, Organization) if user else Organization.objects.none()


class DecomposePartSerializer(serializers.Serializer):
    """One part: for a region below the target's (code) or for a unit (id)."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    organization = VisibleOrganizationField(required=False, allow_null=True)
    target_value = serializers.DecimalField(**AMOUNT)
    baseline_value = serializers.DecimalField(required=False, **AMOUNT)


class DecomposeSerializer(serializers.Serializer):
    parts = DecomposePartSerializer(many=True, allow_empty=True, max_length=500)


class TrajectorySerializer(serializers.Serializer):
    """Month by month from the baseline: the planned straight line up to the deadline and
    the actual values up to today (null before any figure)."""

    days = serializers.ListField(child=serializers.DateField())
    planned = serializers.ListField(child=serializers.DecimalField(**AMOUNT))
    actual = serializers.ListField(child=serializers.DecimalField(allow_null=True, **AMOUNT))


# --- progress reports -------------------------------------------------------------------


class ProgressReportSerializer(serializers.ModelSerializer):
    """One unit's progress report on one task for one period."""

    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    plan_title = serializers.CharField(source="task.plan.title", read_only=True)
    task_title = serializers.CharField(source="task.__str__", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    period_label = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    submitted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "plan",
            "plan_title",
            "task",
            "task_title",
            "organization",
            "organization_name",
            "period_start",
            "period_end",
            "period_label",
            "due_date",
            "status",
            "status_display",
            "overdue",
            "progress",
            "submitted_at",
            "submitted_by_name",
            "on_time",
            "reviewed_at",
            "return_reason",
        ]
        read_only_fields = fields

    def get_overdue(self, report) -> bool:
        return report.is_overdue()

    def get_submitted_by_name(self, report) -> str:
        return _name(report.submitted_by)


class ReportFigureSerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.__str__", read_only=True)
    unit = serializers.CharField(source="target.unit", read_only=True)

    class Meta:
        model = ReportFigure
        fields = ["target", "target_name", "unit", "value"]
        read_only_fields = fields


class ReportAttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata; `url` downloads it (signed-in, same scope)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse("plans:report_attachment", args=[attachment.report_id, attachment.pk])


class ReportEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ReportEvent
        fields = ["action", "action_display", "actor_name", "note", "at"]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        return _name(event.actor)


class ProgressReportDetailSerializer(ProgressReportSerializer):
    """The report with its text, figures, attachments and history."""

    figures = ReportFigureSerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    events = ReportEventSerializer(many=True, read_only=True)
    reviewed_by_name = serializers.SerializerMethodField()

    class Meta(ProgressReportSerializer.Meta):
        fields = [
            *ProgressReportSerializer.Meta.fields,
            "text",
            "reviewed_by_name",
            "figures",
            "attachments",
            "events",
        ]
        read_only_fields = fields

    def get_reviewed_by_name(self, report) -> str:
        return _name(report.reviewed_by)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "number"},
        "description": "Target id → value as of the end of the period.",
    }
)
class FiguresField(serializers.Field):
    """Figures as a JSON object {target id: value}; in a multipart form, a JSON string."""

    default_error_messages = {
        "invalid": _("Give the figures as a JSON object of target ids and values."),
        "value": _("“%(value)s” is not a number."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bytes | str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        figures = {}
        for key, value in data.items():
            try:
                target_pk = int(key)
            except (TypeError, ValueError):
                self.fail("invalid")
            if isinstance(value, bool) or value is None:
                raise serializers.ValidationError(self.error_messages["value"] % {"value": value})
            try:
                figures[target_pk] = Decimal(str(value))
            except InvalidOperation:
                raise serializers.ValidationError(
                    self.error_messages["value"] % {"value": value}
                ) from None
            if not figures[target_pk].is_finite():
                raise serializers.ValidationError(self.error_messages["value"] % {"value": value})
        return figures

    def to_representation(self, value):
        return {str(k): v for k, v in value.items()}


class ReportSubmitSerializer(serializers.Serializer):
    """The unit's report (multipart when it carries attachments): the progress made, the
    task's progress in percent, figures for the reported targets it covers and evidence
    files (PDF, JPEG, PNG, DOCX, XLSX, checked by content)."""

    text = serializers.CharField(max_length=20000)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    figures = FiguresField(required=False)
    attachments = serializers.ListField(
        child=serializers.FileField(max_length=200),
        required=False,
        max_length=c.MAX_ATTACHMENTS,
    )


class ReportAcceptSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReportReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


# --- supervision notes ------------------------------------------------------------------


class SupervisionNoteSerializer(serializers.ModelSerializer):
    """A supervision note (督查意见) on a task, optionally addressed to one of its units
    with a date by which it must be rectified, and the unit's answer."""

    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.none())
    task_title = serializers.CharField(source="task.__str__", read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True
    )
    author_name = serializers.SerializerMethodField()
    responded_by_name = serializers.SerializerMethodField()
    is_open = serializers.BooleanField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionNote
        fields = [
            "id",
            "plan",
            "task",
            "task_title",
            "organization",
            "organization_name",
            "text",
            "rectify_by",
            "author_name",
            "created_at",
            "is_open",
            "overdue",
            "response",
            "responded_at",
            "responded_by_name",
        ]
        read_only_fields = ["id", "created_at", "response", "responded_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is None:
            return
        # Notes are written on the tasks of the plans of the officer's regions.
        self.fields["task"].queryset = rules.note_tasks(user)
        self.fields["organization"].queryset = visible_to(user, Organization)

    def get_author_name(self, note) -> str:
        return _name(note.author)

    def get_responded_by_name(self, note) -> str:
        return _name(note.responded_by)

    def get_overdue(self, note) -> bool:
        return note.is_overdue()


class NoteResponseSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=5000, required=False, allow_blank=True)


# --- the public portal ------------------------------------------------------------------


class PublicPlanSerializer(serializers.ModelSerializer):
    """A published plan as the public sees it (no reports, notes or people)."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "short_title",
            "issuer",
            "document_number",
            "issued_on",
            "region",
            "region_name",
            "period_start",
            "period_end",
            "document_url",
            "summary",
            "status",
            "status_display",
            "published_at",
        ]
        read_only_fields = fields


class PublicTargetSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True
    )
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    standing = serializers.SerializerMethodField()
    parts = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "name",
            "unit",
            "region",
            "region_name",
            "organization_name",
            "source",
            "source_display",
            "baseline_date",
            "baseline_value",
            "target_value",
            "deadline",
            "standing",
            "parts",
        ]
        read_only_fields = fields

    @extend_schema_field(StandingSerializer(allow_null=True))
    def get_standing(self, target):
        standing = self.context.get("standings", {}).get(target.pk)
        return StandingSerializer(standing).data if standing is not None else None

    @extend_schema_field(TargetPartSerializer(many=True))
    def get_parts(self, target):
        parts = self.context.get("parts", {}).get(target.pk, [])
        return TargetPartSerializer(parts, many=True, context=self.context).data


class PublicPlanDetailSerializer(PublicPlanSerializer):
    """The plan's progress: its targets (with their parts) and where they stand, its
    tasks by status and its overall progress (`kepu.plans.progress.OVERALL_RULE`)."""

    targets = serializers.SerializerMethodField()
    task_counts = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta(PublicPlanSerializer.Meta):
        fields = [*PublicPlanSerializer.Meta.fields, "targets", "task_counts", "progress"]
        read_only_fields = fields

    @extend_schema_field(PublicTargetSerializer(many=True))
    def get_targets(self, plan):
        return PublicTargetSerializer(
            self.context.get("targets", []), many=True, context=self.context
        ).data

    @extend_schema_field(TaskCountsSerializer)
    def get_task_counts(self, plan):
        return self.context.get("task_counts")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_progress(self, plan):
        return self.context.get("progress")
