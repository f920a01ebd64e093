r"""DSS16 Lemma 16: realising :math:`H_P` by DNFs through a fixed map g (the arbitrary-weights baseline).

For a signed k-tuple :math:`x = ((\alpha_1, i_1), \dots, (\alpha_k, i_k))`,
:math:`g(x) \in \{\pm1\}^{2kn}` has coordinates indexed by
:math:`(j, b, i) \in [k] \times \{\pm1\} \times [n]`, and
:math:`g_{j,b,i}(x) = -1` iff :math:`x(j) = (-b, i)`.  If P is a DNF whose
terms ask :math:`z_j = b` for some pairs (j, b), then
:math:`h_\psi = h \circ g` for the DNF h with the same number of terms whose
term asks :math:`y_{j, \psi_i b, i} = 1` for all i and every (j, b) of the
term of P.
"""

from __future__ import annotations

from itertools import permutations, product

import numpy as np

from .ksat import check_assignment
from .validation import check_index_array, check_int, check_memory, check_sign_array

__all__ = [
    "g_map",
    "coordinate",
    "not_T_terms",
    "realising_dnf",
    "evaluate_dnf",
    "evaluate_predicate_dnf",
    "all_signed_tuples",
]


def coordinate(j: int, b: int, i: int, n: int) -> int:
    """Flat index of coordinate (j, b, i): j-major, then b in (-1, +1), then i."""
    n = check_int("n", n, 1)
    j = check_int("j", j, 0)
    i = check_int("i", i, 0, n - 1)
    if check_int("b", b) not in (-1, 1):
        raise ValueError(f"b must be -1 or +1, got {b!r}")
    return (2 * j + (b > 0)) * n + i


def g_map(variables: np.ndarray, signs: np.ndarray, n: int) -> np.ndarray:
    r"""The map :math:`g: X_{n,k} \to \{\pm1\}^{2kn}` for N tuples (arrays N x k); returns N x 2kn int8."""
    n = check_int("n", n, 1)
    variables = check_index_array("variables", variables)
    signs = check_sign_array("signs", signs)
    if variables.ndim < 1 or variables.shape != signs.shape:
        raise ValueError(f"variables and signs must be arrays of one shape, got {variables.shape} and {signs.shape}")
    variables = variables.reshape(len(variables), -1)
    signs = signs.reshape(len(signs), -1)
    if variables.size and (variables.min() < 0 or variables.max() >= n):
        raise ValueError(f"variables must lie in [0, n) with n = {n}")
    N, k = variables.shape
    check_memory(2.0 * N * k * n, f"g(x) for {N} tuples (N x 2kn = {N} x {2 * k * n} bytes)")
    out = np.ones((N, 2 * k * n), dtype=np.int8)
    j = np.arange(k)[None, :]
    cols = (2 * j + (-signs > 0)) * n + variables  # coordinate (j, -alpha_j, i_j)
    out[np.arange(N)[:, None], cols] = -1
    return out


def _check_terms(terms, k: int | None = None):
    """A DNF as a list of terms, each a list of pairs (j, b) with j a literal position and b = ±1."""
    out = []
    try:
        for term in terms:
            pairs = [(int(j), int(b)) for j, b in term]
            if any(b not in (-1, 1) for _, b in pairs) or any(j < 0 or (k is not None and j >= k) for j, _ in pairs):
                raise ValueError(
                    f"terms: pairs (j, b) need 0 <= j{'' if k is None else f' < {k}'} and b = ±1, got {term!r}"
                )
            out.append(pairs)
    except TypeError:
        raise TypeError(f"terms must be a list of terms, each a list of pairs (j, b), got {terms!r}") from None
    return out


def not_T_terms(K: int, M: int) -> list[list[tuple[int, int]]]:
    r""":math:`\neg T_{K,M}` as a DNF with M terms: term t asks every literal of clause t to be false
    (:math:`z_{tK+l} = -1` for l < K)."""
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    return [[(t * K + l, -1) for l in range(K)] for t in range(M)]


def evaluate_predicate_dnf(terms, z: np.ndarray) -> np.ndarray:
    """Evaluate a DNF over literal values z (N x k, ±1): some term has all its (j, b) with z_j = b."""
    z = np.asarray(z)
    if z.ndim != 2:
        raise ValueError(f"z must be an N x k array of ±1 literal values, got shape {z.shape}")
    out = np.zeros(len(z), dtype=bool)
    for term in _check_terms(terms, z.shape[1]):
        ok = np.ones(len(z), dtype=bool)
        for j, b in term:
            ok &= z[:, j] == b
        out |= ok
    return out


def realising_dnf(terms, psi, n: int) -> list[np.ndarray]:
    r"""The DNF h over :math:`\{\pm1\}^{2kn}` with :math:`h \circ g = P \circ U_\cdot(\psi)`.

    Returns one array of coordinates per term; the term holds iff all of them are +1.
    """
    psi = check_assignment(psi, n)
    out = []
    for term in _check_terms(terms):
        coords = [coordinate(j, int(psi[i]) * b, i, n) for j, b in term for i in range(n)]
        out.append(np.array(coords, dtype=np.int64))
    return out


def evaluate_dnf(dnf_terms: list[np.ndarray], y: np.ndarray) -> np.ndarray:
    """Evaluate the coordinate DNF of :func:`realising_dnf` on vectors y (N x 2kn, ±1)."""
    y = np.asarray(y)
    if y.ndim != 2:
        raise ValueError(f"y must be an N x 2kn array of ±1 values, got shape {y.shape}")
    out = np.zeros(len(y), dtype=bool)
    for coords in dnf_terms:
        coords = check_index_array("dnf_terms", coords)
        if coords.size and (coords.min() < 0 or coords.max() >= y.shape[1]):
            raise ValueError(f"dnf_terms: coordinates must lie in [0, {y.shape[1]})")
        out |= np.all(y[:, coords] == 1, axis=1)
    return out


def all_signed_tuples(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Every element of :math:`X_{n,k}` (there are :math:`2^k n!/(n-k)!`): arrays (variables, signs)."""
    n = check_int("n", n, 1)
    k = check_int("k", k, 1)
    if k > n:
        raise ValueError(f"k = {k} exceeds n = {n}")
    count = 2.0**k * float(np.prod(np.arange(n - k + 1, n + 1, dtype=float)))
    check_memory(count * 9 * k, f"all {count:.3g} signed {k}-tuples over n = {n}")
    perms = np.array(list(permutations(range(n), k)), dtype=np.int64)
    sgns = np.array(list(product((-1, 1), repeat=k)), dtype=np.int8)
    variables = np.repeat(perms, len(sgns), axis=0)
    signs = np.tile(sgns, (len(perms), 1))
    return variables, signs
