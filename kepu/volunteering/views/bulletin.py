"""The volunteer service bulletin (科技志愿服务工作通报): the page, the Excel workbook and
the PDF bulletin of one region over one period.

The region is any region inside the scope where the user holds
`volunteering.bulletin.view` (by default the top of that scope); a region outside it is
a 404, as if it did not exist. Inside the region every row counts: a bulletin reports the
whole area's work, whoever recorded it.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import audit, periods
from kepu.core.choices import ROLE_SCOPE, OrgType, ScopeKind
from kepu.core.dbrouter import reporting_view
from kepu.core.excel import Writer
from kepu.core.models import Organization, Region
from kepu.core.pdf import pdf_response, render_pdf
from kepu.core.scope import role_permissions
from kepu.core.views.common import permission_required
from kepu.core.widgets import RegionCascadeWidget
from kepu.volunteering import io, stats

PERMISSION = "volunteering.bulletin.view"
RANKINGS = ("completed", "hours")


def bulletin_roots(user) -> list[Region]:
    """The top regions where the user may read bulletins (nested ones left out)."""
    regions = {
        a.region.path: a.region
        for a in user.assignments()
        if a.region_id
        and ROLE_SCOPE[a.role] == ScopeKind.REGION
        and PERMISSION in role_permissions(a.role)
    }
    paths = sorted(regions)
    return [regions[p] for p in paths if not any(p != o and p.startswith(o) for o in paths)]


def _focus(request, roots) -> Region:
    if not roots:
        raise Http404
    code = request.GET.get("region", "").strip()
    if not code:
        return roots[0]
    region = Region.objects.filter(code=code).first()
    if region is None or not any(region.is_within(root) for root in roots):
        raise Http404
    return region


def _prepare(request):
    roots = bulletin_roots(request.user)
    focus = _focus(request, roots)
    period, errors = periods.parse_period(request.GET)
    return roots, focus, period, errors


def _query(focus, period, **more) -> str:
    return urlencode({"region": focus.code, **period.params(), **more})


def _issuer(user, roots, focus) -> str:
    """Who issues the bulletin: the user's own organization, else the science and
    technology association of the user's scope (the region of their assignment that holds
    `focus`), else that association named after the region."""
    own = getattr(user, "organization", None)
    if own is not None:
        return own.name
    root = max((r for r in roots if focus.is_within(r)), key=lambda r: r.level)
    association = (
        Organization.objects.filter(region=root, org_type=OrgType.SCIENCE_ASSOCIATION)
        .order_by("pk")
        .first()
    )
    if association is not None:
        return association.name
    return _("%(region)s Association for Science and Technology") % {"region": root.name}


def _title(focus, period) -> str:
    return _("%(region)s technology volunteer service bulletin (%(period)s)") % {
        "region": focus.name,
        "period": period.label,
    }


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
            "period_query": urlencode(period.params()),
            "choices": periods.picker(
                period, kinds=(periods.QUARTER, periods.MONTH, periods.YEAR, periods.CUSTOM)
            ),
            "title": _title(focus, period),
        },
    )


def _record(focus, period, fmt, rows):
    audit.record(
        "volunteering.bulletin.exported",
        object_type="core.region",
        object_id=str(focus.pk),
        object_repr=focus.name,
        region_code=focus.code,
        detail={"region": focus.code, **period.audit_detail(), "format": fmt, "rows": rows},
    )


@require_safe
@permission_required(PERMISSION)
@reporting_view
def bulletin_xlsx(request):
    _roots, focus, period, _errors = _prepare(request)
    data = stats.compute(focus, period)
    _record(focus, period, "xlsx", len(data.rows))
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
    roots, focus, period, _errors = _prepare(request)
    data = stats.compute(focus, period)
    _record(focus, period, "pdf", len(data.rows))
    labels = dict(io.bulletin_figures())
    content = render_pdf(
        "volunteering/bulletin_pdf.html",
        {
            "focus": focus,
            "period": period,
            "data": data,
            "total": data.total,
            "ranked": data.ranked("completed"),
            "summary": stats.summary(data),
            "definitions": [(labels[key], text) for key, text in stats.definitions()],
            "title": _title(focus, period),
            "issuer": _issuer(request.user, roots, focus),
            "issued_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        },
    )
    return pdf_response(content, f"volunteer-bulletin-{focus.code}-{period.slug}.pdf")
