"""Excel import of 100,000 organizations and 100,000 people (see bench/README.md)."""

import datetime
import io
import random
import time

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core import imports, pii
from kepu.core.excel import read_rows
from kepu.core.models import Region, User
from kepu.core.organizations_io import organization_columns
from kepu.core.validators import credit_code_check_char
from kepu.people.io import person_columns

ROWS = 100_000
rng = random.Random(1)
counties = list(
    Region.objects.filter(path__startswith="51/", level=3).values_list("code", flat=True)
)
actor = User.objects.get(username="demo-province")


def workbook(columns, make_row) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.header)
    for r in range(1, ROWS + 1):
        for c, value in enumerate(make_row(r)):
            if value:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def organization_row(r):
    body = f"52510000{r:09d}"
    code = body + credit_code_check_char(body)
    return [f"测试单位{r:06d}", "", "学校", "", code, rng.choice(counties), "", "某路 1 号"]


def person_row(r):
    county = rng.choice(counties)
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=r // 1000)
    body = f"{county}{born:%Y%m%d}{r % 1000:03d}"
    return [
        f"导入{r}",
        "居民身份证",
        body + pii.id_check_char(body),
        f"13{r:09d}",
        "",
        county,
        "",
        "本科",
        "中级",
        "工程师",
        "170",
        "地震科普",
        "科技志愿者",
    ]


for key, columns, make_row in (
    ("core.organization", organization_columns(), organization_row),
    ("people.person", person_columns(), person_row),
):
    data = workbook(columns, make_row)
    started = time.monotonic()
    rows = sum(1 for _ in read_rows(io.BytesIO(data), columns))
    floor = time.monotonic() - started
    spec = imports.get_spec(key)
    started = time.monotonic()
    job = imports.validate_import(spec, SimpleUploadedFile("bench.xlsx", data), actor=actor)
    dry = time.monotonic() - started
    started = time.monotonic()
    job = imports.apply_import(job, actor=actor)
    applied = time.monotonic() - started
    print(
        f"{key}: rows={rows} read floor {floor:.2f}s, dry run {dry:.2f}s "
        f"({dry / floor:.1f}x floor), apply {applied:.2f}s, status={job.status}, "
        f"created={job.to_create}"
    )
