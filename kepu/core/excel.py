"""The Excel framework shared by every registry: templates, reading, row-level error
reports, exports. Reading uses python-calamine (≈10× faster than openpyxl on 100k rows)
in a memory- and CPU-limited child process after checking the file's structure
(`kepu.core.sheetsafe`); writing uses XlsxWriter in constant-memory mode. Identifiers are
always text cells."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kepu.core.privacy import no_store
from kepu.core.sheetsafe import Limits, limits_json

log = logging.getLogger("kepu.excel")


class SheetError(Exception):
    """The file as a whole cannot be read (not xlsx, no sheet, wrong header)."""


@dataclass
class Column:
    """One column of an import template / export.

    key: the field the value feeds; header: the translated column title; required;
    choices: allowed labels (a dropdown in the template); example: a sample value;
    text: write as a text cell (codes, phone numbers); width: column width.
    """

    key: str
    header: str
    required: bool = False
    choices: list[str] = field(default_factory=list)
    example: str = ""
    help: str = ""
    text: bool = True
    width: int = 18


@dataclass
class RowError:
    row: int  # 1-based row number as Excel shows it
    column: str  # column header ("" for the whole row)
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": str(self.message)}


def sheet_limits() -> Limits:
    """The limits an uploaded workbook is read within (settings KEPU_IMPORT_*)."""
    return Limits(
        max_rows=settings.IMPORT_MAX_ROWS,
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_member_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_total_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_ratio=settings.IMPORT_MAX_RATIO,
        memory_bytes=settings.IMPORT_PARSER_MEMORY_BYTES,
        cpu_seconds=settings.IMPORT_PARSER_CPU_SECONDS,
    )


def _refusal(code: str, params: dict, limits: Limits) -> str:
    """The translated sentence for a refusal of the reader: which limit, the file's
    value, the allowed one, and what to do."""
    value, limit = params.get("value"), params.get("limit")
    if code == "rows":
        return _(
            "The sheet has %(value)s rows; at most %(limit)s are allowed. "
            "Split the file and import each part."
        ) % {"value": value, "limit": limit}
    if code == "columns":
        return _(
            "The sheet uses %(value)s columns; at most %(limit)s are allowed. "
            "Delete the columns after the template's and upload it again."
        ) % {"value": value, "limit": limit}
    if code == "members":
        return _(
            "The workbook has %(value)s parts; at most %(limit)s are allowed. "
            "Copy the data into a new file made from the template."
        ) % {"value": value, "limit": limit}
    if code in ("member_bytes", "total_bytes"):
        return _(
            "Unpacked, the workbook is %(value)s; at most %(limit)s is allowed. "
            "Split the file or remove pictures and other sheets."
        ) % {"value": filesizeformat(value), "limit": filesizeformat(limit)}
    if code == "ratio":
        return _(
            "The workbook is compressed %(value)s:1, more than the %(limit)s:1 allowed: it "
            "looks like a zip bomb, not a spreadsheet. Copy the data into a new file made "
            "from the template."
        ) % {"value": value, "limit": limit}
    if code == "memory":
        return _(
            "This file could not be read: reading it needs more than the %(limit)s of "
            "memory allowed. Split the file or copy the data into a new file made from "
            "the template."
        ) % {"limit": filesizeformat(limits.memory_bytes)}
    if code == "cpu":
        return _(
            "This file could not be read: reading it took longer than the %(limit)s "
            "seconds allowed. Split the file and import each part."
        ) % {"limit": limits.cpu_seconds}
    return _("This file could not be read as an Excel workbook (.xlsx).")


def _reader_command(limits: Limits) -> list[str]:
    """The child that parses: this interpreter, the Django-free `sheetsafe` module."""
    return [sys.executable, "-m", "kepu.core.sheetsafe", limits_json(limits)]


def sheet_rows(data: bytes, limits: Limits | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, [cell text…]) of the first sheet's non-empty rows, header first,
    parsed in a child process limited in memory and CPU time (`kepu.core.sheetsafe`).
    Whatever the file does to the parser (a refused limit, a MemoryError, a native
    abort), this process only sees a `SheetError` with a translated reason."""
    limits = limits or sheet_limits()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(  # noqa: S603  (our own module, with our interpreter)
            _reader_command(limits),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=settings.BASE_DIR,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        feeder = threading.Thread(target=_feed, args=(child.stdin, data), daemon=True)
        feeder.start()
        # A child stopped on a signal other than its CPU limit (a stuck read, a hang)
        # is ended after twice that time.
        timer = threading.Timer(limits.cpu_seconds * 2 + 5, child.kill)
        timer.start()
        refusal = None
        finished = False
        try:
            for line in child.stdout:
                batch = json.loads(line)
                if isinstance(batch, dict):
                    refusal = batch
                    break
                yield from batch
            finished = True
        finally:
            timer.cancel()
            if not finished and refusal is None:
                child.kill()  # the reader stopped early (a wrong header): so does the child
            child.stdout.close()
            status = child.wait()
            feeder.join()
    if refusal is not None:
        code = refusal.pop("error", "unreadable")
        raise SheetError(_refusal(code, refusal, limits))
    if status != 0:
        log.warning("the sheet reader stopped with status %s", status)
        code = "cpu" if status in (-signal.SIGXCPU, -signal.SIGKILL) else "memory"
        raise SheetError(_refusal(code, {}, limits))


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
    except (BrokenPipeError, OSError):
        pass  # the child refused the file before reading it all, or died
    finally:
        with contextlib.suppress(OSError):
            pipe.close()


def read_rows(
    data: bytes, columns: list[Column], limits: Limits | None = None
) -> Iterable[tuple[int, dict[str, str]]]:
    """Yield (excel_row_number, {key: text}) for each non-empty data row of the first
    sheet, after checking that the header row names the expected columns."""
    rows = sheet_rows(data, limits)
    try:
        first = next(rows, None)
        header = first[1] if first and first[0] == 1 else []
        positions = {}
        missing = []
        for column in columns:
            title = column.header
            if title in header:
                positions[column.key] = header.index(title)
            elif column.required:
                missing.append(title)
        if missing:
            raise SheetError(
                _("The first row must contain the template's column titles; missing: %(cols)s.")
                % {"cols": "、".join(missing)}
            )
        for index, raw in rows:
            values = {key: raw[pos] if pos < len(raw) else "" for key, pos in positions.items()}
            if any(values.values()):
                yield index, values
    finally:
        rows.close()


class Writer:
    """A constant-memory XlsxWriter workbook in a temporary file."""

    def __init__(self):
        fd, self.path = tempfile.mkstemp(suffix=".xlsx", prefix="kepu-")
        os.close(fd)
        self.book = xlsxwriter.Workbook(
            self.path,
            # Text is written as string cells, never as formulas or links: a title
            # "=HYPERLINK(...)" stays text (CSV injection has no xlsx counterpart then).
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.header_format = self.book.add_format(
            {"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True}
        )
        self.required_format = self.book.add_format(
            {"bold": True, "bg_color": "#FDE2E1", "border": 1, "text_wrap": True}
        )
        self.text_format = self.book.add_format({"num_format": "@"})

    def sheet(self, name: str, columns: list[Column], *, mark_required=False):
        sheet = self.book.add_worksheet(name)
        for i, column in enumerate(columns):
            sheet.set_column(i, i, column.width, self.text_format if column.text else None)
            fmt = self.required_format if (mark_required and column.required) else None
            sheet.write_string(0, i, column.header, fmt or self.header_format)
        sheet.freeze_panes(1, 0)
        return sheet

    def write_row(self, sheet, row: int, values: list):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, str(value))

    def save(self) -> str:
        """Finish the workbook; returns the temporary file's path (the caller deletes it)."""
        self.book.close()
        return self.path

    def close(self, filename: str) -> FileResponse:
        """The workbook as a download, never cached (it may hold personal data)."""
        self.save()
        handle = open(self.path, "rb")  # noqa: SIM115  (FileResponse closes it)
        os.unlink(self.path)  # the open handle keeps the data until the response is sent
        return no_store(
            FileResponse(
                handle,
                as_attachment=True,
                filename=filename,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )


def template_response(title: str, columns: list[Column], filename: str) -> FileResponse:
    """An import template: the header row (required columns highlighted), an example
    row, dropdowns for choice columns, and a sheet explaining every column."""
    writer = Writer()
    sheet = writer.sheet(title[:31], columns, mark_required=True)
    writer.write_row(sheet, 1, [c.example for c in columns])
    for i, column in enumerate(columns):
        if column.choices:
            sheet.data_validation(
                1, i, 100000, i, {"validate": "list", "source": column.choices[:250]}
            )
    notes = writer.book.add_worksheet(_("Instructions")[:31])
    notes.set_column(0, 0, 24)
    notes.set_column(1, 1, 12)
    notes.set_column(2, 2, 80)
    for i, text in enumerate([_("Column"), _("Required"), _("How to fill it in")]):
        notes.write_string(0, i, text, writer.header_format)
    for r, column in enumerate(columns, start=1):
        notes.write_string(r, 0, column.header)
        notes.write_string(r, 1, _("Yes") if column.required else _("No"))
        explanation = column.help
        if column.choices:
            explanation = (explanation + " " if explanation else "") + _("One of: %(c)s") % {
                "c": "、".join(column.choices)
            }
        notes.write_string(r, 2, explanation)
    notes.write_string(
        len(columns) + 2,
        0,
        _("Row 2 is an example: replace or delete it. Do not change the column titles."),
    )
    return writer.close(filename)


def errors_response(errors: list[dict], filename: str) -> FileResponse:
    """The row-level error report of an import as a workbook (row, column, message)."""
    columns = [
        Column("row", _("Row"), text=False, width=8),
        Column("column", _("Column"), width=24),
        Column("message", _("Problem"), width=80),
    ]
    writer = Writer()
    sheet = writer.sheet(_("Errors")[:31], columns)
    for r, error in enumerate(errors, start=1):
        writer.write_row(sheet, r, [error["row"], error["column"], error["message"]])
    return writer.close(filename)


def export_response(
    title: str,
    columns: list[Column],
    rows: Iterable,
    to_values: Callable[[object], list],
    filename: str,
) -> FileResponse:
    """Write `rows` (a queryset iterator) as a workbook and return it as a download."""
    writer = Writer()
    sheet = writer.sheet(title[:31], columns)
    for r, obj in enumerate(rows, start=1):
        writer.write_row(sheet, r, to_values(obj))
    return writer.close(filename)
