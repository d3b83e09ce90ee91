"""Objects for the volunteer service tests, made through the services."""

import datetime
import uuid

from django.utils import timezone

from kepu.core.models import Organization, Region, User
from kepu.people import choices as pc
from kepu.people.models import Person, Registration, Team, TeamMembership
from kepu.volunteering import services


def region(code):
    return Region.objects.get(code=code)


def org(name):
    return Organization.objects.get(name=name)


_counter = iter(range(10**6))


def make_volunteer(name="志愿者甲", code="510104022", specialties="应急救护", user=None) -> Person:
    """A certified volunteer living in `code`."""
    n = next(_counter)
    person = Person.objects.create(
        name=f"{name}{n}", region=region(code), specialties=specialties, user=user
    )
    Registration.objects.create(
        person=person,
        kind=pc.RegistrationKind.VOLUNTEER,
        status=pc.RegistrationStatus.CERTIFIED,
        region=person.region,
    )
    return person


def make_team(
    *,
    name="教育系统科技志愿服务队",
    organization="四川省教育厅",
    code="51",
    leader=None,
    members=(),
) -> Team:
    team = Team.objects.create(
        name=f"{name}{next(_counter)}",
        organization=org(organization) if organization else None,
        region=region(code),
        specialties="应急救护、健康科普",
        leader=leader,
    )
    for person in {*members, *([leader] if leader else [])}:
        TeamMembership.objects.create(team=team, person=person)
    return team


def demo_volunteer_person() -> Person:
    return Person.objects.get(user__username="demo-volunteer")


def make_order(*, code="510104022", days=3, category="health", **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    values = {
        "name": "王大妈",
        "phone": "13900001111",
        "category": category,
        "key_group": "elderly",
        "region": region(code),
        "address": "锦江区春熙路街道某社区活动室",
        "window_start": start,
        "window_end": start + datetime.timedelta(hours=3),
        "expected_attendees": 40,
        "description": "想请医生给社区老人讲高血压防治。",
        "client_key": uuid.uuid4(),
    }
    values.update(fields)
    order, _created = services.submit_order(**values)
    return order


def officer(username="demo-county-a"):
    return User.objects.get(username=username)


def served_order(team=None, volunteers=None, hours=2):
    """An order taken through dispatch (to `team`), acceptance and a check-in/out of
    `hours`, completed by the team leader."""
    volunteers = volunteers or [make_volunteer()]
    team = team or make_team(leader=volunteers[0], members=volunteers)
    order = make_order(days=0)
    order = services.dispatch(order, actor=officer(), team=team)
    order = services.accept(order, actor=None, volunteers=volunteers)
    start = timezone.now() - datetime.timedelta(hours=hours + 1)
    for assignment in order.assignments.all():
        services.check_in(assignment, actor=None, at=start)
        services.check_out(assignment, actor=None, at=start + datetime.timedelta(hours=hours))
    order.refresh_from_db()
    return services.complete(order, actor=None)
