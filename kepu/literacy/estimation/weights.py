"""Survey weights: design weights, non-response adjustment, raking to population margins.

- Design weights (Kish 1965; Valliant & Dever 2018): in stratum h with
  population N_h and n_h respondents, w_i = N_h/n_h.
- Non-response adjustment by weighting classes (Valliant & Dever 2018; samplics
  `SampleWeight.adjust`): in class c, respondents' weights are multiplied by
  Σ_{c} w / Σ_{c, responded} w; non-respondents get 0.
- Raking (iterative proportional fitting; Deming & Stephan 1940; Kalton & Flores-Cervantes
  2003): margin by margin, the weights of category k of margin m are multiplied by
  T_mk / Σ_{i∈k} w_i; a cycle through all margins is one iteration, repeated until every
  margin is met within `tol` (relative). Optional trimming: after each cycle the factor
  g_i = w_i/w⁰_i is clipped to `bounds` = (L, U) (relative to the starting weights), so
  the margins are met as closely as the bounds allow; a rake that cannot meet them
  reports `converged` False.

Raking is done on cells: respondents with the same category in every margin always get
the same factor, so the iterations run over the distinct cells (a few thousand) instead
of the respondents (a million), and the final weights are w⁰_i·g_cell(i). The iterates
are those of the respondent-level algorithm (samplics `SampleWeight.rake`, which the
tests match to 1e-9 after the same number of iterations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ._numeric import dense_codes
from .errors import EstimationError

TOLERANCE = 1e-8
MAX_ITER = 100
TOTAL_TOLERANCE = 1e-6  # margins whose totals differ by more (relative) are refused


@dataclass
class DesignWeights:
    """`weights` (n,); `respondents` and `population` per stratum code; `empty_strata`:
    strata with population but no respondent (their population is not covered:
    `uncovered` people), reported instead of divided by zero."""

    weights: np.ndarray
    respondents: dict
    population: dict
    empty_strata: list
    uncovered: float


def design_weights(stratum_codes, population_by_stratum) -> DesignWeights:
    """w_i = N_h/n_h. `population_by_stratum`: a mapping {stratum code: N_h} or an array
    indexed by the stratum code. Respondents in a stratum without a population figure are
    refused (EstimationError "unknown_strata")."""
    codes = np.asarray(stratum_codes)
    if codes.ndim != 1 or codes.dtype.kind not in "iu":
        raise EstimationError("weights_input", detail="stratum codes must be integers")
    if isinstance(population_by_stratum, Mapping):
        population = {int(k): float(v) for k, v in population_by_stratum.items()}
    else:
        values = np.asarray(population_by_stratum, dtype=np.float64)
        population = {k: float(v) for k, v in enumerate(values)}
    if any(not np.isfinite(v) or v < 0 for v in population.values()):
        raise EstimationError("weights_input", detail="populations must be ≥ 0")
    index, levels = dense_codes(codes)
    counts = np.bincount(index, minlength=levels.size)
    unknown = [int(c) for c in levels if int(c) not in population or population[int(c)] <= 0]
    if unknown:
        raise EstimationError("unknown_strata", strata=unknown)
    per_level = np.array([population[int(c)] for c in levels]) / counts
    respondents = {int(c): int(k) for c, k in zip(levels, counts, strict=True)}
    empty = sorted(c for c, v in population.items() if v > 0 and c not in respondents)
    return DesignWeights(
        weights=per_level[index],
        respondents=respondents,
        population=population,
        empty_strata=empty,
        uncovered=float(sum(population[c] for c in empty)),
    )


def nonresponse_adjust(weights, cell_codes, responded) -> np.ndarray:
    """Weighting-class adjustment: respondents carry their class's whole weight,
    non-respondents get 0. A class with non-respondents but no respondent is refused
    (EstimationError "empty_cells", naming the classes: collapse them and retry)."""
    w = _weights(weights)
    responded = np.asarray(responded, dtype=bool)
    index, levels = dense_codes(_int_codes(cell_codes, w.size, "cell codes"))
    if responded.shape != w.shape:
        raise EstimationError("weights_input", detail="responded must have n values")
    total = np.bincount(index, weights=w, minlength=levels.size)
    kept = np.bincount(index, weights=np.where(responded, w, 0.0), minlength=levels.size)
    empty = (kept <= 0) & (total > 0)
    if empty.any():
        raise EstimationError("empty_cells", cells=[int(c) for c in levels[empty]])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(kept > 0, total / kept, 0.0)
    return np.where(responded, w * factor[index], 0.0)


@dataclass
class RakeResult:
    """The raked `weights`, whether every margin is met within the tolerance
    (`converged`), the `iterations` made, per margin the largest relative gap between
    the weighted count and the target (`max_error`, in `names` order), how many
    respondents have a factor at a trimming bound (`trimmed`), and the range of the
    factors w/w⁰ (`factor_min`, `factor_max`)."""

    weights: np.ndarray
    converged: bool
    iterations: int
    max_error: np.ndarray
    names: tuple
    trimmed: int = 0
    factor_min: float = 1.0
    factor_max: float = 1.0
    cells: int = 0
    history: list = field(default_factory=list)

    def report(self) -> dict:
        """The convergence report, JSON-able."""
        return {
            "converged": self.converged,
            "iterations": self.iterations,
            "max_error": {n: float(e) for n, e in zip(self.names, self.max_error, strict=True)},
            "trimmed": self.trimmed,
            "factor_min": self.factor_min,
            "factor_max": self.factor_max,
            "cells": self.cells,
        }


def rake(
    weights,
    margins,
    *,
    max_iter: int = MAX_ITER,
    tol: float = TOLERANCE,
    bounds: tuple[float, float] | None = None,
    names=None,
    total_tol: float = TOTAL_TOLERANCE,
) -> RakeResult:
    """Rake `weights` to `margins`: a list of (codes, targets) with `codes` (n,) the
    category 0..K−1 of each respondent in that margin and `targets` (K,) the population
    of each category (or a mapping {name: (codes, targets)}). `bounds` (L, U) with
    0 < L ≤ 1 ≤ U trims the factors w/w⁰. Refused: margins whose totals differ by more
    than `total_tol` (relative; "margin_totals"), a category with a population but no
    respondent ("margin_empty_category") or respondents but a population of 0
    ("margin_zero_target"). Not converging is not an error: `converged` is False."""
    w0 = _weights(weights)
    if isinstance(margins, Mapping):
        names, margins = tuple(margins), list(margins.values())
    names = tuple(names) if names is not None else tuple(f"margin{k}" for k in range(len(margins)))
    if not margins or len(names) != len(margins):
        raise EstimationError("weights_input", detail="margins and their names")
    codes, targets = [], []
    for name, (c, t) in zip(names, margins, strict=True):
        t = np.asarray(t, dtype=np.float64)
        c = _int_codes(c, w0.size, f"codes of {name}")
        if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
            raise EstimationError("weights_input", detail=f"targets of {name}")
        if c.size and (c.min() < 0 or c.max() >= t.size):
            detail = f"codes of {name} outside 0..{t.size - 1}"
            raise EstimationError("weights_input", detail=detail)
        codes.append(c)
        targets.append(t)
    totals = [float(t.sum()) for t in targets]
    if any(abs(x - totals[0]) > total_tol * max(abs(totals[0]), 1.0) for x in totals[1:]):
        raise EstimationError(
            "margin_totals", totals={n: f"{x:,.0f}" for n, x in zip(names, totals, strict=True)}
        )
    if bounds is not None:
        low, high = (float(b) for b in bounds)
        if not (0 < low <= 1 <= high):
            raise EstimationError("weights_input", detail="bounds must satisfy 0 < L ≤ 1 ≤ U")
    cell, cell_codes = _cells(codes, [t.size for t in targets])
    base = np.bincount(cell, weights=w0, minlength=cell_codes.shape[0])
    present = base > 0
    for m, (name, t) in enumerate(zip(names, targets, strict=True)):
        reached = np.bincount(cell_codes[present, m], minlength=t.size) > 0
        empty = np.flatnonzero((t > 0) & ~reached)
        if empty.size:
            k = int(empty[0])
            raise EstimationError(
                "margin_empty_category", margin=name, category=k, target=f"{t[k]:,.0f}"
            )
        zero = np.flatnonzero((t == 0) & reached)
        if zero.size:
            raise EstimationError("margin_zero_target", margin=name, category=int(zero[0]))
    g = np.ones(base.size)
    errors = np.full(len(targets), np.inf)
    converged, iterations, history = False, 0, []
    for iterations in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        for m, t in enumerate(targets):
            sums = np.bincount(cell_codes[:, m], weights=base * g, minlength=t.size)
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(sums > 0, t / sums, 1.0)
            g *= factor[cell_codes[:, m]]
        if bounds is not None:
            np.clip(g, low, high, out=g)
        errors = _margin_errors(base * g, cell_codes, targets)
        history.append(float(errors.max()))
        if errors.max() <= tol:
            converged = True
            break
    trimmed = 0
    if bounds is not None:
        at_bound = present & ((g <= low * (1 + 1e-12)) | (g >= high * (1 - 1e-12)))
        trimmed = int(np.bincount(cell, minlength=base.size)[at_bound].sum())
    return RakeResult(
        weights=w0 * g[cell],
        converged=converged,
        iterations=iterations,
        max_error=errors,
        names=names,
        trimmed=trimmed,
        factor_min=float(g[present].min()),
        factor_max=float(g[present].max()),
        cells=int(present.sum()),
        history=history,
    )


def _margin_errors(cell_weights, cell_codes, targets) -> np.ndarray:
    out = np.zeros(len(targets))
    for m, t in enumerate(targets):
        sums = np.bincount(cell_codes[:, m], weights=cell_weights, minlength=t.size)
        positive = t > 0
        out[m] = np.max(np.abs(sums[positive] - t[positive]) / t[positive]) if positive.any() else 0
    return out


def _cells(codes: list, sizes: list) -> tuple[np.ndarray, np.ndarray]:
    """(cell of each respondent, (C × M) category of each cell in each margin): the
    margins' codes combined one margin at a time, kept dense after each step."""
    cell = np.zeros(codes[0].size, dtype=np.int64)
    table = np.zeros((1, 0), dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        combined, levels = dense_codes(cell * size + c)
        parent, category = levels // size, levels % size
        table = np.hstack((table[parent], category[:, None]))
        cell = combined
    return cell, table


def _weights(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise EstimationError("weights_input", detail="weights must be finite and ≥ 0")
    return w


def _int_codes(values, n: int, what: str) -> np.ndarray:
    values = np.asarray(values)
    if values.shape != (n,) or values.dtype.kind not in "iu":
        raise EstimationError("weights_input", detail=f"{what}: {n} integer codes")
    return values.astype(np.int64, copy=False)
