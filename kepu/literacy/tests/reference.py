"""The reference implementation (samplics, a dev dependency) and a small survey both the
engine and samplics are given.

Agreement is checked to TOL = 1e-9 absolute for estimates, standard errors, confidence
limits and coefficients of variation (all of order 1 or of the score's order, 100), and
1e-9 relative for weights (of order 10⁴)."""

import warnings

import numpy as np
import pytest

with warnings.catch_warnings():
    # samplics announces on import that it is archived (FutureWarning); it is still the
    # reference the estimates are checked against.
    warnings.simplefilter("ignore")
    import samplics  # noqa: F401
    from samplics import (
        EblupAreaModel,
        PopParam,
        ReplicateEstimator,
        ReplicateWeight,
        RepMethod,
        SampleWeight,
        TaylorEstimator,
    )
    from samplics.sampling import calculate_ss_wald_prop
    from samplics.utils.types import FitMethod, SinglePSUEst

TOL = 1e-9
# samplics calls pandas with arguments pandas 3.1 deprecates; not our warnings.
QUIET = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")

__all__ = [
    "QUIET",
    "TOL",
    "EblupAreaModel",
    "FitMethod",
    "PopParam",
    "RepMethod",
    "ReplicateEstimator",
    "ReplicateWeight",
    "SampleWeight",
    "SinglePSUEst",
    "TaylorEstimator",
    "calculate_ss_wald_prop",
    "small_survey",
]


def small_survey(seed: int = 7, n: int = 900, strata: int = 6, psus: int = 5):
    """A stratified cluster sample with unequal weights, a 0/1 outcome correlated with
    PSUs, a score, and two domain variables. PSU codes are unique across strata (samplics'
    `ReplicateWeight` counts PSUs by code)."""
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, strata, n)
    psu = stratum * 100 + rng.integers(0, psus, n)
    weights = rng.uniform(50, 400, n) * (1 + stratum)
    effect = rng.normal(0, 0.6, psu.max() + 1)[psu]
    score = 55 + 8 * effect + rng.normal(0, 10, n)
    literate = (score + rng.normal(0, 5, n) >= 62).astype(np.float64)
    city = rng.integers(0, 3, n)
    sex = rng.integers(0, 2, n)
    return {
        "stratum": stratum,
        "psu": psu,
        "weights": weights,
        "score": score,
        "literate": literate,
        "city": city,
        "group": city * 2 + sex,
    }
