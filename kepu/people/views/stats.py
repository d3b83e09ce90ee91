"""Live counts of the registry by region (the truth for targets such as 000's +5,000
part-time staff), with drill-down, charts and the per-capita rate of information officers."""

import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kepu.core import services as core_services
from kepu.core.models import Region
from kepu.core.rollups import counts_by_child_region
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import permission_required
from kepu.core.views.dashboard import _breadcrumbs, focus_region
from kepu.people.choices import HIGH_LEVEL_TITLES, RegistrationKind, RegistrationStatus
from kepu.people.models import Person, PoolMembership, Registration

DEFAULT_BASELINE = datetime.date(2023, 1, 1)  # seed 000: targets count from 2023

# Column labels short enough for a table header and a chart legend.
SHORT_LABELS = [
    (RegistrationKind.FULL_TIME, gettext_lazy("Full-time staff")),
    (RegistrationKind.PART_TIME, gettext_lazy("Part-time staff")),
    (RegistrationKind.VOLUNTEER, gettext_lazy("Volunteers")),
    (RegistrationKind.INFO_OFFICER, gettext_lazy("Information officers")),
    (RegistrationKind.EXPERT, gettext_lazy("Experts")),
]


def _since(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return DEFAULT_BASELINE


def region_stats(user, focus, since):
    """Rows of [region, figures] for the children of `focus`, plus the focus total."""
    certified = visible_to(user, Registration).filter(status=RegistrationStatus.CERTIFIED)
    kinds = {k.value: Q(kind=k) for k in RegistrationKind}
    kinds["new"] = Q(start_date__gte=since)
    reg_rows, reg_direct = counts_by_child_region(certified, focus, measures=kinds)
    people = visible_to(user, Person).live()
    person_rows, person_direct = counts_by_child_region(
        people,
        focus,
        measures={"high": Q(title_level__in=HIGH_LEVEL_TITLES)},
        aggregates={"disciplines": Count("discipline", distinct=True, filter=~Q(discipline=""))},
    )
    rows = []
    for (region, regs), (_r, persons) in zip(reg_rows, person_rows, strict=True):
        rows.append((region, _figures(region, regs, persons)))
    total = _figures(focus, _sum(reg_rows, reg_direct), _sum(person_rows, person_direct))
    return rows, total


def _sum(rows, direct):
    total = {k: v or 0 for k, v in direct.items()}
    for _region, counts in rows:
        for key, value in counts.items():
            if key != "disciplines":
                total[key] = total.get(key, 0) + (value or 0)
    return total


def _figures(region, regs, persons):
    people_total = persons.get("total") or 0
    officers = regs.get(RegistrationKind.INFO_OFFICER) or 0
    return {
        **{k: regs.get(k) or 0 for k in [*RegistrationKind.values, "new"]},
        "people": people_total,
        "high_share": round(100 * (persons.get("high") or 0) / people_total, 1)
        if people_total
        else None,
        "disciplines": persons.get("disciplines") or 0,
        "officers_per_10k": round(officers * 10000 / region.population, 2)
        if region.population
        else None,
    }


@permission_required("people.dashboard.view")
def stats_view(request):
    focus = focus_region(request)
    since = _since(request)
    rows, total = region_stats(request.user, focus, since) if focus else ([], {})
    pools = (
        visible_to(request.user, PoolMembership)
        .filter(person__region__in=Region.objects.subtree(focus).values("pk") if focus else [])
        .values("pool__name", "pool__kind")
        .annotate(n=Count("pk"), available=Count("pk", filter=Q(available=True)))
        .order_by("-n")
    )
    chart = {
        "regions": [r.name for r, _f in rows],
        "series": [
            {"name": str(label), "data": [f[kind.value] for _r, f in rows]}
            for kind, label in SHORT_LABELS
        ],
    }
    return render(
        request,
        "people/stats.html",
        {
            "focus": focus,
            "since": since,
            "rows": rows,
            "total": total,
            "pools": pools,
            "kinds": [(kind.value, label) for kind, label in SHORT_LABELS],
            "chart_data": chart,
            "breadcrumbs": _breadcrumbs(request.user, focus),
            "can_set_population": has_permission(request.user, "core.region.change"),
        },
    )


@require_POST
@permission_required("core.region.change")
def population_update(request):
    """Set the population of the focus region's sub-regions (the bundled data has none)."""
    focus = focus_region(request)
    changed = 0
    for region in Region.objects.filter(parent=focus):
        raw = request.POST.get(f"pop_{region.code}", "").replace(",", "").strip()
        if raw == "":
            continue
        if not raw.isdigit() or int(raw) > 2_000_000_000:
            messages.error(request, _("“%(v)s” is not a population figure.") % {"v": raw})
            return redirect(f"{reverse('people:stats')}?region={focus.code}")
        if region.population != int(raw):
            core_services.set_region_population(region, actor=request.user, population=int(raw))
            changed += 1
    messages.success(request, _("%(n)d population figures saved.") % {"n": changed})
    return redirect(f"{reverse('people:stats')}?region={focus.code}")
