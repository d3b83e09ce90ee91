"""Scoring: the one function that turns a response's answers into dimension scores, a
total, a tier and the literate verdict, with the instrument's tiers.

Points are counted in hundredths (integers), so a score is exact whatever the order of
the additions: the per-response path (`score`) and the vectorized path (`score_matrix`,
used by `bulk_responses` and compared with the estimation engine's vectorized scoring)
give identical totals and tiers.

An answer is right when it is exactly the key: the one option of a true-or-false or
single-choice item, or all the keyed options and none other of a multiple-choice item
(the national survey's rule). A rating-scale item carries no points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from kepu.literacy import choices as c


def normalize(kind: str, answer) -> str:
    """The canonical text of an answer: upper case, options of a multiple choice sorted,
    each once."""
    text = "".join(str(answer or "").split()).upper()
    if kind == c.ItemKind.MULTIPLE:
        return "".join(sorted(set(text)))
    return text


def key_text(kind: str, key) -> str:
    return normalize(kind, "".join(str(k) for k in (key or [])))


@dataclass(frozen=True)
class Slot:
    """One item as a form carries it: what it is keyed to and what it is worth."""

    item: int
    dimension: str
    kind: str
    key: str  # the canonical key text ("" for a rating scale)
    cents: int  # points × 100
    options: tuple = ()  # the valid option keys

    def accepts(self, answer: str) -> bool:
        """The answer is made of this item's options (or an allowed rating)."""
        if not answer:
            return False
        if self.kind == c.ItemKind.LIKERT:
            return answer in self.options
        if self.kind == c.ItemKind.MULTIPLE:
            return set(answer) <= set(self.options)
        return answer in self.options

    def is_right(self, answer: str) -> bool:
        return bool(self.key) and answer == self.key


@dataclass(frozen=True)
class Scheme:
    """What scoring needs of an instrument: its dimensions in order, its total in
    hundredths, its tiers (code, minimum in hundredths of points or of a percent) from
    the top, whether tiers are on the share of points, the tiers counted as literate."""

    scored: bool
    dimensions: tuple
    total_cents: int
    tiers: tuple  # ((code, min_cents), ...) from the top
    percent: bool
    literate: frozenset

    @classmethod
    def of(cls, instrument) -> Scheme:
        dims = tuple(d.code for d in instrument.dimensions.all())
        return cls(
            scored=instrument.kind == c.InstrumentKind.SCORED,
            dimensions=dims,
            total_cents=_cents(instrument.total_points),
            tiers=tuple((t["code"], _cents(t["min"])) for t in instrument.tiers or []),
            percent=instrument.percent,
            literate=frozenset(instrument.literate or []),
        )

    def tier_of(self, total_cents: int) -> str:
        """The highest tier whose minimum the total reaches ("" for an unscored one)."""
        if not self.tiers:
            return ""
        measure = total_cents
        if self.percent and self.total_cents:
            # Compare total / total_points ≥ min / 100 without division.
            for code, minimum in self.tiers:
                if total_cents * 100 * 100 >= minimum * self.total_cents:
                    return code
            return self.tiers[-1][0]
        for code, minimum in self.tiers:
            if measure >= minimum:
                return code
        return self.tiers[-1][0]


def _cents(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


@dataclass(frozen=True)
class Score:
    dimension_scores: dict  # {dimension code: Decimal points}
    total: Decimal | None
    tier: str
    literate: bool | None
    right: dict  # {item pk: True/False} for the scored items answered


def score(scheme: Scheme, slots, answers: dict) -> Score:
    """Score one response. `answers` is {"<item pk>": answer text}; items left out score
    nothing."""
    if not scheme.scored:
        return Score({}, None, "", None, {})
    dims = dict.fromkeys(scheme.dimensions, 0)
    right = {}
    for slot in slots:
        if not slot.key:
            continue
        answer = normalize(slot.kind, answers.get(str(slot.item), ""))
        ok = slot.is_right(answer)
        right[slot.item] = ok
        if ok:
            dims[slot.dimension] = dims.get(slot.dimension, 0) + slot.cents
    total = sum(dims.values())
    tier = scheme.tier_of(total)
    return Score(
        {code: Decimal(cents) / 100 for code, cents in dims.items()},
        Decimal(total) / 100,
        tier,
        tier in scheme.literate,
        right,
    )


def score_matrix(scheme: Scheme, slots, correct: np.ndarray):
    """The vectorized twin of `score` for n respondents of one form: `correct` is an
    n × k boolean matrix in the order of `slots`. Returns (dimension cents n × d in the
    scheme's dimension order, total cents n, tier codes n (object array), literate n)."""
    correct = np.asarray(correct, dtype=bool)
    cents = np.array([s.cents if s.key else 0 for s in slots], dtype=np.int64)
    dim_index = {code: i for i, code in enumerate(scheme.dimensions)}
    member = np.zeros((len(slots), len(scheme.dimensions)), dtype=np.int64)
    for j, slot in enumerate(slots):
        if slot.dimension in dim_index:
            member[j, dim_index[slot.dimension]] = 1
    dim_cents = (correct * cents) @ member
    total = dim_cents.sum(axis=1)
    tiers = np.full(total.shape, scheme.tiers[-1][0] if scheme.tiers else "", dtype=object)
    if scheme.tiers:
        # Assign from the bottom up so the highest reached tier wins.
        for code, minimum in reversed(scheme.tiers):
            if scheme.percent and scheme.total_cents:
                reached = total * 100 * 100 >= minimum * scheme.total_cents
            else:
                reached = total >= minimum
            tiers[reached] = code
    literate = (
        np.isin(tiers, list(scheme.literate))
        if scheme.literate
        else np.zeros(total.shape, dtype=bool)
    )
    return dim_cents, total, tiers, literate
