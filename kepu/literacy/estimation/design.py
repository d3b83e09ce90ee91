"""The sample design (strata, primary sampling units) and the domains, indexed once and
shared by every variance estimator.

Both Taylor linearization and replicate weights need, for each domain d, the weighted
sums of each PSU: W_jd = Σ_{i ∈ PSU j, i ∈ d} w_i and Y_jd = Σ w_i·y_i. These are one
`np.bincount` per domain variable over the flat index (PSU, domain), so a million
responses cost one pass per variable and every later step works on the small P × D
matrices (P PSUs, D domains).

Conventions (those of the reference implementation, samplics, and of Stata's `svy`):

- a PSU is identified by the pair (stratum, psu code): the same code in two strata is
  two PSUs; no strata means one stratum; no PSU codes mean each respondent is a PSU;
- PSUs are numbered stratum by stratum (strata and codes in ascending order), which is
  also the order of the jackknife replicates;
- the design degrees of freedom are (number of PSUs) − (number of strata);
- a domain is estimated unconditionally: PSUs of a stratum without a member of the domain
  still count in that stratum (their sums are 0);
- a domain code < 0 means "in no domain of this variable" (a missing value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._numeric import dense_codes
from .errors import EstimationError

SINGLE_PSU_ERROR, SINGLE_PSU_SKIP = "error", "skip"


class Design:
    """The strata and PSUs of a sample of `n` respondents.

    `strata`, `psu`: integer codes per respondent (None: one stratum / each respondent its
    own PSU). `fpc`: the finite-population correction factor (1 − f_h) per stratum: a
    number for all strata, or a mapping {stratum code: factor}; None means sampling with
    replacement (factor 1), the usual approximation for multi-stage designs.
    `single_psu`: a stratum with one PSU has no variance estimate; "error" refuses it
    (EstimationError "single_psu"), "skip" lets it contribute nothing (samplics'
    `SinglePSUEst.skip`).
    """

    def __init__(self, strata=None, psu=None, *, n=None, fpc=None, single_psu=SINGLE_PSU_ERROR):
        if n is None:
            given = strata if strata is not None else psu
            if given is None:
                raise EstimationError("design_input", detail="n, strata or psu is needed")
            n = len(given)
        self.n = int(n)
        if single_psu not in (SINGLE_PSU_ERROR, SINGLE_PSU_SKIP):
            raise EstimationError("design_input", detail=f"single_psu={single_psu!r}")
        if strata is None:
            s_index, s_codes = np.zeros(self.n, dtype=np.int64), np.zeros(1, dtype=np.int64)
        else:
            s_index, s_codes = dense_codes(_codes(strata, self.n, "strata"))
        if psu is None:
            p_local, p_size = np.arange(self.n, dtype=np.int64), self.n
        else:
            p_local, p_levels = dense_codes(_codes(psu, self.n, "psu"))
            p_size = max(p_levels.size, 1)
        pair, pair_keys = dense_codes(s_index * p_size + p_local)
        self.psu_index = pair  # (n,) PSU of each respondent, 0..P−1, ordered by stratum
        self.psu_stratum = pair_keys // p_size  # (P,) stratum (dense) of each PSU
        self.strata_codes = s_codes  # (H,) the stratum code of each dense stratum
        self.n_psus = int(pair_keys.size)
        self.n_strata = int(s_codes.size)
        self.stratum_psus = np.bincount(self.psu_stratum, minlength=self.n_strata)
        self.stratum_start = np.concatenate(([0], np.cumsum(self.stratum_psus)[:-1]))
        self.single_psu = single_psu
        singles = self.strata_codes[self.stratum_psus == 1]
        if singles.size and single_psu == SINGLE_PSU_ERROR:
            raise EstimationError("single_psu", strata=[int(c) for c in singles])
        self.singletons = singles
        self.fpc = _fpc(fpc, self.strata_codes)
        self.df = self.n_psus - self.n_strata

    def stratum_factor(self) -> np.ndarray:
        """(H,) fpc_h · n_h/(n_h − 1): the factor of a stratum's sum of squared PSU
        deviations in the variance (0 for a skipped single-PSU stratum)."""
        n_h = self.stratum_psus.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(n_h > 1, n_h / (n_h - 1.0), 0.0)
        return self.fpc * factor

    def stratum_sums(self, psu_matrix: np.ndarray) -> np.ndarray:
        """(H, ...) sums over the PSUs of each stratum of a (P, ...) matrix."""
        return np.add.reduceat(psu_matrix, self.stratum_start, axis=0)

    def between_psu_variance(self, z: np.ndarray) -> np.ndarray:
        """Σ_h fpc_h · n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)² for each column of the (P, D)
        matrix of PSU totals z: the with-replacement ("ultimate cluster") variance of a
        total (Hansen, Hurwitz & Madow 1953; Wolter 2007, ch. 1)."""
        n_h = self.stratum_psus.astype(np.float64)
        mean = self.stratum_sums(z) / n_h[:, None]
        dev = z - mean[self.psu_stratum]
        return self.stratum_factor() @ self.stratum_sums(dev * dev)


class Domains:
    """One or several domain variables over the respondents of `design`.

    `domains`: None (the whole sample is one domain, code 0), an integer array, a
    sequence of arrays, or a mapping {name: array}. Each variable's distinct codes ≥ 0
    found in the data are its domains; the domains of all variables are laid side by side
    (`variable`, `code` per column).
    """

    def __init__(self, design: Design, domains=None):
        self.design = design
        if domains is None:
            named = {"all": np.zeros(design.n, dtype=np.int64)}
        elif isinstance(domains, Mapping):
            named = dict(domains)
        elif isinstance(domains, np.ndarray) and domains.ndim == 1:
            named = {"domain": domains}
        elif isinstance(domains, Sequence | np.ndarray):
            named = {f"domain{k}": d for k, d in enumerate(domains)}
        else:
            raise EstimationError("design_input", detail="domains must be arrays")
        self.names = tuple(named)
        self._flat, self._index, self._sizes = [], [], []
        variables, codes = [], []
        P = design.n_psus
        for k, name in enumerate(self.names):
            index, levels = dense_codes(_codes(named[name], design.n, name), keep_negative=True)
            size = int(levels.size)
            # Respondents in no domain go to the overflow bin P·size, dropped after counting.
            flat = np.where(index >= 0, design.psu_index * size + index, P * size)
            self._flat.append(flat)
            self._index.append(np.where(index >= 0, index, size))
            self._sizes.append(size)
            variables.append(np.full(size, k, dtype=np.int64))
            codes.append(levels)
        self.variable = np.concatenate(variables)  # (D,) which variable
        self.code = np.concatenate(codes)  # (D,) the domain's code in its variable
        self.size = int(self.code.size)

    def psu_sums(self, values=None) -> np.ndarray:
        """(P, D): per PSU and domain, the sum of `values` (None: the count)."""
        P = self.design.n_psus
        blocks = []
        for flat, size in zip(self._flat, self._sizes, strict=True):
            sums = np.bincount(flat, weights=values, minlength=P * size + 1)[: P * size]
            blocks.append(sums.reshape(P, size).astype(np.float64, copy=False))
        return np.hstack(blocks) if len(blocks) > 1 else blocks[0]

    def domain_sums(self, values=None) -> np.ndarray:
        """(D,): per domain, the sum of `values` (None: the number of respondents)."""
        parts = []
        for index, size in zip(self._index, self._sizes, strict=True):
            parts.append(np.bincount(index, weights=values, minlength=size + 1)[:size])
        return np.concatenate(parts).astype(np.float64, copy=False)

    def sums(self, weights, y) -> DomainSums:
        """The sums every estimator of a domain mean needs, for the outcome `y`."""
        return self.sums_many(weights, [y])[0]

    def sums_many(self, weights, outcomes) -> list[DomainSums]:
        """`sums` for several outcomes, the weight sums computed once."""
        weights = _finite(weights, self.design.n, "weights")
        if np.any(weights < 0):
            raise EstimationError("design_input", detail="weights must be ≥ 0")
        w = self.psu_sums(weights)
        n = self.domain_sums(None)
        out = []
        for y in outcomes:
            y = _finite(y, self.design.n, "y")
            wy = weights * y
            out.append(
                DomainSums(self, w=w, wy=self.psu_sums(wy), n=n, wyy=self.domain_sums(wy * y))
            )
        return out


@dataclass
class DomainSums:
    """Per PSU × domain: Σw (`w`) and Σw·y (`wy`); per domain: respondents (`n`) and
    Σw·y² (`wyy`, for the design effect)."""

    domains: Domains
    w: np.ndarray
    wy: np.ndarray
    n: np.ndarray
    wyy: np.ndarray

    def totals(self) -> tuple[np.ndarray, np.ndarray]:
        """(Σw, Σw·y) per domain."""
        return self.w.sum(axis=0), self.wy.sum(axis=0)

    def srs_variance(self, estimate: np.ndarray) -> np.ndarray:
        """The variance of the domain mean under simple random sampling with replacement
        of the same number of respondents: s²/n_d with the weighted element variance
        s² = n_d/(n_d − 1) · Σw(y − ȳ)²/Σw (Kish 1965; Stata's `estat effects`
        without the fpc). The denominator of the design effect."""
        W, _ = self.totals()
        n = self.n
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = np.maximum(self.wyy / W - estimate * estimate, 0.0)
            return np.where(n > 1, spread / (n - 1.0), np.nan)


@dataclass
class DomainEstimates:
    """Domain means or proportions with their precision, one entry per domain (arrays of
    length D). `variable`/`code` say which domain; `names[variable]` names the variable.
    `population` is the estimated population of the domain (Σw). `deff` is the design
    effect against simple random sampling of the same size (`DomainSums.srs_variance`)."""

    method: str
    proportion: bool
    confidence: float
    df: float | None
    names: tuple
    variable: np.ndarray
    code: np.ndarray
    n: np.ndarray
    population: np.ndarray
    estimate: np.ndarray
    variance: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    cv: np.ndarray
    deff: np.ndarray

    def position(self, variable, code) -> int:
        """The column of domain `code` of `variable` (a name or an index)."""
        k = self.names.index(variable) if isinstance(variable, str) else int(variable)
        hit = np.flatnonzero((self.variable == k) & (self.code == code))
        if not hit.size:
            raise KeyError((variable, code))
        return int(hit[0])

    def rows(self) -> list[dict]:
        """One JSON-able dict per domain."""
        fields = ("n", "population", "estimate", "se", "lower", "upper", "cv", "deff")
        out = []
        for j in range(self.code.size):
            row = {"variable": self.names[self.variable[j]], "code": int(self.code[j])}
            for f in fields:
                value = getattr(self, f)[j]
                row[f] = int(value) if f == "n" else (None if np.isnan(value) else float(value))
            out.append(row)
        return out


def _finite(values, n: int, what: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (n,) or not np.all(np.isfinite(values)):
        raise EstimationError("design_input", detail=f"{what}: {n} finite values")
    return values


def check_proportion(y) -> None:
    """A proportion is the mean of a 0/1 outcome: anything else is refused."""
    y = np.asarray(y)
    if not np.all((y == 0) | (y == 1)):
        raise EstimationError("design_input", detail="a proportion needs a 0/1 outcome")


def _codes(values, n: int, what: str) -> np.ndarray:
    values = np.asarray(values)
    if values.shape != (n,):
        raise EstimationError("design_input", detail=f"{what} must have {n} values")
    if values.dtype.kind == "f":
        if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
            raise EstimationError("design_input", detail=f"{what} must be integer codes")
        values = values.astype(np.int64)
    return values


def _fpc(fpc, strata_codes: np.ndarray) -> np.ndarray:
    H = strata_codes.size
    if fpc is None:
        return np.ones(H)
    if isinstance(fpc, Mapping):
        missing = [int(c) for c in strata_codes if int(c) not in fpc]
        if missing:
            raise EstimationError("design_input", detail=f"no fpc for strata {missing[:20]}")
        factors = np.array([float(fpc[int(c)]) for c in strata_codes])
    else:
        factors = np.full(H, float(fpc))
    if np.any((factors < 0) | (factors > 1)):
        raise EstimationError("design_input", detail="fpc factors must lie in [0, 1]")
    return factors
