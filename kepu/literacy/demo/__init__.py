"""Demo data of science-literacy monitoring (found by `manage.py load_demo`), through the
services: Sichuan's census margins and item bank, one Sichuan round of the current year
built, allocated, assembled, fielded (about 30,000 synthetic respondents at full size, a
few hundred at the journeys' size), closed, estimated and published; an open round for
the journey; the 成都市 index of its counties (Qingyuan is in Guangdong, which the demo
does not load: the index is built for a Sichuan city instead); and a provincial plan
target "公民具备科学素质的比例 ≥ 15%" measured live from the published estimate."""

from __future__ import annotations

import datetime

import numpy as np
from django.db import transaction

from kepu.core import clock
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy.models import FormItem, Instrument, SurveyRound

FULL = 30_000
SEED = 2026
# The published group pattern (2023 national release: 本科+ 43.99, 专科 25.17, 高中 17.68,
# 初中 7.8, 小学 2.91; urban 17.25 / rural 9.16; male 15.66 / female 12.53), in shares.
EDU_RATE = {"bachelor": 0.44, "college": 0.25, "senior": 0.177, "junior": 0.078, "primary": 0.029}
EDU_SHARE = {
    "urban": {"primary": 0.18, "junior": 0.33, "senior": 0.2, "college": 0.15, "bachelor": 0.14},
    "rural": {"primary": 0.38, "junior": 0.42, "senior": 0.12, "college": 0.05, "bachelor": 0.03},
}
# Sichuan is below the national rate (a western province: 2023 west 11.51 % against 14.14 %).
SCALE = 0.55
AREA_FACTOR = {"urban": 1.15, "rural": 0.85}
SEX_FACTOR = {"m": 1.1, "f": 0.9}
AGE_FACTOR = {"18-29": 1.5, "30-39": 1.2, "40-49": 0.9, "50-59": 0.7, "60-69": 0.5}
CONSENT = (
    "本调查由四川省科学技术协会组织，匿名进行，不收集姓名、身份证号和手机号；"
    "结果仅用于统计分析。完成问卷约需 20 分钟，您可以随时退出。"
)


def _services():
    """The bank's, rounds' and fielding services (the other areas of the app)."""
    from kepu.literacy.services import bank, fielding, margins, rounds

    return bank, fielding, margins, rounds


def respondents(rnd, n: int, *, seed: int = SEED) -> list[dict]:
    """`n` synthetic respondents spread over the round's sample points (by their
    quotas), whose chance of scoring as literate follows the published pattern; the rows
    `bulk_responses` takes."""
    rng = np.random.default_rng(seed)
    from kepu.literacy.services.margins import margins_of

    points = list(rnd.points.select_related("stratum__region").order_by("pk"))
    quotas = np.array([max(p.quota, 1) for p in points], dtype=float)
    # Two respondents at two different points of every stratum first (so a small demo
    # still covers the frame and has variances), the rest by the points' quotas.
    by_stratum: dict = {}
    for k, point in enumerate(points):
        by_stratum.setdefault(point.stratum_id, []).append(k)
    first = [k for ks in by_stratum.values() for k in (ks * 2)[:2]][:n]
    rest = rng.choice(len(points), size=n - len(first), p=quotas / quotas.sum())
    chosen = np.concatenate([np.array(first, dtype=np.int64), rest])
    forms = list(rnd.forms.order_by("label"))
    slots = {
        f.pk: list(
            FormItem.objects.filter(form=f).order_by("position")
            .values_list("item_id", "item__kind", "item__key", "item__options")
        )
        for f in forms
    }  # fmt: skip
    now = clock.now()
    rows = []
    # Each respondent's sex, age and education follow their county's census margins (a
    # sample that resembles its population, as a well-run fieldwork's does; the raking
    # then corrects what the allocation's minimums and chance leave over).
    shares = {}
    for county in {p.stratum.region for p in points}:
        table = margins_of(county)
        shares[county.pk] = {
            var: (list(table[var]), np.array(list(table[var].values()), dtype=float))
            for var in ("sex", "age_band", "education") if table.get(var)
        }  # fmt: skip

    def draw(county_pk, var, fallback):
        cats, weights = shares[county_pk].get(var, (list(fallback), None))
        return str(rng.choice(cats, p=None if weights is None else weights / weights.sum()))

    for i, k in enumerate(chosen):
        point = points[k]
        area = point.stratum.area
        county_pk = point.stratum.region_id
        edu = draw(county_pk, "education", EDU_SHARE[area])
        sex = draw(county_pk, "sex", ("m", "f"))
        age = draw(county_pk, "age_band", AGE_FACTOR)
        rate = SCALE * EDU_RATE[edu] * AREA_FACTOR[area] * SEX_FACTOR[sex] * AGE_FACTOR[age]
        skilled = rng.random() < min(rate, 0.95)
        form = forms[i % len(forms)]
        # How often this respondent is right: the literate mostly 具备, some 高阶; the
        # others spread over 基本具备 and 较低 (the 2024 release's pyramid, roughly).
        accuracy = rng.uniform(0.73, 0.92) if skilled else rng.uniform(0.36, 0.66)
        answers = {}
        for item, _kind, key, options in slots[form.pk]:
            keys = [o["key"] for o in options] or ["T", "F"]
            right = "".join(sorted(key)) if key else keys[0]
            if rng.random() < accuracy:
                answers[str(item)] = right
            else:
                wrong = [x for x in keys if x != right] or keys
                answers[str(item)] = str(rng.choice(wrong))
        occupation = (
            "student" if age == "18-29" and rng.random() < 0.2
            else "farmer" if area == "rural" and rng.random() < 0.5
            else str(rng.choice(["worker", "service", "professional", "public", "other"]))
        )  # fmt: skip
        key_group = (
            "youth" if age == "18-29" else "farmers" if occupation == "farmer"
            else "elderly" if age == "60-69" else ""
        )  # fmt: skip
        rows.append({
            "form": form.pk, "stratum": point.stratum_id, "point": point.pk,
            "answers": answers, "seconds": 20 * len(answers) + int(rng.integers(0, 300)),
            "submitted_at": now - datetime.timedelta(days=int(rng.integers(11, 40))),
            "idem": f"demo-{rnd.pk}-{i}", "device": "", "mode": c.Mode.INTERVIEWER,
            "sex": sex, "age_band": age, "education": edu, "area": area,
            "occupation": occupation, "key_group": key_group,
        })  # fmt: skip
    return rows


def _round(province, rounds, *, name, opens_at, closes_at, year):
    instrument = Instrument.objects.get(code="national-2024")
    rnd = rounds.create_round(
        province, actor=None, name=name, kind=c.RoundKind.LITERACY, instrument=instrument,
        year=year, opens_at=opens_at, closes_at=closes_at, consent_text=CONSENT,
        target_moe="0.0100", replicates=100,
    )  # fmt: skip
    rounds.build_frame(rnd, actor=None)
    rounds.allocate_sample(rnd, actor=None)
    rounds.assemble_forms(rnd, actor=None)
    return rnd


def _target(province) -> None:
    """A provincial plan's target measured live from the literacy estimate."""
    from kepu.plans import choices as pc
    from kepu.plans.models import Plan
    from kepu.plans.services import targets as plan_targets

    plan = Plan.objects.filter(region=province).order_by("pk").first()
    if plan is None or plan.targets.filter(indicator="literacy.rate").exists():
        return
    plan_targets.create_target(
        plan, actor=None, name="公民具备科学素质的比例", unit="%", region=province,
        source=pc.TargetSource.MEASURED, indicator="literacy.rate",
        # One baseline per plan (issue 26): the plan's own, where it has one.
        baseline_date=plan.baseline_date or datetime.date(2020, 12, 31), baseline_value=10,
        target_value=15, deadline=datetime.date(2025, 12, 31),
    )  # fmt: skip


@transaction.atomic
def load_demo(size: int = 3000) -> dict:
    """All or nothing: a failed step leaves no half-made round for the next run to skip."""
    try:
        bank, fielding, margins, rounds = _services()
    except ImportError:
        # The bank and fielding areas of the app ship the services the demo runs through.
        return {"literacy": "skipped: the item bank and fielding services are not installed"}
    from kepu.literacy.services import estimation
    from kepu.literacy.services import index as index_services

    province = Region.objects.get(code="51")
    if SurveyRound.objects.filter(region=province, name__startswith="四川省公民科学素质").exists():
        return {}
    margins.load_demo_margins(province, actor=None)
    bank.load_demo_bank(province, actor=None)
    now = clock.now()
    year = now.year
    n = FULL if size >= 3000 else max(2000, size)
    done = _round(
        province, rounds, name=f"四川省公民科学素质抽样调查（{year}年）", year=year,
        opens_at=now - datetime.timedelta(days=45), closes_at=now - datetime.timedelta(days=10),
    )  # fmt: skip
    with clock.frozen(now - datetime.timedelta(days=44)):
        rounds.open_round(done, actor=None)
    fielding.bulk_responses(done, respondents(done, n), actor=None)
    with clock.frozen(now - datetime.timedelta(days=10)):
        rounds.close_round(done, actor=None)
    estimation.estimate_round(done, actor=None)
    estimation.publish_round(done, actor=None)
    live = _round(
        province, rounds, name=f"四川省公民科学素质抽样调查（{year}年第二批）", year=year,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    rounds.open_round(live, actor=None)
    chengdu = Region.objects.get(code="5101")
    tree = index_services.create_index(chengdu, actor=None, year=year,
                                       weighting=c.Weighting.ENTROPY)  # fmt: skip
    index_services.compute_index(tree, actor=None)
    index_services.publish_index(tree, actor=None)
    _target(province)
    return {"literacy rounds": 2, "literacy responses": n, "literacy indices": 1}
