"""The statistics survey's in-process measurements (issue 22), on the dataset's open
round (`kepu.stats.dataset`: 20,000 returns × 200 values at province scale):

- `aggregation.recompute` for every region of the province (goal ≤ 1 s);
- validating an uploaded table of 5,000 units (`services.excel_io.read_upload`: the
  layout, the scope, one Checker for every row) beside the read floor, the time to just
  read the same workbook with the same reader (goal ≤ 3× the floor). The 5,000 returns
  are made editable for the measurement, and the change rolled back.

And the pages' paths for bench/endpoints.py (`paths`), by URL name: a name that does not
resolve (another area's page not there yet) is left out."""

from __future__ import annotations

import io
import time

from django.db import transaction
from django.urls import NoReverseMatch, reverse

UNITS = 5000


def _best(fn, runs=3):
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[0], result


def _workbook(survey, table, returns) -> bytes:
    import xlsxwriter

    from kepu.stats.services.excel_io import UNIT_COLUMNS, table_indicators

    indicators = table_indicators(table)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": False})
    sheet = book.add_worksheet()
    head = ["表号", table.code, table.name, "调查年度", survey.year]
    for col, value in enumerate(head):
        (sheet.write_number if isinstance(value, int) else sheet.write_string)(0, col, value)
    for i, ind in enumerate(indicators):
        sheet.write_string(1, UNIT_COLUMNS + i, ind.code)
        sheet.write_string(2, UNIT_COLUMNS + i, ind.name)
        sheet.write_string(3, UNIT_COLUMNS + i, ind.unit)
    sheet.write_string(1, 0, "单位名称")
    good = {"KR100": 10, "KR110": 2, "KR120": 6, "KR130": 5, "KR140": 100, "KR200": 40,
            "KR210": 10, "KR220": 20, "KR230": 120}  # fmt: skip
    for r, ret in enumerate(returns, start=4):
        sheet.write_string(r, 0, ret.organization.name)
        sheet.write_string(r, 2, str(ret.organization_id))
        for i, ind in enumerate(indicators):
            sheet.write_number(r, UNIT_COLUMNS + i, good.get(ind.code, 0))
    book.close()
    return out.getvalue()


def measure() -> dict:
    from kepu.core.excel import sheet_rows
    from kepu.core.models import User
    from kepu.stats import choices as c
    from kepu.stats.dataset import bench_round
    from kepu.stats.models import Return, StatTable
    from kepu.stats.services import aggregation
    from kepu.stats.services.excel_io import read_upload

    survey = bench_round()
    if survey is None:
        return {"skipped": "no statistics dataset (kepu.stats.dataset)"}
    out = {"round": survey.pk, "returns": Return.objects.filter(round=survey).count()}
    med, best, rows = _best(lambda: aggregation.recompute(survey))
    out["recompute"] = {"ms": round(med, 1), "best_ms": round(best, 1), "rows": rows,
                        "goal_ms": 1000}  # fmt: skip
    table = StatTable.objects.get(data_set=survey.data_set_id, code="KP-1")
    user = User.objects.get(username="demo-province")
    with transaction.atomic():
        chosen = list(
            Return.objects.filter(round=survey).select_related("organization")
            .order_by("pk")[:UNITS]
        )  # fmt: skip
        Return.objects.filter(pk__in=[r.pk for r in chosen]).update(status=c.ReturnStatus.DRAFT)
        data = _workbook(survey, table, chosen)
        floor, _b, n = _best(lambda: sum(1 for _ in sheet_rows(data)))
        check, _b, upload = _best(lambda: read_upload(user, survey, data))
        transaction.set_rollback(True)
    out["upload"] = {
        "units": len(chosen), "rows_read": n, "floor_ms": round(floor, 1),
        "validate_ms": round(check, 1), "ratio": round(check / floor, 2) if floor else None,
        "goal_ratio": 3, "errors": len(upload.errors), "refusal": upload.refusal,
        "bytes": len(data),
    }  # fmt: skip
    return out


def _path(names, *variants) -> str | None:
    for name in names:
        for kwargs in variants:
            try:
                return reverse(name, kwargs=kwargs or None)
            except NoReverseMatch:
                continue
    return None


def paths() -> dict:
    """The survey's pages to load, by URL name (None: not there)."""
    from kepu.stats import choices as c
    from kepu.stats.dataset import bench_round
    from kepu.stats.models import Return

    survey = bench_round()
    if survey is None:
        return {}
    ret = (
        Return.objects.filter(round=survey, region__code="510104",
                              status__in=(c.ReturnStatus.DRAFT, c.ReturnStatus.ACCEPTED))
        .order_by("pk").values_list("pk", flat=True).first()
    )  # fmt: skip
    by_round = ({"pk": survey.pk}, {"round": survey.pk}, {})
    aggregates = _path(["stats:aggregates"], {})
    return {
        "stats_form": _path(["stats:return_form", "stats:return_edit", "stats:return_fill",
                             "stats:return_detail"], {"pk": ret}) if ret else None,
        "stats_completeness": _path(["stats:completeness"], *by_round),
        "stats_returns": _path(["stats:return_list"], *by_round),
        "stats_aggregates": f"{aggregates}?round={survey.pk}" if aggregates else None,
    }  # fmt: skip
