"""Demo data of the statistics survey (found by `manage.py load_demo`): Sichuan's (51)
科普统计 of last year (2025 data) filed, accepted and approved at every level (county →
city → province) by the units of 成都, 绵阳 and 德阳 (the demo organizations of their
counties, 锦江区 and 涪城区 included), and this year's (2026 data) in progress: some units
not started, some filling with errors, some submitted, one returned with a reason (and an
exception to the lock to correct it), some accepted, a few overdue.

Everything goes through the services (`assignment`, `returns`, `approvals`, `rounds`)
at past moments (`clock.frozen`), so the history, the audit trail and the aggregates are
what the officers would have made. Idempotent: a round already there is left alone. All
or nothing: one transaction."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kepu.core import clock
from kepu.core.models import Region, User
from kepu.stats.models import Return, SurveyRound
from kepu.stats.services import approvals, assignment, returns, rounds
from kepu.stats.services.validation import Checker
from kepu.stats.tables import load_data_set

LAST, THIS = 2025, 2026
CITIES = ("5101", "5107", "5106")  # 成都, 绵阳, 德阳
TYPES = ("kx", "kjj", "member", "school", "university", "institute", "society", "venue",
         "media", "community", "enterprise")  # fmt: skip
SEED = 22
# The statuses of each county's units this year, in turn.
PATTERN = ("accepted", "submitted", "new", "errors", "accepted", "submitted", "accepted",
           "accepted", "submitted", "accepted")  # fmt: skip
RETURNED_REASON = "经费筹集额中政府拨款与财政批复不一致，请核对后重新填报。"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def values(rng: random.Random, *, venue: bool = False) -> dict[str, str]:
    """Plausible values that pass every rule: breakdowns within totals, funding sources
    and uses adding up, workloads within 12 months a person."""
    v: dict[str, int] = {}
    v["KR100"] = kr100 = rng.randint(2, 30)
    v["KR110"] = rng.randint(0, kr100 // 3)
    v["KR120"] = rng.randint(kr100 // 3, kr100)
    v["KR130"] = rng.randint(kr100 // 4, kr100 * 3 // 4)
    v["KR150"] = rng.randint(0, kr100 // 4)
    v["KR140"] = kr100 * rng.randint(6, 12)
    v["KR200"] = kr200 = rng.randint(5, 120)
    v["KR210"] = rng.randint(0, kr200 // 2)
    v["KR220"] = rng.randint(kr200 // 4, kr200 * 3 // 4)
    v["KR240"] = rng.randint(0, kr200 // 3)
    v["KR230"] = kr200 * rng.randint(1, 3)
    v["KR300"] = rng.randint(20, 900)
    v["KJ120"] = kj120 = rng.randint(5, 200)
    v["KJ121"] = rng.randint(0, kj120)
    v["KJ130"] = rng.randint(0, 10)
    v["KJ140"] = rng.randint(0, 40)
    v["KJ150"] = rng.randint(0, 5)
    v["KJ100"] = kj100 = v["KJ120"] + v["KJ130"] + v["KJ140"] + v["KJ150"]
    v["KJ210"], v["KJ230"], v["KJ240"] = kj100 * 6 // 10, kj100 * 2 // 10, kj100 // 10
    v["KJ220"] = rng.randint(0, kj100 // 10) if venue else 0
    v["KJ200"] = v["KJ210"] + v["KJ220"] + v["KJ230"] + v["KJ240"]
    if venue:
        v["KC100"], v["KC110"] = 1, rng.randint(2000, 30000)
        v["KC120"], v["KC130"] = v["KC110"] * 6 // 10, rng.randint(20000, 900000)
    v["KM110"] = rng.randint(0, 4)
    v["KM120"] = v["KM110"] * rng.randint(1000, 5000)
    v["KM810"] = rng.randint(0, 3)
    v["KM820"] = rng.randint(200, 20000)
    v["KH110"] = rng.randint(2, 60)
    v["KH111"] = v["KH110"] * rng.randint(30, 200)
    v["KH120"] = rng.randint(0, 10)
    v["KH121"] = v["KH120"] * rng.randint(100, 1000)
    v["KH130"] = rng.randint(0, 5)
    v["KH131"] = v["KH130"] * rng.randint(20, 300)
    v["KH140"] = rng.randint(1, 8)
    v["KH141"] = v["KH140"] * rng.randint(50, 500)
    v["KH170"] = rng.randint(0, 2)
    return {code: str(n) for code, n in v.items()}


def _round(year: int, title: str, dates: dict, actor) -> SurveyRound:
    survey = rounds.create_round(
        actor=None, region=Region.objects.get(code="51"), data_set=load_data_set(year),
        year=year, title=title, **dates,
    )  # fmt: skip
    survey.created_by = actor
    survey.save(update_fields=["created_by"])
    return survey


def _assign(survey: SurveyRound, actor) -> list[Return]:
    for code in CITIES:
        assignment.assign_units(survey, Region.objects.get(code=code), TYPES, actor=actor)
    return list(
        Return.objects.filter(round=survey)
        .select_related("round", "region", "organization")
        .order_by("region__code", "organization__name")
    )


def _unit_values(ret: Return) -> dict[str, str]:
    return values(random.Random(SEED * 100003 + ret.organization_id), venue=ret.is_venue)


def _fill(ret, checker, raw, when, *, submit=True):
    with clock.frozen(when):
        returns.save_values(ret, raw, actor=None, checker=checker)
        if submit:
            returns.submit(ret, actor=None)


def _approve_all(survey: SurveyRound, rets: list[Return], day: datetime.date, officers):
    counties = sorted({r.region for r in rets if r.region.level == 3}, key=lambda r: r.code)
    with clock.frozen(_at(day)):
        for county in counties:
            approvals.approve(survey, county, actor=officers.get(county.code))
    with clock.frozen(_at(day + datetime.timedelta(days=7))):
        for code in CITIES:
            approvals.approve(survey, Region.objects.get(code=code), actor=officers.get(code))
    with clock.frozen(_at(day + datetime.timedelta(days=14))):
        approvals.approve(survey, Region.objects.get(code="51"), actor=officers.get("51"))


def _last_year(officers) -> int:
    province = officers.get("51")
    with clock.frozen(_at(datetime.date(2026, 1, 10))):
        survey = _round(LAST, f"{LAST}年度四川省科普统计调查", {
            "opens_on": datetime.date(2026, 1, 15), "units_due": datetime.date(2026, 3, 31),
            "county_due": datetime.date(2026, 4, 15), "city_due": datetime.date(2026, 4, 30),
            "province_due": datetime.date(2026, 5, 15),
        }, province)  # fmt: skip
        rets = _assign(survey, province)
        survey = rounds.open_round(survey, actor=province)
    checker = Checker(survey.data_set)
    for i, ret in enumerate(rets):
        _fill(ret, checker, _unit_values(ret), _at(datetime.date(2026, 3, 1 + i % 28)))
    with clock.frozen(_at(datetime.date(2026, 4, 3))):
        for ret in rets:
            returns.accept(ret, actor=officers.get(ret.region.code))
    _approve_all(survey, rets, datetime.date(2026, 4, 10), officers)
    with clock.frozen(_at(datetime.date(2026, 5, 20))):
        rounds.close_round(survey, actor=province)
    return len(rets)


def _this_year(officers) -> dict:
    """In progress: the units' deadline passed a week ago; counties are reviewing."""
    today = clock.today()
    day = datetime.timedelta(days=1)
    province = officers.get("51")
    with clock.frozen(_at(today - 60 * day)):
        survey = _round(THIS, f"{THIS}年度四川省科普统计调查", {
            "opens_on": today - 55 * day, "units_due": today - 7 * day,
            "county_due": today + 10 * day, "city_due": today + 20 * day,
            "province_due": today + 35 * day,
        }, province)  # fmt: skip
        rets = _assign(survey, province)
        survey = rounds.open_round(survey, actor=province)
    checker = Checker(survey.data_set)
    counts = dict.fromkeys(("not started", "errors", "submitted", "accepted", "returned"), 0)
    returned = late = None
    position: dict[int, int] = {}
    for i, ret in enumerate(rets):
        raw = _unit_values(ret)
        when = _at(today - (8 + i % 30) * day)
        # Each county's units in turn: so that every county has some of each.
        n = position[ret.region_id] = position.get(ret.region_id, -1) + 1
        step = PATTERN[n % len(PATTERN)]
        if step == "new":
            counts["not started"] += 1
            if late is None and ret.region.code == "510703":
                late = ret
        elif step == "errors":  # funding sources do not add up: an error blocks submitting
            _fill(ret, checker, {**raw, "KJ100": str(int(raw["KJ100"]) + 3)}, when, submit=False)
            counts["errors"] += 1
        elif step == "submitted":
            _fill(ret, checker, raw, when)
            counts["submitted"] += 1
        else:
            _fill(ret, checker, raw, when)
            with clock.frozen(when + 2 * day):
                returns.accept(ret, actor=officers.get(ret.region.code))
            counts["accepted"] += 1
            if returned is None and ret.region.code == "510104":
                returned = ret
    # 涪城区 lets one unit file after the deadline (its return is submitted late).
    if late is not None:
        with clock.frozen(_at(today - 2 * day)):
            rounds.grant_exception(
                survey, actor=officers.get("510703"), until=today + 5 * day,
                reason="单位财务人员调整，准予延期报送", ret=late,
            )  # fmt: skip
        _fill(late, checker, _unit_values(late), _at(today - 1 * day))
        counts["not started"] -= 1
        counts["submitted"] += 1
    # 锦江区 returns one accepted return with a reason, and lets it be corrected late.
    if returned is not None:
        with clock.frozen(_at(today - 3 * day)):
            returns.send_back(returned, actor=officers.get("510104"), reason=RETURNED_REASON)
            rounds.grant_exception(
                survey, actor=officers.get("510104"), until=today + 7 * day,
                reason="退回更正，延期至更正完成", ret=returned,
            )  # fmt: skip
        counts["accepted"] -= 1
        counts["returned"] += 1
    return counts


@transaction.atomic
def load_demo(size: int | None = None) -> dict:
    """Load the two rounds once; {} when they are there already."""
    province = Region.objects.get(code="51")
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    officers = {
        "51": users.get("demo-province"),
        "5101": users.get("demo-city"),
        "510104": users.get("demo-county-a"),
        "510703": users.get("demo-county-b"),
    }
    result = {}
    if not SurveyRound.objects.filter(region=province, year=LAST).exists():
        result["last year's returns, approved"] = _last_year(officers)
    if not SurveyRound.objects.filter(region=province, year=THIS).exists():
        result.update(_this_year(officers))
    return result
