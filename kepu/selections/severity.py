"""Rater-severity correction and ranking of the expert review (issue 24), pure: plain
(entry, reviewer, total) triples in, plain rows out, no ORM.

Three scores per entry:

- **raw mean**: the mean of its reviewers' totals;
- **z-score correction** (`Severity.ZSCORE`): each total standardized within its reviewer
  (total minus the reviewer's mean, over the reviewer's standard deviation; the totals of
  a reviewer with one score or a standard deviation of 0, whose severity cannot be
  estimated, are taken at face value: standardized against all the totals), the entry's
  mean z rescaled to points (overall mean + z × overall sd) so it reads like a score;
- **additive rater-severity model** (`Severity.FACETS`): total = ability(entry) −
  severity(reviewer) + error, fitted by least squares with the severities summing to 0,
  by alternating updates until no estimate moves by 1e-6 or more. This is the linear
  analogue of the many-facet Rasch model (MFRM, Linacre): the same facets, on the point
  scale instead of a logit scale with rating-scale thresholds. A full MFRM is not
  implemented.

Ranking: by the corrected score (the raw mean when the call corrects nothing); equal
corrected scores (to 3 decimals) are both flagged `tie` and ordered by raw mean, then by
the number of reviews, then by entry id. An entry with fewer submitted reviews than the
quorum is not ranked (`ranked` False) but still shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NONE, ZSCORE, FACETS = "none", "z", "facets"  # the values of choices.Severity
TOLERANCE = 1e-6
MAX_ROUNDS = 10_000


@dataclass
class EntryRow:
    entry: object
    reviews: int
    raw_mean: float
    z_score: float  # the z-corrected score in points
    ability: float  # the additive model's estimate
    corrected: float  # the one used for ranking (by method)
    ranked: bool = True
    raw_rank: int | None = None
    corrected_rank: int | None = None
    tie: bool = False

    @property
    def moved(self) -> int | None:
        """Places gained by the correction (positive: up)."""
        if self.raw_rank is None or self.corrected_rank is None:
            return None
        return self.raw_rank - self.corrected_rank


@dataclass
class ReviewerRow:
    reviewer: object
    reviews: int
    mean: float
    sd: float
    severity: float  # additive model: points below an average reviewer (negative: lenient)


@dataclass
class Ranking:
    entries: list  # EntryRow, in corrected order (ranked first, then the unranked)
    reviewers: list  # ReviewerRow, most severe first
    overall_mean: float
    overall_sd: float
    rounds: int  # alternating updates the additive model took


def _prepare(scores):
    import numpy as np

    triples = [(e, r, float(t)) for e, r, t in scores]
    entries = sorted({e for e, _, _ in triples}, key=_key)
    reviewers = sorted({r for _, r, _ in triples}, key=_key)
    ei = {e: i for i, e in enumerate(entries)}
    ri = {r: i for i, r in enumerate(reviewers)}
    e_idx = np.fromiter((ei[e] for e, _, _ in triples), np.int64, len(triples))
    r_idx = np.fromiter((ri[r] for _, r, _ in triples), np.int64, len(triples))
    x = np.fromiter((t for _, _, t in triples), np.float64, len(triples))
    return entries, reviewers, e_idx, r_idx, x


def _key(value):
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def fit_additive(e_idx, r_idx, x, n_e, n_r):
    """(ability per entry, severity per reviewer, rounds) of the additive model."""
    import numpy as np

    n_entry = np.bincount(e_idx, minlength=n_e).astype(float)
    n_rev = np.bincount(r_idx, minlength=n_r).astype(float)
    lenient = np.zeros(n_r)
    ability = np.bincount(e_idx, weights=x, minlength=n_e) / np.maximum(n_entry, 1)
    rounds = 0
    for rounds in range(1, MAX_ROUNDS + 1):  # noqa: B007 - the count is reported
        new_ability = np.bincount(e_idx, weights=x - lenient[r_idx], minlength=n_e) / np.maximum(
            n_entry, 1
        )
        new_lenient = np.bincount(
            r_idx, weights=x - new_ability[e_idx], minlength=n_r
        ) / np.maximum(n_rev, 1)
        shift = new_lenient.mean()
        new_lenient -= shift  # severities sum to 0 …
        new_ability += shift  # … and the abilities carry the level
        change = max(
            float(np.abs(new_ability - ability).max(initial=0)),
            float(np.abs(new_lenient - lenient).max(initial=0)),
        )
        ability, lenient = new_ability, new_lenient
        if change < TOLERANCE:
            break
    return ability, -lenient, rounds


def rank(scores: Iterable[tuple], *, method: str = ZSCORE, min_reviews: int = 1) -> Ranking:
    """Rank the entries of (entry, reviewer, total) triples (see the module docstring)."""
    import numpy as np

    entries, reviewers, e_idx, r_idx, x = _prepare(scores)
    n_e, n_r = len(entries), len(reviewers)
    if not len(x):
        return Ranking([], [], 0.0, 0.0, 0)
    overall_mean, overall_sd = float(x.mean()), float(x.std())

    n_entry = np.bincount(e_idx, minlength=n_e)
    n_rev = np.bincount(r_idx, minlength=n_r)
    raw = np.bincount(e_idx, weights=x, minlength=n_e) / n_entry
    r_mean = np.bincount(r_idx, weights=x, minlength=n_r) / n_rev
    r_var = np.bincount(r_idx, weights=(x - r_mean[r_idx]) ** 2, minlength=n_r) / n_rev
    r_sd = np.sqrt(r_var)
    usable = (n_rev > 1) & (r_sd > 1e-12)
    face_value = (x - overall_mean) / overall_sd if overall_sd > 1e-12 else np.zeros_like(x)
    z = np.where(usable[r_idx], (x - r_mean[r_idx]) / np.where(usable, r_sd, 1)[r_idx], face_value)
    z_points = overall_mean + np.bincount(e_idx, weights=z, minlength=n_e) / n_entry * overall_sd
    ability, severity, rounds = fit_additive(e_idx, r_idx, x, n_e, n_r)
    chosen = {NONE: raw, ZSCORE: z_points, FACETS: ability}.get(method, z_points)

    rows = [
        EntryRow(
            entry=entries[i],
            reviews=int(n_entry[i]),
            raw_mean=float(raw[i]),
            z_score=float(z_points[i]),
            ability=float(ability[i]),
            corrected=float(chosen[i]),
            ranked=int(n_entry[i]) >= min_reviews,
        )
        for i in range(n_e)
    ]
    ranked = [row for row in rows if row.ranked]
    by_raw = sorted(ranked, key=lambda r: (-round(r.raw_mean, 3), -r.reviews, _key(r.entry)))
    for place, row in enumerate(by_raw, 1):
        row.raw_rank = place
    by_corrected = sorted(
        ranked,
        key=lambda r: (-round(r.corrected, 3), -round(r.raw_mean, 3), -r.reviews, _key(r.entry)),
    )
    for place, row in enumerate(by_corrected, 1):
        row.corrected_rank = place
    for a, b in zip(by_corrected, by_corrected[1:], strict=False):
        if round(a.corrected, 3) == round(b.corrected, 3):
            a.tie = b.tie = True
    unranked = sorted((r for r in rows if not r.ranked), key=lambda r: _key(r.entry))
    reviewer_rows = sorted(
        (
            ReviewerRow(
                reviewer=reviewers[j],
                reviews=int(n_rev[j]),
                mean=float(r_mean[j]),
                sd=float(r_sd[j]),
                severity=float(severity[j]),
            )
            for j in range(n_r)
        ),
        key=lambda r: (-r.severity, _key(r.reviewer)),
    )
    return Ranking(by_corrected + unranked, reviewer_rows, overall_mean, overall_sd, rounds)
