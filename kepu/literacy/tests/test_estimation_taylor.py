"""Taylor-linearization domain estimates equal samplics' `TaylorEstimator` to 1e-9
(absolute), with strata, PSUs, several domain variables, fpc and single-PSU strata; the
design effect by hand; Student's t quantile against SciPy."""

import numpy as np
import pytest

from kepu.literacy.estimation import Design, Domains, EstimationError, taylor
from kepu.literacy.estimation._numeric import t_ppf

from .reference import TOL, PopParam, SinglePSUEst, TaylorEstimator, small_survey


def _samplics(param, y, s, domain, **kw):
    est = TaylorEstimator(param)
    est.estimate(
        y=y, samp_weight=s["weights"], stratum=s["stratum"], psu=s["psu"], domain=domain, **kw
    )
    return est


def _assert_matches(result, ref, proportion, rows=None):
    rows = range(result.code.size) if rows is None else rows
    for j in rows:
        code = result.code[j]
        pick = (lambda d, c=code: d[c][1.0]) if proportion else (lambda d, c=code: d[c])
        assert abs(result.estimate[j] - pick(ref.point_est)) <= TOL
        assert abs(result.se[j] - pick(ref.stderror)) <= TOL
        assert abs(result.lower[j] - pick(ref.lower_ci)) <= TOL
        assert abs(result.upper[j] - pick(ref.upper_ci)) <= TOL
        assert abs(result.cv[j] - pick(ref.coef_var)) <= TOL
    assert result.df == ref.degree_of_freedom


@pytest.fixture(scope="module")
def survey():
    return small_survey()


def test_proportions_by_domain_match_samplics(survey):
    s = survey
    result = taylor.estimate(
        s["literate"], s["weights"], Design(s["stratum"], s["psu"]), s["group"], proportion=True
    )
    ref = _samplics(PopParam.prop, s["literate"], s, s["group"])
    assert result.code.tolist() == list(range(6))
    _assert_matches(result, ref, proportion=True)


def test_means_by_domain_match_samplics(survey):
    s = survey
    result = taylor.estimate(s["score"], s["weights"], Design(s["stratum"], s["psu"]), s["city"])
    _assert_matches(result, _samplics(PopParam.mean, s["score"], s, s["city"]), proportion=False)


def test_several_domain_variables_at_once_equal_one_at_a_time(survey):
    s = survey
    design = Design(s["stratum"], s["psu"])
    both = taylor.estimate(
        s["score"], s["weights"], design, {"city": s["city"], "group": s["group"]}
    )
    assert both.names == ("city", "group") and both.code.size == 3 + 6
    for k, name in enumerate(("city", "group")):
        ref = _samplics(PopParam.mean, s["score"], s, s[name])
        _assert_matches(both, ref, False, rows=np.flatnonzero(both.variable == k))
    alone = taylor.estimate(s["score"], s["weights"], design, s["group"])
    assert np.allclose(both.se[3:], alone.se, rtol=0, atol=1e-15)


def test_whole_sample_and_no_psu_and_fpc(survey):
    s = survey
    whole = taylor.estimate(s["score"], s["weights"], Design(s["stratum"], s["psu"]))
    ref = TaylorEstimator(PopParam.mean)
    ref.estimate(y=s["score"], samp_weight=s["weights"], stratum=s["stratum"], psu=s["psu"])
    assert abs(whole.estimate[0] - ref.point_est) <= TOL and abs(whole.se[0] - ref.stderror) <= TOL
    # Respondents as PSUs, and a finite-population correction per stratum.
    fpc = {h: 1 - 0.01 * (h + 1) for h in range(6)}
    mine = taylor.estimate(s["score"], s["weights"], Design(s["stratum"], fpc=fpc), s["city"])
    ref = TaylorEstimator(PopParam.mean)
    ref.estimate(
        y=s["score"], samp_weight=s["weights"], stratum=s["stratum"], domain=s["city"], fpc=fpc
    )
    _assert_matches(mine, ref, False)


def test_single_psu_strata_refused_or_skipped(survey):
    s = dict(survey)
    psu = s["psu"].copy()
    psu[s["stratum"] == 2] = 200  # stratum 2 now has one PSU
    s["psu"] = psu
    with pytest.raises(EstimationError) as error:
        Design(s["stratum"], psu)
    assert error.value.code == "single_psu" and error.value.params["strata"] == [2]
    mine = taylor.estimate(
        s["score"], s["weights"], Design(s["stratum"], psu, single_psu="skip"), s["city"]
    )
    ref = _samplics(PopParam.mean, s["score"], s, s["city"], single_psu=SinglePSUEst.skip)
    _assert_matches(mine, ref, False)


def test_missing_domain_codes_are_left_out(survey):
    s = survey
    group = s["group"].copy()
    group[::7] = -1
    design = Design(s["stratum"], s["psu"])
    mine = taylor.estimate(s["score"], s["weights"], design, group)
    assert mine.code.tolist() == list(range(6))
    assert mine.n.sum() == np.sum(group >= 0)
    keep = group >= 0
    # Unconditional domain estimation: the same as coding the left-out respondents as a
    # seventh domain.
    coded = taylor.estimate(s["score"], s["weights"], design, np.where(keep, group, 6))
    assert np.allclose(mine.se, coded.se[:6], rtol=1e-13, atol=0)


def test_design_effect_and_cv_by_hand():
    # 2 strata × 2 PSUs × 2 respondents; weights 1: deff = v / (s²/n).
    stratum = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    psu = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    y = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    r = taylor.estimate(y, np.ones(8), Design(stratum, psu))
    mean = 4.5
    z = np.array([3 - 9, 7 - 9, 11 - 9, 15 - 9]) / 8  # PSU totals of (y − ȳ)/W
    v = 2 * ((z[0] - z[:2].mean()) ** 2 + (z[1] - z[:2].mean()) ** 2)
    v += 2 * ((z[2] - z[2:].mean()) ** 2 + (z[3] - z[2:].mean()) ** 2)
    s2 = np.var(y, ddof=1)
    assert r.estimate[0] == mean
    assert r.variance[0] == pytest.approx(v, rel=1e-14)
    assert r.deff[0] == pytest.approx(v / (s2 / 8), rel=1e-14)
    assert r.cv[0] == pytest.approx(np.sqrt(v) / mean, rel=1e-14)
    assert r.df == 2
    row = r.rows()[0]
    assert row["variable"] == "all" and row["n"] == 8


def test_proportion_of_zero_has_a_degenerate_interval():
    stratum = np.repeat([0, 1], 4)
    psu = np.repeat([0, 1, 2, 3], 2)
    y = np.array([0, 0, 0, 0, 1, 0, 1, 1.0])
    r = taylor.estimate(y, np.ones(8), Design(stratum, psu), stratum, proportion=True)
    assert r.estimate[0] == 0 and r.lower[0] == 0 and r.upper[0] == 0 and r.cv[0] == 0


def test_domains_index_is_reused_for_several_outcomes(survey):
    s = survey
    domains = Domains(Design(s["stratum"], s["psu"]), {"city": s["city"]})
    lit, score = domains.sums_many(s["weights"], [s["literate"], s["score"]])
    a = taylor.from_sums(lit, proportion=True)
    b = taylor.estimate(s["literate"], s["weights"], domains.design, domains, proportion=True)
    assert np.array_equal(a.se, b.se)
    assert np.array_equal(
        taylor.from_sums(score).estimate,
        taylor.estimate(s["score"], s["weights"], domains.design, domains).estimate,
    )


def test_bad_design_input():
    design = Design(np.array([0, 0, 1, 1]), np.array([0, 1, 2, 3]))
    with pytest.raises(EstimationError):
        taylor.estimate(np.array([0, 1, 2, 1.0]), np.ones(4), design, proportion=True)
    with pytest.raises(EstimationError):
        taylor.estimate(np.array([0, 1, np.nan, 1.0]), np.ones(4), design)
    with pytest.raises(EstimationError) as error:
        Design(np.array([0, 1, 1]), np.array([0, 1]))
    assert error.value.code == "design_input"
    with pytest.raises(EstimationError):
        Design(np.array([0.5, 1.0]))


@pytest.mark.parametrize("df", [1, 2, 4, 9, 30, 57, 366, 2_562, 100_000])
@pytest.mark.parametrize("p", [0.9, 0.95, 0.975, 0.995])
def test_student_t_quantile_matches_scipy(df, p):
    from scipy.stats import t

    assert t_ppf(p, df) == pytest.approx(t.ppf(p, df), rel=1e-12, abs=0)
