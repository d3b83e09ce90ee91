"""The back-office order pages through HTTP: scope, the list with its counts and filters,
the export, each step on the order page with its suggestions, double-submit protection,
and a volunteer's tasks with check-in and check-out — one order from the public form to
the rating, every step on both timelines."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import AuditEntry
from kepu.core.testing import fingerprint
from kepu.people.models import Person
from kepu.volunteering import choices as c
from kepu.volunteering import services
from kepu.volunteering.models import Assignment, HourEntry, OrderEvent, ServiceOrder
from kepu.volunteering.tests.helpers import (
    make_order,
    make_team,
    make_volunteer,
    officer,
    org,
    served_order,
)

pytestmark = pytest.mark.django_db
S = c.OrderStatus
A = c.OrderAction


def english(client):
    client.cookies["django_language"] = "en"
    return client


def detail(order):
    return reverse("volunteering:order_detail", args=[order.pk])


def step(order, name):
    return reverse("volunteering:order_step", args=[order.pk, name])


def own_person():
    return Person.objects.get(user__username="demo-volunteer")


def snapshot():
    return fingerprint()


# --- scope ------------------------------------------------------------------------------------


def test_county_b_gets_404_on_a_county_a_order_and_changes_nothing(as_persona):
    order = make_order()  # 锦江区 (county A)
    county_b = as_persona("county_b")
    assert county_b.get(detail(order)).status_code == 404
    before = snapshot()
    for name, data in (
        ("dispatch", {"dispatch-department": org("锦江区科学技术协会").pk}),
        ("reject", {"reject-reason": "越权"}),
        ("close", {}),
    ):
        assert county_b.post(step(order, name), data).status_code == 404
    assert snapshot() == before
    list_page = county_b.get(reverse("volunteering:order_list")).content.decode()
    assert order.number not in list_page
    assert as_persona("county_a").get(detail(order)).status_code == 200


def test_member_may_view_but_not_dispatch_what_reached_its_department(as_persona):
    order = services.dispatch(
        make_order(), actor=officer("demo-province"), department=org("四川省教育厅")
    )
    member = as_persona("member")
    assert member.get(detail(order)).status_code == 200
    before = snapshot()
    assert member.post(step(order, "reject"), {"reject-reason": "x"}).status_code == 403
    assert snapshot() == before
    assert member.post(step(order, "fly")).status_code == 404


# --- the list and the export -------------------------------------------------------------


def test_list_counts_filters_and_search(as_persona):
    first = make_order(address="锦江区水井坊社区")
    second = make_order(category="agriculture", address="锦江区书院街")
    services.dispatch(second, actor=officer(), department=org("锦江区教育局"))
    late = make_order(address="锦江区超时社区")
    ServiceOrder.objects.filter(pk=late.pk).update(
        dispatch_due=timezone.now() - datetime.timedelta(days=1)
    )
    make_order(code="510703", address="涪城区某社区")
    client = english(as_persona("county_a"))
    url = reverse("volunteering:order_list")
    page = client.get(url).content.decode()
    for o in (first, second, late):
        assert o.number in page
    assert "涪城区某社区" not in page
    # Counts by status (all three in county A's scope) and the status filter.
    assert re.search(r"Awaiting dispatch <span[^>]*>2</span>", page)
    page = client.get(url, {"status": "dispatched"}).content.decode()
    assert second.number in page and first.number not in page
    page = client.get(url, {"overdue": "true"}).content.decode()
    assert late.number in page and first.number not in page and "Overdue" in page
    page = client.get(url, {"q": first.number[:12]}).content.decode()
    assert first.number in page
    page = client.get(url, {"q": "书院街"}).content.decode()
    assert second.number in page and first.number not in page
    page = client.get(url, {"category": "agriculture"}).content.decode()
    assert second.number in page and first.number not in page
    page = client.get(url, {"region": "510104022"}).content.decode()
    assert first.number in page
    page = client.get(url, {"region": "510105"}).content.decode()
    assert first.number not in page


def test_export_is_scoped_masked_and_audited(as_persona):
    from python_calamine import CalamineWorkbook

    mine = make_order()
    other = make_order(code="510703")
    response = as_persona("county_a").get(reverse("volunteering:order_export"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    numbers = [r[0] for r in rows]
    assert mine.number in numbers and other.number not in numbers
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "139****1111" in flat and "13900001111" not in flat
    entry = AuditEntry.objects.get(action="volunteering.serviceorder.exported")
    assert entry.detail["rows"] == 1


# --- the order page and its steps -------------------------------------------------------------


def test_dispatch_form_suggests_teams_with_scores_and_reasons(as_persona):
    team = make_team(name="锦江区应急救护队", organization=None, code="510104")
    order = make_order(category="emergency")
    page = english(as_persona("county_a")).get(detail(order)).content.decode()
    assert "Suggested teams" in page and team.name in page
    assert re.search(r"\d+/100", page)
    assert "specialties: 应急" in page
    # Only what the officer may do: no claim, accept or complete on a new order.
    assert f'action="{step(order, "dispatch")}"' in page
    assert step(order, "claim") not in page and step(order, "accept") not in page
    assert step(order, "reject") in page


def test_dispatch_needs_a_department_or_a_team(as_persona):
    order = make_order()
    client = english(as_persona("county_a"))
    before = snapshot()
    response = client.post(step(order, "dispatch"), {})
    assert response.status_code == 400
    assert "Choose either a department or a team." in response.content.decode()
    assert snapshot() == before


def test_double_submitted_step_dispatches_once(as_persona):
    order = make_order()
    client = english(as_persona("county_a"))
    data = {"dispatch-department": org("锦江区教育局").pk, "form_token": "t-42"}
    first = client.post(step(order, "dispatch"), data)
    second = client.post(step(order, "dispatch"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail(order)
    assert order.events.filter(action=A.DISPATCH).count() == 1
    order.refresh_from_db()
    assert order.status == S.DISPATCHED and order.department == org("锦江区教育局")


def test_return_and_reject_need_a_reason(as_persona):
    order = services.dispatch(make_order(), actor=officer(), department=org("锦江区教育局"))
    client = english(as_persona("county_a"))
    before = snapshot()
    response = client.post(step(order, "return"), {"return-reason": " "})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    assert snapshot() == before
    client.post(step(order, "return"), {"return-reason": "教育局无对口服务队"})
    order.refresh_from_db()
    assert order.status == S.SUBMITTED and order.reason == "教育局无对口服务队"
    page = client.get(detail(order)).content.decode()
    assert "教育局无对口服务队" in page and "Returned" in page
    client.post(step(order, "reject"), {"reject-reason": "不属于志愿服务"})
    order.refresh_from_db()
    assert order.status == S.REJECTED


def test_a_step_in_the_wrong_state_is_explained(as_persona):
    order = make_order()
    client = english(as_persona("county_a"))
    response = client.post(step(order, "complete"), follow=True)
    assert "that step is not possible now" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.SUBMITTED


def test_the_team_leader_sees_suggested_volunteers_and_accepts(as_persona):
    leader = own_person()
    medic = make_volunteer(name="护士", specialties="护理、健康科普")
    coder = make_volunteer(name="程序员", specialties="软件开发")
    team = make_team(organization=None, code="5101", leader=leader, members=[medic, coder])
    order = services.dispatch(make_order(), actor=officer(), team=team)
    volunteer = english(as_persona("volunteer"))
    page = volunteer.get(detail(order)).content.decode()
    assert "Accept and assign volunteers" in page
    assert page.index(medic.name) < page.index(coder.name)  # the better fit first
    assert "/100" in page and "Team leader" in page
    assert step(order, "dispatch") not in page and step(order, "reject") not in page
    response = volunteer.post(step(order, "accept"), {"accept-volunteers": []})
    assert response.status_code == 400
    assert "Assign at least one volunteer." in response.content.decode()
    response = volunteer.post(step(order, "accept"), {"accept-volunteers": [medic.pk, leader.pk]})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.ACCEPTED
    assert set(order.assignments.values_list("person", flat=True)) == {medic.pk, leader.pk}


def test_check_out_before_check_in_is_refused(as_persona):
    leader = own_person()
    team = make_team(organization=None, code="5101", leader=leader)
    order = services.dispatch(make_order(), actor=officer(), team=team)
    order = services.accept(order, actor=None, volunteers=[leader])
    assignment = order.assignments.get()
    client = english(as_persona("volunteer"))
    url = reverse("volunteering:task_check", args=[assignment.pk, "checkout"])
    response = client.post(url, follow=True)
    assert "Check in first." in response.content.decode()
    assert not HourEntry.objects.filter(order=order).exists()


# --- one order from the public form to the rating ---------------------------------------------


def _move_check_in_back(assignment, hours):
    Assignment.objects.filter(pk=assignment.pk).update(
        checked_in_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_order_from_the_public_form_through_every_step_to_the_rating(as_persona):
    leader = own_person()
    helper = make_volunteer(name="李老师", specialties="健康科普、急救")
    team = make_team(name="教育厅健康服务队", leader=leader, members=[helper])  # 四川省教育厅, 51

    # 点单: a resident orders on the public form.
    citizen = english(Client())
    form = citizen.get(reverse("volunteering:order_new")).content.decode()
    key = re.search(r'name="client_key" value="([0-9a-f-]{36})"', form).group(1)
    start = timezone.localtime() + datetime.timedelta(days=1)
    response = citizen.post(
        reverse("volunteering:order_new"),
        {
            "name": "张阿姨",
            "phone": "13811112222",
            "category": "health",
            "key_group": "elderly",
            "region": "510104022",
            "address": "锦江区春熙路街道社区活动室",
            "window_start": start.strftime("%Y-%m-%dT09:00"),
            "window_end": start.strftime("%Y-%m-%dT11:30"),
            "expected_attendees": "35",
            "description": "请讲讲老年人高血压的防治。",
            "consent": "on",
            "client_key": key,
        },
    )
    assert response.status_code == 302
    tracking = response["Location"]
    order = ServiceOrder.objects.get(client_key=key)

    # 派单: the province sends it to 四川省教育厅.
    province = english(as_persona("province"))
    departments = province.get(detail(order)).content.decode()
    assert "四川省教育厅" in departments
    response = province.post(
        step(order, "dispatch"), {"dispatch-department": org("四川省教育厅").pk}
    )
    assert response.status_code == 302

    # 领单: the department's staff pass it to their team.
    member = english(as_persona("member"))
    page = member.get(detail(order)).content.decode()
    assert "Claim and pass to a team" in page and team.name in page
    assert member.post(step(order, "claim"), {"claim-team": team.pk}).status_code == 302

    # 接单: the team leader (demo-volunteer) assigns themself and a colleague.
    volunteer = english(as_persona("volunteer"))
    response = volunteer.post(step(order, "accept"), {"accept-volunteers": [leader.pk, helper.pk]})
    assert response.status_code == 302

    # 服务: the leader checks in on the phone; the colleague is checked in by the leader.
    tasks = volunteer.get(reverse("volunteering:my_tasks")).content.decode()
    assert "张阿姨" in tasks and "138****2222" in tasks and "13811112222" not in tasks
    mine = order.assignments.get(person=leader)
    theirs = order.assignments.get(person=helper)
    checkin = reverse("volunteering:task_check", args=[mine.pk, "checkin"])
    assert checkin in tasks
    response = volunteer.post(checkin)
    assert response.status_code == 302 and response["Location"] == reverse("volunteering:my_tasks")
    response = volunteer.post(
        reverse("volunteering:task_check", args=[theirs.pk, "checkin"]), {"next": "order"}
    )
    assert response["Location"] == detail(order)
    order.refresh_from_db()
    assert order.status == S.IN_SERVICE
    _move_check_in_back(mine, 2)
    _move_check_in_back(theirs, 2)
    tasks = volunteer.get(reverse("volunteering:my_tasks")).content.decode()
    checkout = reverse("volunteering:task_check", args=[mine.pk, "checkout"])
    assert checkout in tasks
    assert volunteer.post(checkout).status_code == 302
    volunteer.post(
        reverse("volunteering:task_check", args=[theirs.pk, "checkout"]), {"next": "order"}
    )
    tasks = volunteer.get(reverse("volunteering:my_tasks")).content.decode()
    assert "Past services" in tasks and checkout not in tasks

    # The service is completed by the leader; the hours are confirmed.
    assert volunteer.post(step(order, "complete")).status_code == 302
    order.refresh_from_db()
    assert order.status == S.SERVED
    assert set(HourEntry.objects.filter(order=order).values_list("status", flat=True)) == {
        c.HourStatus.APPROVED
    }

    # 评单: the resident rates it through the private link.
    rate = tracking.replace(f"{order.token}/", f"{order.token}/rate/")
    assert citizen.post(rate, {"rating": "5", "comment": "很实用"}).status_code == 302
    order.refresh_from_db()
    assert order.status == S.CLOSED and order.rating == 5

    # Every step is on the back-office timeline, and the public one.
    steps = [A.SUBMIT, A.DISPATCH, A.CLAIM, A.ACCEPT, A.CHECK_IN, A.CHECK_OUT, A.COMPLETE, A.RATE]
    assert list(OrderEvent.objects.filter(order=order).values_list("action", flat=True)) == [
        A.SUBMIT,
        A.DISPATCH,
        A.CLAIM,
        A.ACCEPT,
        A.CHECK_IN,
        A.CHECK_IN,
        A.CHECK_OUT,
        A.CHECK_OUT,
        A.COMPLETE,
        A.RATE,
    ]
    back_office = province.get(detail(order)).content.decode()
    public = citizen.get(tracking).content.decode()
    for action in steps:
        assert str(action.label) in back_office, action
        assert str(action.label) in public, action
    assert "张阿姨" in back_office and "138****2222" in back_office
    assert "13811112222" not in back_office
    assert helper.name in back_office and helper.name not in public


def test_my_tasks_without_a_volunteer_record(as_persona):
    page = english(as_persona("county_a")).get(reverse("volunteering:my_tasks"))
    assert page.status_code == 200
    assert "No volunteer record" in page.content.decode()


def test_served_order_page_offers_close_to_the_officer(as_persona):
    order = served_order()
    client = english(as_persona("county_a"))
    page = client.get(detail(order)).content.decode()
    assert step(order, "close") in page and step(order, "complete") not in page
    assert client.post(step(order, "close"), {"close-note": "电话回访满意"}).status_code == 302
    order.refresh_from_db()
    assert order.status == S.CLOSED
    assert order.events.filter(action=A.CLOSE, note="电话回访满意").exists()


def test_list_queries_do_not_grow_with_orders(as_persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        make_order(address=f"锦江区第{i}社区")
    client = as_persona("county_a")
    url = reverse("volunteering:order_list")
    client.get(url)  # warm: the role and region-tree caches, the session renewal
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(8):
        order = make_order(address=f"锦江区更多社区{i}")
        services.dispatch(order, actor=officer(), department=org("锦江区教育局"))
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)
