"""Excel in the official layout: a table's template for the officer's units (one row per
reporting unit, pre-filled with the current values), its checked upload (all or
nothing, row by row, one `Checker` for every row), the export of a table for a region
and of the whole data set.

The layout of a table's sheet (the first sheet of the workbook):
  row 1: "表号", the table code, the table name, "调查年度", the data year
  row 2: the unit columns' titles, then one indicator code per column
  row 3: the indicators' names; row 4: their units
  row 5 on: one reporting unit per row: name, credit code, Kepu unit number, values.
An upload is checked against that layout by the codes (language-independent) and the
names: a missing, moved, renamed or unknown column, or another table, is refused with
what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, jobs
from kepu.core.errors import DomainError
from kepu.core.excel import SheetError, Writer, sheet_rows
from kepu.core.scope import visible_to
from kepu.stats import choices as c
from kepu.stats.models import Indicator, Return, StatTable, SurveyRound, Value
from kepu.stats.services import returns
from kepu.stats.services.validation import Checker

FIRST_DATA_ROW = 5  # Excel's row number
UNIT_COLUMNS = 3
INLINE_ROWS = 200  # larger uploads are written by a job
IMPORT_JOB = "stats.import_table"


def _unit_headers():
    return [_("Reporting unit"), _("Unified social credit code"), _("Kepu unit number")]


def table_indicators(table: StatTable) -> list[Indicator]:
    return list(table.indicators.order_by("order", "code"))


def fillable_returns(user, survey: SurveyRound):
    """The returns of the round the user may fill (their units, or their region's)."""
    return (
        visible_to(user, Return.objects.filter(round=survey), "fill", public=False)
        .select_related("organization")
        .order_by("region__code", "organization__name", "pk")
    )


# -- the template ----------------------------------------------------------------------


def write_template(user, survey: SurveyRound, table: StatTable) -> Writer:
    indicators = table_indicators(table)
    rets = list(fillable_returns(user, survey))
    values: dict[tuple[int, int], Decimal | None] = {}
    for ret_id, ind_id, value in Value.objects.filter(
        ret__in=[r.pk for r in rets], indicator__in=indicators
    ).values_list("ret_id", "indicator_id", "value"):
        values[ret_id, ind_id] = value
    writer = Writer()
    book = writer.book
    sheet = book.add_worksheet(f"{table.code} {table.name}"[:31])
    head, text = writer.header_format, writer.text_format
    # Constant-memory mode writes row by row: the columns first, then each row whole.
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 2, 20, text)
    sheet.set_column(UNIT_COLUMNS, UNIT_COLUMNS + len(indicators), 14)
    sheet.write_string(0, 0, "表号")
    sheet.write_string(0, 1, table.code)
    sheet.write_string(0, 2, table.name)
    sheet.write_string(0, 3, "调查年度")
    sheet.write_number(0, 4, survey.year)
    for row, (titles, attr) in enumerate(
        [(_unit_headers(), "code"), (["", "", ""], "name"), (["", "", ""], "unit")], start=1
    ):
        for col, title in enumerate(titles):
            sheet.write_string(row, col, title, head)
        for i, indicator in enumerate(indicators):
            sheet.write_string(row, UNIT_COLUMNS + i, getattr(indicator, attr), head)
    sheet.freeze_panes(FIRST_DATA_ROW - 1, UNIT_COLUMNS)
    for r, ret in enumerate(rets, start=FIRST_DATA_ROW - 1):
        org = ret.organization
        sheet.write_string(r, 0, org.name)
        if org.credit_code:
            sheet.write_string(r, 1, org.credit_code)
        sheet.write_string(r, 2, str(org.pk))
        for i, indicator in enumerate(indicators):
            value = values.get((ret.pk, indicator.pk))
            if value is not None:
                sheet.write_number(r, UNIT_COLUMNS + i, float(value))
    notes = book.add_worksheet(_("Instructions")[:31])
    notes.set_column(0, 0, 100)
    for r, line in enumerate(
        [
            _("Fill one row per reporting unit; do not change rows 1 to 4 or the columns."),
            _("Leave a cell empty or enter “–” when the indicator does not apply."),
            _(
                "Counts are whole numbers and never negative; amounts in 万元 may have two "
                "decimals."
            ),
            _(
                "A value different from the registry's count needs a reason: change it in the "
                "unit's form instead."
            ),
            _("The whole file is refused if any row cannot be read; nothing is saved then."),
        ]
    ):
        notes.write_string(r, 0, line)
    return writer


# -- reading an upload -----------------------------------------------------------------


@dataclass
class Upload:
    table: StatTable | None = None
    rows: dict[int, dict[str, str]] = field(default_factory=dict)  # by return id
    row_numbers: dict[int, int] = field(default_factory=dict)  # return id -> Excel row
    errors: list[dict] = field(default_factory=list)  # row, unit, code, message
    warnings: list[dict] = field(default_factory=list)
    refusal: str = ""

    def error(self, row, unit, code, message):
        self.errors.append({"row": row, "unit": unit, "code": code, "message": str(message)})


def _check_layout(
    survey: SurveyRound, first: list[str], codes_row: list[str], names_row: list[str]
) -> tuple[StatTable, list[Indicator]]:
    """The table the sheet claims, checked against its official columns."""
    code = first[1].strip() if len(first) > 1 else ""
    table = StatTable.objects.filter(data_set=survey.data_set_id, code=code).first()
    if table is None or (first[0].strip() if first else "") != "表号":
        raise DomainError(
            _("This is not a template of the survey's tables: cell B1 must hold a table "
              "code (%(codes)s), found “%(found)s”.")
            % {"codes": "、".join(StatTable.objects.filter(data_set=survey.data_set_id)
                                   .values_list("code", flat=True)), "found": code[:20]}
        )  # fmt: skip
    year = first[4].strip() if len(first) > 4 else ""
    if year != str(survey.year):
        raise DomainError(
            _("This template is for the data year %(found)s, not %(year)s: download the "
              "template of this survey.") % {"found": year or "?", "year": survey.year}
        )  # fmt: skip
    indicators = table_indicators(table)
    expected = [i.code for i in indicators]
    found = [x.strip() for x in codes_row[UNIT_COLUMNS:]]
    while found and not found[-1]:
        found.pop()
    if found != expected:
        problems = []
        missing = [x for x in expected if x not in found]
        extra = [x for x in found if x and x not in expected]
        if missing:
            problems.append(_("missing columns: %(c)s") % {"c": "、".join(missing)})
        if extra:
            problems.append(_("unknown or renamed columns: %(c)s") % {"c": "、".join(extra)})
        if not missing and not extra:
            moved = [x for i, x in enumerate(found) if i >= len(expected) or expected[i] != x]
            problems.append(_("columns moved: %(c)s") % {"c": "、".join(dict.fromkeys(moved))})
        raise DomainError(
            _("The layout of table %(table)s was changed (%(what)s). Download the template "
              "again and copy the values into it.")
            % {"table": table.code, "what": "；".join(problems)}
        )  # fmt: skip
    names = [x.strip() for x in names_row[UNIT_COLUMNS:]]
    renamed = [i.code for n, i in enumerate(indicators) if n < len(names) and names[n] != i.name]
    if renamed:
        raise DomainError(
            _("The layout of table %(table)s was changed (renamed columns: %(c)s). Download "
              "the template again and copy the values into it.")
            % {"table": table.code, "c": "、".join(renamed)}
        )  # fmt: skip
    return table, indicators


def read_upload(user, survey: SurveyRound, data: bytes) -> Upload:
    """Read and check a filled template: the layout, then each row (the unit in the
    user's scope and editable, each value readable, the registry counts kept) with one
    Checker; the rule findings are reported as what the returns will show. Nothing is
    written here."""
    upload = Upload()
    try:
        rows = list(sheet_rows(data))
    except SheetError as exc:
        upload.refusal = str(exc)
        return upload
    by_number = dict(rows)
    try:
        upload.table, indicators = _check_layout(
            survey, by_number.get(1, []), by_number.get(2, []), by_number.get(3, [])
        )
    except DomainError as exc:
        upload.refusal = " ".join(exc.messages)
        return upload
    codes = [i.code for i in indicators]
    data_rows = [(n, cells) for n, cells in rows if n >= FIRST_DATA_ROW]
    if not data_rows:
        upload.refusal = _("The file has no unit rows (they start at row %(n)s).") % {
            "n": FIRST_DATA_ROW
        }
        return upload
    if survey.status != c.RoundStatus.OPEN:
        upload.refusal = _("The survey is not open for filing.")
        return upload
    wanted = {cells[2].strip() for _n, cells in data_rows if len(cells) > 2}
    ids = [int(x) for x in wanted if x.isdigit() and len(x) < 10]
    # The few columns the checks read (thousands of rows: no whole model rows).
    rets = {
        r.organization_id: r
        for r in Return.objects.filter(round=survey, organization_id__in=ids)
        .select_related("organization", "region")
        .only(
            "round_id",
            "organization_id",
            "region_id",
            "status",
            "organization__name",
            "organization__credit_code",
            "region__code",
            "region__path",
        )  # fmt: skip
    }
    for ret in rets.values():
        ret.round = survey
    fillable = set(
        visible_to(user, Return.objects.filter(round=survey, organization_id__in=ids), "fill",
                   public=False).values_list("pk", flat=True)
    )  # fmt: skip
    previous = _previous(survey, list(rets), codes)
    registry = _registry([r.pk for r in rets.values()], codes)
    checker = Checker(survey.data_set)
    locked_cache: dict[int, bool] = {}
    for number, cells in data_rows:
        cells = cells + [""] * (UNIT_COLUMNS + len(codes) - len(cells))
        name, credit, unit_no = cells[0].strip(), cells[1].strip(), cells[2].strip()
        label = name or unit_no
        ret = rets.get(int(unit_no)) if unit_no.isdigit() and len(unit_no) < 10 else None
        if ret is None or ret.pk not in fillable:
            upload.error(
                number,
                label,
                "",
                _("This unit does not report to you in this survey (unit number “%(n)s”).")
                % {"n": unit_no[:20]},
            )
            continue
        if credit and ret.organization.credit_code and credit != ret.organization.credit_code:
            upload.error(
                number,
                label,
                "",
                _("The credit code does not match the unit number's unit (%(name)s).")
                % {"name": ret.organization.name},
            )
            continue
        if ret.pk in upload.rows:
            upload.error(
                number,
                label,
                "",
                _("This unit appears twice (rows %(a)s and %(b)s).")
                % {"a": upload.row_numbers[ret.pk], "b": number},
            )
            continue
        if not ret.editable:
            upload.error(
                number,
                label,
                "",
                _("The return is %(status)s and cannot be changed.")
                % {"status": ret.get_status_display()},
            )
            continue
        if ret.region_id not in locked_cache:
            locked_cache[ret.region_id] = returns.locked(ret)
        if locked_cache[ret.region_id] and returns.locked(ret):
            upload.error(number, label, "", _("The deadline has passed: the return is locked."))
            continue
        raw = dict(zip(codes, cells[UNIT_COLUMNS : UNIT_COLUMNS + len(codes)], strict=True))
        values, problems = checker.parse(raw)
        for finding in problems:
            upload.error(number, label, finding.codes[0] if finding.codes else "", finding.message)
        if problems:
            continue
        kept = registry.get(ret.pk, {})
        for code, value in values.items():
            reg = kept.get(code)
            if reg is not None and value != reg[0] and not reg[1]:
                upload.error(
                    number,
                    label,
                    code,
                    _(
                        "%(code)s differs from the registry count (%(registry)s): give "
                        "the reason in the unit's form."
                    )
                    % {"code": code, "registry": f"{reg[0].normalize():f}"},
                )
        upload.rows[ret.pk] = raw
        upload.row_numbers[ret.pk] = number
        for finding in checker.check(values, previous.get(ret.organization_id, {})):
            upload.warnings.append({
                "row": number, "unit": label, "code": finding.codes[0] if finding.codes else "",
                "message": finding.message, "error": finding.is_error,
            })  # fmt: skip
    return upload


def _previous(survey, org_ids, codes) -> dict[int, dict[str, Decimal | None]]:
    """Last year's accepted values of these units (the same round's region a year
    before), by unit and code: one query on the previous round's returns."""
    before = SurveyRound.objects.filter(region_id=survey.region_id, year=survey.year - 1).first()
    if before is None:
        return {}
    indicators = dict(
        Indicator.objects.filter(data_set_id=before.data_set_id, code__in=codes).values_list(
            "pk", "code"
        )
    )
    # The returns first (the (organization, round) index), then their values by the
    # (return, indicator) index: no pass over last year's millions of values.
    org_of = dict(
        Return.objects.filter(
            round=before, organization_id__in=org_ids, status=c.ReturnStatus.ACCEPTED
        ).values_list("pk", "organization_id")
    )
    out: dict[int, dict] = {}
    for ret_id, indicator_id, value in Value.objects.filter(
        ret_id__in=list(org_of), indicator_id__in=list(indicators)
    ).values_list("ret_id", "indicator_id", "value"):
        out.setdefault(org_of[ret_id], {})[indicators[indicator_id]] = value
    return out


def _registry(ret_ids, codes) -> dict[int, dict[str, tuple[Decimal, str]]]:
    out: dict[int, dict] = {}
    for ret_id, code, reg, reason in Value.objects.filter(
        ret_id__in=ret_ids, indicator__code__in=codes, registry__isnull=False
    ).values_list("ret_id", "indicator__code", "registry", "reason"):
        out.setdefault(ret_id, {})[code] = (reg, reason)
    return out


# -- writing ---------------------------------------------------------------------------


def apply(survey: SurveyRound, table_code: str, rows: dict, *, actor, progress=None) -> int:
    """Write the checked rows (return id -> {code: text}) through `save_values`, one
    Checker, all in one transaction: any refusal leaves nothing written."""
    checker = Checker(survey.data_set)
    ids = [int(k) for k in rows]
    with transaction.atomic():
        rets = {r.pk: r for r in Return.objects.filter(round=survey, pk__in=ids)}
        for done, (ret_id, raw) in enumerate(rows.items(), start=1):
            ret = rets.get(int(ret_id))
            if ret is None:
                raise DomainError(_("A unit of the file no longer reports in this survey."))
            returns.save_values(ret, raw, actor=actor, source=c.ValueSource.IMPORTED,
                                checker=checker)  # fmt: skip
            if progress and done % 100 == 0:
                progress(done, len(rows))
        audit.record(
            "stats.return.imported",
            obj=survey,
            actor=actor,
            detail={"table": table_code, "units": len(rows)},
        )
    return len(rows)


def start_or_apply(request, survey: SurveyRound, upload: Upload, *, idem=None):
    """Write a small upload now; a large one by a job (returns the job)."""
    rows = {str(k): v for k, v in upload.rows.items()}
    if len(rows) <= INLINE_ROWS:
        return apply(survey, upload.table.code, rows, actor=request.user)
    return jobs.start(
        IMPORT_JOB, actor=request.user, region=survey.region,
        params={"round": survey.pk, "table": upload.table.code, "rows": rows},
        title=_("Import of table %(table)s (%(n)s units)") % {
            "table": upload.table.code, "n": len(rows)},
        idem=idem,
    )  # fmt: skip


@jobs.kind(IMPORT_JOB, title=gettext_lazy("Import a statistics table"), queue="bulk")
def import_table(run) -> dict:
    survey = SurveyRound.objects.filter(pk=run.params["round"]).first()
    if survey is None:
        raise DomainError(_("This survey round no longer exists."))
    rows = run.params["rows"]
    run.progress(0, len(rows), _("Saving %(n)s units") % {"n": len(rows)})
    n = apply(survey, run.params["table"], rows, actor=run.actor, progress=run.progress)
    run.outcome = _("The values of %(n)s units were saved.") % {"n": n}
    return {"units": n}
