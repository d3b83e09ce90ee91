"""Volunteer teams, second pass (issue 26): certification with four-eyes, the state
machine, sub-teams, honours, designated service groups and the team list's filters,
through HTTP as the shared personas."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kepu.core.models import Region, User
from kepu.core.testing import fingerprint
from kepu.people import services
from kepu.people import team_services as ts
from kepu.people.choices import MAX_TEAMS_PER_PERSON
from kepu.people.models import Person, ServiceGroup, Team, TeamHonour
from kepu.people.tests.authz import valid_id

pytestmark = pytest.mark.django_db
FOUR_EYES = "You submitted this yourself; another officer must approve it."


def english(client):
    client.cookies["django_language"] = "en"
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def region(code):
    return Region.objects.get(code=code)


def step(client, team, name, **data):
    return client.post(reverse("people:team_step", args=[team.pk, name]), data)


def test_a_filed_team_waits_and_the_filer_cannot_certify_it(as_persona):
    county_a = english(as_persona("county_a"))
    response = county_a.post(
        reverse("people:team_list"), {"name": "锦江区科普服务队", "region": "510104"}
    )
    assert response.status_code == 302
    team = Team.objects.get(name="锦江区科普服务队")
    assert team.status == "pending" and team.submitted_by.username == "demo-county-a"
    page = county_a.get(reverse("people:team_detail", args=[team.pk])).content.decode()
    assert FOUR_EYES in page and reverse("people:team_step", args=[team.pk, "certify"]) not in page
    before = fingerprint()
    response = step(county_a, team, "certify")
    assert messages_of(response)[-1] == FOUR_EYES
    assert fingerprint() == before
    # Another officer of a region above certifies it.
    assert step(as_persona("city"), team, "certify").status_code == 302
    team.refresh_from_db()
    assert team.status == "active" and team.certified_at is not None


def test_the_state_machine_suspend_reinstate_dissolve(as_persona):
    team = services.create_team(actor=None, name="涪城区状态服务队", region=region("510703"))
    county_b = english(as_persona("county_b"))
    assert messages_of(step(county_b, team, "suspend"))[-1] == "Give the reason."
    team.refresh_from_db()
    assert team.status == "active"
    step(county_b, team, "suspend", reason="长期未开展活动")
    team.refresh_from_db()
    assert (team.status, team.status_reason) == ("suspended", "长期未开展活动")
    assert messages_of(step(county_b, team, "certify"))[-1] == (
        "Only a team awaiting certification can be certified."
    )
    step(county_b, team, "reinstate")
    team.refresh_from_db()
    assert team.status == "active"
    step(county_b, team, "dissolve", reason="单位撤并")
    team.refresh_from_db()
    assert team.status == "dissolved"
    response = step(county_b, team, "reinstate")
    assert messages_of(response)[-1] == "Only a suspended team can be reinstated."


def test_another_county_cannot_touch_the_team(as_persona):
    team = ts.file_team(actor=None, name="涪城区跨县服务队", region=region("510703"))
    county_a = as_persona("county_a")
    before = fingerprint()
    assert step(county_a, team, "certify").status_code == 404
    assert county_a.get(reverse("people:team_detail", args=[team.pk])).status_code == 404
    assert fingerprint() == before


def test_sub_teams_are_counted_and_shown_under_their_parent(as_persona):
    parent = services.create_team(actor=None, name="成都市测试志愿服务总队", region=region("5101"))
    county_a = english(as_persona("city"))  # the city files its county's sub-team
    response = county_a.post(
        reverse("people:team_list"),
        {"name": "锦江区分队", "region": "510104", "parent_ref": "成都市测试志愿服务总队"},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.sub_team_count == 1
    page = county_a.get(reverse("people:team_detail", args=[parent.pk])).content.decode()
    assert "锦江区分队" in page
    listed = county_a.get(reverse("people:team_list"), {"parent": parent.pk}).content.decode()
    assert "锦江区分队" in listed and "锦江区科普" not in listed
    # A sub-team lies in its parent's region.
    response = county_a.post(
        reverse("people:team_list"),
        {"name": "越界分队", "region": "510104", "parent_ref": "涪城区矩阵服务队"},
    )
    assert response.status_code == 400


def test_the_list_filters_by_status_and_level(as_persona):
    services.create_team(actor=None, name="锦江区已认定队", region=region("510104"))
    ts.file_team(actor=None, name="锦江区待认定队", region=region("510104"))
    client = as_persona("county_a")
    pending = client.get(reverse("people:team_list"), {"status": "pending"}).content.decode()
    assert "锦江区待认定队" in pending and "锦江区已认定队" not in pending
    top = client.get(reverse("people:team_list"), {"level": "top"}).content.decode()
    assert "锦江区已认定队" in top
    export = client.get(reverse("people:team_export"), {"status": "pending"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_leader_applies_and_the_region_certifies(as_persona):
    volunteer = english(as_persona("volunteer"))
    response = volunteer.post(reverse("people:team_apply"), {"name": "刘洋天文科普队"})
    assert response.status_code == 302
    team = Team.objects.get(name="刘洋天文科普队")
    leader = Person.objects.get(user__username="demo-volunteer")
    assert (team.status, team.leader, team.region) == ("pending", leader, leader.region)
    assert "刘洋天文科普队" in volunteer.get(reverse("people:team_apply")).content.decode()
    before = fingerprint()
    again = volunteer.post(reverse("people:team_apply"), {"name": "第二个申请"})
    assert again.status_code == 400
    assert "You already have a team application awaiting certification." in again.content.decode()
    assert fingerprint() == before


def test_honours_are_recorded_listed_and_refused_twice(as_persona):
    team = services.create_team(actor=None, name="锦江区荣誉服务队", region=region("510104"))
    client = english(as_persona("county_a"))
    url = reverse("people:team_honour_add", args=[team.pk])
    data = {"honour": "excellent", "year": "2025", "awarded_by": "四川省科协"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "The team already has this honour for this year." in again.content.decode()
    assert TeamHonour.objects.filter(team=team).count() == 1
    listed = client.get(reverse("people:team_honour_list"), {"year": 2025}).content.decode()
    assert "锦江区荣誉服务队" in listed
    pending = ts.file_team(actor=None, name="待认定无荣誉", region=region("510104"))
    refused = client.post(reverse("people:team_honour_add", args=[pending.pk]), data)
    assert "Only a certified team can receive an honour." in refused.content.decode()


def test_a_county_sees_the_groups_serving_it(as_persona):
    lead = services.create_team(actor=None, name="省测试志愿服务总队", region=region("51"))
    province = english(as_persona("province"))
    response = province.post(
        reverse("people:group_create"),
        {
            "name": "涪城区定点服务团",
            "region": "51",
            "lead_team_ref": lead.name,
            "period_start": "2025-01-01",
            "period_end": "2027-12-31",
            "counties": ["510703"],
        },
    )
    assert response.status_code == 302
    group = ServiceGroup.objects.get(name="涪城区定点服务团")
    assert [r.code for r in group.counties.all()] == ["510703"]
    county_b, county_a = as_persona("county_b"), as_persona("county_a")
    assert "涪城区定点服务团" in county_b.get(reverse("people:group_list")).content.decode()
    assert county_b.get(reverse("people:group_detail", args=[group.pk])).status_code == 200
    assert "涪城区定点服务团" not in county_a.get(reverse("people:group_list")).content.decode()
    assert county_a.get(reverse("people:group_detail", args=[group.pk])).status_code == 404
    # A city is not a county; the lead team must be active.
    before = fingerprint()
    refused = province.post(
        reverse("people:group_create"),
        {"name": "错误服务团", "region": "51", "lead_organization_ref": "",
         "lead_team_ref": lead.name, "period_start": "2025-01-01", "period_end": "2024-01-01",
         "counties": ["510703"]},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "The period ends before it starts." in refused.content.decode()
    assert fingerprint() == before


def test_the_five_team_rule_is_unchanged(as_persona):
    person = services.create_person(
        actor=None, name="五队成员", id_number=valid_id("51010419900303004"),
        region=region("510104"),
    )  # fmt: skip
    teams = [
        services.create_team(actor=None, name=f"五队规则{i}", region=region("510104"))
        for i in range(MAX_TEAMS_PER_PERSON + 1)
    ]
    for team in teams[:MAX_TEAMS_PER_PERSON]:
        services.add_team_member(team, person, actor=None)
    client = english(as_persona("county_a"))
    before = fingerprint()
    response = client.post(
        reverse("people:team_member_add", args=[person.pk]), {"team": teams[-1].pk}
    )
    assert (
        f"A person can belong to at most {MAX_TEAMS_PER_PERSON} teams."
        in " ".join(messages_of(response)) + response.content.decode()
    )
    assert fingerprint() == before


def test_api_certify_and_the_four_eyes_refusal(as_persona):
    team = ts.file_team(
        actor=User.objects.get(username="demo-county-b"), name="接口认定队", region=region("510703")
    )
    url = reverse("api:team-certify", args=[team.pk])
    before = fingerprint()
    assert english(as_persona("county_b")).post(url).status_code == 403
    assert fingerprint() == before
    response = as_persona("province").post(url)
    assert response.status_code == 200 and response.json()["status"] == "active"
    listed = as_persona("province").get(reverse("api:team-list"), {"status": "active"}).json()
    assert any(row["id"] == team.pk for row in listed["results"])


def test_existing_teams_are_certified_by_the_migration():
    # The field's default for rows written before certification existed.
    team = services.create_team(actor=None, name="历史服务队", region=region("510104"))
    assert team.status == "active"
    assert datetime.date.today() >= team.created_at.date()


def test_a_team_moves_under_another_parent_and_the_counts_follow(as_persona):
    from kepu.core.models import AuditEntry
    from kepu.people.invariants import team_hierarchy_is_consistent

    first = services.create_team(actor=None, name="成都市第一总队", region=region("5101"))
    second = services.create_team(actor=None, name="成都市第二总队", region=region("5101"))
    team = ts.file_team(actor=None, name="锦江区移动分队", region=region("510104"), parent=first)
    city = english(as_persona("city"))
    page = city.get(reverse("people:team_detail", args=[team.pk])).content.decode()
    assert reverse("people:team_step", args=[team.pk, "move"]) in page and "成都市第一总队" in page
    response = step(city, team, "move", parent="成都市第二总队")
    assert response.status_code == 302 and messages_of(response) == ["The team has been moved."]
    team.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert team.parent == second and (first.sub_team_count, second.sub_team_count) == (0, 1)
    entry = AuditEntry.objects.filter(action="people.team.moved", object_id=str(team.pk)).get()
    assert entry.actor.username == "demo-city" and "parent" in entry.changes
    # To the top level, with an empty name.
    assert step(city, team, "move", parent="").status_code == 302
    team.refresh_from_db(), second.refresh_from_db()
    assert team.parent is None and second.sub_team_count == 0
    assert list(team_hierarchy_is_consistent()) == []


def test_a_move_that_would_make_a_loop_or_leave_the_region_changes_nothing(as_persona):
    top = services.create_team(actor=None, name="成都市循环总队", region=region("5101"))
    sub = ts.file_team(actor=None, name="锦江区循环分队", region=region("510104"), parent=top)
    mianyang = services.create_team(actor=None, name="绵阳市总队", region=region("5107"))
    for team, parent, refusal in [
        (top, "锦江区循环分队", "A team cannot go under itself or one of its sub-teams."),
        (top, "成都市循环总队", "A team cannot go under itself or one of its sub-teams."),
        (sub, "绵阳市总队", "A sub-team is in its parent team's region or within it."),
        (sub, "成都市循环总队", "The team is already under this parent."),
        (sub, "没有这个服务队", "No single team you can see has this exact name."),
    ]:
        province = english(as_persona("province"))  # a session of its own: one message
        before = fingerprint()
        response = step(province, team, "move", parent=parent)
        assert response.status_code == 302 and messages_of(response) == [refusal], parent
        assert fingerprint() == before
    assert mianyang.sub_team_count == 0
    # Another county sees no such team, and no form to move it.
    county_b = as_persona("county_b")
    before = fingerprint()
    assert step(county_b, sub, "move", parent="").status_code == 404
    assert fingerprint() == before
