"""Demo people for the Sichuan demo province: deterministic (seeded), a few thousand
people with registrations, expert pools, teams, training and honours. Idempotent."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from kepu.core import clock, periods, pii
from kepu.core.choices import RegionLevel, Topic
from kepu.core.models import Organization, PrivacyNotice, Region, User
from kepu.people import choices as c
from kepu.people import services
from kepu.people.models import (
    ExpertPool,
    Person,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲兰飞鹏辉林建国志宏晓云雪梅丹琳婷宇浩然子涵欣怡思雨嘉俊梓轩一诺雨桐锦程天佑堃喆珺"  # noqa: E501
SPECIALTIES = [
    "地震科普",
    "应急救护",
    "防灾减灾",
    "科学实验",
    "编程教育",
    "人工智能",
    "天文观测",
    "植物识别",
    "健康科普",
    "心理健康",
    "食品安全",
    "农业技术",
    "茶叶种植",
    "果树栽培",
    "生态环保",
    "低碳生活",
    "机器人",
    "无人机",
    "气象科普",
    "地质灾害防治",
    "中医药",
    "科普写作",
    "科普讲解",
    "青少年科技创新",
    "老年人智能手机培训",
    "消防安全",
    "水利科普",
]
TITLES = [
    ("senior", "研究员"),
    ("senior", "教授"),
    ("deputy", "副教授"),
    ("deputy", "高级工程师"),
    ("intermediate", "工程师"),
    ("intermediate", "讲师"),
    ("junior", "助理工程师"),
    ("none", ""),
]
LANGUAGES = ["汉语", "汉语、英语", "汉语、藏语", "汉语、彝语", "汉语、羌语"]
POOLS = [
    ("四川省科普专家库", c.PoolKind.SCIENCE, "51"),
    ("四川省应急科普专家库", c.PoolKind.EMERGENCY, "51"),
    ("四川省健康科普专家库", c.PoolKind.HEALTH, "51"),
    ("成都市科普讲师团", c.PoolKind.LECTURE, "5101"),
    ("绵阳市应急科普专家库", c.PoolKind.EMERGENCY, "5107"),
]


def _id_number(rng, county_code: str) -> str:
    born = datetime.date(1955, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 48))
    body = f"{county_code}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + pii.id_check_char(body)


@transaction.atomic
def load_demo(size: int = 3000, seed: int = 2025) -> dict:
    if ExpertPool.objects.filter(name=POOLS[0][0]).exists():  # already loaded
        return {"people": 0}
    rng = random.Random(seed)
    province = Region.objects.get(code="51")
    counties = list(Region.objects.subtree(province).filter(level=RegionLevel.COUNTY))
    # Skewed: the capital's districts and a few big cities get most people.
    weights = [
        8 if r.code.startswith("5101") else 3 if r.code[:4] in ("5107", "5106") else 1
        for r in counties
    ]
    townships: dict[int, list] = {}
    for town in Region.objects.subtree(province).filter(level=RegionLevel.TOWNSHIP):
        townships.setdefault(town.parent_id, []).append(town)
    orgs_by_region: dict[int, list] = {}
    for org in Organization.objects.filter(region__path__startswith="51/"):
        orgs_by_region.setdefault(org.region_id, []).append(org)
    fixed = {"510104": 40, "510703": 30}  # both persona counties always have people
    plan = [r for r in counties if r.code in fixed for _ in range(fixed[r.code])]
    plan += rng.choices(counties, weights=weights, k=size - len(plan))
    officers = _officers()
    people, numbers = [], []
    for county in plan:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        number = _id_number(rng, county.code)
        phone = f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"
        level, title = rng.choice(TITLES)
        specialties = "、".join(rng.sample(SPECIALTIES, rng.choice((1, 2, 3))))
        region = rng.choice(townships.get(county.pk, [county]) + [county])
        org_pool = orgs_by_region.get(county.pk, [])
        organization = rng.choice(org_pool) if org_pool and rng.random() < 0.6 else None
        moment = clock.now() - datetime.timedelta(days=rng.randrange(0, 1200))
        # Entered by the county's officer (or the city's, the province's) at that moment.
        with clock.frozen(moment):
            person = services.create_person(
                actor=_officer_for(officers, county),
                id_number=number,
                phone=phone,
                name=name,
                doc_type=c.DocType.RESIDENT_ID,
                region=region,
                organization=organization,
                education=rng.choice(c.Education.values),
                title_level=level,
                title=title,
                discipline=rng.choice(c.Discipline.values),
                specialties=specialties,
                languages=rng.choice(LANGUAGES),
            )
        people.append(person)
        numbers.append(number)

    kinds = [
        (c.RegistrationKind.VOLUNTEER, 60),
        (c.RegistrationKind.PART_TIME, 15),
        (c.RegistrationKind.FULL_TIME, 5),
        (c.RegistrationKind.INFO_OFFICER, 8),
        (c.RegistrationKind.EXPERT, 12),
    ]
    # Registrations go through the services, at their moments (`clock.frozen`): an
    # officer enters a certified one on its start date; a pending one is a public
    # application made with the person's document number.
    notice = PrivacyNotice.current()
    registrations = []
    for person, number in zip(people, numbers, strict=True):
        kind = rng.choices([k for k, _w in kinds], weights=[w for _k, w in kinds])[0]
        pending = rng.random() < 0.06
        start = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1700))
        applied = periods.local_midnight(start) + datetime.timedelta(hours=rng.randrange(9, 18))
        if pending:
            # A public application waits days, not years: the workbench shows its age.
            # (No extra draw from rng, so the rest of the demo stays as it was.)
            days_ago = 5 + (len(registrations) * 7) % 40
            applied = periods.local_midnight(
                clock.today() - datetime.timedelta(days=days_ago)
            ) + datetime.timedelta(hours=applied.hour)
        with clock.frozen(applied):
            if pending and notice is not None:
                registration = services.self_register(
                    kind=kind,
                    notice=notice,
                    name=person.name,
                    doc_type=person.doc_type,
                    id_number=number,
                    phone="",
                    email="",
                    region=person.region,
                )
            else:
                registration = services.add_registration(
                    person,
                    actor=_officer_for(officers, person.region),
                    kind=kind,
                    organization=person.organization,
                    status=c.RegistrationStatus.PENDING
                    if pending
                    else c.RegistrationStatus.CERTIFIED,
                    source=c.Source.SELF if pending else c.Source.OFFICER,
                    start_date=start,
                )
        registration.person = person
        registrations.append(registration)
    _review_some(registrations, officers, rng_seed=seed)

    regions = {r.code: r for r in Region.objects.filter(code__in=[p[2] for p in POOLS])}
    province_officer = _officer_for(officers, province)
    pools = [
        services.create_pool(actor=province_officer, name=n, kind=k, region=regions[code])
        for n, k, code in POOLS
    ]
    experts = [r.person for r in registrations if r.kind == c.RegistrationKind.EXPERT]
    planned = []
    for person in experts:
        for pool in rng.sample(pools, rng.choice((1, 1, 2))):
            if pool.region.code != "51" and not person.region.path.startswith(pool.region.path):
                continue
            planned.append((pool, person, rng.random() < 0.85))
    # The topics are drawn after all memberships, as before (the same demo for a seed).
    planned_topics = [rng.sample(Topic.values, rng.choice((1, 2, 3))) for _m in planned]
    for (pool, person, available), topics in zip(planned, planned_topics, strict=True):
        with clock.frozen(periods.local_midnight(datetime.date(2023, 1, 1))):
            services.add_pool_member(
                pool,
                person,
                actor=province_officer,
                topics=topics,
                available=available,
                term_start=datetime.date(2023, 1, 1),
                term_end=datetime.date(2027, 12, 31),
            )

    volunteers = [r.person for r in registrations if r.kind == c.RegistrationKind.VOLUNTEER]
    by_county: dict[str, list] = {}
    for person in volunteers:
        by_county.setdefault(person.region.path.split("/")[2], []).append(person)
    teams = []
    for code, members in sorted(by_county.items()):
        if len(members) < 6:
            continue
        county = next(r for r in counties if r.code == code)
        officer = _officer_for(officers, county)
        specialties = "、".join(rng.sample(SPECIALTIES, 2))
        count = rng.randrange(5, 21)
        team = services.create_team(
            actor=officer,
            name=f"{county.name}科技志愿服务队",
            region=county,
            specialties=specialties,
            leader=members[0],
        )
        for person in members[:count]:
            services.add_team_member(team, person, actor=officer)
        teams.append(team)
    for person in rng.sample(people, min(len(people), size // 5)):
        services.add_record(
            "training",
            person,
            actor=province_officer,
            course=rng.choice(
                [
                    "科技志愿服务骨干培训",
                    "应急科普能力提升班",
                    "科普讲解员培训",
                    "科普创作研修班",
                ]
            ),
            hours=rng.choice((4, 8, 16, 24)),
            organizer="四川省科学技术协会",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(0, 600)),
        )
    for person in rng.sample(people, min(len(people), size // 30)):
        services.add_record(
            "honour",
            person,
            actor=province_officer,
            honour=c.Honour.TIANFU_ENVOY,
            title="天府科普使者",
            year=rng.choice((2023, 2024, 2025)),
            awarded_by="四川省科学技术厅",
        )

    # demo-volunteer is one of the people (sees their own record).
    volunteer = User.objects.filter(username="demo-volunteer").first()
    if volunteer is not None and not Person.objects.filter(user=volunteer).exists():
        person = next(p for p in volunteers if p.region.path.startswith("51/5101/510104/"))
        Person.objects.filter(pk=person.pk).update(user=volunteer, name="刘洋")
    from kepu.people import demo_officers
    from kepu.people.demo_teams import load_team_demo
    from kepu.people.demo_training import load_training_demo

    training = load_training_demo(officers, id_number=_id_number)
    work = demo_officers.load(seed, officers)
    extra = load_team_demo(teams, officers)
    return {
        "people": len(people),
        "pools": len(pools),
        "teams": len(teams),
        **training,
        **extra,
        **work,
    }


# --- workflows through the services ---------------------------------------------------

PERSONA_OFFICERS = {
    "51/5101/510104/": "demo-county-a",
    "51/5107/510703/": "demo-county-b",
    "51/5101/": "demo-city",
    "51/": "demo-province",
}


def _officers() -> dict[str, User]:
    users = {u.username: u for u in User.objects.filter(username__in=PERSONA_OFFICERS.values())}
    return {path: users[name] for path, name in PERSONA_OFFICERS.items() if name in users}


def _officer_for(officers: dict[str, User], region) -> User | None:
    """The nearest persona officer whose region holds `region` (None: the system)."""
    for path in sorted(officers, key=len, reverse=True):
        if region.path.startswith(path):
            return officers[path]
    return None


def _review_some(registrations, officers, *, rng_seed: int) -> None:
    """Each persona officer (county, city, province) certifies the oldest application
    waiting in their region and rejects the next one, three days after each was made;
    at least one application stays in each queue."""
    rng = random.Random(rng_seed + 1)
    done: set[int] = set()
    for path in sorted(officers, key=len, reverse=True):
        officer = officers.get(path)
        waiting = sorted(
            (
                r
                for r in registrations
                if r.status == c.RegistrationStatus.PENDING
                and r.pk not in done
                and r.region.path.startswith(path)
            ),
            key=lambda r: (r.applied_at, r.pk),
        )
        if officer is None or len(waiting) < 3:
            continue
        first, second = waiting[0], waiting[1]
        done.update((first.pk, second.pk))
        with clock.frozen(first.applied_at + datetime.timedelta(days=3)):
            services.certify_registration(first, actor=officer)
        with clock.frozen(second.applied_at + datetime.timedelta(days=3)):
            services.reject_registration(
                second,
                actor=officer,
                reason=rng.choice(["材料不全，请补充职称证明。", "所在地区有误，请重新申请。"]),
            )
