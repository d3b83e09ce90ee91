"""Demo annual management, replayed through the services at past moments: the 2025
self-reports of the Sichuan bases filed and accepted, a spot-check sample drawn and
visited, the province's 2025 evaluation of its provincial bases computed and published
(two below the bar: one rectified and kept, one still under rectification), and this
year's reports in progress (some submitted, some drafts, one late)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kepu.bases import annual_choices as ac
from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import AnnualEvaluation, AnnualReport, Base
from kepu.bases.services import annual as reports
from kepu.core import clock
from kepu.core.models import Region, User
from kepu.rubrics import presets
from kepu.rubrics.choices import Purpose
from kepu.rubrics.models import Rubric
from kepu.rubrics.services import create_rubric

ANNUAL_RUBRIC = "四川省科普教育基地年度评估细则（2025版）"
PROBLEMS = [
    "讲解员队伍不稳定，流动性较大。",
    "部分展品老化，更新资金不足。",
    "线上科普内容更新频率偏低。",
    "周边中小学参观组织难度较大。",
]
ACTIVITIES = [
    "全国科普日主题展览、科技活动周系列讲座、青少年研学营。",
    "“流动科技馆”进乡村学校巡展，科学之夜开放活动。",
    "院士专家科普报告会，科普志愿者讲解培训。",
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def annual_rubric() -> Rubric:
    """The province's annual rubric (made by the rubrics demo; made exactly so here when
    missing)."""
    found = Rubric.objects.filter(name=ANNUAL_RUBRIC).first()
    if found is None:
        create_rubric(
            actor=None,
            name=ANNUAL_RUBRIC,
            purpose=Purpose.BASE_ANNUAL,
            region=Region.objects.get(code="51"),
            criteria=presets.base_annual_criteria(),
            activate=True,
        )
        found = Rubric.objects.get(name=ANNUAL_RUBRIC)
    return found


def _stats(rng: random.Random, *, poor: bool = False) -> dict:
    if poor:
        return dict(
            open_days=150, visitors=600, students=200, free_admissions=300, activities_held=1,
            activities_published=0, exhibits_total=80, exhibits_renewed=1, staff=3, docents=1,
            volunteers=2, budget=5, safety_incidents=1, safety_inspections=1,
        )  # fmt: skip
    visitors = rng.choice([8000, 15000, 32000, 60000, 120000])
    held = rng.randint(6, 40)
    total = rng.randint(60, 400)
    return dict(
        open_days=rng.choice([240, 260, 290, 305, 320]),
        visitors=visitors,
        students=visitors * rng.randint(20, 50) // 100,
        free_admissions=visitors * rng.randint(40, 90) // 100,
        activities_held=held,
        activities_published=held * rng.randint(30, 90) // 100,
        exhibits_total=total,
        exhibits_renewed=total * rng.randint(4, 20) // 100,
        staff=rng.randint(4, 40),
        docents=rng.randint(3, 25),
        volunteers=rng.randint(10, 120),
        budget=rng.choice([20, 45, 80, 150, 300]),
        activities=rng.choice(ACTIVITIES),
        safety_incidents=0,
        safety_inspections=rng.randint(2, 12),
        safety="每月开展消防与设备安全检查，节假日前专项检查。",
        problems=rng.choice(PROBLEMS),
        plans="完善展陈更新，扩大与学校合作，加强讲解员培训。",
    )


def _file(base, year, stats, *, day, accept_day=None, officer=None) -> AnnualReport:
    with clock.frozen(_at(day - datetime.timedelta(days=5))):
        report = reports.open_report(base, year, actor=None)
        report = reports.save_report(report, actor=None, **stats)
    with clock.frozen(_at(day, 15)):
        report = reports.submit_report(report, actor=None)
    if accept_day is not None:
        with clock.frozen(_at(accept_day, 11)):
            report = reports.accept_report(report, actor=officer)
    return report


@transaction.atomic
def load(size: int) -> dict:
    sichuan = Base.objects.listed().filter(region__path__startswith="51/").order_by("pk")
    if not sichuan.exists() or AnnualReport.objects.exists():
        return {"annual_reports": 0}
    rng = random.Random(2025)
    province = Region.objects.get(code="51")
    officer = User.objects.filter(username="demo-province").first()
    rubric = annual_rubric()
    today = clock.today()

    # Reports on 2025: due 30 working days after 5 January 2026.
    with clock.frozen(_at(datetime.date(2025, 12, 20))):
        window = reports.set_report_window(
            actor=officer,
            region=province,
            year=2025,
            starts_on=datetime.date(2026, 1, 5),
            working_days=30,
        )
    provincial = list(sichuan.filter(level=c.BaseLevel.PROVINCIAL, status=c.BaseStatus.ACTIVE))
    poor = {b.pk for b in provincial[-2:]}
    filed = 0
    for i, base in enumerate(sichuan):
        day = window.due_on - datetime.timedelta(days=rng.randint(1, 25))
        _file(
            base,
            2025,
            _stats(rng, poor=base.pk in poor),
            day=day,
            accept_day=window.due_on + datetime.timedelta(days=3 + i % 5),
            officer=officer,
        )
        filed += 1

    # A spot-check sample of the provincial bases' reports, two visits recorded.
    with clock.frozen(_at(datetime.date(2026, 3, 2))):
        drawn = services.draw_spot_checks(
            actor=officer, region=province, year=2025, size=3, seed="2026-省级抽查"
        )
    for n, check in enumerate(drawn[:2]):
        with clock.frozen(_at(datetime.date(2026, 3, 10 + n))):
            services.record_spot_check(
                check,
                actor=officer,
                checked_on=datetime.date(2026, 3, 10 + n),
                inspectors="省科协科普部 张明、王磊",
                findings="展厅运行正常，安全台账齐全。"
                if n == 0
                else "应急通道有杂物堆放，已要求整改。",
                passed=n == 0,
                adjustment=0 if n == 0 else -1,
            )

    # The province's 2025 evaluation of its provincial bases.
    with clock.frozen(_at(datetime.date(2026, 3, 16))):
        round_ = services.create_evaluation_round(
            actor=officer,
            region=province,
            year=2025,
            level=c.BaseLevel.PROVINCIAL,
            rubric=rubric,
            title="四川省2025年度省级科普教育基地评估",
        )
        services.compute_evaluation_round(round_, actor=officer)
    checked = {ch.base_id for ch in drawn[:2]}
    with clock.frozen(_at(datetime.date(2026, 3, 18))):
        for evaluation in AnnualEvaluation.objects.filter(round=round_).order_by("pk"):
            low = evaluation.base_id in poor
            scores = {"free": "3" if low else str(rng.choice([7, 8, 9, 10]))}
            if evaluation.base_id not in checked:
                scores["safety"] = "3" if low else str(rng.choice([7, 8, 9, 10]))
            services.set_manual_scores(evaluation, actor=officer, scores=scores)
    with clock.frozen(_at(datetime.date(2026, 3, 20))):
        services.compute_evaluation_round(round_, actor=officer)
    with clock.frozen(_at(datetime.date(2026, 3, 25))):
        services.publish_evaluation_round(round_, actor=officer)

    # Below the bar: warned, ordered to rectify; one rectified and kept.
    failing = list(
        AnnualEvaluation.objects.filter(round=round_, grade="fail").select_related("base")
    )
    for n, evaluation in enumerate(failing[:2]):
        base = evaluation.base
        with clock.frozen(_at(datetime.date(2026, 4, 1))):
            services.warn_base(base, actor=officer, reason="2025年度评估不合格")
            order = services.order_rectification(
                base,
                actor=officer,
                reason="2025年度评估得分低于60分，开放天数与参观人数不达标",
                working_days=60,
                evaluation=evaluation,
            )
        if n == 0:
            with clock.frozen(_at(datetime.date(2026, 6, 10))):
                order = services.report_rectification(
                    order, actor=None, report="已延长开放时间至每周六天，新增讲解员3名。"
                )
            with clock.frozen(_at(datetime.date(2026, 6, 20))):
                services.decide_rectification(
                    order,
                    actor=officer,
                    keep=True,
                    checked_on=datetime.date(2026, 6, 19),
                    inspectors="省科协科普部 张明",
                    findings="整改到位，开放与讲解服务恢复正常。",
                )

    # This year's reports (on 2026), in progress: the window closed a few days ago.
    opened = max(today - datetime.timedelta(days=45), datetime.date(2026, 1, 1))
    with clock.frozen(_at(opened - datetime.timedelta(days=3))):
        window = reports.set_report_window(
            actor=officer, region=province, year=2026, starts_on=opened, working_days=25
        )
    current = list(sichuan.filter(level=c.BaseLevel.PROVINCIAL).exclude(status="revoked"))
    for n, base in enumerate(current[:8]):
        stats = _stats(rng)
        if n < 4:  # submitted on time
            _file(base, 2026, stats, day=min(window.due_on, today) - datetime.timedelta(days=2))
        elif n == 4:  # submitted after the deadline
            _file(base, 2026, stats, day=today)
        else:  # drafts
            with clock.frozen(_at(opened + datetime.timedelta(days=n))):
                report = reports.open_report(base, 2026, actor=None)
                reports.save_report(report, actor=None, open_days=stats["open_days"])
    return {"annual_reports": filed, "evaluation_rounds": 1}


__all__ = ["ac"]
