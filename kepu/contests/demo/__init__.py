"""Demo data of knowledge contests (found by `manage.py load_demo`, after the literacy
demo whose approved items it draws): the Sichuan provincial contest
"2026年四川省全民科学素质网络知识竞赛" with a finished online preliminary round (about
2,000 participants across Sichuan's counties by population, a few attempts flagged or
excluded), advancement applied, results published, the prize list through its 公示 to
final, item statistics written back to the bank, and a semi-final open now for those who
advanced.

The contest, its rounds and the drawing of their questions are written here through the
small local functions below until the officer area's services (`services.contests`:
`draw(round_, actor=...)` and the round steps) are merged; the results steps
(advancement, publication, prizes, item statistics) go through their services. All or
nothing: one transaction."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from kepu.contests import choices as c
from kepu.contests.models import Contest, ContestRound, RoundItem
from kepu.contests.services import advancement, contests, prizes, reports
from kepu.core import clock
from kepu.core.models import Region
from kepu.literacy.models import Instrument, Item

TITLE = "2026年四川省全民科学素质网络知识竞赛"
FULL = 2000
SEED = 2026
QUESTIONS = 20
NOTICE = (
    "本竞赛由四川省科学技术协会主办。报名时收集您的姓名、手机号、所在区县和单位，"
    "仅用于成绩排名、晋级、证书和奖品发放；手机号加密保存，公开页面只显示姓氏。"
    "竞赛结束一年后删除个人信息。"
)
RULES = (
    "初赛每人可答题两次，取最好成绩；每次20题，每题5分，限时10分钟。"
    "排名依次按得分、用时、提交先后确定。各市（州）前20名晋级复赛。"
)


def _bank(province: Region) -> list[Item]:
    """The approved items of the national 2024 structure in Sichuan's bank (the literacy
    demo's; loaded here through its service when the literacy demo did not run)."""
    items = list(
        Item.objects.filter(
            region=province, instrument__code="national-2024", status="approved",
            kind__in=("tf", "single", "multiple"),
        ).order_by("code")
    )  # fmt: skip
    if len(items) < 2 * QUESTIONS:
        from kepu.literacy.services import bank

        bank.load_demo_bank(province, actor=None)
        return _bank(province)
    return items


# The 2024 national structure's weights (40/20/20/20) over 20 questions.
BLUEPRINT = [
    {"dimension": "knowledge", "difficulty": "", "count": 8},
    {"dimension": "method", "difficulty": "", "count": 4},
    {"dimension": "application", "difficulty": "", "count": 4},
    {"dimension": "spirit", "difficulty": "", "count": 4},
]


def _draw(round_: ContestRound) -> list[Item]:
    """The round's question set, drawn by the officers' service and the round opened."""
    contests.draw(round_, actor=None)
    round_ = contests.open_round(round_, actor=None)
    return [ri.item for ri in RoundItem.objects.filter(round=round_).select_related("item")]


def _round(contest, instrument, **fields) -> ContestRound:
    return ContestRound.objects.create(
        contest=contest, instrument=instrument, questions=QUESTIONS, points_per_question=5,
        time_limit=600, min_seconds=2, blueprint=BLUEPRINT, status=c.RoundStatus.DRAFT,
        **fields,
    )  # fmt: skip


@transaction.atomic
def load_demo(size: int = 3000) -> dict:
    province = Region.objects.get(code="51")
    if Contest.objects.filter(title=TITLE).exists():  # already loaded: make run is idempotent
        return {}
    from kepu.contests.demo import synthetic

    rng = random.Random(SEED)
    _bank(province)
    instrument = Instrument.objects.get(code="national-2024")
    now = clock.now()
    n = FULL if size >= 300 else max(200, size)
    contest = Contest.objects.create(
        region=province, title=TITLE, year=2026, audience=c.Audience.OPEN,
        description="面向全省公众的科学素质网络知识竞赛，线上初赛、复赛与现场决赛。",
        rules=RULES, notice=NOTICE, status=c.ContestStatus.PUBLISHED,
        created_at=now - datetime.timedelta(days=40),
    )  # fmt: skip
    prelim = _round(
        contest, instrument, stage=c.Stage.PRELIMINARY, title="线上初赛", position=1,
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=12),
        attempts_allowed=2, advancement=c.Advancement.TOP_N, advance_n=20, advance_level=2,
    )  # fmt: skip
    with clock.frozen(prelim.opens_at - datetime.timedelta(days=1)):
        drawn = _draw(prelim)
    difficulty = {item.pk: item.difficulty for item in drawn}
    people = synthetic.participants(
        contest, n, rng, consent_at=prelim.opens_at + datetime.timedelta(hours=1)
    )
    made = synthetic.attempts(prelim, people, rng, difficulty=difficulty)
    stood = synthetic.standings(prelim, made, {p.pk: p.group for p in people})
    with clock.frozen(prelim.closes_at):
        contests.close_round(prelim, actor=None)
    prelim.refresh_from_db()
    with clock.frozen(now - datetime.timedelta(days=11)):
        advanced = advancement.advance(prelim, actor=None)
        advancement.publish_results(prelim, actor=None)
        reports.write_item_statistics(prelim, actor=None)
        plist = prizes.draft_prizes(
            prelim, actor=None, counts={"first": 10, "second": 20, "third": 50, "excellence": 100},
            organizers=3, publicity_days=5,
        )  # fmt: skip
        prizes.start_publicity(plist, actor=None)
    with clock.frozen(now - datetime.timedelta(days=5)):
        prizes.finalize_prizes(plist, actor=None)
    semi = _round(
        contest, instrument, stage=c.Stage.SEMIFINAL, title="复赛", position=2,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=13),
        previous=prelim, practice=False, advancement=c.Advancement.TOP_N_OVERALL, advance_n=50,
    )  # fmt: skip
    _draw(semi)
    return {
        "contests": 1, "contest participants": len(people), "contest attempts": len(made),
        "contest standings": stood, "advanced": advanced["advanced"],
    }  # fmt: skip
