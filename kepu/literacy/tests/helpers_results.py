"""Test data of the results area: a closed round of the province (四川省) with its frame
(three cities' counties × urban/rural), sample points, a bank of scored items on one
form, census margins for the cities and counties, and synthetic respondents whose
literate share follows the published pattern (education and urban/rural).

The rounds and fielding area's services (`create_round`, `build_frame`,
`bulk_responses`) own how these rows are made in the product; this helper writes the
same rows directly so the results area's tests do not depend on that area's progress,
and is replaced by those services at merge where they exist."""

from __future__ import annotations

import datetime

import numpy as np

from kepu.core import clock
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.models import (
    Dimension,
    Form,
    FormItem,
    Instrument,
    Item,
    PopulationMargin,
    Response,
    SamplePoint,
    Stratum,
    SurveyRound,
)

CITIES = ("5101", "5107", "5106")  # 成都市, 绵阳市, 德阳市
EDU_RATE = {"primary": 0.03, "junior": 0.08, "senior": 0.18, "college": 0.26, "bachelor": 0.44}
EDU_SHARE = {"primary": 0.3, "junior": 0.35, "senior": 0.17, "college": 0.1, "bachelor": 0.08}
AGES = [a.value for a in c.AgeBand]
SEXES = ["m", "f"]


def region(code) -> Region:
    return Region.objects.get(code=code)


def _counties(per_city):
    out = []
    for code in CITIES:
        out.extend(Region.objects.filter(parent__code=code).order_by("code")[:per_city])
    return out


def _split(total: int, shares: dict) -> dict:
    keys = list(shares)
    values = [int(total * shares[k]) for k in keys]
    values[-1] = total - sum(values[:-1])
    return dict(zip(keys, values, strict=True))


def _table(population: int, urban: float) -> dict:
    return {
        "sex": _split(population, {"m": 0.51, "f": 0.49}),
        "age_band": _split(population, dict.fromkeys(AGES, 0.2)),
        "area": _split(population, {"urban": urban, "rural": 1 - urban}),
        "education": _split(population, EDU_SHARE),
    }


def make_margins(counties, year=2020) -> None:
    """Margins of each county and (their sums) of each city and the province."""
    rows, sums = [], {}
    for i, county in enumerate(counties):
        table = _table(200_000 + 20_000 * i, 0.4 + 0.05 * (i % 5))
        for above in (county.parent, county.parent.parent):
            into = sums.setdefault(above.pk, {})
            for var, cats in table.items():
                for cat, n in cats.items():
                    into.setdefault(var, {})
                    into[var][cat] = into[var].get(cat, 0) + n
        for var, cats in table.items():
            rows += [PopulationMargin(region=county, year=year, variable=var, category=cat,
                                      population=n) for cat, n in cats.items()]  # fmt: skip
    for pk, table in sums.items():
        for var, cats in table.items():
            rows += [PopulationMargin(region_id=pk, year=year, variable=var, category=cat,
                                      population=n) for cat, n in cats.items()]  # fmt: skip
    PopulationMargin.objects.bulk_create(rows, ignore_conflicts=True)


def make_items(province, n=10, prefix="RT"):
    instrument = Instrument.objects.get(code="national-2024")
    dims = list(Dimension.objects.filter(instrument=instrument).order_by("position"))
    items = []
    for i in range(n):
        items.append(Item.objects.create(
            region=province, code=f"{prefix}{i:03d}", instrument=instrument, dimension=dims[i % 4],
            kind=c.ItemKind.SINGLE, stem=f"测试题 {i}", status=c.ItemStatus.APPROVED,
            options=[{"key": k, "text": k} for k in "ABCD"], key=["A"],
        ))  # fmt: skip
    return items


def make_round(*, respondents_per_point=12, per_city=3, kind=c.RoundKind.LITERACY,
               status=c.RoundStatus.CLOSED, seed=1, name="测试轮次") -> SurveyRound:  # fmt: skip
    province = region("51")
    counties = _counties(per_city)
    make_margins(counties)
    now = clock.now()
    rnd = SurveyRound.objects.create(
        region=province, name=name, kind=kind, year=now.year,
        instrument=Instrument.objects.get(code="national-2024"), status=status,
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=1),
        consent_text="本调查匿名进行。", replicates=50, closed_at=now,
    )  # fmt: skip
    items = make_items(province, prefix=f"R{seed}-")
    form = Form.objects.create(round=rnd, label="A", seed=1)
    for pos, item in enumerate(items):
        FormItem.objects.create(form=form, item=item, position=pos, points=10)
    rng = np.random.default_rng(seed)
    rows = []
    margins = {
        (r, v, k): n
        for r, v, k, n in PopulationMargin.objects.filter(
            region__in=counties, variable="area"
        ).values_list("region_id", "variable", "category", "population")
    }
    for county in counties:
        for area in ("urban", "rural"):
            stratum = Stratum.objects.create(
                round=rnd, region=county, area=area,
                population=margins[(county.pk, "area", area)], allocated=respondents_per_point * 3,
            )  # fmt: skip
            for p in range(3):
                point = SamplePoint.objects.create(
                    round=rnd, stratum=stratum, code=f"{county.code}{area[0]}{p}",
                    name=f"{county.name}{area}{p}", quota=respondents_per_point,
                )  # fmt: skip
                for _ in range(respondents_per_point):
                    rows.append(_respondent(rng, rnd, form, items, stratum, point, county, area,
                                            now, len(rows)))  # fmt: skip
    Response.objects.bulk_create(rows)
    rnd.response_count = rnd.valid_count = len(rows)
    rnd.save(update_fields=["response_count", "valid_count"])
    return rnd


def _respondent(rng, rnd, form, items, stratum, point, county, area, now, i) -> Response:
    edu = rng.choice(list(EDU_SHARE), p=list(EDU_SHARE.values()))
    rate = EDU_RATE[edu] * (1.3 if area == "urban" else 0.7)
    skill = rng.random() < rate
    p_right = 0.85 if skill else 0.45
    right = rng.random(len(items)) < p_right
    answers = {str(it.pk): ("A" if ok else rng.choice(["B", "C", "D"]))
               for it, ok in zip(items, right, strict=True)}  # fmt: skip
    total = int(right.sum()) * 10
    tier = "advanced" if total >= 85 else "literate" if total >= 70 else (
        "basic" if total >= 55 else "low")  # fmt: skip
    return Response(
        round=rnd, form=form, stratum=stratum, point=point, region=county, mode=c.Mode.SELF,
        idem=f"h-{rnd.pk}-{i}", started_at=now - datetime.timedelta(days=2),
        consent_at=now - datetime.timedelta(days=2), seconds=600,
        sex=rng.choice(SEXES), age_band=rng.choice(AGES), education=edu, area=area,
        occupation=rng.choice(["farmer", "worker", "service", "professional"]),
        key_group=rng.choice(["", "youth", "farmers"]), answers=answers,
        total=total, tier=tier, literate=tier in ("advanced", "literate"),
    )  # fmt: skip
