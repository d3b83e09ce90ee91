"""The bulletins of all subordinate regions: one PDF per region under the focus region,
in one ZIP made by a background job; scoped, audited once, for its owner only.

The PDFs themselves are the single bulletin's (`bulletins.render`, tested with the real
renderer in test_bulletin.py); here WeasyPrint is replaced by a recorder, so the batch of
nine cities takes no nine seconds."""

import io
import zipfile

import pytest
from django.urls import reverse

from kepu.core import periods
from kepu.core import services as core_services
from kepu.core.choices import Role
from kepu.core.models import AuditEntry, Job, Region, User
from kepu.volunteering import bulletins

pytestmark = pytest.mark.django_db
URL = reverse("volunteering:bulletin_batch")
Q3 = {"period": "quarter", "year": "2025", "quarter": "3"}
MIANYANG = [
    *("510703", "510704", "510705", "510722", "510723", "510725", "510726", "510727", "510781")
]


@pytest.fixture(autouse=True)
def rendered(monkeypatch, settings, tmp_path):
    """Each PDF's template context, in the order rendered."""
    settings.MEDIA_ROOT = tmp_path
    contexts = []

    def fake(template, context):
        contexts.append(context)
        return f"%PDF-fake {context['focus'].code}".encode()

    monkeypatch.setattr(bulletins, "render_pdf", fake)
    return contexts


def post(client, region, **more):
    return client.post(URL, {"region": region, **Q3, "form_token": "t1", **more})


def job_of(response) -> Job:
    assert response.status_code == 302, response.content[:300]
    return Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_one_pdf_per_subordinate_region_in_one_zip(as_persona, rendered):
    province = as_persona("province")
    job = job_of(post(province, "5107"))
    assert job.kind == "volunteering.bulletin_batch" and job.status == "succeeded", job.error
    assert job.region.code == "5107" and job.total == job.done
    children = MIANYANG
    assert job.result == {"bulletins": len(children)}
    assert job.message == "ZIP 文件内含 9 份通报。"
    assert [c["focus"].code for c in rendered] == children
    assert {c["period"].slug for c in rendered} == {"2025Q3"}
    assert rendered[0]["issuer"] == "四川省科学技术协会"
    assert rendered[0]["title"] == "涪城区科技志愿服务工作通报（2025年第三季度）"
    response = province.get(reverse("core:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert job.file_name == "volunteer-bulletins-5107-2025Q3.zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"volunteer-bulletin-{c}-2025Q3.pdf" for c in children]
    assert archive.read("volunteer-bulletin-510703-2025Q3.pdf") == b"%PDF-fake 510703"
    # The one audit entry: which bulletins left the platform, by whom.
    entry = AuditEntry.objects.get(action="volunteering.bulletin.exported")
    assert entry.actor.username == "demo-province" and entry.region_code == "5107"
    assert entry.detail["format"] == "zip" and entry.detail["regions"] == children
    # Nobody else downloads the file.
    for persona in ("city", "county_b", "member"):
        other = as_persona(persona).get(reverse("core:job_file", args=[job.pk]))
        assert other.status_code in (403, 404), persona


def test_the_same_form_posted_twice_is_one_job(as_persona):
    county_a = as_persona("county_a")
    first = job_of(post(county_a, "510104"))
    assert job_of(post(county_a, "510104")) == first
    assert job_of(post(county_a, "510104", form_token="t2")) != first


def test_outside_the_scope_is_a_404_and_starts_nothing(as_persona):
    assert post(as_persona("county_a"), "5107").status_code == 404
    assert post(as_persona("county_b"), "5101").status_code == 404
    assert post(as_persona("member"), "5101").status_code == 403
    assert not Job.objects.filter(kind="volunteering.bulletin_batch").exists()


def test_a_region_without_subordinates_has_no_batch(as_persona):
    county_a = as_persona("county_a")
    response = post(county_a, "510104017")
    assert response.status_code == 302 and response.url.startswith(reverse("volunteering:bulletin"))
    assert not Job.objects.filter(kind="volunteering.bulletin_batch").exists()
    page = county_a.get(reverse("volunteering:bulletin"), {"region": "510104017"})
    assert URL not in page.content.decode()


def test_the_button_on_the_bulletin_page_in_english(as_persona):
    city = as_persona("city")
    city.cookies["django_language"] = "en"
    html = city.get(reverse("volunteering:bulletin"), {"region": "5101", **Q3}).content.decode()
    assert f'action="{URL}"' in html and "PDFs of subordinate regions" in html
    assert 'name="region" value="5101"' in html and 'name="quarter" value="3"' in html


def test_a_revoked_role_fails_the_batch(as_persona):
    """The worker reads the scope again when it runs."""
    officer = core_services.create_user(
        actor=None, username="batch-officer", password="Batch#2025x"
    )
    assignment = core_services.assign_role(
        officer, actor=None, role=Role.REGIONAL_OFFICER, region=Region.objects.get(code="5107")
    )
    core_services.revoke_role(assignment, actor=None)
    job = bulletins.start_batch(
        User.objects.get(pk=officer.pk),
        Region.objects.get(code="5107"),
        periods.quarter_period(2025, 3),
    )
    assert job.status == "failed" and not job.file
    assert job.error in (
        "You may no longer read the bulletins of this region.",
        "您已无权查阅该地区的通报。",
    )
