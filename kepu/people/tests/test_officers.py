"""Information officers' work (issue 26; seeds 003 (十一), 001 四(三)3, 004 (23)) and the
grid officer / envoy kinds (000 (二), 001 三(二)3): self-registration, the activity log by
API and Excel import, the monthly figures and ranks, rankings, the monthly feedback."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry, ImportJob, Region
from kepu.core.tests.test_excel import workbook
from kepu.people import services
from kepu.people.models import (
    OfficerActivity,
    OfficerFeedback,
    OfficerMonth,
    OfficerPersonMonth,
    Registration,
)
from kepu.people.officer_io import activity_columns
from kepu.people.officer_months import compute_month
from kepu.people.officers import record_activity
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 10, 1)
API = reverse("api:officeractivity-list")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def officer(code, body, name="信息员"):
    person = services.create_person(
        actor=None, name=name, id_number=valid_id(body), region=Region.objects.get(code=code)
    )
    services.add_registration(person, actor=None, kind="info_officer")
    return person


def share(person, day=datetime.date(2026, 10, 5), views=100, shares=10, key=""):
    return record_activity(
        person, actor=None, date=day, channel="wechat", title="科普文章",
        views=views, shares=shares, client_key=key,
    )[0]  # fmt: skip


# --- kinds and where they are attached -------------------------------------------------------


def test_grid_officer_needs_a_township_and_envoy_a_sending_unit(demo_orgs):
    person = services.create_person(
        actor=None, name="网格员甲", id_number=valid_id("51010419800101011"),
        region=Region.objects.get(code="510104"),
    )  # fmt: skip
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.add_registration(person, actor=None, kind="grid_officer")
    assert "township" in str(refused.value.args[0]["region"])
    town = Region.objects.filter(parent__code="510104").order_by("code").first()
    grid = services.add_registration(person, actor=None, kind="grid_officer", region=town)
    assert grid.region == town and grid.status == "certified"
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.add_registration(person, actor=None, kind="tech_envoy")
    assert "sending unit" in str(refused.value.args[0]["organization"])
    envoy = services.add_registration(
        person, actor=None, kind="tech_envoy", organization=demo_orgs["a"]
    )
    assert envoy.organization == demo_orgs["a"]


def apply(client, kind, number, **over):
    data = {
        "name": "申请人乙", "doc_type": "id", "id_number": number, "phone": "13700008888",
        "region": "510104", "consent": "on", **over,
    }  # fmt: skip
    return client.post(reverse("people:join_form", args=[kind]), data)


def test_information_officers_grid_officers_and_envoys_apply_on_the_public_form(client):
    english(client)
    assert client.get(reverse("people:join_start")).content.decode().count("join/") >= 5
    number = valid_id("51010420010101011")
    response = apply(client, "info-officer", number)
    assert response.status_code == 302
    registration = Registration.objects.get(kind="info_officer", person__name="申请人乙")
    assert registration.status == "pending" and registration.source == "self"
    # A grid officer at county level is refused with the reason, nothing written.
    before = Registration.objects.count()
    page = apply(client, "grid-officer", valid_id("51010420010101022"))
    assert page.status_code == 400 and "township or community grid" in page.content.decode()
    page = apply(client, "tech-envoy", valid_id("51010420010101033"))
    assert "sending unit" in page.content.decode()
    assert Registration.objects.count() == before
    town = Region.objects.filter(parent__code="510104").order_by("code").first()
    grid = apply(client, "grid-officer", valid_id("51010420010101022"), region=town.code)
    assert grid.status_code == 302
    assert apply(client, "tech-envoy", valid_id("51010420010101033"),
                 organization_name="四川农业大学").status_code == 302  # fmt: skip
    envoy = Registration.objects.get(kind="tech_envoy", unit_name="四川农业大学")
    assert envoy.status == "pending"


def test_new_kinds_are_counted_by_the_statistics(as_persona):
    person = services.create_person(
        actor=None, name="特派员丙", id_number=valid_id("51010419800101044"),
        region=Region.objects.get(code="510104"),
    )  # fmt: skip
    before = as_persona("city").get(reverse("people:stats"), {"region": "5101"}).context["total"]
    services.add_registration(person, actor=None, kind="tech_envoy", organization=_org())
    after = as_persona("city").get(reverse("people:stats"), {"region": "5101"}).context["total"]
    assert after["tech_envoy"] == before["tech_envoy"] + 1


def _org():
    from kepu.core.models import Organization

    return Organization.objects.get(name="锦江区科学技术协会")


# --- activity by API --------------------------------------------------------------------------


def test_api_records_activity_idempotently_on_the_client_key(as_persona):
    person = officer("510104", "51010419910404001")
    client = as_persona("county_a")
    body = {"person": person.pk, "date": "2026-10-06", "channel": "douyin", "title": "地震避险",
            "views": 250, "shares": 20, "client_key": "app-7781"}  # fmt: skip
    first = client.post(API, body, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(API, {**body, "views": 999}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert OfficerActivity.objects.filter(person=person).count() == 1
    month = OfficerPersonMonth.objects.get(person=person, month=MONTH)
    assert (month.activities, month.views, month.shares) == (1, 250, 20)
    assert AuditEntry.objects.filter(action="people.officeractivity.created").exists()


def test_api_refuses_another_county_and_a_non_officer(as_persona):
    person = officer("510104", "51010419910404002")
    body = {"person": person.pk, "date": "2026-10-06", "channel": "wechat", "title": "x"}
    assert (
        as_persona("county_b").post(API, body, content_type="application/json").status_code == 400
    )
    plain = services.create_person(
        actor=None, name="非信息员", id_number=valid_id("51010419910404003"),
        region=Region.objects.get(code="510104"),
    )  # fmt: skip
    client = english(as_persona("county_a"))
    answer = client.post(API, {**body, "person": plain.pk}, content_type="application/json")
    assert answer.status_code == 400
    assert "not a registered information officer" in answer.content.decode()
    future = {**body, "date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}
    assert client.post(API, future, content_type="application/json").status_code == 400
    assert not OfficerActivity.objects.filter(person__in=[person, plain]).exists()


# --- activity by Excel ------------------------------------------------------------------------


def _upload(client, rows):
    headers = [col.header for col in activity_columns()]
    response = client.post(
        reverse("core:import_start", args=["people.officeractivity"]),
        {"file": workbook(rows, headers=headers)},
    )
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_import_reports_each_bad_row_and_writes_all_or_nothing(as_persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = officer("510104", "51010419910505001")
    b = officer("510703", "51070319910505002")
    client = as_persona("county_a")
    good = [valid_id("51010419910505001"), "2026-10-03", "wechat", "秋防", "", "300", "12", "k1"]
    bad = [
        [valid_id("51070319910505002"), "2026-10-03", "wechat", "外县", "", "1", "1", ""],
        [valid_id("51010419910505001"), "2026-13-03", "wechat", "坏日期", "", "1", "1", ""],
        [valid_id("51010419910505001"), "2026-10-03", "pigeon", "坏渠道", "", "1", "1", ""],
        [valid_id("51010419910505001"), "2026-10-03", "wechat", "坏数", "", "-4", "x", ""],
    ]
    job = _upload(client, [good, *bad])
    assert job.status != "validated"
    rows_with_errors = {e["row"] for e in job.errors}
    assert rows_with_errors == {3, 4, 5, 6}
    assert not OfficerActivity.objects.filter(person__in=[a, b]).exists()
    job = _upload(client, [good, [*good[:3], "第二条", "https://kepu.example/2", "40", "2", ""]])
    assert job.status == "validated", job.errors
    client.post(reverse("core:import_job_confirm", args=[job.pk]))
    assert OfficerActivity.objects.filter(person=a, source="import").count() == 2
    assert OfficerPersonMonth.objects.get(person=a, month=MONTH).shares == 14
    assert AuditEntry.objects.filter(action="people.officeractivity.imported").exists()
    # The same file again: the keyed row is skipped, the unkeyed one is written again.
    job = _upload(client, [good])
    assert job.status == "validated"


# --- log, monthly figures, rankings, feedback -------------------------------------------------


def test_log_is_scoped_and_an_officer_sees_their_own(as_persona):
    a = officer("510104", "51010419910606001", name="甲信息员")
    b = officer("510703", "51070319910606002", name="乙信息员")
    share(a), share(b)
    page = as_persona("county_a").get(reverse("people:officer_activity_list"), {"month": "2026-10"})
    names = {row.person.name for row in page.context["page"]}
    assert "甲信息员" in names and "乙信息员" not in names
    own = as_persona("volunteer").get(reverse("people:officer_activity_list"))
    assert own.status_code == 200 and not [r for r in own.context["page"] if r.person_id == a.pk]
    export = as_persona("county_a").get(reverse("people:officer_activity_export"))
    assert export.status_code == 200
    assert AuditEntry.objects.filter(action="people.officeractivity.exported").exists()


def test_monthly_figures_ranks_and_the_feedback(as_persona):
    a = officer("510104", "51010419910707001")
    for n in range(3):
        share(a, views=900_000, shares=90_000, key=f"m{n}")
    compute_month(MONTH)
    jinjiang = OfficerMonth.objects.get(region__code="510104", month=MONTH)
    raw = Registration.objects.filter(
        region__path__startswith="51/5101/510104/", kind="info_officer", status="certified",
        start_date__lt=datetime.date(2026, 11, 1),
    ).count()  # fmt: skip
    assert jinjiang.registrations == raw and jinjiang.shares >= 270_000
    assert jinjiang.rank_shares == 1 and jinjiang.siblings == Region.objects.filter(
        parent__code="5101").count()  # fmt: skip
    province = OfficerMonth.objects.get(region__code="51", month=MONTH)
    assert province.shares == sum(
        OfficerMonth.objects.filter(parent__code="51", month=MONTH).values_list("shares", flat=True)
    )
    city = english(as_persona("city"))
    page = city.get(reverse("people:officer_rankings"),
                    {"region": "5101", "month": "2026-10", "by": "shares"})  # fmt: skip
    assert page.context["rows"][0].region.code == "510104"
    assert any(p.person_id == a.pk for p in page.context["people"])
    feedback = city.get(reverse("people:officer_feedback"), {"region": "5101", "month": "2026-10"})
    assert "Send to the regions below" in feedback.content.decode()
    # County A may not send the city's feedback (outside its scope), nor its own (no regions
    # below are ranked): nothing is written.
    county = english(as_persona("county_a"))
    data = {"region": "5101", "month": "2026-10"}
    assert county.post(reverse("people:officer_feedback_send"), data).status_code == 404
    county.post(reverse("people:officer_feedback_send"), {**data, "region": "510104"})
    assert not OfficerFeedback.objects.filter(month=MONTH).exists()
    response = city.post(reverse("people:officer_feedback_send"), {**data, "note": "请补齐"})
    assert response.status_code == 302
    sent = OfficerFeedback.objects.get(region__code="5101", month=MONTH)
    assert sent.recipients == Region.objects.filter(parent__code="5101").count()
    assert AuditEntry.objects.filter(action="people.officerfeedback.issued").exists()
    # County A sees the reminder on its workbench and the feedback page says it was sent.
    received = county.get(
        reverse("people:officer_feedback"), {"region": "510104", "month": "2026-10"}
    )
    assert "The region above sent this feedback" in received.content.decode()
    export = city.get(
        reverse("people:officer_feedback_export"), {"region": "5101", "month": "2026-10"}
    )
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_per_10k_uses_the_shipped_census_population(as_persona):
    from kepu.core.census import census_population, load_population

    figures = census_population()
    assert figures["51"] == 83_674_866
    assert sum(v for k, v in figures.items() if len(k) == 6) == 83_674_866
    chengdu = sum(v for k, v in figures.items() if k.startswith("5101") and len(k) == 6)
    assert chengdu == figures["5101"] == 20_937_757
    load_population()
    assert Region.objects.get(code="510104").population == 902_933
    compute_month(MONTH)
    row = OfficerMonth.objects.get(region__code="510104", month=MONTH)
    assert row.population == 902_933 and row.per_10k is not None and row.rank_per_10k
