"""The volunteer service REST API: scope (county isolation), the order workflow through
the services with 409 on a refused transition, public ordering (idempotent, throttled),
check-in and check-out, the hour ledger and certificates, and the schema."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kepu.core.models import AuditEntry, Region
from kepu.core.testing import fingerprint
from kepu.people.models import Person
from kepu.volunteering import services
from kepu.volunteering.models import Assignment, Certificate, HourEntry, ServiceOrder
from kepu.volunteering.tests.helpers import (
    demo_volunteer_person,
    make_order,
    make_team,
    make_volunteer,
    officer,
    org,
    served_order,
)

pytestmark = pytest.mark.django_db


def town_b():
    return Region.objects.filter(parent__code="510703").order_by("code").first().code


def order_b(**fields):
    return make_order(code=town_b(), address="涪城区城厢街道社区活动室", **fields)


def url(name, *args):
    return reverse(f"api:{name}", args=args or None)


def post(client, name, *args, data=None):
    return client.post(url(name, *args), data or {}, content_type="application/json")


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def public_data(**extra):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=4)
    return {
        "client_key": str(uuid.uuid4()),
        "name": "李奶奶",
        "phone": "139 0000 5555",
        "category": "elderly_digital",
        "key_group": "elderly",
        "region": "510104022",
        "address": "锦江区某社区党群服务中心",
        "window_start": start.isoformat(),
        "window_end": (start + datetime.timedelta(hours=2)).isoformat(),
        "expected_attendees": 30,
        "description": "社区老人想学智能手机挂号。",
        "consent": True,
        **extra,
    }


# --- scope ---------------------------------------------------------------------------------


def test_the_list_is_scoped_and_shows_masked_phones_only(as_persona):
    mine = make_order(phone="13900001111")
    theirs = order_b(phone="13700002222")
    county_a = as_persona("county_a")
    response = county_a.get(url("serviceorder-list"))
    assert mine.pk in ids(response) and theirs.pk not in ids(response)
    content = response.content.decode()
    assert "13900001111" not in content and "139****1111" in content
    row = next(r for r in response.json()["results"] if r["id"] == mine.pk)
    assert row["region"] == "510104022" and row["status"] == "submitted"
    assert row["overdue"] is False and row["dispatch_due"]
    assert {mine.pk, theirs.pk} <= ids(as_persona("province").get(url("serviceorder-list")))
    assert theirs.pk in ids(as_persona("county_b").get(url("serviceorder-list")))
    # The member unit sees only what was dispatched to it; the volunteer their team's.
    assert not {mine.pk, theirs.pk} & ids(as_persona("member").get(url("serviceorder-list")))
    assert not {mine.pk, theirs.pk} & ids(as_persona("volunteer").get(url("serviceorder-list")))
    assert as_persona("sysadmin").get(url("serviceorder-list")).status_code == 403
    assert Client().get(url("serviceorder-list")).status_code == 401


def test_county_b_cannot_reach_a_county_a_order_and_changes_nothing(as_persona):
    order = make_order()
    team = make_team(leader=make_volunteer())
    dispatched = services.dispatch(make_order(), actor=officer(), team=team)
    assignment_order = services.accept(
        services.dispatch(make_order(), actor=officer(), team=team),
        actor=None,
        volunteers=[team.leader],
    )
    assignment = assignment_order.assignments.get()
    before = fingerprint()
    county_b = as_persona("county_b")
    assert county_b.get(url("serviceorder-detail", order.pk)).status_code == 404
    assert county_b.get(url("serviceorder-suggestions", order.pk)).status_code == 404
    attempts = [
        ("serviceorder-dispatch", order.pk, {"team": team.pk}),
        ("serviceorder-reject", order.pk, {"reason": "越权"}),
        ("serviceorder-accept", dispatched.pk, {"volunteers": [team.leader.pk]}),
        ("serviceorder-return", dispatched.pk, {"reason": "越权"}),
        ("serviceorder-complete", assignment_order.pk, {}),
        ("assignment-check-in", assignment.pk, {}),
    ]
    for name, pk, data in attempts:
        assert post(county_b, name, pk, data=data).status_code == 404, name
    # Without the permission at all: 403 (before any lookup).
    assert post(as_persona("member"), "serviceorder-dispatch", order.pk).status_code == 403
    assert post(as_persona("volunteer"), "serviceorder-reject", order.pk).status_code == 403
    assert post(Client(), "serviceorder-dispatch", order.pk).status_code == 401
    assert fingerprint() == before
    assert ServiceOrder.objects.get(pk=order.pk).status == "submitted"


def test_filters(as_persona):
    health = make_order(category="health", key_group="elderly")
    farm = make_order(category="agriculture", key_group="farmers")
    late = make_order(category="health")
    ServiceOrder.objects.filter(pk=late.pk).update(
        dispatch_due=timezone.now() - datetime.timedelta(hours=1)
    )
    sent = services.dispatch(
        make_order(category="health"), actor=officer(), department=org("四川省教育厅")
    )
    client = as_persona("county_a")
    list_url = url("serviceorder-list")

    def found(**params):
        return ids(client.get(list_url, params))

    assert farm.pk in found(category="agriculture") and health.pk not in found(
        category="agriculture"
    )
    assert health.pk in found(key_group="elderly") and farm.pk not in found(key_group="elderly")
    assert sent.pk in found(status="dispatched") and health.pk not in found(status="dispatched")
    assert late.pk in found(overdue="true") and health.pk not in found(overdue="true")
    assert late.pk not in found(overdue="false") and health.pk in found(overdue="false")
    assert health.pk in found(region="510104022") and not found(region="510703")
    assert client.get(list_url, {"status": "nonsense"}).status_code == 400


def test_list_query_count(as_persona, django_assert_max_num_queries):
    team = make_team(leader=make_volunteer())
    for _i in range(4):
        make_order()
        services.dispatch(make_order(), actor=officer(), team=team)
    client = as_persona("county_a")
    with django_assert_max_num_queries(12):
        response = client.get(url("serviceorder-list"))
    assert response.status_code == 200 and response.json()["count"] >= 8


# --- the workflow ---------------------------------------------------------------------------


def test_the_whole_journey_through_the_api(as_persona):
    """Ordered by a citizen, dispatched by the county, claimed by the member department,
    accepted by the team led by the demo volunteer, served, rated by the requester."""
    volunteer = demo_volunteer_person()
    helper = make_volunteer(name="队员")
    team = make_team(organization="四川省教育厅", leader=volunteer, members=[helper])
    anonymous = Client()
    response = post(anonymous, "public-order-list", data=public_data())
    assert response.status_code == 201, response.json()
    token = response.json()["token"]
    order = ServiceOrder.objects.get(token=token)
    assert "phone" not in response.json()

    county_a, member, leader = as_persona("county_a"), as_persona("member"), as_persona("volunteer")
    response = post(
        county_a, "serviceorder-dispatch", order.pk, data={"department": org("四川省教育厅").pk}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "dispatched"
    assert response.json()["dispatched_on_time"] is True

    assert member.get(url("serviceorder-detail", order.pk)).status_code == 200
    response = post(member, "serviceorder-claim", order.pk, data={"team": team.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["team_name"] == team.name

    # The team leader (the demo volunteer) now sees the order and accepts it.
    assert order.pk in ids(leader.get(url("serviceorder-list")))
    suggestions = leader.get(url("serviceorder-suggestions", order.pk)).json()
    assert {s["id"] for s in suggestions["volunteers"]} <= {volunteer.pk, helper.pk}
    response = post(
        leader, "serviceorder-accept", order.pk, data={"volunteers": [volunteer.pk, helper.pk]}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "accepted" and len(body["assignments"]) == 2

    mine = leader.get(url("assignment-list"), {"mine": "true"}).json()["results"]
    own = next(a for a in mine if a["order"] == order.pk)
    assert own["person"] == volunteer.pk
    response = post(leader, "assignment-check-in", own["id"])
    assert response.status_code == 200 and response.json()["checked_in_at"]
    again = post(leader, "assignment-check-in", own["id"])
    assert again.json()["checked_in_at"] == response.json()["checked_in_at"]
    # Pretend the service lasted two hours (the hours come from the times).
    arrived = timezone.now() - datetime.timedelta(hours=2)
    Assignment.objects.filter(order=order).update(checked_in_at=arrived)
    for assignment in Assignment.objects.filter(order=order):
        response = post(leader, "assignment-check-out", assignment.pk)
        assert response.status_code == 200, response.json()
        assert response.json()["hours"] == "2.00" and response.json()["hour_status"] == "pending"

    response = post(leader, "serviceorder-complete", order.pk)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "served"
    assert {a["hour_status"] for a in body["assignments"]} == {"approved"}
    actions = [step["action"] for step in body["timeline"]]
    assert actions[:4] == ["submit", "dispatch", "claim", "accept"]
    assert actions[-1] == "complete" and actions.count("check_out") == 2

    tracked = anonymous.get(url("public-order-detail", token))
    assert tracked.status_code == 200 and tracked.json()["status"] == "served"
    assert "13900005555" not in tracked.content.decode()
    response = post(anonymous, "public-order-rate", token, data={"rating": 5, "comment": "很耐心"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed" and response.json()["rating"] == 5
    assert post(anonymous, "public-order-rate", token, data={"rating": 4}).status_code == 409
    assert AuditEntry.objects.filter(
        action="volunteering.serviceorder.rated", object_id=str(order.pk)
    ).exists()


def test_a_step_in_the_wrong_status_is_409_and_changes_nothing(as_persona):
    order = make_order()
    team = make_team(leader=make_volunteer())
    client = as_persona("county_a")
    before = fingerprint()
    for name, data in [
        ("serviceorder-claim", {"team": team.pk}),
        ("serviceorder-accept", {"volunteers": [team.leader.pk]}),
        ("serviceorder-complete", {}),
        ("serviceorder-close", {}),
        ("serviceorder-return", {"reason": "退回"}),
    ]:
        response = post(client, name, order.pk, data=data)
        assert response.status_code == 409, (name, response.json())
        assert response.json()["code"] == "conflict" and response.json()["message"]
        assert response.json()["fields"] == {}
    assert fingerprint() == before
    assert (
        post(client, "serviceorder-dispatch", order.pk, data={"team": team.pk}).status_code == 200
    )
    # A second officer dispatching the same order is too late.
    late = post(as_persona("city"), "serviceorder-dispatch", order.pk, data={"team": team.pk})
    assert late.status_code == 409 and late.json()["code"] == "conflict"
    assert ServiceOrder.objects.get(pk=order.pk).events.filter(action="dispatch").count() == 1
    token = ServiceOrder.objects.get(pk=order.pk).token
    assert post(Client(), "public-order-rate", token, data={"rating": 5}).status_code == 409


def test_refused_fields_are_400(as_persona):
    order = make_order()
    team = make_team(leader=make_volunteer())
    far_team = make_team(code="510703", leader=make_volunteer())
    client = as_persona("county_a")
    both = post(
        client,
        "serviceorder-dispatch",
        order.pk,
        data={"team": team.pk, "department": org("四川省教育厅").pk},
    )
    assert both.status_code == 400 and both.json()["code"] == "invalid"
    assert post(client, "serviceorder-dispatch", order.pk).status_code == 400
    far = post(client, "serviceorder-dispatch", order.pk, data={"team": far_team.pk})
    assert far.status_code == 400 and "team" in far.json()["fields"]
    no_teams = post(
        client, "serviceorder-dispatch", order.pk, data={"department": org("四川日报社").pk}
    )
    assert no_teams.status_code == 400 and "department" in no_teams.json()["fields"]
    reject = post(client, "serviceorder-reject", order.pk)
    assert reject.status_code == 400 and "reason" in reject.json()["fields"]
    assert ServiceOrder.objects.get(pk=order.pk).status == "submitted"

    order = services.dispatch(order, actor=officer(), team=team)
    outsider = make_volunteer()
    response = post(client, "serviceorder-accept", order.pk, data={"volunteers": [outsider.pk]})
    assert response.status_code == 400 and "volunteers" in response.json()["fields"]
    assert post(client, "serviceorder-accept", order.pk, data={"volunteers": []}).status_code == 400
    back = post(client, "serviceorder-return", order.pk)
    assert back.status_code == 400 and "reason" in back.json()["fields"]
    response = post(client, "serviceorder-return", order.pk, data={"reason": "队伍人手不足"})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["reason"] == "队伍人手不足"


def test_reject_and_close(as_persona):
    client = as_persona("county_a")
    order = make_order()
    response = post(client, "serviceorder-reject", order.pk, data={"reason": "不属于服务范围"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    served = served_order()
    response = post(client, "serviceorder-close", served.pk, data={"note": "多次联系未评价"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["timeline"][-1]["note"] == "多次联系未评价"


def test_suggestions_have_scores_and_reasons(as_persona):
    order = make_order(category="emergency")
    team = make_team(code="510104", leader=make_volunteer(specialties="应急救护、消防安全"))
    response = as_persona("county_a").get(url("serviceorder-suggestions", order.pk))
    assert response.status_code == 200, response.json()
    body = response.json()
    found = next(s for s in body["teams"] if s["id"] == team.pk)
    assert 0 <= found["score"] <= 100 and found["reasons"]
    assert all({"id", "name", "score", "reasons"} <= set(v) for v in body["volunteers"])
    assert as_persona("auditor").get(url("serviceorder-suggestions", order.pk)).status_code == 403
    assert as_persona("member").get(url("serviceorder-suggestions", order.pk)).status_code == 404


# --- public ordering ------------------------------------------------------------------------


def test_public_ordering_is_idempotent():
    client = Client()
    data = public_data()
    first = post(client, "public-order-list", data=data)
    assert first.status_code == 201, first.json()
    again = post(client, "public-order-list", data=data)
    assert again.status_code == 200 and again.json()["token"] == first.json()["token"]
    assert ServiceOrder.objects.filter(client_key=data["client_key"]).count() == 1
    order = ServiceOrder.objects.get(client_key=data["client_key"])
    assert order.requester_phone_masked == "139****5555" and order.requester_user is None
    assert order.notice is not None
    body = first.json()
    assert body["status"] == "submitted" and [s["action"] for s in body["timeline"]] == ["submit"]
    assert "5555" not in str(body)
    assert client.get(url("public-order-detail", uuid.uuid4())).status_code == 404


def test_a_reused_client_key_with_other_details_reveals_nothing():
    """Security #9: the key of somebody else's order, sent with another name and phone,
    is a conflict with no link and no word about that order (as on the page)."""
    data = public_data()
    first = post(Client(), "public-order-list", data=data)
    assert first.status_code == 201
    order = ServiceOrder.objects.get(client_key=data["client_key"])
    before = fingerprint()
    for other in (
        {"name": "张三", "phone": "13700002222"},
        {"phone": "13700002222"},
        {"name": "张三"},
    ):
        response = post(Client(), "public-order-list", data={**data, **other})
        body = response.json()
        assert response.status_code == 409, body
        assert body["code"] == "conflict" and body["fields"] == {}
        assert str(order.token) not in str(body) and order.number not in str(body)
        assert "token" not in body and "status" not in body
    assert fingerprint() == before
    assert ServiceOrder.objects.filter(client_key=data["client_key"]).count() == 1


def test_public_ordering_refuses_bad_input():
    client = Client()
    count = ServiceOrder.objects.count()
    cases = [
        (public_data(consent=False), "consent"),
        (public_data(phone="12345"), "phone"),
        (public_data(region="51"), "region"),
        (public_data(region="nowhere"), "region"),
        (public_data(category="magic"), "category"),
        (public_data(expected_attendees=0), "expected_attendees"),
        (public_data(window_end=public_data()["window_start"]), "window_end"),
        (public_data(organization=org("四川省教育厅").pk), "organization"),
    ]
    for data, field in cases:
        response = post(client, "public-order-list", data=data)
        assert response.status_code == 400 and field in response.json()["fields"], (
            field,
            response.json(),
        )
    assert ServiceOrder.objects.count() == count


def test_public_ordering_is_rate_limited(settings):
    settings.PUBLIC_ORDER_LIMIT = 2
    client = Client()
    assert post(client, "public-order-list", data=public_data()).status_code == 201
    assert post(client, "public-order-list", data=public_data()).status_code == 201
    assert post(client, "public-order-list", data=public_data()).status_code == 429


def test_rating_is_validated():
    order = served_order()
    client = Client()
    response = post(client, "public-order-rate", order.token, data={"rating": 6})
    assert response.status_code == 400 and "rating" in response.json()["fields"]
    assert ServiceOrder.objects.get(pk=order.pk).status == "served"


# --- assignments ------------------------------------------------------------------------------


def test_volunteers_see_and_check_in_only_their_own_assignments(as_persona):
    volunteer = demo_volunteer_person()
    other = make_volunteer()
    team = make_team(leader=other, members=[volunteer])
    order = services.dispatch(make_order(), actor=officer(), team=team)
    order = services.accept(order, actor=None, volunteers=[volunteer, other])
    own = order.assignments.get(person=volunteer)
    theirs = order.assignments.get(person=other)
    client = as_persona("volunteer")
    listed = ids(client.get(url("assignment-list")))
    assert own.pk in listed and theirs.pk not in listed
    assert post(client, "assignment-check-in", theirs.pk).status_code == 404
    assert post(client, "assignment-check-out", own.pk).status_code == 409  # not checked in
    assert post(client, "assignment-check-in", own.pk).status_code == 200
    # Once the service is over, a check-in is no longer possible.
    other_order = services.accept(
        services.dispatch(make_order(), actor=officer(), team=team),
        actor=None,
        volunteers=[volunteer],
    )
    pending = other_order.assignments.get()
    ServiceOrder.objects.filter(pk=other_order.pk).update(status="served")
    assert post(client, "assignment-check-in", pending.pk).status_code == 409
    assert as_persona("secadmin").get(url("assignment-list")).status_code == 403


# --- hours ---------------------------------------------------------------------------------


def test_the_team_leader_records_and_decides_hours(as_persona):
    leader = demo_volunteer_person()
    member = make_volunteer(name="队员")
    team = make_team(leader=leader, members=[member])
    client = as_persona("volunteer")
    start = (timezone.now() - datetime.timedelta(days=3)).replace(microsecond=0)
    data = {
        "person": member.pk,
        "team": team.pk,
        "started_at": start.isoformat(),
        "ended_at": (start + datetime.timedelta(hours=3)).isoformat(),
        "description": "村里果树病虫害防治指导",
    }
    response = post(client, "hourentry-list", data=data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["hours"] == "3.00" and body["source"] == "manual"
    overlap = post(client, "hourentry-list", data=data)
    assert overlap.status_code == 400 and overlap.json()["code"] == "refused"
    backwards = post(client, "hourentry-list", data={**data, "ended_at": data["started_at"]})
    assert backwards.status_code == 400 and "ended_at" in backwards.json()["fields"]
    assert post(client, "hourentry-list", data={**data, "description": ""}).status_code == 400

    # The leader's own hours: recorded, but never decided by himself.
    own = post(
        client,
        "hourentry-list",
        data={**data, "person": leader.pk, "description": "自己的服务"},
    )
    assert own.status_code == 201, own.json()
    refused = post(client, "hourentry-approve", own.json()["id"])
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    rejected = post(client, "hourentry-reject", body["id"])
    assert rejected.status_code == 400 and "reason" in rejected.json()["fields"]
    approved = post(client, "hourentry-approve", body["id"])
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = post(client, "hourentry-approve", body["id"])
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert HourEntry.objects.get(pk=body["id"]).decided_by.username == "demo-volunteer"

    def found(**params):
        return ids(client.get(url("hourentry-list"), params))

    assert {body["id"], own.json()["id"]} <= found(team=team.pk)
    assert found(person=member.pk) == {body["id"]}
    assert found(status="pending") >= {own.json()["id"]} and body["id"] not in found(
        status="pending"
    )
    local = timezone.localtime(start)
    assert body["id"] in found(period=f"{local:%Y-%m}")
    assert body["id"] in found(period=f"{local:%Y}")
    assert body["id"] not in found(period=f"{local.year - 1}")
    assert client.get(url("hourentry-list"), {"period": "2025-13"}).status_code == 400


def test_hours_for_someone_else_in_a_team_one_does_not_lead_are_refused(as_persona):
    volunteer = demo_volunteer_person()
    other = make_volunteer()
    team = make_team(leader=other, members=[volunteer])
    start = (timezone.now() - datetime.timedelta(days=2)).replace(microsecond=0)
    data = {
        "person": other.pk,
        "team": team.pk,
        "started_at": start.isoformat(),
        "ended_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "description": "社区讲座",
    }
    client = as_persona("volunteer")
    response = post(client, "hourentry-list", data=data)
    assert response.status_code == 400 and "person" in response.json()["fields"]
    # Their own hours with the team are fine (the leader approves them).
    response = post(client, "hourentry-list", data={**data, "person": volunteer.pk})
    assert response.status_code == 201, response.json()
    outside = make_team(code="510703", leader=make_volunteer())
    response = post(client, "hourentry-list", data={**data, "team": outside.pk})
    assert response.status_code == 400 and "team" in response.json()["fields"]
    # A person the volunteer may not act for is answered as an unknown id: the answer
    # does not tell that the person exists.
    missing = Person.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    unknown = post(client, "hourentry-list", data={**data, "person": missing}).json()
    stranger = post(client, "hourentry-list", data={**data, "person": other.pk}).json()
    assert stranger["fields"]["person"] == [
        m.replace(str(missing), str(other.pk)) for m in unknown["fields"]["person"]
    ]
    assert HourEntry.objects.filter(person=other).count() == 0


# --- certificates ---------------------------------------------------------------------------


def test_certificates_are_issued_and_verified(as_persona):
    order = served_order(hours=3)
    entry = HourEntry.objects.get(order=order)
    today = timezone.localdate()
    data = {
        "person": entry.person.pk,
        "team": order.team.pk,
        "period_start": (today - datetime.timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
    }
    assert post(as_persona("county_b"), "certificate-list", data=data).status_code == 400
    response = post(as_persona("province"), "certificate-list", data=data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_hours"] == "3.00" and body["entries"] == 1
    assert body["number"].startswith("ZYZM") and body["holder_name"] == entry.person.name
    listed = ids(as_persona("province").get(url("certificate-list")))
    assert body["id"] in listed

    anonymous = Client()
    checked = anonymous.get(url("certificate-verify", body["number"]))
    assert checked.status_code == 200
    result = checked.json()
    assert result["valid"] is True and result["total_hours"] == "3.00"
    name = entry.person.name
    assert result["holder_name"] != name and result["holder_name"][0] == name[0]
    assert name not in checked.content.decode()
    assert anonymous.get(url("certificate-verify", "ZYZM2025NOSUCH0000")).status_code == 404

    empty = {**data, "period_start": "2020-01-01", "period_end": "2020-01-31"}
    response = post(as_persona("province"), "certificate-list", data=empty)
    assert response.status_code == 400 and Certificate.objects.count() == 1


# --- schema ---------------------------------------------------------------------------------


def test_the_schema_lists_the_endpoints():
    schema = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert {
        "/api/v1/orders/",
        "/api/v1/orders/{id}/",
        "/api/v1/orders/{id}/dispatch/",
        "/api/v1/orders/{id}/suggestions/",
        "/api/v1/public/orders/",
        "/api/v1/public/orders/{token}/rate/",
        "/api/v1/assignments/{id}/check-in/",
        "/api/v1/hours/{id}/approve/",
        "/api/v1/certificates/verify/{number}/",
    } <= set(schema["paths"])
    assert "OrderStatusEnum" in schema["components"]["schemas"]


# --- the shared filters and the error contract -------------------------------------------


def test_list_filters_refuse_oversized_ids_and_read_compact_periods(as_persona):
    client = as_persona("county_a")
    huge = "99999999999999999999"
    for name, param in [
        ("hourentry-list", "team"),
        ("hourentry-list", "person"),
        ("assignment-list", "order"),
        ("certificate-list", "person"),
    ]:
        response = client.get(url(name), {param: huge})
        assert response.status_code == 400, (name, param)
        assert response.json()["code"] == "invalid" and param in response.json()["fields"]
    page = client.get(reverse("volunteering:hour_list"), {"team": huge})
    assert page.status_code == 200 and not list(page.context["page"])
    entry = HourEntry.objects.get(order=served_order(hours=2))
    local = timezone.localtime(entry.started_at)
    quarter = f"{local.year}Q{(local.month - 1) // 3 + 1}"
    assert entry.pk in ids(client.get(url("hourentry-list"), {"period": quarter}))
    assert entry.pk not in ids(client.get(url("hourentry-list"), {"period": f"{local.year - 1}Q1"}))
    assert client.get(url("hourentry-list"), {"period": "2025Q5"}).status_code == 400


def test_state_clashes_are_409_conflict(as_persona):
    order = served_order(hours=1)
    entry = HourEntry.objects.get(order=order)
    today = timezone.localdate()
    certificate = services.issue_certificate(
        actor=None,
        person=entry.person,
        team=order.team,
        period_start=today - datetime.timedelta(days=30),
        period_end=today,
    )
    client = as_persona("province")
    first = post(client, "certificate-revoke", certificate.pk, data={"reason": "时段填写错误"})
    assert first.status_code == 200, first.json()
    again = post(client, "certificate-revoke", certificate.pk, data={"reason": "再次撤销"})
    assert again.status_code == 409
    assert again.json() == {
        "code": "conflict",
        "message": again.json()["message"],
        "fields": {},
    }


def test_dispatch_choices_are_the_orders_own(as_persona):
    """Security #8: a team or department outside the order's choices is answered exactly
    like an id that does not exist (nothing about it echoed), and nothing changes."""
    order = make_order()  # in 锦江区
    far_team = make_team(organization="", code="510703")  # serves 涪城区 only
    county_a = as_persona("county_a")
    before = fingerprint()
    far = post(county_a, "serviceorder-dispatch", order.pk, data={"team": far_team.pk})
    missing = post(county_a, "serviceorder-dispatch", order.pk, data={"team": 999999999})
    assert far.status_code == missing.status_code == 400
    assert far.json()["fields"]["team"] == [
        m.replace("999999999", str(far_team.pk)) for m in missing.json()["fields"]["team"]
    ]
    far_unit = post(
        county_a,
        "serviceorder-dispatch",
        order.pk,
        data={"department": org("涪城区科学技术协会").pk},
    )
    assert far_unit.status_code == 400 and "department" in far_unit.json()["fields"]
    assert fingerprint() == before
    near_team = make_team(organization="", code="510104")
    response = post(county_a, "serviceorder-dispatch", order.pk, data={"team": near_team.pk})
    assert response.status_code == 200, response.json()
