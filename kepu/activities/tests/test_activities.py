"""Activities through their services and pages: the review workflow, scope, sign-up with
a waiting list, check-in, reports, tours, statistics, the public calendar and its feed."""

import datetime
import io
import json
import re

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kepu.activities import ical, services
from kepu.activities.models import Activity, ActivityReport, ReviewDecision, SignUp
from kepu.activities.tests.helpers import PNG, age, make_activity, org, region
from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def form_data(**over):
    start = timezone.now() + datetime.timedelta(days=5)
    data = {
        "title": "走进实验室开放日",
        "organization_ref": "四川省教育厅",
        "kind": "lab_open",
        "groups": ["youth", "general"],
        "topics": ["ai"],
        "region": "510104",
        "address": "锦江区科技馆二楼",
        "starts_at": local(start),
        "ends_at": local(start + datetime.timedelta(hours=3)),
        "signup_required": "on",
        "capacity": "30",
        "expected_audience": "100",
        "volunteers_needed": "4",
    }
    data.update(over)
    return data


# --- the workflow through the pages ----------------------------------------------------


def test_member_drafts_submits_and_county_approves(as_persona):
    member = as_persona("member")
    response = member.post(reverse("activities:activity_create"), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="走进实验室开放日")
    assert activity.status == "draft" and activity.organization == org("四川省教育厅")
    assert sorted(activity.codes("group")) == ["general", "youth"]
    assert member.post(reverse("activities:activity_submit", args=[activity.pk])).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "submitted"

    county_b = as_persona("county_b")
    assert (
        county_b.get(reverse("activities:activity_detail", args=[activity.pk])).status_code == 404
    )
    assert (
        "走进实验室开放日" not in county_b.get(reverse("activities:review_queue")).content.decode()
    )

    county_a = as_persona("county_a")
    queue = county_a.get(reverse("activities:review_queue")).content.decode()
    assert "走进实验室开放日" in queue
    url = reverse("activities:activity_review", args=[activity.pk, "approve"])
    assert county_a.post(url, {"next": "queue"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "published"
    assert activity.report_due == timezone.localtime(activity.ends_at).date() + datetime.timedelta(
        days=15
    )
    actions = set(
        AuditEntry.objects.filter(
            object_type="activities.activity", object_id=str(activity.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "activities.activity.created",
        "activities.activity.submitted",
        "activities.activity.approved",
    } <= actions
    # Now public: the calendar and the event page show it to anyone.
    anonymous = Client()
    assert "走进实验室开放日" in anonymous.get(reverse("activities:calendar")).content.decode()
    assert anonymous.get(reverse("activities:event", args=[activity.pk])).status_code == 200
    # …but the back office of another county still does not.
    assert (
        county_b.get(reverse("activities:activity_detail", args=[activity.pk])).status_code == 404
    )


def test_return_needs_a_reason_and_changes_nothing_without_one(as_persona):
    activity = make_activity(status="submitted")
    county_a = as_persona("county_a")
    url = reverse("activities:activity_review", args=[activity.pk, "return"])
    response = county_a.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "理由" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "submitted" and not ReviewDecision.objects.filter(activity=activity)
    county_a.post(url, {"reason": "时间与场地冲突，请调整"})
    activity.refresh_from_db()
    assert activity.status == "returned" and activity.review_note == "时间与场地冲突，请调整"


def test_second_reviewer_cannot_decide_again():
    activity = make_activity(status="submitted")
    services.review_activity(activity, actor=None, step="approve")
    with pytest.raises(DomainError):
        services.review_activity(activity, actor=None, step="reject", reason="重复")
    assert ReviewDecision.objects.filter(activity=activity).count() == 1


def test_create_form_explains_errors(as_persona):
    member = as_persona("member")
    data = form_data(capacity="", ends_at=form_data()["starts_at"], groups=[])
    data["starts_at"] = local(timezone.now() + datetime.timedelta(days=6))
    response = member.post(reverse("activities:activity_create"), data)
    body = response.content.decode()
    assert response.status_code == 400  # the form shown again with its errors
    assert "结束时间不能早于开始时间" in body or "活动结束时间不能早于开始时间" in body
    assert "请至少选择一个重点人群" in body
    assert "需要报名时请填写名额" in body
    assert not Activity.objects.filter(title="走进实验室开放日").exists()


def test_member_cannot_place_activity_outside_its_unit(as_persona):
    """The member unit is provincial: any region of Sichuan, but not another province."""
    member = as_persona("member")
    response = member.post(reverse("activities:activity_create"), form_data(region="110101"))
    assert response.status_code == 400
    assert not Activity.objects.filter(title="走进实验室开放日").exists()


def test_double_submitted_create_makes_one_activity(as_persona):
    member = as_persona("member")
    data = {**form_data(), "form_token": "t-123"}
    first = member.post(reverse("activities:activity_create"), data)
    second = member.post(reverse("activities:activity_create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Activity.objects.filter(title="走进实验室开放日").count() == 1


def test_list_is_scoped_and_queries_are_bounded(as_persona):
    make_activity(title="锦江区的活动")
    make_activity(code="510703", organizer="涪城区科学技术协会", title="涪城区的活动")
    county_a = as_persona("county_a")
    body = county_a.get(reverse("activities:activity_list")).content.decode()
    assert "锦江区的活动" in body and "涪城区的活动" not in body
    for i in range(5):
        make_activity(title=f"更多活动{i}", capacity=10)
    with CaptureQueriesContext(connection) as ctx:
        assert county_a.get(reverse("activities:activity_list")).status_code == 200
    assert len(ctx.captured_queries) <= 20, len(ctx.captured_queries)


def test_export_is_scoped_and_audited(as_persona):
    from python_calamine import CalamineWorkbook

    make_activity(title="锦江区导出活动")
    make_activity(code="510703", organizer="涪城区科学技术协会", title="涪城区导出活动")
    response = as_persona("county_a").get(reverse("activities:activity_export"))
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    titles = [r[0] for r in rows]
    assert "锦江区导出活动" in titles and "涪城区导出活动" not in titles
    assert AuditEntry.objects.filter(action="activities.activity.exported").exists()


# --- sign-up, waiting list, check-in -----------------------------------------------------


def signup_post(client, activity, name, phone, **over):
    data = {"name": name, "phone": phone, "key_group": "youth", "consent": "on", **over}
    return client.post(reverse("activities:event", args=[activity.pk]), data)


def test_public_sign_up_waiting_list_and_cancellation():
    activity = make_activity(capacity=2)
    client = Client()
    tickets = []
    for i, phone in enumerate(["13800000001", "13800000002", "13800000003"]):
        response = signup_post(client, activity, f"报名者{i}", phone)
        assert response.status_code == 302
        tickets.append(response["Location"])
    statuses = list(SignUp.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting"]
    # The same phone again: no second place, and no ticket handed over (security #2).
    again = signup_post(client, activity, "报名者0", "138 0000 0001")
    assert again["Location"] == reverse("activities:event", args=[activity.pk])
    assert SignUp.objects.filter(activity=activity).count() == 3
    # The ticket page shows a QR code for a confirmed place, the waiting notice otherwise.
    page = client.get(tickets[0]).content.decode()
    assert "<svg" in page and "138****0001" in page and "13800000001" not in page
    assert "候补" in client.get(tickets[2]).content.decode()
    # Self-cancellation by link: the first waiting person moves up.
    token = re.search(r"ticket/([0-9a-f-]+)/", tickets[0]).group(1)
    assert client.post(reverse("activities:ticket_cancel", args=[token])).status_code == 302
    statuses = dict(SignUp.objects.filter(activity=activity).values_list("name", "status"))
    assert statuses == {"报名者0": "cancelled", "报名者1": "confirmed", "报名者2": "confirmed"}
    activity.refresh_from_db()
    assert (activity.confirmed_count, activity.waiting_count) == (2, 0)
    assert AuditEntry.objects.filter(action="activities.signup.promoted").count() == 1


def test_another_persons_phone_never_reaches_their_ticket():
    """Security #2: signing up with a number that already holds a place answers neutrally,
    shows nothing of that sign-up and changes nothing; its owner keeps the private link,
    and the owner's own double submission still makes one sign-up."""
    activity = make_activity(capacity=5)
    owner = Client()
    token = {"form_token": "f" * 32}
    first = signup_post(owner, activity, "原报名人", "13800000031", **token)
    assert first.status_code == 302 and "/ticket/" in first["Location"]
    signup = SignUp.objects.get(activity=activity)
    # The owner's double click (the same form token): the same ticket, one sign-up.
    repeat = signup_post(owner, activity, "原报名人", "13800000031", **token)
    assert repeat["Location"] == first["Location"]

    stranger = Client()
    stranger.cookies["django_language"] = "en"
    before = fingerprint()
    response = signup_post(stranger, activity, "冒名者", "138 0000 0031")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:event", args=[activity.pk])
    body = stranger.get(response["Location"]).content.decode()
    assert "cannot be signed up again for this activity" in body
    for secret in ("原报名人", signup.ticket_code, str(signup.token), signup.phone_masked):
        assert secret not in body
    assert fingerprint() == before
    # A fresh number gets its own ticket, as before.
    fresh = signup_post(stranger, activity, "新报名人", "13800000032")
    assert "/ticket/" in fresh["Location"] and fresh["Location"] != first["Location"]
    assert SignUp.objects.filter(activity=activity).count() == 2
    assert SignUp.objects.get(pk=signup.pk).status == "confirmed"


def test_sign_up_needs_consent_and_a_valid_phone():
    activity = make_activity(capacity=5)
    client = Client()
    response = signup_post(client, activity, "张三", "12345", consent="")
    body = response.content.decode()
    assert response.status_code == 400 and "手机号" in body and "请阅读并同意" in body
    assert not SignUp.objects.filter(activity=activity).exists()


def test_sign_up_refused_when_not_taking_sign_ups():
    draft = make_activity(capacity=5, status="draft")
    assert Client().post(reverse("activities:event", args=[draft.pk])).status_code == 404
    with pytest.raises(DomainError):
        services.sign_up(draft, name="张三", phone="13800000009", key_group="youth")


def test_capacity_raise_moves_the_waiting_list_up(as_persona):
    activity = make_activity(capacity=1)
    for phone in ("13800000011", "13800000012", "13800000013"):
        services.sign_up(activity, name="候补者", phone=phone, key_group="general")
    as_persona("county_a").post(
        reverse("activities:activity_capacity", args=[activity.pk]), {"capacity": "2"}
    )
    activity.refresh_from_db()
    assert (activity.capacity, activity.confirmed_count, activity.waiting_count) == (2, 2, 1)
    with pytest.raises(DomainError):
        services.set_capacity(activity, actor=None, capacity=1)


def test_check_in_counts_each_ticket_once(as_persona):
    activity = make_activity(capacity=1)
    confirmed, _ = services.sign_up(activity, name="张三", phone="13800000021", key_group="youth")
    waiting, _ = services.sign_up(activity, name="李四", phone="13800000022", key_group="youth")
    other = make_activity(capacity=5, title="另一场")
    stranger, _ = services.sign_up(other, name="王五", phone="13800000023", key_group="youth")
    desk = as_persona("county_a")
    url = reverse("activities:checkin", args=[activity.pk])
    json_post = {"HTTP_ACCEPT": "application/json"}
    first = desk.post(url, {"code": confirmed.ticket_code.lower()}, **json_post)
    assert first.status_code == 200 and first.json()["ok"] and first.json()["arrived"] == 1
    second = desk.post(url, {"code": confirmed.ticket_code}, **json_post)
    assert second.status_code == 409 and "不再重复计数" in second.json()["message"]
    assert desk.post(url, {"code": waiting.ticket_code}, **json_post).status_code == 409
    # Another activity's ticket is no ticket of this one: a refused input, in the API's body.
    stray = desk.post(url, {"code": stranger.ticket_code}, **json_post)
    assert stray.status_code == 400 and stray.json()["code"] == "refused"
    assert set(stray.json()) == {"code", "message", "fields"}
    # Without JavaScript the desk posts a plain form and comes back with the message.
    plain = desk.post(url, {"code": "NOSUCH99"})
    assert plain.status_code == 302 and plain["Location"] == url
    assert SignUp.objects.filter(checked_in_at__isnull=False).count() == 1
    # County B cannot even open the desk.
    assert as_persona("county_b").post(url, {"code": "X"}).status_code == 404


def test_sign_up_list_masks_phones(as_persona):
    activity = make_activity(capacity=3)
    services.sign_up(activity, name="张三", phone="13912345678", key_group="youth")
    body = as_persona("county_a").get(reverse("activities:signup_list", args=[activity.pk]))
    text = body.content.decode()
    assert "139****5678" in text and "13912345678" not in text


# --- reports -----------------------------------------------------------------------------


def test_report_after_the_event_with_photos_and_late_flag(as_persona):
    upcoming = make_activity()
    with pytest.raises(DomainError):
        services.file_report(upcoming, actor=None, onsite_attendance=1, summary="x")
    past = age(make_activity(), days=5)
    client = as_persona("county_a")
    url = reverse("activities:report_create", args=[past.pk])
    bad = client.post(
        url,
        {
            "onsite_attendance": "80",
            "summary": "顺利",
            "photos": [SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")],
        },
    )
    assert bad.status_code == 400 and "文件内容与类型不符" in bad.content.decode()
    ok = client.post(
        url,
        {
            "onsite_attendance": "80",
            "online_views": "1200",
            "summary": "顺利",
            "photos": [SimpleUploadedFile("p.png", PNG, content_type="image/png")],
        },
    )
    assert ok.status_code == 302, ok.context["form"].errors
    report = ActivityReport.objects.get(activity=past)
    assert not report.is_late and report.photos.count() == 1
    photo = report.photos.get()
    image = client.get(reverse("activities:report_photo", args=[past.pk, photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert (
        as_persona("county_b")
        .get(reverse("activities:report_photo", args=[past.pk, photo.pk]))
        .status_code
        == 404
    )

    late = age(make_activity(title="迟交的活动"), days=30)
    assert late.report_overdue
    overdue = client.get(reverse("activities:activity_list") + "?overdue=true").content.decode()
    assert "迟交的活动" in overdue
    report = services.file_report(late, actor=None, onsite_attendance=10, summary="补报")
    assert report.is_late


# --- mobile exhibitions ------------------------------------------------------------------


def test_facility_stops_may_not_overlap(as_persona):
    facility = services.create_facility(
        actor=None,
        name="四川科普大篷车",
        kind="caravan",
        organization=org("四川省科学技术协会"),
        region=region("51"),
    )
    first = make_activity(facility=facility, title="大篷车锦江站", status="draft")
    assert first.kind == "tour_stop"
    with pytest.raises(DomainError) as refused:
        make_activity(
            facility=facility,
            title="大篷车涪城站",
            code="510703",
            organizer="涪城区科学技术协会",
            status="draft",
            hours=1,
        )
    assert "大篷车锦江站" in str(refused.value)
    make_activity(facility=facility, title="大篷车次日站", days=4, status="draft")
    page = as_persona("province").get(reverse("activities:facility_detail", args=[facility.pk]))
    assert "大篷车锦江站" in page.content.decode() and "大篷车次日站" in page.content.decode()
    # Through the page: a clashing stop is refused with the reason on the form.
    data = form_data(
        starts_at=local(first.starts_at),
        ends_at=local(first.ends_at),
        organization_ref="四川省科学技术协会",
    )
    response = as_persona("province").post(
        reverse("activities:activity_create") + f"?facility={facility.pk}", data
    )
    assert response.status_code == 400 and "大篷车锦江站" in response.content.decode()


# --- statistics --------------------------------------------------------------------------


def test_statistics_count_audience_pass_rate_and_scope(as_persona):
    held = age(make_activity(), days=5)
    services.file_report(held, actor=None, onsite_attendance=120, online_views=30, summary="好")
    returned = make_activity(status="returned")
    services.submit_activity(returned, actor=None)
    services.review_activity(returned, actor=None, step="approve")
    b = age(make_activity(code="510703", organizer="涪城区科学技术协会"), days=5)
    services.file_report(b, actor=None, onsite_attendance=999, summary="好")
    client = as_persona("county_a")
    response = client.get(reverse("activities:stats") + "?region=510104")
    context = response.context
    total = context["total"]
    assert total["onsite"] == 120 and total["online"] == 30
    assert total["decided"] == 3 and total["approved"] == 2
    assert total["pass_rate"] == 66.7
    groups = {g["code"]: g for g in context["groups"]}
    assert groups["youth"]["onsite"] == 120
    export = client.get(reverse("activities:stats_export") + "?region=510104")
    assert export.status_code == 200
    assert AuditEntry.objects.filter(action="activities.stats.exported").exists()


def test_campaign_dashboard_counts_its_activities(as_persona):
    campaign = services.create_campaign(
        actor=None,
        name="测试科普日",
        kind="science_day",
        year=timezone.localdate().year,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        region=region("51"),
    )
    make_activity(campaign=campaign, title="科普日活动甲")
    make_activity(campaign=campaign, title="科普日活动乙", status="submitted")
    response = as_persona("county_a").get(reverse("activities:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    assert response.context["total"]["published"] == 1
    assert response.context["total"]["pending"] == 1
    listed = as_persona("county_a").get(reverse("activities:campaign_list")).content.decode()
    assert "测试科普日" in listed


# --- public calendar, schema.org, iCalendar ----------------------------------------------


def test_calendar_filters_by_group_topic_and_region():
    make_activity(title="老年人健康讲座", groups=["elderly"], topics=["health"])
    make_activity(
        title="青少年编程营",
        groups=["youth"],
        topics=["ai"],
        code="510703",
        organizer="涪城区科学技术协会",
    )
    client = Client()

    def titles(query):
        return client.get(reverse("activities:calendar") + query).content.decode()

    assert "老年人健康讲座" in titles("?group=elderly") and "青少年编程营" not in titles(
        "?group=elderly"
    )
    assert "青少年编程营" in titles("?topic=ai") and "老年人健康讲座" not in titles("?topic=ai")
    assert "青少年编程营" in titles("?region=510703") and "老年人健康讲座" not in titles(
        "?region=510703"
    )


def test_event_page_carries_schema_org_event():
    activity = make_activity(
        title="地震科普, 讲座", capacity=10, latitude="30.657", longitude="104.066"
    )
    body = Client().get(reverse("activities:event", args=[activity.pk])).content.decode()
    raw = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Event" and data["name"] == "地震科普, 讲座"
    assert data["location"]["geo"]["latitude"] == 30.657
    assert data["remainingAttendeeCapacity"] == 10


def test_ical_feed_validates():
    make_activity(title="地震科普；讲座, 第一场：应急避险" * 3, description="第一行\n第二行")
    make_activity(title="未发布的活动", status="draft")
    response = Client().get(reverse("activities:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    titles = [str(e["SUMMARY"]) for e in events]
    assert "地震科普；讲座, 第一场：应急避险" * 3 in titles and "未发布的活动" not in titles
    event = events[titles.index("地震科普；讲座, 第一场：应急避险" * 3)]
    assert str(event["DESCRIPTION"]).endswith("第一行\n第二行")
    assert event["DTSTART"].dt.tzinfo is not None and event["UID"] and event["DTSTAMP"]


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "科普" * 60
    folded = ical.fold(line).encode()
    for part in folded.split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")  # each physical line is valid UTF-8 on its own
    assert ical.fold(line).replace("\r\n ", "") == line


def test_facility_list_queries_do_not_grow_with_facilities(as_persona):
    client = as_persona("province")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("activities:facility_list")).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request of a session also loads the session and the roles
    for i in range(2):
        facility = services.create_facility(
            actor=None,
            name=f"大篷车{i}",
            kind="caravan",
            organization=org("四川省科学技术协会"),
            region=region("51"),
        )
        make_activity(facility=facility, title=f"巡展{i}", status="draft")
    few = queries()
    for i in range(2, 6):
        facility = services.create_facility(
            actor=None,
            name=f"大篷车{i}",
            kind="caravan",
            organization=org("四川省科学技术协会"),
            region=region("51"),
        )
        make_activity(facility=facility, title=f"巡展{i}", status="draft")
    assert queries() == few
