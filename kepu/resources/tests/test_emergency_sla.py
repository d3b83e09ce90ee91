"""The emergency SLA of the accuracy review (issue 25): while an incident of an entry's
hazard is open, an emergency-library entry checked complete is due the same day and the
review queue lists it first, marked; without the incident (or for a drill, or an entry
outside the emergency library) the review is due in 14 days."""

import datetime

import pytest
from django.urls import reverse

from kepu.core import clock
from kepu.emergency import choices as ec
from kepu.emergency.models import Incident
from kepu.emergency.tests.helpers import make_incident
from kepu.resources.choices import ResourceType
from kepu.resources.tests.helpers import make_expert, make_resource, to_review

pytestmark = pytest.mark.django_db


def _due(resource):
    version = to_review(resource, memberships=[make_expert()[2]])
    return {a.due_date for a in version.assignments.all()}


def _work(title, **over):
    return make_resource(resource_type=ResourceType.WORK, title=title, submit=True, **over)


def test_an_open_incident_makes_the_review_due_the_same_day(as_persona):
    today = clock.today()
    # No incident: the usual 14 days.
    usual = _work("地震应急避险（常规）")
    assert _due(usual) == {today + datetime.timedelta(days=14)}
    # A drill does not fast-track real reviews.
    make_incident(title="地震演练", is_drill=True)
    in_drill = _work("地震应急避险（演练期间）")
    assert _due(in_drill) == {today + datetime.timedelta(days=14)}
    incident = make_incident(title="真实地震")
    urgent = _work("地震应急避险（应急）")
    assert _due(urgent) == {today}
    # Not in the emergency library, or another hazard: not urgent.
    plain = _work("地震科普（非应急库）", is_emergency=False)
    assert _due(plain) == {today + datetime.timedelta(days=14)}
    flood = _work("洪水避险", hazards=["flood"], topics=["flood"])
    assert _due(flood) == {today + datetime.timedelta(days=14)}
    # The queue lists the emergency-library entries of the open incident's hazard first,
    # marked (those checked before it began too), the one due today at the top.
    province = as_persona("province")
    province.cookies["django_language"] = "en"
    page = province.get(reverse("resources:queue"))
    review = next(s for s in page.context["sections"] if s["key"] == "review")
    assert review["rows"][0].pk == urgent.pk and review["rows"][0].urgent is True
    assert {r.pk for r in review["rows"] if r.urgent} == {urgent.pk, usual.pk, in_drill.pk}
    assert not {r.pk for r in review["rows"][:3]} & {plain.pk, flood.pk}
    html = page.content.decode()
    assert '<span class="badge bg-red text-red-fg">Emergency</span>' in html
    # Closed: the mark goes.
    Incident.objects.filter(pk=incident.pk).update(
        status=ec.IncidentStatus.CLOSED, closed_at=clock.now()
    )
    page = province.get(reverse("resources:queue"))
    review = next(s for s in page.context["sections"] if s["key"] == "review")
    assert not any(r.urgent for r in review["rows"])
