"""The contests demo loads (all or nothing, once) and its results work."""

import pytest
from django.test import Client

from kepu.contests import certificates
from kepu.contests import choices as c
from kepu.contests.demo import TITLE, load_demo
from kepu.contests.models import Attempt, ContestRound, Participant, Prize, Standing
from kepu.contests.services import paper as papers
from kepu.contests.services import rankings
from kepu.core import invariants

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_its_results_work(as_persona):
    from kepu.literacy.tests.helpers_bank import expert

    expert("demo-expert", "周明远")  # reviews the literacy demo bank the contest draws on
    result = load_demo(300)
    assert result["contest participants"] == 2000 and load_demo(300) == {}
    prelim = ContestRound.objects.get(contest__title=TITLE, stage=c.Stage.PRELIMINARY)
    semi = ContestRound.objects.get(contest__title=TITLE, stage=c.Stage.SEMIFINAL)
    assert prelim.status == c.RoundStatus.PUBLISHED and semi.status == c.RoundStatus.OPEN
    assert semi.set_items.count() == 20 and semi.previous == prelim
    # Stored answers agree with stored scores (scored by the round's own scoring).
    for attempt in Attempt.objects.filter(round=prelim).order_by("pk")[:200]:
        paper = papers.paper(prelim, attempt.seed)
        assert papers.score(prelim, paper, attempt.answers) == (attempt.score, attempt.correct)
    assert Attempt.objects.filter(round=prelim, status=c.AttemptStatus.EXCLUDED).exists()
    flags = Attempt.objects.filter(round=prelim).values_list("flags", flat=True)
    assert any(c.Flag.TOO_FAST in f for f in flags)
    standings = Standing.objects.filter(round=prelim)
    # Everyone has a standing but those whose only attempt was excluded.
    assert 1900 < standings.count() <= Participant.objects.filter(contest=prelim.contest).count()
    assert standings.filter(advanced=True).count() == result["advanced"] > 0
    cities = rankings.region_table(prelim, 2)
    assert len(cities) == 21 and cities[0].name == "成都市"
    plist = prelim.prize_list
    assert plist.status == c.PrizeListStatus.FINAL
    assert Prize.objects.filter(prize_list=plist, tier=c.PrizeTier.FIRST).count() == 10
    top = rankings.persons(prelim).first()
    assert (
        Prize.objects.get(prize_list=plist, tier="first", rank=1).participant_id
        == top.participant_id
    )
    cert = certificates.issue(prelim, top.participant, c.CertificateKind.PRIZE)
    assert certificates.render(cert, base="http://testserver/").startswith(b"%PDF")
    assert prelim.set_items.filter(answered__gt=0).count() == 20
    assert Client().get(f"/contests/rounds/{prelim.pk}/leaderboard/").status_code == 200
    assert as_persona("city").get(f"/contests/rounds/{prelim.pk}/report/").status_code == 200
    assert invariants.check(["contests"]) == []
