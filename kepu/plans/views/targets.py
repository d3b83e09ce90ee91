"""Target pages: the targets in the user's scope (a city officer sees the city's part of
a province target), a target with its standing, trajectory and drill-down, the target
form and the decomposition (分解) into parts for subordinate regions and units."""

from django.contrib import messages
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import clock, exports, scope
from kepu.core.excel import Column
from kepu.core.models import Organization, Region
from kepu.core.scope import has_permission, scope_roots, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)
from kepu.core.widgets import RegionCascadeWidget
from kepu.plans import choices as c
from kepu.plans import indicators, progress, services
from kepu.plans.filters import TargetFilter
from kepu.plans.models import Plan, ProgressReport, ReportFigure, Target, TaskUnit
from kepu.plans.permissions import get_plan_for_user, get_target_for_user
from kepu.plans.target_forms import DecomposeForm, TargetForm
from kepu.plans.views.dashboard import number, target_columns, target_values

# --- the list ---------------------------------------------------------------------------


def _filter_roots(user):
    roots = scope_roots(user)
    return roots or list(Region.objects.roots())


def _filtered(request, action="view"):
    """The list's FilterSet over the targets the user may `action` (the page and its
    export alike)."""
    user = request.user
    filterset = TargetFilter(
        request.GET or None, queryset=visible_to(user, Target, action, public=False)
    )
    filterset.form.fields["region"].widget = RegionCascadeWidget(
        roots=_filter_roots(user), empty_label=_("All")
    )
    return filterset


def _ordered(queryset):
    return queryset.select_related("plan", "region", "organization", "parent__region").order_by(
        "plan__region__path", "plan_id", F("parent_id").asc(nulls_first=True), "position", "pk"
    )


@require_safe
@permission_required("plans.target.view")
def target_list(request):
    user = request.user
    today = clock.today()
    targets = visible_to(user, Target, public=False)
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Target.objects.none()
    page = paginate(request, _ordered(queryset))
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
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "plans": Plan.objects.filter(pk__in=targets.values("plan")).order_by(
                "-period_end", "title"
            ),
            "states": c.TargetState.choices,
            "visible_plans": visible_plans,
            "filtered": bool(request.GET.dict().keys() - {"page"}),
            "can_export": has_permission(user, "plans.target.export"),
        },
    )


# --- the export -------------------------------------------------------------------------


def _export_values(queryset, today):
    """Each exported target's cells. The standings are computed for all the exported
    targets at the first row (a fixed number of queries, as the `state` filter does),
    not one target at a time; a target list is short (a plan has tens)."""
    known: dict[int, progress.Standing] = {}

    def values(target):
        if not known:
            known.update({s.target.pk: s for s in progress.standings(queryset, today)})
        standing = known.get(target.pk) or progress.standings([target], today)[0]
        row = {
            "target": target,
            "standing": standing,
            "depth": 1 if target.parent_id else 0,
            "where": target.organization or target.region,
        }
        return [str(target.plan), *target_values(row)]

    return values


@exports.builder("plans.target", permission="plans.target.export", back="plans:target_list")
def target_export_rows(request):
    filterset = _filtered(request, "export")
    if not filter_is_usable(filterset):
        return None
    queryset = _ordered(filterset.qs)
    return exports.Rows(
        queryset=queryset,
        action="plans.target.exported",
        title=_("Targets"),
        columns=[Column("plan", _("Plan"), width=40), *target_columns()],
        to_values=_export_values(queryset, clock.today()),
        basename="targets",
    )


@require_safe
@permission_required("plans.target.export")
def target_export(request):
    return export_list(request, "plans.target")


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
    today = clock.today()
    standing = progress.standings([target], today)[0]
    drill = progress.drilldown(target, today)
    part_pks = [row["part"].pk for row in drill if row["part"] is not None]
    visible_parts = set(
        visible_to(user, Target, public=False).filter(pk__in=part_pks).values_list("pk", flat=True)
    )
    for row in drill:
        row["link"] = row["part"] is not None and row["part"].pk in visible_parts
    parent = target.parent
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
            "parent_link": parent is not None and scope.can(user, parent, "view"),
            "plan_link": scope.can(user, target.plan, "view"),
            "task_link": target.task_id is not None and scope.can(user, target.task, "view"),
            "figures": _figures(target, user) if target.source == c.TargetSource.REPORTED else [],
            # A part is changed by decomposing its target again (an object rule).
            "can_change": scope.can(user, target, "change"),
            "chart_data": _trajectory_chart(target, today),
            "today": today,
        },
    )


# --- the form ---------------------------------------------------------------------------


@permission_required("plans.target.change")
def target_create(request, pk):
    plan = get_plan_for_user(request.user, pk, "change")
    form = TargetForm(request.POST or None, plan=plan, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_target(plan, actor=request.user, **form.service_fields()),
        success=lambda target: reverse("plans:target_detail", args=[target.pk]),
        message=lambda target: (
            _("Target “%(name)s” added. Decompose it to the regions below when needed.")
            % {"name": target.name}
        ),
        fallback=reverse("plans:plan_detail", args=[plan.pk]),
    )
    context = {"plan": plan, "target": None, "definitions": indicators.ALL}
    return done or form_page(request, "plans/target_form.html", form, context)


def _part_refused(request, target):
    """A part of a decomposed target is not changed on its own (the object rule): say
    so and go back to the target."""
    reason = scope.refusal(request.user, target, "change")
    if reason:
        messages.info(request, reason)
        return redirect("plans:target_detail", pk=target.pk)
    return None


@permission_required("plans.target.change")
def target_update(request, pk):
    target = get_target_for_user(request.user, pk, "change")
    refused = _part_refused(request, target)
    if refused:
        return refused
    form = TargetForm(request.POST or None, instance=target, plan=target.plan, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.update_target(target, actor=request.user, **form.service_fields()),
        success=reverse("plans:target_detail", args=[pk]),
        message=_("Changes saved."),
    )
    context = {
        "plan": target.plan,
        "target": Target.objects.get(pk=target.pk) if form.is_bound else target,
        "definitions": indicators.ALL,
    }
    return done or form_page(request, "plans/target_form.html", form, context)


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
    refused = _part_refused(request, target)
    if refused:
        return refused
    regions = list(Region.objects.filter(parent=target.region).order_by("code"))
    form = DecomposeForm(
        request.POST or None, target=target, regions=regions, units=_decompose_units(target)
    )

    def message(parts):
        if parts:
            return _("Target decomposed into %(n)d parts.") % {"n": len(parts)}
        return _("The target's parts were removed.")

    done = submit_form(
        request,
        form,
        lambda: services.decompose_target(target, actor=request.user, parts=form.parts()),
        success=reverse("plans:target_detail", args=[pk]),
        message=message,
    )
    context = {
        "target": target,
        "total": form.total(),
        "difference": target.target_value - form.total(),
    }
    return done or form_page(request, "plans/target_decompose.html", form, context)
