"""The demo emergency responses load through the services and keep the invariants: the
closed earthquake with its full review, the flood drill still running, the normal-times
misinformation log."""

import pytest

from kepu.core import invariants
from kepu.emergency import choices as c
from kepu.emergency.demo import DRILL_TITLE, QUAKE_TITLE, load_demo
from kepu.emergency.models import Incident, Rebuttal, RebuttalReview
from kepu.emergency.services.review import incident_review
from kepu.resources.demo import load_demo as load_resources

pytestmark = pytest.mark.django_db


def test_demo_emergency_responses():
    load_resources(12)  # the emergency library and the demo expert's account
    made = load_demo()
    assert made["incidents"] == 2
    assert load_demo() == {"incidents": 0}  # idempotent
    quake = Incident.objects.get(title=QUAKE_TITLE)
    assert quake.status == c.IncidentStatus.CLOSED and quake.lessons
    statuses = sorted(quake.members.values_list("status", flat=True))
    assert statuses.count(c.MemberStatus.DECLINED) == 1  # and its replacement accepted
    assert c.MemberStatus.PROPOSED not in statuses and c.MemberStatus.INVITED not in statuses
    assert quake.members.filter(person__user__username="demo-expert", status="accepted").exists()
    pushes = list(quake.pushes.all())
    assert pushes and all(p.delivered == p.expected > 0 for p in pushes)
    assert all(0 < p.acknowledged <= p.delivered for p in pushes)
    published = Rebuttal.objects.filter(incident=quake, status=c.RebuttalStatus.PUBLISHED)
    assert published.count() == 4
    assert all(r.seconds_to_publish and r.seconds_to_publish < 3 * 3600 for r in published)
    assert quake.rumors.filter(report_count=2).count() == 1  # the merged duplicate
    assert quake.answers.count() == 3
    review = incident_review(quake)
    assert review is not None

    drill = Incident.objects.get(title=DRILL_TITLE)
    assert drill.is_drill and drill.is_open
    assert drill.members.filter(status=c.MemberStatus.INVITED).count() == 1
    assert (
        drill.pushes.get()
        .deliveries.filter(user__username="demo-volunteer", acknowledged_at__isnull=True)
        .exists()
    )  # the demo volunteer has a message to acknowledge
    assert RebuttalReview.objects.filter(
        rebuttal__incident=drill, person__user__username="demo-expert", decision="pending"
    ).exists()
    library = Rebuttal.objects.public().filter(incident__isnull=True)
    assert library.count() == 8
    assert invariants.check(["emergency"]) == []
