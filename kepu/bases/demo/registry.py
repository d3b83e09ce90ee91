"""Demo registry: Sichuan's bases at every level, made from the units' published places in
the catalog (one record, not two), with batches and certificate numbers of the 2021–2025
and 2024–2028 cycles; a few warned or under rectification."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import Base
from kepu.core.models import Organization
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
    if Base.objects.exists():
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
    listed = list(Base.objects.filter(level=c.BaseLevel.PROVINCIAL).order_by("pk")[:2])
    if len(listed) == 2:
        services.set_base_status(
            listed[0], c.BaseStatus.WARNED, actor=None, reason="2025年度评估得分低于60分"
        )
        services.set_base_status(
            listed[1], c.BaseStatus.RECTIFYING, actor=None, reason="抽查发现展品长期损坏未修复"
        )
    return {"bases": created}
