"""The participants' pages through HTTP: register, start, answer (JSON and the form
without JavaScript), submit, result and, after the round closes, the explanations; the
refusals, each with its message and nothing counted twice.

The participants' own steps write no audit entry on purpose (see `services/taking.py`:
the audit chain's lock would serialize a burst; the attempt row is the record), hence
`no_audit_check` on this module."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Participant, Standing
from kepu.contests.services import paper as papers
from kepu.contests.services import taking, taking_cache
from kepu.contests.tests import helpers as h
from kepu.contests.views.taking_common import attempt_cookie, participant_cookie
from kepu.core import clock
from kepu.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.no_audit_check]


@pytest.fixture(autouse=True)
def _fresh_rounds():
    taking_cache.forget()
    yield
    taking_cache.forget()


def _client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _join(client, contest, *, phone="13800001111", name="王小明", code="510104", **over):
    data = {
        "name": name, "phone": phone, "region": str(h.region(code).pk), "group": "other",
        "unit": "锦江区实验小学", "consent": "on", **over,
    }  # fmt: skip
    return client.post(reverse("contests:participant_join", args=[contest.pk]), data)


def _start(client, round_, **data):
    return client.post(reverse("contests:attempt_start", args=[round_.pk]), data)


def _paper(client, round_):
    token = client.cookies[attempt_cookie(round_.pk)].value
    _pk, _round, seed, _ms = taking.read_attempt_token(token)
    return papers.paper(round_, seed)


def _right(paper, position):
    question, order = paper.at(position)
    return [i for i, key in enumerate(order) if key in question.key]


def _save(client, round_, rows):
    return client.post(
        reverse("contests:attempt_answers", args=[round_.pk]),
        json.dumps({"answers": rows}), content_type="application/json",
    )  # fmt: skip


def _taking(contest=None, **round_over):
    """A registered participant with an attempt started: (client, round, paper)."""
    contest = contest or h.contest()
    round_ = h.open_round(contest, **round_over)
    client = _client()
    assert _join(client, contest).status_code == 302
    assert _start(client, round_).status_code == 302
    return client, round_, _paper(client, round_)


def test_the_whole_flow_from_registration_to_the_explanations():
    contest = h.contest()
    round_ = h.open_round(contest)
    client = _client()
    page = client.get(reverse("contests:public_contest_detail", args=[contest.pk]))
    assert page.status_code == 200 and b"Register to take part" in page.content
    form = client.get(reverse("contests:participant_join", args=[contest.pk]))
    assert h.NOTICE in form.content.decode() and "锦江区" in form.content.decode()
    joined = _join(client, contest)
    assert joined.status_code == 302
    cookie = client.cookies[participant_cookie(contest.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/contests/"
    participant = Participant.objects.get(contest=contest)
    assert participant.phone_masked == "138****1111" and participant.unit == "锦江区实验小学"
    detail = client.get(reverse("contests:public_contest_detail", args=[contest.pk]))
    assert "Registered as 王小明." in detail.content.decode()
    assert b"13800001111" not in detail.content

    started = _start(client, round_)
    assert started["Location"] == reverse("contests:attempt_question", args=[round_.pk, 1])
    paper = _paper(client, round_)
    first = client.get(started["Location"])
    assert first.status_code == 200 and paper.at(1)[0].stem in first.content.decode()
    assert f"Question 1 of {len(paper)}" in first.content.decode()
    begin = clock.now()
    half = len(paper) // 2
    for pos in range(1, half + 1):  # with JavaScript: the JSON endpoint
        with clock.frozen(begin + datetime.timedelta(seconds=5 * pos)):
            saved = _save(client, round_, [
                {"position": pos, "item": paper.at(pos)[0].item, "choice": _right(paper, pos)}
            ])  # fmt: skip
        assert saved.status_code == 200 and saved.json() == {"stored": 1}
    for pos in range(half + 1, len(paper) + 1):  # without: the form posts and goes on
        with clock.frozen(begin + datetime.timedelta(seconds=5 * pos)):
            posted = client.post(
                reverse("contests:attempt_question", args=[round_.pk, pos]),
                {"item": paper.at(pos)[0].item, "choice": _right(paper, pos), "go": "next"},
            )
        following = (
            reverse("contests:attempt_summary", args=[round_.pk]) if pos == len(paper)
            else reverse("contests:attempt_question", args=[round_.pk, pos + 1])
        )  # fmt: skip
        assert posted.status_code == 302 and posted["Location"] == following
    back = client.post(
        reverse("contests:attempt_question", args=[round_.pk, 3]), {"go": "prev"}
    )  # going back to change an answer
    assert back["Location"] == reverse("contests:attempt_question", args=[round_.pk, 2])
    summary = client.get(reverse("contests:attempt_summary", args=[round_.pk]))
    assert b"Every question is answered." in summary.content
    with clock.frozen(begin + datetime.timedelta(seconds=5 * len(paper) + 10)):
        done = client.post(reverse("contests:attempt_submit", args=[round_.pk]))
    assert done["Location"] == reverse("contests:attempt_result", args=[round_.pk])
    attempt = Attempt.objects.get(round=round_)
    assert attempt.status == c.AttemptStatus.SUBMITTED and attempt.correct == len(paper)
    result = client.get(done["Location"]).content.decode()
    assert f"{len(paper)} of {len(paper)} answers right" in result
    assert "once the round has closed" in result and paper.at(1)[0].explanation not in result

    round_.status = c.RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    closed = client.get(done["Location"]).content.decode()
    assert "Answers and explanations" in closed and paper.at(1)[0].explanation in closed
    # Reopening the round page after the submission leads to the result, not a new attempt.
    again = client.get(reverse("contests:public_round", args=[round_.pk]))
    assert again.status_code == 200 and Attempt.objects.filter(round=round_).count() == 1
    assert "sessionid" not in client.cookies  # no session for an anonymous participant


def test_a_double_tap_on_start_is_one_attempt_and_reopening_resumes_it():
    contest = h.contest()
    round_ = h.open_round(contest)
    client = _client()
    _join(client, contest)
    first = _start(client, round_)
    token = client.cookies[attempt_cookie(round_.pk)].value
    second = _start(client, round_)
    assert first["Location"] == second["Location"]
    assert Attempt.objects.filter(round=round_).count() == 1
    assert client.cookies[attempt_cookie(round_.pk)].value == token
    paper = _paper(client, round_)
    _save(client, round_, [{"position": 1, "item": paper.at(1)[0].item, "choice": [0]}])
    resumed = client.get(reverse("contests:public_round", args=[round_.pk]))
    assert resumed["Location"] == reverse("contests:attempt_question", args=[round_.pk, 2])
    shown = client.get(reverse("contests:attempt_question", args=[round_.pk, 1])).content.decode()
    assert 'value="0" checked' in shown


def test_a_replayed_submission_is_one_result_and_a_second_attempt_is_refused():
    client, round_, paper = _taking()
    with clock.frozen(clock.now() + datetime.timedelta(seconds=30)):
        _save(client, round_, [{"position": 1, "item": paper.at(1)[0].item, "choice": [0]}])
    with clock.frozen(clock.now() + datetime.timedelta(seconds=60)):
        one = client.post(reverse("contests:attempt_submit", args=[round_.pk]))
        two = client.post(reverse("contests:attempt_submit", args=[round_.pk]))
    assert (
        one["Location"] == two["Location"] == reverse("contests:attempt_result", args=[round_.pk])
    )
    assert Standing.objects.get(round=round_).attempts == 1
    replayed = client.get(two["Location"]).content.decode()
    assert "Your answers were submitted already; they count once." in replayed
    refused = _start(client, round_)
    assert refused["Location"] == reverse("contests:public_round", args=[round_.pk])
    page = client.get(refused["Location"]).content.decode()
    assert "You have used all your attempts at this round (1)." in page
    assert Attempt.objects.filter(round=round_).count() == 1
    late = _save(client, round_, [{"position": 2, "item": paper.at(2)[0].item, "choice": [0]}])
    assert late.status_code == 409 and "already been submitted" in late.json()["error"]


def test_an_answer_after_the_time_limit_is_refused_with_its_message():
    client, round_, paper = _taking(time_limit=60)
    attempt = Attempt.objects.get(round=round_)
    with clock.frozen(attempt.deadline + datetime.timedelta(seconds=10)):
        late = _save(client, round_, [{"position": 1, "item": paper.at(1)[0].item, "choice": [0]}])
        form = client.post(
            reverse("contests:attempt_question", args=[round_.pk, 1]),
            {"item": paper.at(1)[0].item, "choice": [0]},
        )
        summary = client.get(form["Location"]).content.decode()
    assert late.status_code == 409
    assert late.json() == {
        "error": "Time is up: this answer arrived after the time limit and was not counted."
    }
    assert form["Location"] == reverse("contests:attempt_summary", args=[round_.pk])
    assert "Time is up. Submit to see your result" in summary
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.status == c.AttemptStatus.ACTIVE


def test_forged_question_tampered_option_and_bad_token_are_refused_and_store_nothing():
    client, round_, paper = _taking()
    question, order = paper.at(1)
    cases = [
        ([{"position": 1, "item": paper.at(2)[0].item, "choice": [0]}],
         "This question is not part of your paper."),
        ([{"position": 1, "item": question.item, "choice": [len(order)]}],
         "Choose one of the options shown."),
        ([{"position": 99, "item": question.item, "choice": [0]}],
         "This question is not part of your paper."),
    ]  # fmt: skip
    for rows, message in cases:
        refused = _save(client, round_, rows)
        assert refused.status_code == 400 and refused.json() == {"error": message}
    garbled = client.post(
        reverse("contests:attempt_answers", args=[round_.pk]), "{not json",
        content_type="application/json",
    )  # fmt: skip
    assert garbled.status_code == 400 and garbled.json() == {
        "error": "The answers could not be read."
    }
    client.cookies[attempt_cookie(round_.pk)] = "forged-token"
    bad = _save(client, round_, [{"position": 1, "item": question.item, "choice": [0]}])
    assert bad.status_code == 400
    assert bad.json() == {
        "error": "This attempt link is not valid. Start again from the contest page."
    }
    assert Attempt.objects.get(round=round_).answers == {}


def test_a_closed_round_is_noticed_and_refuses_answers():
    client, round_, paper = _taking()
    round_.status = c.RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    refused = _save(client, round_, [{"position": 1, "item": paper.at(1)[0].item, "choice": [0]}])
    assert refused.status_code == 409 and refused.json() == {"error": "This round is not open now."}
    assert Attempt.objects.get(round=round_).answers == {}


def test_a_participant_cookie_of_another_contest_is_ignored():
    one = h.contest()
    other = h.contest(title="成都市青少年科学知识竞赛")
    round_ = h.open_round(other)
    client = _client()
    _join(client, one)
    client.cookies[participant_cookie(other.pk)] = client.cookies[participant_cookie(one.pk)].value
    page = client.get(reverse("contests:public_contest_detail", args=[other.pk])).content.decode()
    assert "Registered as" not in page
    refused = _start(client, round_)
    assert refused["Location"] == reverse("contests:participant_join", args=[other.pk])
    assert not Attempt.objects.filter(round=round_).exists()


def test_saving_answers_is_one_query_and_writes_no_session(django_assert_max_num_queries):
    client, round_, paper = _taking()
    client.cookies.pop("sessionid", None)
    _save(client, round_, [{"position": 1, "item": paper.at(1)[0].item, "choice": [0]}])
    with django_assert_max_num_queries(1):
        saved = _save(client, round_, [
            {"position": 2, "item": paper.at(2)[0].item, "choice": [0]},
            {"position": 3, "item": paper.at(3)[0].item, "choice": [0]},
        ])  # fmt: skip
    assert saved.json() == {"stored": 2}
    assert not saved.wsgi_request.session.modified and "sessionid" not in saved.cookies
    assert set(Attempt.objects.get(round=round_).answers) == {"1", "2", "3"}


def test_registration_errors_are_shown_per_field():
    contest = h.contest(audience=c.Audience.FARMERS)
    client = _client()
    refused = client.post(reverse("contests:participant_join", args=[contest.pk]), {})
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert errors["name"] == ["Enter your full name."]
    assert errors["phone"] == ["Enter a mobile number of 11 digits starting with 1."]
    assert errors["consent"] == ["Agree to the contest's personal-information notice to take part."]
    assert errors["region"] == ["Choose your county or district within the contest's region."]
    wrong = _join(client, contest, group="workers")
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["group"] == ["This contest is for Farmers."]
    assert not Participant.objects.filter(contest=contest).exists()
    zh = Client().post(reverse("contests:participant_join", args=[contest.pk]), {})
    assert zh.status_code == 400 and zh["Content-Language"] == "zh-hans"


def test_a_region_outside_the_contest_is_not_eligible():
    contest = h.contest("5101")  # 成都市
    round_ = h.open_round(contest)
    client = _client()
    refused = _join(client, contest, code="510703")  # 涪城区, 绵阳市
    assert refused.status_code == 400
    assert not Participant.objects.filter(contest=contest).exists()
    _join(client, contest)
    narrowed = h.open_round(contest, title="锦江区专场")
    narrowed.regions.set([h.region("510107")])
    taking_cache.forget()
    denied = _start(client, narrowed)
    page = client.get(denied["Location"]).content.decode()
    assert "Residents of your region do not take part in this round." in page
    assert _start(client, round_).status_code == 302


def test_practice_shows_the_explanations_at_once():
    contest = h.contest()
    round_ = h.open_round(contest)
    client = _client()
    _join(client, contest)
    _start(client, round_, practice="1")
    paper = _paper(client, round_)
    _save(
        client, round_, [{"position": 1, "item": paper.at(1)[0].item, "choice": _right(paper, 1)}]
    )
    client.post(reverse("contests:attempt_submit", args=[round_.pk]))
    attempt = Attempt.objects.get(round=round_)
    assert attempt.practice and not Standing.objects.filter(round=round_).exists()
    result = client.get(reverse("contests:attempt_result", args=[round_.pk])).content.decode()
    assert paper.at(1)[0].explanation in result and "Practice" in result
    # The scored attempt is still there to take.
    assert _start(client, round_).status_code == 302
    assert Attempt.objects.filter(round=round_, practice=False).count() == 1


def test_the_list_shows_published_contests_with_their_rounds():
    contest = h.contest()
    h.open_round(contest)
    draft = h.contest(title="草稿竞赛", status=c.ContestStatus.DRAFT)
    page = _client().get(reverse("contests:public_contest_list")).content.decode()
    assert contest.title in page and "线上初赛" in page and "Open now" in page
    assert draft.title not in page
    hidden = _client().get(reverse("contests:public_contest_detail", args=[draft.pk]))
    assert hidden.status_code == 404
    unannounced = h.open_round(contest, title="草稿轮次", status=c.RoundStatus.DRAFT)
    assert _client().get(reverse("contests:public_round", args=[unannounced.pk])).status_code == 404
    assert (
        "草稿轮次"
        not in _client()
        .get(reverse("contests:public_contest_detail", args=[contest.pk]))
        .content.decode()
    )


def test_a_signed_in_person_registers_with_the_phone_on_record(as_persona):
    from kepu.core import crypto

    client = as_persona("volunteer")
    client.cookies["django_language"] = "en"
    person = User.objects.get(username="demo-volunteer").person
    contest = h.contest()
    form = client.get(reverse("contests:participant_join", args=[contest.pk]))
    assert form.context["form"]["name"].value() == person.name
    assert ("phone" in form.context["form"].fields) == (not person.phone_enc)
    data = {"name": person.name, "region": str(h.region("510104").pk), "group": "other",
            "consent": "on"}  # fmt: skip
    if not person.phone_enc:
        data["phone"] = "13600001234"
    joined = client.post(reverse("contests:participant_join", args=[contest.pk]), data)
    assert joined.status_code == 302
    participant = Participant.objects.get(contest=contest)
    assert participant.person_id == person.pk
    if person.phone_enc:
        assert participant.phone_hash == crypto.blind_index(crypto.open_sealed(person.phone_enc))
    # Without the cookie (another phone), the signed-in person is still recognized.
    client.cookies.pop(participant_cookie(contest.pk))
    page = client.get(reverse("contests:public_contest_detail", args=[contest.pk]))
    assert f"Registered as {person.name}." in page.content.decode()


def test_an_excluded_attempt_shows_why_and_a_closed_round_cannot_start():
    client, round_, paper = _taking()
    rows = [
        {"position": p, "item": paper.at(p)[0].item, "choice": [0]}
        for p in range(1, len(paper) + 1)
    ]
    assert _save(client, round_, rows).json() == {"stored": len(paper)}
    client.post(reverse("contests:attempt_submit", args=[round_.pk]))
    result = client.get(reverse("contests:attempt_result", args=[round_.pk])).content.decode()
    assert "This attempt is excluded from the ranking." in result
    assert "秒内作答" in result  # the reason as stored, in the platform's language
    assert "Impossible timing (all answers faster than reading)" in result
    round_.status = c.RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    refused = _start(client, round_, practice="1")
    page = client.get(refused["Location"]).content.decode()
    assert "This round is not open now." in page
    assert Attempt.objects.filter(round=round_).count() == 1


def test_registrations_are_rate_limited_per_address(monkeypatch):
    from kepu.contests.views import taking as views

    monkeypatch.setattr(views, "JOIN_LIMIT", 1)
    contest = h.contest()
    client = _client()
    assert _join(client, contest).status_code == 302
    assert _join(client, contest, phone="13800002222", name="李四").status_code == 429
    assert Participant.objects.filter(contest=contest).count() == 1
