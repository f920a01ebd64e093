r"""Fitting and scoring learners on network labels (claims C15–C17 of the book's claims page).

* :func:`explained_variance` — :math:`1 - \mathrm{MSE}/\mathrm{Var}(y)` on held-out
  data, and :func:`explained_variance_summary` — its mean over independent
  networks with a Student-t interval, and the decision "learned well"
  (the whole interval above a stated level).
* :func:`literal_correlation_estimate` — the one-line estimator of the planted
  assignment from the degree-1 signal :math:`\mathbb E[(y - \bar y) z]`:
  :math:`\hat\psi_i = \operatorname{sign}\sum_k (y_k - \bar y)\sum_{t,l:\, i_{t,l} = i} s_{t,l}`.
  For uniform blocks labelled by :math:`T_{K,M}(U_x(\psi))` each literal value
  has :math:`\mathbb E[T z] = (1 - 2^{-K})^{M-1} 2^{-K}` while
  :math:`\mathbb E[z] = 0`, so the sign of the correlation of the label with
  :math:`s` at variable i is :math:`\psi_i`.
* :class:`PolynomialKernelFit` — least squares with the kernel
  :math:`k(x, x') = (1 + \langle x, x'\rangle / c)^p`, whose feature space is all
  polynomials of degree at most p in x: minimum-norm interpolation
  (``ridge=0``) or kernel ridge regression with the penalty chosen by exact
  leave-one-out error.
* :func:`sphere_encoding_fit` — one network and one encoding of the C17 experiment (encode,
  pad onto the :math:`\sqrt d` sphere, label, degree-2 kernel ridge), and
  :func:`paired_wins` — the sign test comparing two encodings over networks.
* :func:`stable_format` — fixed-decimal printing that refuses a value lying on
  a rounding boundary (stored outputs must not depend on the last bits).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .printing import fixed
from .reduction import Blocks, block_satisfied, signed_incidence
from .stats import mean_interval, proportion_interval

__all__ = [
    "explained_variance",
    "ExplainedVarianceSummary",
    "explained_variance_summary",
    "literal_correlation_estimate",
    "LiteralCorrelationPredictor",
    "polynomial_kernel",
    "PolynomialKernelFit",
    "sphere_encoding_fit",
    "paired_wins",
    "PairedWins",
]


def _as_vector(name: str, y) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d array, got shape {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must be finite")
    return y


def explained_variance(y_true, y_pred) -> float:
    r""":math:`1 - \frac{\frac1N\sum_k (\hat y_k - y_k)^2}{\frac1N\sum_k (y_k - \bar y)^2}`.

    1 for a perfect predictor, 0 for the constant :math:`\bar y`, negative for a
    predictor worse than that constant.  Raises ValueError when the labels are
    constant (the ratio is undefined).

    Parameters
    ----------
    y_true, y_pred : array_like
        Finite labels and predictions of the same length.

    Returns
    -------
    float
        The explained variance, at most 1.
    """
    y_true = _as_vector("y_true", y_true)
    y_pred = _as_vector("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have one shape, got {y_true.shape} and {y_pred.shape}")
    var = float(np.var(y_true))
    if var <= 0:
        raise ValueError("y_true is constant: explained variance is undefined")
    return 1.0 - float(np.mean((y_pred - y_true) ** 2)) / var


@dataclass(frozen=True)
class ExplainedVarianceSummary:
    """Mean explained variance over ``count`` independent networks with a ``confidence`` t interval.

    Attributes
    ----------
    mean, lo, hi : float
        The mean and its interval (``hi`` at most 1).
    count : int
        Number of networks.
    confidence : float
        Confidence level.
    """

    mean: float
    lo: float
    hi: float
    count: int
    confidence: float

    def learned_well(self, level: float) -> bool:
        """True iff the whole interval lies at or above ``level``."""
        return bool(self.lo >= level)

    def at_most(self, level: float) -> bool:
        """True iff the whole interval lies at or below ``level``."""
        return bool(self.hi <= level)

    def format(self, decimals: int = 2) -> str:
        return f"{fixed(self.mean, decimals)} [{fixed(self.lo, decimals)}, {fixed(self.hi, decimals)}]"


def explained_variance_summary(values, confidence: float = 0.99) -> ExplainedVarianceSummary:
    """Student-t interval for the mean of per-network explained variances (at least two values).

    Explained variance is at most 1, so the interval is intersected with (-inf, 1]: the true mean
    lies there, and the coverage of the t interval is kept.

    Parameters
    ----------
    values : array_like
        At least two per-network explained variances.
    confidence : float, default 0.99
        Confidence level.

    Returns
    -------
    ExplainedVarianceSummary
        Mean, interval and count.
    """
    values = _as_vector("values", values)
    if values.size < 2:
        raise ValueError("values needs at least two networks for an interval")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    mean, lo, hi = mean_interval(values, confidence)
    return ExplainedVarianceSummary(float(mean), float(lo), min(float(hi), 1.0), int(values.size), float(confidence))


def literal_correlation_estimate(blocks: Blocks, y) -> np.ndarray:
    r""":math:`\hat\psi_i = \operatorname{sign}\sum_k (y_k - \bar y)\,\sum_{t,l:\ i_{t,l}=i} s_{t,l}`
    (+1 on ties, including scores within round-off of 0), the degree-1 estimate of the assignment from labelled blocks.

    Parameters
    ----------
    blocks : Blocks
        N blocks on n variables.
    y : array_like
        One finite label per block.

    Returns
    -------
    numpy.ndarray of int8
        The estimate :math:`\hat\psi`.
    """
    if not isinstance(blocks, Blocks):
        raise TypeError(f"blocks must be a Blocks instance, got {type(blocks).__name__}")
    y = _as_vector("y", y)
    if y.shape != (len(blocks),):
        raise ValueError(f"y must have one value per block ({len(blocks)}), got shape {y.shape}")
    counts = signed_incidence(blocks).sum(axis=1, dtype=np.int64)
    centred = y - y.mean()
    score = centred @ counts
    # A score that is zero in exact arithmetic comes out as +-1e-17 depending on the BLAS kernel's
    # summation order; call it a tie (+1) so that the estimate is the same on every CPU.
    scale = np.abs(centred) @ np.abs(counts)
    score = np.where(np.abs(score) <= 1e-9 * scale, 0.0, score)
    return np.where(score >= 0, 1, -1).astype(np.int8)


class LiteralCorrelationPredictor:
    r"""Predict :math:`a + b\,T_{K,M}(U_x(\hat\psi))` with :math:`\hat\psi` from
    :func:`literal_correlation_estimate` and (a, b) by least squares on the training blocks.

    It reads the blocks, i.e. it is given the decoding of x (the public part), which a
    Definition R learner is not given.

    Methods ``fit(blocks, y)`` and ``predict(blocks)``; no parameters.
    """

    def fit(self, blocks: Blocks, y) -> LiteralCorrelationPredictor:
        y = _as_vector("y", y)
        self.psi_ = literal_correlation_estimate(blocks, y)
        t = block_satisfied(self.psi_, blocks).astype(float)
        design = np.column_stack([np.ones_like(t), t])
        self.coef_, *_ = np.linalg.lstsq(design, y, rcond=None)
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        if not hasattr(self, "psi_"):
            raise ValueError("call fit before predict")
        t = block_satisfied(self.psi_, blocks).astype(float)
        return self.coef_[0] + self.coef_[1] * t


def polynomial_kernel(X, Y, degree: int, scale: float) -> np.ndarray:
    r""":math:`k(x, y) = (1 + \langle x, y\rangle / c)^p` for all rows of X and Y (p = ``degree``, c = ``scale``).

    Parameters
    ----------
    X, Y : array_like, shapes (N, d) and (N', d)
        Inputs, one per row.
    degree : int
        The degree p >= 1.
    scale : float
        The scale c > 0.

    Returns
    -------
    numpy.ndarray, shape (N, N')
        The kernel matrix.
    """
    if not isinstance(degree, (int, np.integer)) or isinstance(degree, bool) or degree < 1:
        raise ValueError(f"degree must be a positive integer, got {degree!r}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-d with the same number of columns, got {X.shape} and {Y.shape}")
    return (1.0 + (X @ Y.T) / scale) ** degree


class PolynomialKernelFit:
    r"""Least squares over all polynomials of degree at most ``degree`` in x, through the kernel
    :math:`(1 + \langle x, x'\rangle/c)^p` with c the mean squared norm of the training rows.

    ``ridge=0``: the minimum-norm interpolant, :math:`\alpha = K^+ (y - \bar y)` (eigenvalues
    below ``rcond`` times the largest are dropped).  ``ridge`` a sequence of penalties
    (relative to the mean eigenvalue): kernel ridge regression,
    :math:`\alpha = (K + \lambda I)^{-1}(y - \bar y)`, with λ chosen by the exact leave-one-out
    residuals :math:`(y_k - \hat y_k)/(1 - H_{kk})`, :math:`H = K(K + \lambda I)^{-1}`.

    Parameters
    ----------
    degree : int
        Largest degree p of the polynomials.
    ridge : float or sequence of float, default 0
        0 for the minimum-norm interpolant, or penalties to choose from by leave-one-out error.
    rcond : float, default 1e-10
        Relative cut-off of small eigenvalues.
    """

    def __init__(self, degree: int, ridge=0.0, rcond: float = 1e-10):
        if not isinstance(degree, (int, np.integer)) or isinstance(degree, bool) or degree < 1:
            raise ValueError(f"degree must be a positive integer, got {degree!r}")
        ridges = np.atleast_1d(np.asarray(ridge, dtype=float))
        if ridges.ndim != 1 or np.any(ridges < 0) or not np.all(np.isfinite(ridges)):
            raise ValueError(f"ridge must be a non-negative number or sequence, got {ridge!r}")
        if not 0 < rcond < 1:
            raise ValueError(f"rcond must lie in (0, 1), got {rcond}")
        self.degree, self.ridges, self.rcond = int(degree), ridges, float(rcond)

    def fit(self, X, y) -> PolynomialKernelFit:
        X = np.asarray(X, dtype=float)
        y = _as_vector("y", y)
        if X.ndim != 2 or X.shape[0] != y.size:
            raise ValueError(f"X must be N x d with N = len(y) = {y.size}, got shape {X.shape}")
        self.X_ = X
        self.scale_ = float(np.mean(np.sum(X**2, axis=1))) or 1.0
        self.offset_ = float(y.mean())
        yc = y - self.offset_
        G = polynomial_kernel(X, X, self.degree, self.scale_)
        lam, V = np.linalg.eigh(G)
        proj = V.T @ yc
        if np.all(self.ridges == 0):
            keep = lam > self.rcond * lam[-1]
            inv = np.where(keep, 1.0 / np.where(keep, lam, 1.0), 0.0)
            self.ridge_ = 0.0
        else:
            best = None
            for r in self.ridges:
                lr = r * float(np.mean(lam))
                shrink = lam / (lam + lr)
                fitted = V @ (shrink * proj)
                h = np.einsum("ij,j,ij->i", V, shrink, V)
                loo = float(np.mean(((yc - fitted) / np.maximum(1 - h, 1e-12)) ** 2))
                if best is None or loo < best[0]:
                    best = (loo, r, lr)
            _, self.ridge_, lr = best
            inv = 1.0 / (np.maximum(lam, 0.0) + lr)
        self.alpha_ = V @ (inv * proj)
        return self

    def predict(self, X) -> np.ndarray:
        if not hasattr(self, "alpha_"):
            raise ValueError("call fit before predict")
        return self.offset_ + polynomial_kernel(X, self.X_, self.degree, self.scale_) @ self.alpha_


def sphere_encoding_fit(
    net, encoder, blocks: Blocks, n_fit: int, ridge=(1e-4, 1e-3, 1e-2, 1e-1, 1.0), degree: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    r"""Labels and held-out predictions of the C17 experiment for one network and one encoding.

    The blocks are encoded with ``encoder``'s public part, padded onto the sphere of radius
    :math:`\sqrt d` (:meth:`NaturalEmbedding.pad_to_norm`), labelled by ``net``, and a
    degree-``degree`` polynomial kernel ridge fit is trained on the first ``n_fit`` rows.

    Returns
    -------
    (y_hold, pred_hold): the labels :math:`N(x)` of the remaining rows and the fit's predictions there.
    """
    if not isinstance(n_fit, (int, np.integer)) or isinstance(n_fit, bool) or not 0 < n_fit < len(blocks):
        raise ValueError(f"n_fit must be an integer in (0, {len(blocks)}), got {n_fit!r}")
    X = encoder.encode(blocks)
    X = encoder.pad_to_norm(X, np.sqrt(encoder.d))
    y = np.asarray(net(X), dtype=float)
    pred = PolynomialKernelFit(degree, ridge=ridge).fit(X[:n_fit], y[:n_fit]).predict(X[n_fit:])
    return y[n_fit:], pred


@dataclass(frozen=True)
class PairedWins:
    """``wins`` of ``count`` paired comparisons, with a Clopper-Pearson interval for the win probability.

    Attributes
    ----------
    wins, count : int
        Strict wins of a and comparisons.
    lo, hi : float
        Interval for the win probability.
    """

    wins: int
    count: int
    lo: float
    hi: float

    def above_half(self) -> bool:
        """True iff the whole interval lies above 1/2."""
        return bool(self.lo > 0.5)


def paired_wins(errors_a, errors_b, confidence: float = 0.99) -> PairedWins:
    r"""Sign test: how often ``errors_a[i] < errors_b[i]`` (strictly), with a binomial interval.

    Under "a is not better than b" the win probability is at most 1/2, so
    :meth:`PairedWins.above_half` is a one-sided test that can reject it.

    Parameters
    ----------
    errors_a, errors_b : array_like
        Paired errors of two methods, the same length.
    confidence : float, default 0.99
        Confidence level.

    Returns
    -------
    PairedWins
        Wins, count and interval.
    """
    a, b = _as_vector("errors_a", errors_a), _as_vector("errors_b", errors_b)
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"errors_a and errors_b must have one nonempty shape, got {a.shape} and {b.shape}")
    wins = int(np.sum(a < b))
    lo, hi = proportion_interval(wins, int(a.size), confidence)
    return PairedWins(wins, int(a.size), float(lo), float(hi))
