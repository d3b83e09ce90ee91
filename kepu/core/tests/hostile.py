"""Hostile files for the upload tests, made in memory and small: a workbook whose cell
sits at the far corner of the sheet, a zip bomb, an image declaring a huge size."""

import io
import struct
import zipfile
import zlib

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(sheet_data: str, *, dimension: str | None = None, extra=None) -> bytes:
    """A minimal valid .xlsx whose first sheet's <sheetData> is `sheet_data`; `extra`
    adds members ({name: bytes})."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return buffer.getvalue()


def far_corner(header: list[str]) -> bytes:
    """The 1.6 KB killer: the template's header, and one cell at XFD1048576 (the
    dimension left out, as the real file had it)."""
    row1 = "".join(_cell(f"{chr(65 + i)}1", t) for i, t in enumerate(header))
    return workbook(f'<row r="1">{row1}</row><row r="1048576">{_cell("XFD1048576", "x")}</row>')


def many_rows(header: list[str], n: int) -> bytes:
    """`n` data rows of one cell each, after the header."""
    row1 = "".join(_cell(f"{chr(65 + i)}1", t) for i, t in enumerate(header))
    body = "".join(f'<row r="{r}">{_cell(f"A{r}", "x")}</row>' for r in range(2, n + 2))
    return workbook(f'<row r="1">{row1}</row>{body}')


def zip_bomb(header: list[str], inflated: int) -> bytes:
    """A workbook with a member of `inflated` bytes of spaces (a thousandfold ratio)."""
    row1 = "".join(_cell(f"{chr(65 + i)}1", t) for i, t in enumerate(header))
    return workbook(f'<row r="1">{row1}</row>', extra={"xl/padding.xml": b" " * inflated})


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height: tiny on disk, huge once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
