"""The subsidy formula (seed 003 (十三)): a budget shared over the eligible bases in whole
yuan that add up to the budget exactly. Pure arithmetic, no database: the subsidy service
feeds it the bases and their scores.

Each eligible base gets the base amount, then the rest of the budget is shared by score
(its total ÷ the sum of totals) and by visitors (its visitors ÷ the sum), by the two
weights. A cap per base keeps a base at the cap and shares what it would have had over
the uncapped bases, pro rata to their amounts, until no base is over the cap. The exact
(rational) amounts are then rounded to whole yuan by the largest remainder, so the sum is
the budget and no capped base goes over its cap. A budget the caps cannot spend, or that
cannot pay the base amounts, is refused rather than left partly unspent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from kepu.core.errors import DomainError


@dataclass
class Candidate:
    """One base offered to the formula; `refusal` is why it gets nothing (set by the
    caller: no evaluation, an ineligible grade), "" when it is eligible."""

    base_id: int
    score: Decimal | None
    grade: str
    visitors: int
    refusal: str = ""


@dataclass
class Share:
    base_id: int
    amount: int
    eligible: bool
    capped: bool
    reason: str


@dataclass(frozen=True)
class Formula:
    budget: int
    base_amount: int
    score_weight: int
    visitor_weight: int
    cap: int | None = None


def check_formula(formula: Formula) -> None:
    """The formula's own rules (before any base is known): a DomainError per field."""
    errors = {}
    if formula.budget <= 0:
        errors["budget"] = [_("The budget must be more than 0 yuan.")]
    if formula.base_amount < 0:
        errors["base_amount"] = [_("The base amount cannot be negative.")]
    for name, weight in (
        ("score_weight", formula.score_weight),
        ("visitor_weight", formula.visitor_weight),
    ):
        if not 0 <= weight <= 100:
            errors[name] = [_("A weight is a percentage from 0 to 100.")]
    if not errors and formula.score_weight + formula.visitor_weight != 100:
        errors["visitor_weight"] = [
            _("The weights by score and by visitors must add up to 100%% (now %(n)s%%).")
            % {"n": formula.score_weight + formula.visitor_weight}
        ]
    if formula.cap is not None:
        if formula.cap <= 0:
            errors["cap"] = [_("The cap must be more than 0 yuan, or left empty.")]
        elif formula.cap < formula.base_amount:
            errors["cap"] = [_("The cap cannot be below the base amount.")]
    if errors:
        raise DomainError(errors)


def _yuan(n) -> str:
    return f"{int(n):,}"


def _weights(values) -> list[int]:
    """Integer weights of `values` (Decimals with at most two places scaled by 100);
    all 1 when they are all 0, so that the pool is shared equally."""
    weights = [int(Decimal(v or 0) * 100) for v in values]
    return weights if sum(weights) > 0 else [1] * len(weights)


def _apply_caps(nums: list[int], den: int, budget: int, cap: int) -> tuple[list[int], int, set]:
    """Hold every base over the cap at the cap and share the rest of the budget over the
    others pro rata to their uncapped amounts; repeat until none is over (each round caps
    at least one more base, so it ends). Amounts are numerators over one denominator
    (integer arithmetic: exact, and fast for thousands of bases)."""
    capped: set[int] = set()
    cur, cur_den = list(nums), den
    while True:
        over = {i for i, a in enumerate(cur) if i not in capped and a > cap * cur_den}
        if not over:
            return cur, cur_den, capped
        capped |= over
        free_total = sum(a for i, a in enumerate(nums) if i not in capped)
        rest = budget - cap * len(capped)
        if free_total == 0:  # nothing to go pro rata to: equal shares of the rest
            free = len(nums) - len(capped)
            cur_den = free
            cur = [cap * free if i in capped else rest for i in range(len(nums))]
        else:
            cur_den = free_total
            cur = [cap * free_total if i in capped else rest * a for i, a in enumerate(nums)]


def _round_common(nums: list[int], den: int, total: int) -> list[int]:
    """Largest remainder over numerators with one denominator adding up to `total`."""
    pairs = [divmod(a, den) for a in nums]
    floors = [q for q, _r in pairs]
    left = total - sum(floors)
    order = sorted(range(len(nums)), key=lambda i: (-pairs[i][1], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def largest_remainder(amounts: list[Fraction], total: int) -> list[int]:
    """Whole numbers from `amounts` (which add up to `total`) adding up to `total`: each
    rounded down, the units left go to the largest fractional parts (ties: first come)."""
    den = math.lcm(*(a.denominator for a in amounts)) if amounts else 1
    return _round_common([int(a * den) for a in amounts], den, total)


def _nearest(num: int, den: int) -> int:
    return (2 * num + den) // (2 * den)


def allocate(formula: Formula, candidates: list[Candidate]) -> list[Share]:
    """Every candidate's share (ineligible ones at 0 with their reason), in the order
    given. Raises DomainError when the budget cannot be spent exactly."""
    check_formula(formula)
    eligible = [x for x in candidates if not x.refusal]
    n = len(eligible)
    if n == 0:
        raise DomainError(_("No base is eligible: there is nobody to give the budget to."))
    budget, base = formula.budget, formula.base_amount
    if base * n > budget:
        raise DomainError(
            _(
                "The base amounts alone need %(need)s yuan for %(n)s eligible bases, more "
                "than the budget of %(budget)s yuan: lower the base amount or raise the budget."
            )
            % {"need": _yuan(base * n), "n": n, "budget": _yuan(budget)}
        )
    if formula.cap is not None and formula.cap * n < budget:
        raise DomainError(
            _(
                "With a cap of %(cap)s yuan, %(n)s eligible bases can receive at most "
                "%(most)s yuan: the budget of %(budget)s yuan cannot be spent. Raise the cap "
                "or lower the budget."
            )
            % {
                "cap": _yuan(formula.cap),
                "n": n,
                "most": _yuan(formula.cap * n),
                "budget": _yuan(budget),
            }
        )
    rest = budget - base * n
    s = _weights([x.score for x in eligible])
    v = _weights([x.visitors for x in eligible])
    total_s, total_v = sum(s), sum(v)
    # Over the denominator 100·S·V: base + rest·ws/100·s/S + rest·wv/100·v/V.
    den = 100 * total_s * total_v
    by_score = [rest * formula.score_weight * si * total_v for si in s]
    by_visitors = [rest * formula.visitor_weight * vi * total_s for vi in v]
    first = [base * den + a + b for a, b in zip(by_score, by_visitors, strict=True)]
    exact, exact_den, capped = first, den, set()
    if formula.cap is not None:
        exact, exact_den, capped = _apply_caps(first, den, budget, formula.cap)
    whole = _round_common(exact, exact_den, budget)
    shares = {}
    for i, x in enumerate(eligible):
        moved = _nearest(exact[i] * den - first[i] * exact_den, den * exact_den)
        reason = _reason(formula, whole[i], _nearest(by_visitors[i], den), moved, i in capped)
        shares[x.base_id] = Share(x.base_id, whole[i], True, i in capped, reason)
    return [
        shares.get(x.base_id) or Share(x.base_id, 0, False, False, x.refusal) for x in candidates
    ]


def _reason(formula, amount, visitors, moved, capped) -> str:
    """The amount in words, its parts adding up to it (rounding is in the score share)."""
    if capped:
        return _("Capped at %(cap)s yuan (the excess went to the other bases).") % {
            "cap": _yuan(formula.cap)
        }
    score = amount - formula.base_amount - visitors - moved
    if score < 0:  # a yuan of rounding with no score share: it lies in the visitor share
        visitors, score = visitors + score, 0
    text = _("Base amount %(base)s + score share %(score)s + visitor share %(visitors)s") % {
        "base": _yuan(formula.base_amount),
        "score": _yuan(score),
        "visitors": _yuan(visitors),
    }
    if moved:
        text += _(" + %(extra)s from capped bases") % {"extra": _yuan(moved)}
    return text + _(" = %(amount)s yuan") % {"amount": _yuan(amount)}
