"""The survey's tables, indicators and rules as shipped (`data/indicators.tsv` and
`data/rules.tsv`, loaded by `load_data_set`).

Sources: domain.md §5.2 (MOST's 《全国科普工作统计实施方案》 explanations; the media
codes of the 2003 年报表) and domain-wave2 §6 (the checks the national system applies).
The national codes found are kept (KR…, KJ…, KM…; `official`); the 场地 and 活动 codes
were not found, so Kepu assigns KC… and KH… in the same pattern (`official` False) and
says so on every page that shows a code. The 2024 system has 156 indicators in six
categories; the ones found are here, and an officer adds the rest as data (indicators and
rules are rows, not code). The sixth category (科学教育) was not found and is not shipped.

indicators.tsv: table, table name, section, code, name, unit, type (int/dec), parent
code, breakdown label, official (1/0), pre-fill source key (kepu.stats.prefill), per-capita
kind (10k: per 10,000 residents, 1: per resident), definition.
"""

import csv
from pathlib import Path

from django.db import transaction

from kepu.core import audit

DATA = Path(__file__).resolve().parent / "data"
CODE = "KPTJ"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def data_set_name(year: int) -> str:
    return f"{year}年度全国科普统计调查表"


@transaction.atomic
def load_data_set(year: int, *, actor=None):
    """The data set of `year` with the shipped tables, indicators and rules; idempotent
    (a second call changes nothing and returns the same data set)."""
    from kepu.stats.models import DataSet, Indicator, Section, StatTable, ValidationRule

    data_set, created = DataSet.objects.get_or_create(
        code=CODE,
        year=year,
        defaults={
            "name": data_set_name(year),
            "note": "按《全国科普统计调查制度》整理；未找到国家代码的指标由平台编码（KC、KH）。",
        },
    )
    if not created:
        return data_set
    tables, sections = {}, {}
    indicators = {}
    for order, row in enumerate(_rows("indicators.tsv"), start=1):
        table = tables.get(row["table"])
        if table is None:
            table = tables[row["table"]] = StatTable.objects.create(
                data_set=data_set, code=row["table"], name=row["table_name"], order=len(tables) + 1
            )
        key = (row["table"], row["section"])
        if key not in sections:
            sections[key] = Section.objects.create(
                table=table, name=row["section"], order=len(sections) + 1
            )
        indicators[row["code"]] = Indicator.objects.create(
            data_set=data_set,
            table=table,
            section=sections[key],
            code=row["code"],
            name=row["name"],
            unit=row["unit"],
            value_type=row["type"],
            parent=indicators[row["parent"]] if row["parent"] else None,
            breakdown=row["breakdown"],
            official=row["official"] == "1",
            prefill=row["prefill"],
            per_capita=row["per_capita"],
            definition=row["definition"],
            order=order,
        )
    ValidationRule.objects.bulk_create(
        ValidationRule(data_set=data_set, **row) for row in _rows("rules.tsv")
    )
    audit.created(data_set, actor=actor)
    return data_set
