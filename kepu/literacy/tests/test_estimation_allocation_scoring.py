"""Sample size (equal to samplics), allocation (hand-checked), scoring and classical item
statistics (hand-checked and against a plain computation)."""

import numpy as np
import pytest

from kepu.literacy.estimation import (
    EstimationError,
    allocate,
    item_statistics,
    quotas,
    sample_size,
    score,
    scoring,
    tiers,
)

from .reference import calculate_ss_wald_prop


@pytest.mark.parametrize(
    "moe, p, deff, population, rate",
    [(0.03, 0.5, 1.0, None, 1.0), (0.02, 0.12, 2.0, None, 0.85), (0.03, 0.5, 1.5, 10_000, 0.9)],
)
def test_sample_size_equals_samplics(moe, p, deff, population, rate):
    theirs = calculate_ss_wald_prop(
        target=p, half_ci=moe, pop_size=population, deff_c=deff, resp_rate=rate, alpha=0.05
    )
    assert sample_size(moe, p, deff, 0.95, population, rate) == theirs


def test_sample_size_by_hand():
    assert sample_size(0.03) == 1068  # 1.96² · 0.25 / 0.0009 = 1067.1
    assert sample_size(0.03, population=2000) == 697  # the fpc: 2000·n₀/(1999 + n₀) = 696.05
    with pytest.raises(EstimationError) as error:
        sample_size(0)
    assert error.value.code == "sample_size_input"


@pytest.mark.parametrize(
    "population, n, method, sd, minimum, expected",
    [
        ([500, 300, 200], 100, "proportional", None, 0, [50, 30, 20]),
        ([1, 1, 1], 2, "proportional", None, 0, [1, 1, 0]),
        ([3, 3, 3, 3], 10, "proportional", None, 0, [3, 3, 2, 2]),
        ([10_000, 100, 50], 300, "proportional", None, 30, [240, 30, 30]),
        ([1000, 20, 20], 100, "proportional", None, 30, [60, 20, 20]),
        ([100, 200], 60, "neyman", [2, 1], 0, [30, 30]),
        ([100, 200, 300], 60, "neyman", [0, 0, 0], 0, [20, 20, 20]),
        ([100, 50, 10], 60, "equal", None, 0, [25, 25, 10]),
        ([100, 50, 30], 60, "equal", None, 0, [20, 20, 20]),
        ([100, 50, 10], 150, "equal", None, 0, [90, 50, 10]),
        ([7, 0, 5], 12, "proportional", None, 3, [7, 0, 5]),
    ],
)
def test_allocation_by_hand(population, n, method, sd, minimum, expected):
    result = allocate(population, n, method, sd_by_stratum=sd, minimum=minimum)
    assert result.tolist() == expected
    assert result.sum() == n


def test_allocation_keeps_bounds_and_totals_at_scale():
    rng = np.random.default_rng(2)
    N = rng.integers(0, 50_000, 366)
    result = allocate(N, 9000, minimum=20)
    assert result.sum() == 9000
    assert np.all(result <= N) and np.all(result >= np.minimum(20, N))
    free = (result > 20) & (result < N)
    share = result[free] / N[free]
    assert share.max() - share.min() < 2 / N[free].min() + 1e-3  # proportional elsewhere


def test_allocation_refusals_and_mappings():
    assert allocate({"a": 600, "b": 400}, 10) == {"a": 6, "b": 4}
    assert quotas({"男": 51, "女": 49}, 20) == {"男": 10, "女": 10}
    cases = [
        (([10, 10], 30), "allocation_too_large"),
        (([100, 100], 10, "proportional", None, 8), "allocation_too_small"),
        (([100, 100], 10, "neyman"), "allocation_input"),
        (([100, -1], 10), "allocation_input"),
        (([100, 100], 10, "cluster"), "allocation_input"),
    ]
    for args, code in cases:
        with pytest.raises(EstimationError) as error:
            allocate(*args)
        assert error.value.code == code


@pytest.fixture(scope="module")
def form():
    # A true/false (key "true" = bit 0), two single-choice (C = bit 2; D = bit 3) and a
    # multiple-choice item (A + B), 10/20/30/40 points, in two dimensions.
    return scoring.Form(
        keys=np.array([0b0001, 0b0100, 0b0011, 0b1000]),
        points=np.array([10.0, 20, 30, 40]),
        dimension=np.array([0, 0, 1, 1]),
        dimensions=("first", "second"),
        kind=np.array([scoring.TRUE_FALSE, scoring.SINGLE, scoring.MULTIPLE, scoring.SINGLE]),
        options=np.array([2, 4, 4, 4]),
        thresholds=(50.0, 80.0),
        literate_tier=1,
    )


ANSWERS = np.array(
    [
        [1, 4, 3, 8],  # all right: 100
        [2, 4, 1, 8],  # 20 + 40 (one option short on the multiple choice)
        [0, 1, 7, 8],  # blank, wrong, one option too many, right: 40
        [1, 2, 3, 0],  # 10 + 30
        [1, 4, 3, 2],  # 60
    ],
    dtype=np.uint8,
)


def test_scores_by_hand(form):
    result = score(ANSWERS, form)
    assert result.total.tolist() == [100, 60, 40, 40, 60]
    assert result.dimensions.tolist() == [[30, 70], [20, 40], [0, 40], [10, 30], [30, 30]]
    assert result.tier.tolist() == [2, 1, 0, 0, 1]
    assert result.literate.tolist() == [True, True, False, False, True]
    assert scoring.benchmark_2016(form).thresholds == (60.0,)
    assert score(ANSWERS, scoring.benchmark_2016(form)).literate.tolist() == [
        True, True, False, False, True,
    ]  # fmt: skip


def test_tiers_of_the_2024_structure():
    assert tiers([0, 54.9, 55, 69.9, 70, 84.9, 85, 100], (55, 70, 85)).tolist() == [
        0, 0, 1, 1, 2, 2, 3, 3,
    ]  # fmt: skip


def test_item_statistics_by_hand(form):
    stats = item_statistics(ANSWERS, form)
    assert stats.difficulty.tolist() == [0.6, 0.6, 0.6, 0.6]
    assert stats.blank_share.tolist() == [0.2, 0, 0, 0.2]
    assert stats.option_share[0].tolist() == [0.6, 0.2, 0, 0]
    assert stats.option_share[1].tolist() == [0.2, 0.2, 0.6, 0]
    x = (form.keys == ANSWERS).astype(float) * form.points
    total = x.sum(axis=1)
    for j in range(4):
        rest = total - x[:, j]
        assert stats.discrimination[j] == pytest.approx(np.corrcoef(x[:, j], rest)[0, 1])
    alpha = _alpha(x)
    assert stats.alpha == pytest.approx(alpha, rel=1e-12)
    for j in range(4):
        assert stats.alpha_if_deleted[j] == pytest.approx(_alpha(np.delete(x, j, axis=1)))


def test_item_statistics_over_chunks_equal_a_plain_computation(monkeypatch):
    from kepu.literacy import synthetic

    survey = synthetic.generate(2000, cities=3, counties=6, seed=5)
    monkeypatch.setattr(scoring, "CHUNK", 333)
    stats = item_statistics(survey.answers, survey.form)
    result = score(survey.answers, survey.form)
    x = (survey.answers == survey.form.keys).astype(float) * survey.form.points
    assert np.allclose(result.total, x.sum(axis=1))
    assert stats.alpha == pytest.approx(_alpha(x), rel=1e-10)
    r = [np.corrcoef(x[:, j], x.sum(axis=1) - x[:, j])[0, 1] for j in range(x.shape[1])]
    assert np.allclose(stats.discrimination, r, rtol=1e-9)
    assert 0.5 < stats.alpha < 1 and np.all(stats.discrimination > 0)


def test_bad_scoring_input(form):
    with pytest.raises(EstimationError):
        score(ANSWERS[:, :3], form)
    with pytest.raises(EstimationError):
        score(ANSWERS.astype(float), form)
    with pytest.raises(EstimationError):
        scoring.Form(
            keys=np.array([1, 0]),
            points=np.ones(2),
            dimension=np.zeros(2, dtype=int),
            dimensions=("a",),
            kind=np.zeros(2, dtype=int),
            options=np.full(2, 4),
            thresholds=(1,),
            literate_tier=1,
        )


def _alpha(x):
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
