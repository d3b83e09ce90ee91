"""The last-mile push through its services and pages: refusals, the recipients of each
channel, the delivery job run twice (0 lost, 0 duplicated), acknowledgements (once, by
the recipient, or recorded by an officer) and the reach tallies against the raw rows."""

import random
from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry, Organization, Region, User
from kepu.core.testing import fingerprint
from kepu.emergency import choices as c
from kepu.emergency.jobs import deliver_push
from kepu.emergency.models import Delivery, Incident, Push, ReachTally
from kepu.emergency.services import pushes
from kepu.emergency.tests.authz_pushes import (
    community,
    emergency_resource,
    volunteer_as_info_officer,
)
from kepu.emergency.tests.helpers import make_incident
from kepu.people.models import Registration, Team
from kepu.resources.choices import ResourceType
from kepu.resources.tests.helpers import make_resource

pytestmark = pytest.mark.django_db


def region(code):
    return Region.objects.get(code=code)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """An incident of the province affecting the whole province (so every channel has
    recipients, member units included), its emergency resource, and a push to every
    channel in 成都市; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        volunteer_as_info_officer()
        community("锦江区测试社区居委会", "510104")
        incident = make_incident(title="推送测试地震", region_code="51", affected=("51",))
        resource = emergency_resource()
        push = pushes.create_push(
            incident,
            actor=None,
            title="成都市全渠道推送",
            message="请立即转发。",
            resources=[resource],
            channels=list(c.Channel.values),
            regions=[region("5101")],
        )
        yield {"incident": incident, "resource": resource, "push": push}
        transaction.set_rollback(True)


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _expected_targets(channel, path):
    """The recipients computed independently (path prefixes, not the service's query)."""
    if channel == c.Channel.TEAM:
        return {
            f"team:{pk}"
            # Certified, active teams (issue 26).
            for pk in Team.objects.filter(
                region__path__startswith=path, status="active"
            ).values_list("pk", flat=True)
        }
    if channel == c.Channel.INFO_OFFICER:
        rows = Registration.objects.filter(
            region__path__startswith=path, kind="info_officer", status="certified"
        )
        return {f"person:{pk}" for pk in rows.values_list("person_id", flat=True)}
    org_type = "community" if channel == c.Channel.COMMUNITY else "member"
    rows = Organization.objects.filter(region__path__startswith=path, org_type=org_type)
    return {f"org:{pk}" for pk in rows.values_list("pk", flat=True)}


# -- the push -----------------------------------------------------------------------------


def test_the_push_reaches_each_channel_once_and_loses_nobody(world):
    push = Push.objects.get(pk=world["push"].pk)
    assert push.status == c.PushStatus.DELIVERED
    assert push.delivered == push.expected == Delivery.objects.filter(push=push).count() > 0
    for channel in c.Channel.values:
        got = set(
            Delivery.objects.filter(push=push, channel=channel).values_list("target", flat=True)
        )
        assert got == _expected_targets(channel, "51/5101/"), channel
    volunteer = User.objects.get(username="demo-volunteer")
    mine = Delivery.objects.get(push=push, user=volunteer, channel=c.Channel.INFO_OFFICER)
    assert mine.region.path.startswith("51/5101/")
    unit = Delivery.objects.filter(push=push, channel=c.Channel.MEMBER_UNIT).first()
    if unit is not None:
        assert unit.organization_id is not None and unit.user_id is None
    incident = Incident.objects.get(pk=world["incident"].pk)
    assert incident.status == c.IncidentStatus.RESPONDING and incident.responding_at is not None
    # One audit entry for the push and one for its delivery, with the count.
    entry = AuditEntry.objects.get(action="emergency.push.delivered", object_id=str(push.pk))
    assert entry.detail == {"delivered": push.delivered, "expected": push.expected}
    assert (
        AuditEntry.objects.filter(action="emergency.push.created", object_id=str(push.pk)).count()
        == 1
    )
    # The tallies hold the deliveries by region.
    raw = pushes.raw_reach(incident)
    tallies = {t.region_id: t.deliveries for t in ReachTally.objects.filter(incident=incident)}
    assert tallies == {r: row["deliveries"] for r, row in raw.items()}


class _Run:
    def __init__(self, push):
        self.params = {"push": push.pk}
        self.outcome = ""
        self.progressed = []

    def progress(self, done, total=None, message=None):
        self.progressed.append((done, total))


def test_delivering_again_writes_nobody_twice(world):
    push = Push.objects.get(pk=world["push"].pk)
    before = fingerprint()
    # A worker that died after some chunks and is run again: the chunks repeat...
    assert list(pushes.deliver_chunks(push, size=7))[-1] == push.expected
    # ...the job delivered twice does nothing the second time.
    assert deliver_push(_Run(push)) == {"skipped": True}
    assert pushes.finish_delivery(push).delivered == push.delivered
    assert fingerprint() == before
    targets = list(Delivery.objects.filter(push=push).values_list("target", flat=True))
    assert len(targets) == len(set(targets)) == push.expected


def test_a_retry_after_a_crash_delivers_everyone_once(world):
    """The job crashed between chunks: rows half written, the push still delivering."""
    incident = world["incident"]
    push = pushes.create_push(
        incident,
        actor=None,
        title="重试推送",
        resources=[world["resource"]],
        channels=[c.Channel.COMMUNITY, c.Channel.TEAM],
        regions=[region("5107")],
    )
    tallies = {t.region_id: t.deliveries for t in ReachTally.objects.filter(incident=incident)}
    first = list(Delivery.objects.filter(push=push).order_by("pk").values_list("target", flat=True))
    own = Counter(Delivery.objects.filter(push=push).values_list("region_id", flat=True))
    # Take it back to the middle of a run: half the rows, status delivering.
    Delivery.objects.filter(push=push, target__in=first[len(first) // 2 :]).delete()
    Push.objects.filter(pk=push.pk).update(status=c.PushStatus.DELIVERING, delivered=0)
    ReachTally.objects.filter(incident=incident).delete()
    # The tallies before the crashed push finished: without any of its rows (also in a
    # region whose only rows of it were among those taken back).
    for region_id, n in tallies.items():
        ReachTally.objects.create(
            incident=incident, region_id=region_id, deliveries=n - own[region_id]
        )
    result = deliver_push(_Run(push))
    push.refresh_from_db()
    assert result == {"delivered": push.expected, "expected": push.expected}
    assert push.status == c.PushStatus.DELIVERED and push.delivered == push.expected == len(first)
    assert sorted(Delivery.objects.filter(push=push).values_list("target", flat=True)) == sorted(
        first
    )
    raw = pushes.raw_reach(incident)
    assert {t.region_id: t.deliveries for t in ReachTally.objects.filter(incident=incident)} == {
        r: row["deliveries"] for r, row in raw.items()
    }


def test_refusals_change_nothing(world):
    incident = world["incident"]
    resource = world["resource"]
    ok = {
        "title": "推送",
        "resources": [resource],
        "channels": [c.Channel.TEAM],
        "regions": [region("5101")],
    }
    outside = make_incident(title="另一事件", region_code="5101", affected=("510104",))
    closed = make_incident(title="已结束事件", status=c.IncidentStatus.CLOSED)
    plain = make_resource(resource_type=ResourceType.WORK, title="非应急作品", is_emergency=False)
    before = fingerprint()
    with translation.override("en"):
        with pytest.raises(StateConflict) as err:
            pushes.create_push(closed, actor=None, **ok)
        assert err.value.messages == ["This incident is closed: nothing more can be pushed."]
        cases = [
            (
                {"resources": [plain]},
                {"resources": ["Only published resources of the emergency library can be pushed."]},
            ),
            (
                {"resources": []},
                {"resources": ["Choose at least one resource of the emergency library."]},
            ),
            ({"channels": []}, {"channels": ["Choose at least one channel."]}),
            ({"channels": ["radio"]}, {"channels": ["Unknown channel."]}),
            ({"regions": []}, {"regions": ["Choose at least one region."]}),
        ]
        for change, errors in cases:
            with pytest.raises(DomainError) as err:
                pushes.create_push(incident, actor=None, **{**ok, **change})
            assert err.value.message_dict == errors, change
        with pytest.raises(DomainError) as err:
            pushes.create_push(outside, actor=None, **{**ok, "regions": [region("510703")]})
        assert err.value.message_dict == {
            "regions": ["Push only to the regions affected by the incident."]
        }
        # Only the officers of the responsible region push.
        county_a = User.objects.get(username="demo-county-a")
        with pytest.raises(DomainError) as err:
            pushes.create_push(outside, actor=county_a, **{**ok, "regions": [region("510104")]})
        assert err.value.messages == ["This region is outside your scope."]
    assert fingerprint() == before


def test_an_officer_pushes_through_the_form(world, as_persona):
    province = _english(as_persona("province"))
    incident = world["incident"]
    url = reverse("emergency:push_create", args=[incident.pk])
    page = province.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert world["resource"].title in html and "Matches the hazard" in html
    counts = pushes.channel_counts([region("51")])
    assert f"recipients in the affected regions: {counts['team']}" in html
    response = province.post(
        url,
        {
            "title": "表单推送",
            "message": "转发",
            "resources": [world["resource"].pk],
            "channels": ["team"],
            "regions": [region("51").pk],
        },
    )
    push = Push.objects.get(title="表单推送")
    assert response.status_code == 302 and response.url == reverse(
        "emergency:push_detail", args=[push.pk]
    )
    assert push.created_by.username == "demo-province" and push.job is not None
    assert push.status == c.PushStatus.DELIVERED and push.delivered == push.expected
    detail = province.get(response.url).content.decode()
    assert "the recipients changed in between" not in detail
    # A refused push is shown on the form (400) and writes nothing.
    before = fingerprint()
    refused = province.post(url, {"title": "空推送", "resources": [world["resource"].pk]})
    assert refused.status_code == 400
    assert "Choose at least one channel." in refused.content.decode()
    assert fingerprint() == before
    # Only the officers of the responsible region push (county A reads the matrix's
    # incident that affects it, and gets 403 on its push form: the matrix rows).
    assert as_persona("city").get(url).status_code == 404


def test_the_push_page_says_when_recipients_changed(world, as_persona):
    push = world["push"]
    Push.objects.filter(pk=push.pk).update(expected=push.expected + 2)
    page = _english(as_persona("province")).get(reverse("emergency:push_detail", args=[push.pk]))
    html = page.content.decode()
    assert (
        f"Delivered to {push.delivered} recipients, {push.expected + 2} were counted when the "
        "push was sent: the recipients changed in between."
    ) in html


# -- acknowledgements -----------------------------------------------------------------------


def test_the_information_officer_acknowledges_once_on_the_inbox(world, as_persona):
    volunteer = _english(as_persona("volunteer"))
    push = world["push"]
    mine = Delivery.objects.get(
        push=push, user__username="demo-volunteer", channel=c.Channel.INFO_OFFICER
    )
    inbox = volunteer.get(reverse("emergency:delivery_inbox"))
    assert inbox.status_code == 200
    assert [d.pk for d in inbox.context["page"]] == [
        d.pk
        for d in Delivery.objects.filter(user__username="demo-volunteer").order_by(
            "-delivered_at", "-pk"
        )
    ]
    assert "To acknowledge" in inbox.content.decode()
    api = volunteer.get(reverse("api:delivery-list"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["id"] for row in api["results"]] == [d.pk for d in inbox.context["page"]]
    assert mine.pk in [row["id"] for row in api["results"]]
    url = reverse("emergency:delivery_acknowledge", args=[mine.pk])
    page = volunteer.get(url).content.decode()
    assert (
        push.title in page
        and reverse("resources:public_detail", args=[world["resource"].uid]) in page
    )
    # Bad numbers: clear errors, nothing written.
    before = fingerprint()
    bad = volunteer.post(url, {"groups_forwarded": "-1", "people_reached": "99999999"})
    assert bad.status_code == 400
    assert bad.context["form"].errors == {
        "groups_forwarded": ["Ensure this value is greater than or equal to 0."],
        "people_reached": ["Ensure this value is less than or equal to 5000000."],
    }
    assert fingerprint() == before
    assert (
        volunteer.post(url, {"groups_forwarded": "6", "people_reached": "1200"}).status_code == 302
    )
    mine.refresh_from_db()
    assert (mine.groups_forwarded, mine.people_reached, mine.acknowledged_via) == (6, 1200, "self")
    assert mine.acknowledged_by.username == "demo-volunteer"
    assert Push.objects.get(pk=push.pk).acknowledged == 1
    tally = ReachTally.objects.get(incident=push.incident, region=mine.region)
    assert (tally.acknowledged, tally.groups_forwarded, tally.people_reached) >= (1, 6, 1200)
    # Twice: refused, nothing changes (page 400, API 409).
    before = fingerprint()
    again = volunteer.post(url, {"groups_forwarded": "1", "people_reached": "1"})
    assert again.status_code == 400
    assert "This message has already been acknowledged." in again.content.decode()
    api = volunteer.post(
        reverse("api:delivery-acknowledge", args=[mine.pk]),
        {"groups_forwarded": 1, "people_reached": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 409
    assert api.json() == {
        "code": "conflict",
        "message": "This message has already been acknowledged.",
        "fields": {},
    }
    assert fingerprint() == before


def test_another_users_delivery_is_refused(world, as_persona):
    push = world["push"]
    other = Delivery.objects.filter(push=push, channel=c.Channel.COMMUNITY).first()
    mine = Delivery.objects.get(
        push=push, user__username="demo-volunteer", channel=c.Channel.INFO_OFFICER
    )
    before = fingerprint()
    volunteer = as_persona("volunteer")
    ack = {"groups_forwarded": 1, "people_reached": 10}
    # Not the volunteer's: invisible (404) on the page and in the API.
    assert (
        volunteer.get(reverse("emergency:delivery_acknowledge", args=[other.pk])).status_code == 404
    )
    assert (
        volunteer.post(reverse("emergency:delivery_acknowledge", args=[other.pk]), ack).status_code
        == 404
    )
    assert (
        volunteer.post(
            reverse("api:delivery-acknowledge", args=[other.pk]),
            ack,
            content_type="application/json",
        ).status_code
        == 404
    )
    # The member unit's staff do not reach an information officer's message.
    member = as_persona("member")
    assert (
        member.post(
            reverse("api:delivery-acknowledge", args=[mine.pk]),
            ack,
            content_type="application/json",
        ).status_code
        == 404
    )
    # An officer records, but does not acknowledge for the recipient.
    county_a = as_persona("county_a")
    assert (
        county_a.post(reverse("emergency:delivery_acknowledge", args=[mine.pk]), ack).status_code
        == 403
    )
    # County B never reaches 锦江区's deliveries.
    county_b = as_persona("county_b")
    assert (
        county_b.post(reverse("emergency:delivery_record", args=[other.pk]), ack).status_code == 404
    )
    assert fingerprint() == before
    with translation.override("en"), pytest.raises(DomainError) as err:
        pushes.acknowledge_delivery(
            other,
            actor=User.objects.get(username="demo-volunteer"),
            groups_forwarded=1,
            people_reached=1,
        )
    assert err.value.messages == ["This message is outside your scope."]
    assert fingerprint() == before


def test_tallies_equal_the_raw_sums_after_random_acknowledgements(world):
    incident = world["incident"]
    rng = random.Random(25)
    officer = User.objects.get(username="demo-province")
    waiting = list(
        Delivery.objects.filter(incident=incident, acknowledged_at__isnull=True).order_by("pk")
    )
    rng.shuffle(waiting)
    for delivery in waiting[: min(40, len(waiting) // 2)]:
        groups, people = rng.randrange(0, 30), rng.randrange(0, 5000)
        if rng.random() < 0.5:
            pushes.record_acknowledgement(
                delivery, actor=officer, groups_forwarded=groups, people_reached=people
            )
        else:
            pushes.acknowledge_delivery(
                delivery, actor=None, groups_forwarded=groups, people_reached=people
            )
        if rng.random() < 0.2:
            with pytest.raises(StateConflict):
                pushes.record_acknowledgement(
                    delivery, actor=officer, groups_forwarded=1, people_reached=1
                )
    raw = pushes.raw_reach(incident)
    tallies = {
        t.region_id: {
            "deliveries": t.deliveries,
            "acknowledged": t.acknowledged,
            "groups_forwarded": t.groups_forwarded,
            "people_reached": t.people_reached,
        }
        for t in ReachTally.objects.filter(incident=incident)
    }
    assert tallies == {
        r: {k: row[k] for k in ("deliveries", "acknowledged", "groups_forwarded", "people_reached")}
        for r, row in raw.items()
    }
    for push in Push.objects.filter(incident=incident):
        assert (
            push.acknowledged
            == Delivery.objects.filter(push=push, acknowledged_at__isnull=False).count()
        )
    with translation.override("en"), pytest.raises(DomainError) as err:
        pushes.record_acknowledgement(
            Delivery.objects.filter(incident=incident, acknowledged_at__isnull=True).first(),
            actor=officer,
            groups_forwarded=True,
            people_reached=-3,
        )
    assert err.value.message_dict == {
        "groups_forwarded": ["Enter a whole number."],
        "people_reached": ["Enter a number of 0 or more."],
    }


def test_the_reach_table_reads_the_tallies(world, as_persona):
    incident = world["incident"]
    page = _english(as_persona("province")).get(
        reverse("emergency:incident_pushes", args=[incident.pk])
    )
    assert page.status_code == 200
    rows, total = pushes.reach_rows(incident)
    assert [r.region.pk for r in page.context["reach"]] == [r.region.pk for r in rows]
    assert all(r.region.level <= 3 for r in rows)  # townships count for their county
    assert page.context["total"] == total
    assert total["deliveries"] == Delivery.objects.filter(incident=incident).count()
    html = page.content.decode()
    assert "Reach by region" in html and world["push"].title in html


def test_the_workbench_lists_messages_to_acknowledge_and_late_ones(world):
    import datetime

    from kepu.core import clock, workbench

    volunteer = User.objects.get(username="demo-volunteer")
    mine = Delivery.objects.filter(push=world["push"], user=volunteer)
    items = {i.key: i for i in workbench.collect(volunteer, None)}
    assert items["emergency.acknowledge"].count == mine.count()
    assert items["emergency.acknowledge"].url == reverse("emergency:delivery_inbox")
    county_a = User.objects.get(username="demo-county-a")
    assert "emergency.unacknowledged" not in {i.key for i in workbench.collect(county_a, None)}
    with clock.frozen(clock.now() + datetime.timedelta(hours=2, minutes=1)):
        items = {i.key: i for i in workbench.collect(county_a, None)}
    late = Delivery.objects.filter(
        incident=world["incident"], region__path__startswith="51/5101/510104/"
    )
    assert items["emergency.unacknowledged"].count == late.count() > 0
    assert items["emergency.unacknowledged"].url == (
        reverse("emergency:push_detail", args=[world["push"].pk]) + "?state=waiting"
    )
