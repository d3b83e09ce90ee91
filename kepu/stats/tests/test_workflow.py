"""The workflow area through HTTP with the personas: rounds, assigning units, the
county's review (four-eyes), approval up the tree, the lock and its exceptions,
completeness and the validation report."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.core import clock
from kepu.core.errors import StateConflict
from kepu.core.models import AuditEntry, Organization, Region, User
from kepu.stats import choices as c
from kepu.stats.models import LockException, RegionApproval, Return, SurveyRound
from kepu.stats.services import approvals, assignment, returns
from kepu.stats.tables import load_data_set
from kepu.stats.tests.helpers import GOOD, make_round

pytestmark = pytest.mark.django_db
S = c.ReturnStatus


@pytest.fixture
def en(as_persona):
    def make(name):
        client = as_persona(name)
        client.cookies["django_language"] = "en"
        return client

    return make


def region(code):
    return Region.objects.get(code=code)


def officer(name="demo-county-a"):
    return User.objects.get(username=name)


def assigned(survey, code, types=("kx", "school")):
    assignment.assign_units(survey, region(code), list(types), actor=None)
    return {
        r.organization.name: r
        for r in Return.objects.filter(round=survey, region__code=code).select_related(
            "organization"
        )
    }


def submitted(ret, values=GOOD):
    """Filled and submitted by the system (nobody's four-eyes applies)."""
    returns.save_values(ret, values, actor=None)
    return returns.submit(ret, actor=None)


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_province_creates_opens_and_closes_a_round(en):
    load_data_set(2025)
    province = en("province")
    data = {
        "data_set": load_data_set(2025).pk, "year": 2025, "title": "2025年度科普统计",
        "opens_on": "2026-03-01", "units_due": "2026-03-31", "county_due": "2026-04-10",
        "city_due": "2026-04-20", "province_due": "2026-04-30",
    }  # fmt: skip
    assert en("county_a").get(reverse("stats:round_create")).status_code == 403
    bad = province.post(reverse("stats:round_create"), {**data, "county_due": "2026-03-01"})
    assert bad.status_code == 400
    assert "must not be before the previous one" in bad.content.decode()
    response = province.post(reverse("stats:round_create"), data)
    survey = SurveyRound.objects.get(title="2025年度科普统计")
    assert response.status_code == 302 and survey.region.code == "51"
    assert AuditEntry.objects.filter(action="stats.surveyround.created").exists()
    again = province.post(reverse("stats:round_create"), {**data, "title": "重复"})
    assert again.status_code == 400 and "already has a survey" in again.content.decode()
    assert en("county_a").post(reverse("stats:round_open", args=[survey.pk])).status_code == 403
    province.post(reverse("stats:round_open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == c.RoundStatus.OPEN
    page = en("county_a").get(reverse("stats:round_list"))
    assert page.status_code == 200 and "2025年度科普统计" in page.content.decode()
    detail = en("county_b").get(reverse("stats:round_detail", args=[survey.pk]))
    assert detail.status_code == 200 and "Progress in" in detail.content.decode()
    province.post(reverse("stats:round_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == c.RoundStatus.CLOSED


def test_county_assigns_its_units_and_removes_one(en):
    survey = make_round()
    county_a = en("county_a")
    url = reverse("stats:round_assign", args=[survey.pk])
    refused = en("county_b").post(url, {"region": "510104", "org_types": ["kx"],
                                        "dept_category": "02"})  # fmt: skip
    assert refused.status_code == 400 and not Return.objects.exists()
    response = county_a.post(
        url, {"region": "510104", "org_types": ["kx", "school", "community"], "dept_category": "02"}
    )
    assert response.status_code == 302
    rows = {r.organization.name: r for r in Return.objects.select_related("organization")}
    assert set(rows) == {"锦江区科学技术协会", "成都石室中学", "锦官驿街道水井坊社区居民委员会"}
    # The township's community answers to its county; nobody has an account there.
    assert {r.region.code for r in rows.values()} == {"510104"}
    assert all(r.filled_by_region and r.dept_category == "02" for r in rows.values())
    assert AuditEntry.objects.filter(action="stats.surveyround.assigned").count() == 1
    # Again: nothing assigned twice.
    county_a.post(url, {"region": "510104", "org_types": ["kx"], "dept_category": "02"})
    assert Return.objects.count() == 3
    ret = rows["成都石室中学"]
    assert en("county_b").post(reverse("stats:return_remove", args=[ret.pk])).status_code == 404
    county_a.post(reverse("stats:return_remove", args=[ret.pk]))
    assert not Return.objects.filter(pk=ret.pk).exists()
    started = rows["锦江区科学技术协会"]
    returns.save_values(started, {"KR100": "3"}, actor=None)
    page = county_a.post(reverse("stats:return_remove", args=[started.pk]), follow=True)
    assert "has not started" in messages_of(page) and Return.objects.filter(pk=started.pk).exists()


def test_venues_file_their_own_return_and_staffed_units_fill_themselves():
    survey = make_round()
    assignment.assign_units(survey, region("51"), ["venue", "member"], actor=None)
    venue = Return.objects.get(round=survey, organization__name="绵阳科技馆")
    assert venue.is_venue and venue.region.code == "5107"
    staffed = Return.objects.get(round=survey, organization__name="四川省教育厅")
    assert not staffed.filled_by_region and not staffed.is_venue


def test_returns_list_is_scoped_filtered_and_exported(en):
    survey = make_round()
    a = assigned(survey, "510104")
    assigned(survey, "510703")
    submitted(a["锦江区科学技术协会"])
    returns.save_values(a["成都石室中学"], {**GOOD, "KJ100": "1"}, actor=None)
    url = reverse("stats:return_list", args=[survey.pk])
    page = en("county_a").get(url).content.decode()
    assert "锦江区科学技术协会" in page and "涪城区科学技术协会" not in page
    page = en("county_b").get(url).content.decode()
    assert "锦江区科学技术协会" not in page and "涪城区科学技术协会" in page
    province = en("province")
    page = province.get(url, {"errors": "true"}).content.decode()
    assert "成都石室中学" in page and "锦江区科学技术协会" not in page
    page = province.get(url, {"status": "submitted"}).content.decode()
    assert "锦江区科学技术协会" in page and "成都石室中学" not in page
    page = province.get(url, {"region": "510703"}).content.decode()
    assert "涪城区科学技术协会" in page and "锦江区" not in page
    outside = en("county_b").get(url, {"region": "510104"})
    assert outside.status_code == 200 and "锦江区科学技术协会" not in outside.content.decode()
    sheet = en("county_a").get(url, {"format": "xlsx"})
    assert sheet.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(sheet.streaming_content)))
    cells = [row for row in book.get_sheet_by_index(0).to_python()]
    names = {row[0] for row in cells[1:]}
    assert names == {"锦江区科学技术协会", "成都石室中学"}


def test_county_reviews_with_four_eyes(en):
    survey = make_round()
    a = assigned(survey, "510104")
    b = assigned(survey, "510703")
    unit = a["锦江区科学技术协会"]
    # The county officer filled and submitted it for the unit: another officer accepts.
    returns.save_values(unit, GOOD, actor=officer())
    returns.submit(unit, actor=officer())
    county_a = en("county_a")
    page = county_a.get(reverse("stats:return_list", args=[survey.pk])).content.decode()
    assert "You submitted this yourself" in page
    response = county_a.post(reverse("stats:return_accept", args=[unit.pk]), follow=True)
    assert "You submitted this yourself" in messages_of(response)
    unit.refresh_from_db()
    assert unit.status == S.SUBMITTED
    # County B reaches neither the return nor its acceptance.
    assert en("county_b").post(reverse("stats:return_accept", args=[unit.pk])).status_code == 404
    assert en("member").post(reverse("stats:return_accept", args=[unit.pk])).status_code == 403
    en("city").post(reverse("stats:return_accept", args=[unit.pk]))
    unit.refresh_from_db()
    assert unit.status == S.ACCEPTED
    # Sending back needs a reason.
    school = submitted(a["成都石室中学"])
    no_reason = county_a.post(reverse("stats:return_send_back", args=[school.pk]), follow=True)
    assert "Give the reason" in messages_of(no_reason)
    county_a.post(reverse("stats:return_send_back", args=[school.pk]), {"reason": "KR130 有误"})
    school.refresh_from_db()
    assert school.status == S.RETURNED
    assert school.events.get(action=c.EventAction.RETURN).reason == "KR130 有误"
    # Bulk: the clean submitted ones in reach; county B's are left as they were.
    other = submitted(b["涪城区科学技术协会"])
    again = submitted(school)
    county_a.post(
        reverse("stats:return_bulk_accept", args=[survey.pk]), {"ids": [again.pk, other.pk]}
    )
    again.refresh_from_db()
    other.refresh_from_db()
    assert again.status == S.ACCEPTED and other.status == S.SUBMITTED


def _approve(client, survey, code):
    return client.post(
        reverse("stats:approval_approve", args=[survey.pk, region(code).pk]), follow=True
    )


def _status(survey, code):
    row = RegionApproval.objects.filter(round=survey, region__code=code).first()
    return row.status if row else None


def test_approval_up_the_tree(en):
    survey = make_round()
    a = assigned(survey, "510104", ["kx"])
    b = assigned(survey, "510703", ["kx"])
    for ret in (*a.values(), *b.values()):
        returns.accept(submitted(ret), actor=None)
    city, province, county_a = en("city"), en("province"), en("county_a")
    # The city cannot approve before its county (the page says why).
    page = city.get(reverse("stats:approval", args=[survey.pk])).content.decode()
    assert "Not approved yet below" in page and "锦江区" in page
    assert "Not approved yet below" in messages_of(_approve(city, survey, "5101"))
    assert _status(survey, "5101") != c.ApprovalStatus.APPROVED
    # County B reaches not county A; the city does not approve county A for it.
    assert _approve(en("county_b"), survey, "510104").status_code == 404
    assert _approve(city, survey, "510104").status_code == 403
    assert _status(survey, "510104") is None
    _approve(county_a, survey, "510104")
    assert _status(survey, "510104") == c.ApprovalStatus.APPROVED
    # The city returns it: it reopens and the county can send a unit's return back.
    url = reverse("stats:approval_send_back", args=[survey.pk, region("510104").pk])
    assert county_a.post(url, {"reason": "自己退回"}).status_code == 403
    city.post(url, {"reason": "请复核经费"})
    assert _status(survey, "510104") == c.ApprovalStatus.RETURNED
    page = county_a.get(reverse("stats:approval", args=[survey.pk])).content.decode()
    assert "请复核经费" in page
    unit = a["锦江区科学技术协会"]
    county_a.post(reverse("stats:return_send_back", args=[unit.pk]), {"reason": "经费来源有误"})
    unit.refresh_from_db()
    assert unit.status == S.RETURNED
    returns.accept(submitted(unit), actor=None)
    _approve(county_a, survey, "510104")
    _approve(city, survey, "5101")
    assert _status(survey, "5101") == c.ApprovalStatus.APPROVED
    # The province waits for 绵阳 (its county has not approved).
    assert "Not approved yet below" in messages_of(_approve(province, survey, "51"))
    _approve(en("county_b"), survey, "510703")
    approvals.approve(survey, region("5107"), actor=None)
    _approve(province, survey, "51")
    assert _status(survey, "51") == c.ApprovalStatus.APPROVED


def test_lock_and_exceptions(en):
    survey = make_round(units_due=datetime.date(2026, 5, 31))
    a = assigned(survey, "510104", ["kx", "school"])
    unit = a["锦江区科学技术协会"]
    with clock.frozen(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC)):
        with pytest.raises(StateConflict):
            returns.save_values(unit, {"KR100": "3"}, actor=None)
        url = reverse("stats:exception_grant", args=[survey.pk])
        assert en("county_b").post(url, {"target": "ret", "unit": unit.pk, "until": "2026-06-20",
                                         "reason": "x"}).status_code == 400  # fmt: skip
        # A region's exception comes from the level above: not from its own officers.
        own = en("county_a").post(url, {"target": "region", "region": "510104",
                                        "until": "2026-06-20", "reason": "补报"})  # fmt: skip
        assert own.status_code == 400 and "level above" in own.content.decode()
        assert not LockException.objects.exists()
        response = en("county_a").post(
            url, {"target": "ret", "unit": unit.pk, "until": "2026-06-20", "reason": "系统故障补报"}
        )
        assert response.status_code == 302
        returns.save_values(unit, {"KR100": "3"}, actor=None)
        listed = en("county_a").get(reverse("stats:return_list", args=[survey.pk]))
        assert listed.content.decode().count("data-excepted") == 1
        school = a["成都石室中学"]
        with pytest.raises(StateConflict):
            returns.save_values(school, {"KR100": "3"}, actor=None)
        en("city").post(url, {"target": "region", "region": "510104", "until": "2026-06-20",
                              "reason": "全区延期"})  # fmt: skip
        returns.save_values(school, {"KR100": "3"}, actor=None)
        listed = en("county_a").get(reverse("stats:return_list", args=[survey.pk]))
        assert listed.content.decode().count("data-excepted") == 2
        page = en("county_a").get(reverse("stats:exception_list", args=[survey.pk]))
        assert "系统故障补报" in page.content.decode() and "全区延期" in page.content.decode()
    assert AuditEntry.objects.filter(action="stats.lockexception.created").count() == 2


def test_completeness_numbers(en):
    survey = make_round(units_due=datetime.date(2026, 5, 31))
    a = assigned(survey, "510104", ["kx", "school", "community", "enterprise"])
    b = assigned(survey, "510703", ["kx", "school"])
    with clock.frozen(datetime.datetime(2026, 5, 20, 9, tzinfo=datetime.UTC)):
        returns.accept(submitted(a["锦江区科学技术协会"]), actor=None)  # on time, accepted
        submitted(a["成都石室中学"])  # on time, submitted
        returns.save_values(a["锦江区天府新谷科技有限公司"], {"KR100": "1"}, actor=None)
        submitted(b["涪城区科学技术协会"])
    with clock.frozen(datetime.datetime(2026, 6, 2, 9, tzinfo=datetime.UTC)):
        school = returns.accept(a["成都石室中学"], actor=None)
        returns.send_back(school, actor=None, reason="复核")  # returned after the deadline
        response = en("province").get(reverse("stats:completeness", args=[survey.pk]))
        rows = {r.region.code: r for r, _name in response.context["rows"]}
        total = response.context["total"]
        assert set(rows) == {"5101", "5107"}
        chengdu = rows["5101"]
        assert (chengdu.assigned, chengdu.accepted, chengdu.returned, chengdu.draft,
                chengdu.not_started) == (4, 1, 1, 1, 1)  # fmt: skip
        assert chengdu.on_time == 1 and chengdu.overdue == 3  # deadline passed, not submitted
        assert chengdu.completeness == 25.0 and chengdu.timeliness == 25.0
        assert (rows["5107"].assigned, rows["5107"].submitted, rows["5107"].on_time) == (2, 1, 1)
        assert total.assigned == 6 and total.accepted == 1 and total.overdue == 4
        drill = en("city").get(reverse("stats:completeness", args=[survey.pk]),
                               {"region": region("510104").pk})  # fmt: skip
        assert drill.context["total"].assigned == 4
        assert en("county_b").get(reverse("stats:completeness", args=[survey.pk]),
                                  {"region": region("510104").pk}).status_code == 404  # fmt: skip
        sheet = en("province").get(reverse("stats:completeness", args=[survey.pk]),
                                   {"format": "xlsx"})  # fmt: skip
        assert sheet.status_code == 200
        round_list = en("city").get(reverse("stats:round_list"))
        assert "data-overdue" in round_list.content.decode()


def test_validation_report_counts_per_rule(en):
    survey = make_round()
    a = assigned(survey, "510104", ["kx", "school"])
    returns.save_values(a["锦江区科学技术协会"], {**GOOD, "KJ100": "1"}, actor=None)
    returns.save_values(a["成都石室中学"], {**GOOD, "KJ100": "2"}, actor=None)
    response = en("city").get(reverse("stats:validation_report", args=[survey.pk]))
    rules = {r["rule"]: r["count"] for r in response.context["rules"]}
    assert rules["rule:R03"] == 2
    assert len(response.context["listed"]) == 2
    assert (
        en("county_b").get(reverse("stats:validation_report", args=[survey.pk])).context["listed"]
        == []
    )


def test_many_units_are_assigned_by_a_job_with_progress(en, monkeypatch):
    from kepu.core.models import Job

    monkeypatch.setattr(assignment, "ASYNC_ABOVE", 2)
    survey = make_round()
    response = en("city").post(
        reverse("stats:round_assign", args=[survey.pk]),
        {"region": "5101", "org_types": ["kx", "school", "venue"], "dept_category": "30"},
    )
    job = Job.objects.get(kind="stats.assign")
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    assert job.status == "succeeded" and job.result["assigned"] > 2
    assert Return.objects.filter(round=survey).count() == job.result["assigned"]
    assert not Return.objects.filter(round=survey).exclude(region__code__startswith="5101")


def test_workbench_items():
    from kepu.stats import workbench as wb

    survey = make_round(units_due=datetime.date(2026, 5, 31))
    a = assigned(survey, "510104", ["kx", "school"])
    with clock.frozen(datetime.datetime(2026, 5, 20, 9, tzinfo=datetime.UTC)):
        returns.accept(submitted(a["锦江区科学技术协会"]), actor=None)
        submitted(a["成都石室中学"])
    with clock.frozen(datetime.datetime(2026, 6, 2, 9, tzinfo=datetime.UTC)):
        items = {i.key: i for i in wb.stats_workflow(officer(), None) if i}
        assert items[f"stats.accept.{survey.pk}"].count == 1
        assert f"stats.approve.{survey.pk}" not in items  # the school is not accepted
        returns.accept(Return.objects.get(pk=a["成都石室中学"].pk), actor=None)
        items = {i.key: i for i in wb.stats_workflow(officer(), None) if i}
        assert items[f"stats.approve.{survey.pk}"].count == 1
        assert f"stats.overdue.{survey.pk}" not in items
        assigned(survey, "510104", ["community"])
        items = {i.key: i for i in wb.stats_workflow(officer(), None) if i}
        assert items[f"stats.overdue.{survey.pk}"].count == 1
        assert not list(wb.stats_workflow(officer("demo-member"), None))
    assert Organization.objects.exists()


def test_api_rounds_and_completeness(as_persona):
    survey = make_round()
    a = assigned(survey, "510104", ["kx", "school"])
    returns.accept(submitted(a["锦江区科学技术协会"]), actor=None)
    assigned(survey, "510703", ["kx"])
    province = as_persona("province")
    rounds_ = province.get(reverse("api:stats-round-list")).json()
    assert [r["id"] for r in rounds_["results"]] == [survey.pk]
    url = reverse("api:stats-round-completeness", args=[survey.pk])
    body = province.get(url).json()
    assert body["region"] == "51" and body["total"]["assigned"] == 3
    assert {r["region"]: r["accepted"] for r in body["rows"]} == {"5101": 1, "5107": 0}
    county = province.get(url, {"region": region("510104").pk}).json()
    assert county["total"]["completeness"] == 50.0
    assert as_persona("county_b").get(url, {"region": region("510104").pk}).status_code == 404
    close = reverse("api:stats-round-close", args=[survey.pk])
    assert as_persona("city").post(close).status_code == 403
    closed = province.post(close)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
