"""Domain means and proportions with Taylor-linearization variances for a stratified
cluster sample, for many domains at once.

Estimator (the ratio, or Hájek, mean of domain d; a proportion is the mean of a 0/1
outcome): ȳ_d = Σ_{i∈d} w_i·y_i / Σ_{i∈d} w_i.

Variance (Woodruff 1971; Wolter 2007, ch. 6; Lohr 2010, ch. 9): the linearized variable
z_i = w_i·(y_i − ȳ_d)/W_d for i in d (0 outside), summed by PSU, z_hj; with n_h PSUs in
stratum h and the with-replacement approximation for the first stage,

    v(ȳ_d) = Σ_h fpc_h · n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)².

The PSU totals are z_jd = (Y_jd − ȳ_d·W_jd)/W_d, so only the P × D matrices of
`design.Domains.sums` are needed: one pass over the data for every domain at once.

Confidence interval at level 1 − α with Student's t on the design degrees of freedom
(PSUs − strata), as samplics' `TaylorEstimator` and Stata's `svy`: ȳ ± t·se for means;
for proportions on the logit scale (see `_numeric.confidence_limits`). Also: the
coefficient of variation se/ȳ and the design effect v/v_srs (`DomainSums.srs_variance`).

Reference implementation: samplics `TaylorEstimator` (PopParam.mean and PopParam.prop,
with `stratum`, `psu`, `domain`, `fpc`); the tests check equality to 1e-9.
"""

from __future__ import annotations

import numpy as np

from ._numeric import confidence_limits, critical_value
from .design import Design, DomainEstimates, Domains, DomainSums, check_proportion

CONFIDENCE = 0.95


def estimate(
    y,
    weights,
    design: Design,
    domains=None,
    *,
    proportion: bool = False,
    confidence: float = CONFIDENCE,
) -> DomainEstimates:
    """Means (or, with `proportion`, proportions of y = 1) of `y` by domain, with their
    Taylor standard errors. `domains`: a `Domains` of `design`, or what `Domains` takes."""
    if proportion:
        check_proportion(y)
    if not isinstance(domains, Domains):
        domains = Domains(design, domains)
    return from_sums(domains.sums(weights, y), proportion=proportion, confidence=confidence)


def from_sums(
    sums: DomainSums, *, proportion: bool = False, confidence: float = CONFIDENCE
) -> DomainEstimates:
    """`estimate` from the PSU × domain sums (several outcomes share one index)."""
    design = sums.domains.design
    W, Y = sums.totals()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = Y / W
        z = (sums.wy - mean * sums.w) / W
    variance = design.between_psu_variance(z)
    return build(
        "taylor",
        sums,
        mean,
        variance,
        proportion=proportion,
        confidence=confidence,
        df=design.df,
    )


def build(method, sums, mean, variance, *, proportion, confidence, df) -> DomainEstimates:
    """Standard errors, limits, CV and design effects from estimates and variances."""
    domains = sums.domains
    W, _ = sums.totals()
    se = np.sqrt(variance)
    critical = critical_value(confidence, df if df and df > 0 else None)
    lower, upper = confidence_limits(mean, se, critical, proportion)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = se / mean
        if proportion:
            cv = np.where((mean == 0.0) | (mean == 1.0), 0.0, cv)
        deff = variance / sums.srs_variance(mean)
    return DomainEstimates(
        method=method,
        proportion=proportion,
        confidence=confidence,
        df=df,
        names=domains.names,
        variable=domains.variable,
        code=domains.code,
        n=sums.n.astype(np.int64),
        population=W,
        estimate=mean,
        variance=variance,
        se=se,
        lower=lower,
        upper=upper,
        cv=cv,
        deff=deff,
    )
