"""Test data of the subsidy area: scores standing in for the annual evaluation, rounds
in each state, a census with returns, all through the services."""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from kepu.bases import scores, services
from kepu.bases.choices import BaseLevel
from kepu.bases.models import Base
from kepu.bases.tests.helpers import make_base
from kepu.core import clock
from kepu.core.models import Region

FIELDS = [
    {"code": "area_m2", "label": "展厅面积", "type": "decimal", "required": True, "unit": "m²",
     "min": 0, "max": 100000},
    {"code": "visitors", "label": "年接待人次", "type": "int", "required": True, "min": 0},
    {"code": "owner", "label": "产权", "type": "choice", "choices": ["公办", "民办"]},
    {"code": "barrier_free", "label": "无障碍设施", "type": "bool"},
    {"code": "notes", "label": "备注", "type": "text"},
]  # fmt: skip
GOOD_ANSWERS = {"area_m2": "1200.5", "visitors": "35000", "owner": "公办", "barrier_free": "yes"}


@contextmanager
def scored(table: dict):
    """`annual_scores` answering from `table` ({base id: (total, grade, visitors)})."""

    def fake(year, *, region=None, base_ids=None):
        return {k: v for k, v in table.items() if base_ids is None or k in base_ids}

    with mock.patch.object(scores, "annual_scores", fake):
        yield


def region(code):
    return Region.objects.get(code=code)


def subsidy_round(*, region_code="5101", **fields):
    fields.setdefault("name", "成都市县级科技馆免费开放补助")
    fields.setdefault("year", 2025)
    fields.setdefault("budget", 100_000)
    fields.setdefault("levels", [BaseLevel.COUNTY])
    fields.setdefault("base_amount", 10_000)
    return services.create_subsidy_round(actor=None, region=region(region_code), **fields)


def county_bases(n=2, prefix="锦江区补助测试馆"):
    found = []
    for i in range(n):
        name = f"{prefix}{i + 1}"
        found.append(Base.objects.filter(name=name).first() or make_base(name))
    return found


def scores_for(bases, start=95):
    return {
        b.pk: (
            Decimal(start - 10 * i),
            "excellent" if start - 10 * i >= 90 else "good",
            1000 * (i + 1),
        )
        for i, b in enumerate(bases)
    }


def census_round(*, region_code="51", fields=FIELDS, **kwargs):
    return services.open_census_round(
        actor=None,
        region=region(region_code),
        name=kwargs.get("name", "2026年科普基础设施普查"),
        year=kwargs.get("year", 2026),
        fields=fields,
        deadline=kwargs.get("deadline", clock.today() + datetime.timedelta(days=30)),
    )
