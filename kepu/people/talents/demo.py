"""Demo talent evaluation and high-level talent service for the Sichuan demo province,
replayed through the services at past moments (`clock.frozen`). Run after the volunteer
ledger's demo (it is called from `kepu.volunteering.demo`) so the applicants' records
carry their service hours. Idempotent."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from kepu.core import clock
from kepu.core.models import Region, User
from kepu.people.choices import TitleLevel
from kepu.people.models import EvaluationRound, Person
from kepu.people.talents import choices as c
from kepu.people.talents import services
from kepu.people.talents.sources import talent_evaluation_criteria
from kepu.rubrics import services as rubric_services

ENVOY = "2026年度天府科普使者评选"
TITLE = "2025年度科学传播专业副高级职称评审"
ADVANCED = "2026年度科普工作先进个人评选"
STATEMENTS = [
    "长期深入中小学开展防震减灾科普讲座，年均授课40余场，编写校本科普读物2部。",
    "组建社区科普志愿服务队，常态化开展老年人智能手机培训和反诈科普。",
    "依托科普基地开发青少年科学实验课程，年接待学生参观体验超过1万人次。",
    "在乡村振兴一线开展农技科普，培训新型职业农民300余人次。",
    "运营科普新媒体账号，原创科普短视频累计播放量超过500万次。",
    "参与应急科普专家库工作，汛期赴受灾乡镇开展地质灾害防治宣讲。",
]
SERVICE_NOTES = {
    c.ServiceKind.VISIT: ["春节前走访慰问", "到实验室走访，了解科研和科普工作情况", "座谈交流"],
    c.ServiceKind.NEED: ["希望协调科普报告场地", "需要科普作品出版对接", "申请科普项目经费支持"],
    c.ServiceKind.HELP: ["协调市科技馆报告厅", "推荐参加全国科普讲解大赛", "对接出版社"],
    c.ServiceKind.FOLLOW_UP: ["电话回访诉求办理情况", "回访科普讲座开展情况"],
}


def _at(year, month, day, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


# The demo's pass marks are the demo province's own settings (its people's records in the
# small demo registries are thin), not an official figure.
def load_demo(size: int = 3000, seed: int = 2026) -> dict:
    if EvaluationRound.objects.filter(name=ENVOY).exists():
        return {"talent_rounds": 0}
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    province, city, county_a = (
        users.get(n) for n in ("demo-province", "demo-city", "demo-county-a")
    )
    if province is None or city is None or county_a is None:
        return {"talent_rounds": 0}
    rng = random.Random(seed)
    sichuan = Region.objects.get(code="51")
    with clock.frozen(_at(2025, 2, 10)):
        rubric = rubric_services.create_rubric(
            actor=province,
            name="科普人才评价评分细则",
            purpose="other",
            region=sichuan,
            description="科普工作业绩计入人才评价（业绩60分，专家评价40分）。",
            criteria=talent_evaluation_criteria(),
            activate=True,
        )
    # Applicants: people of 锦江区 (the county persona's), the most service hours first.
    candidates = list(
        Person.objects.filter(region__path__startswith="51/5101/510104", erased_at=None, user=None)
        .annotate(h=Sum("hour_entries__hours"))
        .order_by("-h", "pk")[:24]
    )
    if len(candidates) < 14:
        return {"talent_rounds": 0}
    title_round = _round(
        province, rubric, TITLE, kind=c.RoundKind.TITLE, year=2025,
        title_level=TitleLevel.DEPUTY_SENIOR, title="副研究员（科学传播）",
        opens=datetime.date(2025, 3, 1), closes=datetime.date(2025, 4, 30), quota=3,
        pass_mark=Decimal("40"),
    )  # fmt: skip
    _applications(title_round, candidates[8:13], rng, county_a, city, province, opened=(2025, 3))
    _close_score_publish(title_round, province, rng, when=(2025, 5))
    envoy = _round(
        province, rubric, ENVOY, kind=c.RoundKind.HONOUR, year=2026, honour="tianfu",
        opens=datetime.date(2026, 3, 1), closes=datetime.date(2026, 6, 30), quota=5,
        min_hours=Decimal("0"),
    )  # fmt: skip
    apps = _applications(envoy, candidates[:8], rng, county_a, city, province, opened=(2026, 3))
    # Two wait for the unit's recommendation (the city officer's workbench).
    with clock.frozen(_at(2026, 7, 1)):
        services.close_round(envoy, actor=province)
    for application in apps[:6]:
        with clock.frozen(_at(2026, 7, 10)):
            _score(application, province, rng)
    advanced = _round(
        province, rubric, ADVANCED, kind=c.RoundKind.HONOUR, year=2026, honour="advanced",
        opens=datetime.date(2026, 10, 1), closes=datetime.date(2026, 12, 31), quota=20,
    )  # fmt: skip
    with clock.frozen(_at(2026, 10, 20)):
        services.create_application(
            advanced, actor=county_a, person=candidates[13], statement=rng.choice(STATEMENTS)
        )
    talents = _talents(rng, users)
    return {"talent_rounds": 3, "talents": talents}


def _round(actor, rubric, name, *, kind, year, opens, closes, quota, **fields):
    with clock.frozen(_at(opens.year, opens.month, 1, 9) - datetime.timedelta(days=10)):
        rnd = services.create_round(
            actor=actor,
            name=name,
            region=Region.objects.get(code="51"),
            kind=kind,
            year=year,
            opens_on=opens,
            closes_on=closes,
            quota=quota,
            rubric=rubric,
            eligibility="在川从事科普工作满3年，近三年科普业绩突出，遵纪守法，无学术不端记录。",
            **fields,
        )
        return services.open_round(rnd, actor=actor)


def _applications(rnd, people, rng, filer, recommender, province, *, opened):
    year, month = opened
    out = []
    for i, person in enumerate(people):
        with clock.frozen(_at(year, month, 5 + i)):
            application = services.create_application(
                rnd, actor=filer, person=person, statement=rng.choice(STATEMENTS)
            )
            if i % 3 == 0:
                services.add_item(
                    application,
                    actor=filer,
                    title=rng.choice(["省级电视台科普访谈", "出版科普图书《身边的地震科学》"]),
                    date=datetime.date(year - 1, 9, 1 + i),
                    description="本人申报，附证明材料",
                )
            services.submit_application(application, actor=filer)
        if i < len(people) - 2 or rnd.year != 2026:
            with clock.frozen(_at(year, month + 1, 2 + i)):
                services.recommend_application(application, actor=recommender)
        out.append(application)
    return out


def _score(application, reviewer, rng):
    services.score_application(
        application,
        actor=reviewer,
        values={"quality": rng.randint(17, 25), "influence": rng.randint(9, 15)},
        comment="业绩真实，事迹较突出。",
    )


def _close_score_publish(rnd, province, rng, *, when):
    year, month = when
    with clock.frozen(_at(year, month, 1)):
        rnd = services.close_round(rnd, actor=province)
    for application in rnd.applications.filter(status=c.ApplicationStatus.RECOMMENDED):
        with clock.frozen(_at(year, month, 10)):
            _score(application, province, rng)
    with clock.frozen(_at(year, month, 28)):
        services.publish_round(rnd, actor=province)


def _talents(rng, users) -> int:
    from kepu.people.demo import PERSONA_OFFICERS

    officers = {path: users[name] for path, name in PERSONA_OFFICERS.items() if name in users}
    senior = list(
        Person.objects.filter(
            title_level=TitleLevel.SENIOR, erased_at=None, region__path__startswith="51/"
        ).order_by("pk")[:60]
    )
    count = 0
    today = clock.today()
    for person in senior:
        contact = None
        for path in sorted(officers, key=len, reverse=True):
            if person.region.path.startswith(path):
                contact = officers[path]
                break
        category = rng.choice(
            [c.TalentCategory.SENIOR_TITLE] * 5
            + [c.TalentCategory.POOL_EXPERT] * 3
            + [c.TalentCategory.LEADING, c.TalentCategory.ACADEMICIAN]
        )
        since = today - datetime.timedelta(days=rng.randrange(200, 900))
        with clock.frozen(_at(since.year, since.month, since.day)):
            talent = services.add_talent(
                actor=contact, person=person, category=category, contact=contact, since=since
            )
        # A third never contacted or long ago (the reminders), the others recently.
        visits = 0 if rng.random() < 0.2 else rng.randint(1, 4)
        last = since
        for _ in range(visits):
            day = last + datetime.timedelta(days=rng.randrange(20, 200))
            if day >= today:
                break
            kind = rng.choice(list(c.ServiceKind))
            with clock.frozen(_at(day.year, day.month, day.day, 15)):
                record = services.record_service(
                    talent, actor=contact, date=day, kind=kind,
                    summary=rng.choice(SERVICE_NOTES[kind]),
                )  # fmt: skip
                if record.is_open and rng.random() < 0.5:
                    services.resolve_need(record, actor=contact)
            last = day
        count += 1
    return count
