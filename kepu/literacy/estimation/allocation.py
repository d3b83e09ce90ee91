"""Sample size and its allocation to strata.

Sample size for a proportion (Cochran 1977, ch. 4, with the finite-population
correction; the same as samplics' `calculate_ss_wald_prop`):

    n₀ = z²·p(1 − p)/e²,  n = ⌈deff · N·n₀/(N − 1 + n₀) / r⌉   (n = ⌈deff·n₀/r⌉ without N)

with e the margin of error (half-width of the interval), z the normal quantile of the
confidence level, deff the expected design effect and r the expected response rate.

Allocation of n to strata h with populations N_h (Cochran 1977, ch. 5: proportional;
Neyman: n_h ∝ N_h·S_h; "equal": the same for all), under 0 ≤ n_h ≤ N_h and
n_h ≥ min(minimum, N_h): the real allocation x_h = clip(λ·a_h, lo_h, hi_h) with λ chosen
so that Σx_h = n (the bounds bind where they must, the rest stays proportional), then
rounded to integers by largest remainders (Hamilton's method), which keeps the total and
the bounds. Quotas per category (e.g. sex × age within a stratum) are the same
allocation applied to the category populations of the stratum (`quotas`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ._numeric import normal_ppf
from .errors import EstimationError

PROPORTIONAL, NEYMAN, EQUAL = "proportional", "neyman", "equal"


def sample_size(
    moe: float,
    p: float = 0.5,
    deff: float = 1.0,
    confidence: float = 0.95,
    population: float | None = None,
    response_rate: float = 1.0,
) -> int:
    """Respondents needed for a proportion p to be estimated within ± `moe`."""
    if not 0 < moe < 1 or not 0 < p < 1 or deff <= 0 or not 0 < response_rate <= 1:
        raise EstimationError("sample_size_input", detail="0 < moe, p < 1, deff > 0, 0 < r ≤ 1")
    if not 0 < confidence < 1:
        raise EstimationError("sample_size_input", detail="0 < confidence < 1")
    z = normal_ppf(1.0 - (1.0 - confidence) / 2.0)
    pq = p * (1.0 - p)
    if population is None:
        return math.ceil(deff * z * z * pq / (moe * moe) / response_rate)
    if population < 1:
        raise EstimationError("sample_size_input", detail="population ≥ 1")
    N = float(population)
    return math.ceil(deff * N * z * z * pq / ((N - 1.0) * moe * moe + z * z * pq) / response_rate)


def allocate(
    population_by_stratum,
    n: int,
    method: str = PROPORTIONAL,
    sd_by_stratum=None,
    minimum: int = 0,
):
    """Integer n_h adding up to `n`. `population_by_stratum`: a mapping {stratum: N_h}
    (answered as a mapping in the same order) or a sequence (answered as an array).
    `sd_by_stratum` (Neyman): S_h in the same form. Refused with EstimationError: n
    above ΣN_h ("allocation_too_large"), n below the minimums ("allocation_too_small"),
    negative or missing inputs ("allocation_input")."""
    keys = None
    if isinstance(population_by_stratum, Mapping):
        keys = list(population_by_stratum)
        N = np.array([population_by_stratum[k] for k in keys], dtype=np.float64)
    else:
        N = np.asarray(population_by_stratum, dtype=np.float64)
    if N.ndim != 1 or N.size == 0 or not np.all(np.isfinite(N)) or np.any(N < 0):
        raise EstimationError("allocation_input", detail="populations must be ≥ 0")
    if np.any(np.floor(N) != N):
        raise EstimationError("allocation_input", detail="populations must be whole numbers")
    if int(n) != n or n < 0 or int(minimum) != minimum or minimum < 0:
        raise EstimationError("allocation_input", detail="n and minimum must be whole numbers ≥ 0")
    n, minimum = int(n), int(minimum)
    if method == PROPORTIONAL:
        a = N.copy()
    elif method == EQUAL:
        a = (N > 0).astype(np.float64)
    elif method == NEYMAN:
        if sd_by_stratum is None:
            raise EstimationError("allocation_input", detail="Neyman needs sd_by_stratum")
        if keys is not None:
            S = np.array([sd_by_stratum[k] for k in keys], dtype=np.float64)
        else:
            S = np.asarray(sd_by_stratum, dtype=np.float64)
        if S.shape != N.shape or not np.all(np.isfinite(S)) or np.any(S < 0):
            raise EstimationError("allocation_input", detail="one sd ≥ 0 per stratum")
        a = N * S
    else:
        raise EstimationError("allocation_input", detail=f"method={method!r}")
    hi = N
    lo = np.minimum(float(minimum), N)
    if n > hi.sum():
        raise EstimationError("allocation_too_large", n=n, population=int(hi.sum()))
    if n < lo.sum():
        raise EstimationError("allocation_too_small", n=n, required=int(lo.sum()))
    if a[hi > lo].sum() <= 0 and n > lo.sum():
        # Nothing to be proportional to (all S_h = 0): spread the rest evenly.
        a = (hi > lo).astype(np.float64)
    x = _bounded_proportional(a, lo, hi, float(n))
    result = _largest_remainder(x, hi, n)
    if keys is not None:
        return dict(zip(keys, (int(v) for v in result), strict=True))
    return result


def quotas(population_by_category, n: int, minimum: int = 0):
    """Quotas of one stratum's `n` respondents over its categories (e.g. sex × age
    band): the proportional allocation to the category populations."""
    return allocate(population_by_category, n, PROPORTIONAL, minimum=minimum)


def _bounded_proportional(a, lo, hi, n) -> np.ndarray:
    """x_h = clip(λ·a_h, lo_h, hi_h) with Σx = n: the sum is piecewise linear and
    non-decreasing in λ, with breakpoints lo/a and hi/a; find the segment, solve on it."""
    free = a > 0
    if not free.any():
        return lo.copy()
    with np.errstate(divide="ignore"):
        points = np.unique(np.concatenate((lo[free] / a[free], hi[free] / a[free], [0.0])))

    def total(lam):
        return np.clip(lam * a, lo, hi).sum()

    sums = np.array([total(p) for p in points])
    k = int(np.searchsorted(sums, n, side="left"))
    if k >= points.size:
        return hi.copy()
    if sums[k] == n or k == 0:
        return np.clip(points[k] * a, lo, hi)
    # Between points[k-1] and points[k] every stratum is either fixed or linear.
    mid = 0.5 * (points[k - 1] + points[k])
    moving = free & (mid * a > lo) & (mid * a < hi)
    fixed = np.clip(mid * a, lo, hi)
    lam = (n - fixed[~moving].sum()) / a[moving].sum()
    return np.clip(lam * a, lo, hi)


def _largest_remainder(x, hi, n) -> np.ndarray:
    base = np.minimum(np.floor(x).astype(np.int64), hi.astype(np.int64))
    left = n - int(base.sum())
    if left > 0:
        room = base < hi
        remainder = np.where(room, x - base, -np.inf)
        # Largest remainder first; ties by the larger stratum, then by position.
        order = np.lexsort((np.arange(x.size), -hi, -remainder))
        base[order[:left]] += 1
    return base
