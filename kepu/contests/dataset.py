"""Knowledge contests at benchmark scale (see `kepu.core.dataset`).

At province scale, the mission's size of one contest: the province's 全民科学素质网络知识
竞赛 with **1,000,000 participants** (city scale 10 %, county scale 1 %), each with their
encrypted, blind-indexed and masked phone, a region drawn by the dataset's county weights
(80 % in a township), a group; its online preliminary round, closed and published, with
one submitted attempt per participant (20 questions of 5 points from a drawn set of 100
of the province's approved items, answers consistent with the score through the round's
own papers, the server times of each answer) and the standing it gives; a semi-final
round drawn and ready. The burst test of `make bench` opens a round of its own on this
contest (`bench/contest_burst.py`).

Written directly (COPY on PostgreSQL) in the state the services leave them in; the
contest and rounds are a few rows."""

from __future__ import annotations

import datetime
import random

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Contest, ContestRound, Participant, RoundItem, Standing
from kepu.contests.services import paper as papers
from kepu.core import crypto, pii
from kepu.core.dataset import Dataset
from kepu.literacy.models import Instrument, Item

PARTICIPANTS = 1_000_000
QUESTIONS = 20
POINTS = 5
SET_SIZE = 100
TITLE = "四川省全民科学素质网络知识竞赛（压测）"
NOTICE = (
    "本竞赛由四川省科学技术协会主办。报名时收集您的姓名、手机号和所在区县，"
    "仅用于成绩排名、晋级通知、证书和奖品发放；手机号加密保存，公开页面只显示遮盖后的信息。"
    "竞赛结束一年后删除。"
)
GROUPS = (("other", 50), ("youth", 20), ("farmers", 15), ("workers", 10), ("elderly", 3),
          ("cadres", 2))  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "小明华丽芳军敏静强磊洋艳勇杰娟涛超霞平刚桂英玉兰秀云建国伟红梅"
# Hours of the day, weighted as online contests see them (lunch and evening peaks).
HOURS = [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 12, 10, 8, 8, 8, 9, 11, 14, 16, 14, 9, 4]


def participants_for(ds: Dataset) -> int:
    return max(200, round(PARTICIPANTS * ds.factor))


class _Gen:
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.rng = random.Random(ds.seed * 7919 + 21)
        self.n = participants_for(ds)

    def structure(self) -> int:
        ds = self.ds
        instrument = Instrument.objects.get(code="national-2024")
        items = list(
            Item.objects.filter(region=ds.province, instrument=instrument, status="approved")
            .exclude(kind="likert").order_by("code").values_list("pk", flat=True)
        )  # fmt: skip
        self.rng.shuffle(items)
        opened = ds.now - datetime.timedelta(days=20)
        self.contest = Contest.objects.create(
            region=ds.province, title=TITLE, year=ds.today.year, audience=c.Audience.OPEN,
            description="面向全省公民的线上科学素质知识竞赛。", notice=NOTICE,
            rules=f"每轮随机抽取 {QUESTIONS} 道题，每题 {POINTS} 分，限时 10 分钟；每人每轮 1 次。",
            status=c.ContestStatus.PUBLISHED, created_at=opened, changed_at=opened,
        )  # fmt: skip
        common = {
            "contest": self.contest, "instrument": instrument, "questions": QUESTIONS,
            "points_per_question": POINTS, "time_limit": 600, "min_seconds": 2,
            "attempts_allowed": 1, "practice": True,
        }  # fmt: skip
        self.round = ContestRound.objects.create(
            stage=c.Stage.PRELIMINARY, title="线上初赛", position=1, opens_at=opened,
            closes_at=ds.now - datetime.timedelta(days=6), status=c.RoundStatus.PUBLISHED,
            drawn_at=opened - datetime.timedelta(days=2),
            published_at=ds.now - datetime.timedelta(days=5),
            advancement=c.Advancement.TOP_N, advance_n=50, advance_level=3, **common,
        )  # fmt: skip
        semi = ContestRound.objects.create(
            stage=c.Stage.SEMIFINAL, title="复赛", position=2, previous=self.round,
            opens_at=ds.now + datetime.timedelta(days=3),
            closes_at=ds.now + datetime.timedelta(days=10),
            status=c.RoundStatus.READY, drawn_at=ds.now - datetime.timedelta(days=1), **common,
        )  # fmt: skip
        sets = [
            (self.round, items[:SET_SIZE]),
            (semi, items[SET_SIZE : SET_SIZE + 60] or items[:60]),
        ]
        RoundItem.objects.bulk_create(
            RoundItem(round=r, item_id=pk, position=i)
            for r, pks in sets for i, pk in enumerate(pks, start=1)
        )  # fmt: skip
        return 2 + sum(len(p) for _r, p in sets)

    def _phone(self, n: int) -> str:
        return f"1{self.rng.choice('3578')}{n:09d}"

    def people(self) -> int:
        ds, rng = self.ds, self.rng
        start = ds.ids(Participant, self.n).start
        groups, weights = zip(*GROUPS, strict=True)
        self.places = []
        self.groups = []

        def rows():
            for k in range(self.n):
                place = ds.place()
                group = rng.choices(groups, weights)[0]
                self.places.append(place.pk)
                self.groups.append(group)
                phone = self._phone(k)
                given = range(rng.choice((1, 2)))
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in given)
                yield {
                    "id": start + k, "contest_id": self.contest.pk, "region_id": place.pk,
                    "name": name, "phone_enc": crypto.seal(phone),
                    "phone_hash": crypto.blind_index(phone), "phone_masked": pii.mask_phone(phone),
                    "group": group, "unit": "", "consent_at": ds.now - datetime.timedelta(days=15),
                    "notice_version": 1, "created_at": ds.now - datetime.timedelta(days=15),
                }  # fmt: skip

        self.first = start
        return ds.insert(Participant, rows())

    def attempts(self) -> int:
        ds, rng, round_ = self.ds, self.rng, self.round
        start = ds.ids(Attempt, self.n).start
        opened, closed = round_.opens_at, round_.closes_at
        days = max(1, (closed - opened).days)
        self.best = []

        def rows():
            for k in range(self.n):
                seed = rng.randrange(2**31)
                paper = papers.paper(round_, seed)
                skill = rng.betavariate(4, 2)
                answers, times, at = {}, {}, 0
                for pos, question in enumerate(paper.questions, start=1):
                    at += rng.randint(6_000, 28_000)
                    right = rng.random() < skill
                    keys = [k for k, _t in question.options]
                    wrong = [k for k in keys if k != question.key] or keys
                    answers[str(pos)] = question.key if right else rng.choice(wrong)
                    times[str(pos)] = at
                score, correct = papers.score(round_, paper, answers)
                day = opened + datetime.timedelta(days=rng.randrange(days))
                begun = day.replace(hour=rng.choices(range(24), HOURS)[0], minute=rng.randrange(60),
                                    second=rng.randrange(60))  # fmt: skip
                used = at + rng.randint(2_000, 15_000)
                done = begun + datetime.timedelta(milliseconds=used)
                self.best.append((score, used, done))
                yield {
                    "id": start + k, "round_id": round_.pk, "participant_id": self.first + k,
                    "region_id": self.places[k], "number": 1, "practice": False, "seed": seed,
                    "status": c.AttemptStatus.SUBMITTED, "started_at": begun,
                    "deadline": begun + datetime.timedelta(seconds=round_.time_limit),
                    "submitted_at": done, "answers": answers, "times": times, "score": score,
                    "correct": correct, "time_used_ms": used, "device": "", "flags": [],
                    "excluded_reason": "",
                }  # fmt: skip

        self.first_attempt = start
        return ds.insert(Attempt, rows())

    def standings(self) -> int:
        ds = self.ds
        start = ds.ids(Standing, self.n).start
        # The top 50 of each county advanced (the round's rule), as `advancement` decides.
        county = {}
        best = self.best
        order = sorted(range(self.n), key=lambda k: (-best[k][0], best[k][1], best[k][2]))
        advanced = set()
        towns = (t for ts in ds.townships.values() for t in ts)
        path_of = {r.pk: r.path for r in [*ds.counties, *towns]}
        for k in order:
            key = path_of.get(self.places[k], "").split("/")[2] if self.places[k] in path_of else ""
            if county.get(key, 0) < 50:
                county[key] = county.get(key, 0) + 1
                advanced.add(k)

        def rows():
            for k in range(self.n):
                score, used, done = self.best[k]
                yield {
                    "id": start + k, "round_id": self.round.pk, "participant_id": self.first + k,
                    "region_id": self.places[k], "group": self.groups[k],
                    "attempt_id": self.first_attempt + k, "score": score, "time_used_ms": used,
                    "submitted_at": done, "attempts": 1, "advanced": k in advanced,
                }  # fmt: skip

        return ds.insert(Standing, rows())


def generate(ds: Dataset) -> None:
    if not Item.objects.filter(region=ds.province, status="approved").exists():
        return  # the literacy dataset (which writes the bank) did not run
    gen = _Gen(ds)
    ds.step("contests and rounds", gen.structure)
    ds.step("contest participants", gen.people)
    ds.step("contest attempts", gen.attempts)
    ds.step("contest standings", gen.standings)
    ds.move_sequences(Participant, Attempt, Standing, RoundItem)
