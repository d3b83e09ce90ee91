"""Demo mid-term evaluation: Sichuan's demonstration counties of the 2023–2027 creation
cycle, evaluated in 2025 on the province's rubric by two officers (one county below the
pass mark), and two areas of the 2025–2029 cycle still creating. Through the services,
with the clock of the time."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import DemonstrationArea, MidtermEvaluation
from kepu.core import clock
from kepu.core.models import Organization, Region, User
from kepu.rubrics.demo import MIDTERM, demo_rubric

ROUND = "2025年度四川省科普示范县（市、区）创建中期评估"
# (county code, kind, profile): the profile picks the self-assessment and the points.
COUNTIES = [
    ("510104", c.AreaKind.NATIONAL_COUNTY, "strong"),
    ("510107", c.AreaKind.PROVINCIAL_COUNTY, "strong"),
    ("510703", c.AreaKind.PROVINCIAL_COUNTY, "fair"),
    ("510115", c.AreaKind.PROVINCIAL_COUNTY, "fair"),
    ("510603", c.AreaKind.PROVINCIAL_COUNTY, "fair"),
    ("511302", c.AreaKind.PROVINCIAL_COUNTY, "weak"),
]
LATER = [
    ("510105", c.AreaKind.COMMUNITY, "青羊区少城科普示范社区"),
    ("510112", c.AreaKind.TOWN, "龙泉驿区洛带科普小镇"),
]
VALUES = {
    "strong": dict(funding=3.2, venues=1.6, activities=140, literacy=13.1, volunteers=65),
    "fair": dict(funding=2.1, venues=0.9, activities=60, literacy=10.4, volunteers=28),
    "weak": dict(funding=1.2, venues=0.6, activities=30, literacy=9.2, volunteers=12),
}
# Two evaluators' points (leadership, innovation, publicity) by profile.
POINTS = {
    "strong": [(14, 9, 9), (15, 8, 9)],
    "fair": [(12, 7, 7), (13, 6, 8)],
    "weak": [(10, 5, 6), (9, 6, 6)],
}


def _at(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _unit(region: Region) -> Organization:
    return Organization.objects.filter(name=f"{region.name}科学技术协会").first() or (
        Organization.objects.filter(region=region).order_by("pk").first()
    )


@transaction.atomic
def load(size: int) -> dict:
    if MidtermEvaluation.objects.filter(name=ROUND).exists():
        return {"demonstration_areas": 0}
    rubric = demo_rubric(MIDTERM)
    province = Region.objects.get(code="51")
    evaluators = list(User.objects.filter(username__in=("demo-province", "demo-province-2")))
    areas = {}
    with clock.frozen(_at(2023, 3, 1, 10)):
        for code, kind, profile in COUNTIES:
            region = Region.objects.get(code=code)
            unit = _unit(region)
            if unit is None:
                continue
            area = services.create_area(
                actor=None,
                name=f"{region.name}科普示范县创建",
                kind=kind,
                region=region,
                organization=unit,
                cycle_start=2023,
            )
            areas[area.pk] = profile
    with clock.frozen(_at(2025, 9, 1, 9)):
        evaluation = services.create_evaluation(
            actor=None,
            name=ROUND,
            region=province,
            rubric=rubric,
            year=2025,
            remarks="依据《四川省科普示范县（市、区）创建管理办法》开展中期评估。",
        )
    entries = list(evaluation.entries.select_related("area"))
    with clock.frozen(_at(2025, 9, 20, 16)):
        for entry in entries:
            services.save_self_assessment(entry, actor=None, values=VALUES[areas[entry.area_id]])
    with clock.frozen(_at(2025, 10, 15, 10)):
        for entry in entries:
            for evaluator, (lead, innov, pub) in zip(
                evaluators, POINTS[areas[entry.area_id]], strict=False
            ):
                services.submit_scoresheet(
                    entry,
                    actor=evaluator,
                    points=dict(leadership=lead, innovation=innov, publicity=pub),
                    comment="材料齐全，现场核查属实。",
                )
    with clock.frozen(_at(2025, 10, 30, 15)):
        services.publish_evaluation(evaluation, actor=None)
    with clock.frozen(_at(2025, 4, 1, 10)):
        for code, kind, name in LATER:
            region = Region.objects.get(code=code)
            unit = _unit(region)
            if unit is not None:
                services.create_area(
                    actor=None,
                    name=name,
                    kind=kind,
                    region=region,
                    organization=unit,
                    cycle_start=2025,
                )
    return {"demonstration_areas": DemonstrationArea.objects.count()}
