"""Objects for the contests' tests: approved bank items, a contest, an open round with its
drawn set. Made directly (the officer's services are tested through their own pages)."""

from __future__ import annotations

import datetime

from kepu.contests import choices as c
from kepu.contests.models import Contest, ContestRound, RoundItem
from kepu.core import clock
from kepu.core.models import Region
from kepu.literacy.models import Dimension, Instrument, Item

NOTICE = (
    "本竞赛收集您的姓名、手机号和所在区县，仅用于成绩排名、证书和奖品发放，竞赛结束一年后删除。"
)


def region(code):
    return Region.objects.get(code=code)


def items(count=30, *, code="51", prefix="CT") -> list[Item]:
    """`count` approved items alternating true-or-false, single and multiple choice."""
    dims = list(Dimension.objects.filter(instrument__code="national-2024").order_by("position"))
    made = []
    for i in range(count):
        kind = ("tf", "single", "multiple")[i % 3]
        options = [] if kind == "tf" else [
            {"key": k, "text": f"选项{k}{i}"} for k in "ABCD"
        ]  # fmt: skip
        key = {"tf": ["T"], "single": ["B"], "multiple": ["A", "C"]}[kind]
        made.append(
            Item.objects.create(
                region=region(code),
                code=f"{prefix}-{i:03d}",
                instrument=dims[0].instrument,
                dimension=dims[i % len(dims)],
                kind=kind,
                stem=f"竞赛测试题{i}：下列说法正确吗？",
                options=options,
                key=key,
                explanation=f"第{i}题的解析。",
                difficulty=("easy", "medium", "hard")[i % 3],
                status="approved",
            )  # fmt: skip
        )
    return made


def contest(code="51", **over) -> Contest:
    fields = {
        "region": region(code), "title": "四川省全民科学素质网络知识竞赛", "year": 2026,
        "notice": NOTICE, "status": c.ContestStatus.PUBLISHED,
    }  # fmt: skip
    fields.update(over)
    return Contest.objects.create(**fields)


def open_round(contest_: Contest, *, pool=None, questions=10, **over) -> ContestRound:
    now = clock.now()
    fields = {
        "contest": contest_, "stage": c.Stage.PRELIMINARY, "title": "线上初赛",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "instrument": Instrument.objects.get(code="national-2024"), "questions": questions,
        "points_per_question": 10, "time_limit": 600, "min_seconds": 2,
        "status": c.RoundStatus.OPEN, "drawn_at": now,
    }  # fmt: skip
    fields.update(over)
    round_ = ContestRound.objects.create(**fields)
    pool = pool if pool is not None else items(questions + 5, prefix=f"R{round_.pk}")
    RoundItem.objects.bulk_create(
        RoundItem(round=round_, item=item, position=i) for i, item in enumerate(pool, start=1)
    )
    return round_
