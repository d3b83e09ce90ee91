"""The subsidy formula: exact sums over random budgets, scores and caps, caps, refusals."""

import random
from decimal import Decimal

import pytest
from django.utils import translation

from kepu.bases.allocation import Candidate, Formula, allocate, check_formula, largest_remainder
from kepu.core.errors import DomainError


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


def _random_case(rng):
    n = rng.randint(1, 60)
    candidates = [
        Candidate(
            i,
            Decimal(rng.randint(0, 10000)) / 100,
            "good",
            rng.choice([0, rng.randint(0, 500000)]),
            "" if rng.random() > 0.2 else "Ineligible",
        )
        for i in range(n)
    ]
    eligible = sum(1 for x in candidates if not x.refusal) or 1
    base = rng.choice([0, rng.randint(0, 50000)])
    budget = base * eligible + rng.randint(1, 5_000_000)
    weight = rng.randint(0, 100)
    cap = None
    if rng.random() < 0.6:
        least = max(base, -(-budget // eligible))  # a cap below budget ÷ n cannot spend it
        cap = least + rng.randint(0, budget // eligible + 1)
    return Formula(budget, base, weight, 100 - weight, cap), candidates


@pytest.mark.parametrize("seed", range(40))
def test_random_allocations_add_up_to_the_budget_exactly(seed):
    rng = random.Random(seed)
    formula, candidates = _random_case(rng)
    if all(x.refusal for x in candidates):
        with pytest.raises(DomainError):
            allocate(formula, candidates)
        return
    shares = allocate(formula, candidates)
    assert sum(s.amount for s in shares) == formula.budget
    assert [s.base_id for s in shares] == [x.base_id for x in candidates]
    for share, x in zip(shares, candidates, strict=True):
        if x.refusal:
            assert share.amount == 0 and not share.eligible and share.reason == x.refusal
        else:
            assert share.amount >= formula.base_amount
            if formula.cap is not None:
                assert share.amount <= formula.cap
            assert share.reason.endswith(f"{share.amount:,} yuan") or share.capped


def test_the_shares_follow_the_weights():
    formula = Formula(budget=1000, base_amount=100, score_weight=50, visitor_weight=50)
    shares = allocate(
        formula,
        [Candidate(1, Decimal(90), "excellent", 300), Candidate(2, Decimal(60), "pass", 100)],
    )
    # rest 800: by score 400 × 90/150 = 240 and 160; by visitors 400 × 3/4 = 300 and 100
    assert [s.amount for s in shares] == [640, 360]
    assert shares[0].reason == ("Base amount 100 + score share 240 + visitor share 300 = 640 yuan")


def test_caps_redistribute_the_excess_to_the_uncapped():
    formula = Formula(budget=900, base_amount=0, score_weight=100, visitor_weight=0, cap=400)
    shares = allocate(
        formula,
        [
            Candidate(1, Decimal(80), "good", 0),
            Candidate(2, Decimal(10), "fail", 0),
            Candidate(3, Decimal(10), "fail", 0),
        ],
    )
    # 720 / 90 / 90 → the first capped at 400, 500 shared half and half
    assert [s.amount for s in shares] == [400, 250, 250]
    assert shares[0].capped and "Capped at 400 yuan" in shares[0].reason
    assert "160 from capped bases" in shares[1].reason


def test_caps_iterate_until_none_is_over():
    formula = Formula(budget=1000, base_amount=0, score_weight=100, visitor_weight=0, cap=340)
    shares = allocate(
        formula,
        [Candidate(i, Decimal(s), "good", 0) for i, s in enumerate([50, 30, 15, 5])],
    )
    assert sum(s.amount for s in shares) == 1000
    assert max(s.amount for s in shares) <= 340
    assert [s.capped for s in shares] == [True, True, False, False]


def test_largest_remainder_gives_the_odd_yuan_to_the_largest_fractions():
    from fractions import Fraction

    assert largest_remainder([Fraction(10, 3)] * 3, 10) == [4, 3, 3]
    assert largest_remainder([Fraction(1, 2), Fraction(3, 4), Fraction(7, 4)], 3) == [0, 1, 2]


@pytest.mark.parametrize(
    "formula, field, message",
    [
        (Formula(0, 0, 50, 50), "budget", "The budget must be more than 0 yuan."),
        (Formula(-5, 0, 50, 50), "budget", "The budget must be more than 0 yuan."),
        (Formula(100, -1, 50, 50), "base_amount", "The base amount cannot be negative."),
        (
            Formula(100, 0, 60, 30),
            "visitor_weight",
            "The weights by score and by visitors must add up to 100% (now 90%).",
        ),
        (Formula(100, 0, 150, -50), "score_weight", "A weight is a percentage from 0 to 100."),
        (Formula(100, 50, 50, 50, cap=40), "cap", "The cap cannot be below the base amount."),
    ],
)
def test_bad_formulas_are_refused_with_the_field(formula, field, message):
    with pytest.raises(DomainError) as caught:
        check_formula(formula)
    assert caught.value.message_dict[field] == [message]


def test_a_budget_the_caps_cannot_spend_is_refused():
    with pytest.raises(DomainError) as caught:
        allocate(
            Formula(1000, 0, 100, 0, cap=300),
            [Candidate(i, Decimal(70), "good", 0) for i in range(3)],
        )
    assert caught.value.messages == [
        "With a cap of 300 yuan, 3 eligible bases can receive at most 900 yuan: the budget "
        "of 1,000 yuan cannot be spent. Raise the cap or lower the budget."
    ]


def test_base_amounts_over_the_budget_are_refused():
    with pytest.raises(DomainError, match="more than the budget of 100 yuan"):
        allocate(Formula(100, 60, 100, 0), [Candidate(i, Decimal(70), "good", 0) for i in range(2)])


def test_zero_scores_and_visitors_share_equally():
    shares = allocate(
        Formula(10, 0, 50, 50), [Candidate(i, Decimal(0), "good", 0) for i in range(3)]
    )
    assert sorted(s.amount for s in shares) == [3, 3, 4]
