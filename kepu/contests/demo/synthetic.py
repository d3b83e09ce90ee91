"""Synthetic participants of the demo contest's preliminary round, written in bulk (a
few thousand rows: one service call each would take minutes): participants spread over
Sichuan's counties by the cities' resident population (2020 census, 万人), attempts whose
answers follow each person's ability and each question's difficulty, scored by the
round's own scoring (`services.paper.score`) so the stored answers and scores agree,
with the timing flags the taking area would raise; and the standings (each person's
best counted attempt)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from kepu.contests import choices as c
from kepu.contests.models import Attempt, Participant, Standing
from kepu.contests.services import paper as papers
from kepu.contests.services import taking
from kepu.core import crypto, pii
from kepu.core.models import Region
from kepu.literacy import choices as lc

# Sichuan's cities, resident population in 万人 (第七次全国人口普查, 2020).
CITY_POPULATION = {
    "5101": 2094, "5103": 249, "5104": 121, "5105": 425, "5106": 346, "5107": 487,
    "5108": 231, "5109": 281, "5110": 314, "5111": 316, "5113": 561, "5114": 296,
    "5115": 459, "5116": 325, "5117": 539, "5118": 143, "5119": 271, "5120": 231,
    "5132": 82, "5133": 111, "5134": 486,
}  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢唐许冯宋韩邓彭曾肖田董潘袁蔡蒋余于"
    "杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙"
    "黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯"
    "健俊帆帅旭宁龙林欣悦晨阳"
)
UNITS = [
    "",
    "",
    "县第一中学",
    "镇中心小学",
    "农业合作社",
    "人民医院",
    "供电公司",
    "社区居委会",
    "职业技术学院",
]
GROUPS = [(c.Group.OTHER, 40), (c.Group.FARMERS, 20), (c.Group.YOUTH, 18),
          (c.Group.WORKERS, 10), (c.Group.CADRES, 7), (c.Group.ELDERLY, 5)]  # fmt: skip
DIFFICULTY = {"easy": 0.85, "medium": 0.65, "hard": 0.45, "": 0.65}


def counties() -> list[tuple[Region, float]]:
    """(county, weight): each city's population shared equally among its counties."""
    out = []
    for code, people in CITY_POPULATION.items():
        below = list(
            Region.objects.filter(parent__code=code, level=3)
            .exclude(name="市辖区")
            .order_by("code")
        )
        out += [(county, people / len(below)) for county in below]
    return out


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def participants(contest, n: int, rng: random.Random, *, consent_at) -> list[Participant]:
    places = counties()
    regions = rng.choices([r for r, _w in places], weights=[w for _r, w in places], k=n)
    numbers = rng.sample(range(10_000_000, 99_999_999), n)
    groups, weights = zip(*GROUPS, strict=True)
    rows = []
    for region, number in zip(regions, numbers, strict=True):
        phone = f"13{number % 10}{number:08d}"[:11]
        unit = rng.choice(UNITS)
        rows.append(
            Participant(
                contest=contest, region=region, name=_name(rng), phone_enc=crypto.seal(phone),
                phone_hash=crypto.blind_index(phone), phone_masked=pii.mask_phone(phone),
                group=rng.choices(groups, weights=weights)[0],
                unit=f"{region.name}{unit}" if unit else "", consent_at=consent_at,
                created_at=consent_at,
            )
        )  # fmt: skip
    return Participant.objects.bulk_create(rows, batch_size=500)


def _answer(question, order, right: bool, rng: random.Random) -> str:
    keys = [k for k, _t in question.options]
    if right:
        return question.key
    wrong = [k for k in keys if k not in question.key] or keys
    if question.kind == lc.ItemKind.MULTIPLE and rng.random() < 0.5:
        return "".join(sorted({question.key[0], rng.choice(wrong)}))  # one right, one wrong
    return rng.choice(wrong)


def attempt_for(round_, participant, number, ability, start, rng, difficulty) -> Attempt:
    """A submitted attempt: answers by ability and difficulty, times 4–25 s apart (a few
    people too fast, one in three hundred impossibly fast: excluded), scored."""
    seed = rng.randrange(2**31)
    paper = papers.paper(round_, seed)
    style = rng.random()
    answers, times, elapsed = {}, {}, 0
    for position, (question, order) in enumerate(
        zip(paper.questions, paper.option_orders, strict=True), start=1
    ):
        if style < 0.003:
            elapsed += rng.randint(150, 400)  # a script
        elif style < 0.03 and position % 4 == 0:
            elapsed += rng.randint(600, 1500)  # some answers too fast
        else:
            elapsed += rng.randint(4000, 25000)
        chance = min(0.98, DIFFICULTY.get(difficulty.get(question.item, ""), 0.65) * ability)
        answers[str(position)] = _answer(question, order, rng.random() < chance, rng)
        times[str(position)] = elapsed
    score, correct = papers.score(round_, paper, answers)
    used = min(elapsed + rng.randint(2000, 8000), round_.time_limit * 1000)
    flags, status, reason = [], c.AttemptStatus.SUBMITTED, ""
    if style < 0.003:
        flags, status = [c.Flag.IMPOSSIBLE], c.AttemptStatus.EXCLUDED
        reason = taking.impossible_reason(len(times), elapsed)
    elif style < 0.03:
        flags = [c.Flag.TOO_FAST]
    return Attempt(
        round=round_, participant=participant, region_id=participant.region_id, number=number,
        seed=seed, status=status, started_at=start,
        deadline=start + datetime.timedelta(seconds=round_.time_limit),
        submitted_at=start + datetime.timedelta(milliseconds=used), answers=answers,
        times=times, score=score, correct=correct, time_used_ms=used, flags=flags,
        excluded_reason=reason,
    )  # fmt: skip


def attempts(round_, people, rng: random.Random, *, difficulty: dict) -> list[Attempt]:
    """One attempt each, a second one for about one in five (the round allows two)."""
    window = (round_.closes_at - round_.opens_at).total_seconds() - round_.time_limit
    rows = []
    for participant in people:
        ability = min(1.35, max(0.55, rng.gauss(1.05, 0.18)))
        tries = 2 if round_.attempts_allowed > 1 and rng.random() < 0.2 else 1
        for number in range(1, tries + 1):
            # Most start in the first days and in the evening (the bursts of a real round).
            offset = min(window, abs(rng.gauss(0, window / 3)))
            start = round_.opens_at + datetime.timedelta(seconds=offset)
            start = timezone.localtime(start).replace(hour=rng.choice((8, 12, 19, 20, 21, 22)))
            start = min(max(start, round_.opens_at), round_.closes_at - datetime.timedelta(hours=1))
            rows.append(attempt_for(round_, participant, number, ability, start, rng, difficulty))
    return Attempt.objects.bulk_create(rows, batch_size=500)


def standings(round_, made: list[Attempt], groups: dict[int, str]) -> int:
    """Each participant's best counted attempt (score, time used, submission)."""
    best, counted = {}, {}
    for a in made:
        if a.status not in c.COUNTED_ATTEMPT_STATUSES:
            continue
        counted[a.participant_id] = counted.get(a.participant_id, 0) + 1
        key = (-a.score, a.time_used_ms, a.submitted_at, a.pk)
        if a.participant_id not in best or key < best[a.participant_id][0]:
            best[a.participant_id] = (key, a)
    rows = [
        Standing(
            round=round_,
            participant_id=pid,
            region_id=a.region_id,
            group=groups[pid],
            attempt=a,
            score=a.score,
            time_used_ms=a.time_used_ms,
            submitted_at=a.submitted_at,
            attempts=counted[pid],
        )  # fmt: skip
        for pid, (_key, a) in best.items()
    ]
    Standing.objects.bulk_create(rows, batch_size=500)
    return len(rows)
