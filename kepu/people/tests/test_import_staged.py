"""The staged people import: one check, one audit entry, refusal of rows that became
invalid between the dry run and the apply (issue 16)."""

import datetime
import pathlib
import stat
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import AuditEntry, ImportJob, ImportRow, User
from kepu.core.tests.test_excel import workbook
from kepu.people import services
from kepu.people.io import person_columns
from kepu.people.models import Person, Registration
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db


def row(i, kind="科技志愿者"):
    return [
        f"暂存人{i}",
        "居民身份证",
        valid_id(f"51010419870202{i:03d}"),
        f"1370000{i:04d}",
        "",
        "510104",
        "",
        "本科",
        "中级",
        "工程师",
        "170",
        "地震科普",
        kind,
    ]


def upload(client, rows):
    headers = [c.header for c in person_columns()]
    response = client.post(
        reverse("core:import_start", args=["people.person"]),
        {"file": workbook(rows, headers=headers)},
    )
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


@pytest.fixture
def county_a(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return as_persona("county_a")


def test_apply_writes_the_staged_rows_with_one_audit_entry(county_a):
    job = upload(county_a, [row(i) for i in range(5)] + [row(5, "")])
    assert job.status == "validated" and ImportRow.objects.filter(job=job).count() == 11
    assert not Person.objects.filter(name__startswith="暂存人").exists()
    county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    people = Person.objects.filter(name__startswith="暂存人").order_by("pk")
    assert job.status == "imported" and people.count() == 6
    first = people.first()
    assert first.id_masked.startswith("5101") and first.birth_date.year == 1987
    assert services.find_by_document(valid_id("51010419870202003")).name == "暂存人3"
    assert first.search_text and first.region.code == "510104"
    registrations = Registration.objects.filter(person__in=people)
    assert registrations.count() == 5
    assert {r.status for r in registrations} == {"certified"}
    assert len({r.tracking_token for r in registrations}) == 5
    entry = AuditEntry.objects.get(action="core.importjob.applied", object_id=str(job.pk))
    rows = entry.detail["rows"]["people.person"]
    assert (rows["first_id"], rows["last_id"], rows["count"]) == (first.pk, people.last().pk, 6)
    assert not AuditEntry.objects.filter(action="people.person.created", object_id=str(first.pk))
    assert not ImportRow.objects.filter(job=job).exists()  # discarded once applied


def test_a_number_registered_since_the_dry_run_rejects_the_import(county_a):
    job = upload(county_a, [row(i) for i in range(20, 24)])
    services.create_person(
        actor=User.objects.get(username="demo-county-a"),
        name="抢先",
        id_number=valid_id("51010419870202022"),
        region=Person.objects.filter(region__code="510104").first().region,
    )
    county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "invalid" and job.error_count == 1
    assert job.errors[0]["row"] == 4 and job.errors[0]["column"] == "证件号码"
    assert not Person.objects.filter(name__startswith="暂存人").exists()
    assert not Registration.objects.filter(person__name__startswith="暂存人").exists()


def test_a_check_not_applied_within_a_week_expires(county_a):
    old = upload(county_a, [row(30)])
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    upload(county_a, [row(31)])  # a new dry run drops the stale staged rows
    old.refresh_from_db()
    assert old.status == "invalid" and "过期" in old.errors[0]["message"]
    assert not ImportRow.objects.filter(job=old).exists()
    county_a.post(reverse("core:import_job_confirm", args=[old.pk]))
    assert not Person.objects.filter(name="暂存人30").exists()


def test_no_plain_id_or_phone_number_is_left_under_the_media_root(county_a, settings):
    """Security #5: an import file holds ID and phone numbers in bulk; what is stored of
    it (the upload, unpacked if it is a workbook) shows none of them."""
    rows = [row(i) for i in range(40, 43)]
    job = upload(county_a, rows)
    county_a.post(reverse("core:import_job_confirm", args=[job.pk]))
    secrets = [r[2].encode() for r in rows] + [r[3].encode() for r in rows]
    stored = [p for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored  # the upload is kept (sealed) for the retention period
    for path in stored:
        contents = [path.read_bytes()]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                contents += [archive.read(name) for name in archive.namelist()]
        for content in contents:
            assert not any(secret in content for secret in secrets), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
