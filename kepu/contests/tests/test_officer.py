"""The officer area through HTTP with the personas: set up a contest and its round, draw
the set, publish, open and close; who reads and who acts; exclude and restore; the
schedule; refusals of bad input with their messages."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, ContestRound, RoundItem, Standing
from kepu.contests.services import contests as services
from kepu.contests.services import paper as papers
from kepu.contests.services import taking
from kepu.contests.tests import authz_officer as ao
from kepu.contests.tests import helpers as h
from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import AuditEntry
from kepu.literacy.models import Dimension, Instrument

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def en(as_persona):
    def make(name):
        client = as_persona(name)
        client.cookies["django_language"] = "en"
        return client

    return make


def _dim(code="knowledge"):
    return Dimension.objects.get(instrument__code="national-2024", code=code)


def round_post(**over):
    now = clock.now()
    data = {
        "stage": "prelim", "title": "线上初赛",
        "opens_at": (now + datetime.timedelta(days=1)).strftime(FMT),
        "closes_at": (now + datetime.timedelta(days=8)).strftime(FMT),
        "instrument": Instrument.objects.get(code="national-2024").pk, "questions": 4,
        "points_per_question": 10, "time_limit": 300, "min_seconds": 2, "attempts_allowed": 1,
        "advancement": "none", "bp0_dimension": _dim().pk, "bp0_difficulty": "", "bp0_count": 3,
        "bp1_dimension": _dim("method").pk, "bp1_difficulty": "", "bp1_count": 2,
    }  # fmt: skip
    data.update(over)
    return data


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_province_sets_up_a_contest_draws_publishes_and_opens_a_round(en):
    h.items(24, prefix="OT")
    client = en("province")
    response = client.post(reverse("contests:contest_create"), {
        "region": "51", "title": "四川省青少年科学素质知识竞赛", "year": 2026,
        "audience": "youth", "notice": h.NOTICE, "organizer": "四川省科学技术协会",
    })  # fmt: skip
    contest = Contest.objects.get(title="四川省青少年科学素质知识竞赛")
    assert response.status_code == 302 and contest.status == c.ContestStatus.DRAFT
    assert contest.organizer.name == "四川省科学技术协会"
    response = client.post(reverse("contests:round_create", args=[contest.pk]), round_post())
    round_ = ContestRound.objects.get(contest=contest)
    assert response.status_code == 302
    assert round_.blueprint == [
        {"dimension": "knowledge", "difficulty": "", "count": 3},
        {"dimension": "method", "difficulty": "", "count": 2},
    ]
    # Publishing needs a drawn set.
    response = client.post(reverse("contests:contest_step", args=[contest.pk, "publish"]),
                           follow=True)  # fmt: skip
    assert "Add a round and draw its questions before publishing the contest." in _messages(
        response
    )
    response = client.post(reverse("contests:round_step", args=[round_.pk, "draw"]), follow=True)
    assert "5 questions drawn." in _messages(response)
    round_.refresh_from_db()
    drawn = list(RoundItem.objects.filter(round=round_).select_related("item__dimension"))
    assert round_.status == c.RoundStatus.READY and round_.drawn_at is not None
    assert len(drawn) == 5 and len({ri.item_id for ri in drawn}) == 5
    assert sorted(ri.item.dimension.code for ri in drawn) == ["knowledge"] * 3 + ["method"] * 2
    page = client.get(reverse("contests:round_detail", args=[round_.pk]))
    assert page.status_code == 200 and page.content.count(b"data-key") == 5
    assert b"Show the answer" in page.content
    client.post(reverse("contests:contest_step", args=[contest.pk, "publish"]))
    client.post(reverse("contests:round_step", args=[round_.pk, "open"]))
    contest.refresh_from_db()
    round_.refresh_from_db()
    assert contest.status == c.ContestStatus.PUBLISHED and round_.status == c.RoundStatus.OPEN
    codes = set(AuditEntry.objects.filter(object_id__in=[str(contest.pk), str(round_.pk)])
                .values_list("action", flat=True))  # fmt: skip
    assert {
        "contests.contest.created", "contests.contestround.created",
        "contests.contestround.drawn", "contests.contest.published",
        "contests.contestround.opened",
    } <= codes  # fmt: skip


def test_drawing_again_replaces_the_set_and_respects_difficulty(en):
    h.items(30, prefix="OD")
    contest = h.contest(status=c.ContestStatus.DRAFT)
    round_ = ao.draft_round(contest, blueprint=[
        {"dimension": "knowledge", "difficulty": "hard", "count": 2},
        {"dimension": "knowledge", "difficulty": "", "count": 3},
    ], questions=5)  # fmt: skip
    assert services.draw(round_, actor=None) == 5
    first = set(RoundItem.objects.filter(round=round_).values_list("item_id", flat=True))
    services.draw(round_, actor=None)
    rows = list(RoundItem.objects.filter(round=round_).select_related("item").order_by("position"))
    assert len(rows) == 5 and [r.position for r in rows] == [1, 2, 3, 4, 5]
    assert all(r.item.difficulty == "hard" for r in rows[:2])
    assert len(first) == 5


def test_an_unfillable_blueprint_is_refused_naming_the_row(en):
    h.items(12, prefix="OU")
    contest = h.contest(status=c.ContestStatus.DRAFT, code="510104")
    round_ = ao.draft_round(contest, blueprint=[
        {"dimension": "spirit", "difficulty": "", "count": 1},
        {"dimension": "method", "difficulty": "hard", "count": 500},
    ], questions=4)  # fmt: skip
    have = services.bank_items(round_).filter(dimension__code="method", difficulty="hard").count()
    response = en("province").post(
        reverse("contests:round_step", args=[round_.pk, "draw"]), follow=True
    )
    name = _dim("method").name
    assert (
        f"The bank cannot fill the blueprint: row 2 ({name}, Hard): 500 needed, {have} available."
        in _messages(response)
    )
    round_.refresh_from_db()
    assert round_.status == c.RoundStatus.DRAFT and not round_.set_items.exists()


def test_bad_round_input_is_refused_with_clear_messages(en):
    contest = h.contest(status=c.ContestStatus.DRAFT)
    url = reverse("contests:round_create", args=[contest.pk])
    client = en("province")
    now = clock.now()
    reversed_window = round_post(
        opens_at=(now + datetime.timedelta(days=5)).strftime(FMT),
        closes_at=(now + datetime.timedelta(days=1)).strftime(FMT),
    )
    response = client.post(url, reversed_window)
    assert response.status_code == 400
    assert b"The round must close after it opens." in response.content
    response = client.post(url, round_post(advancement="top_n", advance_level=3))
    assert response.status_code == 400 and b"Give N: how many advance." in response.content
    response = client.post(url, round_post(advancement="top_n", advance_n=5))
    assert b"Choose the level of the regions whose top N advance" in response.content
    response = client.post(url, round_post(advancement="min_score"))
    assert b"Give X: the score needed to advance." in response.content
    response = client.post(url, round_post(questions=10))
    assert (
        b"The blueprint draws 5 questions, fewer than the 10 questions per attempt."
        in response.content
    )
    other = ao.draft_round(h.contest(status=c.ContestStatus.DRAFT, title="另一个竞赛"))
    response = client.post(url, round_post(previous=other.pk))
    assert response.status_code == 400  # not a choice: the previous round is this contest's
    response = client.post(url, round_post(bp0_dimension=Dimension.objects.get(
        instrument__code="benchmark-2016").pk))  # fmt: skip
    assert b"Row 1: choose a dimension of the instrument." in response.content
    assert not ContestRound.objects.filter(contest=contest).exists()


def test_a_later_round_must_follow_an_earlier_one():
    contest = h.contest(status=c.ContestStatus.DRAFT)
    first = ao.draft_round(contest)
    with pytest.raises(DomainError) as refused:
        ao.draft_round(contest, title="复赛", previous=first, opens_at=first.opens_at)
    assert refused.value.message_dict["previous"] == [
        "The previous round must close before this one opens."
    ]
    second = ao.draft_round(
        contest, title="复赛", stage=c.Stage.SEMIFINAL, previous=first,
        opens_at=first.closes_at, closes_at=first.closes_at + datetime.timedelta(days=3),
        advancement=c.Advancement.TOP_N, advance_n=10, advance_level=3,
    )  # fmt: skip
    assert second.position == 2 and second.previous_id == first.pk
    with pytest.raises(DomainError) as refused:
        services.change_round(first, actor=None, **{
            f: getattr(first, f) for f in services.ROUND_FIELDS if f != "previous"
        }, previous=second)  # fmt: skip
    assert refused.value.message_dict["previous"] == [
        "Choose an earlier round of the same contest."
    ]


def test_a_county_officer_reads_the_province_contest_but_does_not_run_it(en):
    h.items(24, prefix="OC")
    contest = h.contest(status=c.ContestStatus.DRAFT)
    round_ = ao.draft_round(contest)
    services.draw(round_, actor=None)
    client = en("county_a")
    assert client.get(reverse("contests:contest_detail", args=[contest.pk])).status_code == 200
    page = client.get(reverse("contests:round_detail", args=[round_.pk]))
    assert page.status_code == 200 and b"data-key" not in page.content
    assert b"shown to the organizing region" in page.content
    drawn_at = ContestRound.objects.get(pk=round_.pk).drawn_at
    for step in ("draw", "open", "close"):
        url = reverse("contests:round_step", args=[round_.pk, step])
        assert client.post(url).status_code == 403
    assert client.get(reverse("contests:round_edit", args=[round_.pk])).status_code == 403
    assert (
        client.post(reverse("contests:contest_step", args=[contest.pk, "publish"])).status_code
        == 403
    )
    api = client.post(reverse("api:contestround-draw", args=[round_.pk]))
    assert api.status_code == 403
    assert ContestRound.objects.get(pk=round_.pk).drawn_at == drawn_at


def _taken(round_, phone, code="510104", *, answers=2, submit=True):
    participant, _new = taking.register(
        round_.contest, name="张三丰", phone=phone, region=h.region(code), group="farmers",
        consent=True,
    )  # fmt: skip
    attempt, _created = taking.start(round_, participant)
    token = taking.attempt_token(attempt)
    paper = papers.paper(round_, attempt.seed)
    start = clock.now()
    for pos in range(1, answers + 1):
        question, order = paper.at(pos)
        right = [i for i, key in enumerate(order) if key in question.key]
        with clock.frozen(start + datetime.timedelta(seconds=5 * pos)):
            taking.save_answers(token, round_, [(pos, question.item, right)])
    if submit:
        with clock.frozen(start + datetime.timedelta(seconds=5 * answers + 5)):
            attempt = taking.submit(token, round_)
    return Attempt.objects.get(pk=attempt.pk)


def test_county_b_does_not_see_county_a_attempts(en):
    round_ = h.open_round(h.contest(), questions=4)
    mine = _taken(round_, "13900001001", "510703")
    theirs = _taken(round_, "13900001002", "510104")
    client = en("county_b")
    page = client.get(reverse("contests:attempt_list", args=[round_.pk]))
    assert page.status_code == 200
    assert f'data-attempt="{mine.pk}"'.encode() in page.content
    assert f'data-attempt="{theirs.pk}"'.encode() not in page.content
    assert client.get(reverse("contests:attempt_detail", args=[theirs.pk])).status_code == 404
    api = client.get(reverse("api:contest-attempt-list"), {"round": round_.pk}).json()
    assert [a["id"] for a in api["results"]] == [mine.pk]
    assert api["results"][0]["participant"] == "张*"
    assert api["results"][0]["phone_masked"] == "139****1001"
    province = en("province").get(reverse("contests:attempt_list", args=[round_.pk]))
    assert province.content.count(b"data-attempt=") == 2
    assert "张*".encode() in province.content and "张三丰".encode() not in province.content


def test_exclude_and_restore_need_a_reason_and_restand(en):
    round_ = h.open_round(h.contest(), questions=4)
    attempt = _taken(round_, "13900002001")
    assert Standing.objects.get(round=round_, participant=attempt.participant).score == 20
    client = en("province")
    url = reverse("contests:attempt_exclude", args=[attempt.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason for excluding the attempt." in _messages(response)
    assert Attempt.objects.get(pk=attempt.pk).status == c.AttemptStatus.SUBMITTED
    response = client.post(url, {"reason": "同一设备代答"}, follow=True)
    assert "Attempt excluded." in _messages(response)
    attempt.refresh_from_db()
    assert attempt.status == c.AttemptStatus.EXCLUDED and attempt.excluded_reason == "同一设备代答"
    assert not Standing.objects.filter(round=round_, participant=attempt.participant).exists()
    assert "同一设备代答".encode() in response.content
    entry = AuditEntry.objects.filter(action="contests.attempt.excluded").latest("pk")
    assert entry.detail["reason"] == "同一设备代答"
    # A county officer of the resident's own county reads it but does not judge.
    assert (
        en("county_a")
        .post(reverse("contests:attempt_restore", args=[attempt.pk]), {"reason": "申诉"})
        .status_code
        == 403
    )
    response = client.post(reverse("contests:attempt_restore", args=[attempt.pk]),
                           {"reason": "核实为本人作答"}, follow=True)  # fmt: skip
    assert "Attempt restored." in _messages(response)
    attempt.refresh_from_db()
    assert attempt.status == c.AttemptStatus.SUBMITTED and attempt.excluded_reason == ""
    assert (
        Standing.objects.get(round=round_, participant=attempt.participant).attempt_id == attempt.pk
    )
    with pytest.raises(StateConflict):
        services.restore_attempt(attempt, actor=None, reason="再次")


def test_closing_scores_active_attempts_and_a_second_close_is_refused(en):
    round_ = h.open_round(h.contest(), questions=4)
    active = _taken(round_, "13900003001", answers=3, submit=False)
    assert active.status == c.AttemptStatus.ACTIVE
    response = en("province").post(
        reverse("contests:round_step", args=[round_.pk, "close"]), follow=True
    )
    assert "The round is closed; 1 attempts in progress were scored." in _messages(response)
    active.refresh_from_db()
    round_.refresh_from_db()
    assert round_.status == c.RoundStatus.CLOSED and round_.closed_by.username == "demo-province"
    assert active.status == c.AttemptStatus.EXPIRED and active.score == 30
    assert Standing.objects.get(round=round_, participant=active.participant).score == 30
    with pytest.raises(StateConflict) as refused:
        services.close_round(round_, actor=None)
    assert str(refused.value.message) == "This round is not open: it cannot be closed."
    api = en("province").post(reverse("api:contestround-close", args=[round_.pk]))
    assert api.status_code == 409
    # The attempt page shows the keys once the round is closed, to the county as well.
    page = en("county_a").get(reverse("contests:attempt_detail", args=[active.pk]))
    assert page.status_code == 200 and b"Correct answer" in page.content


def test_the_schedule_closes_rounds_past_their_window():
    from kepu.contests import jobs as contest_jobs
    from kepu.core import schedules

    round_ = h.open_round(h.contest(), questions=4)
    later = h.open_round(h.contest(title="另一竞赛"), questions=4)
    active = _taken(round_, "13900004001", submit=False)
    with clock.frozen(round_.closes_at + datetime.timedelta(minutes=1)):
        assert services.close_due() == 2
    round_.refresh_from_db()
    later.refresh_from_db()
    active.refresh_from_db()
    assert round_.status == later.status == c.RoundStatus.CLOSED
    assert active.status == c.AttemptStatus.EXPIRED
    assert services.close_due() == 0
    schedule = schedules.SCHEDULES["contests.close_due"]
    assert schedule.job == "contests.close_due"
    assert schedule.interval == datetime.timedelta(minutes=5)
    other = h.open_round(h.contest(title="第三竞赛"), questions=4)

    class Run:
        outcome = ""

    run = Run()
    with clock.frozen(other.closes_at + datetime.timedelta(minutes=1)):
        assert contest_jobs.close_due(run) == {"closed": 1}
    assert run.outcome == "1 contest rounds closed."


def test_the_organizer_reveals_a_phone_with_a_reason_and_it_is_logged(en):
    round_ = h.open_round(h.contest(), questions=4)
    attempt = _taken(round_, "13900005001")
    url = reverse("contests:participant_reveal", args=[attempt.participant_id])
    client = en("province")
    page = client.get(url)
    assert page.status_code == 200 and b"13900005001" not in page.content
    assert client.post(url, {"reason": "短"}).status_code == 400
    page = client.post(url, {"reason": "联系获奖者领奖"})
    assert page.status_code == 200 and b"13900005001" in page.content
    entry = AuditEntry.objects.filter(action="contests.participant.revealed").latest("pk")
    assert entry.detail == {"fields": ["phone"], "reason": "联系获奖者领奖"}
    assert (
        b"13900005001"
        not in en("province")
        .get(reverse("contests:participant_list", args=[round_.contest_id]))
        .content
    )
    assert en("county_a").post(url, {"reason": "联系获奖者领奖"}).status_code == 403


def test_flagged_filter_and_the_masked_export(en):
    round_ = h.open_round(h.contest(), questions=4)
    plain = _taken(round_, "13900006001")
    flagged = _taken(round_, "13900006002")
    Attempt.objects.filter(pk=flagged.pk).update(flags=[c.Flag.TOO_FAST])
    client = en("province")
    url = reverse("contests:attempt_list", args=[round_.pk])
    page = client.get(url, {"flagged": "true"})
    assert f'data-attempt="{flagged.pk}"'.encode() in page.content
    assert f'data-attempt="{plain.pk}"'.encode() not in page.content
    assert b"Answered some questions faster than the minimum time" in page.content
    api = client.get(reverse("api:contest-attempt-list"), {"round": round_.pk, "flagged": "true"})
    assert [a["id"] for a in api.json()["results"]] == [flagged.pk]
    export = client.get(url, {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)
    )
    cells = str(book.get_sheet_by_index(0).to_python())
    assert "139****6002" in cells and "13900006002" not in cells and "张*" in cells
    assert "张三丰" not in cells
    assert AuditEntry.objects.filter(action="contests.attempt.exported").exists()


def test_finish_and_cancel(en):
    contest = h.contest()
    round_ = h.open_round(contest, questions=4)
    client = en("province")
    response = client.post(reverse("contests:contest_step", args=[contest.pk, "finish"]),
                           follow=True)  # fmt: skip
    assert "A round of this contest is still open: close it first." in _messages(response)
    services.close_round(round_, actor=None)
    client.post(reverse("contests:contest_step", args=[contest.pk, "finish"]))
    assert Contest.objects.get(pk=contest.pk).status == c.ContestStatus.FINISHED
    draft = h.contest(status=c.ContestStatus.DRAFT, title="草稿竞赛")
    url = reverse("contests:contest_step", args=[draft.pk, "cancel"])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason for cancelling the contest." in _messages(response)
    client.post(url, {"reason": "经费取消"})
    assert Contest.objects.get(pk=draft.pk).status == c.ContestStatus.CANCELLED


def test_editing_a_contest_audits_it_and_a_new_notice_gets_a_new_version(en):
    contest = h.contest(status=c.ContestStatus.DRAFT)
    url = reverse("contests:contest_edit", args=[contest.pk])
    client = en("province")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "region": "51", "title": "四川省科学素质知识竞赛（修订）", "year": 2026,
        "audience": "open", "notice": h.NOTICE + "如有疑问请联系主办单位。", "organizer": "",
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    contest.refresh_from_db()
    assert contest.title == "四川省科学素质知识竞赛（修订）" and contest.notice_version == 2
    entry = AuditEntry.objects.filter(action="contests.contest.changed").latest("pk")
    assert entry.changes["title"] == [
        "四川省全民科学素质网络知识竞赛",
        "四川省科学素质知识竞赛（修订）",
    ]
    assert en("city").get(url).status_code == 403


def test_the_api_draws_opens_and_reads_rounds(en):
    h.items(24, prefix="OA")
    contest = h.contest(status=c.ContestStatus.DRAFT)
    round_ = ao.draft_round(contest)
    client = en("province")
    drawn = client.post(reverse("api:contestround-draw", args=[round_.pk]))
    assert drawn.status_code == 200 and drawn.json()["status"] == "ready"
    assert drawn.json()["drawn_at"] is not None
    refused = client.post(reverse("api:contestround-open", args=[round_.pk]))
    assert refused.status_code == 400
    assert refused.json()["message"] == "Publish the contest before opening a round."
    services.publish_contest(contest, actor=None)
    opened = client.post(reverse("api:contestround-open", args=[round_.pk]))
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    again = client.post(reverse("api:contestround-draw", args=[round_.pk]))
    assert again.status_code == 409
    listed = client.get(reverse("api:contestround-list"), {"contest": contest.pk}).json()
    assert [r["id"] for r in listed["results"]] == [round_.pk]
    assert listed["results"][0]["blueprint"] == ao.blueprint()
    contests = en("county_a").get(reverse("api:contest-list"), {"year": 2026}).json()
    assert contest.pk in [r["id"] for r in contests["results"]]
    bad = client.get(reverse("api:contest-list"), {"year": "abc"})
    assert bad.status_code == 400


def test_a_close_in_a_burst_ends_every_time_limit_and_leaves_the_rest_to_the_schedule(
    monkeypatch,
):
    monkeypatch.setattr(services, "INLINE_SCORING", 1)
    round_ = h.open_round(h.contest(), questions=4)
    first = _taken(round_, "13900007001", submit=False)
    second = _taken(round_, "13900007002", answers=1, submit=False)
    closed_at = clock.now()
    with clock.frozen(closed_at):
        assert services.close_round(round_, actor=None) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == c.AttemptStatus.EXPIRED
    assert second.status == c.AttemptStatus.ACTIVE and second.deadline == closed_at
    entry = AuditEntry.objects.filter(action="contests.contestround.closed").latest("pk")
    assert entry.detail == {"scored": 1, "left_to_the_schedule": 1}
    token = taking.attempt_token(second)
    paper = papers.paper(round_, second.seed)
    question, _order = paper.at(2)
    with clock.frozen(closed_at + datetime.timedelta(seconds=10)), pytest.raises(StateConflict):
        taking.save_answers(token, round_, [(2, question.item, [0])])
    with clock.frozen(closed_at + datetime.timedelta(seconds=10)):
        assert taking.expire_due() == 1
    second.refresh_from_db()
    assert second.status == c.AttemptStatus.EXPIRED and second.score == 10
    assert second.time_used_ms == int((closed_at - second.started_at).total_seconds() * 1000)
