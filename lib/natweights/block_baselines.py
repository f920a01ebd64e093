r"""Strong simple baselines on blocks for the naive, quiet and XOR planting laws.

All are given the blocks behind the examples (side information a
Definition R learner does not have) and read the clauses of the **positive**
training blocks.

* :class:`LiteralVote` — under the naive law a literal of a planted clause is
  true w.p. :math:`2^{K-1}/(2^K - 1) > 1/2`, so
  :math:`\hat\psi_i = \operatorname{sign}\sum s` over the literals on variable i
  of the positive blocks (ties +1) recovers :math:`\psi`.

The other two read those clauses as a formula and estimate the planted
assignment with a polynomial-time detector from :mod:`natweights.detectors`:

* :class:`PairSpectrumBaseline` — the quiet law has pair bias
  :math:`\mathbb E[z_1 z_2] = -1/3`, so the signed co-occurrence matrix of the
  positive clauses carries :math:`\psi\psi^\top`; :math:`\hat\psi` is the sign
  of its top eigenvector (:func:`~natweights.detectors.pair_spectral_guess`).
  The quiet law is NAE-symmetric, so :math:`\pm\hat\psi` predict alike.
* :class:`XorEliminationBaseline` — under the XOR law every clause of a
  positive block satisfies :math:`\sum_l x_{i_l} = \sum_l \sigma_l \pmod 2`
  (:func:`~natweights.detectors.xor_system`); Gaussian elimination over GF(2)
  solves it (free variables set to 0).

All predict :math:`h_{\hat\psi}`: label 1 iff :math:`\hat\psi` satisfies
every clause of the block.
"""

from __future__ import annotations

import numpy as np

from .detectors import gf2_echelon, pair_spectral_guess
from .ksat import Formula
from .reduction import Blocks, block_satisfied

__all__ = ["LiteralVote", "PairSpectrumBaseline", "XorEliminationBaseline", "positive_clauses", "gf2_solution"]


def positive_clauses(blocks: Blocks, labels) -> Formula:
    """The clauses of the blocks labelled 1, as one formula over the blocks' n variables."""
    if not isinstance(blocks, Blocks):
        raise TypeError(f"blocks must be Blocks, got {type(blocks).__name__}")
    labels = np.asarray(labels)
    if labels.shape != (len(blocks.variables),):
        raise ValueError(f"labels must have one entry per block, got shape {labels.shape}")
    pos = np.flatnonzero(labels == 1)
    if pos.size == 0:
        raise ValueError("labels: no positive block to learn from")
    K = blocks.variables.shape[2]
    return Formula(blocks.n, blocks.variables[pos].reshape(-1, K), blocks.signs[pos].reshape(-1, K))


def gf2_solution(formula: Formula) -> np.ndarray | None:
    r"""A solution :math:`\psi = (-1)^x` of the XOR system of ``formula`` (free variables 0), or None if inconsistent.

    Gaussian elimination over GF(2) on the rows of
    :func:`~natweights.detectors.xor_system` (bitsets), then back substitution.

    Returns
    -------
    numpy.ndarray or None
        int8 array of ±1 of length n.
    """
    pivots = gf2_echelon(formula)
    if pivots is None:
        return None
    x = [0] * formula.n
    for top in sorted(pivots):  # each pivot row involves only variables <= top
        row, b = pivots[top]
        rest = row ^ (1 << top)
        val = b
        while rest:
            low = rest & -rest
            val ^= x[low.bit_length() - 1]
            rest ^= low
        x[top] = val
    return np.where(np.array(x) == 1, -1, 1).astype(np.int8)


class LiteralVote:
    """Naive-law baseline: psi_hat_i = sign of the summed literal signs on variable i over the positive blocks.

    Variables that no positive literal touches (and ties) get +1.  Predicts :math:`h_{\\hat\\psi}`.
    """

    def fit(self, blocks: Blocks, labels) -> LiteralVote:
        if not isinstance(blocks, Blocks):
            raise TypeError(f"blocks must be Blocks, got {type(blocks).__name__}")
        labels = np.asarray(labels)
        if labels.shape != (len(blocks),):
            raise ValueError(f"labels must have one entry per block, got shape {labels.shape}")
        pos = blocks[np.flatnonzero(labels == 1)]
        votes = np.zeros(blocks.n)
        np.add.at(votes, pos.variables.ravel(), pos.signs.ravel())
        self.psi_ = np.where(votes >= 0, 1, -1).astype(np.int8)
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        return block_satisfied(self.psi_, blocks).astype(np.int8)


class PairSpectrumBaseline:
    """Quiet-law baseline: psi_hat from the top eigenvector of the positive clauses' signed co-occurrence matrix."""

    def fit(self, blocks: Blocks, labels):
        self.psi_ = pair_spectral_guess(positive_clauses(blocks, labels))
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        return block_satisfied(self.psi_, blocks).astype(np.int8)


class XorEliminationBaseline:
    """XOR-law baseline: psi_hat solves the positive clauses' GF(2) system (all-ones psi if it is inconsistent)."""

    def fit(self, blocks: Blocks, labels):
        formula = positive_clauses(blocks, labels)
        psi = gf2_solution(formula)
        self.consistent_ = psi is not None
        self.psi_ = psi if psi is not None else np.ones(blocks.n, dtype=np.int8)
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        return block_satisfied(self.psi_, blocks).astype(np.int8)
