"""The contests part of the benchmark dataset (`kepu.contests.dataset`) at a tiny scale:
every attempt's stored score is what the round's paper gives for its answers, and the
standings are the attempts' (one per participant, the advanced ones at most 50 a county)."""

from io import StringIO

import pytest

from kepu.contests import choices as c
from kepu.contests import dataset
from kepu.contests.models import Attempt, ContestRound, Participant, Standing
from kepu.contests.services import paper as papers
from kepu.contests.tests import helpers as h
from kepu.core import crypto, invariants
from kepu.core import dataset as core_dataset

pytestmark = pytest.mark.django_db


def test_the_generated_contest_is_consistent(monkeypatch):
    monkeypatch.setattr(dataset, "SET_SIZE", 30)
    h.items(45, prefix="DS")  # the province's approved bank (the literacy dataset's)
    out = StringIO()
    ds = core_dataset.Dataset("county", 3, out=lambda line: out.write(line + "\n"))
    dataset.generate(ds)
    assert "contest attempts" in out.getvalue()
    done = ContestRound.objects.get(status=c.RoundStatus.PUBLISHED)
    n = dataset.participants_for(ds)
    assert Participant.objects.count() == Attempt.objects.filter(round=done).count() == n
    assert Standing.objects.filter(round=done).count() == n
    for attempt in Attempt.objects.filter(round=done).order_by("pk")[:200]:
        score, correct = papers.score(done, papers.paper(done, attempt.seed), attempt.answers)
        assert (score, correct) == (attempt.score, attempt.correct)
        assert len(attempt.times) == done.questions
    one = Participant.objects.order_by("pk").first()
    assert one.phone_hash == crypto.blind_index(crypto.open_sealed(one.phone_enc))
    assert "*" in one.phone_masked
    assert Standing.objects.filter(round=done, advanced=True).exists()
    assert invariants.check(["contests"]) == []
    # The invariants catch a standing whose score is not its attempt's.
    first = Standing.objects.filter(round=done).order_by("pk").first()
    Standing.objects.filter(pk=first.pk).update(score=first.score + 1)
    assert any(f"standing {first.pk}" in line for line in invariants.check(["contests"]))
