"""Activity rows of the authorization matrix (collected by kepu/core/tests): the pages and,
from authz_api, the API. The objects live in county B (涪城区); county A must never reach
them in the back office, although published ones are public on the portal."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.activities import services
from kepu.activities.tests.authz_api import API_ROWS
from kepu.activities.tests.helpers import PNG, age, make_activity, org, region
from kepu.core.testing import Row, officers, statuses


def context(ctx):
    b = {"code": "510703", "organizer": "涪城区科学技术协会"}
    ctx["act_b_draft"] = make_activity(status="draft", title="涪城区草稿活动", **b)
    ctx["act_b_sub"] = make_activity(status="submitted", title="涪城区待审活动", **b)
    ctx["act_b_pub"] = make_activity(capacity=10, title="涪城区已发布活动", **b)
    ctx["signup_b"], _created = services.sign_up(
        ctx["act_b_pub"], name="矩阵报名", phone="13900002222", key_group="youth"
    )
    ctx["act_b_past"] = age(make_activity(title="涪城区已结束活动", **b), days=5)
    reported = age(make_activity(title="涪城区已总结活动", **b), days=6)
    report = services.file_report(
        reported,
        actor=None,
        onsite_attendance=50,
        summary="顺利",
        photos=[SimpleUploadedFile("p.png", PNG, content_type="image/png")],
    )
    ctx["act_b_reported"] = reported
    ctx["photo_b"] = report.photos.get()
    ctx["campaign"] = services.create_campaign(
        actor=None,
        name="矩阵科普日",
        kind="science_day",
        year=datetime.date.today().year,
        start_date=datetime.date.today(),
        end_date=datetime.date.today(),
        region=region("51"),
    )
    ctx["facility_b"] = services.create_facility(
        actor=None,
        name="涪城区科普大篷车",
        kind="caravan",
        organization=org("涪城区科学技术协会"),
        region=region("510703"),
    )


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _token(ctx):
    return {"token": ctx["signup_b"].token}


def _new_activity(ctx):
    start = datetime.datetime.now() + datetime.timedelta(days=9)
    return {
        "title": "矩阵新活动",
        "organization_ref": "涪城区科学技术协会",
        "kind": "lecture",
        "groups": ["youth"],
        "region": "510703",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "expected_audience": "50",
        "volunteers_needed": "0",
    }


# Who reaches what in the back office: the province, Mianyang's county B (and the city of
# Chengdu, which is not Mianyang: 404 like county A).
B_ONLY = dict(city=404, county_a=404)
VIEWERS = dict(member=404, volunteer=403)
EVERYONE = statuses(200)
B_ACT = officers(200, **B_ONLY, **VIEWERS)
B_POST = officers(302, **B_ONLY, **VIEWERS)
NEW_CAMPAIGN = {
    "name": "矩阵新主题日",
    "kind": "theme_day",
    "year": "2026",
    "start_date": "2026-06-05",
    "end_date": "2026-06-05",
    "region": "510703",
}
NEW_FACILITY = {
    "name": "矩阵流动科技馆",
    "kind": "mobile_museum",
    "organization_ref": "涪城区科学技术协会",
    "region": "510703",
    "is_active": "on",
}

ROWS = [
    Row("act-list", "activities:activity_list", expect=officers(200, member=200)),
    Row("act-new", "activities:activity_create", expect=officers(200, member=200)),
    Row(
        "act-new-post",
        "activities:activity_create",
        "post",
        data=_new_activity,
        # A region outside one's scope: the form comes back with the error (400).
        expect=officers(302, city=400, county_a=400, member=400),
        changes=("province", "county_b"),
    ),
    Row("act-export", "activities:activity_export", expect=officers(200, member=200)),
    Row("act-queue", "activities:review_queue", expect=officers(200)),
    Row("act-detail-b", "activities:activity_detail", kwargs=_id("act_b_draft"), expect=B_ACT),
    Row("act-detail-pub-b", "activities:activity_detail", kwargs=_id("act_b_pub"), expect=B_ACT),
    Row("act-edit-b", "activities:activity_update", kwargs=_id("act_b_draft"), expect=B_ACT),
    Row(
        "act-edit-b-post",
        "activities:activity_update",
        "post",
        kwargs=_id("act_b_draft"),
        data=lambda c: {**_new_activity(c), "title": "矩阵改名"},
        expect=B_POST,
        changes=("province", "county_b"),
    ),
    Row(
        "act-submit-b",
        "activities:activity_submit",
        "post",
        kwargs=_id("act_b_draft"),
        expect=B_POST,
        changes=("province", "county_b"),
    ),
    Row(
        "act-approve-b",
        "activities:activity_review",
        "post",
        kwargs=lambda c: {"pk": c["act_b_sub"].pk, "step": "approve"},
        expect=officers(302, **B_ONLY, member=403, volunteer=403),
        changes=("province", "county_b"),
    ),
    Row(
        "act-return-b",
        "activities:activity_review",
        "post",
        kwargs=lambda c: {"pk": c["act_b_sub"].pk, "step": "return"},
        data=lambda c: {"reason": "请补充安全预案"},
        expect=officers(302, **B_ONLY, member=403, volunteer=403),
        changes=("province", "county_b"),
    ),
    Row(
        "act-cancel-b",
        "activities:activity_cancel",
        "post",
        kwargs=_id("act_b_pub"),
        data=lambda c: {"cancel-reason": "天气原因"},
        expect=B_POST,
        changes=("province", "county_b"),
    ),
    Row(
        "act-places-b",
        "activities:activity_capacity",
        "post",
        kwargs=_id("act_b_pub"),
        data=lambda c: {"capacity": "20"},
        expect=B_POST,
        changes=("province", "county_b"),
    ),
    Row("act-report-b", "activities:report_create", kwargs=_id("act_b_past"), expect=B_ACT),
    Row(
        "act-report-b-post",
        "activities:report_create",
        "post",
        kwargs=_id("act_b_past"),
        data=lambda c: {"onsite_attendance": "30", "summary": "顺利"},
        expect=B_POST,
        changes=("province", "county_b"),
    ),
    Row(
        "act-photo-b",
        "activities:report_photo",
        kwargs=lambda c: {"pk": c["act_b_reported"].pk, "photo_pk": c["photo_b"].pk},
        expect=B_ACT,
    ),
    Row("act-signups-b", "activities:signup_list", kwargs=_id("act_b_pub"), expect=B_ACT),
    Row("act-signups-export-b", "activities:signup_export", kwargs=_id("act_b_pub"), expect=B_ACT),
    Row("act-checkin-b", "activities:checkin", kwargs=_id("act_b_pub"), expect=B_ACT),
    Row(
        "act-checkin-b-post",
        "activities:checkin",
        "post",
        kwargs=_id("act_b_pub"),
        data=lambda c: {"code": c["signup_b"].ticket_code},
        expect=officers(302, **B_ONLY, **VIEWERS),
        changes=("province", "county_b"),
    ),
    Row("act-campaigns", "activities:campaign_list", expect=officers(200, member=200)),
    Row(
        "act-campaign",
        "activities:campaign_detail",
        kwargs=_id("campaign"),
        expect=officers(200, member=200),
    ),
    Row("act-campaign-new", "activities:campaign_create", expect=officers(200)),
    Row(
        "act-campaign-new-post",
        "activities:campaign_create",
        "post",
        data=lambda c: NEW_CAMPAIGN,
        expect=officers(302, city=400, county_a=400),
        changes=("province", "county_b"),
    ),
    Row(
        "act-campaign-edit",
        "activities:campaign_update",
        kwargs=_id("campaign"),
        expect=officers(200, city=403, county_a=403, county_b=403),
    ),
    Row(
        "act-campaign-edit-post",
        "activities:campaign_update",
        "post",
        kwargs=_id("campaign"),
        data=lambda c: {**NEW_CAMPAIGN, "name": "矩阵科普日（改）"},
        expect=officers(302, city=403, county_a=403, county_b=403),
        changes=("province",),
    ),
    Row("act-facilities", "activities:facility_list", expect=officers(200, member=200)),
    Row(
        "act-facility",
        "activities:facility_detail",
        kwargs=_id("facility_b"),
        expect=officers(200, member=200),
    ),
    Row("act-facility-new", "activities:facility_create", expect=officers(200)),
    Row(
        "act-facility-new-post",
        "activities:facility_create",
        "post",
        data=lambda c: NEW_FACILITY,
        expect=officers(302, city=400, county_a=400),
        changes=("province", "county_b"),
    ),
    Row(
        "act-facility-edit",
        "activities:facility_update",
        kwargs=_id("facility_b"),
        expect=officers(200, city=403, county_a=403),
    ),
    Row(
        "act-facility-edit-post",
        "activities:facility_update",
        "post",
        kwargs=_id("facility_b"),
        data=lambda c: {**NEW_FACILITY, "name": "矩阵大篷车改"},
        expect=officers(302, city=403, county_a=403),
        changes=("province", "county_b"),
    ),
    Row("act-stats", "activities:stats", expect=officers(200)),
    Row("act-stats-export", "activities:stats_export", expect=officers(200)),
    # The portal: public to everyone, including the signed-in.
    Row("act-calendar", "activities:calendar", expect=EVERYONE),
    Row("act-feed", "activities:feed", expect=EVERYONE),
    Row("act-event-pub", "activities:event", kwargs=_id("act_b_pub"), expect=EVERYONE),
    Row("act-event-draft", "activities:event", kwargs=_id("act_b_draft"), expect=statuses(404)),
    Row(
        "act-signup-post",
        "activities:event",
        "post",
        kwargs=_id("act_b_pub"),
        data=lambda c: {
            "name": "公众",
            "phone": "13700009999",
            "key_group": "general",
            "consent": "on",
        },
        expect=statuses(302),
        changes=tuple(statuses(302)),
    ),
    Row("act-ticket", "activities:ticket", kwargs=_token, expect=EVERYONE),
    Row(
        "act-ticket-cancel",
        "activities:ticket_cancel",
        "post",
        kwargs=_token,
        expect=statuses(302),
        changes=tuple(statuses(302)),
    ),
    *API_ROWS,
]
