"""Demo recognition: Sichuan's finished 2024 provincial round (applications recommended
by counties, a city, a member unit and a learned society; formal check with one failure;
the panel's scores, demo-expert's online and the others' on paper; a 公示 with one
objection dismissed; the bases named, continuing the 2024 certificate series), and this
year's round open, with one application awaiting 锦江区's recommendation. Replayed through
the services at past moments (`clock.frozen`). Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kepu.bases import choices as bc
from kepu.bases import services
from kepu.bases.models import Base, RecognitionRound
from kepu.bases.services import recognition_review as review
from kepu.core import clock
from kepu.core.choices import OrgType
from kepu.core.models import Organization, Region, User

RUBRIC_NAME = "四川省科普教育基地认定评分细则（2024版）"
POOL_NAME = "四川省科普专家库"
TITLE_2024 = "2024年度四川省科普教育基地认定"
# Units created for the demo: (name, type, region, parent)
NEW_UNITS = [
    ("四川省青少年科技教育中心", OrgType.VENUE, "5101", "四川省教育厅"),
    ("四川省防震减灾科普馆", OrgType.VENUE, "5101", "四川省地震学会"),
    ("锦江区青少年科技活动中心", OrgType.VENUE, "510104", None),
]
# (unit, category, figures, recommender username | "society" | None, fate)
APPLICATIONS_2024 = [
    ("成都石室中学", "research", (12, 260, 900, 8, 6, 30000), "demo-county-a", "named"),
    ("锦江区天府新谷科技有限公司", "enterprise", (5, 240, 600, 6, 4, 12000), "demo-county-a",
     "low"),
    ("四川大学", "research", (60, 280, 5000, 30, 20, 90000), "demo-city", "named"),
    ("中国科学院成都分院", "research", (40, 250, 2000, 15, 10, 40000), "demo-city", "named"),
    ("西南科技大学", "research", (20, 230, 1500, 10, 8, 25000), "demo-county-b", "failed"),
    ("绵阳市农业科学研究院", "rural", (30, 220, 800, 9, 5, 15000), None, "declined"),
    ("四川省青少年科技教育中心", "venue", (8, 300, 3000, 20, 15, 120000), "demo-member",
     "named"),
    ("四川省防震减灾科普馆", "venue", (6, 310, 2500, 12, 10, 80000), "society", "named"),
]  # fmt: skip
SCORES = {
    "named": {"conditions": 26, "organization": 17, "activities": 26, "results": 17},
    "low": {"conditions": 16, "organization": 11, "activities": 17, "results": 10},
}


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _user(username):
    return User.objects.filter(username=username).first()


def recognition_rubric():
    from kepu.rubrics import choices as rc
    from kepu.rubrics import presets
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric

    rubric = Rubric.objects.filter(name=RUBRIC_NAME).first()
    if rubric is None:
        rubric = create_rubric(
            actor=None, name=RUBRIC_NAME, purpose=rc.Purpose.BASE_RECOGNITION,
            region=Region.objects.get(code="51"), criteria=presets.base_recognition_criteria(),
            activate=True,
        )  # fmt: skip
    return Rubric.objects.get(pk=rubric.pk)


def _id_number(n: int) -> str:
    """A well-formed demo resident ID (Chengdu, born 1970)."""
    from kepu.core import pii

    body = f"51010419700101{900 + n:03d}"
    return body + pii.id_check_char(body)


def _expert_pool():
    """The province's science expert pool, with demo-expert's person in it."""
    from kepu.people import services as people
    from kepu.people.choices import PoolKind
    from kepu.people.models import ExpertPool, Person

    province = Region.objects.get(code="51")
    pool = ExpertPool.objects.filter(name=POOL_NAME).first() or people.create_pool(
        actor=None, name=POOL_NAME, kind=PoolKind.SCIENCE, region=province
    )
    account = _user("demo-expert")
    person = None
    if account is not None:
        person = Person.objects.filter(user=account).first() or people.create_person(
            actor=None, name="周明远", region=province, user=account, email="zhou@example.org",
            id_number=_id_number(0),
        )  # fmt: skip
        if not pool.memberships.filter(person=person).exists():
            people.add_pool_member(pool, person, actor=None)
    have = pool.memberships.filter(available=True).count()
    for i in range(max(0, 5 - have)):  # a small people demo: make the panel possible
        extra = people.create_person(
            actor=None, name=f"认定评审专家{i + 1}", region=province, id_number=_id_number(i + 1)
        )
        people.add_pool_member(pool, extra, actor=None)
    return pool, person


def _units():
    from kepu.core import services as core

    by_name = {o.name: o for o in Organization.objects.all().only("pk", "name")}
    for name, org_type, code, parent in NEW_UNITS:
        if name not in by_name:
            by_name[name] = core.create_organization(
                actor=None, name=name, org_type=org_type, region=Region.objects.get(code=code),
                parent=Organization.objects.filter(name=parent).first() if parent else None,
            )  # fmt: skip
    return by_name


def _apply(rnd, unit, category, figures, statement):
    years, days, area, staff, docents, visitors = figures
    return services.submit_application(
        rnd, actor=None, organization=unit, category=category, legal_person=True,
        years_open=years, open_days=days, area_m2=area, staff=staff, docents=docents,
        visitors=visitors, statement=statement,
    )  # fmt: skip


def _recommend(app, recommender, units, *, recommended=True):
    opinion = (
        "该单位科普设施完善，常年面向公众开放，同意推荐。"
        if recommended
        else "开放条件暂不具备，不予推荐。"
    )
    if recommender == "society":
        return services.recommend_application(
            app, actor=None, opinion=opinion, rank=1, body_organization=units["四川省地震学会"]
        )
    return services.recommend_application(
        app, actor=_user(recommender) if recommender else None, recommended=recommended,
        opinion=opinion, rank=1,
    )  # fmt: skip


def _finished_round(pool, zhou, units):
    province = _user("demo-province")
    checker = _user("demo-province-2") or province
    with clock.frozen(_at(datetime.date(2024, 2, 20))):
        rnd = services.create_round(
            actor=None, region=Region.objects.get(code="51"), title=TITLE_2024, year=2024,
            batch="2024年度四川省科普教育基地", number_prefix="SCKP-2024-",
            rubric=recognition_rubric(), pool=pool, opens_on=datetime.date(2024, 3, 1),
            closes_on=datetime.date(2024, 3, 31), recommend_by=datetime.date(2024, 4, 15),
            panel_size=5, publicity_days=7, publicity_working_days=True,
        )  # fmt: skip
        services.advance_round(rnd, actor=province)
    apps = {}
    for i, (name, category, figures, _recommender, fate) in enumerate(APPLICATIONS_2024):
        unit = units.get(name)
        if (
            unit is None
            or Base.objects.listed()
            .filter(organization=unit, level=bc.BaseLevel.PROVINCIAL)
            .exists()
        ):
            continue
        with clock.frozen(_at(datetime.date(2024, 3, 5 + i * 3))):
            apps[name] = (
                _apply(rnd, unit, category, figures, f"{name}科普教育基地申报材料。"),
                fate,
            )
    with clock.frozen(_at(datetime.date(2024, 4, 8))):
        services.advance_round(rnd, actor=province)
        for name, (app, fate) in apps.items():
            recommender = next(a[3] for a in APPLICATIONS_2024 if a[0] == name)
            _recommend(app, recommender, units, recommended=fate != "declined")
    with clock.frozen(_at(datetime.date(2024, 4, 16))):
        services.advance_round(rnd, actor=province)
        for app, fate in apps.values():
            if fate == "declined":
                continue
            app.refresh_from_db()
            items = {c: True for c, _label in services.recognition.check_item_labels(app)}
            note = ""
            if fate == "failed":
                items["materials"], note = False, "缺少场馆平面图和近一年活动佐证材料。"
            services.check_application(app, actor=checker, items=items, note=note)
        services.advance_round(rnd, actor=province)
    with clock.frozen(_at(datetime.date(2024, 5, 6))):
        review.draw_panel(rnd, actor=province, seed=2024, must_include=[zhou.pk] if zhou else [])
        fates = {app.pk: fate for app, fate in apps.values()}
        for sheet in review.ScoreSheet.objects.filter(application__round=rnd, conflict=""):
            values = dict(SCORES.get(fates[sheet.application_id], SCORES["named"]))
            values["results"] -= sheet.expert_id % 3  # experts differ a little
            if zhou and sheet.expert_id == zhou.pk:
                review.submit_score(sheet, actor=zhou.user, values=values, comment="材料翔实。")
            else:
                review.submit_score(sheet, actor=None, values=values, on_behalf=True)
    with clock.frozen(_at(datetime.date(2024, 5, 20))):
        review.start_publicity(rnd, actor=province, cutoff=Decimal(70))
    candidate = next((a for a, f in apps.values() if f == "named"), None)
    if candidate is not None:
        with clock.frozen(_at(datetime.date(2024, 5, 22), 15)):
            objection, _new = review.file_objection(
                candidate, name="刘建国", phone="13881234567",
                text="听说该单位展厅去年有半年在装修，开放天数可能不足，请核实。",
            )  # fmt: skip
        with clock.frozen(_at(datetime.date(2024, 5, 27))):
            review.answer_objection(
                objection, actor=province, upheld=False,
                answer="经现场核实，该单位装修期间另设临时展厅持续开放，全年开放天数符合要求。",
            )  # fmt: skip
    with clock.frozen(_at(datetime.date(2024, 6, 3))):
        bases = review.name_bases(rnd, actor=province, decided_on=datetime.date(2024, 6, 1))
        services.advance_round(rnd, actor=province)
    return len(apps), len(bases)


def _open_round(pool, units):
    today = clock.today()
    title = f"{today.year}年度四川省科普教育基地认定"
    if RecognitionRound.objects.filter(title=title).exists():
        return 0
    rnd = services.create_round(
        actor=None, region=Region.objects.get(code="51"), title=title, year=today.year,
        batch=f"{today.year}年度四川省科普教育基地", number_prefix=f"SCKP-{today.year}-",
        rubric=recognition_rubric(), pool=pool, opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
        recommend_by=today + datetime.timedelta(days=35), panel_size=5, publicity_days=7,
    )  # fmt: skip
    services.advance_round(rnd, actor=_user("demo-province"))
    waiting = units["锦江区青少年科技活动中心"]
    _apply(
        rnd, waiting, "venue", (4, 290, 1200, 9, 6, 36000), "面向全区青少年常年开放的科技活动中心。"
    )
    nanshan = units.get("绵阳南山中学")
    if nanshan is not None:
        app = _apply(
            rnd, nanshan, "research", (15, 240, 700, 6, 5, 18000), "学校科技馆对社会开放。"
        )
        _recommend(app, "demo-county-b", units)
    return 2


@transaction.atomic
def load(size: int) -> dict:
    if RecognitionRound.objects.filter(title=TITLE_2024).exists():
        return {"recognition_applications": 0}
    pool, zhou = _expert_pool()
    units = _units()
    applications, named = _finished_round(pool, zhou, units)
    applications += _open_round(pool, units)
    return {"recognition_applications": applications, "recognition_named": named}
