r"""Simple polynomial-time tests that tell some planted formulas from random ones (C19).

They show which planting laws are *easy* instances: RSAT quantifies over every
satisfiable formula, so a planted law that these tests detect says nothing
against it.

Three tests, one per degree of the bias a planting law leaves in the literal
values :math:`z_l = s_l\psi_{i_l}` of a constraint:

* degree 1, :math:`\mathbb E[z_1] \ne 0`: sign counting
  (:func:`sign_count_statistic`, :func:`sign_count_guess`);
* degree 2, :math:`\mathbb E[z_1 z_2] \ne 0`: the top eigenvector of the signed
  co-occurrence matrix (:func:`signed_cooccurrence`,
  :func:`pair_spectral_statistic`, :func:`pair_spectral_guess`);
* the XOR law (no bias of degree 1 or 2 for K = 3): Gaussian elimination over
  GF(2) (:func:`gf2_consistent`).
"""

from __future__ import annotations

import numpy as np

from .ksat import Formula

__all__ = [
    "signed_counts",
    "sign_count_statistic",
    "sign_count_guess",
    "signed_cooccurrence",
    "pair_spectral_statistic",
    "pair_spectral_guess",
    "assignment_overlap",
    "xor_system",
    "gf2_echelon",
    "gf2_consistent",
    "unbiased_true_count_laws",
    "is_unique_unbiased_law",
]


def _check_formula(formula) -> Formula:
    if not isinstance(formula, Formula):
        raise TypeError(f"formula must be a natweights.ksat.Formula, got {type(formula).__name__}")
    return formula


def signed_counts(formula: Formula) -> np.ndarray:
    r""":math:`c_i = \sum` of the signs of the literals on variable i.

    Parameters
    ----------
    formula : Formula
        A K-SAT formula on n variables.

    Returns
    -------
    numpy.ndarray of int, shape (n,)
        The signed counts :math:`c_i`.
    """
    _check_formula(formula)
    return np.bincount(formula.variables.ravel(), weights=formula.signs.ravel(), minlength=formula.n)


def sign_count_guess(formula: Formula) -> np.ndarray:
    r""":math:`\hat\psi_i = \mathrm{sign}(c_i)` (ties to +1).

    Parameters
    ----------
    formula : Formula
        A K-SAT formula.

    Returns
    -------
    numpy.ndarray of int8, shape (n,)
        The guess :math:`\hat\psi`.
    """
    return np.where(signed_counts(formula) >= 0, 1, -1).astype(np.int8)


def sign_count_statistic(formula: Formula) -> float:
    r""":math:`\frac{1}{mK}\sum_i |c_i|`: larger when literal signs lean towards an assignment.

    Parameters
    ----------
    formula : Formula
        A K-SAT formula with m >= 1 constraints.

    Returns
    -------
    float
        The statistic.
    """
    return float(np.abs(signed_counts(formula)).sum() / formula.variables.size)


def xor_system(formula: Formula):
    r"""The GF(2) system of the XOR law: with :math:`\psi_i = (-1)^{x_i}`, :math:`s = (-1)^{\sigma}`,
    'product of literal values = +1' reads :math:`\sum_l x_{i_l} = \sum_l \sigma_l \pmod 2`.

    Returns (rows as Python int bitsets over the n variables, right-hand sides).

    Parameters
    ----------
    formula : Formula
        A K-SAT formula.

    Returns
    -------
    rows : list of int
        One bitset per constraint.
    rhs : list of int
        One parity (0 or 1) per constraint.
    """
    _check_formula(formula)
    rows = [sum(1 << int(i) for i in vs) for vs in formula.variables]
    rhs = [int(np.sum(s < 0) % 2) for s in formula.signs]
    return rows, rhs


def gf2_echelon(formula: Formula) -> dict[int, tuple[int, int]] | None:
    """Gaussian elimination over GF(2) of the formula's XOR system.

    Returns the pivot rows ``{top variable: (row bitset, right-hand side)}`` (each row involves
    only variables up to its top one), or None if the system is inconsistent.

    Parameters
    ----------
    formula : Formula
        A K-SAT formula.

    Returns
    -------
    dict or None
        The echelon form, or None when inconsistent.
    """
    rows, rhs = xor_system(formula)
    pivots: dict[int, tuple[int, int]] = {}
    for row, b in zip(rows, rhs, strict=True):
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
                return None
    return pivots


def gf2_consistent(formula: Formula) -> bool:
    """Gaussian elimination over GF(2): is the XOR system of the formula solvable?

    Parameters
    ----------
    formula : Formula
        A K-SAT formula.

    Returns
    -------
    bool
        True when some assignment makes every constraint's product of literal values +1.
    """
    return gf2_echelon(formula) is not None


def signed_cooccurrence(formula: Formula) -> np.ndarray:
    r"""Signed co-occurrence matrix :math:`A \in \mathbb Z^{n\times n}` of a formula.

    .. math:: A_{ij} = \sum_{r=1}^{m} \sum_{a \ne b} s_{ra} s_{rb}\,
              [i_{ra} = i,\ i_{rb} = j],

    the sum over constraints r and ordered pairs of positions (a, b) of the
    product of the two literal signs.  A is symmetric with zero diagonal
    (variables of a constraint are distinct).

    Why it sees a planted assignment: :math:`s_a s_b = z_a z_b\,\psi_{i_a}\psi_{i_b}`
    with :math:`z_l = s_l\psi_{i_l}` the literal values, so
    :math:`\mathbb E[A_{ij}] = \mathbb E[z_1 z_2]\, N_{ij}\, \psi_i\psi_j`, with
    :math:`N_{ij}` the number of co-occurrences.  A law with pair bias
    :math:`\mathbb E[z_1 z_2] \ne 0` plants the rank-one matrix
    :math:`\psi\psi^\top` in A; for a random formula :math:`\mathbb E[A] = 0`.

    Parameters
    ----------
    formula : Formula
        Any formula (K >= 2 for a non-zero matrix).

    Returns
    -------
    numpy.ndarray
        int64 array of shape (n, n).
    """
    formula = _check_formula(formula)
    n, K = formula.n, formula.K
    A = np.zeros((n, n), dtype=np.int64)
    v = formula.variables
    s = formula.signs.astype(np.int64)
    for a in range(K):
        for b in range(K):
            if a != b:
                np.add.at(A, (v[:, a], v[:, b]), s[:, a] * s[:, b])
    return A


def _top_pair_eigenpair(formula: Formula):
    A = signed_cooccurrence(formula).astype(float)
    vals, vecs = np.linalg.eigh(A)
    k = int(np.argmax(np.abs(vals)))
    return float(vals[k]), vecs[:, k]


def pair_spectral_statistic(formula: Formula) -> float:
    r"""Largest absolute eigenvalue of the signed co-occurrence matrix, normalised.

    .. math:: \Lambda = \frac{\max_k |\lambda_k(A)|}{\sqrt{D}}, \qquad
              D = \frac{m K (K-1)}{n},

    where D is the mean number of (signed, ±1) terms in a row of A.  For a
    random formula A has independent-sign entries and :math:`\Lambda` stays
    near the edge of the bulk, about 2.  A planting law with pair bias
    :math:`\beta = \mathbb E[z_1 z_2] \ne 0` adds :math:`\beta D\,\psi\psi^\top/n`
    (in expectation), an outlier eigenvalue near :math:`|\beta| D` once
    :math:`|\beta|\sqrt D > 1`, i.e. at :math:`m \gtrsim n / (K(K-1)\beta^2)`
    constraints (the spiked-matrix / BBP threshold).  For the K = 3 quiet law
    :math:`\beta = -1/3`, so about 1.5 n constraints suffice.

    Parameters
    ----------
    formula : Formula
        A formula with K >= 2 and m >= 1.

    Returns
    -------
    float
    """
    formula = _check_formula(formula)
    if formula.K < 2:
        raise ValueError(f"formula: the pair statistic needs K >= 2, got K = {formula.K}")
    if formula.m < 1:
        raise ValueError("formula: the pair statistic needs at least one constraint")
    value, _ = _top_pair_eigenpair(formula)
    D = formula.m * formula.K * (formula.K - 1) / formula.n
    return abs(value) / np.sqrt(D)


def pair_spectral_guess(formula: Formula) -> np.ndarray:
    r"""Guess of the planted assignment, up to a global sign, from the pair bias.

    :math:`\hat\psi_i = \mathrm{sign}(v_i)` for the eigenvector v of the
    largest-:math:`|\lambda|` eigenvalue of :func:`signed_cooccurrence` (ties
    to +1).  The eigenvector's sign is arbitrary; it is fixed so that the
    largest-magnitude entry of v is positive, so the guess does not depend on
    the linear-algebra library.  Compare with :func:`assignment_overlap`,
    which ignores the global sign.

    Returns
    -------
    numpy.ndarray
        int8 array of ±1 of length n.
    """
    formula = _check_formula(formula)
    if formula.K < 2:
        raise ValueError(f"formula: the pair guess needs K >= 2, got K = {formula.K}")
    _, v = _top_pair_eigenpair(formula)
    if v[int(np.argmax(np.abs(v)))] < 0:
        v = -v
    return np.where(v >= 0, 1, -1).astype(np.int8)


def assignment_overlap(guess, psi) -> float:
    r"""Overlap up to a global sign, :math:`|\langle \hat\psi, \psi\rangle| / n \in [0, 1]`.

    1 means :math:`\hat\psi = \pm\psi`; a guess independent of psi has overlap
    of order :math:`n^{-1/2}`.

    Parameters
    ----------
    guess, psi : array_like of ±1
        Two assignments of the same length.

    Returns
    -------
    float
        The overlap in [0, 1].
    """
    guess = np.asarray(guess)
    psi = np.asarray(psi)
    if guess.ndim != 1 or guess.shape != psi.shape:
        raise ValueError(f"guess and psi must be 1-d of the same length, got {guess.shape} and {psi.shape}")
    if not (np.all(np.abs(guess) == 1) and np.all(np.abs(psi) == 1)):
        raise ValueError("guess and psi must have entries in {-1, +1}")
    return abs(int(np.dot(guess.astype(np.int64), psi.astype(np.int64)))) / guess.size


def unbiased_true_count_laws(first_moment, second_moment, K: int = 3):
    r"""Planting laws with no bias of degree 1 or 2, by solving a linear system with sympy.

    A law on the number j = 1..K of true literals of a constraint is a vector
    :math:`(w_1, \dots, w_K)`, :math:`\sum_j w_j = 1`.  Given the conditional
    moments :math:`\mathbb E[z_1 \mid j]` and :math:`\mathbb E[z_1 z_2 \mid j]`
    (patterns with j true literals equally likely), the law's moments are
    :math:`\mathbb E[z_1] = \sum_j w_j\,\mathbb E[z_1\mid j]` and
    :math:`\mathbb E[z_1 z_2] = \sum_j w_j\,\mathbb E[z_1 z_2\mid j]`;
    this function solves :math:`\mathbb E[z_1] = \mathbb E[z_1 z_2] = 0`,
    :math:`\sum_j w_j = 1`.

    Parameters
    ----------
    first_moment, second_moment : callable
        ``j -> sympy expression``: :math:`\mathbb E[z_1\mid j]` and
        :math:`\mathbb E[z_1 z_2\mid j]` at this K.
    K : int, default 3
        Constraint width, >= 2.

    Returns
    -------
    degree1, degree2 : sympy.Expr
        :math:`\mathbb E[z_1]` and :math:`\mathbb E[z_1 z_2]` as linear forms in
        the symbols ``w1..wK``.
    solutions : list of dict
        ``sympy.solve`` solutions, as dicts ``j -> value`` (values may contain
        free symbols when the system is underdetermined, K > 3).
    """
    import sympy as sp

    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or K < 2:
        raise ValueError(f"K must be an integer >= 2, got {K!r}")
    if not (callable(first_moment) and callable(second_moment)):
        raise TypeError("first_moment and second_moment must be callables j -> expression")
    w = tuple(sp.symbols(" ".join(f"w{jj}" for jj in range(1, K + 1)), nonnegative=True))
    degree1 = sp.expand(sum(w[jj - 1] * first_moment(jj) for jj in range(1, K + 1)))
    degree2 = sp.expand(sum(w[jj - 1] * second_moment(jj) for jj in range(1, K + 1)))
    raw = sp.solve([degree1, degree2, sum(w) - 1], list(w), dict=True)
    solutions = [{jj: sp.simplify(sol.get(w[jj - 1], w[jj - 1])) for jj in range(1, K + 1)} for sol in raw]
    return degree1, degree2, solutions


def is_unique_unbiased_law(law, first_moment, second_moment, K: int = 3) -> bool:
    r"""True iff ``law`` is the one and only solution of :func:`unbiased_true_count_laws`.

    Parameters
    ----------
    law : mapping or sequence
        ``j -> probability`` of j true literals (j = 1..K; other keys must map
        to 0); a list indexed by j = 0..K, as :func:`natweights.ksat.planting_law`
        returns, is accepted.
    first_moment, second_moment, K
        As in :func:`unbiased_true_count_laws`.

    Returns
    -------
    bool
        True iff the system has exactly one solution and it equals ``law``
        (exact sympy comparison).
    """
    import sympy as sp

    if isinstance(law, (list, tuple)):
        law = dict(enumerate(law))  # planting_law's format: index j = number of true literals
    if not hasattr(law, "get"):
        raise TypeError(f"law must be a mapping or sequence j -> probability, got {type(law).__name__}")
    _, _, solutions = unbiased_true_count_laws(first_moment, second_moment, K)
    if len(solutions) != 1:
        return False
    if any(sp.simplify(law.get(jj, 0)) != 0 for jj in law if jj not in range(1, K + 1)):
        return False
    return all(sp.simplify(solutions[0][jj] - law.get(jj, 0)) == 0 for jj in range(1, K + 1))
