"""The public progress pages (accountability): the published plans with where each
stands, and one plan's targets (met, on track, behind) by region and its tasks with
their lead units and status. No progress reports, supervision notes or personal data:
the public reads what the plan promised and how far it has come."""

from collections import defaultdict

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import clock
from kepu.core.models import Region
from kepu.core.pagination import paginate
from kepu.core.views.common import filter_is_usable, query_without_page
from kepu.core.widgets import RegionCascadeWidget
from kepu.plans import choices as c
from kepu.plans import progress
from kepu.plans.filters import PublicPlanFilter
from kepu.plans.models import Plan
from kepu.plans.permissions import get_public_plan
from kepu.plans.views.dashboard import (
    GOOD_STATES,
    division_table,
    number,
    plan_targets,
    plan_tasks,
    state_counts,
    target_rows,
)

PUBLIC_PAGE_SIZE = 20


@require_safe
def plan_list(request):
    today = clock.today()
    filterset = PublicPlanFilter(request.GET or None, queryset=Plan.objects.public())
    queryset = filterset.qs if filter_is_usable(filterset) else Plan.objects.none()
    code = request.GET.get("region", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    queryset = queryset.with_relations().order_by("-period_end", "title", "pk")
    page = paginate(request, queryset, PUBLIC_PAGE_SIZE)
    plans = list(page.object_list)
    overall = progress.overall_progress(plans, today)
    for plan in plans:
        plan.overall = overall[plan.pk]
    page.object_list = plans
    picker = RegionCascadeWidget(roots=list(Region.objects.roots()), empty_label=_("All"))
    return render(
        request,
        "plans/public/plan_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "region": region,
            "region_picker": picker.render("region", code, {"id": "id_region"}),
            "today": today,
        },
    )


def _by_region(rows) -> list[dict]:
    """For each region with parts of the plan's targets, how many stand where."""
    regions = {}
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        target = row["target"]
        if row["depth"] == 0 or target.organization_id:
            continue
        regions[target.region.code] = target.region
        counts[target.region.code][row["standing"].state] += 1
    return [
        {
            "region": regions[code],
            "cells": [
                {"state": state.value, "label": state.label, "count": counts[code][state.value]}
                for state in c.TargetState
            ],
            "total": sum(counts[code].values()),
        }
        for code in sorted(regions)
    ]


def _decomposed(rows) -> list[dict]:
    """The decomposed targets, each with its parts (in the order of the rows)."""
    items = []
    for row in rows:
        if row["depth"] == 0:
            current = {"row": row, "parts": []}
            if row["parts"]:
                items.append(current)
        else:
            current["parts"].append(row)
    return items


def _chart(decomposed) -> dict:
    return {
        "targets": {
            str(item["row"]["target"].pk): {
                "names": [str(p["where"]) for p in item["parts"]],
                "target": [number(p["target"].target_value) for p in item["parts"]],
                "actual": [number(p["standing"].actual) for p in item["parts"]],
            }
            for item in decomposed
        },
        "labels": {"target": _("Target"), "actual": _("Actual")},
    }


@require_safe
def plan_detail(request, pk):
    plan = get_public_plan(pk)
    today = clock.today()
    tasks = plan_tasks(plan)
    all_tasks = plan.tasks.all()
    counts = progress.task_counts(all_tasks, today)
    targets = plan_targets(plan)
    rows = target_rows(targets, progress.standings(targets, today))
    top = [r for r in rows if r["depth"] == 0]
    top_standings = [r["standing"] for r in top]
    decomposed = _decomposed(rows)
    return render(
        request,
        "plans/public/plan_detail.html",
        {
            "plan": plan,
            "today": today,
            "table": division_table(plan, tasks, today=today),
            "task_counts": counts,
            "task_total": sum(counts.values()),
            "overall": progress.plan_overall(plan, today, known=top_standings),
            "top_targets": top,
            "target_states": state_counts(top_standings),
            "targets_good": sum(s.state in GOOD_STATES for s in top_standings),
            "by_region": _by_region(rows),
            "states": c.TargetState.choices,
            "decomposed": decomposed,
            "chart_data": _chart(decomposed),
        },
    )
