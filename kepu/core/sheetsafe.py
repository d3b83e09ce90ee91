"""Reading an untrusted .xlsx without letting it hurt the server.

A workbook is a zip of XML files, and both layers can be hostile: a 1.6 KB file whose one
cell sits at XFD1048576 makes the spreadsheet library allocate a dense 1,048,576 × 16,384
grid (a native abort no `except` catches), a zip member can inflate a thousandfold, and a
million rows cost a minute of CPU. So:

1. `preflight(data, limits)` looks at the archive before anything parses it: the number
   of members, each member's declared and actual uncompressed size, the total, the
   compression ratio, and the first sheet's extent (its `<dimension ref>` and every cell
   and row reference actually present, counting rows without a reference too) against
   the limits. It streams the XML, never holding more than a chunk.
2. The parse itself runs in a child process (`python -m kepu.core.sheetsafe`) that first
   limits its own address space and CPU time (`resource.setrlimit`), so that even a
   native abort or a MemoryError ends that process only. The parent (`kepu.core.excel`)
   sends the file on stdin and reads one JSON line per row on stdout.

This module imports neither Django nor anything of Kepu: the child starts in ~50 ms.
Errors are codes with their numbers (`SheetRefused`); the parent translates them.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import sys
import zipfile
import zlib
from dataclasses import asdict, dataclass

# The largest sheet Excel itself allows, for the columns' letters.
EXCEL_MAX_COLUMNS = 16384

CHUNK = 1 << 20
BATCH = 500  # rows per line sent to the parent (one json call per line, not per row)
# A tag's attributes before its r="…" (Excel writes r first; others put s/t before it).
# Whitespace folded to spaces before scanning, so one pattern finds ` r="…"` wherever
# a tag's attributes are separated by tabs or newlines.
_SPACES = bytes.maketrans(b"\t\r\n", b"   ")
# Row elements, counted whether or not they carry a reference (a `<rowBreaks>` counts
# one too many: harmless).
_ROW_TAGS = (b"<row", b":row")
_DIMENSION = re.compile(rb'dimension [^<>]{0,1000}?ref="([^"]*)"')
_CELL = re.compile(r"^\$?([A-Za-z]{0,3})\$?(\d{0,7})$")
_OVERLAP = 2048


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may be. Rows count the header row too."""

    max_rows: int = 200_000
    max_columns: int = 200
    max_members: int = 1000
    max_member_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100
    # The ratio is only judged above this size: small members of repetitive XML (styles,
    # an empty sheet) compress far better than 100:1 and are harmless.
    ratio_floor_bytes: int = 1024 * 1024
    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 120


class SheetRefused(Exception):
    """The workbook breaks a limit or cannot be read: `code` and its numbers."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int]:
    """(row, column) of "XFD1048576" (0 for a part that is absent)."""
    m = _CELL.match(ref.strip())
    if not m:
        raise SheetRefused("unreadable")
    letters, digits = m.groups()
    return (int(digits) if digits else 0), column_number(letters)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The member holding the workbook's first sheet (the one imports read)."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise SheetRefused("unreadable") from None
    sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", book)
    if sheet:
        rid = re.escape(sheet.group(1))
        for rel in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
            tag = rel.group(0)
            if re.search(rb'\bId="' + rid + rb'"', tag):
                target = re.search(rb'\bTarget="([^"]+)"', tag)
                if target:
                    path = target.group(1).decode("utf-8", "replace").lstrip("/")
                    return path if path.startswith("xl/") else "xl/" + path
    raise SheetRefused("unreadable")


def _check_members(archive: zipfile.ZipFile, limits: Limits, sheet: str) -> int:
    """Refuse too many members, or members too big or too compressed; returns the bytes
    the members other than `sheet` actually inflate to (the sheet is counted as it is
    scanned)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise SheetRefused("members", value=len(members), limit=limits.max_members)
    total = 0
    for info in members:
        if info.file_size > limits.max_member_bytes:
            raise SheetRefused("member_bytes", value=info.file_size, limit=limits.max_member_bytes)
        total += info.file_size
        if info.file_size > limits.ratio_floor_bytes:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise SheetRefused("ratio", value=ratio, limit=limits.max_ratio)
    if total > limits.max_total_bytes:
        raise SheetRefused("total_bytes", value=total, limit=limits.max_total_bytes)
    # A header can understate a member: inflate each one (streamed) and count.
    total = 0
    for info in members:
        if info.filename == sheet:
            continue
        with archive.open(info) as stream:
            size = 0
            while block := stream.read(CHUNK):
                size += len(block)
                if size > limits.max_member_bytes:
                    raise SheetRefused("member_bytes", value=size, limit=limits.max_member_bytes)
        total += size
        if total > limits.max_total_bytes:
            raise SheetRefused("total_bytes", value=total, limit=limits.max_total_bytes)
    return total


def _scan_sheet(stream, limits: Limits) -> tuple[int, int, int]:
    """The sheet's extent (rows, columns) from its XML, streamed: the largest of the
    declared dimension, every cell and row reference, and the number of row elements;
    and the bytes actually inflated (a header can understate them).

    Fast on large sheets (a 100,000-row sheet in well under a second): whitespace is
    folded to spaces, rows are counted with bytes.count, and the regular expressions
    only pick out the references that can break a limit (columns of two letters or
    more, rows of as many digits as the limit or more)."""
    max_row = max_col = rows = 0
    inflated = 0
    tail = b""
    digits = len(str(limits.max_rows))
    big_row = re.compile(rb' r(?:ef)?="[A-Za-z]{0,3}(\d{%d,})' % digits)
    big_col = re.compile(rb' r(?:ef)?="([A-Za-z]{2,3})\d')
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        inflated += len(chunk)
        if inflated > limits.max_member_bytes:
            raise SheetRefused("member_bytes", value=inflated, limit=limits.max_member_bytes)
        buffer = tail + chunk.translate(_SPACES)
        # Row elements ending in the new part (the overlap's were counted before).
        for tag in _ROW_TAGS:
            rows += buffer.count(tag, max(len(tail) - len(tag) + 1, 0))
        for found in set(big_row.findall(buffer)):
            max_row = max(max_row, int(found))
        for found in set(big_col.findall(buffer)):
            max_col = max(max_col, column_number(found.decode("ascii")))
        for dimension in _DIMENSION.findall(buffer):
            for part in dimension.decode("ascii", "replace").split(":"):
                r, c = _cell(part)
                max_row, max_col = max(max_row, r), max(max_col, c)
        if max_row > limits.max_rows or rows > limits.max_rows:
            raise SheetRefused("rows", value=max(max_row, rows), limit=limits.max_rows)
        if max_col > limits.max_columns:
            raise SheetRefused("columns", value=max_col, limit=limits.max_columns)
        tail = buffer[-_OVERLAP:]
    return max(max_row, rows), max_col, inflated


def preflight(data: bytes, limits: Limits) -> tuple[int, int]:
    """Refuse a workbook over any limit before a parser sees it; returns the first
    sheet's extent (rows, columns)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetRefused("unreadable") from None
    try:
        with archive:
            sheet = _first_sheet(archive)
            others = _check_members(archive, limits, sheet)
            with archive.open(sheet) as stream:
                rows, columns, inflated = _scan_sheet(stream, limits)
            if others + inflated > limits.max_total_bytes:
                value = others + inflated
                raise SheetRefused("total_bytes", value=value, limit=limits.max_total_bytes)
            return rows, columns
    except (
        KeyError,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        zlib.error,
    ):
        # A missing member, a bad CRC, an unknown compression, an encrypted member.
        raise SheetRefused("unreadable") from None


def cell_text(value) -> str:
    """Normalize a calamine cell to text: floats that are whole numbers lose their ".0"
    (calamine reads every number as float), dates become ISO strings."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def parse(data: bytes, limits: Limits):
    """Yield (excel_row_number, [cell text…]) of the first sheet's non-empty rows, the
    header row first, after the preflight."""
    preflight(data, limits)
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:  # calamine raises several error types for bad files
        raise SheetRefused("unreadable") from None
    for index, raw in enumerate(sheet.iter_rows(), start=1):
        if index > limits.max_rows:
            raise SheetRefused("rows", value=index, limit=limits.max_rows)
        cells = [cell_text(v) for v in raw[: limits.max_columns]]
        while cells and not cells[-1]:
            cells.pop()
        if cells or index == 1:
            yield index, cells


def _limit_self(limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    # The soft limit sends SIGXCPU (the parent reports "took too long"); the hard one,
    # a second later, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))


def main() -> int:
    """The child: limits from argv[1] (JSON), the workbook on stdin; on stdout one JSON
    line per BATCH rows ([[row number, [cell…]], …]), or one {"error": code, …} line
    and exit status 2."""
    limits = Limits(**json.loads(sys.argv[1]))
    _limit_self(limits)
    out = sys.stdout
    try:
        data = sys.stdin.buffer.read()
        batch = []
        for row in parse(data, limits):
            batch.append(row)
            if len(batch) == BATCH:
                out.write(json.dumps(batch, ensure_ascii=False) + "\n")
                batch = []
        if batch:
            out.write(json.dumps(batch, ensure_ascii=False) + "\n")
    except SheetRefused as exc:
        out.write(json.dumps({"error": exc.code, **exc.params}) + "\n")
        out.flush()
        return 2
    except MemoryError:
        # Python's own allocations hit the limit (a native one aborts: status -6).
        out.write(json.dumps({"error": "memory"}) + "\n")
        out.flush()
        return 3
    except BaseException:  # a Rust panic arrives as PanicException (a BaseException)
        out.write(json.dumps({"error": "unreadable"}) + "\n")
        out.flush()
        return 2
    out.flush()
    return 0


def limits_json(limits: Limits) -> str:
    return json.dumps(asdict(limits))


if __name__ == "__main__":
    sys.exit(main())
