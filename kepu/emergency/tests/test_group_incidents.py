"""Incidents through HTTP and the services: activation and its level rule (province,
city, county), scope and the affected regions' subtree, no start in the future, the
list's filters, export and API, edit and close. Refusals say why and change nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry, Region, User
from kepu.core.testing import fingerprint
from kepu.emergency import choices as c
from kepu.emergency.models import GroupMember, Incident
from kepu.emergency.services import incidents as services
from kepu.emergency.tests.authz_group import make_expert, make_incident

pytestmark = pytest.mark.django_db

NEW = {
    "title": "锦江区地震应急科普",
    "hazard": "earthquake",
    "level": "3",
    "region": "5101",
    "affected_regions": ["510104"],
    "summary": "锦江区发生4.8级地震。",
}


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _user(name):
    return User.objects.get(username=name)


def _region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def experts(db):
    return [make_expert(f"测试应急专家{i}", "510104") for i in range(9)]


def test_a_city_officer_activates_and_the_group_is_proposed_at_once(as_persona, experts):
    city = _english(as_persona("city"))
    response = city.post(reverse("emergency:incident_create"), NEW)
    assert response.status_code == 302
    incident = Incident.objects.get(title=NEW["title"])
    assert response["Location"] == reverse("emergency:incident_detail", args=[incident.pk])
    assert (incident.level, incident.region.code, incident.status, incident.is_drill) == (
        3,
        "5101",
        "activated",
        False,
    )
    assert incident.activated_by.username == "demo-city"
    assert list(incident.affected.values_list("region__code", flat=True)) == ["510104"]
    members = list(incident.members.order_by("rank"))
    assert len(members) == c.GROUP_SIZE[3] == 5
    assert {m.status for m in members} == {"proposed"}
    assert [m.rank for m in members] == [1, 2, 3, 4, 5]
    assert members[0].reasons["topic"] is True and members[0].reasons["distance"] == "county"
    actions = set(
        AuditEntry.objects.filter(object_id=str(incident.pk)).values_list("action", flat=True)
    )
    assert {"emergency.incident.activated", "emergency.groupmember.proposed"} <= actions
    page = city.get(reverse("emergency:incident_detail", args=[incident.pk])).content.decode()
    assert "covers Earthquakes · same county · Senior (full) · current tasks 0" in page
    assert reverse("emergency:member_invite", args=[incident.pk]) in page


def test_level_one_needs_a_province_officer(as_persona, experts):
    city = _english(as_persona("city"))
    before = fingerprint()
    response = city.post(reverse("emergency:incident_create"), {**NEW, "level": "1"})
    assert response.status_code == 400
    assert "Level I and II incidents are activated by a province officer." in (
        response.content.decode()
    )
    assert fingerprint() == before
    province = as_persona("province")
    response = province.post(
        reverse("emergency:incident_create"), {**NEW, "level": "1", "region": "51"}
    )
    assert response.status_code == 302
    incident = Incident.objects.get(title=NEW["title"])
    assert (incident.level, incident.region.code) == (1, "51")
    assert incident.members.count() == c.GROUP_SIZE[1] == 9


def test_a_province_officer_may_not_give_level_one_to_a_city():
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.activate_incident(
            actor=_user("demo-province"),
            title="测试",
            hazard="flood",
            level=2,
            region=_region("5101"),
            affected_regions=[_region("510104")],
        )
    assert refused.value.message_dict == {
        "level": ["Level I and II incidents are activated by a province officer."]
    }


def test_a_county_officer_is_refused_with_a_clear_message(as_persona):
    county = _english(as_persona("county_a"))
    before = fingerprint()
    response = county.post(reverse("emergency:incident_create"), {**NEW, "region": "510104"})
    assert response.status_code == 400  # no province or city among the choices
    assert fingerprint() == before
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.activate_incident(
            actor=_user("demo-county-a"),
            title="测试",
            hazard="flood",
            level=4,
            region=_region("5101"),
            affected_regions=[_region("510104")],
        )
    assert refused.value.messages == [
        "Only province and city officers activate an incident; county officers take part in it."
    ]
    assert not Incident.objects.filter(title="测试").exists()


def test_a_region_outside_the_scope_and_affected_regions_outside_the_subtree():
    city = _user("demo-city")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.activate_incident(
            actor=city,
            title="测试",
            hazard="flood",
            level=4,
            region=_region("5107"),
            affected_regions=[_region("510703")],
        )
    assert refused.value.messages == ["This region is outside your scope."]
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.activate_incident(
            actor=_user("demo-province"),
            title="测试",
            hazard="flood",
            level=4,
            region=_region("5101"),
            affected_regions=[_region("510104"), _region("510703")],
        )
    assert refused.value.message_dict == {"affected_regions": ["涪城区: not within 成都市."]}
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.activate_incident(
            actor=city, title="测试", hazard="flood", level=4, region=_region("5101"),
            affected_regions=[],
        )  # fmt: skip
    assert refused.value.message_dict == {
        "affected_regions": ["Choose at least one affected region."]
    }
    assert not Incident.objects.filter(title="测试").exists()


def test_the_start_cannot_be_in_the_future(as_persona):
    city = _english(as_persona("city"))
    later = timezone.localtime() + datetime.timedelta(hours=2)
    before = fingerprint()
    response = city.post(
        reverse("emergency:incident_create"),
        {**NEW, "started_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "The start cannot be in the future." in response.content.decode()
    assert fingerprint() == before


def test_edit_adds_regions_rechecks_the_level_and_close_records_the_lessons(as_persona):
    incident = make_incident("测试编辑地震")
    city = _english(as_persona("city"))
    url = reverse("emergency:incident_update", args=[incident.pk])
    before = fingerprint()
    response = city.post(url, {"title": "测试编辑地震", "level": "2", "summary": ""})
    assert response.status_code == 400
    assert "Level I and II incidents are activated by a province officer." in (
        response.content.decode()
    )
    assert fingerprint() == before
    response = city.post(
        url,
        {"title": "测试编辑地震（续）", "level": "4", "summary": "余震", "add_regions": ["510105"]},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.level, incident.summary) == ("测试编辑地震（续）", 4, "余震")
    assert sorted(incident.affected.values_list("region__code", flat=True)) == [
        "510104",
        "510105",
    ]
    # County A reads it (an affected region) but neither edits nor closes it.
    county_a = as_persona("county_a")
    assert county_a.get(reverse("emergency:incident_detail", args=[incident.pk])).status_code == 200
    assert county_a.post(reverse("emergency:incident_close", args=[incident.pk])).status_code == 403
    close = reverse("emergency:incident_close", args=[incident.pk])
    assert city.post(close, {"lessons": "提前排班"}).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.lessons, incident.closed_by.username) == (
        "closed",
        "提前排班",
        "demo-city",
    )
    assert incident.closed_at is not None
    response = city.get(close, follow=True)
    assert "This incident is already closed." in response.content.decode()
    with translation.override("en"), pytest.raises(StateConflict) as refused:
        services.close_incident(incident, actor=_user("demo-city"))
    assert refused.value.messages == [
        "This incident is “Closed”; it cannot be changed that way now."
    ]


def test_mark_responding_is_idempotent():
    incident = make_incident("测试响应")
    assert services.mark_responding(incident) is True
    first = Incident.objects.get(pk=incident.pk).responding_at
    assert services.mark_responding(incident) is False
    incident.refresh_from_db()
    assert (incident.status, incident.responding_at) == ("responding", first)


def test_the_list_filters_exports_and_the_api(as_persona):
    quake = make_incident("测试列表地震")
    drill = make_incident("测试洪涝演练", hazard="flood", level=4, is_drill=True)
    mianyang = make_incident("测试绵阳地震", region="5107", affected=("510703",), level=4)
    county_a = as_persona("county_a")
    url = reverse("emergency:incident_list")

    def titles(query):
        response = county_a.get(url, query)
        assert response.status_code == 200
        return {i.title for i in response.context["page"]}

    assert {quake.title, drill.title} <= titles({})
    assert mianyang.title not in titles({})  # 涪城区 is not county A's
    assert drill.title in titles({"drill": "yes"}) and quake.title not in titles({"drill": "yes"})
    assert titles({"hazard": "flood"}) & {quake.title, drill.title} == {drill.title}
    assert quake.title in titles({"group": "proposed"})
    assert titles({"period": "2026-13"}) == set()  # an invalid period shows nothing
    province = as_persona("province")
    assert mianyang.title in {
        i.title for i in province.get(url, {"region": "5107"}).context["page"]
    }
    export = province.get(reverse("emergency:incident_export"), {"region": "5107"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="emergency.incident.exported").exists()

    api = as_persona("county_a")
    body = api.get(reverse("api:incident-list"), {"hazard": "flood"}).json()
    rows = [r for r in body["results"] if r["title"] == drill.title]
    assert rows and rows[0]["affected"] == ["510104"] and rows[0]["is_drill"] is True
    assert rows[0]["colour"] == "blue" and rows[0]["region"] == "5101"
    detail = reverse("api:incident-detail", args=[mianyang.pk])
    assert api.get(detail).status_code == 404
    bad = api.get(reverse("api:incident-list"), {"period": "2026-13"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_nothing_of_a_closed_group_changes():
    incident = make_incident("测试关闭后")
    member = GroupMember.objects.filter(incident=incident).first()
    services.close_incident(incident, actor=None)
    from kepu.emergency.services import group

    with translation.override("en"), pytest.raises(StateConflict) as refused:
        group.invite_members(incident, actor=None, members=[member])
    assert refused.value.messages == ["The incident is closed; its group no longer changes."]
