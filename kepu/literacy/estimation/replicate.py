"""Replicate-weight variances (jackknife and bootstrap) for many domains at once, from
replicate factors at PSU level.

A replicate r multiplies the weight of every respondent of PSU j by a factor a_rj. The
replicate estimate of a domain mean is Σ_j a_rj·Y_jd / Σ_j a_rj·W_jd, so all replicates of
all domains are one matrix product `A (R × P) @ [W | Y] (P × 2D)` of the PSU × domain sums
(`design.Domains.sums`): never an n × R weight matrix. A million responses cost one pass
over the data plus a small product.

Factors:

- **Jackknife** (JKn, delete one PSU; Wolter 2007, ch. 4; Rust & Rao 1996): replicate
  (h, j) drops PSU j of stratum h (a = 0) and scales the other PSUs of h by
  n_h/(n_h − 1); other strata keep a = 1. Coefficient c_r = (n_h − 1)/n_h. Without strata
  this is JK1. The structure is used directly: Y_(hj) = T − S_h + n_h/(n_h − 1)·(S_h − Y_hj)
  with S_h the stratum total, O(P·D) without any matrix.
- **Bootstrap** (Rao & Wu 1988; Rao, Wu & Yue 1992, the rescaling bootstrap): in each
  replicate and stratum, m_h = n_h − 1 PSUs are drawn with replacement; a PSU drawn k times
  gets a = 1 − λ_h + λ_h·(n_h/m_h)·k with λ_h = √((1 − f_h)·m_h/(n_h − 1)) (= 1 without a
  sampling fraction f_h). Coefficient c_r = 1/R. Seeded (`numpy.random.default_rng`).

Variance: v = Σ_r c_r·(θ_r − θ̄)² with θ̄ the full-sample estimate (`center="full"`, the
usual "MSE" form, samplics' `conservative=True`) or, with `center="mean"`, samplics'
default: for the bootstrap the mean of the replicates; for the jackknife samplics' pseudo-
value form Σ_r c_r·((p_r − p̄)/(f_r − 1))² with f_r = 1/(1 − c_r), p_r = f_r·θ − (f_r − 1)·θ_r
(Wolter 2007, ch. 4, as samplics cites it). Confidence intervals use Student's t with the design
degrees of freedom (PSUs − strata) unless `df` is given. A domain that some replicate
leaves without any respondent (all its PSUs dropped) has no replicate variance: NaN.

Reference implementation: samplics `ReplicateEstimator` given the same replicate weights
(and the same coefficients); the tests check equality to 1e-9 and that the jackknife
factors equal samplics' `ReplicateWeight`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import taylor
from .design import Design, DomainEstimates, Domains, DomainSums, check_proportion
from .errors import EstimationError

JACKKNIFE, BOOTSTRAP = "jackknife", "bootstrap"
CENTER_FULL, CENTER_MEAN = "full", "mean"
MAX_WEIGHT_CELLS = 50_000_000  # a full n × R matrix above this is refused


@dataclass
class ReplicateFactors:
    """The replicate factors of a design: `coefs` (R,) the variance coefficients;
    `matrix` (R × P) the factors (None for the jackknife, whose structure is used
    directly; `dense()` builds it)."""

    design: Design
    method: str
    coefs: np.ndarray
    matrix: np.ndarray | None = None
    seed: int | None = None

    @property
    def replicates(self) -> int:
        return int(self.coefs.size)

    def dense(self) -> np.ndarray:
        """(R × P) factors, also for the jackknife (one row per deleted PSU)."""
        if self.matrix is not None:
            return self.matrix
        d = self.design
        keep = _jackknife_psus(d)
        scale = d.stratum_psus / np.maximum(d.stratum_psus - 1, 1)
        rows = np.ones((keep.size, d.n_psus))
        for r, j in enumerate(keep):
            h = d.psu_stratum[j]
            start, size = d.stratum_start[h], d.stratum_psus[h]
            rows[r, start : start + size] = scale[h]
            rows[r, j] = 0.0
        return rows


def jackknife(design: Design) -> ReplicateFactors:
    """JKn factors (JK1 without strata): one replicate per PSU, strata with a single PSU
    skipped (they were refused by the design unless `single_psu="skip"`)."""
    keep = _jackknife_psus(design)
    n_h = design.stratum_psus[design.psu_stratum[keep]].astype(np.float64)
    return ReplicateFactors(design, JACKKNIFE, coefs=(n_h - 1.0) / n_h)


def bootstrap(
    design: Design, replicates: int = 200, *, seed: int = 0, sampling_fraction=None
) -> ReplicateFactors:
    """Rao–Wu rescaling bootstrap factors (m_h = n_h − 1), `replicates` of them, seeded.
    `sampling_fraction`: f_h per stratum (array of H, or a number), default 0."""
    if replicates < 2:
        raise EstimationError("design_input", detail="at least 2 bootstrap replicates")
    d = design
    n_h = d.stratum_psus.astype(np.int64)
    m_h = n_h - 1
    if np.any(m_h < 1):
        raise EstimationError("single_psu", strata=[int(c) for c in d.strata_codes[n_h < 2]])
    f = np.zeros(d.n_strata) if sampling_fraction is None else sampling_fraction
    f = np.broadcast_to(np.asarray(f, dtype=np.float64), (d.n_strata,))
    lam = np.sqrt((1.0 - f) * m_h / (n_h - 1.0))
    rng = np.random.default_rng(seed)
    # Each replicate draws Σ m_h PSUs: a uniform per draw, scaled to its stratum's PSUs.
    draw_stratum = np.repeat(np.arange(d.n_strata), m_h)
    u = rng.random((replicates, draw_stratum.size))
    picked = d.stratum_start[draw_stratum] + np.minimum(
        (u * n_h[draw_stratum]).astype(np.int64), n_h[draw_stratum] - 1
    )
    flat = (np.arange(replicates)[:, None] * d.n_psus + picked).ravel()
    counts = np.bincount(flat, minlength=replicates * d.n_psus).reshape(replicates, d.n_psus)
    s = d.psu_stratum
    matrix = 1.0 - lam[s] + lam[s] * (n_h[s] / m_h[s]) * counts
    return ReplicateFactors(
        d, BOOTSTRAP, coefs=np.full(replicates, 1.0 / replicates), matrix=matrix, seed=seed
    )


def estimate(
    y,
    weights,
    factors: ReplicateFactors,
    domains=None,
    *,
    proportion: bool = False,
    center: str = CENTER_FULL,
    confidence: float = taylor.CONFIDENCE,
    df: float | None = None,
) -> DomainEstimates:
    """Means (proportions) of `y` by domain with replicate standard errors."""
    if proportion:
        check_proportion(y)
    if not isinstance(domains, Domains):
        domains = Domains(factors.design, domains)
    return from_sums(
        domains.sums(weights, y),
        factors,
        proportion=proportion,
        center=center,
        confidence=confidence,
        df=df,
    )


def from_sums(
    sums: DomainSums,
    factors: ReplicateFactors,
    *,
    proportion: bool = False,
    center: str = CENTER_FULL,
    confidence: float = taylor.CONFIDENCE,
    df: float | None = None,
) -> DomainEstimates:
    """`estimate` from the PSU × domain sums."""
    if sums.domains.design is not factors.design:
        raise EstimationError("design_input", detail="the factors belong to another design")
    if center not in (CENTER_FULL, CENTER_MEAN):
        raise EstimationError("design_input", detail=f"center={center!r}")
    W, Y = sums.totals()
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = Y / W
        rep_w, rep_y = replicate_totals(sums, factors)
        reps = rep_y / rep_w  # (R, D)
    variance = _variance(reps, theta, factors, center)
    return taylor.build(
        factors.method,
        sums,
        theta,
        variance,
        proportion=proportion,
        confidence=confidence,
        df=factors.design.df if df is None else df,
    )


def replicate_totals(sums: DomainSums, factors: ReplicateFactors):
    """(R, D) replicate totals of the weights and of w·y."""
    if factors.matrix is not None:
        D = sums.w.shape[1]
        both = factors.matrix @ np.hstack((sums.w, sums.wy))
        return both[:, :D], both[:, D:]
    design = factors.design
    keep = _jackknife_psus(design)
    out = []
    for psu in (sums.w, sums.wy):
        total = psu.sum(axis=0)
        stratum = design.stratum_sums(psu)[design.psu_stratum[keep]]
        n_h = design.stratum_psus[design.psu_stratum[keep]].astype(np.float64)
        k = (n_h / (n_h - 1.0))[:, None]
        out.append(total - stratum + k * (stratum - psu[keep]))
    return out[0], out[1]


def _variance(reps, theta, factors: ReplicateFactors, center: str) -> np.ndarray:
    c = factors.coefs[:, None]
    with np.errstate(invalid="ignore"):
        if center == CENTER_FULL:
            return np.sum(c * (reps - theta) ** 2, axis=0)
        if factors.method == BOOTSTRAP:
            return np.sum(c * (reps - reps.mean(axis=0)) ** 2, axis=0)
        f = 1.0 / (1.0 - c)
        pseudo = f * theta - (f - 1.0) * reps
        return np.sum(c * ((pseudo - pseudo.mean(axis=0)) / (f - 1.0)) ** 2, axis=0)


def replicate_weights(weights, factors: ReplicateFactors) -> np.ndarray:
    """The full (n × R) replicate-weight matrix w_i·a_r,psu(i), for exports and tests;
    refused above `MAX_WEIGHT_CELLS` cells (estimate from the factors instead)."""
    d = factors.design
    weights = np.asarray(weights, dtype=np.float64)
    cells = d.n * factors.replicates
    if cells > MAX_WEIGHT_CELLS:
        raise EstimationError("too_many_replicate_weights", rows=d.n, replicates=factors.replicates)
    # Gather rows of the contiguous (P × R) transpose: one memory pass per row.
    return weights[:, None] * np.ascontiguousarray(factors.dense().T)[d.psu_index]


def _jackknife_psus(design: Design) -> np.ndarray:
    """The PSUs that make a jackknife replicate: all but those of single-PSU strata."""
    return np.flatnonzero(design.stratum_psus[design.psu_stratum] > 1)
