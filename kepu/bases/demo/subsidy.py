"""Demo: last year's (2025) free-opening subsidy of Sichuan's provincial venues, computed
from the 2025 scores (`kepu.bases.scores.annual_scores`), submitted by one province
officer and approved by another; this year's infrastructure census open with some
returns submitted and a few accepted. Through the services, idempotent. Without 2025
scores (the annual area's demo not loaded) the round stays a draft whose preview says
why."""

from __future__ import annotations

import datetime

from django.db import transaction

from kepu.bases import choices as c
from kepu.bases import services
from kepu.bases.models import CensusReturn, SubsidyRound
from kepu.bases.services.subsidy import preview_subsidy
from kepu.core import clock
from kepu.core.models import Region, User

SUBSIDY = "2025年度四川省科技馆免费开放补助"
CENSUS = "2026年四川省科普基础设施普查"
FIELDS = [
    {"code": "area_m2", "label": "展厅面积", "type": "decimal", "required": True,
     "unit": "平方米", "min": 0, "max": 200000},
    {"code": "visitors", "label": "上年度接待人次", "type": "int", "required": True,
     "unit": "人次", "min": 0},
    {"code": "exhibits", "label": "常设展品数", "type": "int", "unit": "件", "min": 0},
    {"code": "renewed", "label": "上年度更新展品数", "type": "int", "unit": "件", "min": 0},
    {"code": "owner", "label": "产权性质", "type": "choice", "required": True,
     "choices": ["公办", "民办", "混合"]},
    {"code": "barrier_free", "label": "是否有无障碍设施", "type": "bool"},
    {"code": "notes", "label": "备注", "type": "text"},
]  # fmt: skip


def _subsidy(province, second) -> int:
    with clock.frozen(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)):
        rnd = services.create_subsidy_round(
            actor=province,
            region=province_region(),
            name=SUBSIDY,
            year=2025,
            budget=3_000_000,
            levels=[c.BaseLevel.PROVINCIAL],
            categories=[c.BaseCategory.VENUE],
            base_amount=50_000,
            score_weight=70,
            visitor_weight=30,
            cap=600_000,
            ineligible_grades=["fail"],
        )
        if preview_subsidy(rnd).error:  # too few venues for the cap to spend the budget
            rnd = services.change_subsidy_round(rnd, actor=province, cap=None)
    if preview_subsidy(rnd).error:  # no 2025 scores here: the draft's preview says why
        return 0
    with clock.frozen(datetime.datetime(2026, 3, 12, 15, 0, tzinfo=datetime.UTC)):
        services.submit_subsidy_round(rnd, actor=province)
    with clock.frozen(datetime.datetime(2026, 3, 16, 9, 30, tzinfo=datetime.UTC)):
        services.approve_subsidy_round(rnd, actor=second)
    return 1


def province_region():
    return Region.objects.get(code="51")


def _census(province) -> int:
    today = clock.today()
    rnd = services.open_census_round(
        actor=province,
        region=province_region(),
        name=CENSUS,
        year=today.year,
        fields=FIELDS,
        deadline=today + datetime.timedelta(days=30),
    )
    returns = list(CensusReturn.objects.filter(round=rnd).select_related("base").order_by("pk"))
    submitted = 0
    for i, ret in enumerate(returns):
        if i % 5 >= 2:  # two in five filed so far
            continue
        base = ret.base
        values = {
            "area_m2": str(base.area_m2 or 800),
            "visitors": str(20000 + 3700 * (i % 11)),
            "exhibits": str(60 + 7 * (i % 13)),
            "renewed": str(5 + i % 9),
            "owner": "公办" if i % 3 else "民办",
            "barrier_free": "yes" if i % 4 else "no",
        }
        services.save_census_return(ret, actor=None, values=values, submit=True)
        submitted += 1
        if i % 10 == 0:
            services.accept_census_return(ret, actor=province)
    return submitted


@transaction.atomic
def load(size: int) -> dict:
    if SubsidyRound.objects.filter(name=SUBSIDY).exists():
        return {"subsidy_rounds": 0}
    province = User.objects.get(username="demo-province")
    second = User.objects.get(username="demo-province-2")
    approved = _subsidy(province, second)
    returns = _census(province)
    return {"subsidy_rounds": 1, "subsidies_approved": approved, "census_returns": returns}
