"""Demo registry: Sichuan's bases at every level, made from the units' published places in
the catalog (one record, not two), with batches and certificate numbers of the 2021–2025
and 2024–2028 cycles; a few warned or under rectification. And Qingyuan's (广东省清远市)
bases recognized since its plan's baseline (2021-12-31), so that the plan's targets
"national bases ≥1" and "provincial bases ≥50" (baseline 31) are counted from the
registry, not typed: 1 national and 16 provincial bases, plus a few city-level ones."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import Base
from kepu.core import services as core_services
from kepu.core.choices import OrgType
from kepu.core.demo import demo_credit_code
from kepu.core.models import Organization, Region
from kepu.resources.choices import PlaceKind, ResourceStatus, ResourceType
from kepu.resources.models import Resource

CATEGORY_BY_KIND = {
    PlaceKind.SCIENCE_MUSEUM: c.BaseCategory.VENUE,
    PlaceKind.MUSEUM: c.BaseCategory.VENUE,
    PlaceKind.OBSERVATORY: c.BaseCategory.VENUE,
    PlaceKind.BASE: c.BaseCategory.OTHER,
    PlaceKind.BOTANICAL: c.BaseCategory.NATURE,
    PlaceKind.ZOO: c.BaseCategory.NATURE,
    PlaceKind.PARK: c.BaseCategory.NATURE,
    PlaceKind.LABORATORY: c.BaseCategory.RESEARCH,
}
# (level, batch, valid from, certificate prefix, how many)
BATCHES = [
    (c.BaseLevel.NATIONAL, "2021—2025年度第一批", datetime.date(2022, 4, 1), "KPJD-2022-", 3),
    (
        c.BaseLevel.PROVINCIAL,
        "2022年度四川省科普教育基地",
        datetime.date(2022, 6, 1),
        "SCKP-2022-",
        18,
    ),
    (
        c.BaseLevel.PROVINCIAL,
        "2024年度四川省科普教育基地",
        datetime.date(2024, 6, 1),
        "SCKP-2024-",
        12,
    ),
    (c.BaseLevel.CITY, "2023年度市级科普教育基地", datetime.date(2023, 5, 1), "SJKP-2023-", 16),
    (c.BaseLevel.COUNTY, "2024年度县级科普教育基地", datetime.date(2024, 3, 1), "XJKP-2024-", 16),
]
HOURS = [
    "周二至周日 9:00—17:00",
    "周三至周日 9:30—16:30",
    "每日 8:30—17:30",
    "周一闭馆，其余 9:00—17:00",
]


def _named_first():
    """The demo's named venues come first (四川科技馆 is a national base)."""
    names = ["四川科技馆", "成都大熊猫繁育研究基地", "绵阳科技馆"]
    return {o.name: o for o in Organization.objects.filter(name__in=names)}


@transaction.atomic
def load(size: int) -> dict:
    out = _sichuan()
    out["qingyuan_bases"] = _qingyuan()
    out["venue_account"] = _venue_account()
    return out


# A venue of 锦江区 that is not a base yet, with a staff account (the unit that applies in
# this year's recognition round and would file annual reports once named).
VENUE_UNIT = "锦江区青少年科技馆"
VENUE_USER = ("demo-venue", "锦江区青少年科技馆 黄蕾")


def _venue_account() -> str:
    from django.conf import settings

    from kepu.core.choices import Role
    from kepu.core.models import User

    unit = Organization.objects.filter(name=VENUE_UNIT).first()
    if unit is None:
        region = Region.objects.get(code="510104")
        unit = core_services.create_organization(
            actor=None,
            name=VENUE_UNIT,
            org_type=OrgType.VENUE,
            region=region,
            credit_code=demo_credit_code(VENUE_UNIT, "510104", OrgType.VENUE),
            address="成都市锦江区东大街下东大街段",
        )
    username, full_name = VENUE_USER
    if User.objects.filter(username=username).exists():
        return ""
    user = core_services.create_user(
        actor=None,
        username=username,
        full_name=full_name,
        password=settings.DEMO_PASSWORD,
        must_change_password=False,
    )
    core_services.assign_role(user, actor=None, role=Role.MEMBER_STAFF, organization=unit)
    return username


def _sichuan() -> dict:
    if Base.objects.filter(region__path__startswith="51/").exists():
        return {"bases": 0}
    rng = random.Random(2023)
    places = list(
        Resource.objects.filter(
            resource_type=ResourceType.PLACE,
            status=ResourceStatus.PUBLISHED,
            organization__isnull=False,
            region__path__startswith="51/",
        )
        .select_related("organization", "region")
        .order_by("pk")
    )
    rng.shuffle(places)
    named = _named_first()
    used_units: set[tuple[int, str]] = set()
    created = 0
    for level, batch, valid_from, prefix, count in BATCHES:
        n = 0
        pool = places
        if level == c.BaseLevel.NATIONAL:
            pool = [p for p in places if p.organization.name in named] + places
        for place in pool:
            if n >= count:
                break
            key = (place.organization_id, level)
            if key in used_units or any(u == place.organization_id for u, _lv in used_units):
                continue
            used_units.add(key)
            n += 1
            services.register_base(
                actor=None,
                organization=place.organization,
                level=level,
                category=CATEGORY_BY_KIND.get(place.place_kind, c.BaseCategory.OTHER),
                valid_from=valid_from,
                name=place.title[:120],
                place=place,
                batch=batch,
                number=f"{prefix}{n:03d}",
                contact_name=rng.choice(["王老师", "李老师", "陈主任", "刘科长", "张馆长"]),
                contact_phone=f"028-8{rng.randint(1000000, 9999999)}",
                open_days=rng.choice([180, 220, 260, 280, 300, 310, 320]),
                opening_hours=rng.choice(HOURS),
                area_m2=rng.choice([300, 800, 1200, 2500, 6000, 12000]),
                staff=rng.randint(3, 40),
                docents=rng.randint(2, 25),
                description=place.summary,
            )
            created += 1
    # Dynamic management in progress: one warned, one under rectification.
    listed = list(
        Base.objects.filter(level=c.BaseLevel.PROVINCIAL, region__path__startswith="51/").order_by(
            "pk"
        )[:2]
    )
    if len(listed) == 2:
        services.set_base_status(
            listed[0], c.BaseStatus.WARNED, actor=None, reason="2025年度评估得分低于60分"
        )
        services.set_base_status(
            listed[1], c.BaseStatus.RECTIFYING, actor=None, reason="抽查发现展品长期损坏未修复"
        )
    return {"bases": created}


# Qingyuan (清远市, 4418): (unit, county code, level, category, unit type, valid from).
QINGYUAN_BASES = [
    ("清远市科学技术馆", "441802", "national", "venue", OrgType.VENUE, (2024, 9, 1)),
    ("清远市青少年科技教育中心", "441802", "provincial", "venue", OrgType.VENUE, (2022, 5, 1)),
    ("英德市英红九号茶科普园", "441881", "provincial", "rural", OrgType.ENTERPRISE, (2022, 5, 1)),
    ("连州地下河旅游区", "441882", "provincial", "nature", OrgType.ENTERPRISE, (2022, 5, 1)),
    ("清新区太和古洞森林公园", "441803", "provincial", "nature", OrgType.OTHER, (2022, 5, 1)),
    ("佛冈县现代农业科技示范园", "441821", "provincial", "rural", OrgType.OTHER, (2022, 5, 1)),
    ("阳山县第一峰自然保护区", "441823", "provincial", "nature", OrgType.OTHER, (2023, 6, 1)),
    ("连南瑶族自治县瑶医药研究所", "441826", "provincial", "research",
     OrgType.RESEARCH_INSTITUTE, (2023, 6, 1)),
    ("清远市气象科普馆", "441802", "provincial", "venue", OrgType.VENUE, (2023, 6, 1)),
    ("英德市宝晶宫地质公园", "441881", "provincial", "nature", OrgType.OTHER, (2023, 6, 1)),
    ("清远市疾病预防控制中心", "441802", "provincial", "other", OrgType.OTHER, (2024, 6, 1)),
    ("连山壮族瑶族自治县金子山气象站", "441825", "provincial", "other", OrgType.OTHER,
     (2024, 6, 1)),
    ("清远职业技术学院", "441802", "provincial", "research", OrgType.UNIVERSITY, (2024, 6, 1)),
    ("佛冈县观音山森林公园", "441821", "provincial", "nature", OrgType.OTHER, (2024, 6, 1)),
    ("广东清远抽水蓄能有限公司", "441803", "provincial", "enterprise", OrgType.ENTERPRISE,
     (2025, 6, 1)),
    ("飞来峡水利枢纽管理处", "441802", "provincial", "enterprise", OrgType.OTHER, (2025, 6, 1)),
    ("英德市连江口镇农业技术推广站", "441881", "provincial", "rural", OrgType.OTHER,
     (2025, 6, 1)),
    ("清城区石角镇科普e站", "441802", "city", "other", OrgType.COMMUNITY, (2023, 4, 1)),
    ("清新区三坑镇农业科普示范基地", "441803", "city", "rural", OrgType.OTHER, (2023, 4, 1)),
    ("阳山县青少年宫", "441823", "city", "venue", OrgType.VENUE, (2023, 4, 1)),
    ("连州市保安镇卿罡村农技协", "441882", "city", "rural", OrgType.COMMUNITY, (2024, 4, 1)),
    ("佛冈县第一中学科技馆", "441821", "city", "research", OrgType.SCHOOL, (2024, 4, 1)),
    ("英德市浛洸镇中心小学", "441881", "city", "research", OrgType.SCHOOL, (2024, 4, 1)),
]  # fmt: skip
QINGYUAN_BATCHES = {
    "national": "{year}年度全国科普教育基地",
    "provincial": "{year}年度广东省科普教育基地",
    "city": "{year}年度清远市科普教育基地",
}
QINGYUAN_PREFIX = {
    "national": "KPJD-{year}-QY",
    "provincial": "GDKP-{year}-QY",
    "city": "QYKP-{year}-",
}


def _qingyuan_unit(name, code, org_type) -> Organization:
    unit = Organization.objects.filter(name=name).first()
    if unit is None:
        region = Region.objects.get(code=code)
        unit = core_services.create_organization(
            actor=None,
            name=name,
            org_type=org_type,
            region=region,
            credit_code=demo_credit_code(name, code, org_type),
            address=region.full_name,
        )
    return unit


def _qingyuan() -> int:
    if not Region.objects.filter(code="4418").exists():
        return 0
    if Base.objects.filter(region__path__startswith="44/4418/").exists():
        return 0
    rng = random.Random(4418)
    numbers: dict[tuple[str, int], int] = {}
    created = 0
    for name, code, level, category, org_type, (y, m, d) in QINGYUAN_BASES:
        unit = _qingyuan_unit(name, code, org_type)
        numbers[(level, y)] = numbers.get((level, y), 0) + 1
        services.register_base(
            actor=None,
            organization=unit,
            level=level,
            category=category,
            valid_from=datetime.date(y, m, d),
            name=name if name.endswith(("馆", "园", "基地")) else f"{name}科普教育基地",
            batch=QINGYUAN_BATCHES[level].format(year=y),
            number=QINGYUAN_PREFIX[level].format(year=y) + f"{numbers[(level, y)]:03d}",
            contact_name=rng.choice(["黄老师", "梁主任", "陈科长", "李馆长"]),
            contact_phone=f"0763-3{rng.randint(100000, 999999)}",
            open_days=rng.choice([220, 260, 280, 300, 310]),
            opening_hours=rng.choice(HOURS),
            area_m2=rng.choice([500, 1200, 2500, 8000]),
            staff=rng.randint(3, 30),
            docents=rng.randint(2, 15),
        )
        created += 1
    return created
