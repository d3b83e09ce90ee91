"""The volunteer service bulletin (科技志愿服务工作通报): the page, the Excel workbook and
the PDF bulletin of one region over one period.

The region is any region inside the scope where the user holds
`volunteering.bulletin.view` (by default the top of that scope); a region outside it is
a 404, as if it did not exist. Inside the region every row counts: a bulletin reports the
whole area's work, whoever recorded it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import periods
from kepu.core.dbrouter import reporting_view
from kepu.core.excel import Writer
from kepu.core.models import Region
from kepu.core.pdf import pdf_response
from kepu.core.views.common import permission_required
from kepu.core.views.jobs import form_job_key, job_page
from kepu.core.widgets import RegionCascadeWidget
from kepu.volunteering import bulletins, io, stats
from kepu.volunteering.bulletins import PERMISSION, bulletin_roots

RANKINGS = ("completed", "hours")


def _focus(params, roots) -> Region:
    if not roots:
        raise Http404
    code = params.get("region", "").strip()
    if not code:
        return roots[0]
    region = Region.objects.filter(code=code).first()
    if region is None or not bulletins.readable(region, roots):
        raise Http404
    return region


def _prepare(request, params=None):
    """The user's bulletin roots, the focus region, the period (and why the period asked
    for was not taken), from the query (or the posted `params`)."""
    params = request.GET if params is None else params
    roots = bulletin_roots(request.user)
    focus = _focus(params, roots)
    period, errors = periods.parse_period(params)
    return roots, focus, period, errors


def _query(focus, period, **more) -> str:
    return urlencode({"region": focus.code, **period.params(), **more})


def _chart(data) -> dict:
    ranked = data.ranked("completed")
    return {
        "regions": [r["region"].name for r in ranked],
        "completed": [r["completed"] for r in ranked],
        "hours": [float(r["hours"]) for r in ranked],
        "categories": [
            {"name": row["label"], "value": row["received"]}
            for row in data.categories
            if row["received"]
        ],
        "labels": {
            "completed": _("Orders completed"),
            "hours": _("Approved hours"),
        },
    }


def _breadcrumbs(roots, focus):
    return [r for r in focus.ancestors(include_self=True) if any(r.is_within(x) for x in roots)]


@require_safe
@permission_required(PERMISSION)
@reporting_view
def bulletin(request):
    roots, focus, period, errors = _prepare(request)
    data = stats.compute(focus, period)
    rank_by = request.GET.get("rank") if request.GET.get("rank") in RANKINGS else "completed"
    labels = dict(io.bulletin_figures())
    picker = RegionCascadeWidget(roots=roots).render("region", focus.code, {"id": "id_region"})
    return render(
        request,
        "volunteering/bulletin.html",
        {
            "focus": focus,
            "period": period,
            "errors": errors,
            "data": data,
            "total": data.total,
            "ranked": data.ranked(rank_by),
            "rank_by": rank_by,
            "summary": stats.summary(data),
            "definitions": [(labels[key], text) for key, text in stats.definitions()],
            "chart_data": _chart(data),
            "breadcrumbs": _breadcrumbs(roots, focus),
            "region_picker": picker,
            "query": _query(focus, period),
            "batch_params": [("region", focus.code), *period.params().items()],
            "period_query": urlencode(period.params()),
            "choices": periods.picker(
                period, kinds=(periods.QUARTER, periods.MONTH, periods.YEAR, periods.CUSTOM)
            ),
            "title": bulletins.title(focus, period),
        },
    )


@require_safe
@permission_required(PERMISSION)
@reporting_view
def bulletin_xlsx(request):
    _roots, focus, period, _errors = _prepare(request)
    data = stats.compute(focus, period)
    bulletins.record(focus, period, "xlsx", len(data.rows))
    writer = Writer()

    summary = writer.sheet(_("Summary")[:31], io.bulletin_summary_columns())
    notes = dict(stats.definitions())
    lines = [
        (_("Region"), f"{focus.name}（{focus.code}）", ""),
        (_("Period"), period.label, ""),
        (_("From"), period.first.isoformat(), ""),
        (_("To"), period.last.isoformat(), ""),
        *(
            (label, io._excel_number(data.total.get(key)), notes.get(key, ""))
            for key, label in io.bulletin_figures()
        ),
    ]
    for r, values in enumerate(lines, start=1):
        writer.write_row(summary, r, list(values))

    regions = writer.sheet(_("Subordinate regions ranked")[:31], io.bulletin_region_columns())
    r = 0
    for r, row in enumerate(data.ranked("completed"), start=1):
        writer.write_row(regions, r, io.bulletin_region_values(row))
    if data.has_direct:
        r += 1
        label = _("%(region)s itself") % {"region": focus.name}
        writer.write_row(regions, r, io.bulletin_region_values(data.direct, label=label))
    writer.write_row(regions, r + 1, io.bulletin_region_values(data.total, label=_("Total")))

    for title, first, rows in (
        (_("Categories"), _("Service category"), data.categories),
        (_("Target groups"), _("Target group"), data.groups),
    ):
        sheet = writer.sheet(title[:31], io.bulletin_breakdown_columns(first))
        for r, row in enumerate(rows, start=1):
            writer.write_row(sheet, r, [row["label"], row["received"], row["completed"]])
    return writer.close(f"volunteer-bulletin-{focus.code}-{period.slug}.xlsx")


@require_safe
@permission_required(PERMISSION)
@reporting_view
def bulletin_pdf(request):
    """One region's PDF, made in the request (see `bulletins` for why)."""
    roots, focus, period, _errors = _prepare(request)
    data = stats.compute(focus, period)
    bulletins.record(focus, period, "pdf", len(data.rows))
    content = bulletins.render(request.user, roots, focus, period, data)
    return pdf_response(content, bulletins.pdf_name(focus, period))


@require_POST
@permission_required(PERMISSION)
def bulletin_batch(request):
    """The PDF bulletin of every region under the focus region, in one ZIP, made by a
    background job (the button on the bulletin page posts the region and the period)."""
    _roots, focus, period, _errors = _prepare(request, request.POST)
    if not bulletins.subordinate_regions(focus):
        messages.error(
            request, _("%(region)s has no subordinate regions.") % {"region": focus.name}
        )
        return redirect(f"{reverse('volunteering:bulletin')}?{_query(focus, period)}")
    job = bulletins.start_batch(
        request.user, focus, period, idem=form_job_key(request, bulletins.BATCH)
    )
    return redirect(job_page(job))
