"""Test data of the mid-term area, through the services."""

from kepu.bases import choices as c
from kepu.bases import services
from kepu.core.models import Organization, Region, User
from kepu.rubrics import choices as rc
from kepu.rubrics import presets
from kepu.rubrics import services as rubric_services

STRONG = dict(funding=3.2, venues=1.6, activities=140, literacy=13.1, volunteers=65)  # 63 points
WEAK = dict(funding=1.2, venues=0.6, activities=30, literacy=9.2, volunteers=12)  # 34.5 points


def midterm_rubric(name="测试中期评估细则"):
    return rubric_services.create_rubric(
        actor=None,
        name=name,
        purpose=rc.Purpose.MIDTERM,
        region=Region.objects.get(code="51"),
        criteria=presets.demonstration_midterm_criteria(),
        activate=True,
    )


def make_area(code="510104", kind=c.AreaKind.PROVINCIAL_COUNTY, start=2023, name=""):
    region = Region.objects.get(code=code)
    return services.create_area(
        actor=None,
        name=name or f"{region.name}示范县（测试）",
        kind=kind,
        region=region,
        organization=Organization.objects.get(name=f"{region.name}科学技术协会"),
        cycle_start=start,
    )


def make_round(rubric, *, year=2025, name="2025年度中期评估（测试）", region="51"):
    return services.create_evaluation(
        actor=None, name=name, region=Region.objects.get(code=region), rubric=rubric, year=year
    )


def user(username):
    return User.objects.get(username=username)
