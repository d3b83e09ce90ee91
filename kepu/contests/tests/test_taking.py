"""The participants' hot path through the services: register, start, save, submit."""

import datetime

import pytest

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Standing
from kepu.contests.services import paper as papers
from kepu.contests.services import taking
from kepu.contests.tests import helpers as h
from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict

pytestmark = pytest.mark.django_db


def _register(contest, phone="13800001111", name="王小明", code="510104"):
    participant, _new = taking.register(
        contest, name=name, phone=phone, region=h.region(code), group="other", consent=True
    )
    return participant


def _right_indexes(paper, position):
    question, order = paper.at(position)
    return [i for i, key in enumerate(order) if key in question.key]


def test_a_whole_attempt_scores_and_stands():
    contest = h.contest()
    round_ = h.open_round(contest)
    participant = _register(contest)
    attempt, created = taking.start(round_, participant)
    assert created
    token = taking.attempt_token(attempt)
    paper = papers.paper(round_, attempt.seed)
    start = clock.now()
    for pos in range(1, len(paper) + 1):
        question, _order = paper.at(pos)
        chosen = _right_indexes(paper, pos) if pos <= 7 else [0] if pos == 8 else []
        if not chosen:
            continue
        with clock.frozen(start + datetime.timedelta(seconds=5 * pos)):
            assert taking.save_answers(token, round_, [(pos, question.item, chosen)]) == 1
    with clock.frozen(start + datetime.timedelta(seconds=60)):
        done = taking.submit(token, round_)
        again = taking.submit(token, round_)
    assert done.status == c.AttemptStatus.SUBMITTED and again.pk == done.pk
    assert done.correct >= 7 and done.score == done.correct * 10
    standing = Standing.objects.get(round=round_, participant=participant)
    assert standing.score == done.score and standing.attempts == 1


def test_bad_input_is_refused_and_nothing_counts_twice():
    contest = h.contest()
    round_ = h.open_round(contest)
    participant = _register(contest)
    attempt, _ = taking.start(round_, participant)
    again, created = taking.start(round_, participant)
    assert again.pk == attempt.pk and not created  # a double tap resumes
    token = taking.attempt_token(attempt)
    paper = papers.paper(round_, attempt.seed)
    question, order = paper.at(1)
    other = paper.at(2)[0].item
    with pytest.raises(DomainError, match="not part of your paper"):
        taking.save_answers(token, round_, [(1, other, [0])])  # forged question
    with pytest.raises(DomainError, match="options shown"):
        taking.save_answers(token, round_, [(1, question.item, [len(order)])])  # tampered
    with pytest.raises(DomainError, match="not valid"):
        taking.save_answers(token + "x", round_, [(1, question.item, [0])])
    taking.submit(token, round_)
    with pytest.raises(StateConflict, match="already been submitted"):
        taking.save_answers(token, round_, [(1, question.item, [0])])
    with pytest.raises(StateConflict, match="used all your attempts"):
        taking.start(round_, participant)
    assert Attempt.objects.filter(round=round_, participant=participant).count() == 1


def test_an_answer_after_the_time_limit_is_refused_and_scored_at_the_deadline():
    contest = h.contest()
    round_ = h.open_round(contest, time_limit=60)
    attempt, _ = taking.start(round_, _register(contest))
    token = taking.attempt_token(attempt)
    question, _order = papers.paper(round_, attempt.seed).at(1)
    with clock.frozen(attempt.deadline + datetime.timedelta(seconds=10)):
        with pytest.raises(StateConflict, match="Time is up"):
            taking.save_answers(token, round_, [(1, question.item, [0])])
        assert taking.expire_due() == 1
    attempt.refresh_from_db()
    assert attempt.status == c.AttemptStatus.EXPIRED and attempt.answers == {}


def test_impossible_timing_is_excluded_with_its_reason():
    contest = h.contest()
    round_ = h.open_round(contest)
    attempt, _ = taking.start(round_, _register(contest))
    token = taking.attempt_token(attempt)
    paper = papers.paper(round_, attempt.seed)
    given = [(p, paper.at(p)[0].item, [0]) for p in range(1, len(paper) + 1)]
    taking.save_answers(token, round_, given)
    done = taking.submit(token, round_)
    assert done.status == c.AttemptStatus.EXCLUDED
    assert c.Flag.IMPOSSIBLE in done.flags
    # In the platform's language, whatever the submitting request's.
    expected = taking.impossible_reason(len(done.times), max(done.times.values()))
    assert done.excluded_reason == expected and "秒内作答" in expected
    assert not Standing.objects.filter(round=round_).exists()


def test_a_phone_registers_once_and_another_name_is_refused():
    contest = h.contest()
    first = _register(contest)
    assert _register(contest).pk == first.pk
    with pytest.raises(DomainError):
        _register(contest, name="李四")
