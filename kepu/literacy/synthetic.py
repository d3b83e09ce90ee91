"""A seeded synthetic province and literacy survey (numpy only), for the tests, the
benchmark and the demo.

Population: cities (default Sichuan's 21 with their approximate 2020 census population
and urbanization, and their 183 counties), each county's adults aged 18–69 by urban/rural
× sex × age band × education (census-like integer counts: every margin is a sum of the
same cells, so all margins agree on every total). Strata are county × urban/rural.

Sample: `n` respondents allocated to the strata proportionally (with a minimum, through
`estimation.allocate`), `psus_per_stratum` villages/communities per stratum; within a
stratum the respondents' sex × age × education follows the stratum's population tilted by
typical household-survey response propensities (more women and older people, fewer
graduates), so that raking has something to correct. Occupation and key group (纲要's
groups: farmers, industrial workers, the elderly, cadres and civil servants, youth) follow
from age, urban/rural and education.

Answers: a 50-item form of the 2024 structure (knowledge 40, method 20, spirit 20,
application 20 points; 2 points per item; true/false, single- and multiple-choice items),
answered by a three-parameter logistic item model from an ability

    θ = μ + Σ_v k_v·(logit r_v,g − logit r) + county effect + PSU effect + noise,

r_v,g the published 2023 literacy rate of group g of variable v (urban 17.25 / rural 9.16,
male 15.66 / female 12.53, education 43.99 … 2.91, age 25.72 … 4.45; domain.md §6.3,
domain-wave2.md §5; r = 14.14 national) with shrinkage k_v because the published rates
are marginal (education explains much of age and urbanization). μ is solved so that the
population's expected share scoring ≥ 70 equals `rate` exactly (the probability of each
total given θ by convolution over the items, integrated over the normal noise by
Gauss–Hermite quadrature). Group rates follow the published ordering and roughly its
spread; the figures are illustrative, not official.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .estimation import allocation, scoring

SEX = ("男", "女")
SEX_EN = ("male", "female")
AGE_BANDS = ("18–29", "30–39", "40–49", "50–59", "60–69")
EDUCATION = ("小学及以下", "初中", "高中", "专科", "本科及以上")
EDUCATION_EN = ("primary or less", "junior secondary", "senior secondary", "college", "bachelor+")
URBAN = ("城镇", "乡村")
URBAN_EN = ("urban", "rural")
OCCUPATIONS = (
    "农林牧渔业生产人员",
    "生产制造及有关人员",
    "专业技术人员",
    "机关事业单位负责人及公务员",
    "商业、服务业人员",
    "学生",
    "离退休人员",
    "无业及其他",
)
OCCUPATIONS_EN = (
    "farming",
    "manufacturing",
    "professional",
    "cadre or civil servant",
    "commerce and services",
    "student",
    "retired",
    "unemployed or other",
)
KEY_GROUPS = ("其他", "青少年", "农民", "产业工人", "老年人", "领导干部和公务员")
KEY_GROUPS_EN = ("other", "youth", "farmers", "industrial workers", "elderly", "cadres")

# Sichuan's 21 cities: 2020 census residents (10,000s, rounded), urbanization (approx.),
# counties (区、县、县级市). Illustrative inputs of the synthetic province.
SICHUAN = (
    ("成都市", 2094, 0.79, 20),
    ("自贡市", 249, 0.55, 6),
    ("攀枝花市", 121, 0.68, 5),
    ("泸州市", 425, 0.50, 7),
    ("德阳市", 346, 0.54, 6),
    ("绵阳市", 487, 0.53, 9),
    ("广元市", 231, 0.46, 7),
    ("遂宁市", 281, 0.50, 5),
    ("内江市", 314, 0.49, 5),
    ("乐山市", 316, 0.53, 11),
    ("南充市", 561, 0.49, 9),
    ("眉山市", 296, 0.46, 6),
    ("宜宾市", 459, 0.50, 10),
    ("广安市", 326, 0.42, 6),
    ("达州市", 539, 0.46, 7),
    ("雅安市", 143, 0.50, 8),
    ("巴中市", 271, 0.44, 5),
    ("资阳市", 231, 0.44, 3),
    ("阿坝藏族羌族自治州", 82, 0.41, 13),
    ("甘孜藏族自治州", 111, 0.32, 18),
    ("凉山彝族自治州", 486, 0.37, 17),
)
ADULT_SHARE = 0.70  # aged 18–69 among residents

# Published 2023 rates (%) by group, and the national one (domain.md §6.3).
NATIONAL_2023 = 14.14
RATES_2023 = {
    "urban": (17.25, 9.16),
    "sex": (15.66, 12.53),
    "age": (25.72, 19.00, 13.23, 8.52, 4.45),
    "education": (2.91, 7.8, 17.68, 25.17, 43.99),
}
SHRINK = {"urban": 0.1, "sex": 0.7, "age": 0.4, "education": 0.75}  # see the docstring
COUNTY_SD, PSU_SD, NOISE_SD = 0.25, 0.35, 1.0

# Adults by age band (urban, rural) and education by urban × age band.
AGE_DIST = ((0.22, 0.23, 0.20, 0.20, 0.15), (0.15, 0.15, 0.20, 0.26, 0.24))
EDU_DIST = (
    (
        (0.03, 0.20, 0.27, 0.25, 0.25),
        (0.06, 0.27, 0.24, 0.21, 0.22),
        (0.13, 0.40, 0.24, 0.12, 0.11),
        (0.25, 0.42, 0.22, 0.06, 0.05),
        (0.42, 0.35, 0.16, 0.04, 0.03),
    ),
    (
        (0.08, 0.42, 0.26, 0.15, 0.09),
        (0.18, 0.52, 0.18, 0.07, 0.05),
        (0.35, 0.50, 0.11, 0.03, 0.01),
        (0.55, 0.38, 0.06, 0.008, 0.002),
        (0.70, 0.26, 0.035, 0.004, 0.001),
    ),
)
MALE_SHARE = (0.50, 0.51)
# Response propensity tilts of the sample (sex, age band, education).
TILT = ((0.9, 1.12), (0.7, 0.85, 1.0, 1.15, 1.3), (1.1, 1.05, 1.0, 0.9, 0.85))
BLANK = 0.015  # share of wrong answers left blank


@dataclass
class Population:
    """The province's adults: `cells[county, urban, sex, age, education]` counts,
    `city_of_county`, city names."""

    cells: np.ndarray
    city_of_county: np.ndarray
    city_names: tuple

    @property
    def n_cities(self) -> int:
        return len(self.city_names)

    @property
    def n_counties(self) -> int:
        return int(self.cells.shape[0])

    def stratum_population(self) -> np.ndarray:
        """(2·counties,) adults per stratum, stratum = county·2 + urban."""
        return self.cells.sum(axis=(2, 3, 4)).reshape(-1)

    def city_cells(self) -> np.ndarray:
        """(cities, urban, sex, age, education) counts."""
        out = np.zeros((self.n_cities, *self.cells.shape[1:]), dtype=np.int64)
        np.add.at(out, self.city_of_county, self.cells)
        return out

    def margins(self) -> dict:
        """Census-like margins per city: {"sex": (cities × 2), "age": (× 5), "urban":
        (× 2), "education": (× 5)}, all adding up to the same city totals."""
        c = self.city_cells()
        return {
            "sex": c.sum(axis=(1, 3, 4)),
            "age": c.sum(axis=(1, 2, 4)),
            "urban": c.sum(axis=(2, 3, 4)),
            "education": c.sum(axis=(1, 2, 3)),
        }

    def county_covariates(self) -> np.ndarray:
        """(counties × 2): the share with college education or more, the urban share —
        the Fay–Herriot covariates."""
        total = self.cells.sum(axis=(1, 2, 3, 4)).astype(np.float64)
        higher = self.cells[..., 3:].sum(axis=(1, 2, 3, 4))
        urban = self.cells[:, 0].sum(axis=(1, 2, 3))
        return np.column_stack((higher / total, urban / total))


@dataclass
class Survey:
    """Respondent arrays (n,) and the `answers` (n × 50, uint8 bitmasks) of `form`."""

    form: scoring.Form
    answers: np.ndarray
    city: np.ndarray
    county: np.ndarray
    stratum: np.ndarray
    psu: np.ndarray
    urban: np.ndarray
    sex: np.ndarray
    age: np.ndarray
    education: np.ndarray
    occupation: np.ndarray
    key_group: np.ndarray
    population: Population
    rate: float
    mu: float

    @property
    def n(self) -> int:
        return int(self.city.size)


def form_2024(seed: int = 2024) -> tuple[scoring.Form, np.ndarray, np.ndarray, np.ndarray]:
    """The synthetic 50-item form of the 2024 structure and its item parameters
    (discrimination a, difficulty b, guessing c)."""
    rng = np.random.default_rng(seed)
    # (items, true/false, single, multiple) per dimension: 40/20/20/20 points.
    layout = ((20, 8, 9, 3), (10, 3, 5, 2), (10, 3, 5, 2), (10, 2, 6, 2))
    kinds, dims = [], []
    for d, (_items, tf, single, multiple) in enumerate(layout):
        kinds += [scoring.TRUE_FALSE] * tf + [scoring.SINGLE] * single
        kinds += [scoring.MULTIPLE] * multiple
        dims += [d] * (tf + single + multiple)
    kinds = np.array(kinds)
    options = np.where(kinds == scoring.TRUE_FALSE, 2, 4)
    keys = np.zeros(kinds.size, dtype=np.int64)
    for j, kind in enumerate(kinds):
        if kind == scoring.MULTIPLE:
            chosen = rng.choice(4, size=int(rng.integers(2, 4)), replace=False)
            keys[j] = int(np.sum(1 << chosen))
        else:
            keys[j] = 1 << int(rng.integers(options[j]))
    form = scoring.structure_2024(keys, kinds, options, dims, np.full(kinds.size, 2.0))
    a = rng.uniform(0.3, 0.6, kinds.size)
    b = rng.normal(-0.4, 1.2, kinds.size) + np.where(kinds == scoring.MULTIPLE, 1.0, 0.0)
    c = np.select([kinds == scoring.TRUE_FALSE, kinds == scoring.SINGLE], [0.45, 0.22], 0.03)
    return form, a, b, c


def population(
    cities: int = 21, counties: int = 183, seed: int = 0, scale: float = 1.0
) -> Population:
    """The adult population (see the module docstring); `scale` multiplies the counts."""
    rng = np.random.default_rng(seed + 1)
    if (cities, counties) == (len(SICHUAN), sum(c[3] for c in SICHUAN)):
        names = tuple(c[0] for c in SICHUAN)
        residents = np.array([c[1] for c in SICHUAN], dtype=np.float64) * 10_000
        urbanization = np.array([c[2] for c in SICHUAN])
        per_city = np.array([c[3] for c in SICHUAN])
    else:
        if counties < cities:
            raise ValueError("at least one county per city")
        names = tuple(f"City {k + 1}" for k in range(cities))
        residents = rng.lognormal(np.log(3e6), 0.6, cities)
        urbanization = rng.uniform(0.35, 0.75, cities)
        per_city = np.ones(cities, dtype=np.int64) + np.bincount(
            rng.integers(0, cities, counties - cities), minlength=cities
        )
    city_of_county = np.repeat(np.arange(cities), per_city)
    share = rng.lognormal(0.0, 0.5, counties)
    share /= np.bincount(city_of_county, weights=share)[city_of_county]
    adults = residents[city_of_county] * share * ADULT_SHARE * scale
    logit = np.log(urbanization / (1 - urbanization))[city_of_county]
    urban_share = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.5, counties))))
    joint = np.zeros((counties, 2, 2, 5, 5))
    for u in (0, 1):
        place = adults * (urban_share if u == 0 else 1 - urban_share)
        sex = np.array([MALE_SHARE[u], 1 - MALE_SHARE[u]])
        age = np.array(AGE_DIST[u])
        edu = np.array(EDU_DIST[u])
        edu = edu / edu.sum(axis=1, keepdims=True)
        cell = sex[:, None, None] * (age[:, None] * edu)[None, :, :]
        joint[:, u] = place[:, None, None, None] * cell[None]
    return Population(np.rint(joint).astype(np.int64), city_of_county, names)


def _logit(p):
    p = np.asarray(p, dtype=np.float64) / 100.0
    return np.log(p / (1 - p))


def _effects() -> dict:
    base = float(_logit(NATIONAL_2023))
    return {v: SHRINK[v] * (_logit(r) - base) for v, r in RATES_2023.items()}


def _cell_effects() -> np.ndarray:
    """(urban, sex, age, education) the fixed part of θ without μ."""
    e = _effects()
    return (
        e["urban"][:, None, None, None]
        + e["sex"][None, :, None, None]
        + e["age"][None, None, :, None]
        + e["education"][None, None, None, :]
    )


def _pass_curve(a, b, c, grid: np.ndarray, need: int) -> np.ndarray:
    """P(at least `need` items correct | θ) on `grid`, by convolution over the items."""
    p = c[None, :] + (1 - c[None, :]) / (1 + np.exp(-a[None, :] * (grid[:, None] - b[None, :])))
    dist = np.zeros((grid.size, a.size + 1))
    dist[:, 0] = 1.0
    for j in range(a.size):
        pj = p[:, j : j + 1]
        dist[:, 1:] = dist[:, 1:] * (1 - pj) + dist[:, :-1] * pj
        dist[:, 0] *= 1 - p[:, j]
    return dist[:, need:].sum(axis=1)


def _solve_mu(pop: Population, form, county_effect, a, b, c, rate: float) -> float:
    """μ with which the population's expected literate share equals `rate`."""
    grid = np.linspace(-14, 14, 561)
    points = float(form.points[0])  # every item of the synthetic form has the same points
    need = int(np.ceil(form.thresholds[form.literate_tier - 1] / points - 1e-9))
    curve = _pass_curve(a, b, c, grid, need=need)
    # The pass curve averaged over the normal noise (Gauss–Hermite), once on the grid.
    nodes, weights = np.polynomial.hermite_e.hermegauss(24)
    sd = float(np.hypot(NOISE_SD, PSU_SD))
    smooth = np.interp(grid[:, None] + sd * nodes[None, :], grid, curve) @ (weights / weights.sum())
    x = (_cell_effects()[None] + county_effect[:, None, None, None, None]).ravel()
    counts = pop.cells.ravel().astype(np.float64)
    keep = counts > 0
    x, counts = x[keep], counts[keep] / counts[keep].sum()

    def share(mu):
        return float(counts @ np.interp(mu + x, grid, smooth))

    lo, hi = -12.0, 12.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if share(mid) < rate else (lo, mid)
    return 0.5 * (lo + hi)


def generate(
    n: int = 100_000,
    *,
    cities: int = 21,
    counties: int = 183,
    psus_per_stratum: int = 8,
    rate: float = 0.12,
    seed: int = 0,
) -> Survey:
    """A synthetic survey of `n` respondents of a province whose adults are literate
    (≥ 70 points) at `rate` (see the module docstring)."""
    if n < 4 * counties:
        raise ValueError("n must allow at least 2 PSUs of 2 respondents per county")
    rng = np.random.default_rng(seed)
    pop = population(cities, counties, seed)
    form, a, b, c = form_2024()
    county_effect = rng.normal(0, COUNTY_SD, counties)
    mu = _solve_mu(pop, form, county_effect, a, b, c, rate)
    N_h = pop.stratum_population()
    H = N_h.size
    minimum = min(2 * psus_per_stratum, n // H)
    n_h = allocation.allocate(N_h, n, allocation.PROPORTIONAL, minimum=max(minimum, 4))
    stratum = np.repeat(np.arange(H), n_h)
    county, urban = stratum // 2, stratum % 2
    psus_h = np.clip(n_h // 2, 2, psus_per_stratum) * (n_h > 0)
    psu_offset = np.concatenate(([0], np.cumsum(psus_h)[:-1]))
    within = np.arange(n) - np.repeat(np.cumsum(n_h) - n_h, n_h)
    psu = psu_offset[stratum] + within % np.maximum(psus_h[stratum], 1)
    sex, age, education = _demographics(rng, pop, n_h)
    occupation = _occupation(rng, urban, age, education)
    key_group = _key_group(occupation, age)
    psu_effect = rng.normal(0, PSU_SD, int(psus_h.sum()))
    theta = (
        mu
        + _cell_effects()[urban, sex, age, education]
        + county_effect[county]
        + psu_effect[psu]
        + rng.normal(0, NOISE_SD, n)
    )
    answers = _answers(rng, form, theta, a, b, c)
    return Survey(
        form=form,
        answers=answers,
        city=pop.city_of_county[county],
        county=county,
        stratum=stratum,
        psu=psu,
        urban=urban,
        sex=sex,
        age=age,
        education=education,
        occupation=occupation,
        key_group=key_group,
        population=pop,
        rate=rate,
        mu=mu,
    )


def _demographics(rng, pop: Population, n_h: np.ndarray):
    """sex, age, education per respondent, drawn stratum by stratum from the stratum's
    population cells tilted by the response propensities."""
    tilt = (
        np.array(TILT[0])[:, None, None]
        * np.array(TILT[1])[None, :, None]
        * np.array(TILT[2])[None, None, :]
    ).ravel()
    cells = pop.cells.reshape(-1, 50).astype(np.float64) * tilt  # (strata, sex·age·edu)
    cells /= np.maximum(cells.sum(axis=1, keepdims=True), 1e-300)
    cum = np.cumsum(cells, axis=1)
    out = np.empty(int(n_h.sum()), dtype=np.int64)
    u = rng.random(out.size)
    start = 0
    for h, size in enumerate(n_h):
        if size:
            draws = u[start : start + size] * cum[h, -1]
            out[start : start + size] = np.searchsorted(cum[h], draws)
            start += size
    out = np.minimum(out, 49)
    return out // 25, (out // 5) % 5, out % 5


def _occupation(rng, urban, age, education) -> np.ndarray:
    """Occupation drawn from weights by urban/rural, age band and education."""
    w = np.zeros((2, 5, 5, 8))
    edu = np.arange(5)
    for u in (0, 1):
        for g in range(5):
            w[u, g, :, 0] = (0.15 if u == 0 else 3.0) * np.array([1.5, 1.0, 0.5, 0.15, 0.05])
            w[u, g, :, 1] = (1.0 if u == 0 else 1.2) * np.array([0.8, 1.2, 1.0, 0.5, 0.2])
            w[u, g, :, 2] = np.array([0.05, 0.2, 0.6, 1.5, 2.5])
            w[u, g, :, 3] = np.array([0.01, 0.05, 0.15, 0.4, 0.8])
            w[u, g, :, 4] = 1.5 if u == 0 else 0.6
            w[u, g, :, 5] = np.where(edu >= 2, [0, 0, 0.8, 1.2, 1.5], 0) if g == 0 else 0
            retired = (4.0 if u == 0 else 0.8) if g == 4 else 0.0
            w[u, g, :, 6] = 0.8 if g == 3 and u == 0 else retired
            w[u, g, :, 7] = 0.5 + (1.0 if g == 4 and u == 1 else 0)
    cum = np.cumsum(w, axis=-1)
    cum /= cum[..., -1:]
    row = cum[urban, age, education]
    return (rng.random(urban.size)[:, None] > row).sum(axis=1).clip(0, 7)


def _key_group(occupation, age) -> np.ndarray:
    """纲要's key groups, in priority: cadres (5), farmers (2), industrial workers (3),
    youth (students, 1), elderly (aged 60–69, 4), other (0)."""
    group = np.zeros(occupation.size, dtype=np.int64)
    group[age == 4] = 4
    group[occupation == 5] = 1
    group[occupation == 1] = 3
    group[occupation == 0] = 2
    group[occupation == 3] = 5
    return group


def _answers(rng, form: scoring.Form, theta, a, b, c, chunk: int = 100_000) -> np.ndarray:
    """Answers by the 3PL model: correct → the key; wrong → a distractor (or blank)."""
    J = form.items
    keys = np.asarray(form.keys)
    table = np.zeros((J, 3), dtype=np.uint8)  # up to 3 distractors per item
    cuts = np.ones((J, 2), dtype=np.float32)
    for j in range(J):
        options = [1 << k for k in range(int(form.options[j]))]
        if form.kind[j] == scoring.MULTIPLE:
            bits = [1 << k for k in range(4) if keys[j] >> k & 1]
            missing = [1 << k for k in range(4) if not keys[j] >> k & 1]
            wrong = [keys[j] - bits[0], keys[j] | missing[0], bits[-1]]
        else:
            wrong = [o for o in options if o != keys[j]]
        table[j, : len(wrong)] = wrong
        share = np.array([0.5, 0.3, 0.2][: len(wrong)])
        share = np.cumsum(share / share.sum())
        cuts[j, : len(wrong) - 1] = share[:-1]
    out = np.empty((theta.size, J), dtype=np.uint8)
    a32, b32, c32 = (x.astype(np.float32) for x in (a, b, c))
    cols = np.arange(J)
    for start in range(0, theta.size, chunk):
        t = theta[start : start + chunk].astype(np.float32)[:, None]
        p = c32 + (1 - c32) / (1 + np.exp(-a32 * (t - b32)))
        u = rng.random((t.size, J), dtype=np.float32)
        correct = u < p
        v = (u - p) / (1 - p) / (1 - BLANK)
        pick = (v[:, :, None] > cuts[None]).sum(axis=2)
        wrong = np.where(v >= 1.0, 0, table[cols, np.minimum(pick, 2)])
        out[start : start + chunk] = np.where(correct, keys.astype(np.uint8), wrong)
    return out
