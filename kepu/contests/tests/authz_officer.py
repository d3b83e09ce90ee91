"""Authorization-matrix rows of the officer area.

The contests are the province's (四川省, 51): a draft one with a draft round (its
blueprint fillable from the bank) and a drawn one, and a published one with a drawn
round and an open round. In the open round, residents of 锦江区 (county A) have a
submitted attempt, an excluded one and one in progress. The province runs the contests;
Chengdu and the counties read them; county B does not reach county A's participants and
attempts; nobody else reaches anything."""

import datetime

from kepu.contests import choices as c
from kepu.contests.services import contests as services
from kepu.contests.services import taking
from kepu.contests.tests import helpers as h
from kepu.core import clock
from kepu.core.testing import Row, officers
from kepu.literacy.models import Instrument

PHONES = ("13900000101", "13900000102", "13900000103")


def blueprint(count=4):
    return [{"dimension": "knowledge", "difficulty": "", "count": count}]


def draft_round(contest, title="矩阵草稿轮次", **over):
    now = clock.now()
    fields = {
        "stage": c.Stage.PRELIMINARY, "title": title,
        "opens_at": now + datetime.timedelta(days=1), "closes_at": now + datetime.timedelta(days=8),
        "instrument": Instrument.objects.get(code="national-2024"), "blueprint": blueprint(),
        "questions": 4, "points_per_question": 10, "time_limit": 300, "min_seconds": 2,
        "attempts_allowed": 1, "practice": False, "advancement": c.Advancement.NONE,
    }  # fmt: skip
    fields.update(over)
    return services.create_round(contest, actor=None, **fields)


def _attempt(round_, phone, *, submit=True):
    participant, _new = taking.register(
        round_.contest, name="李四", phone=phone, region=h.region("510104"), group="farmers",
        consent=True,
    )  # fmt: skip
    attempt, _created = taking.start(round_, participant)
    if submit:
        attempt = taking.submit(taking.attempt_token(attempt), round_)
    return attempt


def context(ctx):
    h.items(24, prefix="OFX")
    draft = h.contest(status=c.ContestStatus.DRAFT, title="矩阵草稿竞赛")
    ctx["officer_draft"] = draft
    ctx["officer_round_draft"] = draft_round(draft)
    services.draw(draft_round(draft, title="矩阵已抽题轮次"), actor=None)
    published = h.contest(title="矩阵竞赛")
    ctx["officer_published"] = published
    ready = draft_round(published, title="矩阵待开放轮次")
    services.draw(ready, actor=None)
    ctx["officer_round_ready"] = ready
    open_ = h.open_round(published, questions=4, pool=h.items(8, prefix="OFO"))
    ctx["officer_round_open"] = open_
    ctx["officer_attempt"] = _attempt(open_, PHONES[0])
    excluded = _attempt(open_, PHONES[1])
    ctx["officer_excluded"] = services.exclude_attempt(excluded, actor=None, reason="矩阵排除")
    _attempt(open_, PHONES[2], submit=False)
    ctx["officer_participant"] = ctx["officer_attempt"].participant


def _pk(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _step(key, step):
    return lambda ctx: {"pk": ctx[key].pk, "step": step}


def _contest_data(ctx):
    return {
        "region": "510104", "title": "矩阵新竞赛", "year": 2026, "audience": "open",
        "notice": h.NOTICE, "organizer": "",
    }  # fmt: skip


def _round_data(ctx):
    now = clock.now()
    return {
        "stage": "prelim", "title": "矩阵新轮次",
        "opens_at": (now + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        "instrument": Instrument.objects.get(code="national-2024").pk, "questions": 4,
        "points_per_question": 10, "time_limit": 300, "min_seconds": 2, "attempts_allowed": 1,
        "advancement": "none",
        "bp0_dimension": Instrument.objects.get(code="national-2024").dimensions.get(
            code="knowledge").pk,
        "bp0_difficulty": "", "bp0_count": 4,
    }  # fmt: skip


READ = officers(200)
ORGANIZER = officers(403, province=200)
ORGANIZER_POST = officers(403, province=302)
API_READ = officers(200, anonymous=401)
API_ORGANIZER = officers(403, province=200, anonymous=401)
A_ATTEMPT = officers(200, county_b=404)
A_JUDGE = officers(403, province=302, county_b=404)
A_REVEAL = officers(403, province=200, county_b=404)

ROWS = [
    Row("officer-contests", "contests:contest_list", expect=READ),
    Row("officer-contest-new", "contests:contest_create", expect=READ),
    Row("officer-contest-new-post", "contests:contest_create", "post", data=_contest_data,
        expect=officers(302, county_b=400), changes=("province", "city", "county_a")),
    Row("officer-contest", "contests:contest_detail", kwargs=_pk("officer_draft"), expect=READ),
    Row("officer-contest-edit", "contests:contest_edit", kwargs=_pk("officer_draft"),
        expect=ORGANIZER),
    Row("officer-contest-edit-post", "contests:contest_edit", "post",
        kwargs=_pk("officer_draft"),
        data=lambda ctx: {**_contest_data(ctx), "region": "51", "title": "矩阵改名竞赛"},
        expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-contest-publish", "contests:contest_step", "post",
        kwargs=_step("officer_draft", "publish"), expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-contest-cancel", "contests:contest_step", "post",
        kwargs=_step("officer_draft", "cancel"), data=lambda ctx: {"reason": "矩阵取消"},
        expect=ORGANIZER_POST, changes=("province",)),
    # The published contest has an open round: finishing is refused (nothing changes).
    Row("officer-contest-finish", "contests:contest_step", "post",
        kwargs=_step("officer_published", "finish"), expect=ORGANIZER_POST),
    Row("officer-participants", "contests:participant_list", kwargs=_pk("officer_published"),
        expect=READ),
    Row("officer-round-new", "contests:round_create", kwargs=_pk("officer_draft"),
        expect=ORGANIZER),
    Row("officer-round-new-post", "contests:round_create", "post", kwargs=_pk("officer_draft"),
        data=_round_data, expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-round", "contests:round_detail", kwargs=_pk("officer_round_draft"), expect=READ),
    Row("officer-round-edit", "contests:round_edit", kwargs=_pk("officer_round_draft"),
        expect=ORGANIZER),
    Row("officer-round-edit-post", "contests:round_edit", "post",
        kwargs=_pk("officer_round_draft"),
        data=lambda ctx: {**_round_data(ctx), "title": "矩阵改名轮次"},
        expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-round-draw", "contests:round_step", "post",
        kwargs=_step("officer_round_draft", "draw"), expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-round-open", "contests:round_step", "post",
        kwargs=_step("officer_round_ready", "open"), expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-round-close", "contests:round_step", "post",
        kwargs=_step("officer_round_open", "close"), expect=ORGANIZER_POST, changes=("province",)),
    Row("officer-attempts", "contests:attempt_list", kwargs=_pk("officer_round_open"),
        expect=READ),
    Row("officer-attempt", "contests:attempt_detail", kwargs=_pk("officer_attempt"),
        expect=A_ATTEMPT),
    Row("officer-attempt-exclude", "contests:attempt_exclude", "post",
        kwargs=_pk("officer_attempt"), data=lambda ctx: {"reason": "矩阵排除理由"},
        expect=A_JUDGE, changes=("province",)),
    Row("officer-attempt-restore", "contests:attempt_restore", "post",
        kwargs=_pk("officer_excluded"), data=lambda ctx: {"reason": "矩阵恢复理由"},
        expect=A_JUDGE, changes=("province",)),
    Row("officer-reveal", "contests:participant_reveal", kwargs=_pk("officer_participant"),
        expect=A_REVEAL),
    Row("officer-reveal-post", "contests:participant_reveal", "post",
        kwargs=_pk("officer_participant"), data=lambda ctx: {"reason": "核实获奖者身份"},
        expect=A_REVEAL),
    Row("officer-api-contests", "api:contest-list", expect=API_READ),
    Row("officer-api-contest", "api:contest-detail", kwargs=_pk("officer_draft"),
        expect=API_READ),
    Row("officer-api-rounds", "api:contestround-list", expect=API_READ),
    Row("officer-api-round", "api:contestround-detail", kwargs=_pk("officer_round_draft"),
        expect=API_READ),
    Row("officer-api-round-draw", "api:contestround-draw", "post",
        kwargs=_pk("officer_round_draft"), json=True, expect=API_ORGANIZER,
        changes=("province",)),
    Row("officer-api-round-open", "api:contestround-open", "post",
        kwargs=_pk("officer_round_ready"), json=True, expect=API_ORGANIZER,
        changes=("province",)),
    Row("officer-api-round-close", "api:contestround-close", "post",
        kwargs=_pk("officer_round_open"), json=True, expect=API_ORGANIZER,
        changes=("province",)),
    Row("officer-api-attempts", "api:contest-attempt-list", expect=API_READ),
    Row("officer-api-attempt", "api:contest-attempt-detail", kwargs=_pk("officer_attempt"),
        expect=officers(200, anonymous=401, county_b=404)),
]  # fmt: skip
