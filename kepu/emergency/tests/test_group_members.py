"""The expert group through HTTP and the services: the proposal's order and reasons
(topic match first, nearer first, lower load first; experts on duty elsewhere left out),
invitations, the expert's own answer (a decline needs a reason and brings a replacement),
an answer recorded by an officer, the duty schedule (never two groups at the same hour),
the workbench items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kepu.core import workbench
from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry, Job, User
from kepu.core.testing import fingerprint, login_client
from kepu.emergency import choices as c
from kepu.emergency.models import DutyShift, GroupMember
from kepu.emergency.services import group
from kepu.emergency.services.group import candidates, describe_reasons
from kepu.emergency.tests.authz_group import make_expert, make_incident
from kepu.emergency.tests.helpers import make_incident as bare_incident
from kepu.emergency.tests.helpers import make_member
from kepu.people.models import Person

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _user(name):
    return User.objects.get(username=name)


def test_the_proposal_order_and_its_reasons():
    now = timezone.now()
    best = make_expert("测试甲", "510104")  # topic, same county, senior, no load
    no_topic = make_expert("测试乙", "510104", topics=("fire",))
    same_city = make_expert("测试丙", "510105")
    other_city = make_expert("测试丁", "510703")
    busy = make_expert("测试戊", "510104")
    junior = make_expert("测试己", "510104", title_level="junior")
    on_duty = make_expert("测试庚", "510104")
    elsewhere = bare_incident(title="测试别处", region_code="5107", affected=("510703",))
    make_member(elsewhere, busy, status=c.MemberStatus.INVITED)
    duty = make_member(elsewhere, on_duty, status=c.MemberStatus.ACCEPTED)
    group.add_shift(duty, actor=None, starts_at=now - datetime.timedelta(hours=1),
                    ends_at=now + datetime.timedelta(hours=3))  # fmt: skip

    incident = bare_incident(title="测试排序", region_code="5101", affected=("510104",))
    found = candidates(incident, limit=1000)
    mine = {p.pk: p.name for p in (best, no_topic, same_city, other_city, busy, junior, on_duty)}
    order = [mine[x.person_id] for x in found if x.person_id in mine]
    assert order == ["测试甲", "测试戊", "测试己", "测试丙", "测试丁", "测试乙"]
    first = next(x for x in found if x.person_id == best.pk)
    assert first.reasons == {
        "topic": True,
        "hazard": "earthquake",
        "distance": "county",
        "pool": "四川省应急科普专家库",
        "title_level": "senior",
        "load": 0,
    }
    loaded = next(x for x in found if x.person_id == busy.pk)
    assert loaded.reasons["load"] == 1 and loaded.score == first.score - group.LOAD_POINTS
    with translation.override("en"):
        assert describe_reasons(first.reasons) == [
            "covers Earthquakes",
            "same county",
            "Senior (full)",
            "current tasks 0",
        ]
        far = next(x for x in found if x.person_id == no_topic.pk)
        assert describe_reasons(far.reasons)[0] == "does not list Earthquakes"


def test_the_proposal_runs_a_few_queries_whatever_the_pool_size(django_assert_max_num_queries):
    for i in range(30):
        make_expert(f"测试批量{i}", "510104")
    incident = bare_incident(title="测试查询数")
    with django_assert_max_num_queries(5):
        assert len(candidates(incident, limit=1000)) >= 30


@pytest.fixture
def expert_account(db):
    """demo-expert (周明远) as an emergency pool member covering earthquakes, in 锦江区."""
    account = User.objects.get(username="demo-expert")
    User.objects.filter(pk=account.pk).update(email="zhou@example.org")
    person = Person.objects.filter(user=account).first()
    if person is None:
        person = make_expert("周明远", "510104", user=account)
    else:
        from kepu.people import services as people
        from kepu.people.models import ExpertPool

        people.add_pool_member(
            ExpertPool.objects.get(name="四川省应急科普专家库"),
            person,
            actor=None,
            topics=["earthquake"],
        )
    return account, person


def _expert_client(client):
    return _english(login_client(client, "demo-expert"))


def test_invite_decline_with_replacement_and_accept(as_persona, client, expert_account):
    account, person = expert_account
    others = [make_expert(f"测试组员{i}", "510104") for i in range(6)]
    incident = make_incident("测试邀请地震", level=4)
    proposed = list(incident.members.order_by("rank"))
    assert len(proposed) == 3
    zhou = GroupMember.objects.filter(incident=incident, person=person).first()
    if zhou is None:  # not among the first three: invite him on top, as an officer would
        zhou = group.propose_group(incident, size=4)[0]
        assert zhou.person_id == person.pk or pytest.skip("the demo expert was not proposed")
    city = _english(as_persona("city"))
    jobs_before = Job.objects.filter(kind="core.send_mail").count()
    ids = [m.pk for m in incident.members.filter(status="proposed")]
    response = city.post(reverse("emergency:member_invite", args=[incident.pk]), {"members": ids})
    assert response.status_code == 302
    assert set(incident.members.filter(pk__in=ids).values_list("status", flat=True)) == {"invited"}
    assert Job.objects.filter(kind="core.send_mail").count() == jobs_before + 1  # his e-mail
    assert AuditEntry.objects.filter(action="emergency.groupmember.invited").count() >= len(ids)

    expert = _expert_client(client)
    page = expert.get(reverse("emergency:invitation_list"))
    assert page.status_code == 200
    assert [m.pk for m in page.context["page"]] == [zhou.pk]
    answer = reverse("emergency:invitation_respond", args=[zhou.pk])
    before = fingerprint()
    refused = expert.post(answer, {f"m{zhou.pk}-accept": "no", f"m{zhou.pk}-reason": ""})
    assert refused.status_code == 400
    assert "Give the reason for declining." in refused.content.decode()
    assert fingerprint() == before
    # Someone else's invitation: the object rule refuses it.
    other = incident.members.exclude(pk=zhou.pk).filter(status="invited").first()
    before = fingerprint()
    response = expert.post(
        reverse("emergency:invitation_respond", args=[other.pk]), {f"m{other.pk}-accept": "yes"}
    )
    assert response.status_code == 400
    assert "Only the invited expert answers this invitation." in response.content.decode()
    assert fingerprint() == before

    response = expert.post(answer, {f"m{zhou.pk}-accept": "no", f"m{zhou.pk}-reason": "在外地出差"})
    assert response.status_code == 302
    zhou.refresh_from_db()
    assert (zhou.status, zhou.responded_via, zhou.decline_reason) == (
        "declined",
        "self",
        "在外地出差",
    )
    replacement = GroupMember.objects.get(replaces=zhou)
    assert replacement.status == "proposed" and replacement.person_id != person.pk
    assert replacement.person_id in {p.pk for p in others} or replacement.reasons["topic"]
    incident.refresh_from_db()
    assert incident.status == "activated"  # nobody accepted yet

    # The officer records an answer given by phone: accepted, the response begins.
    record = reverse("emergency:member_record", args=[other.pk])
    assert city.get(record).status_code == 200
    assert city.post(record, {"accept": "yes"}).status_code == 302
    other.refresh_from_db()
    assert (other.status, other.responded_via, other.recorded_by.username) == (
        "accepted",
        "officer",
        "demo-city",
    )
    incident.refresh_from_db()
    assert incident.status == "responding" and incident.responding_at == other.responded_at
    detail = city.get(reverse("emergency:incident_detail", args=[incident.pk])).content.decode()
    assert "Recorded by an officer" in detail and "在外地出差" in detail


def test_the_expert_answers_through_the_api(client, expert_account):
    _account, person = expert_account
    incident = bare_incident(title="测试接口邀请")
    member = make_member(incident, person, status=c.MemberStatus.INVITED)
    expert = login_client(client, "demo-expert")
    url = reverse("api:groupmember-respond", args=[member.pk])
    refused = expert.post(
        url, {"accept": False}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"reason": ["Give the reason for declining."]}
    response = expert.post(url, {"accept": True}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    again = expert.post(url, {"accept": True}, content_type="application/json")
    assert again.status_code == 409


def test_an_expert_is_never_on_duty_for_two_groups_at_the_same_hour(as_persona):
    person = make_expert("测试值班专家", "510104")
    first = bare_incident(title="测试值班一")
    second = bare_incident(title="测试值班二", region_code="5101")
    a = make_member(first, person)
    b = make_member(second, person)
    base = timezone.localtime().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=1
    )
    group.add_shift(a, actor=None, starts_at=base, ends_at=base + datetime.timedelta(hours=4))
    province = _english(as_persona("province"))
    url = reverse("emergency:shift_add", args=[b.pk])
    fmt = "%Y-%m-%dT%H:%M"
    before = fingerprint()
    response = province.post(
        url,
        {
            "starts_at": (base + datetime.timedelta(hours=2)).strftime(fmt),
            "ends_at": (base + datetime.timedelta(hours=6)).strftime(fmt),
        },
    )
    assert response.status_code == 400
    assert (
        "测试值班专家 is already on duty for the “测试值班一” expert group at that time."
        in response.content.decode()
    )
    assert fingerprint() == before
    # Back to back is fine.
    response = province.post(
        url,
        {
            "starts_at": (base + datetime.timedelta(hours=4)).strftime(fmt),
            "ends_at": (base + datetime.timedelta(hours=8)).strftime(fmt),
        },
    )
    assert response.status_code == 302
    assert DutyShift.objects.filter(person=person).count() == 2
    with translation.override("en"), pytest.raises(DomainError) as refused:
        group.add_shift(a, actor=None, starts_at=base, ends_at=base)
    assert refused.value.message_dict == {"ends_at": ["The shift must end after it starts."]}
    shift = DutyShift.objects.get(member=b)
    assert province.post(reverse("emergency:shift_remove", args=[shift.pk])).status_code == 302
    assert not DutyShift.objects.filter(member=b).exists()
    assert AuditEntry.objects.filter(action="emergency.dutyshift.removed").exists()


def test_withdraw_propose_again_and_the_workbench(as_persona):
    for i in range(5):
        make_expert(f"测试工作台{i}", "510104")
    incident = make_incident("测试工作台地震", level=4)
    city_user = _user("demo-city")
    keys = {i.key for i in workbench.collect(city_user, None)}
    assert "emergency.group.proposed" in keys
    city = as_persona("city")
    first = incident.members.order_by("rank").first()
    assert city.post(reverse("emergency:member_withdraw", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert city.post(reverse("emergency:member_propose", args=[incident.pk])).status_code == 302
    active = incident.members.exclude(status="withdrawn")
    assert active.count() == c.GROUP_SIZE[4]
    assert first.person_id not in set(active.values_list("person_id", flat=True))
    county_b = as_persona("county_b")
    before = fingerprint()
    assert county_b.post(reverse("emergency:member_propose", args=[incident.pk])).status_code == 404
    assert fingerprint() == before


def test_invitations_unanswered_after_an_hour_are_on_the_workbench(as_persona):
    from kepu.core import clock

    for i in range(4):
        make_expert(f"测试未答复{i}", "510104")
    incident = make_incident("测试未答复地震", level=4)
    members = list(incident.members.order_by("rank"))
    with clock.frozen(timezone.now() - datetime.timedelta(hours=2)):
        group.invite_members(incident, actor=None, members=members[:1])
    group.invite_members(incident, actor=None, members=members[1:2])
    items = {i.key: i for i in workbench.collect(_user("demo-city"), None)}
    assert items["emergency.group.unanswered"].url.endswith("?group=unanswered")
    assert items["emergency.group.unanswered"].count >= 1
    page = as_persona("city").get(items["emergency.group.unanswered"].url)
    assert incident.pk in {i.pk for i in page.context["page"]}
    # County B never reaches the incident: none of its to-dos.
    keys_b = {i.key for i in workbench.collect(_user("demo-county-b"), None)}
    assert not {k for k in keys_b if k.startswith("emergency.group.")}


def test_the_sidebar_offers_the_response_to_officers_and_invitations_to_experts(as_persona, client):
    incidents_url = reverse("emergency:incident_list")
    invitations_url = reverse("emergency:invitation_list")
    page = as_persona("city").get(invitations_url).content.decode()
    assert f'href="{incidents_url}"' in page and f'href="{invitations_url}"' not in page
    page = login_client(client, "demo-expert").get(invitations_url).content.decode()
    assert f'href="{invitations_url}"' in page and f'href="{incidents_url}"' not in page


def test_an_officer_adds_a_named_expert_who_is_proposed_with_reasons(client):
    incident = make_incident(title="测试点名")
    named = make_expert("测试点名专家", "510703", topics=("flood",))
    outsider = Person.objects.exclude(pool_memberships__isnull=False).first()
    province = _english(login_client(client, "demo-province"))
    url = reverse("emergency:member_add", args=[incident.pk])
    before = fingerprint()
    page = province.post(url, {"person": outsider.pk})
    assert page.status_code == 400  # not a candidate: refused, nothing written
    assert fingerprint() == before
    with translation.override("en"), pytest.raises(DomainError) as refused:
        group.add_expert(incident, outsider, actor=None)
    assert "Only an available member of an active emergency or health expert pool" in str(
        refused.value.message_dict["person"][0]
    )
    response = province.post(url, {"person": named.pk})
    assert response.status_code == 302
    member = GroupMember.objects.get(incident=incident, person=named)
    assert member.status == c.MemberStatus.PROPOSED
    assert member.reasons["chosen"] is True and member.reasons["topic"] is False
    with translation.override("en"):
        assert describe_reasons(member.reasons)[-1] == "named by the officer"
        with pytest.raises(DomainError):
            group.add_expert(incident, named, actor=None)  # already in the group
