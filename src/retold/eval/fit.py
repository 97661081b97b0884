"""Small, dependency-free model fitting for calibration: (multinomial) logistic regression.

Features are standardised for the fit and the coefficients mapped back to raw feature units, so
run-time code applies them to raw features with one dot product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

__all__ = ["LogisticModel", "fit_logistic", "group_kfold", "kfold_indices"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """Coefficients in raw feature units.

    Attributes:
        coef: ``(n_classes, n_features)``; a binary model has one row (the positive class).
        intercept: ``(n_classes,)``.
    """

    coef: FloatArray
    intercept: FloatArray

    def decision(self, x: FloatArray) -> FloatArray:
        """Linear scores, ``(n, n_classes)``."""
        return x @ self.coef.T + self.intercept

    def predict_proba(self, x: FloatArray) -> FloatArray:
        """Class probabilities (binary: probability of the positive class, shape ``(n,)``)."""
        z = self.decision(x)
        if z.shape[1] == 1:
            binary: FloatArray = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return binary
        z = z - z.max(axis=1, keepdims=True)
        p: FloatArray = np.exp(z)
        probs: FloatArray = p / p.sum(axis=1, keepdims=True)
        return probs


def fit_logistic(
    x: FloatArray,
    y: npt.NDArray[np.int64],
    *,
    n_classes: int = 2,
    l2: float = 1.0,
    sample_weight: FloatArray | None = None,
    fit_intercept: bool = True,
) -> LogisticModel:
    """Fit an L2-regularised logistic (binary) or softmax (multi-class) regression.

    Args:
        x: ``(n, d)`` features.
        y: ``(n,)`` labels in ``0..n_classes-1``.
        n_classes: 2 for a binary model, more for softmax.
        l2: Penalty on the standardised coefficients (not on intercepts).
        sample_weight: Per-sample weights (e.g. to balance classes).
        fit_intercept: False forces a zero intercept (used for antisymmetric models).

    Returns:
        The fitted model in raw feature units.
    """
    n, d = x.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    mu = x.mean(axis=0) if fit_intercept else np.zeros(d)
    sigma = x.std(axis=0)
    sigma[sigma == 0] = 1.0
    xs = (x - mu) / sigma
    k = 1 if n_classes == 2 else n_classes
    onehot = np.eye(n_classes)[y] if k > 1 else y.astype(np.float64)[:, None]

    def loss(theta: FloatArray) -> tuple[float, FloatArray]:
        coef = theta[: k * d].reshape(k, d)
        b = theta[k * d :] if fit_intercept else np.zeros(k)
        z = xs @ coef.T + b
        if k == 1:
            p = 1.0 / (1.0 + np.exp(-z))
            ll = -(w[:, None] * (onehot * np.log(p + 1e-12) + (1 - onehot) * np.log(1 - p + 1e-12)))
            g = w[:, None] * (p - onehot)
        else:
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            ll = -(w[:, None] * onehot * np.log(p + 1e-12))
            g = w[:, None] * (p - onehot)
        total = float(ll.sum()) / w.sum() + 0.5 * l2 * float((coef**2).sum()) / n
        grad_c = (g.T @ xs) / w.sum() + l2 * coef / n
        grads = [grad_c.ravel()]
        if fit_intercept:
            grads.append(g.sum(axis=0) / w.sum())
        return total, np.concatenate(grads)

    theta0 = np.zeros(k * d + (k if fit_intercept else 0))
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    coef = res.x[: k * d].reshape(k, d)
    b = res.x[k * d :] if fit_intercept else np.zeros(k)
    raw = coef / sigma
    return LogisticModel(raw, b - raw @ mu)


def kfold_indices(n: int, folds: int, seed: int = 0) -> list[npt.NDArray[np.int64]]:
    """Deterministic shuffled k-fold split of ``range(n)``."""
    order = np.random.default_rng(seed).permutation(n)
    return [order[f::folds] for f in range(folds)]


def group_kfold(groups: Sequence[str], folds: int, seed: int = 0) -> npt.NDArray[np.int64]:
    """Fold of each item: its group's, the distinct groups shuffled by ``seed`` and dealt out.

    Items of one group (e.g. the papers of one METER story, which share the PA side) always
    share a fold, so no fold is scored by a model that saw its group.
    """
    distinct = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(distinct))
    fold_of = {distinct[g]: n % folds for n, g in enumerate(order.tolist())}
    return np.array([fold_of[g] for g in groups], dtype=np.int64)
