"""PDF documents (certificates, bulletins) rendered from Django templates by WeasyPrint,
with the Noto CJK fonts embedded (subset by HarfBuzz: libharfbuzz-subset0 keeps a
certificate at about 0.3 s instead of 18 s), so Chinese shows on any viewer."""

import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def _url_fetcher(url, *args, **kwargs):
    """Static files are read from disk; nothing is fetched from the network."""
    from weasyprint import default_url_fetcher

    prefix = "kepu-static:"
    if url.startswith(prefix):
        path = finders.find(url[len(prefix) :])
        if path:
            return default_url_fetcher(f"file://{path}")
    raise ValueError(f"refused to fetch {url}")


def qr_svg(url: str, *, border: int = 0) -> str:
    """The QR code (inline SVG, no fixed size: the stylesheet sizes it; vector, so sharp
    at any print size, and no data URI, which the PDF's fetcher would not read) that
    opens `url`: a certificate's verification link, a sample point's questionnaire."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=border, dark="#000", omitsize=True)


def render_pdf(template_name: str, context: dict) -> bytes:
    """The PDF of a template (write static references as `kepu-static:path`)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_url_fetcher, base_url="kepu-static:").write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def zip_job_output(
    run, documents: Sequence[tuple[str, str, Callable[[], bytes]]], filename: str
) -> int:
    """A job's output made of several PDFs: each `(name in the archive, label, render)` is
    rendered in turn (progress per document, the label as its message) into one ZIP file
    attached to the job. Returns the number of documents."""
    fd, path = tempfile.mkstemp(suffix=".zip", prefix="kepu-")
    os.close(fd)
    try:
        # PDFs are compressed already: stored, not deflated again.
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, (name, label, render) in enumerate(documents):
                run.progress(done, len(documents), label)
                archive.writestr(name, render())
        run.progress(len(documents), len(documents), "")
        with open(path, "rb") as handle:
            run.save_file(filename, handle)
    finally:
        os.unlink(path)
    return len(documents)
