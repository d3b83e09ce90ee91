"""Assessments at benchmark scale (the plans dataset step calls `generate`): the province
assesses its 21 cities, each city its counties (about 180 entries in all), and 成都市 the
member units of its plan, on the preset rubrics, through the services (a few hundred
entries: their states are exactly what the services produce). In each round most
subjects have filed their self-assessment, half are scored and a third confirmed by a
second officer; 成都市's round over its counties is fully confirmed and published."""

from __future__ import annotations

from kepu.core.dataset import Dataset
from kepu.plans.assessment_presets import region_assessment_criteria, unit_assessment_criteria
from kepu.plans.models import Plan
from kepu.plans.services import assessment as services
from kepu.rubrics import services as rubric_services

TEXT = "全年按计划推进科普工作，按季度报送进展，开展重点科普活动并建立工作台账。"


def _manual(ds, criteria):
    return {
        cr["code"]: f"{round(cr['weight'] * ds.rng.uniform(0.5, 1.0), 1)}"
        for cr in criteria
        if cr["method"] == "manual"
    }


def _work(ds, round_, criteria, *, publish=False) -> int:
    entries = list(round_.entries.order_by("pk"))
    for entry in entries:
        roll = 1.0 if publish else ds.rng.random()
        if roll < 0.2:
            continue
        services.self_assess(entry, actor=None, text=TEXT)
        if roll < 0.5:
            continue
        services.score_entry(entry, actor=None, points=_manual(ds, criteria))
        if roll < 0.7:
            continue
        services.confirm_entry(entry, actor=None)
    if publish:
        services.publish_round(round_, actor=None)
    return len(entries)


def generate(ds: Dataset) -> int:
    year = ds.today.year - 1
    region_criteria, unit_criteria = region_assessment_criteria(), unit_assessment_criteria()
    region_rubric = rubric_services.create_rubric(
        actor=None,
        name="科普工作考核评分细则（地区）",
        purpose="assessment",
        region=ds.province,
        criteria=region_criteria,
        activate=True,
    )
    unit_rubric = rubric_services.create_rubric(
        actor=None,
        name="成员单位考核评分细则",
        purpose="assessment",
        region=ds.province,
        criteria=unit_criteria,
        activate=True,
    )
    n = 0
    for region in [ds.province, *ds.cities]:
        if not region.children.exists():
            continue
        round_ = services.create_round(
            actor=None,
            name=f"{region.name}{year}年度科普工作考核",
            region=region,
            kind="regions",
            year=year,
            rubric=region_rubric,
            is_public=region.code == "5101",
        )
        n += _work(ds, round_, region_criteria, publish=region.code == "5101")
    plan = Plan.objects.filter(region__code="5101", tasks__units__isnull=False).first()
    if plan is not None:
        round_ = services.create_round(
            actor=None,
            name=f"成都市{ds.today.year}年度成员单位考核",
            region=plan.region,
            kind="units",
            plan=plan,
            year=ds.today.year,
            rubric=unit_rubric,
        )
        n += _work(ds, round_, unit_criteria)
    return n
