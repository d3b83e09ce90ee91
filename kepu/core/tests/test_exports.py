"""Large list exports as background jobs (kepu.core.exports), through the organization
list: the same rows as the inline export, the same scope, one audit entry, and a file
only its owner downloads."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from kepu.core import clock, jobs, services
from kepu.core.choices import Role
from kepu.core.models import AuditEntry, Job, Region, User

pytestmark = pytest.mark.django_db

EXPORT = "core:organization_export"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sheet(body: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


def inline(client, settings, **params) -> list[list]:
    settings.EXPORT_INLINE_ROWS = 100_000
    response = client.get(reverse(EXPORT), params)
    assert response.status_code == 200
    return sheet(b"".join(response.streaming_content))


def as_job(client, settings, **params) -> Job:
    settings.EXPORT_INLINE_ROWS = 1
    response = client.get(reverse(EXPORT), params)
    assert response.status_code == 302
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert response.url == reverse("core:job_detail", args=[job.pk])
    return job


def download(client, job) -> list[list]:
    response = client.get(reverse("core:job_file", args=[job.pk]))
    assert response.status_code == 200
    return sheet(b"".join(response.streaming_content))


def test_above_the_threshold_a_job_writes_the_same_rows(as_persona, settings):
    county_a = as_persona("county_a")
    expected = inline(county_a, settings)
    assert len(expected) > 2  # a header and several units
    job = as_job(county_a, settings)
    assert job.kind == "core.export" and job.status == "succeeded", job.error
    assert job.result == {"rows": len(expected) - 1}
    assert job.message == f"已写入 {len(expected) - 1} 行。"  # what came of it, in Chinese
    assert job.file_name.startswith("organizations-") and job.file_name.endswith(".xlsx")
    assert download(county_a, job) == expected
    # The same filters give the same rows.
    filtered = inline(county_a, settings, q="锦江")
    assert download(county_a, as_job(county_a, settings, q="锦江")) == filtered
    assert 1 < len(filtered) < len(expected)


def test_the_job_is_scoped_like_the_list(as_persona, settings):
    county_a, county_b = as_persona("county_a"), as_persona("county_b")
    a_rows = download(county_a, as_job(county_a, settings))
    b_rows = download(county_b, as_job(county_b, settings))
    a_names = {row[0] for row in a_rows[1:]}
    b_names = {row[0] for row in b_rows[1:]}
    assert "锦江区科学技术协会" in a_names and "涪城区科学技术协会" in b_names
    assert not a_names & b_names


def test_the_export_is_audited_once_with_filters_and_rows(as_persona, settings):
    county_a = as_persona("county_a")
    before = AuditEntry.objects.filter(action="core.organization.exported").count()
    job = as_job(county_a, settings, q="锦江")
    entries = AuditEntry.objects.filter(action="core.organization.exported")
    assert entries.count() == before + 1
    entry = entries.order_by("-pk").first()
    assert entry.actor.username == "demo-county-a"
    assert entry.object_type == "core.organization"
    assert entry.detail == {
        "filters": {"q": "锦江"},
        "rows": job.result["rows"],
        "job": str(job.pk),
    }


def test_only_the_owner_downloads_the_file(as_persona, settings):
    county_a = as_persona("county_a")
    job = as_job(county_a, settings)
    for persona in ("county_b", "city", "province", "member", "volunteer"):
        response = as_persona(persona).get(reverse("core:job_file", args=[job.pk]))
        assert response.status_code in (403, 404), persona
    assert download(county_a, job)
    assert AuditEntry.objects.filter(action="core.job.downloaded", object_id=str(job.pk)).exists()


def test_the_same_export_asked_twice_is_one_job(as_persona, settings):
    """A double click or a reload within the minute: the first job, not a second."""
    county_a = as_persona("county_a")
    with clock.frozen(timezone.now().replace(second=1)):
        first = as_job(county_a, settings, q="锦江")
        assert as_job(county_a, settings, q="锦江") == first
        assert as_job(county_a, settings) != first


def test_a_revoked_role_fails_the_job_with_a_reason(settings):
    """The worker checks the starter's permission and scope again when it runs."""
    officer = services.create_user(actor=None, username="export-officer", password="Export#2025x")
    assignment = services.assign_role(
        officer, actor=None, role=Role.REGIONAL_OFFICER, region=Region.objects.get(code="510104")
    )
    services.revoke_role(assignment, actor=None)
    officer = User.objects.get(pk=officer.pk)
    job = jobs.start(
        "core.export", actor=officer, params={"export": "core.organization", "query": ""}
    )
    assert job.status == "failed" and not job.file
    assert job.error in (
        "You may no longer export this list: your roles or data scope changed after the "
        "export was started.",
        "您已无权导出此列表：发起导出后，您的角色或数据范围发生了变化。",
    )
    assert not AuditEntry.objects.filter(
        action="core.organization.exported", detail__job=str(job.pk)
    ).exists()


def test_unusable_filters_go_back_to_the_list(as_persona, settings):
    settings.EXPORT_INLINE_ROWS = 1
    response = as_persona("county_a").get(reverse(EXPORT), {"region": "510703"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:organization_list"))
    assert not Job.objects.filter(kind="core.export").exists()
