"""The emergency bulk rows (`dataset.generate`) at a tiny scale keep the invariants the
services keep, and each invariant catches the violation it names."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum

from kepu.core import dataset, invariants
from kepu.emergency import choices as c
from kepu.emergency import dataset as emergency_dataset
from kepu.emergency.models import (
    Delivery,
    DutyShift,
    ExpertAnswer,
    GroupMember,
    Incident,
    Push,
    ReachTally,
    Rebuttal,
    Rumor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    """1 % of the province (6 incidents, 2,000 deliveries, 200 leads, 50 rebuttals), once
    for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setitem(dataset.SCALES, "county", 0.01)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ds = dataset.Dataset("county", seed=11, out=lambda line: None)
            emergency_dataset.generate(ds)
            yield ds
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def generated(_generated, db):
    return _generated


def test_the_bulk_rows_keep_the_invariants(generated):
    assert invariants.check(["emergency"]) == []


def test_every_kind_of_row_is_there_in_proportion(generated):
    incidents = Incident.objects.filter(title__contains="应急科普")
    assert incidents.count() == 6
    assert incidents.filter(status=c.IncidentStatus.CLOSED).count() >= 3
    assert incidents.exclude(status=c.IncidentStatus.CLOSED).filter(is_drill=True).count() == 1
    assert GroupMember.objects.filter(incident__in=incidents).count() >= 6 * 5
    deliveries = Delivery.objects.filter(incident__in=incidents).count()
    assert 1_000 <= deliveries <= 3_000
    tallied = ReachTally.objects.filter(incident__in=incidents).aggregate(n=Sum("deliveries"))
    assert tallied["n"] == deliveries
    assert Rumor.objects.filter(reported_at__isnull=False).count() >= 200
    assert Rebuttal.objects.filter(status=c.RebuttalStatus.PUBLISHED).count() >= 20
    assert ExpertAnswer.objects.filter(incident__in=incidents).count() == 20


def test_the_invariants_name_what_is_wrong(generated):
    push = Push.objects.order_by("pk").first()
    Push.objects.filter(pk=push.pk).update(delivered=push.expected + 1)
    tally = ReachTally.objects.order_by("-incident_id").first()
    ReachTally.objects.filter(pk=tally.pk).update(people_reached=tally.people_reached + 1)
    member = GroupMember.objects.filter(status=c.MemberStatus.ACCEPTED).first()
    GroupMember.objects.filter(pk=member.pk).update(responded_at=None)
    rebuttal = Rebuttal.objects.filter(status=c.RebuttalStatus.PUBLISHED).first()
    rebuttal.reviews.update(decision=c.ReviewDecision.PENDING)
    shift = DutyShift.objects.order_by("pk").first()
    other = GroupMember.objects.exclude(incident=shift.member.incident).first()
    DutyShift.objects.create(
        member=other,
        person=shift.person,
        starts_at=shift.starts_at + datetime.timedelta(minutes=30),
        ends_at=shift.ends_at,
    )
    found = "\n".join(invariants.check(["emergency"]))
    assert f"push {push.pk} delivered more than expected" in found
    assert f"push {push.pk} counts a number of deliveries other than its delivery rows" in found
    assert f"reach tally of incident {tally.incident_id} in region {tally.region_id}" in found
    assert f"group member {member.pk} accepted or declined without" in found
    assert f"rebuttal {rebuttal.pk} was approved or published without" in found
    assert f"expert {shift.person_id} is on duty for two groups at the same hour" in found


def test_the_bench_measures_the_public_incident_page_under_a_surge():
    from bench import endpoints, report

    rows = {e.name: e for e in endpoints.endpoints({"incident": 42})}
    page = rows["应急响应 public incident page"]
    assert (page.path, page.persona, page.peak) == ("/emergency/42/", None, 64)
    assert rows["应急响应 public incident list"].peak == 64
    assert rows["应急事件 incidents (county)"].persona == "demo-county-a"
    assert "应急响应 public incident page" not in {e.name for e in endpoints.endpoints({})}

    def entry(p95, errors=0):
        run = {"p95_ms": p95, "errors": errors, "rps": 900.0, "connections": 64}
        return {"name": "应急响应 public incident page", "peak": run}

    met = report._surge_goal({"endpoints": [entry(80.0)]})
    assert (met["met"], met["measured"]) == (True, "应急响应 public incident page 80 ms at c64")
    missed = report._surge_goal({"endpoints": [entry(200.0)]})
    assert missed["result"] == "missed: 应急响应 public incident page: 50 ms (33%) over 150 ms"
    assert report._surge_goal({"endpoints": []})["met"] is None
