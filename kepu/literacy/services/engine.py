"""The adapter between the database and the estimation engine (`kepu.literacy.estimation`,
pure numpy): it reads a round's responses, strata, contacts and census margins into
arrays (one `values_list` pass each, no model instances) and calls the engine. Every
call into the engine is in this module, so a change of the engine's names is made here.

Nothing here writes: `services.estimation` writes what this computes, in one
transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count
from django.utils.translation import gettext as _

from kepu.literacy import choices as c
from kepu.literacy.estimation import design as e_design
from kepu.literacy.estimation import replicate as e_replicate
from kepu.literacy.estimation import taylor as e_taylor
from kepu.literacy.estimation import weights as e_weights
from kepu.literacy.estimation.errors import EstimationError
from kepu.literacy.models import Contact, PopulationMargin, Response, Stratum

GROUP_VARS = (
    c.GroupVar.SEX, c.GroupVar.AGE, c.GroupVar.EDUCATION, c.GroupVar.AREA,
    c.GroupVar.OCCUPATION, c.GroupVar.KEY_GROUP,
)  # fmt: skip
GROUP_CHOICES = {
    c.GroupVar.SEX: c.Sex, c.GroupVar.AGE: c.AgeBand, c.GroupVar.EDUCATION: c.Education,
    c.GroupVar.AREA: c.AreaType, c.GroupVar.OCCUPATION: c.Occupation,
    c.GroupVar.KEY_GROUP: c.KeyGroup,
}  # fmt: skip
MARGIN_VARS = tuple(c.MarginVar.values)
KEPT = (c.Quality.VALID, c.Quality.FLAGGED)
NONRESPONSE = (Contact.Outcome.REFUSAL, Contact.Outcome.NONCONTACT, Contact.Outcome.PARTIAL)
SENIOR_OR_MORE = ("senior", "college", "bachelor")


@dataclass
class Sample:
    """The kept responses of a round as arrays (n = respondents)."""

    pk: np.ndarray
    stratum: np.ndarray  # Stratum pk
    psu: np.ndarray  # SamplePoint pk (a respondent without a point is its own PSU)
    county: np.ndarray  # Region pk of the county
    city: np.ndarray  # Region pk of the county's city
    groups: dict  # group var -> (n,) object array of the category
    total: np.ndarray  # score (nan for an unscored questionnaire)
    literate: np.ndarray  # 0/1
    answers: list  # the answers dicts
    forms: np.ndarray  # Form pk
    tiers: np.ndarray = None  # tier code of each respondent
    counties: dict = field(default_factory=dict)  # county pk -> city pk

    @property
    def n(self) -> int:
        return int(self.pk.size)


def load_sample(rnd) -> Sample:
    """One pass over the round's valid and flagged-but-kept responses."""
    from kepu.core.models import Region

    fields = ("pk", "stratum_id", "point_id", "region_id", *GROUP_VARS, "total", "literate",
              "answers", "form_id", "tier")  # fmt: skip
    rows = list(
        Response.objects.filter(round=rnd, quality__in=KEPT).order_by("pk").values_list(*fields)
    )
    if not rows:
        raise EstimationError("weights_input", detail="no kept responses")
    cols = list(zip(*rows, strict=True))
    county = np.array(cols[3], dtype=np.int64)
    parents = dict(Region.objects.filter(pk__in=set(cols[3])).values_list("pk", "parent_id"))
    city = np.array([parents.get(k) or k for k in cols[3]], dtype=np.int64)
    pk = np.array(cols[0], dtype=np.int64)
    point = np.array([p if p is not None else -1 for p in cols[2]], dtype=np.int64)
    # A response without a sample point (an open link) is a PSU of its own.
    point = np.where(point < 0, -pk, point)
    stratum = np.array([s if s is not None else 0 for s in cols[1]], dtype=np.int64)
    groups = {g: np.array(cols[4 + k], dtype=object) for k, g in enumerate(GROUP_VARS)}
    base = 4 + len(GROUP_VARS)
    total = np.array([float(t) if t is not None else np.nan for t in cols[base]])
    literate = np.array([1.0 if v else 0.0 for v in cols[base + 1]])
    return Sample(
        pk=pk, stratum=stratum, psu=point, county=county, city=city, groups=groups,
        total=total, literate=literate, answers=list(cols[base + 2]),
        forms=np.array(cols[base + 3], dtype=np.int64),
        tiers=np.array(cols[base + 4], dtype=object),
        counties={int(k): int(parents.get(k) or k) for k in set(cols[3])},
    )  # fmt: skip


def strata_populations(rnd) -> dict[int, int]:
    return dict(Stratum.objects.filter(round=rnd).values_list("pk", "population"))


def nonrespondents(rnd) -> dict[int, int]:
    """{stratum pk: eligible non-respondents recorded by the interviewers}."""
    rows = (
        Contact.objects.filter(round=rnd, outcome__in=NONRESPONSE)
        .values_list("point__stratum_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def margins(region_ids, year) -> dict[int, dict[str, dict[str, int]]]:
    """{region pk: {variable: {category: population}}} of the census `year`."""
    out: dict = defaultdict(lambda: defaultdict(dict))
    rows = PopulationMargin.objects.filter(region__in=list(region_ids), year=year)
    for region_id, var, cat, n in rows.values_list("region_id", "variable", "category",
                                                   "population"):  # fmt: skip
        out[region_id][var][cat] = n
    return out


def census_year(region_ids) -> int | None:
    years = (
        PopulationMargin.objects.filter(region__in=list(region_ids))
        .order_by("-year")
        .values_list("year", flat=True)[:1]
    )
    return years[0] if years else None


# --- the engine ----------------------------------------------------------------------


def design_weights(sample: Sample, populations: dict[int, int]):
    return e_weights.design_weights(sample.stratum, populations)


def nonresponse_adjust(sample: Sample, weights, missing: dict[int, int]):
    """The weighting-class adjustment within strata: each stratum's eligible
    non-respondents (recorded contacts) carry its mean design weight; the respondents
    then carry their stratum's whole weight. Returns the adjusted weights."""
    strata = [h for h, k in missing.items() if k > 0]
    if not strata:
        return weights
    mean = {h: weights[sample.stratum == h].mean() for h in strata if (sample.stratum == h).any()}
    extra_codes = np.repeat(np.array(list(mean), dtype=np.int64),
                            [missing[h] for h in mean])  # fmt: skip
    extra_w = np.array([mean[h] for h in extra_codes])
    codes = np.concatenate([sample.stratum, extra_codes])
    w = np.concatenate([weights, extra_w])
    responded = np.concatenate([np.ones(sample.n, bool), np.zeros(extra_codes.size, bool)])
    adjusted = e_weights.nonresponse_adjust(w, codes, responded)
    # The respondents keep their own stratum's population: rescale to the design total.
    return adjusted[: sample.n]


def rake(weights, margin_columns: dict, *, bounds):
    """Rake to {name: (codes, targets)}; returns the engine's result."""
    return e_weights.rake(weights, margin_columns, bounds=bounds)


def variance_strata(sample: Sample) -> tuple[np.ndarray, int]:
    """The strata for variance estimation, and how many were collapsed. A stratum with
    one sample point has no within-stratum variance; the usual remedy (collapsed strata,
    Wolter, *Introduction to Variance Estimation*, §2.5) pools such strata: first with
    the other single-point strata of the same city, then whatever still has one point
    with every other such group of the round (a single point left over joins the
    variance stratum with the most points). Weights and point estimates keep the real
    strata; only the variances use the pooled ones (slightly conservative)."""
    strata = sample.stratum
    pairs = np.unique(np.stack([strata, sample.psu]), axis=1)
    codes, psus = np.unique(pairs[0], return_counts=True)
    single = codes[psus < 2]
    if not single.size:
        return strata, 0
    out = strata.copy()
    pooled = np.isin(strata, single)
    # Stratum pks are positive: a pooled group is the city's pk, negated.
    out[pooled] = -sample.city[pooled]
    pairs = np.unique(np.stack([out[pooled], sample.psu[pooled]]), axis=1)
    groups, psus = np.unique(pairs[0], return_counts=True)
    alone = np.isin(out, groups[psus < 2]) & pooled
    out[alone] = -(10**15)  # one pool for the round
    if np.unique(sample.psu[alone]).size == 1:
        # One point left over: it joins the variance stratum with the most points.
        pairs = np.unique(np.stack([out[~alone], sample.psu[~alone]]), axis=1)
        groups, psus = np.unique(pairs[0], return_counts=True)
        if groups.size:
            out[alone] = groups[np.argmax(psus)]
    return out, int(single.size)


def design(sample: Sample):
    strata, _collapsed = variance_strata(sample)
    return e_design.Design(strata, sample.psu, single_psu=e_design.SINGLE_PSU_SKIP)


def domains(dsn, codes: dict):
    return e_design.Domains(dsn, codes)


def estimates(dsn, doms, weights, y, *, proportion, factors) -> dict[str, object]:
    """{method: DomainEstimates} by Taylor linearization and by each replicate method."""
    sums = doms.sums(weights, y)
    out = {c.Method.TAYLOR: e_taylor.from_sums(sums, proportion=proportion)}
    for method, f in factors.items():
        out[method] = e_replicate.from_sums(sums, f, proportion=proportion, df=dsn.df)
    return out


def replicate_factors(dsn, *, replicates: int, seed: int) -> dict:
    return {
        c.Method.JACKKNIFE: e_replicate.jackknife(dsn),
        c.Method.BOOTSTRAP: e_replicate.bootstrap(dsn, replicates, seed=seed),
    }


def fay_herriot(direct, variance, covariates, others):
    """The area-level model fitted on the areas with a usable direct estimate: (the
    fit, the EBLUP and MSE of those areas, the synthetic estimate and MSE of `others`,
    the areas without one)."""
    from kepu.literacy.estimation import sae

    fit = sae.fay_herriot(direct, variance, covariates)
    synthetic = fit.predict(others) if len(others) else (np.array([]), np.array([]))
    return fit, synthetic


def choose(direct_cv, threshold: float):
    """Per area: publish the model-based estimate (True) or the direct one."""
    from kepu.literacy.estimation import sae

    return sae.choose(direct_cv, threshold).use_model


def item_statistics(items, answers, ids) -> list[dict]:
    """Classical statistics of the items of one form, one dict per item: `n`, `p_value`
    (share correct), `discrimination` (corrected point-biserial), `options` (share
    marking each option, and "-" leaving it blank) and `alpha_if_deleted` (Cronbach's α
    without it). `items`: [(kind, key text, option keys, points)] in form order;
    `answers`: the respondents' answers dicts ({item id text: answer}); `ids`: the item
    id texts, in `items`' order. The engine works on option bitmasks (option k sets bit
    k); each distinct answer text of an item is normalized and coded once."""
    from kepu.literacy.estimation import scoring
    from kepu.literacy.scoring import normalize

    kinds = {c.ItemKind.SINGLE: scoring.SINGLE, c.ItemKind.TRUE_FALSE: scoring.TRUE_FALSE,
             c.ItemKind.MULTIPLE: scoring.MULTIPLE}  # fmt: skip
    bits = [{opt: 1 << k for k, opt in enumerate(options)} for _k, _key, options, _p in items]
    matrix = np.zeros((len(answers), len(items)), dtype=np.int64)
    table = [list(map(a.get, ids)) for a in answers]  # None where unanswered
    for j, column in enumerate(zip(*table, strict=True) if table else ()):
        kind = items[j][0]
        try:
            distinct = set(column)
        except TypeError:  # an answer that is not text (a list): coded as its text
            column = tuple(v if v is None or isinstance(v, str) else str(v) for v in column)
            distinct = set(column)
        codes = {v: sum(bits[j].get(ch, 0) for ch in normalize(kind, v)) for v in distinct}
        matrix[:, j] = list(map(codes.__getitem__, column))
    form = scoring.Form(
        keys=np.array([sum(bits[j].get(ch, 0) for ch in key) or 1
                       for j, (_k, key, _o, _p) in enumerate(items)]),
        points=np.array([float(p) for *_x, p in items]),
        dimension=np.zeros(len(items), dtype=np.int64), dimensions=("all",),
        kind=np.array([kinds.get(k, scoring.SINGLE) for k, *_x in items]),
        options=np.array([max(len(o), 1) for _k, _key, o, _p in items]),
        thresholds=(), literate_tier=0,
    )  # fmt: skip
    stats = scoring.item_statistics(matrix, form)
    out = []
    for j, (_k, _key, options, _p) in enumerate(items):
        shares = {opt: round(float(stats.option_share[j, b]), 4)
                  for b, opt in enumerate(options) if b < stats.option_share.shape[1]}  # fmt: skip
        shares["-"] = round(float(stats.blank_share[j]), 4)
        out.append({
            "n": int(stats.n), "p_value": _finite(stats.difficulty[j]),
            "discrimination": _finite(stats.discrimination[j]), "options": shares,
            "alpha_if_deleted": _finite(stats.alpha_if_deleted[j]),
        })  # fmt: skip
    return out


def _finite(value):
    value = float(value)
    return value if np.isfinite(value) else None


def translated(error: EstimationError) -> str:
    return error.translated(_)
