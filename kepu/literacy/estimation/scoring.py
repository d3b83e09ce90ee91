"""Scoring of a response matrix and classical item statistics.

Answers are a (respondents × items) integer matrix of option bitmasks: option k sets bit
k, so a single-choice answer has one bit, a true/false answer one of two bits, a
multiple-choice answer any set of bits; 0 is no answer. An item is correct when the answer
equals its key exactly (a multiple-choice answer with one option too many or too few is
wrong, as in the national survey). Scores per dimension are Σ points·correct over the
dimension's items; the total is their sum; the tier is the number of thresholds the total
reaches.

Structures (domain.md §6.2, §6.4):

- `STRUCTURE_2024` (14th survey): 科学知识 40, 科学方法 20, 科学精神与思想 20, 应用科学
  的能力 20 points; ≥ 85 高阶 (advanced), ≥ 70 具备 (literate), ≥ 55 基本具备 (basic),
  else 较低 (lower); literate means tier ≥ 2;
- `benchmark_2016(form)`: the 2016 基准 test, literate at ≥ 60% of the points.

Classical item statistics (Crocker & Algina 1986; Cronbach 1951), on the
item scores x_ij = points_j·correct_ij with sample variances (n − 1):

- difficulty p_j: the share answering item j correctly;
- corrected point-biserial discrimination: corr(x_j, T − x_j), T the total;
- option use: per item and option, the share of respondents marking the option (for a
  single-choice item, the wrong options' shares are the distractors' use), and the
  share leaving the item blank;
- Cronbach's α = J/(J − 1)·(1 − Σ var(x_j)/var(T)), and α with item j deleted.

Everything is accumulated over chunks of rows, so a million respondents × 50 items never
makes a float copy of the whole matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import EstimationError

SINGLE, TRUE_FALSE, MULTIPLE = 0, 1, 2
CHUNK = 131_072
TIER_NAMES_2024 = ("lower", "basic", "literate", "advanced")
DIMENSIONS_2024 = ("knowledge", "method", "spirit", "application")


@dataclass(frozen=True)
class Form:
    """A scored form: per item its key (bitmask), points, dimension (index into
    `dimensions`), kind (SINGLE, TRUE_FALSE, MULTIPLE) and number of options; the tier
    `thresholds` in points (ascending) and the tier from which a respondent counts as
    literate."""

    keys: np.ndarray
    points: np.ndarray
    dimension: np.ndarray
    dimensions: tuple
    kind: np.ndarray
    options: np.ndarray
    thresholds: tuple
    literate_tier: int
    tier_names: tuple = TIER_NAMES_2024

    def __post_init__(self):
        J = np.asarray(self.keys).size
        for name in ("points", "dimension", "kind", "options"):
            if np.asarray(getattr(self, name)).shape != (J,):
                raise EstimationError("scoring_input", detail=f"{name} needs one value per item")
        if np.any(np.asarray(self.keys) <= 0):
            raise EstimationError("scoring_input", detail="every item needs a key")
        dims = np.asarray(self.dimension)
        if dims.min() < 0 or dims.max() >= len(self.dimensions):
            raise EstimationError("scoring_input", detail="dimension outside the dimensions")
        if list(self.thresholds) != sorted(self.thresholds):
            raise EstimationError("scoring_input", detail="thresholds must be ascending")
        if not 0 <= self.literate_tier <= len(self.thresholds):
            raise EstimationError("scoring_input", detail="literate tier")

    @property
    def items(self) -> int:
        return int(np.asarray(self.keys).size)

    @property
    def max_points(self) -> float:
        return float(np.sum(self.points))

    def dimension_points(self) -> np.ndarray:
        """(items × dimensions) the points of each item in its dimension's column."""
        out = np.zeros((self.items, len(self.dimensions)))
        out[np.arange(self.items), np.asarray(self.dimension)] = np.asarray(self.points)
        return out


def structure_2024(keys, kind, options, dimension, points) -> Form:
    """A form of the 2024 structure (tiers at 55, 70, 85 points; literate from 70)."""
    return Form(
        keys=np.asarray(keys, dtype=np.int64),
        points=np.asarray(points, dtype=np.float64),
        dimension=np.asarray(dimension, dtype=np.int64),
        dimensions=DIMENSIONS_2024,
        kind=np.asarray(kind, dtype=np.int64),
        options=np.asarray(options, dtype=np.int64),
        thresholds=(55.0, 70.0, 85.0),
        literate_tier=2,
    )


def benchmark_2016(form: Form) -> Form:
    """The same items scored by the 2016 基准 rule: literate at ≥ 60% of the points."""
    return Form(
        keys=form.keys,
        points=form.points,
        dimension=form.dimension,
        dimensions=form.dimensions,
        kind=form.kind,
        options=form.options,
        thresholds=(0.6 * form.max_points,),
        literate_tier=1,
        tier_names=("below", "literate"),
    )


@dataclass
class Scores:
    """Per respondent: `dimensions` (n × K) points, `total`, `tier` (0 = lowest) and
    `literate` (tier ≥ the form's literate tier)."""

    dimensions: np.ndarray
    total: np.ndarray
    tier: np.ndarray
    literate: np.ndarray


def score(answers, form: Form) -> Scores:
    """Score every respondent (see the module docstring)."""
    answers = _answers(answers, form)
    n = answers.shape[0]
    dims = np.empty((n, len(form.dimensions)))
    keys = np.asarray(form.keys).astype(answers.dtype)
    weights = form.dimension_points()
    for start in range(0, n, CHUNK):
        block = answers[start : start + CHUNK]
        dims[start : start + CHUNK] = (block == keys).astype(np.float64) @ weights
    total = dims.sum(axis=1)
    tier = tiers(total, form.thresholds)
    return Scores(dims, total, tier, tier >= form.literate_tier)


def tiers(total, thresholds) -> np.ndarray:
    """The number of (ascending) thresholds each total reaches (≥)."""
    edges = np.asarray(thresholds, dtype=np.float64)
    return np.searchsorted(edges, np.asarray(total, dtype=np.float64), side="right").astype(np.int8)


@dataclass
class ItemStatistics:
    """Per item (arrays of J): `difficulty`, `discrimination` (corrected point-biserial),
    `option_share` (J × options), `blank_share`, `alpha_if_deleted`; and `alpha`."""

    n: int
    difficulty: np.ndarray
    discrimination: np.ndarray
    option_share: np.ndarray
    blank_share: np.ndarray
    alpha: float
    alpha_if_deleted: np.ndarray


def item_statistics(answers, form: Form) -> ItemStatistics:
    """Classical item analysis of `answers` (see the module docstring)."""
    answers = _answers(answers, form)
    n, J = answers.shape
    if n < 2 or J < 3:
        raise EstimationError("scoring_input", detail="at least 2 respondents and 3 items")
    keys = np.asarray(form.keys).astype(answers.dtype)
    points = np.asarray(form.points, dtype=np.float64)
    bits = int(np.max(form.options))
    correct = np.zeros(J)
    correct_total = np.zeros(J)
    option_count = np.zeros((J, bits))
    blank = np.zeros(J)
    sum_t = sum_tt = 0.0
    for start in range(0, n, CHUNK):
        block = answers[start : start + CHUNK]
        c = (block == keys).astype(np.float64)
        t = c @ points
        correct += c.sum(axis=0)
        correct_total += t @ c
        sum_t += t.sum()
        sum_tt += t @ t
        blank += (block == 0).sum(axis=0)
        for k in range(bits):
            option_count[:, k] += ((block >> k) & 1).sum(axis=0)
    p = correct / n
    var_x = points**2 * (correct - correct * p) / (n - 1)
    cov_xt = points * (correct_total - correct * sum_t / n) / (n - 1)
    var_t = (sum_tt - sum_t * sum_t / n) / (n - 1)
    var_rest = var_t + var_x - 2.0 * cov_xt
    with np.errstate(divide="ignore", invalid="ignore"):
        discrimination = (cov_xt - var_x) / np.sqrt(var_x * var_rest)
        alpha = J / (J - 1) * (1.0 - var_x.sum() / var_t)
        alpha_if_deleted = (J - 1) / (J - 2) * (1.0 - (var_x.sum() - var_x) / var_rest)
    return ItemStatistics(
        n=n,
        difficulty=p,
        discrimination=discrimination,
        option_share=option_count / n,
        blank_share=blank / n,
        alpha=float(alpha),
        alpha_if_deleted=alpha_if_deleted,
    )


def _answers(answers, form: Form) -> np.ndarray:
    answers = np.asarray(answers)
    if answers.ndim != 2 or answers.shape[1] != form.items or answers.dtype.kind not in "iu":
        raise EstimationError(
            "scoring_input", detail=f"answers must be an integer matrix with {form.items} columns"
        )
    return answers
