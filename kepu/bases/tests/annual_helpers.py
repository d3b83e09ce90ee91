"""Test data of the annual area, through the services."""

import datetime

from kepu.bases import annual_choices as ac
from kepu.bases import choices as c
from kepu.bases.services import annual as reports
from kepu.bases.tests.helpers import make_base
from kepu.core.choices import OrgType
from kepu.core.models import Organization, Region
from kepu.rubrics import presets
from kepu.rubrics.choices import Purpose
from kepu.rubrics.models import Rubric
from kepu.rubrics.services import create_rubric

ANNUAL_RUBRIC = "四川省科普教育基地年度评估细则（2025版）"


def annual_rubric() -> Rubric:
    """The province's annual rubric (the demo's, made exactly so when missing)."""
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
    return Rubric.objects.get(name=ANNUAL_RUBRIC)


def member_unit_base(name="省教育厅青少年科技教育基地", level=c.BaseLevel.COUNTY):
    """A base run by a sub-unit of 四川省教育厅 (the member persona's unit), in 锦江区."""
    parent = Organization.objects.get(name="四川省教育厅")
    unit, _created = Organization.objects.get_or_create(
        name=name,
        defaults={
            "org_type": OrgType.VENUE,
            "region": Region.objects.get(code="510104"),
            "parent": parent,
        },
    )
    return make_base(name, unit_name=name, level=level)


STATS = dict(
    open_days=310,
    visitors=12000,
    students=5000,
    free_admissions=8000,
    activities_held=20,
    activities_published=12,
    exhibits_total=100,
    exhibits_renewed=12,
    staff=10,
    docents=6,
    volunteers=30,
    budget=50,
    safety_incidents=0,
    safety_inspections=4,
)


def filed_report(base, year=2025, *, accept=False, **stats):
    report = reports.open_report(base, year, actor=None)
    report = reports.save_report(report, actor=None, **{**STATS, **stats})
    report = reports.submit_report(report, actor=None)
    if accept:
        report = reports.accept_report(report, actor=None)
    return report


def province():
    return Region.objects.get(code="51")


def window(year=2026, starts_on=datetime.date(2027, 1, 4), days=30, code="51"):
    return reports.set_report_window(
        actor=None,
        region=Region.objects.get(code=code),
        year=year,
        starts_on=starts_on,
        working_days=days,
    )


__all__ = ["ac"]
