"""County small-area estimates: the Fay–Herriot area-level model and the choice between
the direct and the model-based estimate.

Model (Fay & Herriot 1979; Rao & Molina 2015, ch. 6): for area i with direct estimate
ŷ_i of known sampling variance ψ_i and covariates x_i (education share, urbanization...),

    ŷ_i = x_iᵀβ + v_i + e_i,  v_i ~ N(0, σ²_v),  e_i ~ N(0, ψ_i).

- σ²_v by Fisher scoring on the REML or ML likelihood (Rao & Molina 2015, ch. 6:
  REML score −½[tr(P) − ŷᵀPPŷ], information ½·tr(PP), P = V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹;
  ML score −½Σ[1/v_i − r_i²/v_i²], information ½Σ1/v_i², v_i = σ²_v + ψ_i), stopping
  when the relative change is ≤ `tol`; an iterate below 0 is set to 0 (the boundary:
  every area then gets its synthetic estimate);
- β = (XᵀV⁻¹X)⁻¹XᵀV⁻¹ŷ with covariance (XᵀV⁻¹X)⁻¹;
- EBLUP θ̂_i = γ_i·ŷ_i + (1 − γ_i)·x_iᵀβ, shrinkage γ_i = σ²_v/(σ²_v + ψ_i);
- MSE (Prasad & Rao 1990 for REML; Datta & Lahiri 2000 for ML, with the bias of σ̂²_v):
  g1 = γψ, g2 = (1 − γ)²·x_iᵀ(XᵀV⁻¹X)⁻¹x_i, g3 = (1 − γ)²·V̄(σ̂²_v)/v_i with
  V̄(σ̂²_v) = 2/Σ(1/v_j²); REML: g1 + g2 + 2g3; ML: g1 + g2 + 2g3 − (1 − γ)²·b_ML with
  b_ML = −tr[(XᵀV⁻¹X)⁻¹XᵀV⁻²X]/(2·I(σ²_v)) and I the Fisher information of the last
  scoring step (samplics' choice);
- an area without a direct estimate gets the synthetic x_iᵀβ with MSE σ²_v + x_iᵀ(XᵀV⁻¹X)⁻¹x_i
  (the uncertainty of σ̂²_v, a second-order term, left out).

Reference implementation: samplics `EblupAreaModel` (fit with `re_std_start` = √start,
the same `tol` and `maxiter`, then predict); the tests check equality to 1e-9.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import EstimationError, gettext_noop

REML, ML = "REML", "ML"
CV_THRESHOLD = 0.3  # a direct estimate with a CV above 30% is not published (NCHS practice)

REASONS = {
    "direct": gettext_noop("Direct survey estimate: its coefficient of variation is low enough."),
    "model_cv": gettext_noop(
        "Model-based (Fay–Herriot EBLUP): the direct estimate's coefficient of variation is "
        "above the threshold."
    ),
    "model_missing": gettext_noop(
        "Model-based (synthetic): the area has no usable direct estimate."
    ),
}


@dataclass
class FayHerriot:
    """A fitted area-level model (arrays are per area, in input order)."""

    method: str
    sigma2_v: float
    sigma2_v_var: float  # 1/I(σ²_v) of the last scoring step
    beta: np.ndarray
    beta_cov: np.ndarray
    eblup: np.ndarray
    gamma: np.ndarray
    mse: np.ndarray
    g1: np.ndarray
    g2: np.ndarray
    g3: np.ndarray
    converged: bool
    iterations: int
    boundary: bool  # σ²_v estimated at 0
    intercept: bool

    def predict(self, X_new) -> tuple[np.ndarray, np.ndarray]:
        """(estimate, MSE) of the synthetic x·β for areas without a direct estimate."""
        X_new = _design_matrix(X_new, self.intercept, self.beta.size)
        estimate = X_new @ self.beta
        mse = self.sigma2_v + np.einsum("ij,jk,ik->i", X_new, self.beta_cov, X_new)
        return estimate, mse


def fay_herriot(
    direct,
    direct_var,
    X,
    *,
    method: str = REML,
    intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100,
    start: float | None = None,
) -> FayHerriot:
    """Fit the Fay–Herriot model to the areas with a direct estimate and give their
    EBLUP and MSE. `X` (m × p) without the intercept column unless `intercept` is False.
    `start`: the first σ²_v (default the Prasad–Rao moment estimate, at least 1% of the
    mean ψ)."""
    y = np.asarray(direct, dtype=np.float64)
    psi = np.asarray(direct_var, dtype=np.float64)
    m = y.size
    X = _design_matrix(X, intercept, None, m)
    p = X.shape[1]
    if method not in (REML, ML):
        raise EstimationError("model_input", detail=f"method={method!r}")
    if psi.shape != (m,) or y.ndim != 1:
        raise EstimationError("model_input", detail="one direct estimate and variance per area")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(psi)) and np.all(psi > 0)):
        raise EstimationError(
            "model_input", detail="direct estimates must be finite with variances > 0"
        )
    if m <= p or np.linalg.matrix_rank(X) < p:
        raise EstimationError("model_input", detail="too few areas for the covariates")
    sigma2 = _moment_start(y, psi, X) if start is None else float(start)
    info, iterations, converged = 0.0, 0, False
    for iterations in range(1, max_iter + 1):  # noqa: B007
        score, info = (_reml_step if method == REML else _ml_step)(y, psi, X, sigma2)
        previous = sigma2
        sigma2 = previous + score / info
        if sigma2 < 0:
            sigma2 = 0.0
        change = abs(sigma2 - previous)
        if change <= tol * (previous if previous > 0 else float(np.mean(psi))):
            converged = True
            break
    v = sigma2 + psi
    A_inv = np.linalg.inv(X.T @ (X / v[:, None]))
    beta = A_inv @ (X.T @ (y / v))
    gamma = sigma2 / v
    mu = X @ beta
    eblup = gamma * y + (1.0 - gamma) * mu
    g1 = gamma * psi
    g2 = (1.0 - gamma) ** 2 * np.einsum("ij,jk,ik->i", X, A_inv, X)
    g3 = (1.0 - gamma) ** 2 * (2.0 / np.sum(1.0 / v**2)) / v
    mse = g1 + g2 + 2.0 * g3
    if method == ML:
        bias = -(0.5 / info) * np.trace(A_inv @ (X.T @ (X / (v**2)[:, None])))
        mse = mse - (1.0 - gamma) ** 2 * bias
    return FayHerriot(
        method=method,
        sigma2_v=float(sigma2),
        sigma2_v_var=float(1.0 / info),
        beta=beta,
        beta_cov=A_inv,
        eblup=eblup,
        gamma=gamma,
        mse=mse,
        g1=g1,
        g2=g2,
        g3=g3,
        converged=converged,
        iterations=iterations,
        boundary=sigma2 == 0.0,
        intercept=intercept,
    )


def _reml_step(y, psi, X, sigma2):
    """REML score and Fisher information at σ²_v, with P applied through p × p algebra
    (V diagonal): P·a = a/v − Q·A⁻¹·Qᵀa with Q = X/v, A = XᵀV⁻¹X."""
    d = 1.0 / (sigma2 + psi)
    Q = X * d[:, None]
    A_inv = np.linalg.inv(X.T @ Q)
    Py = d * y - Q @ (A_inv @ (Q.T @ y))
    QtQ = Q.T @ Q
    trace_P = d.sum() - np.trace(A_inv @ QtQ)
    # tr(PP) = Σd² − 2·tr(A⁻¹QᵀDQ) + tr((A⁻¹QᵀQ)²)
    M = A_inv @ QtQ
    trace_PP = np.sum(d * d) - 2.0 * np.trace(A_inv @ (Q.T @ (Q * d[:, None]))) + np.trace(M @ M)
    score = -0.5 * (trace_P - Py @ Py)
    return score, 0.5 * trace_PP


def _ml_step(y, psi, X, sigma2):
    v = sigma2 + psi
    beta = np.linalg.solve(X.T @ (X / v[:, None]), X.T @ (y / v))
    r = y - X @ beta
    score = -0.5 * np.sum(1.0 / v - r * r / (v * v))
    return score, 0.5 * np.sum(1.0 / (v * v))


def _moment_start(y, psi, X) -> float:
    """Prasad–Rao: (RSS − Σψ_i(1 − h_ii))/(m − p) from ordinary least squares."""
    m, p = X.shape
    XtX_inv = np.linalg.inv(X.T @ X)
    h = np.einsum("ij,jk,ik->i", X, XtX_inv, X)
    resid = y - X @ (XtX_inv @ (X.T @ y))
    estimate = (resid @ resid - np.sum(psi * (1.0 - h))) / (m - p)
    return max(float(estimate), 0.01 * float(np.mean(psi)))


def _design_matrix(X, intercept: bool, columns: int | None, rows: int | None = None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if rows is not None and X.shape[0] != rows:
        raise EstimationError("model_input", detail="one covariate row per area")
    if intercept:
        X = np.hstack((np.ones((X.shape[0], 1)), X))
    if not np.all(np.isfinite(X)) or (columns is not None and X.shape[1] != columns):
        raise EstimationError("model_input", detail="covariates")
    return X


@dataclass
class Choice:
    """Per area: `use_model` (publish the model-based estimate), `reason` (a key of
    `REASONS`, its wording for the page) and `label` ("direct" or "model-based")."""

    use_model: np.ndarray
    reason: list

    @property
    def label(self) -> list:
        return ["model-based" if m else "direct" for m in self.use_model]


def choose(direct_cv, threshold: float = CV_THRESHOLD) -> Choice:
    """Which estimate each area publishes: the direct one while its CV ≤ `threshold`;
    the model-based one above it, or when there is no usable direct estimate (CV
    missing, infinite, or ≤ 0 because the variance is 0)."""
    cv = np.asarray(direct_cv, dtype=np.float64)
    missing = ~np.isfinite(cv) | (cv <= 0)
    above = ~missing & (cv > threshold)
    reasons = [
        "model_missing" if miss else ("model_cv" if hi else "direct")
        for miss, hi in zip(missing, above, strict=True)
    ]
    return Choice(use_model=missing | above, reason=reasons)
