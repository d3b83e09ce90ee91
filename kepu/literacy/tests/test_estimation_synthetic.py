"""The synthetic province: seeded, consistent margins, a valid design, and an estimated
literacy rate near the one asked for, with the published group ordering."""

from pathlib import Path

import numpy as np
import pytest

from kepu.literacy import estimation, synthetic


@pytest.fixture(scope="module")
def survey():
    return synthetic.generate(30_000, rate=0.12, seed=3)


def test_seeded_and_shaped(survey):
    again = synthetic.generate(30_000, rate=0.12, seed=3)
    assert np.array_equal(survey.answers, again.answers)
    assert np.array_equal(survey.psu, again.psu)
    assert survey.answers.shape == (30_000, 50) and survey.answers.dtype == np.uint8
    assert survey.form.max_points == 100
    points = np.bincount(survey.form.dimension, weights=survey.form.points)
    assert points.tolist() == [40, 20, 20, 20]
    assert survey.population.n_cities == 21 and survey.population.n_counties == 183
    assert synthetic.SICHUAN[0][0] == "成都市"
    for name, labels in (
        ("sex", synthetic.SEX),
        ("age", synthetic.AGE_BANDS),
        ("education", synthetic.EDUCATION),
        ("urban", synthetic.URBAN),
        ("occupation", synthetic.OCCUPATIONS),
        ("key_group", synthetic.KEY_GROUPS),
    ):
        values = getattr(survey, name)
        assert values.min() >= 0 and values.max() < len(labels)


def test_margins_agree_and_the_design_is_valid(survey):
    pop = survey.population
    margins = pop.margins()
    totals = {name: m.sum(axis=1) for name, m in margins.items()}
    for name in ("age", "urban", "education"):
        assert np.array_equal(totals[name], totals["sex"])
    by_city = np.bincount(
        np.repeat(pop.city_of_county, 2), weights=pop.stratum_population(), minlength=21
    )
    assert np.array_equal(by_city, totals["sex"])
    assert 50e6 < totals["sex"].sum() < 65e6  # Sichuan's adults aged 18–69
    assert np.array_equal(survey.stratum // 2, survey.county)
    assert np.array_equal(survey.stratum % 2, survey.urban)
    design = estimation.Design(survey.stratum, survey.psu)  # no single-PSU stratum
    assert design.n_psus == np.unique(survey.psu).size  # PSU codes unique across strata
    covariates = pop.county_covariates()
    assert covariates.shape == (183, 2) and np.all((covariates > 0) & (covariates < 1))


def test_the_estimated_rate_is_near_the_one_asked_for(survey):
    scores = estimation.score(survey.answers, survey.form)
    weights = estimation.design_weights(
        survey.stratum, survey.population.stratum_population()
    ).weights
    m = survey.population.margins()
    raked = estimation.rake(
        weights,
        {
            "sex": (survey.city * 2 + survey.sex, m["sex"].ravel()),
            "age": (survey.city * 5 + survey.age, m["age"].ravel()),
            "education": (survey.city * 5 + survey.education, m["education"].ravel()),
        },
    )
    assert raked.converged
    design = estimation.Design(survey.stratum, survey.psu)
    result = estimation.taylor.estimate(
        scores.literate, raked.weights, design, {"all": np.zeros(survey.n, dtype=int),
        "urban": survey.urban, "education": survey.education}, proportion=True,
    )  # fmt: skip
    overall = result.estimate[0]
    assert abs(overall - 0.12) < 3 * result.se[0] + 0.005
    urban = result.estimate[result.variable == 1]
    education = result.estimate[result.variable == 2]
    assert urban[0] > urban[1]
    assert np.all(np.diff(education) > 0)
    assert np.all(result.deff[1:] > 1)  # clustered and weighted: a design effect above 1


def test_small_provinces_for_tests():
    small = synthetic.generate(2_000, cities=3, counties=7, psus_per_stratum=4, seed=1)
    assert small.population.n_cities == 3 and small.population.n_counties == 7
    assert np.bincount(small.population.city_of_county).min() >= 1
    estimation.Design(small.stratum, small.psu)
    with pytest.raises(ValueError):
        synthetic.generate(10, cities=3, counties=7)


def test_the_engine_imports_numpy_and_the_standard_library_only():
    import subprocess
    import sys

    code = (
        "import sys, kepu.literacy.estimation, kepu.literacy.synthetic; "
        "print(sorted(m for m in ('django', 'samplics', 'scipy', 'polars', 'statsmodels', "
        "'pandas') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"
