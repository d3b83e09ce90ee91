"""The statistics survey at benchmark scale (see `kepu.core.dataset`).

The issue's scale: a province with **20,000 reporting units × ~200 values**. The survey
of last year, approved up the tree and published, and this year's open round, both with
a return for every organization of the dataset (its responsible region: its county, or
the city or province for their own units), filled with the shipped data set's ~63
indicators plus **bench padding** — synthetic indicators in a table of their own,
「压测填充指标（仅用于性能测试，非正式）」 BP001…, which exist only in the benchmark's
data sets — up to 200 values a return. Last year every return is accepted; this year
most are (80 %), the rest submitted, being filled, returned or not started. The
aggregates are built by `aggregation.recompute` (the service), the rest written directly
(COPY on PostgreSQL) in the state the services leave them in.

The values keep every error rule of the data set: the shipped indicators take a multiple
of a valid return (`tests.helpers.GOOD`), the others zero; the padding is free."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kepu.core.dataset import Dataset
from kepu.core.models import Organization
from kepu.stats import choices as c
from kepu.stats.models import (
    Indicator,
    RegionApproval,
    Return,
    Section,
    StatTable,
    SurveyRound,
    Value,
)
from kepu.stats.services import aggregation
from kepu.stats.tables import load_data_set

VALUES_PER_RETURN = 200
PADDING_TABLE = "KP-X"
PADDING_NAME = "压测填充指标（仅用于性能测试，非正式）"
BASE = {
    "KR100": 10, "KR110": 2, "KR120": 6, "KR130": 5, "KR140": 100,
    "KR200": 40, "KR210": 10, "KR220": 20, "KR230": 120,
    "KJ100": Decimal("50.5"), "KJ120": 40, "KJ121": 10, "KJ130": Decimal("0.5"),
    "KJ140": 10, "KJ150": 0,
}  # fmt: skip
THIS_YEAR = (  # status, share
    (c.ReturnStatus.ACCEPTED, 80),
    (c.ReturnStatus.SUBMITTED, 8),
    (c.ReturnStatus.DRAFT, 6),
    (c.ReturnStatus.RETURNED, 2),
    (c.ReturnStatus.NOT_STARTED, 4),
)


def generate(ds: Dataset) -> None:
    gen = _Gen(ds)
    ds.step("statistics data sets", gen.data_sets)
    ds.step("statistics rounds", gen.rounds)
    ds.step("statistics returns", gen.returns)
    ds.step("statistics values", gen.values)
    ds.step("statistics aggregates", gen.aggregates)


def pad(data_set) -> int:
    """Add the bench padding to a data set: synthetic indicators up to
    VALUES_PER_RETURN, in a table of their own, clearly named."""
    have = Indicator.objects.filter(data_set=data_set).count()
    if have >= VALUES_PER_RETURN:
        return 0
    table, _new = StatTable.objects.get_or_create(
        data_set=data_set, code=PADDING_TABLE, defaults={"name": PADDING_NAME, "order": 99}
    )
    section, _new = Section.objects.get_or_create(table=table, name="填充", defaults={"order": 99})
    start = Indicator.objects.filter(data_set=data_set, table=table).count()
    rows = [
        Indicator(
            data_set=data_set, table=table, section=section, code=f"BP{start + k:03d}",
            name=f"压测填充指标{start + k:03d}", unit="个", official=False,
            definition="仅用于性能测试的合成指标（非正式统计指标）。", order=1000 + start + k,
        )
        for k in range(1, VALUES_PER_RETURN - have + 1)
    ]  # fmt: skip
    Indicator.objects.bulk_create(rows)
    return len(rows)


class _Gen:
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.year = ds.today.year - 1  # this year's survey collects last year's data

    def data_sets(self) -> int:
        self.sets = [load_data_set(self.year - 1), load_data_set(self.year)]
        return sum(pad(s) for s in self.sets)

    def rounds(self) -> int:
        ds, today = self.ds, self.ds.today
        made = 0
        self.surveys = []
        for data_set, status, offset in (
            (self.sets[0], c.RoundStatus.PUBLISHED, -365),
            (self.sets[1], c.RoundStatus.OPEN, 0),
        ):
            opens = today + datetime.timedelta(days=offset - 60)
            due = today + datetime.timedelta(days=offset + 30)
            survey, created = SurveyRound.objects.get_or_create(
                region=ds.province, year=data_set.year,
                defaults={
                    "data_set": data_set, "title": f"{data_set.year}年度四川省科普统计调查（压测）",
                    "status": status, "opens_on": opens, "units_due": due,
                    "county_due": due + datetime.timedelta(days=10),
                    "city_due": due + datetime.timedelta(days=20),
                    "province_due": due + datetime.timedelta(days=30),
                    "published_at": ds.now if status == c.RoundStatus.PUBLISHED else None,
                },
            )  # fmt: skip
            self.surveys.append(survey)
            made += created
        return made

    def returns(self) -> int:
        ds = self.ds
        county_ids = {r.code: r.pk for r in ds.counties}
        units = list(
            Organization.objects.filter(region__path__startswith=ds.province.path)
            .values_list("pk", "region_id", "region__path", "region__level")
            .order_by("pk")
        )
        self.units = []
        for pk, region_id, path, level in units:
            codes = [p for p in path.split("/") if p]
            responsible = region_id if level <= 3 else county_ids.get(codes[2], region_id)
            self.units.append((pk, responsible))
        statuses, weights = zip(*THIS_YEAR, strict=True)
        total = 0
        self.filled: list[tuple[int, int, str, int]] = []  # return, round, status, size
        for index, survey in enumerate(self.surveys):
            have = set(
                Return.objects.filter(round=survey).values_list("organization_id", flat=True)
            )
            todo = [u for u in self.units if u[0] not in have]
            ids = ds.ids(Return, len(todo))
            rows = []
            for pk, (org, region) in zip(ids, todo, strict=True):
                status = (
                    c.ReturnStatus.ACCEPTED if index == 0
                    else ds.rng.choices(statuses, weights)[0]
                )  # fmt: skip
                at = ds.moment(400 if index == 0 else 20)
                done = status not in (c.ReturnStatus.NOT_STARTED, c.ReturnStatus.DRAFT)
                rows.append({
                    "id": pk, "round_id": survey.pk, "organization_id": org, "region_id": region,
                    "status": status, "submitted_at": at if done else None,
                    "accepted_at": at if status == c.ReturnStatus.ACCEPTED else None,
                    "updated_at": at, "findings": [], "explanations": {},
                })  # fmt: skip
                if status != c.ReturnStatus.NOT_STARTED:
                    self.filled.append((pk, survey.pk, status, 1 + org % 5))
            total += ds.insert(Return, rows)
        return total

    def values(self) -> int:
        ds = self.ds
        by_round = {}
        for survey in self.surveys:
            indicators = list(
                Indicator.objects.filter(data_set=survey.data_set_id).values_list("pk", "code")
            )
            by_round[survey.pk] = indicators
        start = ds.ids(Value, 1).start
        rng = ds.rng

        def rows():
            pk = start
            for ret, survey, _status, size in self.filled:
                for indicator, code in by_round[survey]:
                    if code.startswith("BP"):
                        value = Decimal(rng.randint(0, 50))
                    else:
                        value = Decimal(BASE.get(code, 0)) * size
                    yield {"id": pk, "ret_id": ret, "indicator_id": indicator,
                           "value": value, "source": c.ValueSource.ENTERED}  # fmt: skip
                    pk += 1

        return ds.insert(Value, rows())

    def aggregates(self) -> int:
        ds = self.ds
        ds.move_sequences(Return, Value, Indicator)
        rows = sum(aggregation.recompute(s) for s in self.surveys)
        # Last year's survey is approved up the tree (every county, city and the province).
        done = self.surveys[0]
        have = set(RegionApproval.objects.filter(round=done).values_list("region_id", flat=True))
        regions = [ds.province, *ds.cities, *ds.counties]
        RegionApproval.objects.bulk_create(
            RegionApproval(round=done, region=r, status=c.ApprovalStatus.APPROVED,
                           approved_at=ds.now)
            for r in regions if r.pk not in have
        )  # fmt: skip
        return rows


def bench_round() -> SurveyRound | None:
    """This year's open benchmark round (None without the dataset)."""
    return (
        SurveyRound.objects.filter(title__endswith="（压测）", status=c.RoundStatus.OPEN)
        .order_by("-year")
        .first()
    )
