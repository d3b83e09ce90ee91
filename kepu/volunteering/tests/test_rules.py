"""The object rules of volunteer service, defined once in `rules.py` and used by the
pages, the API, the services and the queues alike."""

import datetime

import pytest
from django.utils import timezone

from kepu.core import scope
from kepu.core.errors import DomainError
from kepu.core.models import User
from kepu.volunteering import services
from kepu.volunteering.models import HourEntry
from kepu.volunteering.tests.helpers import demo_volunteer_person, make_team, make_volunteer

pytestmark = pytest.mark.django_db


def test_nobody_approves_their_own_hours_anywhere():
    leader = demo_volunteer_person()
    member = make_volunteer(name="队员")
    team = make_team(leader=leader, members=[member])
    user = User.objects.get(username="demo-volunteer")
    start = timezone.now() - datetime.timedelta(days=2)

    def entry(person, days=0):
        at = start - datetime.timedelta(days=days)
        return services.add_manual_entry(
            actor=user,
            person=person,
            team=team,
            started_at=at,
            ended_at=at + datetime.timedelta(hours=1),
            description="服务",
        )

    own, theirs = entry(leader), entry(member, days=1)
    assert scope.refusal(user, own, "approve") and not scope.refusal(user, theirs, "approve")
    assert not scope.can(user, own, "approve") and scope.can(user, theirs, "approve")
    queue = scope.actionable(user, HourEntry, "approve")
    assert theirs in queue and own not in queue
    with pytest.raises(DomainError):
        services.decide_entry(own, actor=user, approve=True)
    assert services.decide_entry(theirs, actor=user, approve=True).status == "approved"
    # The system itself (actor None) and an officer may decide the leader's hours.
    officer = User.objects.get(username="demo-county-a")
    assert scope.refusal(officer, own, "approve") is None
