"""Shared set-up of the statistics tests: the shipped data set, a round of the demo
province, and returns of demo units."""

import datetime

from kepu.core.models import Organization, Region
from kepu.stats import choices as c
from kepu.stats.models import SurveyRound
from kepu.stats.tables import load_data_set

YEAR = 2025


def make_round(year=YEAR, *, status=c.RoundStatus.OPEN, units_due=None, actor=None):
    data_set = load_data_set(year)
    province = Region.objects.get(code="51")
    units_due = units_due or datetime.date(year + 2, 5, 31)
    return SurveyRound.objects.create(
        data_set=data_set,
        region=province,
        year=year,
        title=f"{year}年度四川省科普统计调查",
        status=status,
        opens_on=datetime.date(year + 1, 3, 1),
        units_due=units_due,
        county_due=units_due + datetime.timedelta(days=5),
        city_due=units_due + datetime.timedelta(days=10),
        province_due=units_due + datetime.timedelta(days=20),
        created_by=actor,
    )


def county_a_unit():
    return Organization.objects.get(name="锦江区科学技术协会")


def county_b_unit():
    return Organization.objects.get(name="涪城区科学技术协会")


GOOD = {
    "KR100": "10", "KR110": "2", "KR120": "6", "KR130": "5", "KR140": "100",
    "KR200": "40", "KR210": "10", "KR220": "20", "KR230": "120",
    "KJ100": "50.5", "KJ120": "40", "KJ121": "10", "KJ130": "0.5", "KJ140": "10", "KJ150": "0",
}  # fmt: skip
