r"""Closed-form bounds of the reduction, symbolic and numeric.

The bounds of DSS16 Example 1 (claim C3), Lemma 13 (C5), Lemma 15 (C6), the
refuter's amplification (C13) and the Davidson–Szarek tail used for the input
norms (C12); claim ids refer to the book's claims page.

Each bound is a sympy expression in the symbols of :data:`symbols` (for the
notebooks to manipulate and prove things about) and a numeric function built
from that same expression, so the two cannot drift apart.  The symbols live in
a namespace, ``bounds.symbols.K`` and so on, so that a notebook's own ``n``,
``K``, ``M``, ``m`` never clash with them.

Every numeric function takes keyword-only arguments, the paper's letters first
in the order ``n, K, M, m`` (those that apply), then the others::

    bounds.lemma13_repaired_bound(n=60, K=3)
    bounds.lemma15_union_bound(K=3, M=40, m=100)

Here, as in DSS16, ``m`` is a number of constraints or examples (a sample
size), not the hidden width of a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil, log

import numpy as np
import sympy as sp

from .validation import check_int, check_real

__all__ = [
    "Symbols",
    "symbols",
    "SCATTERED_HOEFFDING",
    "SCATTERED_HOEFFDING_BETA",
    "SQUARE_LOSS_SCATTERED",
    "LEMMA13_PRINTED",
    "LEMMA13_REPAIRED",
    "NOT_T_VIOLATION",
    "LEMMA15_UNION",
    "AMPLIFICATION",
    "DAVIDSON_SZAREK_TAIL",
    "scattered_hoeffding_bound",
    "scattered_bound",
    "square_loss_scattered_bound",
    "lemma13_printed_bound",
    "lemma13_repaired_bound",
    "avoidance_probability",
    "not_T_violation_probability",
    "lemma15_union_bound",
    "lemma15_condition",
    "lemma15_min_M",
    "amplification",
    "sigma_min_tail_bound",
    "sigma_min_mean_lower_bound",
]


def _integer(name: str):
    return field(default_factory=lambda: sp.Symbol(name, positive=True, integer=True))


def _real(name: str):
    return field(default_factory=lambda: sp.Symbol(name, positive=True))


@dataclass(frozen=True)
class Symbols:
    r"""The sympy symbols the closed-form bounds are written in (all positive).

    Attributes
    ----------
    n : sympy.Symbol
        Number of variables (integer).
    K : sympy.Symbol
        Literals per constraint (integer).
    M : sympy.Symbol
        Constraints per block of :math:`T_{K,M}` (integer).
    m : sympy.Symbol
        Number of constraints or examples, the sample size :math:`|S|` (integer).
    R : sympy.Symbol
        Independent runs of the refuter (integer).
    r, q : sympy.Symbol
        Rows and columns of a Gaussian block (integers, :math:`r \ge q`).
    p : sympy.Symbol
        Success probability of one run.
    beta : sympy.Symbol
        Error threshold of a scattered sample, :math:`\beta < 1/2`.
    s : sympy.Symbol
        Number of variables already used (Lemma 13's avoidance step).
    t : sympy.Symbol
        Deviation of the Davidson–Szarek tail.
    """

    n: sp.Symbol = _integer("n")
    K: sp.Symbol = _integer("K")
    M: sp.Symbol = _integer("M")
    m: sp.Symbol = _integer("m")
    R: sp.Symbol = _integer("R")
    r: sp.Symbol = _integer("r")
    q: sp.Symbol = _integer("q")
    p: sp.Symbol = _real("p")
    beta: sp.Symbol = _real("beta")
    s: sp.Symbol = _real("s")
    t: sp.Symbol = _real("t")


#: The symbols of every expression below: ``symbols.n``, ``symbols.K``, ...
symbols = Symbols()
_n, _K, _M, _m, _R, _p, _beta, _t = (symbols.n, symbols.K, symbols.M, symbols.m, symbols.R, symbols.p,
                                     symbols.beta, symbols.t)  # fmt: skip

#: DSS16 Example 1 (C3): P(Err_S(f) <= 1/4) <= 2^{-m/8} for fair-coin labels, |S| = m.
SCATTERED_HOEFFDING = 2 ** (-_m / 8)
#: Hoeffding for a general threshold beta < 1/2: P(Err_S(f) <= beta) <= exp(-2 (1/2 - beta)^2 m).
SCATTERED_HOEFFDING_BETA = sp.exp(-2 * (sp.Rational(1, 2) - _beta) ** 2 * _m)
#: Square loss of a [0,1]-valued f against fair-coin labels: mean >= 1/4; P(loss_S <= 1/8) <= exp(-m/32).
SQUARE_LOSS_SCATTERED = sp.exp(-_m / 32)
#: DSS16 Lemma 13 as printed (C5): P(a chunk yields too few disjoint constraints) <= exp(-(1/(2^{2K+5} K))^2 n).
LEMMA13_PRINTED = sp.exp(-((1 / (2 ** (2 * _K + 5) * _K)) ** 2) * _n)
#: DSS16 Lemma 13 with the Chernoff threshold 1 - 2^-K + 2^-(K+1) (C5, repaired): exp(-2^{-2K-1} floor(n / 2K)).
LEMMA13_REPAIRED = sp.exp(-(2 ** (-2 * _K - 1)) * sp.floor(_n / (2 * _K)))
#: DSS16 Lemma 15 (C6): a uniform ¬T_{K,M} constraint is violated by a fixed psi w.p. (1 - 2^-K)^M.
NOT_T_VIOLATION = (1 - 2 ** (-_K)) ** _M
#: DSS16 Lemma 15 (C6), union bound over the m new constraints: m (1 - 2^-K)^M.
LEMMA15_UNION = _m * NOT_T_VIOLATION
#: Refuter amplification (C13) with R independent runs of success probability p.
AMPLIFICATION = 1 - (1 - _p) ** _R
#: Davidson–Szarek (C12): P(sigma_min(G) <= sqrt(r) - sqrt(q) - t) <= exp(-t^2/2) for G r x q standard Gaussian.
DAVIDSON_SZAREK_TAIL = sp.exp(-(_t**2) / 2)


def _arg(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    high_open: bool = False,
):
    """Validate a scalar or array argument of a numeric bound (vectorised): finite, in [low, high]."""
    if np.asarray(value).dtype.kind in "bUSV":
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)  # also sympy numbers
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if integer and np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if (low is not None and np.any(arr < low)) or (
        high is not None and np.any(arr >= high if high_open else arr > high)
    ):
        interval = f"[{'-inf' if low is None else f'{low:g}'}, {'inf' if high is None else f'{high:g}'}{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return value


def _vectorise(expr, args):
    f = sp.lambdify(args, expr, modules=["numpy"])

    def g(*values):
        out = f(*[np.asarray(v, dtype=float) for v in values])
        return float(out) if np.ndim(out) == 0 else out

    return g


_hoeffding = _vectorise(SCATTERED_HOEFFDING, (_m,))
_hoeffding_beta = _vectorise(SCATTERED_HOEFFDING_BETA, (_m, _beta))
_square = _vectorise(SQUARE_LOSS_SCATTERED, (_m,))
_l13p = _vectorise(LEMMA13_PRINTED, (_n, _K))
_l13r = _vectorise(LEMMA13_REPAIRED, (_n, _K))
_notT = _vectorise(NOT_T_VIOLATION, (_K, _M))
_amp = _vectorise(AMPLIFICATION, (_p, _R))


def scattered_hoeffding_bound(*, m):
    r"""DSS16 Example 1 (C3): :math:`P(\mathrm{Err}_S(f) \le 1/4) \le 2^{-m/8}` for fair-coin labels.

    Parameters
    ----------
    m : float or array_like
        Sample size :math:`|S| \ge 0`.

    Returns
    -------
    float or numpy.ndarray
        :math:`2^{-m/8}`, elementwise for an array.
    """
    _arg("m", m, 0)
    return _hoeffding(m)


def scattered_bound(*, m, beta):
    r"""Hoeffding: :math:`P(\mathrm{Err}_S(f) \le \beta) \le e^{-2(1/2-\beta)^2 m}` for fair-coin labels.

    Parameters
    ----------
    m : float or array_like
        Sample size :math:`|S| \ge 0`.
    beta : float or array_like
        Error threshold in :math:`[0, 1/2)`.

    Returns
    -------
    float or numpy.ndarray
        The bound, elementwise for arrays.
    """
    _arg("m", m, 0)
    _arg("beta", beta, 0, 0.5, high_open=True)
    return _hoeffding_beta(m, beta)


def square_loss_scattered_bound(*, m):
    r"""Hoeffding for the square loss: :math:`P(\text{empirical square loss} \le 1/8) \le e^{-m/32}`.

    For a fixed :math:`f` with values in :math:`[0, 1]` and fair-coin labels the
    mean square loss is at least :math:`1/4` (used by the refuter, C13).

    Parameters
    ----------
    m : float or array_like
        Sample size :math:`|S| \ge 0`.

    Returns
    -------
    float or numpy.ndarray
        :math:`e^{-m/32}`.
    """
    _arg("m", m, 0)
    return _square(m)


def lemma13_printed_bound(*, n, K):
    r"""DSS16 Lemma 13 (C5) as printed: a chunk fails w.p. at most :math:`\exp(-(2^{2K+5}K)^{-2}\, n)`.

    Parameters
    ----------
    n : float or array_like
        Number of variables, :math:`n \ge 1`.
    K : float or array_like
        Literals per constraint, :math:`K \ge 1`.

    Returns
    -------
    float or numpy.ndarray
        The printed bound.
    """
    _arg("n", n, 1)
    _arg("K", K, 1)
    return _l13p(n, K)


def lemma13_repaired_bound(*, n, K):
    r"""DSS16 Lemma 13 (C5) repaired: :math:`\exp(-2^{-2K-1}\lfloor n/2K \rfloor)`.

    The Chernoff threshold :math:`1 - 2^{-K} + 2^{-(K+1)}` replaces the printed one,
    which exceeds 1 (see the claims page, C5).

    Parameters
    ----------
    n : float or array_like
        Number of variables, :math:`n \ge 1`.
    K : float or array_like
        Literals per constraint, :math:`K \ge 1`.

    Returns
    -------
    float or numpy.ndarray
        The repaired bound on a chunk's failure probability.
    """
    _arg("n", n, 1)
    _arg("K", K, 1)
    return _l13r(n, K)


def avoidance_probability(*, n: int, K: int, used: int):
    r"""Exact P(K distinct uniform variables avoid a fixed set of ``used`` variables) (DSS16 Lemma 13, C5).

    .. math:: \prod_{j<K} \frac{n - s - j}{n - j}, \qquad s = \texttt{used}.

    Parameters
    ----------
    n : int
        Number of variables, :math:`n \ge 1`.
    K : int
        Literals per constraint, :math:`1 \le K \le n`.
    used : int
        Size :math:`s` of the set to avoid, :math:`0 \le s \le n`.

    Returns
    -------
    sympy.Rational
        The probability, exactly (0 when fewer than K variables are left).
    """
    n = check_int("n", n, 1)
    K = check_int("K", K, 1)
    used = check_int("used", used, 0)
    if not 0 <= used <= n or K > n:
        raise ValueError(f"need 0 <= used <= n and K <= n, got n = {n}, used = {used}, K = {K}")
    return sp.prod([sp.Rational(n - used - j, n - j) for j in range(K)]) if n - used >= K else sp.Integer(0)


def not_T_violation_probability(*, K, M):
    r"""DSS16 Lemma 15 (C6): a uniform :math:`\neg T_{K,M}` constraint is violated by a fixed :math:`\psi`
    with probability :math:`(1 - 2^{-K})^M`.

    Parameters
    ----------
    K : float or array_like
        Literals per constraint, :math:`K \ge 1`.
    M : float or array_like
        Constraints per block, :math:`M \ge 0`.

    Returns
    -------
    float or numpy.ndarray
        :math:`(1 - 2^{-K})^M`.
    """
    _arg("K", K, 1)
    _arg("M", M, 0)
    return _notT(K, M)


def lemma15_union_bound(*, K, M, m):
    r"""DSS16 Lemma 15 (C6): P(some of the m new :math:`\neg T` constraints is violated by :math:`\psi`)
    :math:`\le m (1 - 2^{-K})^M`.

    Parameters
    ----------
    K : float or array_like
        Literals per constraint, :math:`K \ge 1`.
    M : float or array_like
        Constraints per block, :math:`M \ge 0`.
    m : float or array_like
        Number of constraints of the formula, :math:`m \ge 0`.

    Returns
    -------
    float or numpy.ndarray
        The union bound (it may exceed 1).
    """
    _arg("K", K, 1)
    _arg("M", M, 0)
    _arg("m", m, 0)
    return m * _notT(K, M)


def lemma15_condition(*, K: int, M: int, m: int) -> bool:
    r"""DSS16 Lemma 15's hypothesis :math:`M \ge 2^{K+2} \ln m` (natural logarithm; C6).

    Parameters
    ----------
    K : int
        Literals per constraint, :math:`K \ge 1`.
    M : int
        Constraints per block, :math:`M \ge 0`.
    m : int
        Number of constraints, :math:`m \ge 1`.

    Returns
    -------
    bool
        Whether the hypothesis holds.
    """
    K = check_int("K", K, 1)
    M = check_int("M", M, 0)
    m = check_int("m", m, 1)
    return M >= 2 ** (K + 2) * log(m)


def lemma15_min_M(*, K: int, m: int, factor: float = 2**2) -> int:
    r"""Smallest integer :math:`M \ge \text{factor}\cdot 2^{K} \ln m` (DSS16 Lemma 15, C6).

    Parameters
    ----------
    K : int
        Literals per constraint, :math:`K \ge 1`.
    m : int
        Number of constraints, :math:`m \ge 1`.
    factor : float, default 4
        4 as printed in DSS16; the repaired proof needs only 2.

    Returns
    -------
    int
        :math:`\lceil \text{factor}\cdot 2^K \ln m \rceil`.
    """
    K = check_int("K", K, 1)
    m = check_int("m", m, 1)
    factor = check_real("factor", factor, 0.0, low_open=True)
    return int(ceil(factor * 2**K * log(m)))


def amplification(*, p, R):
    r"""Amplification of the refuter (C13): some of R independent runs succeeds w.p. :math:`1 - (1-p)^R`.

    Parameters
    ----------
    p : float or array_like
        Success probability of one run, in :math:`[0, 1]`.
    R : float or array_like
        Number of runs, :math:`R \ge 0`.

    Returns
    -------
    float or numpy.ndarray
        :math:`1 - (1 - p)^R`.
    """
    _arg("p", p, 0, 1)
    _arg("R", R, 0)
    return _amp(p, R)


def sigma_min_tail_bound(*, r, q, threshold):
    r"""Davidson–Szarek (C12): :math:`P(\sigma_{\min}(G) \le x) \le \exp(-(\sqrt r - \sqrt q - x)^2/2)`.

    For an :math:`r \times q` matrix :math:`G` with i.i.d. standard normal entries
    and :math:`x < \sqrt r - \sqrt q`; the bound is 1 otherwise.

    Parameters
    ----------
    r, q : float or array_like
        Rows and columns of the block (non-negative).
    threshold : float or array_like
        The level :math:`x`.

    Returns
    -------
    float or numpy.ndarray
        The tail bound, elementwise for arrays.
    """
    _arg("r", r, 0)
    _arg("q", q, 0)
    _arg("threshold", threshold)
    gap = np.sqrt(r) - np.sqrt(q) - np.asarray(threshold, dtype=float)
    out = np.where(gap > 0, np.exp(-(np.maximum(gap, 0) ** 2) / 2), 1.0)
    return float(out) if out.ndim == 0 else out


def sigma_min_mean_lower_bound(*, r, q):
    r"""Gordon / Davidson–Szarek (C12): :math:`\mathbb E\,\sigma_{\min}(G) \ge \sqrt r - \sqrt q`.

    Parameters
    ----------
    r, q : float
        Rows and columns of the standard Gaussian block (non-negative).

    Returns
    -------
    float
        :math:`\sqrt r - \sqrt q`.
    """
    _arg("r", r, 0)
    _arg("q", q, 0)
    return float(np.sqrt(r) - np.sqrt(q))
