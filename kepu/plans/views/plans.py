"""Back-office pages of plans and their tasks: the list of plans, plan and section forms,
publishing and closing, the task page with its targets, reports and supervision notes,
the task form with its ordered units, the status change and the notes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import idempotency
from kepu.core.scope import allowed_regions, has_permission, member_units, visible_to
from kepu.core.views.common import (
    add_errors,
    filter_is_usable,
    paginate,
    permission_required,
    query_without_page,
)
from kepu.plans import choices as c
from kepu.plans import progress, services
from kepu.plans.filters import PlanFilter
from kepu.plans.forms import (
    NoteForm,
    NoteResponseForm,
    PlanForm,
    SectionForm,
    TaskForm,
    TaskStatusForm,
)
from kepu.plans.models import Plan, ProgressReport, SupervisionNote, Target, Task
from kepu.plans.permissions import (
    get_note_for_user,
    get_plan_for_user,
    get_task_for_user,
    own_units,
)
from kepu.plans.views.reports import mark_overdue

# --- plans ------------------------------------------------------------------------------


def _with_figures(user, plans):
    """Annotate each plan with its number of tasks, the overdue reports the user can see
    and the sums behind its weighted progress (top-level tasks, as
    `progress.weighted_progress`): subqueries of the page query, not queries per plan."""
    top = Task.objects.filter(plan=OuterRef("pk"), parent__isnull=True).order_by().values("plan")
    overdue = (
        visible_to(user, ProgressReport)
        .overdue()
        .filter(task__plan=OuterRef("pk"))
        .order_by()
        .values("task__plan")
    )
    return plans.annotate(
        task_count=Coalesce(Subquery(top.annotate(n=Count("pk")).values("n")), 0),
        overdue_reports=Coalesce(Subquery(overdue.annotate(n=Count("pk")).values("n")), 0),
        progress_sum=Subquery(
            top.annotate(s=Sum(F("progress") * F("weight"))).values("s"),
            output_field=IntegerField(),
        ),
        weight_sum=Subquery(top.annotate(w=Sum("weight")).values("w")),
    )


@require_safe
@permission_required("plans.plan.view")
def plan_list(request):
    user = request.user
    plans = visible_to(user, Plan.objects.with_relations(), public=False)
    filterset = PlanFilter(request.GET or None, queryset=plans)
    queryset = filterset.qs if filter_is_usable(filterset) else Plan.objects.none()
    page = paginate(request, _with_figures(user, queryset).order_by("-period_end", "title", "pk"))
    for plan in page:
        plan.weighted_progress = (
            round(plan.progress_sum / plan.weight_sum) if plan.weight_sum else None
        )
    this_year = timezone.localdate().year
    return render(
        request,
        "plans/plan_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "statuses": c.PlanStatus.choices,
            "years": range(this_year + 5, this_year - 11, -1),
            "can_create": has_permission(user, "plans.plan.create"),
        },
    )


@permission_required("plans.plan.create")
def plan_create(request):
    form = PlanForm(request.POST or None, user=request.user, action="create")
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or "plans:plan_list")
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            url = reverse("plans:plan_detail", args=[plan.pk])
            idempotency.remember(request, url)
            messages.success(
                request,
                _("“%(title)s” saved as a draft. Add its sections and tasks, then publish it.")
                % {"title": plan},
            )
            return redirect(url)
    return render(
        request, "plans/plan_form.html", {"form": form, "form_token": idempotency.new_token()}
    )


@permission_required("plans.plan.change")
def plan_update(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = PlanForm(request.POST or None, instance=plan, user=request.user, action="change")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("plans:plan_detail", pk=pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _plan_step(request, pk, step, done_message):
    plan = get_plan_for_user(request.user, pk, "publish")
    try:
        step(plan, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message)
    return redirect("plans:plan_detail", pk=pk)


@require_POST
@permission_required("plans.plan.publish")
def plan_publish(request, pk):
    return _plan_step(
        request,
        pk,
        services.publish_plan,
        _("Published: its progress is public and the units' progress reports are open."),
    )


@require_POST
@permission_required("plans.plan.publish")
def plan_close(request, pk):
    return _plan_step(
        request, pk, services.close_plan, _("Closed: no new reporting periods will open.")
    )


@permission_required("plans.plan.change")
def section_create(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = SectionForm(request.POST or None)
    done = reverse("plans:plan_detail", args=[plan.pk])
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or done)
        try:
            section = services.add_section(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            idempotency.remember(request, done)
            messages.success(request, _("Section “%(title)s” added.") % {"title": section})
            return redirect(done)
    return render(
        request,
        "plans/section_form.html",
        {"form": form, "plan": plan, "form_token": idempotency.new_token()},
    )


# --- tasks ------------------------------------------------------------------------------


def _task_form_context(form, plan, **extra):
    # Units already named on the plan's tasks, offered as suggestions while typing.
    named = (
        plan.tasks.values_list("units__organization__name", flat=True)
        .exclude(units__organization__name=None)
        .order_by("units__organization__name")
        .distinct()
    )
    return {"form": form, "plan": plan, "unit_suggestions": list(named), **extra}


@permission_required("plans.task.change")
def task_create(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = TaskForm(request.POST or None, user=request.user, plan=plan)
    if not form.is_bound:
        for name in ("section", "parent"):
            if request.GET.get(name, "").isdigit():
                form.initial[name] = int(request.GET[name])
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or reverse("plans:plan_detail", args=[plan.pk]))
        try:
            task = services.create_task(
                plan,
                actor=request.user,
                lead_unit=form.cleaned_data["lead_unit"],
                responsible_units=form.cleaned_data["responsible_units"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            url = reverse("plans:task_detail", args=[task.pk])
            idempotency.remember(request, url)
            messages.success(request, _("Task “%(task)s” added.") % {"task": task})
            return redirect(url)
    context = _task_form_context(form, plan, form_token=idempotency.new_token())
    return render(request, "plans/task_form.html", context)


@permission_required("plans.task.change")
def task_update(request, pk):
    task = get_task_for_user(request.user, pk, "change")
    form = TaskForm(request.POST or None, instance=task, user=request.user, plan=task.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(
                task,
                actor=request.user,
                lead_unit=form.cleaned_data["lead_unit"],
                responsible_units=form.cleaned_data["responsible_units"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("plans:task_detail", pk=pk)
    return render(request, "plans/task_form.html", _task_form_context(form, task.plan, task=task))


def _units_of(user, model, action) -> set[int]:
    return {unit.pk for unit in member_units(user, model, action)}


def _may_answer(note, units: set[int]) -> bool:
    """A note addressed to a unit is answered by that unit (or the unit above it); a note
    to the whole task by any of its units."""
    if not note.is_open() or not units:
        return False
    if note.organization_id is None:
        return True
    return note.organization_id in units or note.organization.parent_id in units


def _may_write_notes(user, task) -> bool:
    return allowed_regions(user, SupervisionNote, "create").filter(pk=task.plan.region_id).exists()


def _report_groups(reports, task):
    """The task's reports by period, newest period first, the units in table order, with
    the count of each state for the period's summary line."""
    order = {u.organization_id: u.position for u in task.units.all()}
    reports = sorted(
        reports, key=lambda r: (-r.period_start.toordinal(), order.get(r.organization_id, 0))
    )
    groups = []
    for report in mark_overdue(reports):
        if not groups or groups[-1]["start"] != report.period_start:
            groups.append(
                {
                    "start": report.period_start,
                    "label": report.period_label,
                    "due": report.due_date,
                    "reports": [],
                    "accepted": 0,
                    "submitted": 0,
                    "owed": 0,
                    "overdue": 0,
                }
            )
        group = groups[-1]
        group["reports"].append(report)
        # A returned report gets a later due date of its own; the period's is the first.
        group["due"] = min(group["due"], report.due_date)
        if report.status == c.ReportStatus.ACCEPTED:
            group["accepted"] += 1
        elif report.status == c.ReportStatus.SUBMITTED:
            group["submitted"] += 1
        else:
            group["owed"] += 1
            group["overdue"] += report.overdue
    return groups


def _task_context(request, task, **extra):
    user = request.user
    targets = visible_to(
        user, Target.objects.select_related("region", "organization"), public=False
    ).filter(task=task)
    reports = visible_to(user, ProgressReport.objects.select_related("organization")).filter(
        task=task
    )
    notes = list(
        visible_to(
            user,
            SupervisionNote.objects.select_related("organization", "author", "responded_by"),
        ).filter(task=task)
    )
    answering = _units_of(user, SupervisionNote, "respond")
    for note in notes:
        note.may_answer = _may_answer(note, answering)
    submitting = {unit.pk for unit in own_units(user, "submit")}
    report_groups = _report_groups(reports, task)
    for group in report_groups:
        for report in group["reports"]:
            report.may_fill = report.can_edit() and report.organization_id in submitting
    can_note = has_permission(user, "plans.supervisionnote.create") and _may_write_notes(user, task)
    context = {
        "task": task,
        "plan": task.plan,
        "units": list(task.units.all()),
        "lead_id": next((u.organization_id for u in task.units.all() if u.is_lead), None),
        "children": visible_to(user, Task.objects.with_units(), public=False).filter(parent=task),
        "standings": progress.standings(targets),
        "report_groups": report_groups,
        "notes": notes,
        "can_change": visible_to(user, Task, "change", public=False).filter(pk=task.pk).exists(),
        "can_note": can_note,
        "status_form": TaskStatusForm(initial={"status": task.status}),
        "note_form": NoteForm(task=task) if can_note else None,
        "form_token": idempotency.new_token(),
        "today": timezone.localdate(),
    }
    context.update(extra)
    return context


@require_safe
@permission_required("plans.task.view")
def task_detail(request, pk):
    task = get_task_for_user(request.user, pk)
    return render(request, "plans/task_detail.html", _task_context(request, task))


@require_POST
@permission_required("plans.task.change")
def task_status(request, pk):
    task = get_task_for_user(request.user, pk, "change")
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses."))
        return redirect("plans:task_detail", pk=pk)
    try:
        services.set_task_status(task, actor=request.user, status=form.cleaned_data["status"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status changed."))
    return redirect("plans:task_detail", pk=pk)


@require_POST
@permission_required("plans.supervisionnote.create")
def note_create(request, pk):
    task = get_task_for_user(request.user, pk)
    if not _may_write_notes(request.user, task):
        raise PermissionDenied
    form = NoteForm(request.POST, task=task)
    done = reverse("plans:task_detail", args=[task.pk])
    if form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or done)
        try:
            services.add_note(task, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            idempotency.remember(request, done)
            messages.success(request, _("Supervision note written."))
            return redirect(done)
    context = _task_context(request, task, note_form=form)
    return render(request, "plans/task_detail.html", context, status=400)


@permission_required("plans.supervisionnote.respond")
def note_respond(request, pk):
    """The task page with the answer form open under the note."""
    note = get_note_for_user(request.user, pk, "respond")
    task = get_task_for_user(request.user, note.task_id)
    done = reverse("plans:task_detail", args=[task.pk])
    if not note.is_open():
        messages.info(request, _("This note has already been answered."))
        return redirect(done)
    if not _may_answer(note, _units_of(request.user, SupervisionNote, "respond")):
        raise PermissionDenied
    form = NoteResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_note(note, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect(done)
    context = _task_context(request, task, answering=note, response_form=form)
    return render(request, "plans/task_detail.html", context)
