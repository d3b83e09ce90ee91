"""Replicate variances from PSU-level factors equal samplics' `ReplicateEstimator` given
the same replicate weights and coefficients (1e-9 absolute); the jackknife factors equal
samplics' `ReplicateWeight`; the bootstrap factors are Rao–Wu's."""

import numpy as np
import pytest

from kepu.literacy.estimation import (
    Design,
    EstimationError,
    bootstrap,
    jackknife,
    replicate,
    replicate_weights,
    taylor,
)

from .reference import (
    QUIET,
    TOL,
    PopParam,
    ReplicateEstimator,
    ReplicateWeight,
    RepMethod,
    small_survey,
)

pytestmark = QUIET


@pytest.fixture(scope="module")
def survey():
    s = small_survey(seed=11, n=700)
    s["design"] = Design(s["stratum"], s["psu"])
    return s


def _reference(method, param, y, s, factors, domain, conservative):
    return ReplicateEstimator(method, param).estimate(
        y=y,
        samp_weight=s["weights"],
        rep_weights=replicate_weights(s["weights"], factors),
        rep_coefs=np.array(factors.coefs),
        domain=domain,
        conservative=conservative,
    )


@pytest.mark.parametrize("center, conservative", [("full", True), ("mean", False)])
@pytest.mark.parametrize("kind", ["jackknife", "bootstrap"])
def test_domain_estimates_match_samplics(survey, kind, center, conservative):
    s = survey
    if kind == "jackknife":
        factors, method = jackknife(s["design"]), RepMethod.jackknife
    else:
        factors, method = bootstrap(s["design"], 60, seed=3), RepMethod.bootstrap
    df = factors.replicates - 1  # samplics' degrees of freedom without a ReplicateWeight
    for y, param, proportion in (
        (s["literate"], PopParam.prop, True),
        (s["score"], PopParam.mean, False),
    ):
        mine = replicate.estimate(
            y, s["weights"], factors, s["group"], proportion=proportion, center=center, df=df
        )
        ref = _reference(method, param, y, s, factors, s["group"], conservative)
        for j, code in enumerate(mine.code):
            pick = (lambda d, c=code: d[c][1.0]) if proportion else (lambda d, c=code: d[c])
            assert abs(mine.estimate[j] - pick(ref.point_est)) <= TOL
            assert abs(mine.se[j] - pick(ref.stderror)) <= TOL
            assert abs(mine.lower[j] - pick(ref.lower_ci)) <= TOL
            assert abs(mine.upper[j] - pick(ref.upper_ci)) <= TOL
            assert abs(mine.cv[j] - pick(ref.coef_var)) <= TOL


def test_jackknife_factors_equal_samplics(survey):
    s = survey
    factors = jackknife(s["design"])
    rw = ReplicateWeight(RepMethod.jackknife, strat=True)
    # rep_coefs=True: the factors themselves (samplics multiplies them by the weights in
    # input order after sorting its rows by stratum, which misaligns unsorted input).
    table = rw.replicate(s["weights"], s["psu"], s["stratum"], rep_coefs=True)
    columns = [c for c in table.columns if c.startswith("_jk_wgt_")]
    theirs = table[columns].to_numpy()
    assert len(columns) == factors.replicates == s["design"].n_psus
    # A replicate is named by the PSU it drops; samplics orders PSUs within a stratum by
    # first appearance, the engine by code, so compare replicate by replicate.
    psu_of_row = table["_psu"].to_numpy()
    code_of = {int(s["psu"][i]): int(s["design"].psu_index[i]) for i in range(s["design"].n)}
    dense = factors.dense()
    dropped_mine = {int(np.flatnonzero(row == 0)[0]): r for r, row in enumerate(dense)}
    for col in range(theirs.shape[1]):
        dropped = {code_of[int(p)] for p in psu_of_row[theirs[:, col] == 0]}
        assert len(dropped) == 1
        mine = dense[dropped_mine[dropped.pop()]]
        expected = np.array([mine[code_of[int(p)]] for p in psu_of_row])
        assert np.max(np.abs(theirs[:, col] - expected)) <= 1e-12
    assert sorted(np.round(rw.rep_coefs, 12)) == sorted(np.round(factors.coefs, 12))
    assert rw.degree_of_freedom == s["design"].df


def test_jackknife_structure_equals_its_matrix(survey):
    s = survey
    factors = jackknife(s["design"])
    structured = replicate.estimate(s["score"], s["weights"], factors, s["group"])
    dense = replicate.ReplicateFactors(
        s["design"], replicate.JACKKNIFE, factors.coefs, matrix=factors.dense()
    )
    with_matrix = replicate.estimate(s["score"], s["weights"], dense, s["group"])
    assert np.allclose(structured.se, with_matrix.se, rtol=1e-12, atol=0)


def test_jackknife_of_a_linear_design_equals_taylor(survey):
    # For a total-like statistic JKn and Taylor agree closely; for the ratio mean they are
    # asymptotically equal: within a few per cent here.
    s = survey
    jk = replicate.estimate(s["score"], s["weights"], jackknife(s["design"]), s["city"])
    tl = taylor.estimate(s["score"], s["weights"], s["design"], s["city"])
    assert np.allclose(jk.se, tl.se, rtol=0.05)
    assert jk.df == tl.df == s["design"].df


def test_bootstrap_factors_are_rao_wu(survey):
    d = survey["design"]
    factors = bootstrap(d, 40, seed=9)
    again = bootstrap(d, 40, seed=9)
    assert np.array_equal(factors.matrix, again.matrix)
    assert factors.matrix.shape == (40, d.n_psus)
    # With m_h = n_h − 1 and no sampling fraction, a = n_h/(n_h − 1)·k: the factors of a
    # stratum add up to n_h in every replicate.
    per_stratum = np.add.reduceat(factors.matrix, d.stratum_start, axis=1)
    assert np.allclose(per_stratum, d.stratum_psus[None, :], rtol=1e-14)
    k = factors.matrix * ((d.stratum_psus - 1) / d.stratum_psus)[d.psu_stratum]
    assert np.allclose(k, np.round(k), atol=1e-12)
    assert np.allclose(factors.coefs, 1 / 40)
    # A sampling fraction shrinks the factors towards 1.
    f = bootstrap(d, 40, seed=9, sampling_fraction=0.5)
    assert np.allclose(f.matrix - 1, np.sqrt(0.5) * (factors.matrix - 1))


def test_replicate_weight_matrix_is_refused_when_too_large(survey, monkeypatch):
    monkeypatch.setattr(replicate, "MAX_WEIGHT_CELLS", 1000)
    with pytest.raises(EstimationError) as error:
        replicate_weights(survey["weights"], jackknife(survey["design"]))
    assert error.value.code == "too_many_replicate_weights"


def test_single_psu_strata_have_no_bootstrap(survey):
    s = survey
    psu = s["psu"].copy()
    psu[s["stratum"] == 1] = 100
    design = Design(s["stratum"], psu, single_psu="skip")
    with pytest.raises(EstimationError) as error:
        bootstrap(design, 10)
    assert error.value.code == "single_psu"
    factors = jackknife(design)
    assert factors.replicates == design.n_psus - 1
    r = replicate.estimate(s["score"], s["weights"], factors, s["city"])
    assert np.all(np.isfinite(r.se))
