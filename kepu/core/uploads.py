"""Uploaded files in and out. In: checked by their content, not their name (a file is
accepted only when its first bytes, and for Office files its inner structure, match the
type its extension declares, within the size limit). Out: `file_response` serves a stored
file with its checked content type, never sniffed."""

import zipfile

from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from kepu.core.errors import DomainError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _starts(*magics):
    def check(upload):
        head = upload.read(16)
        return any(head.startswith(m) for m in magics)

    return check


def _zip_with(member):
    def check(upload):
        try:
            with zipfile.ZipFile(upload) as archive:
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False

    return check


def _mp4(upload):
    """An ISO media file (MP4): a box of type "ftyp" first."""
    head = upload.read(12)
    return len(head) == 12 and head[4:8] == b"ftyp"


# extension -> (content type, content check)
KINDS = {
    "pdf": ("application/pdf", _starts(b"%PDF-")),
    "jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    "png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    "mp4": ("video/mp4", _mp4),
    "docx": (DOCX, _zip_with("word/document.xml")),
    "xlsx": (XLSX, _zip_with("xl/workbook.xml")),
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, *, extensions, max_bytes: int) -> str:
    """The content type of `upload` once its content matches its extension (one of
    `extensions`) and it is at most `max_bytes`; otherwise a DomainError naming the file."""
    name = upload.name
    ext = extension(name)
    if ext not in extensions or ext not in KINDS:
        raise DomainError(
            _("“%(name)s”: only these file types are accepted: %(types)s.")
            % {"name": name, "types": ", ".join(sorted({e.upper() for e in extensions}))}
        )
    if upload.size > max_bytes:
        raise DomainError(
            _("“%(name)s” is larger than %(size)s.")
            % {"name": name, "size": filesizeformat(max_bytes)}
        )
    content_type, check = KINDS[ext]
    upload.seek(0)
    matches = check(upload)
    upload.seek(0)
    if not matches:
        raise DomainError(
            _("“%(name)s” is not really a %(type)s file: its content does not match its type.")
            % {"name": name, "type": ext.upper()}
        )
    return content_type


def file_response(
    stored, *, content_type: str, name: str = "", download=False, cache="private, no-store"
):
    """Serve a stored file (a FieldFile) with the content type recorded when it was
    checked, `nosniff`, the given caching, and — with a `name` — its original (Chinese)
    file name, as a download or inline. A file missing from storage is a 404."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    if name:
        response["Content-Disposition"] = content_disposition_header(download, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response
