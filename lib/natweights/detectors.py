r"""Simple polynomial-time tests that tell some planted formulas from random ones (C19).

They show which planting laws are *easy* instances: RSAT quantifies over every
satisfiable formula, so a planted law that these tests detect says nothing
against it.
"""

from __future__ import annotations

import numpy as np

from .ksat import Formula

__all__ = ["signed_counts", "sign_count_statistic", "sign_count_guess", "xor_system", "gf2_consistent"]


def signed_counts(formula: Formula) -> np.ndarray:
    r""":math:`c_i = \sum` of the signs of the literals on variable i."""
    return np.bincount(formula.variables.ravel(), weights=formula.signs.ravel(), minlength=formula.n)


def sign_count_guess(formula: Formula) -> np.ndarray:
    r""":math:`\hat\psi_i = \mathrm{sign}(c_i)` (ties to +1)."""
    return np.where(signed_counts(formula) >= 0, 1, -1).astype(np.int8)


def sign_count_statistic(formula: Formula) -> float:
    r""":math:`\frac{1}{mK}\sum_i |c_i|`: larger when literal signs lean towards an assignment."""
    return float(np.abs(signed_counts(formula)).sum() / formula.variables.size)


def xor_system(formula: Formula):
    r"""The GF(2) system of the XOR law: with :math:`\psi_i = (-1)^{x_i}`, :math:`s = (-1)^{\sigma}`,
    'product of literal values = +1' reads :math:`\sum_l x_{i_l} = \sum_l \sigma_l \pmod 2`.

    Returns (rows as Python int bitsets over the n variables, right-hand sides).
    """
    rows = [sum(1 << int(i) for i in vs) for vs in formula.variables]
    rhs = [int(np.sum(s < 0) % 2) for s in formula.signs]
    return rows, rhs


def gf2_consistent(formula: Formula) -> bool:
    """Gaussian elimination over GF(2): is the XOR system of the formula solvable?"""
    rows, rhs = xor_system(formula)
    pivots: dict[int, tuple[int, int]] = {}
    for row, b in zip(rows, rhs):
        while row:
            top = row.bit_length() - 1
            if top not in pivots:
                pivots[top] = (row, b)
                break
            prow, pb = pivots[top]
            row ^= prow
            b ^= pb
        else:
            if b:
                return False
    return True
