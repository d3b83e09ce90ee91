"""Output area, Excel: a table's template for the officer's units, the checked upload
(all or nothing, row by row), the export of a table for a region and of the whole data
set (audited, a job when large)."""

from __future__ import annotations

import os

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kepu.core import audit, exports, jobs
from kepu.core.excel import Column
from kepu.core.scope import visible_to
from kepu.core.views.common import export_list, form_page, permission_required, submit_form
from kepu.core.views.imports import UploadForm
from kepu.core.views.jobs import form_job_key, job_page
from kepu.stats.models import Aggregate, Indicator, Return, StatTable, SurveyRound
from kepu.stats.permissions import get_round_for_user
from kepu.stats.services import analysis, excel_io
from kepu.stats.views.output import chosen_region

DATASET_JOB = "stats.dataset_export"
DATASET_INLINE_REGIONS = 400


def _table_or_404(survey, code) -> StatTable:
    table = StatTable.objects.filter(data_set=survey.data_set_id, code=code).first()
    if table is None:
        raise Http404
    return table


def _download(writer, name):
    return writer.close(f"{name}-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


def get_round_for_filler(user, pk):
    """The round, for its officers, or for the staff of a unit that reports in it (a
    member unit does not see the province's round otherwise)."""
    try:
        return get_round_for_user(user, pk)
    except Http404:
        if len(str(pk)) > 9:
            raise
        fills = visible_to(user, Return.objects.filter(round_id=pk), "fill", public=False)
        if not fills.exists():
            raise
        return SurveyRound.objects.select_related("region", "data_set").get(pk=pk)


@require_safe
@permission_required("stats.return.fill")
def table_template(request, pk, table):
    survey = get_round_for_filler(request.user, pk)
    table = _table_or_404(survey, table)
    return _download(excel_io.write_template(request.user, survey, table),
                     f"stats-{survey.year}-{table.code}")  # fmt: skip


class TableUploadForm(UploadForm):
    def __init__(self, *args, user=None, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.survey, self.upload = user, survey, None

    def clean(self):
        data = super().clean()
        file = data.get("file")
        if file is None:
            return data
        self.upload = excel_io.read_upload(self.user, self.survey, file.read())
        if self.upload.refusal:
            raise forms.ValidationError(self.upload.refusal)
        if self.upload.errors:
            raise forms.ValidationError(
                _("%(n)s problems in the file (listed below by row): nothing was saved. "
                  "Correct them and upload the file again.") % {"n": len(self.upload.errors)}
            )  # fmt: skip
        return data


def _saved(result):
    if isinstance(result, int):
        return _("The values of %(n)s units were saved; each return shows its checks.") % {
            "n": result
        }
    return _("The file is being saved in the background; follow its progress here.")


@permission_required("stats.return.import")
def table_upload(request, pk):
    survey = get_round_for_user(request.user, pk)
    posted = request.method == "POST"
    form = TableUploadForm(request.POST if posted else None, request.FILES if posted else None,
                           user=request.user, survey=survey)  # fmt: skip
    here = reverse("stats:table_upload", args=[survey.pk])
    done = submit_form(
        request, form,
        lambda: excel_io.start_or_apply(request, survey, form.upload,
                                        idem=form_job_key(request, excel_io.IMPORT_JOB)),
        success=lambda result: here if isinstance(result, int) else job_page(result),
        message=_saved, fallback=here,
    )  # fmt: skip
    if done is not None:
        return done
    return form_page(
        request, "stats/output/upload.html", form,
        {"survey": survey, "upload": form.upload,
         "tables": StatTable.objects.filter(data_set=survey.data_set_id).order_by("order")},
    )  # fmt: skip


# -- exports -----------------------------------------------------------------------------


@exports.builder("stats.table", permission="stats.aggregate.export", back="stats:aggregates")
def table_export_rows(request, pk, table):
    survey = get_round_for_user(request.user, pk, "export")
    table = _table_or_404(survey, table)
    region = chosen_region(request, survey, "export")
    indicators = excel_io.table_indicators(table)
    columns = analysis.table_figures(survey, region, indicators)["columns"]
    cols = [Column("code", _("Code")), Column("name", _("Indicator"), width=40),
            Column("unit", _("Unit"), width=8)]  # fmt: skip
    for col in columns:
        cols.append(Column(f"r{col.region.pk}", col.region.name, text=False, width=14))
    cols.append(Column("counted", _("Units counted (accepted)"), width=24))

    def to_values(indicator):
        cells = [float(col.cells[indicator.pk].value or 0) for col in columns]
        own = columns[0].coverage
        return [indicator.code, indicator.name, indicator.unit, *cells,
                _("%(n)s of %(m)s") % {"n": own.accepted, "m": own.total}]  # fmt: skip

    return exports.Rows(
        queryset=Indicator.objects.filter(pk__in=[i.pk for i in indicators]).order_by(
            "order", "code"
        ),
        action="stats.aggregate.exported",
        title=f"{table.code} {table.name}",
        columns=cols,
        to_values=to_values,
        basename=f"stats-{survey.year}-{table.code}-{region.code}",
        detail={"round": survey.pk, "table": table.code, "region": region.code},
    )


@require_safe
@permission_required("stats.aggregate.export")
def table_export(request, pk, table):
    return export_list(request, "stats.table", pk=pk, table=table)


def write_dataset(user, survey):
    """The whole data set: one sheet per table, one row per region of the user's scope in
    the round's tree, the accepted totals (Aggregate rows). Returns (Writer, regions)."""
    from kepu.core.excel import Writer

    aggs = visible_to(user, Aggregate.objects.filter(round=survey), "export", public=False)
    values: dict[tuple[int, int], object] = {}
    region_ids = set()
    for region_id, indicator_id, value in aggs.values_list("region_id", "indicator_id", "value"):
        values[region_id, indicator_id] = value
        region_ids.add(region_id)
    from kepu.core.models import Region

    regions = list(Region.objects.filter(pk__in=region_ids).order_by("code"))
    writer = Writer()
    for table in StatTable.objects.filter(data_set=survey.data_set_id).order_by("order"):
        indicators = excel_io.table_indicators(table)
        cols = [Column("code", _("Region code")), Column("name", _("Region"))] + [
            Column(i.code, f"{i.code} {i.name}（{i.unit}）", text=False, width=16)
            for i in indicators
        ]
        sheet = writer.sheet(f"{table.code} {table.name}"[:31], cols)
        for r, region in enumerate(regions, start=1):
            writer.write_row(sheet, r, [region.code, region.name] + [
                float(values.get((region.pk, i.pk)) or 0) for i in indicators])  # fmt: skip
    return writer, len(regions)


def _record_dataset(survey, user, regions, job=None):
    detail = {"round": survey.pk, "regions": regions}
    if job is not None:
        detail["job"] = str(job.pk)
    audit.record("stats.dataset.exported", obj=survey, actor=user, detail=detail)


@require_safe
@permission_required("stats.aggregate.export")
def dataset_export(request, pk):
    survey = get_round_for_user(request.user, pk, "export")
    scoped = visible_to(request.user, Aggregate.objects.filter(round=survey), "export",
                        public=False)  # fmt: skip
    regions = scoped.values("region_id").distinct().order_by()[: DATASET_INLINE_REGIONS + 1]
    if len(regions) > DATASET_INLINE_REGIONS:
        job = jobs.start(
            DATASET_JOB, actor=request.user, region=survey.region, params={"round": survey.pk},
            title=_("Export of the data set %(round)s") % {"round": survey.title},
        )  # fmt: skip
        messages.info(request, _("The file is being prepared; download it here when ready."))
        return redirect(job_page(job))
    writer, n = write_dataset(request.user, survey)
    with transaction.atomic():
        _record_dataset(survey, request.user, n)
    return _download(writer, f"stats-{survey.year}-dataset")


@jobs.kind(DATASET_JOB, title=gettext_lazy("Export a statistics data set"), retries=1,
           queue="bulk")  # fmt: skip
def dataset_export_job(run) -> dict:
    from kepu.core.scope import require

    require(run.actor, "stats.aggregate.export")
    survey = SurveyRound.objects.get(pk=run.params["round"])
    writer, n = write_dataset(run.actor, survey)
    path = writer.save()
    try:
        with open(path, "rb") as handle, transaction.atomic():
            run.save_file(f"stats-{survey.year}-dataset.xlsx", handle)
            _record_dataset(survey, run.actor, n, job=run.job)
    finally:
        os.unlink(path)
    run.outcome = _("%(n)s regions written.") % {"n": n}
    return {"regions": n}
