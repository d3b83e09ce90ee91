"""Live counts of the registry by region (the truth for targets such as 000's +5,000
part-time staff), with drill-down, charts and the per-capita rate of information officers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit
from kepu.core import services as core_services
from kepu.core.excel import Column, export_response
from kepu.core.models import Region
from kepu.core.scope import has_permission
from kepu.core.views.common import permission_required
from kepu.core.views.dashboard import focus_region, scope_breadcrumbs
from kepu.people.stats import SHORT_LABELS, baseline, plan_baselines, pool_stats, region_stats


@permission_required("people.dashboard.view")
def stats_view(request):
    focus = focus_region(request)
    choices = plan_baselines(focus)
    base = baseline(request.GET, focus, choices)
    since = base.since
    rows, total = region_stats(request.user, focus, since) if focus else ([], {})
    pools = pool_stats(request.user, focus)
    chart = {
        "regions": [r.name for r, _f in rows],
        "series": [
            {"name": str(label), "data": [f[kind.value] for _r, f in rows]}
            for kind, label in SHORT_LABELS
        ],
    }
    kinds = [kind.value for kind, _label in SHORT_LABELS]
    # The cells formatted here, once, rather than by a filter per cell in the template.
    table = [(region, f, [f"{f[kind]:,}" for kind in [*kinds, "new"]]) for region, f in rows]
    return render(
        request,
        "people/stats.html",
        {
            "focus": focus,
            "since": since,
            "baseline": base,
            "baselines": choices,
            "count_from": f"plan={base.key}" if base.key else f"since={since:%Y-%m-%d}",
            "rows": rows,
            "table": table,
            "total": total,
            "pools": pools,
            "kinds": [(kind.value, label) for kind, label in SHORT_LABELS],
            "chart_data": chart,
            "breadcrumbs": scope_breadcrumbs(request.user, focus),
            "can_set_population": has_permission(request.user, "core.region.change"),
        },
    )


@require_safe
@permission_required("people.dashboard.view")
def stats_export(request):
    """The statistics page's table as a workbook: the same figures, the same scope (the
    focus region of the page, narrowed to the user's scope by `focus_region`), a total row."""
    focus = focus_region(request)
    since = baseline(request.GET, focus).since
    rows, total = region_stats(request.user, focus, since) if focus else ([], {})
    columns = [
        Column("region", _("Region")),
        Column("code", _("Region code")),
        *(Column(kind.value, str(label), text=False, width=12) for kind, label in SHORT_LABELS),
        Column("new", _("New since %(date)s") % {"date": f"{since:%Y-%m-%d}"}, text=False),
        Column("people", _("People in the registry"), text=False, width=12),
        Column("high_share", _("High-level share (%)"), text=False, width=12),
        Column("disciplines", _("Disciplines"), text=False, width=12),
        Column("officers_per_10k", _("Information officers per 10,000"), text=False),
    ]
    audit.record(
        "people.stats.exported",
        object_type="people.registration",
        detail={
            "region": focus.code if focus else "",
            "since": f"{since:%Y-%m-%d}",
            "rows": len(rows),
        },
    )
    items = [*rows, (focus, total)] if focus else []
    keys = [kind.value for kind, _label in SHORT_LABELS]

    def values(item):
        region, f = item
        return [
            region.name,
            region.code,
            *(f.get(k, 0) for k in keys),
            f.get("new", 0),
            f.get("people", 0),
            f.get("high_share"),
            f.get("disciplines", 0),
            f.get("officers_per_10k"),
        ]

    name = f"people-stats-{focus.code if focus else ''}-{since:%Y%m%d}.xlsx"
    return export_response(str(_("Talent statistics")), columns, iter(items), values, name)


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
