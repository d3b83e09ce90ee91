"""The Excel framework through the organization import and export."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core.organizations_io import organization_columns


def workbook(rows, headers=None, name="orgs.xlsx") -> SimpleUploadedFile:
    """An upload made like a user's file: the template's header row, then `rows`."""
    headers = headers or [c.header for c in organization_columns()]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for c, title in enumerate(headers):
        sheet.write_string(0, c, title)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
