"""Volunteer service rows of the authorization matrix (kepu/core/tests/test_authz_matrix.py).

Each part of the app keeps its rows in its own section below.
"""

import datetime

from django.utils import timezone

from kepu.core.testing import Row, officers, statuses
from kepu.people.models import Person
from kepu.volunteering import services
from kepu.volunteering.tests.authz_api import API_ROWS, api_context
from kepu.volunteering.tests.helpers import (
    demo_volunteer_person,
    make_order,
    make_team,
    make_volunteer,
    officer,
    org,
)


def context(ctx):
    """Objects the rows refer to (each section adds its own)."""
    # --- context: orders ---
    _orders_context(ctx)
    # --- context: hours and certificates ---
    # A team of 涪城区 (county B) with a member: a pending and an approved entry, and a
    # certificate. County A, the city of Chengdu and the member department never reach them.
    leader = make_volunteer(name="涪城队长", code="510703001")
    member = make_volunteer(name="涪城队员", code="510703001")
    team = make_team(
        name="涪城区矩阵科技志愿服务队",
        organization="涪城区科学技术协会",
        code="510703",
        leader=leader,
        members=[member],
    )
    start = timezone.now() - datetime.timedelta(days=2)
    ctx["hours_team_b"] = team
    ctx["hours_person_b"] = member
    ctx["hours_pending_b"] = services.add_manual_entry(
        actor=None,
        person=member,
        team=team,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=2),
        description="社区科普讲座",
    )
    approved = services.add_manual_entry(
        actor=None,
        person=member,
        team=team,
        started_at=start - datetime.timedelta(days=1),
        ended_at=start - datetime.timedelta(days=1) + datetime.timedelta(hours=3),
        description="应急救护培训",
    )
    services.decide_entry(approved, actor=None, approve=True)
    ctx["hours_certificate_b"] = services.issue_certificate(
        actor=None,
        person=member,
        team=team,
        period_start=timezone.localdate() - datetime.timedelta(days=10),
        period_end=timezone.localdate(),
    )
    ctx["hours_self"] = demo_volunteer_person()
    # --- context: API ---
    api_context(ctx)


ROWS = []
# --- rows: public ordering ---
# Orders live in county B (涪城区); the public reaches an order only through its token.


def _vo_order_form(ctx):

    start = timezone.localtime() + datetime.timedelta(days=4)
    return {
        "name": "矩阵居民",
        "phone": "13700001234",
        "category": "health",
        "key_group": "elderly",
        "region": "510703",
        "address": "涪城区城厢街道矩阵社区",
        "window_start": start.strftime("%Y-%m-%dT09:00"),
        "window_end": start.strftime("%Y-%m-%dT11:00"),
        "expected_attendees": "30",
        "description": "矩阵测试点单",
        "consent": "on",
        "client_key": "6f1c3f0e-8a43-4d5e-9a57-6c1f4a1e2b3c",
    }


def _vo_token(key):
    return lambda ctx: {"token": ctx[key].token}


VO_ANYONE_CHANGES = tuple(statuses(302))
ROWS += [
    Row("vo-order-new", "volunteering:order_new", expect=statuses(200)),
    Row(
        "vo-order-new-post",
        "volunteering:order_new",
        "post",
        data=_vo_order_form,
        expect=statuses(302),
        changes=VO_ANYONE_CHANGES,
    ),
    Row(
        "vo-order-new-bad",
        "volunteering:order_new",
        "post",
        data=lambda c: {**_vo_order_form(c), "phone": "12345", "consent": ""},
        expect=statuses(200),
    ),
    Row("vo-track", "volunteering:order_track", kwargs=_vo_token("vo_new_b"), expect=statuses(200)),
    Row(
        "vo-track-unknown",
        "volunteering:order_track",
        kwargs=lambda c: {"token": "00000000-0000-4000-8000-000000000000"},
        expect=statuses(404),
    ),
    Row(
        "vo-rate",
        "volunteering:order_rate",
        "post",
        kwargs=_vo_token("vo_served_b"),
        data=lambda c: {"rating": "5", "comment": "讲得很好"},
        expect=statuses(302),
        changes=VO_ANYONE_CHANGES,
    ),
    Row(
        "vo-rate-too-early",
        "volunteering:order_rate",
        "post",
        kwargs=_vo_token("vo_new_b"),
        data=lambda c: {"rating": "5"},
        expect=statuses(302),
    ),
    Row(
        "vo-rate-get",
        "volunteering:order_rate",
        kwargs=_vo_token("vo_served_b"),
        expect=statuses(405),
    ),
    Row(
        "vo-cancel",
        "volunteering:order_cancel",
        "post",
        kwargs=_vo_token("vo_new_b"),
        data=lambda c: {"reason": "不需要了"},
        expect=statuses(302),
        changes=VO_ANYONE_CHANGES,
    ),
    Row(
        "vo-cancel-too-late",
        "volunteering:order_cancel",
        "post",
        kwargs=_vo_token("vo_served_b"),
        expect=statuses(302),
    ),
    Row(
        "vo-cancel-get",
        "volunteering:order_cancel",
        kwargs=_vo_token("vo_new_b"),
        expect=statuses(405),
    ),
]
# --- rows: orders ---


def _orders_context(ctx):
    """Orders of county B at every step; one is dispatched to 四川省教育厅 (demo-member's
    department) and two belong to a team led by demo-volunteer's record."""

    b = "510703"
    county_b = officer("demo-county-b")
    now = timezone.now()
    hours = datetime.timedelta(hours=1)
    people = [make_volunteer(name="涪城矩阵志愿者", code=b) for _i in range(5)]
    team = make_team(
        name="涪城区矩阵服务队",
        organization="涪城区科学技术协会",
        code=b,
        leader=people[0],
        members=people[1:],
    )
    own = Person.objects.get(user__username="demo-volunteer")
    led = make_team(name="矩阵队长服务队", organization=None, code="51", leader=own)
    ctx["vo_team_b"], ctx["vo_member_b"], ctx["vo_own"] = team, people[1], own
    ctx["vo_edu_team"] = make_team(name="教育厅矩阵服务队")

    def order(**fields):
        return make_order(code=b, address="涪城区城厢街道矩阵社区", **fields)

    def accepted(volunteer, to=team):
        placed = services.dispatch(order(), actor=county_b, team=to)
        return services.accept(placed, actor=None, volunteers=[volunteer])

    ctx["vo_new_b"] = order()
    ctx["vo_dispatched_b"] = services.dispatch(
        order(), actor=county_b, department=org("涪城区科学技术协会")
    )
    ctx["vo_edu_b"] = services.dispatch(
        order(), actor=officer("demo-province"), department=org("四川省教育厅")
    )
    ctx["vo_awaiting_b"] = services.dispatch(order(), actor=county_b, team=team)
    ctx["vo_led_b"] = services.dispatch(order(), actor=county_b, team=led)
    ctx["vo_checkin_b"] = accepted(people[2]).assignments.get()
    ctx["vo_own_assignment"] = accepted(own, to=led).assignments.get()
    in_service = accepted(people[3]).assignments.get()
    ctx["vo_checkout_b"] = services.check_in(in_service, actor=None, at=now - 2 * hours)
    done = accepted(people[4])
    for a in done.assignments.all():
        services.check_in(a, actor=None, at=now - 6 * hours)
        services.check_out(a, actor=None, at=now - 5 * hours)
    ctx["vo_done_b"] = done
    served = accepted(people[1])
    for a in served.assignments.all():
        services.check_in(a, actor=None, at=now - 9 * hours)
        services.check_out(a, actor=None, at=now - 8 * hours)
    served.refresh_from_db()
    ctx["vo_served_b"] = services.complete(served, actor=None)


def _vo_pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _vo_step(key, step):
    return lambda ctx: {"pk": ctx[key].pk, "step": step}


VO_ADMINS_403 = dict(sysadmin=403, secadmin=403, auditor=403)
# County B and the province reach county B's orders; Chengdu (city, county A) does not,
# nor a department or a volunteer they were not given to.
VO_B = dict(city=404, county_a=404, member=404, volunteer=404)
VO_B_GET = officers(200, **VO_B)
VO_B_POST = officers(302, **VO_B)
VO_B_CHANGES = ("province", "county_b")
ROWS += [
    Row("vo-list", "volunteering:order_list", expect=officers(200, member=200, volunteer=200)),
    Row("vo-export", "volunteering:order_export", expect=officers(200, member=200)),
    Row("vo-detail-b", "volunteering:order_detail", kwargs=_vo_pk("vo_new_b"), expect=VO_B_GET),
    Row(
        "vo-detail-served-b",
        "volunteering:order_detail",
        kwargs=_vo_pk("vo_served_b"),
        expect=VO_B_GET,
    ),
    Row(
        "vo-detail-edu",
        "volunteering:order_detail",
        kwargs=_vo_pk("vo_edu_b"),
        expect=officers(200, **{**VO_B, "member": 200}),
    ),
    Row(
        "vo-detail-led",
        "volunteering:order_detail",
        kwargs=_vo_pk("vo_led_b"),
        expect=officers(200, **{**VO_B, "volunteer": 200}),
    ),
    Row(
        "vo-dispatch-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_new_b", "dispatch"),
        data=lambda c: {"dispatch-department": c["orgs"]["b"].pk},
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-dispatch-team-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_new_b", "dispatch"),
        data=lambda c: {"dispatch-team": c["vo_team_b"].pk},
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-reject-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_new_b", "reject"),
        data=lambda c: {"reject-reason": "不属于志愿服务"},
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-reject-edu",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_edu_b", "reject"),
        data=lambda c: {"reject-reason": "不属于志愿服务"},
        expect=officers(302, **{**VO_B, "member": 403}),
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-claim-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_dispatched_b", "claim"),
        data=lambda c: {"claim-team": c["vo_team_b"].pk},
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-claim-edu",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_edu_b", "claim"),
        data=lambda c: {"claim-team": c["vo_edu_team"].pk},
        expect=officers(302, **{**VO_B, "member": 302}),
        changes=(*VO_B_CHANGES, "member"),
    ),
    Row(
        "vo-claim-too-early",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_new_b", "claim"),
        data=lambda c: {"claim-team": c["vo_team_b"].pk},
        expect=VO_B_POST,
    ),
    Row(
        "vo-return-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_dispatched_b", "return"),
        data=lambda c: {"return-reason": "本部门无对口服务队"},
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-return-no-reason",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_dispatched_b", "return"),
        expect=officers(400, **VO_B),
    ),
    Row(
        "vo-accept-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_awaiting_b", "accept"),
        data=lambda c: {"accept-volunteers": [c["vo_member_b"].pk]},
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-accept-led",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_led_b", "accept"),
        data=lambda c: {"accept-volunteers": [c["vo_own"].pk]},
        expect=officers(302, **{**VO_B, "volunteer": 302}),
        changes=(*VO_B_CHANGES, "volunteer"),
    ),
    Row(
        "vo-complete-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_done_b", "complete"),
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-close-b",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_served_b", "close"),
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-step-unknown",
        "volunteering:order_step",
        "post",
        kwargs=_vo_step("vo_new_b", "escalate"),
        expect=statuses(404, anonymous=302, **VO_ADMINS_403),
    ),
    Row(
        "vo-step-get",
        "volunteering:order_step",
        kwargs=_vo_step("vo_new_b", "dispatch"),
        expect=statuses(405),
    ),
    Row("vo-tasks", "volunteering:my_tasks", expect=officers(200, member=200, volunteer=200)),
    Row(
        "vo-task-checkin-b",
        "volunteering:task_check",
        "post",
        kwargs=_vo_step("vo_checkin_b", "checkin"),
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-task-checkout-b",
        "volunteering:task_check",
        "post",
        kwargs=_vo_step("vo_checkout_b", "checkout"),
        expect=VO_B_POST,
        changes=VO_B_CHANGES,
    ),
    Row(
        "vo-task-own",
        "volunteering:task_check",
        "post",
        kwargs=_vo_step("vo_own_assignment", "checkin"),
        expect=officers(302, **{**VO_B, "volunteer": 302}),
        changes=(*VO_B_CHANGES, "volunteer"),
    ),
    Row(
        "vo-task-unknown",
        "volunteering:task_check",
        "post",
        kwargs=_vo_step("vo_checkin_b", "complete"),
        expect=statuses(404, anonymous=302, **VO_ADMINS_403),
    ),
    Row(
        "vo-task-get",
        "volunteering:task_check",
        kwargs=_vo_step("vo_checkin_b", "checkin"),
        expect=statuses(405),
    ),
]
# --- rows: hours and certificates ---
# Officers of county B and the province reach county B's ledger; county A, the city of
# Chengdu, the member department and the (unrelated) volunteer get 404; roles without the
# permission 403. The volunteer reads their own ledger; nobody needs an account to check
# a certificate.


def _hours_pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _hours_new(ctx):

    start = timezone.localtime() - datetime.timedelta(days=9)
    return {
        "team": ctx["hours_team_b"].pk,
        "volunteer": ctx["hours_person_b"].pk,
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "description": "矩阵补录时长",
    }


def _hours_issue(ctx):

    today = timezone.localdate()
    return {
        "team": ctx["hours_team_b"].pk,
        "period_start": (today - datetime.timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
    }


HOURS_B = dict(city=404, county_a=404, member=404, volunteer=404)
HOURS_B_CHANGES = ("province", "county_b")
ROWS += [
    Row(
        "vol-hours-list",
        "volunteering:hour_list",
        expect=officers(200, member=200, volunteer=200),
    ),
    Row("vol-hours-export", "volunteering:hour_export", expect=officers(200, member=200)),
    Row(
        "vol-hours-team-search",
        "volunteering:team_search",
        expect=officers(200, member=200, volunteer=200),
    ),
    Row(
        "vol-hours-new",
        "volunteering:hour_create",
        expect=officers(200, member=200, volunteer=200),
    ),
    Row(
        "vol-hours-new-post-b",
        "volunteering:hour_create",
        "post",
        data=_hours_new,
        expect=officers(302, city=400, county_a=400, member=400, volunteer=400),
        changes=HOURS_B_CHANGES,
    ),
    Row(
        "vol-hours-approve-b",
        "volunteering:hour_decide",
        "post",
        kwargs=_hours_pk("hours_pending_b"),
        data=lambda ctx: {"decision": "approve"},
        expect=officers(302, **HOURS_B),
        changes=HOURS_B_CHANGES,
    ),
    Row(
        "vol-hours-reject-b",
        "volunteering:hour_decide",
        "post",
        kwargs=_hours_pk("hours_pending_b"),
        data=lambda ctx: {"decision": "reject", "reason": "时长与活动记录不符"},
        expect=officers(302, **HOURS_B),
        changes=HOURS_B_CHANGES,
    ),
    Row(
        "vol-hours-person-b",
        "volunteering:person_hours",
        kwargs=_hours_pk("hours_person_b"),
        expect=officers(200, **HOURS_B),
    ),
    Row(
        "vol-hours-person-self",
        "volunteering:person_hours",
        kwargs=_hours_pk("hours_self"),
        expect=officers(200, county_b=404, member=404, volunteer=200),
    ),
    Row(
        "vol-hours-certificate-issue-b",
        "volunteering:certificate_issue",
        "post",
        kwargs=_hours_pk("hours_person_b"),
        data=_hours_issue,
        expect=officers(302, **HOURS_B),
        changes=HOURS_B_CHANGES,
    ),
    Row(
        "vol-hours-certificate-batch-b",
        "volunteering:certificate_batch",
        kwargs=_hours_pk("hours_team_b"),
        expect=officers(200, **HOURS_B),
    ),
    Row(
        "vol-hours-certificate-batch-b-post",
        "volunteering:certificate_batch",
        "post",
        kwargs=_hours_pk("hours_team_b"),
        data=lambda ctx: {k: v for k, v in _hours_issue(ctx).items() if k != "team"},
        expect=officers(302, **HOURS_B),
        changes=HOURS_B_CHANGES,
    ),
    Row(
        "vol-hours-certificate-pdf-b",
        "volunteering:certificate_pdf",
        kwargs=_hours_pk("hours_certificate_b"),
        expect=officers(200, **HOURS_B),
    ),
    Row(
        "vol-hours-certificate-revoke-b",
        "volunteering:certificate_revoke",
        "post",
        kwargs=_hours_pk("hours_certificate_b"),
        data=lambda ctx: {"reason": "期间填写错误"},
        expect=officers(302, **{**HOURS_B, "volunteer": 403}),
        changes=HOURS_B_CHANGES,
    ),
    Row("vol-hours-verify", "volunteering:verify", expect=statuses(200)),
    Row(
        "vol-hours-verify-number",
        "volunteering:verify_number",
        kwargs=lambda ctx: {"number": ctx["hours_certificate_b"].number},
        expect=statuses(200),
    ),
    Row(
        "vol-hours-verify-unknown",
        "volunteering:verify_number",
        kwargs=lambda ctx: {"number": "ZYZM2025ABCDEFGHJK"},
        expect=statuses(404),
    ),
]
# --- rows: bulletin ---
# Regional officers only, each for their own scope root (a region outside it is a 404:
# kepu/volunteering/tests/test_bulletin.py). Both exports leave an audit entry only.
ROWS += [
    Row("vol-bulletin", "volunteering:bulletin", expect=officers(200)),
    Row("vol-bulletin-xlsx", "volunteering:bulletin_xlsx", expect=officers(200)),
    Row("vol-bulletin-pdf", "volunteering:bulletin_pdf", expect=officers(200)),
    # The batch of a township of county A (no subordinate regions: no job, no PDF to
    # render here; the batch itself is in test_bulletin_batch.py). County B: a 404.
    Row(
        "vol-bulletin-batch",
        "volunteering:bulletin_batch",
        "post",
        data=lambda ctx: {"region": "510104017", "period": "year", "year": "2025"},
        expect=officers(302, county_b=404),
    ),
]
# --- rows: API ---

ROWS.extend(API_ROWS)
