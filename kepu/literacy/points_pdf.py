"""The interviewers' QR sheet of a survey round: one block per sample point (its county,
village or community, code, quota, the QR code of its link and the link in text),
grouped by county, on A4 to print and cut. Small sheets are rendered in the request; a
province's few hundred points are a job (`literacy.points_pdf`)."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kepu.core import pdf
from kepu.core.pdf import render_pdf
from kepu.core.scope import visible_to
from kepu.literacy.models import SamplePoint

JOB = "literacy.points_pdf"
# Above this many points the sheet is rendered by a job: WeasyPrint takes about 16 ms of
# CPU a point (the QR codes are vector paths) after about a second of fonts, measured on
# a province's 732 points (12 s, 92 pages at 3 counties a page). A county's sheet (4 to
# 12 points) stays in the request; a city's or a province's is a job.
INLINE_POINTS = 40


def points_for(user, round_):
    """The sample points of a round that `user` gets on the sheet and the points page:
    a round's interviewer gets all of them (they interview at any point); an officer the
    points in their own scope (a county officer their county's)."""
    rows = SamplePoint.objects.filter(round=round_)
    if user is None or not round_.interviewers.filter(pk=user.pk).exists():
        rows = visible_to(user, rows) if user is not None else rows.none()
    return rows.select_related("stratum__region__parent").order_by("stratum__region__path", "code")


def point_url(base: str, point) -> str:
    return urljoin(base, reverse("literacy:survey_point", args=[point.token]))


def qr_svg(url: str) -> str:
    """The sample point's QR code, with a quiet zone (the sheet is cut apart)."""
    return pdf.qr_svg(url, border=2)


def counties(points, base: str) -> list[dict]:
    """The points grouped by county, in the order given, each with its link and QR."""
    groups = []
    for region, rows in groupby(points, key=lambda p: p.stratum.region):
        blocks = []
        for point in rows:
            url = point_url(base, point)
            # The token on a line of its own, never broken: a line ending in one of its
            # hyphens reads as a hyphenated word (to an interviewer and to pdftotext).
            cut = url.rindex(point.token)
            blocks.append({
                "point": point, "qr": qr_svg(url), "url_head": url[:cut], "url_token": url[cut:]
            })  # fmt: skip
        groups.append({
            "region": region,
            "city": region.parent.name if region.parent_id else "",
            "points": blocks,
            "quota": sum(b["point"].quota for b in blocks),
        })  # fmt: skip
    return groups


def sheet_bytes(round_, points, *, base: str) -> bytes:
    """The PDF, in the platform's language whatever the officer's (it goes to the
    interviewers in the field)."""
    points = list(points)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "literacy/rounds/round_points_pdf.html",
            {
                "round": round_,
                "counties": counties(points, base),
                "count": len(points),
                "quota": sum(p.quota for p in points),
            },
        )


def file_name(round_) -> str:
    return f"literacy-points-{round_.pk}.pdf"
