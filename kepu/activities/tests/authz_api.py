"""API rows of the authorization matrix for activities (imported by `authz.py`).

They use the objects of `authz.context(ctx)`: "act_b_draft", "act_b_sub", "act_b_pub"
(county B, 涪城区), "campaign" (province), "facility_b" (county B), and the core's
ctx["orgs"]. The check-in row asks for a ticket that does not exist (a refused input,
400) and the report row files before the activity has ended (a state conflict, 409), so
the persons allowed to act get those and nothing changes."""

import datetime

from django.utils import timezone

from kepu.core.testing import Row, officers, statuses


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new_activity(ctx):
    """A lecture in 锦江区 (county A) by the 锦江区 association, a week from now."""
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    return {
        "title": "接口矩阵讲座",
        "organization": ctx["orgs"]["a"].credit_code,
        "kind": "lecture",
        "region": "510104",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "groups": ["youth"],
        "topics": ["earthquake"],
    }


NEW_CAMPAIGN = {
    "name": "接口矩阵科普月",
    "kind": "theme_day",
    "year": 2025,
    "start_date": "2025-09-01",
    "end_date": "2025-09-30",
    "region": "510104",
}
API = dict(anonymous=401)
B_ONLY = dict(city=404, county_a=404)
# Member-unit staff hold the permission but see only their own unit's activities.
B_ONLY_MEMBER = dict(city=404, county_a=404, member=404)
REASON = {"reason": "材料不全，请补充"}
B_CHANGES = ("province", "county_b")

API_ROWS = [
    Row("api-activities", "api:activity-list", expect=officers(200, member=200, **API)),
    Row("api-activities-post", "api:activity-list", "post", json=True, data=_new_activity,
        expect=officers(201, county_b=400, member=400, **API),
        changes=("province", "city", "county_a")),
    Row("api-activity-b", "api:activity-detail", kwargs=_id("act_b_draft"),
        expect=officers(200, **API, **B_ONLY_MEMBER)),
    Row("api-activity-b-published", "api:activity-detail", kwargs=_id("act_b_pub"),
        expect=officers(200, **API, **B_ONLY_MEMBER)),
    Row("api-activity-b-patch", "api:activity-detail", "patch", kwargs=_id("act_b_draft"),
        json=True, data=lambda c: {"description": "接口修改"},
        expect=officers(200, **API, **B_ONLY_MEMBER), changes=B_CHANGES),
    Row("api-activity-submit", "api:activity-submit", "post", kwargs=_id("act_b_draft"),
        json=True, expect=officers(200, **API, **B_ONLY_MEMBER), changes=B_CHANGES),
    Row("api-activity-approve", "api:activity-approve", "post", kwargs=_id("act_b_sub"),
        json=True, expect=officers(200, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-activity-return", "api:activity-return", "post", kwargs=_id("act_b_sub"),
        json=True, data=lambda c: REASON, expect=officers(200, **API, **B_ONLY),
        changes=B_CHANGES),
    Row("api-activity-reject", "api:activity-reject", "post", kwargs=_id("act_b_sub"),
        json=True, data=lambda c: REASON, expect=officers(200, **API, **B_ONLY),
        changes=B_CHANGES),
    Row("api-activity-cancel", "api:activity-cancel", "post", kwargs=_id("act_b_draft"),
        json=True, data=lambda c: {"reason": "场地临时不可用"},
        expect=officers(200, **API, **B_ONLY_MEMBER), changes=B_CHANGES),
    Row("api-activity-signups", "api:activity-signups", kwargs=_id("act_b_pub"),
        expect=officers(200, **API, **B_ONLY_MEMBER)),
    Row("api-activity-checkin", "api:activity-checkin", "post", kwargs=_id("act_b_pub"),
        json=True, data=lambda c: {"code": "NOSUCH99"},
        expect=officers(400, **API, **B_ONLY_MEMBER)),
    Row("api-activity-report", "api:activity-report", "post", kwargs=_id("act_b_pub"),
        json=True, data=lambda c: {"onsite_attendance": 80, "summary": "顺利举办"},
        expect=officers(409, **API, **B_ONLY_MEMBER)),
    Row("api-campaigns", "api:campaign-list", expect=statuses(200, **API)),
    Row("api-campaign", "api:campaign-detail", kwargs=_id("campaign"),
        expect=statuses(200, **API)),
    Row("api-campaigns-post", "api:campaign-list", "post", json=True,
        data=lambda c: NEW_CAMPAIGN, expect=officers(201, county_b=400, **API),
        changes=("province", "city", "county_a")),
    Row("api-facilities", "api:facility-list", expect=officers(200, member=200, **API)),
    Row("api-facility-b", "api:facility-detail", kwargs=_id("facility_b"),
        expect=officers(200, member=200, **API)),
]  # fmt: skip
