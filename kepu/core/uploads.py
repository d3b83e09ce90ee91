"""Uploaded files in and out. In: checked by their content, not their name (a file is
accepted only when its first bytes, and for Office files its inner structure, match the
type its extension declares, within the size limit; an image's declared size is checked
against KEPU_IMAGE_MAX_MEGAPIXELS before anything decodes it). Out: `file_response` serves a stored
file with its checked content type, never sniffed."""

import struct
import zipfile

from django.conf import settings
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


IMAGE_TYPES = {"png", "jpg", "jpeg"}
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC share the range but
# are tables, not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(upload) -> tuple[int, int] | None:
    """(width, height) declared by a PNG or JPEG header, read without decoding anything
    (a 13,000 × 13,000 image is a few KB on disk and ~600 MB decoded); None when the
    header cannot be read."""
    upload.seek(0)
    head = upload.read(24)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if not head.startswith(b"\xff\xd8"):
        return None
    upload.seek(2)
    for _segment in range(10_000):  # markers before the frame: a bounded walk
        marker = upload.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:
            marker = marker[1:] + upload.read(1)  # fill bytes
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        length = upload.read(2)
        if len(length) < 2:
            return None
        size = struct.unpack(">H", length)[0]
        if marker[1] in _SOF:
            frame = upload.read(5)
            if len(frame) < 5:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return width, height
        if size < 2:
            return None
        upload.seek(size - 2, 1)
    return None


def check_image(upload) -> None:
    """Refuse an image whose header declares more than KEPU_IMAGE_MAX_MEGAPIXELS, or no
    readable size, before anything decodes it."""
    size = image_size(upload)
    upload.seek(0)
    if size is None:
        raise DomainError(
            _("“%(name)s” is not an image that can be opened.") % {"name": upload.name}
        )
    width, height = size
    limit = settings.IMAGE_MAX_PIXELS
    if width * height > limit:
        raise DomainError(
            _(
                "“%(name)s” is %(width)d × %(height)d pixels (%(mp)s megapixels); at most "
                "%(limit)s megapixels are accepted. Reduce the picture and upload it again."
            )
            % {
                "name": upload.name,
                "width": width,
                "height": height,
                "mp": f"{width * height / 1_000_000:.1f}",
                "limit": f"{limit / 1_000_000:g}",
            }
        )


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
    if ext in IMAGE_TYPES:
        check_image(upload)
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
