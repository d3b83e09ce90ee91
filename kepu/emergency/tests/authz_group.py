"""Authorization-matrix rows: incidents and the expert group.

The incident is Chengdu's (成都市, a level Ⅲ earthquake affecting 锦江区): the province and
the city act on it; county A reads it (an affected region: scope reach) but may not act
(403); county B never reaches it (404); everyone without the officer's role 403 (anonymous:
the login redirect). Its group (made through the services) has an invited expert, two
accepted ones (one on duty), a proposal and a withdrawn proposal (so that proposing again
adds one). The expert's own invitation page answers every signed-in account (empty for
those never invited); answering needs the expert's role and their own invitation."""

import datetime

from django.utils import timezone

from kepu.core.models import Region
from kepu.core.testing import Row, officers, statuses
from kepu.emergency.services import group, incidents
from kepu.people import services as people
from kepu.people.models import ExpertPool

POOL = "四川省应急科普专家库"


def make_expert(name, code, *, topics=("earthquake",), title_level="senior", user=None, pool=POOL):
    """An available member of an emergency pool (through the people services)."""
    person = people.create_person(
        actor=None,
        id_number=None,  # no document: none is needed to sit in a pool
        phone=None,
        name=name,
        region=Region.objects.get(code=code),
        title_level=title_level,
        user=user,
    )
    people.add_pool_member(
        ExpertPool.objects.get(name=pool), person, actor=None, topics=list(topics)
    )
    return person


def make_incident(title="矩阵地震", *, region="5101", affected=("510104",), level=3, **kw):
    return incidents.activate_incident(
        actor=None,
        title=title,
        hazard=kw.pop("hazard", "earthquake"),
        level=level,
        region=Region.objects.get(code=region),
        affected_regions=list(Region.objects.filter(code__in=affected)),
        **kw,
    )


def context(ctx):
    for i in range(6):
        make_expert(f"矩阵专家{i}", "510104")
    incident = make_incident()
    members = list(incident.members.order_by("rank"))
    invited, accepted, on_duty, proposed, withdrawn = members[:5]
    group.invite_members(incident, actor=None, members=[invited, accepted, on_duty])
    group.respond_invitation(accepted, actor=None, accept=True)
    group.respond_invitation(on_duty, actor=None, accept=True)
    group.withdraw_member(withdrawn, actor=None)
    start = timezone.now() + datetime.timedelta(days=1)
    ctx["em_shift"] = group.add_shift(
        on_duty, actor=None, starts_at=start, ends_at=start + datetime.timedelta(hours=4)
    )
    ctx["em_incident"] = incident
    ctx["em_invited"] = invited
    ctx["em_accepted"] = accepted
    ctx["em_proposed"] = proposed
    ctx["em_addable"] = make_expert("矩阵专家候补", "510104")  # not yet in the group


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new(ctx):
    return {
        "title": "矩阵新洪涝",
        "hazard": "flood",
        "level": "4",
        "region": "5101",
        "affected_regions": ["510104"],
        "summary": "暴雨导致内涝。",
    }


def _edit(ctx):
    return {"title": "矩阵地震（更新）", "level": "3", "summary": "余震持续。"}


ACTORS = ("province", "city")  # the officers of the responsible region (and above)
OWN = {"county_a": 403, "county_b": 404}  # county A reads (reach), county B never reaches
API = {"anonymous": 401}

ROWS = [
    Row("em-incident-list", "emergency:incident_list", expect=officers(200)),
    Row("em-incident-export", "emergency:incident_export", expect=officers(200)),
    Row("em-incident-new", "emergency:incident_create", expect=officers(200)),
    Row("em-incident-new-post", "emergency:incident_create", "post", data=_new,
        expect=officers(302, county_a=400, county_b=400), changes=ACTORS),
    Row("em-incident", "emergency:incident_detail", kwargs=_id("em_incident"),
        expect=officers(200, county_b=404)),
    Row("em-incident-edit", "emergency:incident_update", kwargs=_id("em_incident"),
        expect=officers(200, **OWN)),
    Row("em-incident-edit-post", "emergency:incident_update", "post", kwargs=_id("em_incident"),
        data=_edit, expect=officers(302, **OWN), changes=ACTORS),
    Row("em-incident-close", "emergency:incident_close", kwargs=_id("em_incident"),
        expect=officers(200, **OWN)),
    Row("em-incident-close-post", "emergency:incident_close", "post",
        kwargs=_id("em_incident"), data=lambda c: {"lessons": "值班表要提前排好。"},
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-member-invite", "emergency:member_invite", "post", kwargs=_id("em_incident"),
        data=lambda c: {"members": [c["em_proposed"].pk]},
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-member-propose", "emergency:member_propose", "post", kwargs=_id("em_incident"),
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-member-add-page", "emergency:member_add", kwargs=_id("em_incident"),
        expect=officers(200, **OWN)),
    Row("em-member-add", "emergency:member_add", "post", kwargs=_id("em_incident"),
        data=lambda c: {"person": c["em_addable"].pk},
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-member-withdraw", "emergency:member_withdraw", "post", kwargs=_id("em_proposed"),
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-member-lead", "emergency:member_lead", "post", kwargs=_id("em_accepted"),
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-member-record", "emergency:member_record", kwargs=_id("em_invited"),
        expect=officers(200, **OWN)),
    Row("em-member-record-post", "emergency:member_record", "post", kwargs=_id("em_invited"),
        data=lambda c: {"accept": "yes"}, expect=officers(302, **OWN), changes=ACTORS),
    Row("em-shift-new", "emergency:shift_add", kwargs=_id("em_accepted"),
        expect=officers(200, **OWN)),
    Row("em-shift-new-post", "emergency:shift_add", "post", kwargs=_id("em_accepted"),
        data=lambda c: {"starts_at": "2030-05-01T08:00", "ends_at": "2030-05-01T12:00"},
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-shift-remove", "emergency:shift_remove", "post", kwargs=_id("em_shift"),
        expect=officers(302, **OWN), changes=ACTORS),
    Row("em-invitation-list", "emergency:invitation_list", expect=statuses(200, anonymous=302)),
    Row("em-invitation-answer", "emergency:invitation_respond", "post",
        kwargs=_id("em_invited"), data=lambda c: {f"m{c['em_invited'].pk}-accept": "yes"},
        expect=statuses(403, anonymous=302)),
    Row("em-api-incidents", "api:incident-list", expect=officers(200, **API)),
    Row("em-api-incident", "api:incident-detail", kwargs=_id("em_incident"),
        expect=officers(200, county_b=404, **API)),
    Row("em-api-respond", "api:groupmember-respond", "post", kwargs=_id("em_invited"),
        data=lambda c: {"accept": True}, json=True, expect=statuses(403, **API)),
]  # fmt: skip
