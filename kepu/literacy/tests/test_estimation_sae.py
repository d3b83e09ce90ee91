"""The Fay–Herriot model equals samplics' `EblupAreaModel` (REML and ML) to 1e-9; the ML
fit converges to the likelihood's maximum; synthetic predictions; the direct-or-model
choice."""

import numpy as np
import pytest

from kepu.literacy.estimation import EstimationError, choose, fay_herriot, sae

from .reference import TOL, EblupAreaModel, FitMethod

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")


@pytest.fixture(scope="module")
def areas():
    rng = np.random.default_rng(12)
    m = 45
    X = np.column_stack((rng.uniform(0.05, 0.4, m), rng.uniform(0.2, 0.9, m)))
    psi = rng.uniform(0.0004, 0.003, m)
    theta = 0.02 + 0.35 * X[:, 0] + 0.05 * X[:, 1] + rng.normal(0, 0.03, m)
    return {"X": X, "psi": psi, "direct": theta + rng.normal(0, np.sqrt(psi))}


def _samplics(areas, method, tol, maxiter):
    m = areas["direct"].size
    model = EblupAreaModel(method)
    model.fit(
        yhat=areas["direct"],
        X=areas["X"],
        area=np.arange(m),
        error_std=np.sqrt(areas["psi"]),
        re_std_start=0.001,
        tol=tol,
        maxiter=maxiter,
    )
    model.predict(X=areas["X"], area=np.arange(m))
    return model


def _assert_same(mine, theirs):
    m = mine.eblup.size
    assert abs(mine.sigma2_v - float(np.squeeze(theirs.re_std)) ** 2) <= TOL
    assert np.max(np.abs(mine.beta - theirs.fixed_effects)) <= TOL
    assert np.max(np.abs(np.sqrt(np.diag(mine.beta_cov)) - theirs.fe_std)) <= TOL
    assert max(abs(mine.eblup[i] - theirs.area_est[i]) for i in range(m)) <= TOL
    assert max(abs(mine.mse[i] - theirs.area_mse[i]) for i in range(m)) <= TOL


def test_reml_equals_samplics(areas):
    theirs = _samplics(areas, FitMethod.reml, tol=1e-12, maxiter=200)
    mine = fay_herriot(
        areas["direct"], areas["psi"], areas["X"], tol=1e-12, max_iter=200, start=1e-6
    )
    assert mine.converged and mine.iterations == theirs.convergence["iterations"]
    _assert_same(mine, theirs)
    assert abs(mine.sigma2_v_var - theirs.re_std_cov) <= TOL
    # From the moment start it converges to the same estimate.
    default = fay_herriot(areas["direct"], areas["psi"], areas["X"])
    assert default.converged and abs(default.sigma2_v - mine.sigma2_v) <= 1e-12
    assert np.all((default.gamma > 0) & (default.gamma < 1))
    assert np.all(default.mse < areas["psi"])  # the model borrows strength


def test_ml_equals_samplics_for_the_same_scoring_steps(areas):
    # samplics' ML scoring stops after its second step (its σ²_v becomes a numpy array
    # that the in-place update shares with the previous value, so the change reads 0):
    # the same two steps here give the same σ²_v, β, EBLUP and MSE (with the ML bias).
    theirs = _samplics(areas, FitMethod.ml, tol=1e-12, maxiter=200)
    assert theirs.convergence["iterations"] == 2
    mine = fay_herriot(
        areas["direct"], areas["psi"], areas["X"], method="ML", tol=1e-12, max_iter=2, start=1e-6
    )
    _assert_same(mine, theirs)


def test_ml_reaches_the_maximum_of_the_likelihood(areas):
    from scipy.optimize import minimize_scalar

    y, psi = areas["direct"], areas["psi"]
    X = np.column_stack((np.ones(y.size), areas["X"]))

    def minus_loglik(s2):
        v = s2 + psi
        beta = np.linalg.solve(X.T @ (X / v[:, None]), X.T @ (y / v))
        r = y - X @ beta
        return 0.5 * np.sum(np.log(v) + r * r / v)

    best = minimize_scalar(
        minus_loglik, bounds=(0, 0.05), method="bounded", options={"xatol": 1e-12}
    )
    fit = fay_herriot(y, psi, areas["X"], method="ML")
    assert fit.converged and fit.method == "ML"
    assert fit.sigma2_v == pytest.approx(best.x, rel=1e-6)
    reml = fay_herriot(y, psi, areas["X"])
    assert reml.sigma2_v > fit.sigma2_v  # REML corrects ML's downward bias


def test_boundary_and_synthetic_prediction():
    rng = np.random.default_rng(3)
    m = 30
    X = rng.uniform(0, 1, (m, 1))
    psi = np.full(m, 0.01)
    direct = 0.1 + 0.2 * X[:, 0] + rng.normal(0, 0.02, m)  # far less spread than ψ
    fit = fay_herriot(direct, psi, X)
    assert fit.boundary and fit.sigma2_v == 0 and fit.converged
    assert np.allclose(fit.eblup, np.column_stack((np.ones(m), X)) @ fit.beta)
    estimate, mse = fit.predict(np.array([[0.5], [0.9]]))
    assert estimate == pytest.approx(fit.beta[0] + fit.beta[1] * np.array([0.5, 0.9]))
    x = np.array([[1, 0.5], [1, 0.9]])
    assert mse == pytest.approx(np.einsum("ij,jk,ik->i", x, fit.beta_cov, x))


def test_bad_model_input(areas):
    psi = areas["psi"].copy()
    psi[3] = 0
    with pytest.raises(EstimationError) as error:
        fay_herriot(areas["direct"], psi, areas["X"])
    assert error.value.code == "model_input"
    with pytest.raises(EstimationError):
        fay_herriot(areas["direct"][:2], areas["psi"][:2], areas["X"][:2])
    with pytest.raises(EstimationError):
        fay_herriot(areas["direct"], areas["psi"], areas["X"], method="FH")


def test_choose_publishes_the_model_where_the_direct_cv_is_too_high():
    choice = choose([0.1, 0.35, np.nan, 0.0, 0.3], threshold=0.3)
    assert choice.use_model.tolist() == [False, True, True, True, False]
    assert choice.reason == ["direct", "model_cv", "model_missing", "model_missing", "direct"]
    assert choice.label == ["direct", "model-based", "model-based", "model-based", "direct"]
    assert set(choice.reason) <= set(sae.REASONS)
