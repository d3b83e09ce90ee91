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


def engine_thresholds(scheme: Scheme) -> tuple[float, ...]:
    """The scheme's tier minimums in hundredths of points, ascending (the estimation
    engine's thresholds); a percent minimum is turned into points of the instrument's
    total."""
    out = []
    for _code, minimum in reversed(scheme.tiers[:-1]):  # the lowest tier starts at 0
        out.append(minimum * scheme.total_cents / 10000 if scheme.percent else float(minimum))
    return tuple(out)


def score_matrix(scheme: Scheme, slots, correct: np.ndarray):
    """The vectorized twin of `score` for n respondents of one form: `correct` is an
    n × k boolean matrix in the order of `slots`. The estimation engine
    (`estimation.scoring.score`) does the scoring, in hundredths of points (exact in
    floating point) with the scheme's tiers. Returns (dimension cents n × d in the
    scheme's dimension order, total cents n, tier codes n (object array), literate n)."""
    from kepu.literacy.estimation import scoring as engine

    correct = np.asarray(correct, dtype=bool)
    dim_index = {code: i for i, code in enumerate(scheme.dimensions)}
    scored = [j for j, s in enumerate(slots) if s.key and s.dimension in dim_index]
    n = correct.shape[0]
    if not scheme.scored or not scheme.tiers or not scored:
        tiers = np.full(n, scheme.tiers[-1][0] if scheme.tiers else "", dtype=object)
        empty = np.zeros((n, len(scheme.dimensions)), dtype=np.int64)
        return empty, np.zeros(n, dtype=np.int64), tiers, np.zeros(n, dtype=bool)
    thresholds = engine_thresholds(scheme)
    codes = [code for code, _minimum in reversed(scheme.tiers)]  # ascending
    literate_tier = min(codes.index(code) for code in scheme.literate) if scheme.literate else 0
    form = engine.Form(
        keys=np.ones(len(scored), dtype=np.int64),  # a right answer is 1, a wrong one 0
        points=np.array([slots[j].cents for j in scored], dtype=np.float64),
        dimension=np.array([dim_index[slots[j].dimension] for j in scored], dtype=np.int64),
        dimensions=scheme.dimensions,
        kind=np.full(len(scored), engine.SINGLE, dtype=np.int64),
        options=np.full(len(scored), 2, dtype=np.int64),
        thresholds=thresholds,
        literate_tier=literate_tier if scheme.literate else len(thresholds),
        tier_names=tuple(codes),
    )
    result = engine.score(correct[:, scored].astype(np.int64), form)
    dim_cents = np.rint(result.dimensions).astype(np.int64)
    tiers = np.array(codes, dtype=object)[result.tier]
    literate = np.isin(tiers, list(scheme.literate)) if scheme.literate else result.literate
    return dim_cents, dim_cents.sum(axis=1), tiers, literate & bool(scheme.literate)
