"""API rows of the authorization matrix for volunteer service (imported by `authz.py`).

`api_context(ctx)` makes the objects, all in county B (涪城区, 510703): "api_team_b" (a
county team without organization) and "api_team_edu" (a team of 四川省教育厅, the member
persona's unit), and one order per step — "api_order_new" (submitted), "api_order_dept"
(dispatched to 四川省教育厅), "api_order_team" (awaiting team_b), "api_order_accepted"
(its assignment "api_assignment_in" not yet checked in), "api_order_in" (assignment
"api_assignment_out" checked in two hours ago), "api_order_worked" (checked in and out,
ready to complete), "api_order_served" (completed; its volunteer's hours approved); a
pending manual entry "api_entry" and a certificate "api_certificate".

County A and the city of Chengdu get 404 on all of them; the member persona reaches only
the order dispatched to its unit; the volunteer persona reaches none (they lead no team
here). Public ordering, following, rating and certificate checks are open to everyone.
"""

import datetime

from django.utils import timezone

from kepu.core.models import Region
from kepu.core.testing import ALL, Row, officers, statuses
from kepu.volunteering import services
from kepu.volunteering.tests.helpers import make_order, make_team, make_volunteer, officer, org

COUNTY_B = "510703"  # 涪城区; the orders are in its first township


def api_context(ctx):
    town = Region.objects.filter(parent__code=COUNTY_B).order_by("code").first()
    code = town.code if town else COUNTY_B
    by = officer("demo-county-b")
    people = [
        make_volunteer(name="涪城志愿者", code=code, specialties="应急救护") for _i in range(6)
    ]
    team_b = make_team(
        name="涪城区应急科普志愿服务队",
        organization=None,
        code=COUNTY_B,
        leader=people[0],
        members=people,
    )
    edu_leader = make_volunteer(name="教育队长", code=code)
    team_edu = make_team(name="教育系统科技志愿服务队", leader=edu_leader)

    def order(**fields):
        return make_order(code=code, address="涪城区城厢街道社区活动室", **fields)

    def accepted(volunteer):
        placed = services.dispatch(order(days=0), actor=by, team=team_b)
        return services.accept(placed, actor=None, volunteers=[volunteer])

    now = timezone.now()
    ctx["api_team_b"], ctx["api_team_edu"] = team_b, team_edu
    ctx["api_people_b"] = people
    ctx["api_order_new"] = order()
    ctx["api_order_dept"] = services.dispatch(order(), actor=by, department=org("四川省教育厅"))
    ctx["api_order_team"] = services.dispatch(order(), actor=by, team=team_b)
    ctx["api_order_accepted"] = accepted(people[1])
    ctx["api_assignment_in"] = ctx["api_order_accepted"].assignments.get()
    ctx["api_order_in"] = accepted(people[2])
    ctx["api_assignment_out"] = ctx["api_order_in"].assignments.get()
    services.check_in(ctx["api_assignment_out"], actor=None, at=now - datetime.timedelta(hours=2))
    worked = accepted(people[3])
    assignment = worked.assignments.get()
    services.check_in(assignment, actor=None, at=now - datetime.timedelta(hours=5))
    services.check_out(assignment, actor=None, at=now - datetime.timedelta(hours=3))
    ctx["api_order_worked"] = worked
    served = accepted(people[4])
    assignment = served.assignments.get()
    services.check_in(assignment, actor=None, at=now - datetime.timedelta(hours=6))
    services.check_out(assignment, actor=None, at=now - datetime.timedelta(hours=4))
    ctx["api_order_served"] = services.complete(served, actor=None)
    ctx["api_served_person"] = people[4]
    start = now - datetime.timedelta(days=3)
    ctx["api_entry"] = services.add_manual_entry(
        actor=None,
        person=people[5],
        team=team_b,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=2),
        description="社区应急救护培训",
    )
    today = timezone.localdate()
    ctx["api_certificate"] = services.issue_certificate(
        actor=None,
        person=people[4],
        team=team_b,
        period_start=today - datetime.timedelta(days=30),
        period_end=today,
    )


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _token(key):
    return lambda ctx: {"token": ctx[key].token}


def _public_order(ctx):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    return {
        "client_key": "3f6f3c1e-8a3b-4d55-9a43-5d1c2b7e0a01",
        "name": "矩阵点单人",
        "phone": "13900003333",
        "category": "emergency",
        "key_group": "youth",
        "region": COUNTY_B,
        "address": "涪城区某小学",
        "window_start": start.isoformat(),
        "window_end": (start + datetime.timedelta(hours=2)).isoformat(),
        "expected_attendees": 120,
        "description": "学校想请专家讲防震减灾。",
        "consent": True,
    }


def _manual_entry(ctx):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=10)
    return {
        "person": ctx["api_people_b"][5].pk,
        "team": ctx["api_team_b"].pk,
        "started_at": start.isoformat(),
        "ended_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "description": "矩阵手工补录",
    }


def _certificate(ctx):
    today = timezone.localdate()
    return {
        "person": ctx["api_served_person"].pk,
        "team": ctx["api_team_b"].pk,
        "period_start": (today - datetime.timedelta(days=7)).isoformat(),
        "period_end": today.isoformat(),
    }


API = dict(anonymous=401)
B_ONLY = dict(city=404, county_a=404)
# Member staff and volunteers hold the permission but not these rows.
NOT_THEIRS = dict(member=404, volunteer=404)
B_CHANGES = ("province", "county_b")
READERS = officers(200, member=200, volunteer=200, **API)
REASON = {"reason": "不属于科技志愿服务范围"}

API_ROWS = [
    Row("api-vol-orders", "api:serviceorder-list", expect=READERS),
    Row("api-vol-order-dept", "api:serviceorder-detail", kwargs=_id("api_order_dept"),
        expect=officers(200, member=200, volunteer=404, **API, **B_ONLY)),
    Row("api-vol-order-new", "api:serviceorder-detail", kwargs=_id("api_order_new"),
        expect=officers(200, **NOT_THEIRS, **API, **B_ONLY)),
    Row("api-vol-dispatch", "api:serviceorder-dispatch", "post", kwargs=_id("api_order_new"),
        json=True, data=lambda c: {"team": c["api_team_b"].pk},
        expect=officers(200, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-claim", "api:serviceorder-claim", "post", kwargs=_id("api_order_dept"),
        json=True, data=lambda c: {"team": c["api_team_edu"].pk},
        expect=officers(200, member=200, **API, **B_ONLY),
        changes=(*B_CHANGES, "member")),
    Row("api-vol-accept", "api:serviceorder-accept", "post", kwargs=_id("api_order_team"),
        json=True, data=lambda c: {"volunteers": [c["api_people_b"][1].pk]},
        expect=officers(200, **NOT_THEIRS, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-return", "api:serviceorder-return", "post", kwargs=_id("api_order_dept"),
        json=True, data=lambda c: {"reason": "本部门暂无合适队伍"},
        expect=officers(200, member=200, volunteer=404, **API, **B_ONLY),
        changes=(*B_CHANGES, "member")),
    Row("api-vol-reject", "api:serviceorder-reject", "post", kwargs=_id("api_order_new"),
        json=True, data=lambda c: REASON, expect=officers(200, **API, **B_ONLY),
        changes=B_CHANGES),
    Row("api-vol-complete", "api:serviceorder-complete", "post", kwargs=_id("api_order_worked"),
        json=True, expect=officers(200, **NOT_THEIRS, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-close", "api:serviceorder-close", "post", kwargs=_id("api_order_served"),
        json=True, expect=officers(200, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-suggestions", "api:serviceorder-suggestions", kwargs=_id("api_order_new"),
        expect=officers(200, **NOT_THEIRS, **API, **B_ONLY)),
    Row("api-vol-public-order", "api:public-order-list", "post", json=True, data=_public_order,
        expect=statuses(201), changes=tuple(ALL)),
    Row("api-vol-public-track", "api:public-order-detail", kwargs=_token("api_order_dept"),
        expect=statuses(200)),
    Row("api-vol-public-rate", "api:public-order-rate", "post",
        kwargs=_token("api_order_served"), json=True,
        data=lambda c: {"rating": 5, "comment": "讲得很实用"}, expect=statuses(200),
        changes=tuple(ALL)),
    Row("api-vol-assignments", "api:assignment-list", expect=READERS),
    Row("api-vol-check-in", "api:assignment-check-in", "post", kwargs=_id("api_assignment_in"),
        json=True, expect=officers(200, **NOT_THEIRS, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-check-out", "api:assignment-check-out", "post",
        kwargs=_id("api_assignment_out"), json=True,
        expect=officers(200, **NOT_THEIRS, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-hours", "api:hourentry-list", expect=READERS),
    Row("api-vol-hours-post", "api:hourentry-list", "post", json=True, data=_manual_entry,
        expect=officers(201, city=400, county_a=400, member=400, volunteer=400, **API),
        changes=B_CHANGES),
    Row("api-vol-hours-approve", "api:hourentry-approve", "post", kwargs=_id("api_entry"),
        json=True, expect=officers(200, **NOT_THEIRS, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-hours-reject", "api:hourentry-reject", "post", kwargs=_id("api_entry"),
        json=True, data=lambda c: {"reason": "时间与签到记录不符"},
        expect=officers(200, **NOT_THEIRS, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-certificates", "api:certificate-list", expect=READERS),
    Row("api-vol-certificates-post", "api:certificate-list", "post", json=True,
        data=_certificate,
        expect=officers(201, city=400, county_a=400, member=400, volunteer=400, **API),
        changes=B_CHANGES),
    Row("api-vol-certificate-revoke", "api:certificate-revoke", "post",
        kwargs=_id("api_certificate"), json=True, data=lambda c: {"reason": "时段填写错误"},
        expect=officers(200, member=404, volunteer=403, **API, **B_ONLY), changes=B_CHANGES),
    Row("api-vol-certificate-verify", "api:certificate-verify",
        kwargs=lambda c: {"number": c["api_certificate"].number}, expect=statuses(200)),
]  # fmt: skip
