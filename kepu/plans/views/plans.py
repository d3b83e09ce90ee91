"""Back-office pages of plans and their tasks: the list of plans, plan and section forms,
publishing and closing, the task page with its targets, reports and supervision notes,
the task form with its ordered units, the status change and the notes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import clock, scope
from kepu.core.models import Region
from kepu.core.scope import has_permission, scope_roots, visible_to
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.core.widgets import RegionCascadeWidget
from kepu.plans import choices as c
from kepu.plans import progress, rules, services
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
)
from kepu.plans.views.reports import mark_overdue

# --- plans ------------------------------------------------------------------------------


def _with_figures(user, plans):
    """Annotate each plan with its number of tasks and the overdue reports the user can
    see: subqueries of the page query, not queries per plan."""
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
    )


@require_safe
@permission_required("plans.plan.view")
def plan_list(request):
    user = request.user
    plans = visible_to(user, Plan.objects.with_relations(), public=False)
    filterset = PlanFilter(request.GET or None, queryset=plans)
    filterset.form.fields["region"].widget = RegionCascadeWidget(
        roots=scope_roots(user) or list(Region.objects.roots()), empty_label=_("All")
    )
    queryset = filterset.qs if filter_is_usable(filterset) else Plan.objects.none()
    page = paginate(request, _with_figures(user, queryset).order_by("-period_end", "title", "pk"))
    page.object_list = list(page.object_list)
    overall = progress.overall_progress(page.object_list)
    for plan in page.object_list:
        plan.overall = overall[plan.pk]
    this_year = clock.today().year
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
    done = submit_form(
        request,
        form,
        lambda: services.create_plan(actor=request.user, **form.cleaned_data),
        success=lambda plan: reverse("plans:plan_detail", args=[plan.pk]),
        message=lambda plan: (
            _("“%(title)s” saved as a draft. Add its sections and tasks, then publish it.")
            % {"title": plan}
        ),
        fallback=reverse("plans:plan_list"),
    )
    return done or form_page(request, "plans/plan_form.html", form)


@permission_required("plans.plan.change")
def plan_update(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = PlanForm(request.POST or None, instance=plan, user=request.user, action="change")
    done = submit_form(
        request,
        form,
        lambda: services.update_plan(plan, actor=request.user, **form.cleaned_data),
        success=reverse("plans:plan_detail", args=[pk]),
        message=_("Changes saved."),
    )
    return done or form_page(request, "plans/plan_form.html", form, {"plan": plan})


@require_POST
@permission_required("plans.plan.publish")
def plan_publish(request, pk):
    plan = get_plan_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.publish_plan(plan, actor=request.user),
        back=reverse("plans:plan_detail", args=[pk]),
        message=_("Published: its progress is public and the units' progress reports are open."),
    )


@require_POST
@permission_required("plans.plan.publish")
def plan_close(request, pk):
    plan = get_plan_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.close_plan(plan, actor=request.user),
        back=reverse("plans:plan_detail", args=[pk]),
        message=_("Closed: no new reporting periods will open."),
    )


@permission_required("plans.plan.change")
def section_create(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = SectionForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.add_section(plan, actor=request.user, **form.cleaned_data),
        success=reverse("plans:plan_detail", args=[plan.pk]),
        message=lambda section: _("Section “%(title)s” added.") % {"title": section},
    )
    return done or form_page(request, "plans/section_form.html", form, {"plan": plan})


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


def _save_task(request, form, plan, task=None):
    units = {
        "lead_unit": form.cleaned_data["lead_unit"],
        "responsible_units": form.cleaned_data["responsible_units"],
    }
    if task is None:
        return services.create_task(plan, actor=request.user, **units, **form.service_fields())
    return services.update_task(task, actor=request.user, **units, **form.service_fields())


@permission_required("plans.task.change")
def task_create(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = TaskForm(request.POST or None, user=request.user, plan=plan)
    if not form.is_bound:
        for name in ("section", "parent"):
            if request.GET.get(name, "").isdigit():
                form.initial[name] = int(request.GET[name])
    done = submit_form(
        request,
        form,
        lambda: _save_task(request, form, plan),
        success=lambda task: reverse("plans:task_detail", args=[task.pk]),
        message=lambda task: _("Task “%(task)s” added.") % {"task": task},
        fallback=reverse("plans:plan_detail", args=[plan.pk]),
    )
    context = _task_form_context(form, plan)
    return done or form_page(request, "plans/task_form.html", form, context)


@permission_required("plans.task.change")
def task_update(request, pk):
    task = get_task_for_user(request.user, pk, "change")
    form = TaskForm(request.POST or None, instance=task, user=request.user, plan=task.plan)
    done = submit_form(
        request,
        form,
        lambda: _save_task(request, form, task.plan, task),
        success=reverse("plans:task_detail", args=[pk]),
        message=_("Changes saved."),
    )
    context = _task_form_context(form, task.plan, task=task)
    return done or form_page(request, "plans/task_form.html", form, context)


def _may_write_notes(user, task) -> bool:
    return rules.note_tasks(user).filter(pk=task.pk).exists()


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
    # Who may answer which note and fill which report: the scope and the object rules,
    # one query each for the whole page.
    answering = set(
        scope.actionable(user, SupervisionNote.objects.filter(task=task), "respond").values_list(
            "pk", flat=True
        )
    )
    for note in notes:
        note.may_answer = note.is_open() and note.pk in answering
    filling = set(
        scope.actionable(user, ProgressReport.objects.filter(task=task), "submit").values_list(
            "pk", flat=True
        )
    )
    report_groups = _report_groups(reports, task)
    for group in report_groups:
        for report in group["reports"]:
            report.may_fill = report.can_edit() and report.pk in filling
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
        "can_change": scope.can(user, task, "change"),
        "can_note": can_note,
        "status_form": TaskStatusForm(initial={"status": task.status}),
        "note_form": NoteForm(task=task) if can_note else None,
        "today": clock.today(),
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
    back = reverse("plans:task_detail", args=[pk])
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses."))
        return redirect(back)
    return run_step(
        request,
        lambda: services.set_task_status(
            task, actor=request.user, status=form.cleaned_data["status"]
        ),
        back=back,
        message=_("Status changed."),
    )


@require_POST
@permission_required("plans.supervisionnote.create")
def note_create(request, pk):
    task = get_task_for_user(request.user, pk)
    if not _may_write_notes(request.user, task):
        raise PermissionDenied
    form = NoteForm(request.POST, task=task)
    done = submit_form(
        request,
        form,
        lambda: services.add_note(task, actor=request.user, **form.cleaned_data),
        success=reverse("plans:task_detail", args=[task.pk]),
        message=_("Supervision note written."),
    )
    if done:
        return done
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
    reason = scope.refusal(request.user, note, "respond")
    if reason:
        raise PermissionDenied(reason)
    form = NoteResponseForm(request.POST or None)
    answered = submit_form(
        request,
        form,
        lambda: services.respond_to_note(note, actor=request.user, **form.cleaned_data),
        success=done,
        message=_("Your answer has been recorded."),
    )
    if answered:
        return answered
    context = _task_context(request, task, answering=note, response_form=form)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "plans/task_detail.html", context, status=status)
