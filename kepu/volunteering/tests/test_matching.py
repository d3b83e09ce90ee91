"""Ranked suggestions of teams and volunteers for an order, with their explanations."""

import datetime
from decimal import Decimal

import pytest

from kepu.volunteering import matching, services
from kepu.volunteering.tests.helpers import (
    make_order,
    make_team,
    make_volunteer,
    officer,
    region,
)

pytestmark = pytest.mark.django_db


def test_a_fitting_nearby_volunteer_ranks_above_a_distant_one():
    near = make_volunteer(name="近", code="510104022", specialties="健康科普、心理健康")
    same_county = make_volunteer(name="县", code="510104017", specialties="健康科普")
    far = make_volunteer(name="远", code="510703001", specialties="健康科普、心理健康")
    order = make_order(category="health")
    ranked = [s.obj.pk for s in matching.suggest_volunteers(order, limit=50)]
    assert ranked.index(near.pk) < ranked.index(same_county.pk)
    # The search widens only until it has enough candidates near the order.
    assert far.pk not in ranked or ranked.index(same_county.pk) < ranked.index(far.pk)
    best = matching.suggest_volunteers(order, limit=50)[ranked.index(near.pk)]
    assert any("健康" in r for r in best.reasons)
    assert 0 < best.score <= 100


def test_a_busy_volunteer_ranks_below_a_free_one_and_says_why():
    busy = make_volunteer(name="忙", specialties="应急救护")
    free = make_volunteer(name="闲", specialties="应急救护")
    team = make_team(leader=busy, members=[free])
    first = make_order(category="emergency")
    services.dispatch(first, actor=officer(), team=team)
    services.accept(first, actor=None, volunteers=[busy])
    second = make_order(category="emergency")
    second.refresh_from_db()
    suggestions = {s.obj.pk: s for s in matching.suggest_volunteers(second, limit=100)}
    assert suggestions[free.pk].score > suggestions[busy.pk].score
    assert any("另有" in r or "another service" in r for r in suggestions[busy.pk].reasons)


def test_teams_that_serve_the_place_are_suggested_with_distance_by_coordinates():
    leader = make_volunteer()
    near = make_team(leader=leader, code="510104", organization=None)
    near.latitude, near.longitude = Decimal("30.6570"), Decimal("104.0810")
    near.save()
    other_county = make_team(leader=make_volunteer(), code="510703", organization=None)
    order = make_order(latitude=Decimal("30.6600"), longitude=Decimal("104.0800"))
    teams = matching.suggest_teams(order, limit=100)
    pks = [s.obj.pk for s in teams]
    assert near.pk in pks and other_county.pk not in pks
    suggestion = teams[pks.index(near.pk)]
    assert any("km" in r or "公里" in r for r in suggestion.reasons)


def test_once_a_team_holds_the_order_only_its_members_are_suggested():
    member = make_volunteer(specialties="健康科普")
    outsider = make_volunteer(specialties="健康科普")
    team = make_team(leader=make_volunteer(), members=[member])
    order = services.dispatch(make_order(), actor=officer(), team=team)
    pks = {s.obj.pk for s in matching.suggest_volunteers(order, limit=100)}
    assert member.pk in pks and outsider.pk not in pks


def test_tiers_start_at_the_order_region():
    assert matching._tiers(region("510104022")) == [
        "51/5101/510104/510104022/",
        "51/5101/510104/",
        "51/5101/",
        "51/",
    ]


def test_recent_services_lower_the_score_to_spread_work():
    assert matching._score(1, 1, 1, 0) > matching._score(1, 1, 1, 3)
    assert matching._score(1, 1, 1, 0) == 100
    assert datetime.timedelta(days=matching.LOAD_DAYS).days == 90
