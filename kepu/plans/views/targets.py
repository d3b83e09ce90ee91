"""Target pages: the targets in the user's scope (a city officer sees the city's part of
a province target), a target with its standing, trajectory and drill-down, the target
form and the decomposition (分解) into parts for subordinate regions and units."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import idempotency
from kepu.core.models import Organization, Region
from kepu.core.scope import has_permission, scope_roots, visible_to
from kepu.core.views.common import (
    PAGE_SIZE,
    add_errors,
    permission_required,
    query_without_page,
)
from kepu.plans import choices as c
from kepu.plans import indicators, progress, services
from kepu.plans.models import Plan, ProgressReport, ReportFigure, Target, Task, TaskUnit
from kepu.plans.permissions import get_plan_for_user, get_target_for_user
from kepu.plans.target_forms import DecomposeForm, TargetFilterForm, TargetForm
from kepu.plans.views.dashboard import may, number

# --- the list ---------------------------------------------------------------------------


def _filter_roots(user):
    roots = scope_roots(user)
    return roots or list(Region.objects.roots())


@require_safe
@permission_required("plans.target.view")
def target_list(request):
    user = request.user
    today = timezone.localdate()
    targets = visible_to(user, Target, public=False)
    plans = Plan.objects.filter(pk__in=targets.values("plan")).order_by("-period_end", "title")
    form = TargetFilterForm(request.GET or None, plans=plans, roots=_filter_roots(user))
    queryset = targets.select_related("plan", "region", "organization", "parent__region")
    state = ""
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            if data["plan"]:
                queryset = queryset.filter(plan=data["plan"])
            if data["region"]:
                queryset = queryset.filter(region__in=Region.objects.subtree(data["region"]))
            state = data["state"]
        else:
            queryset = queryset.none()
    queryset = queryset.order_by(
        "plan__region__path", "plan_id", F("parent_id").asc(nulls_first=True), "position", "pk"
    )
    if state:
        # The standing is computed, not stored: compute it for every target of the
        # filtered list (a fixed number of queries), then keep those in that standing.
        rows = [s for s in progress.standings(queryset, today) if s.state == state]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = progress.standings(page.object_list, today)
    visible_plans = set(
        visible_to(user, Plan, public=False)
        .filter(pk__in={s.target.plan_id for s in page.object_list})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "plans/target_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "visible_plans": visible_plans,
            "filtered": bool(request.GET.dict().keys() - {"page"}),
        },
    )


# --- one target -------------------------------------------------------------------------


def _trajectory_chart(target, today) -> dict:
    data = progress.trajectory(target, today)
    return {
        "months": [f"{day:%Y-%m}" for day in data["days"]],
        "planned": [round(float(v), 2) for v in data["planned"]],
        "actual": [number(v) for v in data["actual"]],
        "target": number(target.target_value),
        "unit": target.unit,
        "labels": {
            "planned": _("Planned (straight line)"),
            "actual": _("Actual"),
            "target": _("Target"),
        },
    }


def _figures(target, user):
    """The accepted figures behind a reported target (and its parts), oldest first, each
    with whether the user may open its report."""
    figures = list(
        ReportFigure.objects.filter(
            Q(target=target) | Q(target__parent=target),
            report__status=c.ReportStatus.ACCEPTED,
        )
        .select_related("report", "report__organization", "target__region", "target__organization")
        .order_by("report__period_end", "report__reviewed_at", "pk")
    )
    visible = set(
        visible_to(user, ProgressReport, public=False)
        .filter(pk__in={f.report_id for f in figures})
        .values_list("pk", flat=True)
    )
    return [{"figure": f, "report": f.report, "link": f.report_id in visible} for f in figures]


@require_safe
@permission_required("plans.target.view")
def target_detail(request, pk):
    user = request.user
    target = get_target_for_user(user, pk)
    today = timezone.localdate()
    standing = progress.standings([target], today)[0]
    drill = progress.drilldown(target, today)
    part_pks = [row["part"].pk for row in drill if row["part"] is not None]
    visible_parts = set(
        visible_to(user, Target, public=False).filter(pk__in=part_pks).values_list("pk", flat=True)
    )
    for row in drill:
        row["link"] = row["part"] is not None and row["part"].pk in visible_parts
    parent = target.parent
    can_change = has_permission(user, "plans.target.change") and may(user, Target, target, "change")
    indicator = indicators.REGISTRY.get(target.indicator)
    return render(
        request,
        "plans/target_detail.html",
        {
            "target": target,
            "standing": standing,
            "indicator": indicator,
            "drill": drill,
            "drill_has_targets": any(row["part"] is not None for row in drill),
            "parent": parent,
            "parent_link": parent is not None and may(user, Target, parent, "view"),
            "plan_link": may(user, Plan, target.plan, "view"),
            "task_link": target.task_id is not None and may(user, Task, target.task, "view"),
            "figures": _figures(target, user) if target.source == c.TargetSource.REPORTED else [],
            "can_change": can_change and target.parent_id is None,
            "chart_data": _trajectory_chart(target, today),
            "today": today,
        },
    )


# --- the form ---------------------------------------------------------------------------


@permission_required("plans.target.change")
def target_create(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = TargetForm(request.POST or None, plan=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        first, done_url = idempotency.claim(request)
        if not first:
            return redirect(done_url or reverse("plans:plan_detail", args=[plan.pk]))
        try:
            target = services.create_target(plan, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            idempotency.release(request)
            add_errors(form, exc)
        else:
            url = reverse("plans:target_detail", args=[target.pk])
            idempotency.remember(request, url)
            messages.success(
                request,
                _("Target “%(name)s” added. Decompose it to the regions below when needed.")
                % {"name": target.name},
            )
            return redirect(url)
    return render(
        request,
        "plans/target_form.html",
        {
            "form": form,
            "plan": plan,
            "target": None,
            "definitions": indicators.INDICATORS,
            "form_token": idempotency.new_token(),
        },
    )


@permission_required("plans.target.change")
def target_update(request, pk):
    target = get_target_for_user(request.user, pk, "change")
    if target.parent_id is not None:
        messages.info(
            request,
            _("A part is set when its target is decomposed; change it there."),
        )
        return redirect("plans:target_detail", pk=pk)
    form = TargetForm(request.POST or None, instance=target, plan=target.plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_target(target, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("plans:target_detail", pk=pk)
    return render(
        request,
        "plans/target_form.html",
        {
            "form": form,
            "plan": target.plan,
            "target": Target.objects.get(pk=target.pk) if form.is_bound else target,
            "definitions": indicators.INDICATORS,
        },
    )


# --- decomposition ----------------------------------------------------------------------


def _decompose_units(target):
    """The units a target may be split among: those of its task, else of its plan."""
    units = TaskUnit.objects.filter(task__plan=target.plan)
    if target.task_id:
        units = units.filter(task=target.task)
    return list(Organization.objects.filter(pk__in=units.values("organization")).order_by("name"))


@permission_required("plans.target.change")
def target_decompose(request, pk):
    target = get_target_for_user(request.user, pk, "change")
    if target.parent_id is not None:
        messages.info(request, _("A part of a target cannot be decomposed further here."))
        return redirect("plans:target_detail", pk=pk)
    regions = list(Region.objects.filter(parent=target.region).order_by("code"))
    form = DecomposeForm(
        request.POST or None, target=target, regions=regions, units=_decompose_units(target)
    )
    if request.method == "POST" and form.is_valid():
        try:
            parts = services.decompose_target(target, actor=request.user, parts=form.parts())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Target decomposed into %(n)d parts.") % {"n": len(parts)}
                if parts
                else _("The target's parts were removed."),
            )
            return redirect("plans:target_detail", pk=pk)
    return render(
        request,
        "plans/target_decompose.html",
        {
            "form": form,
            "target": target,
            "total": form.total(),
            "difference": target.target_value - form.total(),
        },
    )
