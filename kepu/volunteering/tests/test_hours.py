"""The hour ledger and service record certificates through the pages: manual entries
(overlaps refused), approval (never one's own), totals and star level, certificates as
PDF with embedded fonts and a QR code of the public check, the check itself, and scope."""

import datetime
import decimal
import io
import shutil
import subprocess

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from kepu.core.models import AuditEntry, User
from kepu.core.testing import fingerprint
from kepu.people.models import TeamMembership
from kepu.volunteering import certificates as certificate_docs
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.models import Certificate, HourEntry
from kepu.volunteering.tests.helpers import (
    demo_volunteer_person,
    make_team,
    make_volunteer,
    officer,
)
from kepu.volunteering.views import hours as hour_views

pytestmark = pytest.mark.django_db
H = c.HourStatus
D = decimal.Decimal


def english(client):
    client.cookies["django_language"] = "en"
    return client


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def ago(**delta):
    """A whole-minute time in the past (the form's datetime-local has minutes)."""
    return (timezone.now() - datetime.timedelta(**delta)).replace(second=0, microsecond=0)


def team_a(**kwargs):
    """A team of 锦江区 (county A) with a leader and a member."""
    leader = kwargs.pop("leader", None) or make_volunteer(name="锦江队长")
    member = kwargs.pop("member", None) or make_volunteer(name="锦江队员")
    team = make_team(
        name="锦江区社区科技志愿服务队",
        organization="锦江区科学技术协会",
        code="510104",
        leader=leader,
        members=[member, *kwargs.pop("members", [])],
    )
    return team, leader, member


def entry(person, team, *, start, hours=2, approve=False, actor=None):
    e = services.add_manual_entry(
        actor=actor,
        person=person,
        team=team,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=hours),
        description="社区科普讲座",
    )
    if approve:
        e = services.decide_entry(e, actor=officer(), approve=True)
    return e


def entry_form(team, person, start, hours=2, **over):
    data = {
        "team": team.pk,
        "volunteer": person.pk,
        "started_at": local(start),
        "ended_at": local(start + datetime.timedelta(hours=hours)),
        "description": "老年人智能手机使用培训",
    }
    data.update(over)
    return data


# --- manual entries ---------------------------------------------------------------------


def test_officer_records_hours_by_hand_and_they_wait_for_approval(as_persona):
    team, _leader, member = team_a()
    county_a = as_persona("county_a")
    page = county_a.get(reverse("volunteering:hour_create"), {"team": team.pk, "person": member.pk})
    assert page.status_code == 200
    assert member.name in page.content.decode()  # the team's members are offered
    assert page.context["form"].initial["volunteer"] == member.pk
    start = ago(days=3)
    response = county_a.post(reverse("volunteering:hour_create"), entry_form(team, member, start))
    assert response.status_code == 302, response.content.decode()[:3000]
    e = HourEntry.objects.get(person=member)
    assert (e.status, e.source, e.hours, e.team, e.region.code) == (
        H.PENDING,
        c.HourSource.MANUAL,
        D("2.00"),
        team,
        "510104",
    )
    assert e.created_by.username == "demo-county-a"
    assert AuditEntry.objects.filter(
        action="volunteering.hourentry.created", object_id=str(e.pk)
    ).exists()
    listing = county_a.get(response["Location"]).content.decode()
    assert member.name in listing and "老年人智能手机使用培训" in listing


def test_overlapping_entry_is_refused_with_a_clear_message_and_nothing_written(as_persona):
    team, _leader, member = team_a()
    first = entry(member, team, start=ago(days=2, hours=4), hours=3)
    county_a = english(as_persona("county_a"))
    before = fingerprint()
    overlapping = first.started_at + datetime.timedelta(hours=1)
    response = county_a.post(
        reverse("volunteering:hour_create"), entry_form(team, member, overlapping, hours=4)
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "overlaps another entry of the volunteer" in text
    assert timezone.localtime(first.started_at).strftime("%Y-%m-%d %H:%M") in text
    assert fingerprint() == before
    assert HourEntry.objects.filter(person=member).count() == 1


def test_form_refuses_future_and_reversed_periods_and_outsiders(as_persona):
    team, _leader, member = team_a()
    stranger = make_volunteer(name="路人")
    county_a = english(as_persona("county_a"))
    url = reverse("volunteering:hour_create")
    future = timezone.now() + datetime.timedelta(days=1)
    response = county_a.post(url, entry_form(team, member, future))
    assert response.status_code == 400
    assert "only be recorded for service already given" in response.content.decode()
    start = ago(days=1)
    reversed_period = entry_form(team, member, start, ended_at=local(start - datetime.timedelta(1)))
    assert county_a.post(url, reversed_period).status_code == 400
    assert county_a.post(url, entry_form(team, stranger, start)).status_code == 400
    assert not HourEntry.objects.exists()


def test_a_double_submitted_form_records_one_entry(as_persona):
    team, _leader, member = team_a()
    county_a = as_persona("county_a")
    data = {**entry_form(team, member, ago(days=4)), "form_token": "a" * 32}
    first = county_a.post(reverse("volunteering:hour_create"), data)
    again = county_a.post(reverse("volunteering:hour_create"), data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert HourEntry.objects.filter(person=member).count() == 1


def test_volunteer_records_own_hours_in_own_team_only_for_themselves(as_persona):
    me = demo_volunteer_person()
    leader = make_volunteer(name="别队队长")
    other = make_volunteer(name="别队队员")
    team = make_team(name="别队", organization=None, code="510104", leader=leader)
    for person in (me, other):
        TeamMembership.objects.create(team=team, person=person)
    volunteer = as_persona("volunteer")
    page = volunteer.get(reverse("volunteering:hour_create"), {"team": team.pk}).content.decode()
    assert me.name in page and other.name not in page
    start = ago(days=6)
    refused = volunteer.post(reverse("volunteering:hour_create"), entry_form(team, other, start))
    assert refused.status_code == 400 and not HourEntry.objects.filter(person=other).exists()
    done = volunteer.post(reverse("volunteering:hour_create"), entry_form(team, me, start))
    assert done.status_code == 302
    assert HourEntry.objects.get(person=me, team=team).status == H.PENDING


# --- approval ---------------------------------------------------------------------------


def test_team_leader_approves_a_members_hours_but_never_their_own(as_persona):
    me = demo_volunteer_person()  # demo-volunteer leads this team
    member = make_volunteer(name="队员乙")
    team = make_team(
        name="刘洋的服务队", organization=None, code="510104", leader=me, members=[member]
    )
    theirs = entry(member, team, start=ago(days=5))
    mine = entry(me, team, start=ago(days=5))
    volunteer = english(as_persona("volunteer"))
    listing = volunteer.get(reverse("volunteering:hour_list"), {"mine": "true"}).content.decode()
    assert reverse("volunteering:hour_decide", args=[theirs.pk]) in listing
    assert reverse("volunteering:hour_decide", args=[mine.pk]) not in listing

    url = reverse("volunteering:hour_decide", args=[theirs.pk])
    response = volunteer.post(url, {"decision": "approve", "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("volunteering:hour_list")
    theirs.refresh_from_db()
    assert theirs.status == H.APPROVED and theirs.decided_by.username == "demo-volunteer"
    assert AuditEntry.objects.filter(
        action="volunteering.hourentry.approved", object_id=str(theirs.pk)
    ).exists()

    before = fingerprint()
    response = volunteer.post(
        reverse("volunteering:hour_decide", args=[mine.pk]), {"decision": "approve"}, follow=True
    )
    assert "You cannot approve your own hours." in response.content.decode()
    assert fingerprint() == before
    mine.refresh_from_db()
    assert mine.status == H.PENDING

    # An officer of the county approves it instead.
    county_a = as_persona("county_a")
    county_a.post(reverse("volunteering:hour_decide", args=[mine.pk]), {"decision": "approve"})
    mine.refresh_from_db()
    assert mine.status == H.APPROVED


def test_rejection_needs_a_reason(as_persona):
    team, _leader, member = team_a()
    e = entry(member, team, start=ago(days=3))
    county_a = english(as_persona("county_a"))
    url = reverse("volunteering:hour_decide", args=[e.pk])
    response = county_a.post(url, {"decision": "reject"}, follow=True)
    assert "Give the reason" in response.content.decode()
    e.refresh_from_db()
    assert e.status == H.PENDING
    county_a.post(url, {"decision": "reject", "reason": "活动记录中没有该志愿者"})
    e.refresh_from_db()
    assert (e.status, e.reject_reason) == (H.REJECTED, "活动记录中没有该志愿者")
    again = county_a.post(url, {"decision": "approve"}, follow=True)
    assert "already been decided" in again.content.decode()
    e.refresh_from_db()
    assert e.status == H.REJECTED


# --- the ledger: filters, totals, export -------------------------------------------------


def test_ledger_filters_and_totals_of_approved_hours(as_persona):
    team, leader, member = team_a()
    entry(member, team, start=ago(days=3), hours=2, approve=True)
    entry(member, team, start=ago(days=40), hours=3, approve=True)
    entry(leader, team, start=ago(days=3), hours=1.5, approve=True)
    entry(member, team, start=ago(days=1), hours=4)  # pending: not in the totals
    county_a = as_persona("county_a")
    url = reverse("volunteering:hour_list")
    page = county_a.get(url, {"team": team.pk})
    assert page.status_code == 200
    assert page.context["approved"]["hours"] == D("6.50")
    assert page.context["approved"]["entries"] == 3
    assert page.context["pending"]["hours"] == D("4.00")
    by_name = county_a.get(url, {"team": team.pk, "q": member.name, "status": "approved"})
    assert by_name.context["approved"]["hours"] == D("5.00")
    assert len(by_name.context["page"].object_list) == 2
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    recent = county_a.get(url, {"team": team.pk, "date_from": since})
    assert recent.context["approved"]["hours"] == D("3.50")
    check_in = county_a.get(url, {"team": team.pk, "source": "check_in"})
    assert check_in.context["approved"]["hours"] is None
    mine = county_a.get(url, {"mine": "true", "team": team.pk})
    assert [e.status for e in mine.context["page"]] == [H.PENDING]


def test_export_is_audited_and_lists_the_filtered_rows(as_persona):
    team, _leader, member = team_a()
    entry(member, team, start=ago(days=3), hours=2, approve=True)
    county_a = as_persona("county_a")
    response = county_a.get(reverse("volunteering:hour_export"), {"team": team.pk})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    data = CalamineWorkbook.from_object(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert len(data) == 2 and data[1][0] == member.name and data[1][6] == 2.0
    audit = AuditEntry.objects.get(action="volunteering.hourentry.exported")
    assert audit.detail["rows"] == 1
    assert as_persona("volunteer").get(reverse("volunteering:hour_export")).status_code == 403


# --- a volunteer's ledger: totals by period and star level --------------------------------


def test_person_page_totals_by_period_pending_and_stars(as_persona):
    team, _leader, member = team_a()
    now = timezone.localtime()
    starts = [ago(hours=30), ago(days=50), ago(days=200), *(ago(days=500 + i) for i in range(5))]
    hours = [2, 3, 4, 20, 20, 20, 20, 20]
    for start, h in zip(starts, hours, strict=True):
        entry(member, team, start=start, hours=h, approve=True)
    entry(member, team, start=ago(days=2), hours=1.5)  # pending

    def since(day):
        boundary = datetime.datetime.combine(day, datetime.time.min, tzinfo=now.tzinfo)
        return D(sum(h for s, h in zip(starts, hours, strict=True) if s >= boundary))

    today = now.date()
    expected = {
        "month": since(today.replace(day=1)),
        "quarter": since(today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)),
        "year": since(today.replace(month=1, day=1)),
        "all": D(109),
    }
    response = as_persona("county_a").get(reverse("volunteering:person_hours", args=[member.pk]))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert {k: totals[k] for k in expected} == expected
    assert totals["pending"] == D("1.5") and totals["pending_entries"] == 1
    assert totals["services"] == 8
    assert totals["stars"] == 1 and totals["next_star"] == 300
    assert totals["to_next_star"] == D(191)
    assert response.content.decode().count("kepu-star-on") == 1


@pytest.mark.parametrize(
    ("total", "stars"),
    [(0, 0), (99.99, 0), (100, 1), (299, 1), (300, 2), (600, 3), (1000, 4), (1500, 5), (9000, 5)],
)
def test_star_levels(total, stars):
    assert services.star_level(D(str(total))) == stars


def test_volunteer_reads_own_ledger_but_not_another_persons(as_persona):
    me = demo_volunteer_person()
    stranger = make_volunteer(name="陌生人")
    volunteer = as_persona("volunteer")
    assert volunteer.get(reverse("volunteering:person_hours", args=[me.pk])).status_code == 200
    other = volunteer.get(reverse("volunteering:person_hours", args=[stranger.pk]))
    assert other.status_code == 404


def test_team_leader_reads_a_members_ledger_and_certifies_it(as_persona):
    team, _leader, member = team_a(leader=demo_volunteer_person())
    entry(member, team, start=ago(days=3), hours=2, approve=True)
    volunteer = as_persona("volunteer")
    page = volunteer.get(reverse("volunteering:person_hours", args=[member.pk]))
    assert page.status_code == 200
    response = volunteer.post(
        reverse("volunteering:certificate_issue", args=[member.pk]), issue_form(team)
    )
    assert response.status_code == 302
    assert Certificate.objects.filter(person=member, team=team).count() == 1


# --- certificates -------------------------------------------------------------------------


def served_member():
    team, _leader, member = team_a()
    entry(member, team, start=ago(days=20), hours=2.5, approve=True)
    entry(member, team, start=ago(days=10), hours=3, approve=True)
    entry(member, team, start=ago(days=5), hours=1)  # pending: not certified
    return team, member


def issue_form(team, days=60):
    today = timezone.localdate()
    return {
        "team": team.pk,
        "period_start": (today - datetime.timedelta(days=days)).isoformat(),
        "period_end": today.isoformat(),
    }


def test_certificate_issued_from_the_person_page(as_persona):
    team, member = served_member()
    county_a = as_persona("county_a")
    url = reverse("volunteering:person_hours", args=[member.pk])
    page = county_a.get(url)
    assert page.context["certificate_form"] is not None
    response = county_a.post(
        reverse("volunteering:certificate_issue", args=[member.pk]), issue_form(team)
    )
    assert response.status_code == 302 and response["Location"] == url
    cert = Certificate.objects.get(person=member)
    assert (cert.team, cert.total_hours, cert.entries, cert.holder_name) == (
        team,
        D("5.50"),
        2,
        member.name,
    )
    assert cert.number.startswith("ZYZM")
    assert AuditEntry.objects.filter(
        action="volunteering.certificate.created", object_id=str(cert.pk)
    ).exists()
    assert cert.number in county_a.get(url).content.decode()


def test_a_revoked_certificate_no_longer_verifies(as_persona):
    team, member = served_member()
    cert = services.issue_certificate(
        actor=None,
        person=member,
        team=team,
        period_start=timezone.localdate() - datetime.timedelta(days=60),
        period_end=timezone.localdate(),
    )
    verify = reverse("volunteering:verify_number", args=[cert.number])
    assert as_persona("anonymous").get(verify).status_code == 200
    county_a = as_persona("county_a")
    revoke = reverse("volunteering:certificate_revoke", args=[cert.pk])
    assert county_a.post(revoke, {"reason": " "}).status_code == 302
    cert.refresh_from_db()
    assert cert.revoked_at is None  # a reason is required
    volunteer = as_persona("volunteer")
    assert volunteer.post(revoke, {"reason": "错误"}).status_code in (403, 404)
    assert county_a.post(revoke, {"reason": "期间填写错误"}).status_code == 302
    cert.refresh_from_db()
    assert cert.revoked_at and cert.revoke_reason == "期间填写错误"
    assert as_persona("anonymous").get(verify).status_code == 404
    api = reverse("api:certificate-verify", kwargs={"number": cert.number})
    assert as_persona("anonymous").get(api).status_code == 404
    assert AuditEntry.objects.filter(
        action="volunteering.certificate.revoked", object_id=str(cert.pk)
    ).exists()


def test_certificate_for_a_period_without_approved_hours_is_refused(as_persona):
    team, member = served_member()
    county_a = english(as_persona("county_a"))
    old = timezone.localdate() - datetime.timedelta(days=400)
    response = county_a.post(
        reverse("volunteering:certificate_issue", args=[member.pk]),
        {"team": team.pk, "period_start": old.isoformat(), "period_end": old.isoformat()},
    )
    assert response.status_code == 400
    assert "no approved hours with this team in the period" in response.content.decode()
    assert not Certificate.objects.exists()


def _pdf_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed: cannot inspect the PDF")
    return path


def test_certificate_pdf_has_embedded_fonts_the_facts_and_a_qr_of_the_check(
    as_persona, monkeypatch, tmp_path
):
    team, member = served_member()
    cert = services.issue_certificate(
        actor=officer(),
        person=member,
        team=team,
        period_start=timezone.localdate() - datetime.timedelta(days=60),
        period_end=timezone.localdate(),
    )
    encoded = []
    real_qr = certificate_docs.qr_svg

    def spy(url):
        svg = real_qr(url)
        encoded.append((url, svg))
        return svg

    monkeypatch.setattr(certificate_docs, "qr_svg", spy)
    county_a = as_persona("county_a")
    response = county_a.get(reverse("volunteering:certificate_pdf", args=[cert.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert cert.number in response["Content-Disposition"]
    # The QR code opens the public check of this very certificate.
    verify = f"http://testserver/service/verify/{cert.number}/"
    assert [url for url, _svg in encoded] == [verify]
    expected = segno.make(verify, error="m").svg_inline(
        scale=4, border=0, dark="#000", omitsize=True
    )
    assert encoded[0][1] == expected
    # Every download is in the audit trail.
    assert AuditEntry.objects.filter(
        action="volunteering.certificate.downloaded",
        object_id=str(cert.pk),
        actor__username="demo-county-a",
    ).exists()

    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        [_pdf_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    compact = "".join(text.split())
    assert member.name in compact
    assert cert.number in compact
    assert "5.5" in compact
    assert team.name in compact
    fonts = subprocess.run(
        [_pdf_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    header = fonts[0]
    emb = header.index("emb")
    rows = fonts[2:]
    assert rows, "the certificate uses no font at all"
    for line in rows:
        assert line[emb : emb + 3] == "yes", f"font not embedded: {line}"
    assert any("CJK" in line for line in rows)


# --- the public check ---------------------------------------------------------------------


def _tampered(number):
    last = number[-1]
    return number[:-1] + ("A" if last != "A" else "B")


def test_public_check_shows_a_valid_certificate_with_the_name_masked(client):
    team, member = served_member()
    cert = services.issue_certificate(
        actor=officer(),
        person=member,
        team=team,
        period_start=timezone.localdate() - datetime.timedelta(days=60),
        period_end=timezone.localdate(),
    )
    english(client)
    form = client.get(reverse("volunteering:verify"), {"number": f" {cert.number.lower()} "})
    assert form.status_code == 302
    assert form["Location"] == reverse("volunteering:verify_number", args=[cert.number])
    response = client.get(form["Location"])
    assert response.status_code == 200
    text = response.content.decode()
    assert "Valid certificate" in text
    assert member.name not in text
    assert member.name[0] + "*" in text
    assert team.name in text and "5.5" in text
    assert response["X-Robots-Tag"].startswith("noindex")

    tampered = client.get(reverse("volunteering:verify_number", args=[_tampered(cert.number)]))
    assert tampered.status_code == 404
    assert "Not valid" in tampered.content.decode()
    assert team.name not in tampered.content.decode()


def test_revoked_certificate_is_not_valid(client):
    team, member = served_member()
    cert = services.issue_certificate(
        actor=officer(),
        person=member,
        team=team,
        period_start=timezone.localdate() - datetime.timedelta(days=60),
        period_end=timezone.localdate(),
    )
    Certificate.objects.filter(pk=cert.pk).update(revoked_at=timezone.now())
    response = english(client).get(reverse("volunteering:verify_number", args=[cert.number]))
    assert response.status_code == 404 and "Not valid" in response.content.decode()


def test_public_check_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr(hour_views, "VERIFY_LIMIT", 3)
    url = reverse("volunteering:verify_number", args=["ZYZM2025ABCDEFGHJK"])
    assert [client.get(url).status_code for _i in range(4)] == [404, 404, 404, 429]


def test_mask_name():
    assert hour_views.mask_name("刘洋") == "刘*"
    assert hour_views.mask_name("欧阳娜娜") == "欧***"
    assert hour_views.mask_name("李") == "李*"


# --- scope: county B never reaches county A's ledger --------------------------------------


def test_county_b_cannot_see_or_touch_county_a_ledger_or_certificates(as_persona):
    team, member = served_member()
    pending = HourEntry.objects.get(person=member, status=H.PENDING)
    cert = services.issue_certificate(
        actor=officer(),
        person=member,
        team=team,
        period_start=timezone.localdate() - datetime.timedelta(days=60),
        period_end=timezone.localdate(),
    )
    county_b = as_persona("county_b")
    before = fingerprint()
    assert county_b.get(reverse("volunteering:person_hours", args=[member.pk])).status_code == 404
    assert county_b.get(reverse("volunteering:certificate_pdf", args=[cert.pk])).status_code == 404
    decide = reverse("volunteering:hour_decide", args=[pending.pk])
    assert county_b.post(decide, {"decision": "approve"}).status_code == 404
    issue = reverse("volunteering:certificate_issue", args=[member.pk])
    assert county_b.post(issue, issue_form(team)).status_code == 404
    create = county_b.post(
        reverse("volunteering:hour_create"), entry_form(team, member, ago(days=30))
    )
    assert create.status_code == 400
    listing = county_b.get(reverse("volunteering:hour_list")).content.decode()
    assert member.name not in listing
    export = county_b.get(reverse("volunteering:hour_export"))
    assert member.name.encode() not in b"".join(export.streaming_content)
    assert fingerprint() == before
    assert not AuditEntry.objects.filter(
        action="volunteering.certificate.downloaded", object_id=str(cert.pk)
    ).exists()


def test_ledger_page_and_endpoint_queries_do_not_grow_with_entries(as_persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team, _leader, member = team_a()
    entry(member, team, start=ago(days=40))
    client = as_persona("county_a")
    page, api = reverse("volunteering:hour_list"), reverse("api:hourentry-list")
    client.get(page)  # warm: the role and region-tree caches, the session renewal
    with CaptureQueriesContext(connection) as few_page:
        assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as few_api:
        assert client.get(api).status_code == 200
    for days in range(2, 12):
        entry(member, team, start=ago(days=days), approve=days % 2 == 0)
    with CaptureQueriesContext(connection) as more_page:
        assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as more_api:
        assert client.get(api).status_code == 200
    assert len(more_page.captured_queries) == len(few_page.captured_queries)
    assert len(more_api.captured_queries) == len(few_api.captured_queries)


def test_team_search_finds_the_teams_an_icontains_filter_finds(as_persona):
    leader = make_volunteer(name="搜索队长")
    make_team(name="锦江应急救护队", code="510104", organization=None, leader=leader)
    make_team(name="锦江健康科普队", code="510104", organization=None, leader=leader)
    client = as_persona("province")
    answer = client.get(reverse("volunteering:team_search"), {"q": "应急"}).json()["results"]
    user = User.objects.get(username="demo-province")
    teams = hour_views.hour_teams(user).filter(name__icontains="应急")
    expected = set(teams.values_list("pk", flat=True)[:20])
    assert {row["id"] for row in answer} == expected and expected
    assert client.get(reverse("volunteering:team_search")).json() == {"results": []}
