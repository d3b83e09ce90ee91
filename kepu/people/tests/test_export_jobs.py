"""The registry export above the inline threshold: written by a background job, masked
exactly as the inline export (full numbers only with the reveal permission and a reason),
scoped and audited once."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry, Job
from kepu.core.tests.matrix import PHONE_PATTERN, real_ids
from kepu.people.tests.authz import valid_id
from kepu.people.tests.test_people import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sheet(body: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


def export(client, settings, threshold, **params) -> list[list]:
    """The rows of the export, inline or through the job and its download."""
    settings.EXPORT_INLINE_ROWS = threshold
    response = client.get(reverse("people:person_export"), params)
    if response.status_code == 302:
        job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        assert job.kind == "core.export" and job.status == "succeeded", job.error
        response = client.get(reverse("core:job_file", args=[job.pk]))
    assert response.status_code == 200
    return sheet(b"".join(response.streaming_content))


def test_a_large_export_is_masked_and_scoped_like_the_inline_one(as_persona, settings):
    make_person()
    county_a = as_persona("county_a")
    inline = export(county_a, settings, 100_000)
    by_job = export(county_a, settings, 1)
    assert by_job == inline and len(by_job) > 2
    assert not real_ids(str(by_job)) and not PHONE_PATTERN.search(str(by_job))
    # County B's export never holds county A's people.
    a_ids = {row[0] for row in inline[1:]}
    b_ids = {row[0] for row in export(as_persona("county_b"), settings, 1)[1:]}
    assert a_ids and not a_ids & b_ids


def test_a_large_full_export_needs_the_reason_and_records_it(as_persona, settings):
    make_person()
    province = as_persona("province")
    params = {"full": "1", "region": "510104", "reason": "保险投保名单"}
    before = AuditEntry.objects.filter(action="people.person.exported_full").count()
    rows = export(province, settings, 1, **params)
    assert valid_id("51010419880808001") in str(rows)
    assert rows == export(province, settings, 100_000, **params)
    entries = AuditEntry.objects.filter(action="people.person.exported_full").order_by("pk")
    assert entries.count() == before + 2  # the job's and the inline one, once each
    job_entry = entries[before]
    assert job_entry.detail["reason"] == "保险投保名单" and "job" in job_entry.detail
    assert job_entry.detail["rows"] == len(rows) - 1
    # Without the reveal permission, as before: refused before any job starts.
    settings.EXPORT_INLINE_ROWS = 1
    assert as_persona("county_a").get(reverse("people:person_export"), params).status_code == 403
