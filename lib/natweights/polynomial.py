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

from .reduction import Blocks

__all__ = ["monomial_index", "monomial_features", "fit_polynomial"]


def monomial_index(n: int, degree: int) -> dict[tuple[int, ...], int]:
    """Column of each subset U of [n] with |U| <= degree (sorted tuples; the empty set is column 0)."""
    index = {}
    for k in range(degree + 1):
        for U in combinations(range(n), k):
            index[U] = len(index)
    return index


def monomial_features(blocks: Blocks, degree: int | None = None) -> np.ndarray:
    r""":math:`\varphi_U(x)` for every block and every U with :math:`|U| \le` degree (default K)."""
    K = blocks.K
    degree = K if degree is None else degree
    if degree < K:
        raise ValueError(f"degree {degree} is below K = {K}: the clause products need degree K")
    n = blocks.n
    index = monomial_index(n, degree)
    out = np.zeros((len(blocks), sum(comb(n, k) for k in range(degree + 1))))
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
    """Least-squares coefficients (minimum norm) of targets on the features."""
    coef, *_ = np.linalg.lstsq(features, targets, rcond=None)
    return coef
