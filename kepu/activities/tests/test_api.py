"""The activities REST API: back-office scope, the workflow through services, conflicts,
check-in, masked sign-ups, campaigns and facilities."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.activities import services
from kepu.activities.models import (
    Activity,
    ActivityReport,
    Campaign,
    MobileFacility,
    ReviewDecision,
)
from kepu.core.models import AuditEntry, Region, User
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


def region(code):
    return Region.objects.get(code=code)


def make_activity(org, code, *, title="接口测试讲座", days=7, hours=2, status="draft", **fields):
    """An activity through the services, moved on to `status`."""
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    activity = services.create_activity(
        actor=None,
        title=title,
        organization=org,
        kind=fields.pop("kind", "lecture"),
        region=region(code),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        groups=fields.pop("groups", ["general"]),
        topics=fields.pop("topics", []),
        **fields,
    )
    if status in ("submitted", "published"):
        activity = services.submit_activity(activity, actor=None)
    if status == "published":
        activity = services.review_activity(activity, actor=None, step="approve")
    return activity


def published_with_signups(org, code="510703", **fields):
    fields.setdefault("capacity", 10)
    return make_activity(org, code, status="published", signup_required=True, **fields)


def post(client, name, pk=None, data=None):
    url = reverse(f"api:{name}", args=[pk] if pk is not None else None)
    return client.post(url, data or {}, content_type="application/json")


def new_activity_data(org, code="510104", **extra):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    return {
        "title": "接口新讲座",
        "organization": org.credit_code,
        "kind": "lecture",
        "region": code,
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "groups": ["youth", "elderly"],
        "topics": ["earthquake"],
        **extra,
    }


# --- scope ------------------------------------------------------------------------------


def test_the_list_shows_only_the_callers_scope_even_for_published_activities(as_persona, demo_orgs):
    mine = make_activity(demo_orgs["a"], "510104", title="锦江讲座", status="published")
    theirs = make_activity(demo_orgs["b"], "510703", title="涪城讲座", status="published")
    county_a = as_persona("county_a")
    listing = county_a.get(reverse("api:activity-list")).json()
    ids = {a["id"] for a in listing["results"]}
    assert mine.pk in ids and theirs.pk not in ids
    assert {"count", "next", "previous", "results"} <= set(listing)
    # Outside scope is a 404, like a missing row, even though the portal shows it.
    assert county_a.get(reverse("api:activity-detail", args=[theirs.pk])).status_code == 404
    assert county_a.get(reverse("api:activity-signups", args=[theirs.pk])).status_code == 404
    province = as_persona("province").get(reverse("api:activity-list")).json()
    assert {mine.pk, theirs.pk} <= {a["id"] for a in province["results"]}
    assert as_persona("volunteer").get(reverse("api:activity-list")).status_code == 403
    assert Client().get(reverse("api:activity-list")).status_code == 401


def test_token_authentication_reaches_the_same_scope(demo_orgs):
    theirs = make_activity(demo_orgs["b"], "510703", status="published")
    key = (
        Client()
        .post(
            reverse("api:token"),
            {"username": "demo-county-a", "password": settings.DEMO_PASSWORD},
            content_type="application/json",
        )
        .json()["token"]
    )
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:activity-list")).status_code == 200
    assert client.get(reverse("api:activity-detail", args=[theirs.pk])).status_code == 404


def test_filters_are_shared_with_the_page(as_persona, demo_orgs):
    quake = make_activity(demo_orgs["b"], "510703", title="地震避险讲座", topics=["earthquake"])
    farm = make_activity(
        demo_orgs["b"], "510703", title="农技培训", kind="training", groups=["farmers"], days=30
    )
    done = make_activity(demo_orgs["b"], "510703", title="已发布讲座", status="published")
    client = as_persona("county_b")
    url = reverse("api:activity-list")

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.json()
        return {a["id"] for a in response.json()["results"]}

    assert ids(topic="earthquake") >= {quake.pk} and farm.pk not in ids(topic="earthquake")
    assert farm.pk in ids(group="farmers") and quake.pk not in ids(group="farmers")
    assert ids(kind="training") >= {farm.pk} and quake.pk not in ids(kind="training")
    assert done.pk in ids(status="published") and quake.pk not in ids(status="published")
    assert quake.pk in ids(q="地震") and farm.pk not in ids(q="地震")
    assert quake.pk in ids(region="5107") and not ids(region="510104")
    soon = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    assert farm.pk not in ids(date_to=soon) and quake.pk in ids(date_to=soon)
    assert quake.pk not in ids(date_from=soon) and farm.pk in ids(date_from=soon)
    assert done.pk not in ids(overdue="true")
    assert client.get(url, {"status": "nonsense"}).status_code == 400


def test_list_endpoint_query_count(as_persona, demo_orgs, django_assert_max_num_queries):
    officer = User.objects.get(username="demo-county-a")
    for i in range(5):
        make_activity(demo_orgs["a"], "510104", title=f"讲座{i}", topics=["flood"])
        past = make_activity(
            demo_orgs["a"], "510104", title=f"往期{i}", status="published", days=-3
        )
        services.file_report(past, actor=officer, onsite_attendance=50, summary="顺利")
    client = as_persona("province")
    client.get(reverse("api:activity-list"))  # warm: the region tree's per-process copies
    with django_assert_max_num_queries(10):
        response = client.get(reverse("api:activity-list"))
    assert response.status_code == 200 and response.json()["count"] >= 10
    reported = [a for a in response.json()["results"] if a["report"]]
    assert len(reported) >= 5 and reported[0]["report"]["filed_by"]


# --- the workflow -----------------------------------------------------------------------


def test_create_submit_approve_through_the_api(as_persona, demo_orgs):
    client = as_persona("county_a")
    response = post(client, "activity-list", data=new_activity_data(demo_orgs["a"]))
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["organization"] == demo_orgs["a"].pk
    assert body["region"] == "510104" and sorted(body["groups"]) == ["elderly", "youth"]
    assert body["topics"] == ["earthquake"] and body["report"] is None
    assert AuditEntry.objects.filter(action="activities.activity.created", object_id=str(pk))

    response = client.patch(
        reverse("api:activity-detail", args=[pk]),
        {"description": "面向社区居民", "topics": ["flood"], "status": "published"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    activity = Activity.objects.get(pk=pk)
    # Read-only fields are ignored (no mass assignment): only the workflow publishes.
    assert activity.status == "draft" and activity.description == "面向社区居民"
    assert activity.codes("topic") == ["flood"] and sorted(activity.codes("group")) == [
        "elderly",
        "youth",
    ]

    response = post(client, "activity-submit", pk)
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # Four-eyes (security #13): the submitter does not approve it; another officer does.
    response = post(client, "activity-approve", pk)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert Activity.objects.get(pk=pk).status == "submitted"
    response = post(as_persona("city"), "activity-approve", pk)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published" and response.json()["report_due"]
    activity.refresh_from_db()
    assert activity.submitted_by.username == "demo-county-a"
    assert activity.reviewed_by.username == "demo-city"
    assert list(
        AuditEntry.objects.filter(object_id=str(pk), action__startswith="activities.activity.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "activities.activity.created",
        "activities.activity.updated",
        "activities.activity.submitted",
        "activities.activity.approved",
    ]
    # Published activities are no longer editable: a state conflict.
    response = client.patch(
        reverse("api:activity-detail", args=[pk]), {"title": "改"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Activity.objects.get(pk=pk).title == "接口新讲座"


def test_the_organizer_is_given_by_id_or_credit_code_within_scope(as_persona, demo_orgs):
    client = as_persona("county_a")
    by_id = post(client, "activity-list", data=new_activity_data(demo_orgs["a"]))
    data = new_activity_data(demo_orgs["a"])
    data["organization"] = demo_orgs["a"].pk
    assert post(client, "activity-list", data=data).status_code == 201
    assert by_id.status_code == 201
    count = Activity.objects.count()
    outside_org = post(client, "activity-list", data=new_activity_data(demo_orgs["b"]))
    assert outside_org.status_code == 400 and "organization" in outside_org.json()["fields"]
    outside_region = post(client, "activity-list", data=new_activity_data(demo_orgs["a"], "510703"))
    assert outside_region.status_code == 400 and "region" in outside_region.json()["fields"]
    no_group = post(client, "activity-list", data=new_activity_data(demo_orgs["a"], groups=[]))
    assert no_group.status_code == 400 and "groups" in no_group.json()["fields"]
    backwards = new_activity_data(demo_orgs["a"])
    backwards["ends_at"] = "2020-01-01T10:00:00+08:00"
    assert post(client, "activity-list", data=backwards).status_code == 400
    assert Activity.objects.count() == count


def test_member_staff_organize_for_their_own_unit(as_persona, demo_orgs):
    unit = demo_orgs["member"]
    client = as_persona("member")
    data = new_activity_data(unit, "510104")
    response = post(client, "activity-list", data=data)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert post(client, "activity-submit", pk).status_code == 200
    # Member units submit; the officers of the region review.
    assert post(client, "activity-approve", pk).status_code == 403
    assert Activity.objects.get(pk=pk).status == "submitted"
    other = post(client, "activity-list", data=new_activity_data(demo_orgs["a"]))
    assert other.status_code == 400


def test_a_second_reviewer_gets_a_conflict(as_persona, demo_orgs):
    activity = make_activity(demo_orgs["a"], "510104", status="submitted")
    assert post(as_persona("city"), "activity-approve", activity.pk).status_code == 200
    late = post(as_persona("county_a"), "activity-reject", activity.pk, {"reason": "不合适"})
    assert late.status_code == 409 and late.json()["code"] == "conflict"
    assert late.json()["message"] and late.json()["fields"] == {}
    assert post(as_persona("county_a"), "activity-approve", activity.pk).status_code == 409
    activity.refresh_from_db()
    assert activity.status == "published" and activity.reviewed_by.username == "demo-city"
    assert ReviewDecision.objects.filter(activity=activity).count() == 1


def test_return_and_reject_need_a_reason(as_persona, demo_orgs):
    activity = make_activity(demo_orgs["a"], "510104", status="submitted")
    client = as_persona("county_a")
    response = post(client, "activity-return", activity.pk)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "reason" in response.json()["fields"]
    response = post(client, "activity-return", activity.pk, {"reason": "请补充安全预案"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"
    assert response.json()["review_note"] == "请补充安全预案"
    # The organizer submits again; the submitter may not reject it (four-eyes), the city
    # does.
    assert post(client, "activity-submit", activity.pk).json()["status"] == "submitted"
    response = post(client, "activity-reject", activity.pk, {"reason": "与主题无关"})
    assert response.status_code == 403
    response = post(as_persona("city"), "activity-reject", activity.pk, {"reason": "与主题无关"})
    assert response.json()["status"] == "rejected"
    assert post(client, "activity-submit", activity.pk).status_code == 409


def test_cancel(as_persona, demo_orgs):
    activity = make_activity(demo_orgs["a"], "510104", status="published")
    client = as_persona("county_a")
    assert post(client, "activity-cancel", activity.pk).status_code == 400
    response = post(client, "activity-cancel", activity.pk, {"reason": "暴雨预警"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert post(client, "activity-cancel", activity.pk, {"reason": "再次取消"}).status_code == 409


def test_denials_change_nothing(as_persona, demo_orgs):
    draft = make_activity(demo_orgs["b"], "510703")
    submitted = make_activity(demo_orgs["b"], "510703", status="submitted")
    published = published_with_signups(demo_orgs["b"])
    signup, _ = services.sign_up(published, name="王五", phone="13900002222", key_group="general")
    before = fingerprint()
    county_a, volunteer = as_persona("county_a"), as_persona("volunteer")
    attempts = [
        (county_a, "activity-submit", draft.pk, {}, 404),
        (county_a, "activity-approve", submitted.pk, {}, 404),
        (county_a, "activity-reject", submitted.pk, {"reason": "越权"}, 404),
        (county_a, "activity-cancel", published.pk, {"reason": "越权"}, 404),
        (county_a, "activity-checkin", published.pk, {"code": signup.ticket_code}, 404),
        (county_a, "activity-report", published.pk, {"onsite_attendance": 1, "summary": "x"}, 404),
        (volunteer, "activity-approve", submitted.pk, {}, 403),
        (volunteer, "activity-checkin", published.pk, {"code": signup.ticket_code}, 403),
        (as_persona("member"), "activity-approve", submitted.pk, {}, 403),
        (Client(), "activity-submit", draft.pk, {}, 401),
    ]
    for client, name, pk, data, expected in attempts:
        assert post(client, name, pk, data).status_code == expected, name
    patch = county_a.patch(
        reverse("api:activity-detail", args=[draft.pk]),
        {"title": "越权修改"},
        content_type="application/json",
    )
    assert patch.status_code == 404
    campaign = post(
        as_persona("member"),
        "campaign-list",
        data={"name": "越权", "kind": "other", "year": 2025, "region": "51",
              "start_date": "2025-01-01", "end_date": "2025-01-02"},
    )  # fmt: skip
    assert campaign.status_code == 403
    assert fingerprint() == before


# --- sign-ups and check-in --------------------------------------------------------------


def test_signups_show_masked_phones_only(as_persona, demo_orgs):
    activity = published_with_signups(demo_orgs["b"], capacity=1)
    services.sign_up(activity, name="张三", phone="13900001111", key_group="youth")
    services.sign_up(activity, name="李四", phone="13700003333", key_group="general")
    client = as_persona("county_b")
    response = client.get(reverse("api:activity-signups", args=[activity.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "13900001111" not in content and "13700003333" not in content
    rows = response.json()["results"]
    assert [(r["name"], r["phone_masked"], r["status"]) for r in rows] == [
        ("张三", "139****1111", "confirmed"),
        ("李四", "137****3333", "waiting"),
    ]
    waiting = client.get(
        reverse("api:activity-signups", args=[activity.pk]), {"status": "waiting"}
    ).json()
    assert [r["name"] for r in waiting["results"]] == ["李四"]
    assert (
        as_persona("volunteer").get(reverse("api:activity-signups", args=[activity.pk])).status_code
        == 403
    )


def test_a_ticket_checks_in(as_persona, demo_orgs):
    activity = published_with_signups(demo_orgs["b"])
    signup, _ = services.sign_up(activity, name="张三", phone="13900001111", key_group="youth")
    client = as_persona("county_b")
    response = post(client, "activity-checkin", activity.pk, {"code": signup.ticket_code.lower()})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["signup"]["ticket_code"] == signup.ticket_code and body["signup"]["checked_in_at"]
    assert (body["confirmed"], body["arrived"]) == (1, 1)
    signup.refresh_from_db()
    assert signup.checked_in_at is not None and signup.checked_in_by.username == "demo-county-b"
    # A code of no ticket is a refused input (400); a used ticket is a conflict (409).
    unknown = post(client, "activity-checkin", activity.pk, {"code": "NOSUCH99"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "refused"
    missing = post(client, "activity-checkin", activity.pk, {})
    assert missing.status_code == 400 and "code" in missing.json()["fields"]


# services.check_in refuses a used ticket after a conditional UPDATE that matches no row;
# the write tracker counts that statement as an unaudited write. Drop the marker once the
# service checks `checked_in_at` before its conditional update.
def test_a_ticket_checks_in_only_once(as_persona, demo_orgs):
    activity = published_with_signups(demo_orgs["b"])
    signup, _ = services.sign_up(activity, name="张三", phone="13900001111", key_group="youth")
    client = as_persona("county_b")
    assert (
        post(client, "activity-checkin", activity.pk, {"code": signup.ticket_code}).status_code
        == 200
    )
    signup.refresh_from_db()
    first = signup.checked_in_at
    again = post(client, "activity-checkin", activity.pk, {"code": signup.ticket_code})
    assert again.status_code == 409 and signup.ticket_code in again.json()["message"]
    signup.refresh_from_db()
    assert signup.checked_in_at == first
    assert (
        AuditEntry.objects.filter(
            action="activities.signup.checked_in", object_id=str(signup.pk)
        ).count()
        == 1
    )


# --- the report -------------------------------------------------------------------------


def test_the_report_is_filed_once_after_the_event(as_persona, demo_orgs):
    upcoming = make_activity(demo_orgs["a"], "510104", status="published")
    client = as_persona("county_a")
    data = {"onsite_attendance": 120, "online_views": 3000, "summary": "现场互动热烈"}
    assert post(client, "activity-report", upcoming.pk, data).status_code == 409
    past = make_activity(demo_orgs["a"], "510104", status="published", days=-2)
    assert post(client, "activity-report", past.pk, {"summary": "缺人数"}).status_code == 400
    response = post(client, "activity-report", past.pk, data)
    assert response.status_code == 201, response.json()
    assert response.json()["onsite_attendance"] == 120 and response.json()["is_late"] is False
    report = ActivityReport.objects.get(activity=past)
    assert report.filed_by.username == "demo-county-a" and report.summary == "现场互动热烈"
    assert post(client, "activity-report", past.pk, data).status_code == 409
    detail = client.get(reverse("api:activity-detail", args=[past.pk])).json()
    assert detail["report"]["online_views"] == 3000
    assert ActivityReport.objects.filter(activity=past).count() == 1


# --- campaigns and facilities -----------------------------------------------------------


def test_campaigns_are_read_by_everyone_signed_in_and_created_by_officers(as_persona):
    campaign = services.create_campaign(
        actor=None,
        region=region("51"),
        name="接口测试科普日",
        kind="science_day",
        year=2025,
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 21),
    )
    volunteer = as_persona("volunteer")
    listing = volunteer.get(reverse("api:campaign-list"), {"year": 2025}).json()
    assert campaign.pk in {c["id"] for c in listing["results"]}
    detail = volunteer.get(reverse("api:campaign-detail", args=[campaign.pk])).json()
    assert detail["region"] == "51" and detail["name"] == "接口测试科普日"
    data = {
        "name": "锦江区科普周",
        "kind": "science_week",
        "year": 2025,
        "start_date": "2025-05-18",
        "end_date": "2025-05-24",
        "region": "510104",
    }
    assert post(volunteer, "campaign-list", data=data).status_code == 403
    assert post(as_persona("county_b"), "campaign-list", data=data).status_code == 400
    response = post(as_persona("county_a"), "campaign-list", data=data)
    assert response.status_code == 201, response.json()
    created = Campaign.objects.get(pk=response.json()["id"])
    assert created.region.code == "510104"
    assert AuditEntry.objects.filter(
        action="activities.campaign.created", object_id=str(created.pk)
    )
    backwards = {**data, "name": "倒序", "end_date": "2025-05-01"}
    assert post(as_persona("county_a"), "campaign-list", data=backwards).status_code == 400


def test_facilities(as_persona, demo_orgs):
    facility = services.create_facility(
        actor=None,
        organization=demo_orgs["b"],
        region=region("510703"),
        name="涪城科普大篷车",
        kind="caravan",
    )
    client = as_persona("county_a")
    listing = client.get(reverse("api:facility-list"), {"kind": "caravan"}).json()
    assert facility.pk in {f["id"] for f in listing["results"]}
    detail = client.get(reverse("api:facility-detail", args=[facility.pk])).json()
    assert detail["region"] == "510703" and detail["organization"] == demo_orgs["b"].pk
    assert as_persona("volunteer").get(reverse("api:facility-list")).status_code == 403
    assert MobileFacility.objects.filter(pk=facility.pk).exists()


def test_a_tour_stop_is_created_for_a_facility(as_persona, demo_orgs):
    facility = services.create_facility(
        actor=None,
        organization=demo_orgs["a"],
        region=region("510104"),
        name="锦江流动科技馆",
        kind="mobile_museum",
    )
    client = as_persona("county_a")
    data = new_activity_data(demo_orgs["a"], facility=facility.pk)
    response = post(client, "activity-list", data=data)
    assert response.status_code == 201, response.json()
    assert response.json()["facility"] == facility.pk
    assert response.json()["kind"] == "tour_stop"
    # The same facility cannot be in two places at once.
    clash = post(client, "activity-list", data=data)
    assert clash.status_code == 400 and "starts_at" in clash.json()["fields"]
    # A stop stays with its facility (read-only after creation).
    other = services.create_facility(
        actor=None,
        organization=demo_orgs["a"],
        region=region("510104"),
        name="另一辆大篷车",
        kind="caravan",
    )
    client.patch(
        reverse("api:activity-detail", args=[response.json()["id"]]),
        {"facility": other.pk, "address": "锦江区红星路"},
        content_type="application/json",
    )
    assert Activity.objects.get(pk=response.json()["id"]).facility_id == facility.pk


def test_the_schema_lists_the_endpoints():
    schema = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert {
        "/api/v1/activities/",
        "/api/v1/activities/{id}/approve/",
        "/api/v1/activities/{id}/checkin/",
        "/api/v1/campaigns/",
        "/api/v1/facilities/",
    } <= set(schema["paths"])
