"""Science-literacy monitoring at benchmark scale (see `kepu.core.dataset`).

At province scale:
- the 7th census margins of the province, its cities and counties (the demo's, one
  bulk insert) and the demo item bank of the province, inserted as approved;
- this year's province round (every county × urban/rural, the allocation designed for
  the sample, about 8,000 sample points, two parallel forms), built, allocated and
  assembled through the rounds services, fielded, closed, estimated through
  `services.estimation` and published, so the public results have data;
- its 200,000 responses (city scale 10 %, county scale 1 %, at least 4 per stratum),
  written by COPY: the respondents' demographics and abilities from `synthetic.py`
  (the census cells tilted by response propensities, a three-parameter item model
  whose literate share is solved to `RATE`), answers to every item of the respondent's
  form, paradata (seconds per item adding up to the time taken), scores by `scoring`'s
  vectorized path, and the quality flags the round's rules set (a few speeders and
  straight-liners are planted); each stratum and point stays within its allocation
  (one respondent in ten came by the round's own link rather than a point's QR code);
- a second round of the year in the field, without responses (the officers' pages).

The small structural steps go through the services (a dozen audit entries); the
responses, the bulk of the rows, are written directly in the state `bulk_responses`
would leave them in."""

from __future__ import annotations

import datetime
import hashlib
import math

import numpy as np

from kepu.core import clock
from kepu.core.dataset import Dataset
from kepu.literacy import choices as c
from kepu.literacy import scoring, synthetic
from kepu.literacy.models import (
    Dimension,
    Instrument,
    Item,
    Response,
    SamplePoint,
    Stratum,
    SurveyRound,
)

RESPONSES = 200_000
RATE = 0.14  # the province's literate share the synthetic abilities are solved to
SPEEDERS = 0.02
STRAIGHT_LINERS = 0.005
NATIONAL = "national-2024"
CONSENT = (
    "本调查由四川省科学技术协会组织，匿名进行，不收集姓名、身份证号和手机号；"
    "结果仅用于统计分析。完成问卷约需 20 分钟，您可以随时退出。"
)
# synthetic.py's codes → the model's choices.
SEX = ("m", "f")
AGE = ("18-29", "30-39", "40-49", "50-59", "60-69")
EDUCATION = ("primary", "junior", "senior", "college", "bachelor")
AREA = ("urban", "rural")
OCCUPATION = ("farmer", "worker", "professional", "public", "service", "student", "retired",
              "other")  # fmt: skip
KEY_GROUP = ("", "youth", "farmers", "workers", "elderly", "cadres")
AGENTS = ("WeChat", "Android", "iPhone")


def responses_for(ds: Dataset, strata: int) -> int:
    return max(round(RESPONSES * ds.factor), 4 * strata)


def target_moe(ds: Dataset) -> str:
    """A margin of error whose designed sample (p 0.13, deff 1.5, response rate 0.8) is
    just above the responses written at this scale, so that the strata's allocations
    hold them."""
    return f"{0.0019 / math.sqrt(ds.factor):.4f}"


# --- margins and bank -------------------------------------------------------------------


def _margins(ds: Dataset) -> int:
    from kepu.literacy.models import PopulationMargin
    from kepu.literacy.services import margins

    if not PopulationMargin.objects.filter(region=ds.province).exists():
        margins.load_demo_margins(ds.province, actor=None)
    return PopulationMargin.objects.count()


def _bank(ds: Dataset) -> int:
    from kepu.literacy.services.bank import demo_items

    instruments = {i.code: i.pk for i in Instrument.objects.all()}
    dimensions = {(d.instrument_id, d.code): d.pk for d in Dimension.objects.all()}
    have = set(Item.objects.filter(region=ds.province).values_list("code", flat=True))
    rows = [r for r in demo_items() if r["code"] not in have]
    ids = iter(ds.ids(Item, len(rows)))
    made = ds.now - datetime.timedelta(days=400)
    out = []
    for row in rows:
        instrument = instruments[row["instrument"]]
        out.append({
            "id": next(ids), "region_id": ds.province.pk, "code": row["code"],
            "instrument_id": instrument,
            "dimension_id": dimensions[(instrument, row["dimension"])],
            "sub_dimension": row.get("sub_dimension", ""), "kind": row["kind"],
            "stem": row["stem"], "options": row.get("options") or [],
            "key": row.get("key") or [], "explanation": row.get("explanation", ""),
            "difficulty": row.get("difficulty", c.Difficulty.MEDIUM),
            "source": row.get("source", ""), "status": c.ItemStatus.APPROVED,
            "created_at": made, "changed_at": made,
        })  # fmt: skip
    ds.insert(Item, out)
    ds.move_sequences(Item)
    return len(out)


# --- rounds -----------------------------------------------------------------------------


def _round(ds: Dataset, *, name, opens_at, closes_at, moe) -> SurveyRound:
    from kepu.literacy.services import rounds

    rnd = rounds.create_round(
        ds.province, actor=None, name=name, kind=c.RoundKind.LITERACY, year=ds.today.year,
        instrument=Instrument.objects.get(code=NATIONAL), opens_at=opens_at,
        closes_at=closes_at, consent_text=CONSENT, target_moe=moe, min_per_stratum=2,
        replicates=100,
    )  # fmt: skip
    rounds.build_frame(rnd, actor=None)
    rounds.allocate_sample(rnd, actor=None)
    rounds.assemble_forms(rnd, actor=None)
    return rnd


class _Gen:
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.round: SurveyRound | None = None

    def rounds(self) -> int:
        from kepu.literacy.services import rounds

        ds = self.ds
        opens, closes = ds.now - datetime.timedelta(days=60), ds.now - datetime.timedelta(days=12)
        self.round = _round(
            ds, name=f"四川省公民科学素质抽样调查（{ds.today.year}年）", opens_at=opens,
            closes_at=closes, moe=target_moe(ds),
        )  # fmt: skip
        with clock.frozen(opens + datetime.timedelta(hours=1)):
            rounds.open_round(self.round, actor=None)
        live = _round(
            ds, name=f"四川省公民科学素质抽样调查（{ds.today.year}年第二批）",
            opens_at=ds.now - datetime.timedelta(days=1),
            closes_at=ds.now + datetime.timedelta(days=45), moe="0.0100",
        )  # fmt: skip
        rounds.open_round(live, actor=None)
        return (
            Stratum.objects.filter(round__in=(self.round, live)).count()
            + SamplePoint.objects.filter(round__in=(self.round, live)).count()
        )

    def responses(self) -> int:
        from kepu.literacy.services import fielding, rounds

        rnd = SurveyRound.objects.select_related("instrument").get(pk=self.round.pk)
        written = write_responses(self.ds, rnd)
        fielding._recount(rnd)
        with clock.frozen(rnd.closes_at):
            rounds.close_round(rnd, actor=None)
        return written

    def estimate(self) -> int:
        from kepu.literacy.services import estimation

        run = estimation.estimate_round(self.round, actor=None)
        estimation.publish_round(self.round, actor=None)
        return run.estimates.count()


# --- responses --------------------------------------------------------------------------


def _counts(allocated: np.ndarray, n: int) -> np.ndarray:
    """Responses per stratum: the allocation, less the excess over `n` taken from the
    strata above 10 in proportion (so none exceeds its allocation or falls below 2)."""
    out = allocated.astype(np.int64).copy()
    excess = int(out.sum()) - n
    if excess <= 0:
        return out
    big = out > 10
    share = np.zeros(out.size)
    share[big] = out[big] / out[big].sum()
    cut = np.floor(share * excess).astype(np.int64)
    left = excess - int(cut.sum())
    order = np.argsort(-(share * excess - cut), kind="stable")
    cut[order[:left]] += 1
    return out - np.minimum(cut, np.maximum(out - 2, 0))


def _slots(form_pk):
    from kepu.literacy.models import Form
    from kepu.literacy.services.fielding import slots_of

    return slots_of(Form.objects.get(pk=form_pk))


def _wrong_options(slot) -> list[str]:
    """Wrong but valid answers of an item (for a multiple choice: the key less one
    option, the key plus one, one option alone)."""
    if slot.kind == c.ItemKind.MULTIPLE:
        extra = [o for o in slot.options if o not in slot.key]
        wrong = {slot.key[1:], slot.key + extra[0] if extra else "", slot.key[-1]}
        out = sorted(scoring.normalize(slot.kind, w) for w in wrong if w)
        return [w for w in out if w != slot.key] or [slot.options[0]]
    return [o for o in slot.options if o != slot.key] or list(slot.options[:1])


def _abilities(ds: Dataset, counties: list, n_h: np.ndarray):
    """(sex, age, education, occupation, key group, θ) per respondent, stratum by
    stratum in synthetic order (county·2 + rural), by `synthetic.py`'s model."""
    rng = np.random.default_rng(ds.seed)
    cities = len({county.parent_id for county in counties})
    pop = synthetic.population(cities, len(counties), ds.seed)
    form, a, b, cc = synthetic.form_2024()
    county_effect = rng.normal(0, synthetic.COUNTY_SD, len(counties))
    mu = synthetic._solve_mu(pop, form, county_effect, a, b, cc, RATE)
    sex, age, education = synthetic._demographics(rng, pop, n_h)
    stratum = np.repeat(np.arange(n_h.size), n_h)
    urban = stratum % 2
    occupation = synthetic._occupation(rng, urban, age, education)
    key_group = synthetic._key_group(occupation, age)
    theta = (
        mu
        + synthetic._cell_effects()[urban, sex, age, education]
        + county_effect[stratum // 2]
        + rng.normal(0, np.hypot(synthetic.PSU_SD, synthetic.NOISE_SD), stratum.size)
    )
    answers = synthetic._answers(rng, form, theta, a, b, cc)
    correct = answers == np.asarray(form.keys, dtype=np.uint8)[None, :]
    return rng, sex, age, education, occupation, key_group, correct, answers


def write_responses(ds: Dataset, rnd: SurveyRound) -> int:
    """The round's responses (see the module docstring), by COPY."""
    from kepu.literacy.services.fielding import scheme_of

    strata = list(Stratum.objects.filter(round=rnd).select_related("region"))
    counties = sorted({s.region for s in strata}, key=lambda r: r.path)
    index = {(s.region_id, s.area): s for s in strata}
    ordered = [index.get((county.pk, area)) for county in counties for area in AREA]
    allocated = np.array([s.allocated if s else 0 for s in ordered], dtype=np.int64)
    n_h = _counts(allocated, min(responses_for(ds, len(strata)), int(allocated.sum())))
    rng, sex, age, edu, occ, group, correct, raw = _abilities(ds, counties, n_h)
    n = int(n_h.sum())
    forms = list(rnd.forms.order_by("label").values_list("pk", flat=True))
    slots = {pk: _slots(pk) for pk in forms}
    k = len(slots[forms[0]])
    if correct.shape[1] != k:
        raise ValueError(f"the forms have {k} items, the synthetic model 50")
    form_of = np.arange(n) % len(forms)
    # Answers: the key when right, else a wrong option chosen by the model's wrong pick.
    letters = np.empty((n, k), dtype=object)
    for f, pk in enumerate(forms):
        rows = form_of == f
        for j, slot in enumerate(slots[pk]):
            wrong = np.array(_wrong_options(slot), dtype=object)
            letters[rows, j] = np.where(
                correct[rows, j], slot.key, wrong[raw[rows, j] % len(wrong)]
            )
    liners = rng.random(n) < STRAIGHT_LINERS
    for f, pk in enumerate(forms):
        choice = [j for j, s in enumerate(slots[pk]) if s.kind != c.ItemKind.TRUE_FALSE]
        rows = np.flatnonzero(liners & (form_of == f))
        letters[np.ix_(rows, choice)] = "A"
    # Paradata: 25–60 s per item, a few speeders at 1 s.
    seconds = rng.integers(25, 61, n) * k
    seconds = np.where(rng.random(n) < SPEEDERS, k, seconds)
    per_item = rng.dirichlet(np.ones(k), size=n) * seconds[:, None]
    scheme = scheme_of(rnd.instrument_id)
    scores = {}
    for f, pk in enumerate(forms):
        rows = np.flatnonzero(form_of == f)
        keys = np.array([s.key for s in slots[pk]], dtype=object)
        scores[f] = (rows, scoring.score_matrix(scheme, slots[pk], letters[rows] == keys))
    dim_cents = np.zeros((n, len(scheme.dimensions)), dtype=np.int64)
    tiers = np.empty(n, dtype=object)
    literate = np.zeros(n, dtype=bool)
    for rows, (dims, _totals, tier, lit) in scores.values():
        dim_cents[rows], tiers[rows], literate[rows] = dims, tier, lit
    flags = quality_flags(rnd, slots, forms, form_of, letters, seconds)
    # Places: the strata in synthetic order; points round-robin within their quotas.
    points = {}
    for pk, stratum_id in (
        SamplePoint.objects.filter(round=rnd).order_by("code").values_list("pk", "stratum_id")
    ):
        points.setdefault(stratum_id, []).append(pk)
    stratum_of = np.repeat(np.arange(n_h.size), n_h)
    within = np.arange(n) - np.repeat(np.cumsum(n_h) - n_h, n_h)
    opens, closes = rnd.opens_at, rnd.closes_at
    span = (closes - opens).total_seconds() - 2 * 3600
    submitted = np.sort(rng.random(n)) * span + 3600
    order = rng.permutation(n)  # submission times across the whole province
    ids = iter(ds.ids(Response, n))
    rule_excludes = bool((rnd.quality or {}).get("exclude"))

    def rows():
        for i in range(n):
            stratum = ordered[stratum_of[i]]
            mine = points[stratum.pk]
            # Every tenth respondent came by the round's own link (no sample point: a
            # PSU of its own), and the last of a stratum with one point, so that every
            # stratum has two PSUs at the smallest scales.
            linked = within[i] % 10 == 9 or (len(mine) == 1 and within[i] == n_h[stratum_of[i]] - 1)
            point = None if linked else mine[within[i] % len(mine)]
            f = form_of[i]
            slots_f = slots[forms[f]]
            at = opens + datetime.timedelta(seconds=float(submitted[order[i]]))
            took = int(seconds[i])
            flag = flags[i]
            quality = (
                c.Quality.VALID if not flag
                else c.Quality.EXCLUDED if rule_excludes else c.Quality.FLAGGED
            )  # fmt: skip
            cents = dim_cents[i]
            total = int(cents.sum())
            yield {
                "id": next(ids), "round_id": rnd.pk, "form_id": forms[f],
                "stratum_id": stratum.pk, "point_id": point,
                "region_id": stratum.region_id, "mode": c.Mode.SELF,
                "device": hashlib.sha256(f"ds-{rnd.pk}-{i}".encode()).hexdigest()[:32],
                "idem": f"ds-{rnd.pk}-{i}", "user_agent": AGENTS[i % 3],
                "started_at": at - datetime.timedelta(seconds=took), "submitted_at": at,
                "seconds": took, "order_seed": (i * 2654435761) % 2**31,
                "answers": {str(s.item): letters[i, j] for j, s in enumerate(slots_f)},
                "item_seconds": {
                    str(s.item): int(per_item[i, j]) for j, s in enumerate(slots_f)
                },
                "consent_at": at - datetime.timedelta(seconds=took),
                "sex": SEX[sex[i]], "age_band": AGE[age[i]], "education": EDUCATION[edu[i]],
                "area": stratum.area, "occupation": OCCUPATION[occ[i]],
                "key_group": KEY_GROUP[group[i]],
                "total": total / 100 if scheme.scored else None,
                "dimension_scores": {
                    d: int(cents[x]) / 100 for x, d in enumerate(scheme.dimensions)
                },
                "tier": tiers[i] or "", "literate": bool(literate[i]),
                "quality": quality, "flags": flag,
                "excluded_reason": _reason(flag) if quality == c.Quality.EXCLUDED else "",
            }  # fmt: skip

    written = ds.insert(Response, rows())
    ds.move_sequences(Response)
    return written


def _reason(flags) -> str:
    return "、".join(str(c.QualityFlag(f).label) for f in flags)[:200]


def quality_flags(rnd, slots, forms, form_of, letters, seconds) -> list[list[str]]:
    """`fielding.quality_flags` for every row at once: a speeder's mean seconds per item
    are below the round's minimum; a straight-liner gives one option to at least the
    round's share of at least 10 choice items."""
    rules = rnd.quality or {}
    minimum = float(rules.get("min_seconds_per_item", 0))
    share = float(rules.get("straightline_share", 1))
    n = form_of.size
    speeder = np.zeros(n, dtype=bool)
    liner = np.zeros(n, dtype=bool)
    for f, pk in enumerate(forms):
        rows = np.flatnonzero(form_of == f)
        k = len(slots[pk])
        speeder[rows] = seconds[rows] / k < minimum
        choice = [j for j, s in enumerate(slots[pk]) if s.kind != c.ItemKind.TRUE_FALSE]
        if len(choice) < 10:
            continue
        block = letters[np.ix_(rows, choice)]
        top = np.zeros(rows.size, dtype=np.int64)
        for value in set(block.ravel().tolist()):
            top = np.maximum(top, (block == value).sum(axis=1))
        liner[rows] = top / len(choice) >= share
    out = []
    for s, line in zip(speeder.tolist(), liner.tolist(), strict=True):
        out.append([f for f, on in ((c.QualityFlag.SPEEDER.value, s),
                                    (c.QualityFlag.STRAIGHT_LINE.value, line)) if on])  # fmt: skip
    return out


def generate(ds: Dataset) -> None:
    gen = _Gen(ds)
    ds.step("literacy margins", lambda: _margins(ds))
    ds.step("literacy bank", lambda: _bank(ds))
    ds.step("literacy rounds and points", gen.rounds)
    ds.step("literacy responses", gen.responses)
    ds.step("literacy estimation", gen.estimate)
    ds.move_sequences(Response, Item)
