"""Output area, open data (public): the published rounds' approved aggregates of the
province and its cities per table, as a page and a CSV file, and the national headline
values as a reference series. Served from the public cache; publishing bumps it."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import csvcells, regiontree
from kepu.core.publiccache import public_page
from kepu.stats import choices as c
from kepu.stats import national
from kepu.stats.models import Aggregate, StatTable, SurveyRound
from kepu.stats.services.analysis import OPEN_DATA_TAG


def _published():
    return SurveyRound.objects.filter(status=c.RoundStatus.PUBLISHED).select_related(
        "region", "data_set"
    )


def _figures(survey: SurveyRound) -> tuple[list, list]:
    """(regions: the round's region and its children, tables: [{table, rows: [{indicator,
    values: [..by region]}]}]) from the Aggregate rows (one query)."""
    regions = [survey.region, *regiontree.children(survey.region)]
    values = {
        (r, i): v
        for r, i, v in Aggregate.objects.filter(
            round=survey, region_id__in=[r.pk for r in regions]
        ).values_list("region_id", "indicator_id", "value")
    }
    present = {region_id for region_id, _i in values}
    regions = [r for r in regions if r.pk == survey.region_id or r.pk in present]
    tables = []
    for table in StatTable.objects.filter(data_set=survey.data_set_id).prefetch_related(
        "indicators"
    ):
        rows = [
            {"indicator": i, "cells": [(r, values.get((r.pk, i.pk))) for r in regions]}
            for i in sorted(table.indicators.all(), key=lambda i: (i.order, i.code))
        ]
        tables.append({"table": table, "rows": rows})
    return regions, tables


@require_safe
@public_page(OPEN_DATA_TAG)
def open_data(request):
    rounds = list(_published().order_by("-year", "pk"))
    wanted = request.GET.get("round", "")
    survey = next((r for r in rounds if str(r.pk) == wanted), rounds[0] if rounds else None)
    if wanted and (survey is None or str(survey.pk) != wanted):
        raise Http404
    regions, tables = _figures(survey) if survey else ([], [])
    return render(
        request,
        "stats/output/open_data.html",
        {"rounds": rounds, "survey": survey, "regions": regions, "tables": tables,
         "national": national.table()},
    )  # fmt: skip


@require_safe
@public_page(OPEN_DATA_TAG)
def open_data_file(request, pk):
    survey = _published().filter(pk=pk).first()
    if survey is None:
        raise Http404
    regions, tables = _figures(survey)
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with the mark
    writer = csvcells.writer(out)
    writer.writerow([_("Year"), _("Region code"), _("Region"), _("Table"), _("Indicator code"),
                     _("Indicator"), _("Unit"), _("Value")])  # fmt: skip
    for block in tables:
        table = block["table"]
        for row in block["rows"]:
            ind = row["indicator"]
            for region, value in row["cells"]:
                writer.writerow([
                    survey.year, region.code, region.name, f"{table.code} {table.name}",
                    ind.code, ind.name, ind.unit,
                    "" if value is None else f"{value.normalize():f}",
                ])  # fmt: skip
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stats-{survey.year}-open.csv"'
    return response
