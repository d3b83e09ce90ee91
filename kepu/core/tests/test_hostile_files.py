"""Hostile files never hurt the server (security issue 18, #1), and uploaded import files
are sealed, private and purged (#5). Every hostile file is made here, in memory and
small: limits are lowered through settings instead of building big files."""

import io
import os
import pathlib
import stat
import sys
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kepu.core import crypto, excel, housekeeping, imports, jobs
from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry, ImportJob, Job, User
from kepu.core.organizations_io import organization_columns
from kepu.core.tests import hostile
from kepu.core.tests.test_excel import code, workbook
from kepu.core.uploads import check_upload

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in organization_columns()]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def county_a(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return as_persona("county_a")


def post(client, content: bytes, name="hostile.xlsx") -> ImportJob:
    """Upload through the import page; the check runs (inline in tests) and its job
    page answers."""
    response = client.post(
        reverse("core:import_start", args=["core.organization"]),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def refused_with(client, job: ImportJob, *fragments: str) -> None:
    """The check refused the file with one translated error, shown on the report page,
    and the server still answers."""
    job.refresh_from_db()
    assert job.status == "invalid" and job.error_count == 1, job.errors
    message = job.errors[0]["message"]
    for fragment in fragments:
        assert fragment in message, message
    page = client.get(reverse("core:import_job", args=[job.pk]))
    assert page.status_code == 200 and fragments[0] in page.content.decode()
    assert client.get(reverse("core:home")).status_code == 200


# --- spreadsheets -------------------------------------------------------------------------


def test_a_cell_at_the_far_corner_of_the_sheet_is_refused_before_parsing(county_a):
    content = hostile.far_corner(HEADER)
    assert len(content) < 2000  # the 1.6 KB file that used to abort the whole process
    job = post(county_a, content)
    refused_with(county_a, job, "1048576 行", "200000")


def test_too_many_columns_are_refused(county_a, settings):
    settings.IMPORT_MAX_ROWS = 2_000_000
    job = post(county_a, hostile.far_corner(HEADER))
    refused_with(county_a, job, "16384 列", "200")


def test_a_lying_dimension_is_refused(county_a):
    sheet = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{t}</t></is></c>' for i, t in enumerate(HEADER)
    )
    content = hostile.workbook(f'<row r="1">{sheet}</row>', dimension="A1:C999999")
    refused_with(county_a, post(county_a, content), "999999")


def test_a_zip_bomb_is_refused_by_its_compression_ratio(county_a):
    content = hostile.zip_bomb(HEADER, 8 * 1024 * 1024)  # 8 MB of spaces in ~8 KB
    assert len(content) < 20_000
    job = post(county_a, content)
    refused_with(county_a, job, "压缩炸弹", "100:1")


def test_a_workbook_too_large_unpacked_is_refused(county_a, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    settings.IMPORT_MAX_RATIO = 100_000
    job = post(county_a, hostile.zip_bomb(HEADER, 2 * 1024 * 1024))
    refused_with(county_a, job, "解压后", "1.0\xa0MB")


def test_rows_over_the_limit_are_refused_early_with_one_error(county_a, settings):
    settings.IMPORT_MAX_ROWS = 50
    job = post(county_a, hostile.many_rows(HEADER, 60))
    refused_with(county_a, job, "61 行", "50")
    assert job.total_rows == 0  # refused before a single row was checked


def test_a_parser_that_dies_natively_ends_only_its_own_process(county_a, monkeypatch):
    """Whatever slips past the checks and aborts the parser (as calamine did, with
    SIGABRT) ends the child; this process answers and the user reads why."""
    monkeypatch.setattr(
        excel, "_reader_command", lambda limits: [sys.executable, "-c", "import os; os.abort()"]
    )
    job = post(county_a, workbook([["好单位", "", "学校", "", code(1), "510104"]]).read())
    refused_with(county_a, job, "内存", "1.0\xa0GB")


def test_the_memory_limit_stops_the_parser_not_the_server(county_a, settings):
    """With the structure checks opened wide, the far-corner file reaches the parser,
    which asks for 512 GiB: its memory limit ends it, not the server."""
    settings.IMPORT_MAX_ROWS = 2_000_000
    settings.IMPORT_MAX_COLUMNS = 20_000
    settings.IMPORT_PARSER_MEMORY_BYTES = 256 * 1024 * 1024
    job = post(county_a, hostile.far_corner(HEADER))
    refused_with(county_a, job, "内存", "256.0\xa0MB")


def test_a_good_workbook_still_reads_through_the_child(county_a):
    job = post(county_a, workbook([["子进程单位", "", "学校", "", code(31), "510104"]]).read())
    job.refresh_from_db()
    assert (job.status, job.to_create) == ("validated", 1)


def test_errors_beyond_the_reported_number_are_counted_not_kept(monkeypatch):
    monkeypatch.setattr(imports, "MAX_REPORTED_ERRORS", 3)
    plan = imports.Plan()
    for row in range(10):
        plan.errors.append(excel.RowError(row, "", "x"))
    assert len(plan.errors) == 10 and len(list(plan.errors)) == 3 and plan.errors


# --- images ------------------------------------------------------------------------------


def test_an_image_declaring_too_many_pixels_is_refused_from_its_header():
    upload = SimpleUploadedFile("巨图.png", hostile.png_header(13000, 13000))
    assert upload.size < 200
    with pytest.raises(DomainError) as exc:
        check_upload(upload, extensions=("png",), max_bytes=10_000_000)
    assert exc.value.messages == [
        "“巨图.png”为 13000 × 13000 像素（169.0 百万像素），最多接受 40 百万像素。"
        "请缩小图片后重新上传。"
    ]
    small = SimpleUploadedFile("小图.png", hostile.png_header(800, 600))
    assert check_upload(small, extensions=("png",), max_bytes=10_000_000) == "image/png"


def test_a_jpeg_size_is_read_from_its_frame_header(settings):
    from PIL import Image

    settings.IMAGE_MAX_PIXELS = 1000
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "JPEG", progressive=True)
    upload = SimpleUploadedFile("照片.jpg", buffer.getvalue())
    with pytest.raises(DomainError) as exc:
        check_upload(upload, extensions=("jpg",), max_bytes=10_000_000)
    assert "40 × 30" in str(exc.value)


def test_pillow_refuses_to_decode_beyond_the_same_limit(settings):
    from PIL import Image

    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


# --- import files at rest ----------------------------------------------------------------


def test_an_uploaded_import_is_sealed_and_private(county_a, tmp_path):
    job = post(county_a, workbook([["密封单位", "", "学校", "", code(41), "510104"]]).read())
    path = job.file.path
    with open(path, "rb") as fh:
        blob = fh.read()
    assert crypto.is_sealed_bytes(blob) and b"PK" not in blob[:20]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    job.refresh_from_db()
    assert job.status == "validated"  # the check opened it


def test_job_output_files_are_private_and_sealed(settings, tmp_path, as_persona):
    """A full-value export's file on disk holds no plain ID or phone number; only its
    starter downloads it, opened."""
    settings.MEDIA_ROOT = tmp_path
    owner = User.objects.get(username="demo-county-a")
    job = Job.objects.create(kind="core.export", title="导出", status="succeeded", created_by=owner)
    plain = b"11010519491231002X,13912345678"
    jobs.JobRun(job).save_file("名单.csv", plain)
    job.refresh_from_db()
    assert stat.S_IMODE(os.stat(job.file.path).st_mode) == 0o600
    on_disk = pathlib.Path(job.file.path).read_bytes()
    assert b"13912345678" not in on_disk and b"11010519491231002X" not in on_disk
    response = as_persona("county_a").get(reverse("core:job_file", args=[job.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == plain
    assert response["Content-Disposition"].endswith(".csv")


def test_import_files_past_their_retention_are_purged_and_the_check_expires(county_a, settings):
    settings.IMPORT_FILE_DAYS = 7
    old = post(county_a, workbook([["过期单位", "", "学校", "", code(51), "510104"]]).read())
    recent = post(county_a, workbook([["新单位", "", "学校", "", code(52), "510104"]]).read())
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    old_path = ImportJob.objects.get(pk=old.pk).file.path
    run = jobs.JobRun(Job.objects.create(kind="core.purge_files", title="purge"))
    assert housekeeping.purge_files(run)["uploads"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not os.path.exists(old_path) and recent.file
    assert old.status == "invalid" and "7 天" in old.errors[0]["message"]
    entry = AuditEntry.objects.get(action="core.importjob.files_purged")
    assert entry.detail["files"] == 1
    # The expired check can no longer be applied; the recent one can.
    county_a.post(reverse("core:import_job_confirm", args=[old.pk]))
    old.refresh_from_db()
    assert old.status == "invalid"
    county_a.post(reverse("core:import_job_confirm", args=[recent.pk]))
    recent.refresh_from_db()
    assert recent.status == "imported"


def test_the_daily_purge_makes_earlier_private_files_owner_only(settings, tmp_path):
    """Files and folders written before the private storage (0644 / 0755) are made
    0600 / 0700 by the daily file purge."""
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "imports" / "2026" / "11"
    folder.mkdir(parents=True)
    earlier = folder / "1.xlsx"
    earlier.write_bytes(b"PK")
    for path, mode in [(tmp_path / "imports", 0o755), (folder, 0o755), (earlier, 0o644)]:
        os.chmod(path, mode)
    run = jobs.JobRun(Job.objects.create(kind="core.purge_files", title="purge"))
    assert housekeeping.purge_files(run)["permissions_tightened"] == 4
    assert stat.S_IMODE(os.stat(earlier).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "imports").st_mode) == 0o700
