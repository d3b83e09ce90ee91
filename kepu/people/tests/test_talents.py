"""Talent evaluation through its pages: a round, an application with the record assembled
from the registries (frozen when submitted), the unit's recommendation and the region's
scoring under four-eyes, the ranking, and the results written on the people."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kepu.core.models import AuditEntry, User
from kepu.core.testing import fingerprint
from kepu.people import services as people_services
from kepu.people.models import EvaluationRound, HighLevelTalent, ServiceRecord, TalentApplication
from kepu.people.talents import services
from kepu.people.tests.authz import valid_id
from kepu.people.tests.talent_fixtures import honour_round, person, region, rubric

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def last_message(response):
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_a_round_is_created_and_opened_on_its_pages(as_persona):
    province = english(as_persona("province"))
    sheet = rubric()
    response = province.post(
        reverse("people:talent_round_create"),
        {
            "name": "2026年科学传播专业高级职称评审",
            "region": "51",
            "kind": "title",
            "year": "2026",
            "title_level": "deputy",
            "title": "高级工程师（科学传播）",
            "opens_on": "2026-03-01",
            "closes_on": "2026-05-31",
            "min_hours": "0",
            "quota": "0",
            "pass_mark": "60",
            "rubric": sheet.pk,
        },
    )
    assert response.status_code == 302
    rnd = EvaluationRound.objects.get(name="2026年科学传播专业高级职称评审")
    assert rnd.status == "draft" and rnd.created_by.username == "demo-province"
    # An honour round without its honour is refused field by field.
    refused = province.post(
        reverse("people:talent_round_create"),
        {"name": "缺荣誉", "region": "51", "kind": "honour", "year": "2026",
         "opens_on": "2026-03-01", "closes_on": "2026-05-31", "min_hours": "0", "quota": "0",
         "pass_mark": "60"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Choose the honour the round awards." in refused.content.decode()
    opened = province.post(reverse("people:talent_round_open", args=[rnd.pk]))
    assert opened.status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == "open"
    page = province.get(reverse("people:talent_round_detail", args=[rnd.pk])).content.decode()
    assert "Close and review" in page and "高级工程师（科学传播）" in page
    listing = province.get(reverse("people:talent_round_list")).content.decode()
    assert "2026年科学传播专业高级职称评审" in listing
    # A county officer reads the province's open call (and may file into it).
    county = english(as_persona("county_a"))
    assert county.get(reverse("people:talent_round_detail", args=[rnd.pk])).status_code == 200
    assert county.post(reverse("people:talent_round_close", args=[rnd.pk])).status_code == 403


def test_application_review_ranking_and_results(as_persona):
    rnd = honour_round(quota=1)
    first = person("评审甲", "51010419800101001", phone="13800000001", title="教授")
    second = person("评审乙", "51010419800101002")
    people_services.add_record(
        "training", first, actor=None, course="科普讲解员培训", hours=Decimal("16"),
        date=datetime.date(2025, 6, 1),
    )  # fmt: skip
    people_services.add_record(
        "honour", first, actor=None, honour="advanced", year=2024, awarded_by="成都市科协"
    )
    county_a = english(as_persona("county_a"))
    # The county officer files for a person of their county (by document number).
    response = county_a.post(
        reverse("people:talent_application_create", args=[rnd.pk]),
        {"person": valid_id("51010419800101001"), "statement": "长期开展地震科普进校园。"},
    )
    assert response.status_code == 302
    application = TalentApplication.objects.get(person=first)
    assert application.status == "draft" and application.submitted_by.username == "demo-county-a"
    # The record is assembled from the registries, each item naming its source.
    detail = county_a.get(reverse("people:talent_application_detail", args=[application.pk]))
    page = detail.content.decode()
    assert "科普讲解员培训" in page and "Training records" in page and "Honours registry" in page
    assert "138****0001" in page and "13800000001" not in page
    # A self-declared item with an attachment.
    pdf = SimpleUploadedFile("讲座.pdf", b"%PDF-1.4 talk", content_type="application/pdf")
    added = county_a.post(
        reverse("people:talent_item_add", args=[application.pk]),
        {"title": "省电视台科普访谈", "date": "2025-09-01", "attachment": pdf},
    )
    assert added.status_code == 302
    item = application.items.get()
    assert (
        county_a.get(reverse("people:talent_item_file", args=[application.pk, item.pk])).status_code
        == 200
    )
    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    refused = county_a.post(
        reverse("people:talent_item_add", args=[application.pk]), {"title": "假", "attachment": bad}
    )
    assert refused.status_code == 400 and application.items.count() == 1
    assert (
        county_a.post(
            reverse("people:talent_application_submit", args=[application.pk])
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.figures["trainings"] == "1" and application.figures["honours"] == "1"
    assert application.figures["self_declared"] == "1"
    sources = {item["source"] for item in application.evidence}
    assert {"training", "honours", "self"} <= sources
    # Frozen: a training added later does not change the submitted record.
    people_services.add_record(
        "training", first, actor=None, course="后来的培训", hours=Decimal("4"),
        date=datetime.date(2026, 2, 1),
    )  # fmt: skip
    page = county_a.get(
        reverse("people:talent_application_detail", args=[application.pk])
    ).content.decode()
    assert "后来的培训" not in page and "Frozen when submitted." in page
    # Four-eyes: the officer who filed it does not recommend it; nothing changes.
    before = fingerprint()
    response = county_a.post(reverse("people:talent_application_recommend", args=[application.pk]))
    assert response.status_code == 302
    assert last_message(response) == "You filed this application; another officer must review it."
    assert fingerprint() == before
    city = english(as_persona("city"))
    assert (
        city.post(reverse("people:talent_application_recommend", args=[application.pk])).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "recommended"
    assert application.recommended_by.username == "demo-city"
    # A second application, by the system, recommended too.
    other = services.create_application(rnd, actor=None, person=second, statement="科普志愿者。")
    services.submit_application(other, actor=None)
    services.recommend_application(other, actor=None)
    # Scoring waits for the round to close.
    province = english(as_persona("province"))
    manual = {"c_quality": "22", "c_influence": "12", "comment": "事迹突出"}
    early = province.post(reverse("people:talent_application_score", args=[application.pk]), manual)
    assert early.status_code == 400
    assert "This application is not awaiting scores." in early.content.decode()
    assert province.post(reverse("people:talent_round_close", args=[rnd.pk])).status_code == 302
    # The recommender does not score it.
    before = fingerprint()
    response = city.post(reverse("people:talent_application_score", args=[application.pk]), manual)
    assert response.status_code == 400
    assert "You recommended this application" in response.content.decode()
    assert fingerprint() == before
    # Out-of-range manual points are refused on the form.
    too_many = province.post(
        reverse("people:talent_application_score", args=[application.pk]),
        {"c_quality": "40", "c_influence": "12"},
    )
    assert too_many.status_code == 400
    assert (
        province.post(
            reverse("people:talent_application_score", args=[application.pk]), manual
        ).status_code
        == 302
    )
    services.score_application(
        other, actor=User.objects.get(username="demo-province"),
        values={"quality": 10, "influence": 5},
    )  # fmt: skip
    application.refresh_from_db()
    # Training 16 h → 60 % of 10, one honour → 5, quality 22, influence 12: 45.
    assert application.score == Decimal("45.00") and application.sheet_count == 1
    ranking = province.get(reverse("people:talent_round_ranking", args=[rnd.pk])).content.decode()
    assert "Provisional" in ranking and ranking.index("评审甲") < ranking.index("评审乙")
    # Publication: pass mark 60 → nobody reaches it with these scores; lower it first is not
    # possible on a round under review, so publish and check that nobody is approved.
    assert province.post(reverse("people:talent_round_publish", args=[rnd.pk])).status_code == 302
    rnd.refresh_from_db()
    application.refresh_from_db()
    assert rnd.status == "published" and application.rank == 1
    assert application.status == "not_awarded"
    assert not first.honours.filter(honour="tianfu").exists()
    assert (
        province.get(reverse("people:talent_round_ranking_export", args=[rnd.pk])).status_code
        == 200
    )


def test_publication_writes_the_honour_and_the_title(as_persona):
    honour = honour_round(status="open", pass_mark=Decimal("10"))
    title = services.create_round(
        actor=None, name="科学传播职称", region=region("51"), kind="title",
        title_level="deputy", title="副研究员（科学传播）", year=2026,
        opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 12, 31),
        rubric=honour.rubric, pass_mark=Decimal("10"),
    )  # fmt: skip
    services.open_round(title, actor=None)
    someone = person("结果丙", "51010419800101003")
    reviewer = User.objects.get(username="demo-province")
    for rnd in (honour, title):
        rnd.refresh_from_db()
        application = services.create_application(
            rnd, actor=None, person=someone, statement="科普工作。"
        )
        services.submit_application(application, actor=None)
        services.recommend_application(application, actor=None)
        services.close_round(rnd, actor=None)
        services.score_application(
            application, actor=reviewer, values={"quality": 20, "influence": 10}
        )
    province = english(as_persona("province"))
    for rnd in (honour, title):
        response = province.post(reverse("people:talent_round_publish", args=[rnd.pk]))
        assert last_message(response) == "The results are published and recorded."
    someone.refresh_from_db()
    assert someone.honours.get().honour == "tianfu"
    assert someone.title_level == "deputy" and someone.title == "副研究员（科学传播）"
    assert AuditEntry.objects.filter(action="people.talentapplication.awarded").count() == 2
    # Published rounds cannot be published again (409 in the API, a message on the page).
    with pytest.raises(Exception, match="under review"):
        services.publish_round(honour, actor=None)


def test_min_hours_and_round_state_refusals(as_persona):
    rnd = honour_round(min_hours=Decimal("50"))
    someone = person("时长丁", "51010419800101004")
    application = services.create_application(rnd, actor=None, person=someone, statement="x")
    county_a = english(as_persona("county_a"))
    response = county_a.post(reverse("people:talent_application_submit", args=[application.pk]))
    assert "at least 50 approved service hours" in last_message(response)
    application.refresh_from_db()
    assert application.status == "draft"
    # County B cannot see it at all.
    county_b = as_persona("county_b")
    url = reverse("people:talent_application_detail", args=[application.pk])
    assert county_b.get(url).status_code == 404
    # The same person twice in a round is refused.
    again = county_a.post(
        reverse("people:talent_application_create", args=[rnd.pk]),
        {"person": valid_id("51010419800101004"), "statement": "再次"},
    )
    assert again.status_code == 400
    assert "already applied in this round" in again.content.decode()


def test_the_volunteer_applies_for_themself(as_persona):
    rnd = honour_round()
    volunteer = english(as_persona("volunteer"))
    assert volunteer.get(reverse("people:talent_round_detail", args=[rnd.pk])).status_code == 200
    response = volunteer.post(
        reverse("people:talent_application_create", args=[rnd.pk]),
        {"statement": "我参加了很多科普志愿服务。"},
    )
    assert response.status_code == 302
    application = TalentApplication.objects.get(round=rnd)
    assert application.person.user.username == "demo-volunteer"
    assert (
        volunteer.post(
            reverse("people:talent_application_submit", args=[application.pk])
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    # Their own application: they see it, and cannot recommend it.
    assert (
        volunteer.post(
            reverse("people:talent_application_recommend", args=[application.pk])
        ).status_code
        == 403
    )


def test_high_level_talent_service(as_persona):
    talent_person = person("院士戊", "51010419500101005", phone="13800000005", title="院士")
    county_a = english(as_persona("county_a"))
    contact = User.objects.get(username="demo-county-a")
    response = county_a.post(
        reverse("people:talent_create"),
        {"person": valid_id("51010419500101005"), "category": "academician",
         "contact": contact.pk, "note": "每季度走访"},
    )  # fmt: skip
    assert response.status_code == 302
    talent = HighLevelTalent.objects.get(person=talent_person)
    assert talent.contact == contact and talent.last_contact_on is None
    listing = county_a.get(reverse("people:talent_list"), {"overdue": "6"}).content.decode()
    assert "院士戊" in listing and "Never contacted" in listing and "13800000005" not in listing
    recorded = county_a.post(
        reverse("people:talent_service_add", args=[talent.pk]),
        {"date": "2026-01-10", "kind": "need", "summary": "需要科普报告场地"},
    )
    assert recorded.status_code == 302
    talent.refresh_from_db()
    assert talent.last_contact_on == datetime.date(2026, 1, 10) and talent.open_needs == 1
    need = ServiceRecord.objects.get(talent=talent)
    assert county_a.post(reverse("people:talent_need_resolve", args=[need.pk])).status_code == 302
    talent.refresh_from_db()
    need.refresh_from_db()
    assert talent.open_needs == 0 and need.resolved_on is not None
    # A future date is refused; nothing changes.
    before = fingerprint()
    future = county_a.post(
        reverse("people:talent_service_add", args=[talent.pk]),
        {"date": "2999-01-01", "kind": "visit", "summary": "未来"},
    )
    assert future.status_code == 400 and fingerprint() == before
    # Cross-county: county B neither sees nor records.
    county_b = as_persona("county_b")
    assert county_b.get(reverse("people:talent_detail", args=[talent.pk])).status_code == 404
    assert (
        county_b.post(
            reverse("people:talent_service_add", args=[talent.pk]),
            {"date": "2026-01-11", "kind": "visit", "summary": "越权"},
        ).status_code
        == 404
    )
    assert "院士戊" not in county_b.get(reverse("people:talent_list")).content.decode()
    # The export and the API.
    assert county_a.get(reverse("people:talent_export")).status_code == 200
    api = county_a.get(reverse("api:talent-list"), {"overdue": "1"})
    assert api.status_code == 200
    names = [row["person_name"] for row in api.json()["results"]]
    assert "院士戊" in names
    row = next(r for r in api.json()["results"] if r["person_name"] == "院士戊")
    assert row["phone_masked"] == "138****0005"
    created = county_a.post(
        reverse("api:talent-services", args=[talent.pk]),
        {"date": "2026-02-01", "kind": "visit", "summary": "走访"},
        content_type="application/json",
    )
    assert created.status_code == 201


def test_workbench_reminds_the_contact():
    from kepu.core import workbench

    someone = person("提醒己", "51010419600101006")
    contact = User.objects.get(username="demo-county-a")
    services.add_talent(actor=None, person=someone, category="senior", contact=contact)
    items = [i for i in workbench.collect(contact, None) if i.key == "people.talents_to_contact"]
    assert items and items[0].count >= 1
