"""Design weights, the non-response adjustment and raking: equal to samplics'
`SampleWeight` (1e-9 relative on weights), trimming, and the bad inputs the issue names
(margins that do not add up, a category without respondents, a rake that does not
converge, a stratum without respondents)."""

import numpy as np
import pytest

from kepu.literacy.estimation import (
    MESSAGES,
    EstimationError,
    design_weights,
    nonresponse_adjust,
    rake,
)

from .reference import QUIET, TOL, SampleWeight

pytestmark = QUIET


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(21)
    n = 3000
    city = rng.integers(0, 3, n)
    sex = (rng.random(n) < 0.45 + 0.05 * city).astype(np.int64)
    age = np.minimum(rng.poisson(1.6 + 0.4 * sex, n), 4)
    weights = rng.uniform(200, 900, n)
    # Targets per city: every margin adds up to the same city totals.
    city_total = np.array([400_000.0, 700_000.0, 300_000.0])
    sex_share = np.array([[0.51, 0.49], [0.50, 0.50], [0.52, 0.48]])
    age_share = np.array([0.22, 0.21, 0.2, 0.2, 0.17])
    return {
        "weights": weights,
        "margins": {
            "city_sex": (city * 2 + sex, (city_total[:, None] * sex_share).ravel()),
            "city_age": (city * 5 + age, (city_total[:, None] * age_share).ravel()),
        },
        "city": city,
        "sex": sex,
        "age": age,
    }


def _samplics_rake(weights, margins, iterations):
    return SampleWeight().rake(
        samp_weight=weights,
        margins={name: codes for name, (codes, _) in margins.items()},
        control={name: dict(enumerate(t)) for name, (_, t) in margins.items()},
        tol=0.0,
        ctrl_tol=0.0,
        max_iter=iterations,
    )


@pytest.mark.parametrize("iterations", [1, 3, 8])
def test_rake_equals_samplics_after_the_same_iterations(sample, iterations):
    result = rake(sample["weights"], sample["margins"], tol=0.0, max_iter=iterations)
    theirs = _samplics_rake(sample["weights"], sample["margins"], iterations)
    assert result.iterations == iterations and not result.converged
    assert np.max(np.abs(result.weights / theirs - 1)) <= TOL


def test_rake_converges_and_reports(sample):
    result = rake(sample["weights"], sample["margins"], tol=1e-10)
    assert result.converged and result.iterations < 30
    report = result.report()
    assert set(report["max_error"]) == {"city_sex", "city_age"}
    assert max(report["max_error"].values()) <= 1e-10
    for codes, targets in sample["margins"].values():
        got = np.bincount(codes, weights=result.weights, minlength=targets.size)
        assert np.allclose(got, targets, rtol=1e-10)
    assert report["cells"] == 3 * 2 * 5
    assert result.history[-1] == max(report["max_error"].values())


def test_trimming_keeps_the_factors_within_bounds(sample):
    margins = dict(sample["margins"])
    codes, targets = margins["city_sex"]
    skewed = targets.copy()
    skewed[0::2] *= 1.6  # far more men than the sample has
    skewed *= targets.sum() / skewed.sum()
    codes_age, targets_age = margins["city_age"]
    # Keep the totals equal per city: rescale the age margin to the new city totals.
    city_new = skewed.reshape(3, 2).sum(axis=1)
    city_old = targets_age.reshape(3, 5).sum(axis=1)
    age = (targets_age.reshape(3, 5) * (city_new / city_old)[:, None]).ravel()
    free = rake(sample["weights"], {"sex": (codes, skewed), "age": (codes_age, age)})
    trimmed = rake(
        sample["weights"], {"sex": (codes, skewed), "age": (codes_age, age)}, bounds=(0.8, 1.3)
    )
    assert free.converged and free.factor_max > 1.3
    assert not trimmed.converged and trimmed.iterations == 100
    factor = trimmed.weights / sample["weights"]
    assert factor.min() >= 0.8 - 1e-12 and factor.max() <= 1.3 + 1e-12
    assert trimmed.trimmed > 0
    assert trimmed.report()["max_error"]["sex"] > 1e-3


def test_margins_that_do_not_add_up_are_refused(sample):
    codes, targets = sample["margins"]["city_age"]
    with pytest.raises(EstimationError) as error:
        rake(
            sample["weights"],
            {"city_sex": sample["margins"]["city_sex"], "city_age": (codes, targets * 1.01)},
        )
    assert error.value.code == "margin_totals"
    assert "city_sex" in str(error.value) and "city_age" in str(error.value)


def test_a_category_without_respondents_is_refused(sample):
    codes, targets = sample["margins"]["city_age"]
    moved = np.where(codes == 7, 6, codes)  # nobody left in city 1, age band 2
    with pytest.raises(EstimationError) as error:
        rake(
            sample["weights"], {"city_sex": sample["margins"]["city_sex"], "age": (moved, targets)}
        )
    assert error.value.code == "margin_empty_category"
    assert error.value.params["margin"] == "age" and error.value.params["category"] == 7
    zero = targets.copy()
    zero[6] += zero[3]
    zero[3] = 0
    with pytest.raises(EstimationError) as error:
        rake(sample["weights"], {"city_sex": sample["margins"]["city_sex"], "age": (codes, zero)})
    assert error.value.code == "margin_zero_target"


def test_a_rake_that_does_not_converge_says_so(sample):
    # Inconsistent inner margins (the same totals, but city 0 has no women in one and
    # half in the other) cannot be met together.
    codes, targets = sample["margins"]["city_sex"]
    other = targets.copy()
    other[0], other[1] = other[0] + other[1] * 0.5, other[1] * 0.5
    result = rake(
        sample["weights"], [(codes, targets), (codes, other)], names=["a", "b"], max_iter=20
    )
    assert not result.converged and result.iterations == 20
    assert result.report()["max_error"]["a"] > 0.1


def test_bad_weights_and_codes_are_refused(sample):
    with pytest.raises(EstimationError):
        rake(-sample["weights"], sample["margins"])
    codes, targets = sample["margins"]["city_sex"]
    with pytest.raises(EstimationError):
        rake(sample["weights"], [(codes + 10, targets)])
    with pytest.raises(EstimationError):
        rake(sample["weights"], [(codes, targets)], bounds=(1.2, 2.0))


def test_design_weights_by_hand():
    strata = np.array([3, 3, 5, 5, 5, 7])
    result = design_weights(strata, {3: 100, 5: 300, 7: 50, 9: 80, 11: 0})
    assert result.weights.tolist() == [50, 50, 100, 100, 100, 50]
    assert result.respondents == {3: 2, 5: 3, 7: 1}
    assert result.empty_strata == [9] and result.uncovered == 80
    as_array = design_weights(np.array([0, 1, 1]), [10, 20])
    assert as_array.weights.tolist() == [10, 10, 10]
    with pytest.raises(EstimationError) as error:
        design_weights(np.array([3, 4]), {3: 100})
    assert error.value.code == "unknown_strata" and error.value.params["strata"] == [4]


def test_nonresponse_adjustment_equals_samplics():
    rng = np.random.default_rng(4)
    n = 500
    weights = rng.uniform(1, 10, n)
    cells = rng.integers(0, 6, n)
    responded = rng.random(n) < 0.7
    mine = nonresponse_adjust(weights, cells, responded)
    theirs = SampleWeight().adjust(
        samp_weight=weights,
        adj_class=cells,
        resp_status=np.where(responded, "rr", "nr"),
    )
    assert np.max(np.abs(mine - theirs) / weights) <= TOL
    assert np.all(mine[~responded] == 0)
    totals = np.bincount(cells, weights=weights)
    assert np.allclose(np.bincount(cells, weights=mine), totals, rtol=1e-13)


def test_nonresponse_cell_without_respondents_is_refused():
    with pytest.raises(EstimationError) as error:
        nonresponse_adjust(
            np.ones(4), np.array([1, 1, 2, 2]), np.array([True, False, False, False])
        )
    assert error.value.code == "empty_cells" and error.value.params["cells"] == [2]


def test_error_messages_translate_through_the_app():
    error = EstimationError("margin_zero_target", margin="age", category=3)
    assert str(error) == "Margin age, category 3 has respondents but a population of 0."
    catalog = {MESSAGES["margin_zero_target"]: "[%(margin)s/%(category)s] 0"}
    assert error.translated(lambda s: catalog.get(s, s)) == "[age/3] 0"


def test_every_engine_message_has_its_chinese_for_the_catalog():
    import json
    from pathlib import Path

    from kepu.literacy.estimation.sae import REASONS

    catalog = json.loads((Path(__file__).parents[1] / "i18n" / "p-A.json").read_text())
    for msgid in [*MESSAGES.values(), *REASONS.values()]:
        assert catalog.get(msgid), msgid
