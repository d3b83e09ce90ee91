"""Numeric helpers of the engine: quantiles of the normal and Student's t distributions
(no SciPy at run time), integer codes made dense, confidence intervals.

Student's t quantile: Newton's method on the distribution function F(t) = 1 − ½·I_x(ν/2, ½)
with x = ν/(ν + t²) (Abramowitz & Stegun, ch. 26.7), the regularized incomplete beta function
I_x(a, b) by its continued fraction evaluated with the modified Lentz algorithm (Press et
al., *Numerical Recipes*, 3rd edn., §6.4). Accurate to about 1e-14, which is what the
1e-9 agreement of confidence limits with the reference implementation needs.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

_NORMAL = NormalDist()
_EPS = 1e-16
_TINY = 1e-300


def normal_ppf(p: float) -> float:
    """Φ⁻¹(p) (Wichura's AS 241, through `statistics.NormalDist`)."""
    return _NORMAL.inv_cdf(p)


def _betacf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError("incomplete beta: continued fraction did not converge")


def _log_gamma_ratio_half(a: float) -> float:
    """log Γ(a + ½) − log Γ(a), without the cancellation of two large `lgamma` values:
    Stirling's series for a ≥ 50 (error below 1e-17), `lgamma` below."""
    if a < 50.0:
        return math.lgamma(a + 0.5) - math.lgamma(a)
    b = a + 0.5
    return (
        a * math.log1p(0.5 / a)
        - 0.5
        + 0.5 * math.log(a)
        + (1.0 / b - 1.0 / a) / 12.0
        - (1.0 / b**3 - 1.0 / a**3) / 360.0
        + (1.0 / b**5 - 1.0 / a**5) / 1260.0
    )


_LOG_GAMMA_HALF = math.lgamma(0.5)


def t_sf(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0: ½·I_x(ν/2, ½) with x = ν/(ν + t²), every logarithm taken from
    r = t²/ν directly so that large ν loses no digits."""
    if t <= 0.0:
        return 1.0 - t_sf(-t, df) if t < 0.0 else 0.5
    a, b = df / 2.0, 0.5
    r = t * t / df
    log_x = -math.log1p(r)
    log_1mx = math.log(r) + log_x
    log_front = _log_gamma_ratio_half(a) - _LOG_GAMMA_HALF + a * log_x + b * log_1mx
    x = 1.0 / (1.0 + r)
    if x < (a + 1.0) / (a + b + 2.0):
        return 0.5 * math.exp(log_front) * _betacf(a, b, x) / a
    return 0.5 * (1.0 - math.exp(log_front) * _betacf(b, a, r / (1.0 + r)) / b)


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` degrees of freedom."""
    return 1.0 - t_sf(t, df) if t >= 0.0 else t_sf(-t, df)


def _t_pdf(t: float, df: float) -> float:
    log_c = _log_gamma_ratio_half(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def t_ppf(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` > 0 degrees of freedom."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    if p == 0.5:
        return 0.0
    tail = 1.0 - p
    z = normal_ppf(p)
    # A Cornish–Fisher start (Abramowitz & Stegun, ch. 26.7), then Newton on the upper tail.
    t = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df * df)
    if df < 3 or not math.isfinite(t):
        t = max(z, 1.0)
    for _ in range(200):
        step = (t_sf(t, df) - tail) / _t_pdf(t, df)
        t += step
        if t <= 0.0:
            t = 1e-3
        if abs(step) <= 1e-15 * max(1.0, abs(t)):
            break
    return t


def critical_value(confidence: float, df: float | None) -> float:
    """The two-sided critical value: Student's t with `df` degrees of freedom, the normal
    one when `df` is None."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    p = 1.0 - (1.0 - confidence) / 2.0
    return normal_ppf(p) if df is None else t_ppf(p, df)


def dense_codes(codes, *, keep_negative: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(index, levels): `levels` the sorted distinct codes, `index[i]` the position of
    `codes[i]` among them. Non-negative integer codes of moderate range go through one
    `bincount` (O(n)); others through a sort. With `keep_negative`, negative codes (not in
    any level) keep index −1 and are left out of `levels`."""
    codes = np.asarray(codes)
    if codes.ndim != 1:
        raise ValueError("codes must be one-dimensional")
    if codes.size == 0:
        return np.zeros(0, dtype=np.int64), codes[:0].astype(np.int64)
    if codes.dtype.kind not in "iub":
        levels, index = np.unique(codes, return_inverse=True)
        return index.astype(np.int64), levels
    lo, hi = int(codes.min()), int(codes.max())
    valid = None
    if keep_negative and lo < 0:
        valid = codes >= 0
        if not valid.any():
            return np.full(codes.size, -1, dtype=np.int64), codes[:0].astype(np.int64)
        lo = int(codes[valid].min())
    if lo >= 0 and hi <= 4 * codes.size + 1_000_000:
        present = np.bincount(codes[valid] if valid is not None else codes, minlength=hi + 1)
        levels = np.flatnonzero(present)
        lookup = np.full(hi + 1, -1, dtype=np.int64)
        lookup[levels] = np.arange(levels.size)
        if valid is None:
            return lookup[codes], levels.astype(np.int64)
        index = np.full(codes.size, -1, dtype=np.int64)
        index[valid] = lookup[codes[valid]]
        return index, levels.astype(np.int64)
    if valid is None:
        levels, index = np.unique(codes, return_inverse=True)
        return index.astype(np.int64), levels.astype(np.int64)
    levels, inner = np.unique(codes[valid], return_inverse=True)
    index = np.full(codes.size, -1, dtype=np.int64)
    index[valid] = inner
    return index, levels.astype(np.int64)


def confidence_limits(estimate, se, critical: float, proportion: bool):
    """Lower and upper limits. Means: estimate ± c·se. Proportions: on the logit scale,
    logit(p) ± c·se/(p(1 − p)), transformed back (the reference implementation's choice,
    as in Stata's `svy: proportion`); p = 0 or 1 gives the degenerate interval [p, p]."""
    estimate = np.asarray(estimate, dtype=np.float64)
    se = np.asarray(se, dtype=np.float64)
    if not proportion:
        return estimate - critical * se, estimate + critical * se
    with np.errstate(divide="ignore", invalid="ignore"):
        location = np.log(estimate / (1.0 - estimate))
        scale = se / (estimate * (1.0 - estimate))
        lower = 1.0 / (1.0 + np.exp(-(location - critical * scale)))
        upper = 1.0 / (1.0 + np.exp(-(location + critical * scale)))
    edge = (estimate == 0.0) | (estimate == 1.0)
    lower = np.where(edge, estimate, lower)
    upper = np.where(edge, estimate, upper)
    return lower, upper
