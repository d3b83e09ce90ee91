"""A team's certificates in one batch: one certificate per volunteer with approved hours
in the period (the one already issued for exactly those hours re-used), one PDF each in a
ZIP made by a job; scoped, audited, for its owner only."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from kepu.core import services as core_services
from kepu.core.choices import Role
from kepu.core.models import AuditEntry, Job, Region, User
from kepu.volunteering import certificates, services
from kepu.volunteering.models import Certificate
from kepu.volunteering.tests.helpers import make_volunteer
from kepu.volunteering.tests.test_hours import ago, entry, team_a

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=60)
PERIOD = {"period_start": START.isoformat(), "period_end": TODAY.isoformat()}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def team():
    """County A's team: two volunteers with approved hours (the second already holds a
    certificate for exactly them), the leader with pending hours only."""
    second = make_volunteer(name="锦江二队员")
    team, leader, member = team_a(members=[second])
    entry(member, team, start=ago(days=20), hours=2.5, approve=True)
    entry(member, team, start=ago(days=10), hours=3, approve=True)
    entry(second, team, start=ago(days=15), hours=4, approve=True)
    entry(leader, team, start=ago(days=5), hours=1)  # pending: not certified
    held = services.issue_certificate(
        actor=None, person=second, team=team, period_start=START, period_end=TODAY
    )
    return team, member, second, held


def url(team):
    return reverse("volunteering:certificate_batch", args=[team.pk])


def start(client, team, **data):
    response = client.post(url(team), {**PERIOD, "form_token": "c1", **data})
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_a_team_batch_issues_once_and_zips_one_pdf_each(as_persona, team, monkeypatch):
    team, member, second, held = team
    encoded = []
    real_qr = certificates.qr_svg
    monkeypatch.setattr(certificates, "qr_svg", lambda u: encoded.append(u) or real_qr(u))
    county_a = as_persona("county_a")
    page = county_a.get(url(team), PERIOD)
    assert page.status_code == 200 and page.context["count"] == 2
    job = start(county_a, team)
    assert job.kind == "volunteering.certificate_batch" and job.status == "succeeded", job.error
    assert job.result == {"certificates": 2, "issued": 1}
    assert job.message == "ZIP 文件内含 2 份证明：新出具 1 份，沿用已出具的 1 份。"
    new = Certificate.objects.get(person=member, team=team)
    assert (new.total_hours, new.entries, new.issued_by.username) == (5.5, 2, "demo-county-a")
    assert Certificate.objects.filter(person=second).get() == held  # re-used, not doubled
    response = county_a.get(reverse("core:job_file", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()  # in name order: 锦江二队员… before 锦江队员…
    assert names == [
        f"certificate-{held.number}-{second.name}.pdf",
        f"certificate-{new.number}-{member.name}.pdf",
    ]
    assert all(archive.read(name).startswith(b"%PDF-") for name in names)
    # Each QR code opens the public check of its own certificate.
    assert sorted(encoded) == sorted(
        f"http://testserver/service/verify/{n}/" for n in (new.number, held.number)
    )
    entry_ = AuditEntry.objects.get(action="volunteering.certificate.exported")
    assert entry_.actor.username == "demo-county-a" and entry_.object_id == str(team.pk)
    assert sorted(entry_.detail["certificates"]) == sorted([new.number, held.number])
    assert entry_.detail["issued"] == 1
    assert AuditEntry.objects.filter(
        action="volunteering.certificate.created", object_id=str(new.pk)
    ).exists()
    # The owner alone downloads the ZIP.
    for persona in ("city", "county_b", "province"):
        other = as_persona(persona).get(reverse("core:job_file", args=[job.pk]))
        assert other.status_code in (403, 404), persona


def test_running_the_batch_again_issues_nothing_new(as_persona, team):
    team = team[0]
    county_a = as_persona("county_a")
    start(county_a, team)
    count = Certificate.objects.filter(team=team).count()
    again = start(county_a, team, form_token="c2")
    assert again.result == {"certificates": 2, "issued": 0}
    assert Certificate.objects.filter(team=team).count() == count


def test_outside_the_scope_there_is_no_batch(as_persona, team):
    team = team[0]
    for persona in ("county_b", "member", "volunteer"):
        client = as_persona(persona)
        assert client.get(url(team)).status_code == 404, persona
        assert client.post(url(team), PERIOD).status_code == 404, persona
    assert as_persona("auditor").get(url(team)).status_code == 403
    assert not Job.objects.filter(kind="volunteering.certificate_batch").exists()


def test_a_period_without_approved_hours_is_refused(as_persona, team):
    team = team[0]
    county_a = as_persona("county_a")
    empty = {"period_start": "2020-01-01", "period_end": "2020-12-31"}
    page = county_a.get(url(team), empty)
    assert page.context["count"] == 0 and 'name="form_token"' not in page.content.decode()
    response = county_a.post(url(team), {**empty, "form_token": "c3"})
    assert response.status_code == 400
    assert "没有已审核通过服务时长的志愿者" in response.content.decode()
    backwards = county_a.get(url(team), {"period_start": "2025-02-01", "period_end": "2025-01-01"})
    assert backwards.status_code == 400 and backwards.context["count"] is None


def test_the_hour_list_offers_the_batch_for_the_chosen_team(as_persona, team):
    team = team[0]
    county_a = as_persona("county_a")
    county_a.cookies["django_language"] = "en"
    html = county_a.get(reverse("volunteering:hour_list"), {"team": team.pk}).content.decode()
    assert url(team) in html and "Certificates of this team" in html
    assert url(team) not in county_a.get(reverse("volunteering:hour_list")).content.decode()
    page = county_a.get(url(team)).content.decode()  # this year so far by default
    assert f"Certificates of {team.name}" in page and "2 volunteers have approved hours" in page


def test_a_revoked_role_fails_the_batch(team):
    team = team[0]
    officer = core_services.create_user(actor=None, username="cert-officer", password="Cert#2025xy")
    assignment = core_services.assign_role(
        officer, actor=None, role=Role.REGIONAL_OFFICER, region=Region.objects.get(code="510104")
    )
    core_services.revoke_role(assignment, actor=None)
    job = certificates.start_batch(
        User.objects.get(pk=officer.pk), team, START, TODAY, base="http://testserver/"
    )
    assert job.status == "failed" and not job.file
    assert job.error in (
        "You may no longer issue certificates for this team.",
        "您已无权为该服务队出具证明。",
    )
    assert not Certificate.objects.filter(issued_by=officer).exists()
