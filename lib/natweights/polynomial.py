r"""The linear-output network as a polynomial of degree K (claim C15 of the book's claims page).

With a linear output, on a block the network computes
:math:`1 - \sum_t [1 - \mathrm{true}_t]_+ = 1 - \sum_t \prod_l \frac{1 - z_{t,l}}{2}`, and

.. math::
   \prod_{l=1}^K \frac{1 - s_{t,l}\psi_{i_{t,l}}}{2}
   = 2^{-K} \sum_{S \subseteq [K]} (-1)^{|S|} \prod_{l\in S} s_{t,l} \; \psi_{\{i_{t,l} : l \in S\}},

so :math:`N(x) = \sum_{|U| \le K} a_U\,\psi_U\,\varphi_U(x)` with
:math:`\psi_U = \prod_{i\in U}\psi_i` and features
:math:`\varphi_U(x) = \sum_{t} \sum_{S:\ \{i_{t,l}\}_{l\in S} = U} (-1)^{|S|}\prod_{l\in S}s_{t,l}`
computable from the block.  Least squares on the :math:`\sum_{k\le K}\binom nk`
features therefore fits it exactly.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

from .reduction import Blocks, _check_blocks
from .validation import check_finite_array, check_int, check_memory

__all__ = ["monomial_index", "monomial_features", "fit_polynomial"]


def monomial_index(n: int, degree: int) -> dict[tuple[int, ...], int]:
    """Column of each subset U of [n] with size at most ``degree`` (sorted tuples; the empty set is column 0).

    Parameters
    ----------
    n : int
        Number of variables, n >= 1.
    degree : int
        Largest subset size, 0 <= degree <= n.

    Returns
    -------
    dict
        ``U -> column``, columns numbered by size, then lexicographically.
    """
    n = check_int("n", n, 1)
    degree = check_int("degree", degree, 0, n)
    check_memory(64.0 * sum(comb(n, k) for k in range(degree + 1)), f"the subsets of [{n}] of size <= {degree}")
    index = {}
    for k in range(degree + 1):
        for U in combinations(range(n), k):
            index[U] = len(index)
    return index


def monomial_features(blocks: Blocks, degree: int | None = None) -> np.ndarray:
    r""":math:`\varphi_U(x)` for every block and every U with :math:`|U| \le` degree (default K).

    .. math:: \varphi_U(x) = \sum_{t} \sum_{S:\ \{i_{t,l}\}_{l\in S} = U} (-1)^{|S|}\prod_{l\in S}s_{t,l},

    so that the linear-output network is :math:`N(x) = 1 - 2^{-K}\sum_U \psi_U\,\varphi_U(x)`
    (the empty set contributes :math:`\varphi_\emptyset = M`).

    Parameters
    ----------
    blocks : Blocks
        N blocks of M clauses of K literals on n variables.
    degree : int, optional
        Largest monomial degree, K <= degree <= n (default K).

    Returns
    -------
    numpy.ndarray, shape (N, number of subsets)
        The features, columns as in :func:`monomial_index`.
    """
    _check_blocks(blocks)
    K = blocks.K
    degree = K if degree is None else check_int("degree", degree, 0)
    if degree < K:
        raise ValueError(f"degree {degree} is below K = {K}: the clause products need degree K")
    n = blocks.n
    index = monomial_index(n, degree)
    check_memory(8.0 * len(blocks) * len(index), f"{len(blocks)} x {len(index)} monomial features")
    out = np.zeros((len(blocks), len(index)))
    rows = np.arange(len(blocks))
    for k in range(K + 1):
        for S in combinations(range(K), k):
            S = list(S)
            sign = (-1) ** k * np.prod(blocks.signs[:, :, S], axis=2) if k else np.ones(blocks.variables.shape[:2])
            for t in range(blocks.M):
                keys = [tuple(sorted(v)) for v in blocks.variables[:, t, S].tolist()]
                cols = np.fromiter((index[u] for u in keys), dtype=np.int64, count=len(keys))
                np.add.at(out, (rows, cols), sign[:, t])
    return out


def fit_polynomial(features: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Least-squares coefficients (minimum norm) of targets on the features.

    Parameters
    ----------
    features : array_like, shape (N, p)
        Finite features, one row per example.
    targets : array_like, shape (N,)
        Finite targets.

    Returns
    -------
    numpy.ndarray, shape (p,)
        The minimum-norm least-squares coefficients.
    """
    features = check_finite_array("features", features)
    targets = check_finite_array("targets", targets)
    if features.ndim != 2:
        raise ValueError(f"features must be a 2-d array (examples x features), got shape {features.shape}")
    if targets.shape != (features.shape[0],):
        raise ValueError(f"targets must have one value per row of features ({features.shape[0]}), got {targets.shape}")
    coef, *_ = np.linalg.lstsq(features, targets, rcond=None)
    return coef
