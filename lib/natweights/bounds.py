r"""Closed-form bounds of the reduction (PROOF_MAP §4, §6, §7), symbolic and numeric.

Each bound is a sympy expression in the module-level symbols (for the
notebooks to manipulate and prove things about) and a numeric function built
from that same expression, so the two cannot drift apart.
"""

from __future__ import annotations

from math import ceil, log

import numpy as np
import sympy as sp

from .validation import check_int, check_real

__all__ = [
    "n",
    "m",
    "K",
    "M",
    "R",
    "p",
    "beta",
    "s",
    "t",
    "r",
    "q",
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

n, m, K, M, R, r, q = sp.symbols("n m K M R r q", positive=True, integer=True)
p, beta, s, t = sp.symbols("p beta s t", positive=True)

#: DSS16 Example 1: P(Err_S(f) <= 1/4) <= 2^{-m/8} for fair-coin labels, |S| = m.
SCATTERED_HOEFFDING = 2 ** (-m / 8)
#: Hoeffding for a general threshold beta < 1/2: P(Err_S(f) <= beta) <= exp(-2 (1/2 - beta)^2 m).
SCATTERED_HOEFFDING_BETA = sp.exp(-2 * (sp.Rational(1, 2) - beta) ** 2 * m)
#: Square loss of a [0,1]-valued f against fair-coin labels: mean >= 1/4; P(loss_S <= 1/8) <= exp(-m/32).
SQUARE_LOSS_SCATTERED = sp.exp(-m / 32)
#: DSS16 Lemma 13 as printed: P(a chunk yields too few disjoint constraints) <= exp(-(1/(2^{2K+5} K))^2 n).
LEMMA13_PRINTED = sp.exp(-((1 / (2 ** (2 * K + 5) * K)) ** 2) * n)
#: Lemma 13 with the Chernoff threshold 1 - 2^-K + 2^-(K+1): exp(-2^{-2K-1} floor(n / 2K)).
LEMMA13_REPAIRED = sp.exp(-(2 ** (-2 * K - 1)) * sp.floor(n / (2 * K)))
#: DSS16 Lemma 15: a uniform ¬T_{K,M} constraint is violated by a fixed psi w.p. (1 - 2^-K)^M.
NOT_T_VIOLATION = (1 - 2 ** (-K)) ** M
#: Union bound over the m new constraints: m (1 - 2^-K)^M.
LEMMA15_UNION = m * NOT_T_VIOLATION
#: Refuter amplification with R independent runs of success probability p.
AMPLIFICATION = 1 - (1 - p) ** R
#: Davidson–Szarek: P(sigma_min(G) <= sqrt(r) - sqrt(q) - t) <= exp(-t^2/2) for G r x q standard Gaussian.
DAVIDSON_SZAREK_TAIL = sp.exp(-(t**2) / 2)


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


_hoeffding = _vectorise(SCATTERED_HOEFFDING, (m,))
_hoeffding_beta = _vectorise(SCATTERED_HOEFFDING_BETA, (m, beta))
_square = _vectorise(SQUARE_LOSS_SCATTERED, (m,))
_l13p = _vectorise(LEMMA13_PRINTED, (n, K))
_l13r = _vectorise(LEMMA13_REPAIRED, (n, K))
_notT = _vectorise(NOT_T_VIOLATION, (K, M))
_amp = _vectorise(AMPLIFICATION, (p, R))


def scattered_hoeffding_bound(size):
    """:math:`2^{-m/8}` (DSS16 Example 1), m = sample size."""
    _arg("size", size, 0)
    return _hoeffding(size)


def scattered_bound(size, threshold):
    r""":math:`e^{-2(1/2-\beta)^2 m}`: P(Err_S(f) <= beta) for fair-coin labels, beta < 1/2."""
    _arg("size", size, 0)
    _arg("threshold", threshold, 0, 0.5, high_open=True)
    return _hoeffding_beta(size, threshold)


def square_loss_scattered_bound(size):
    """:math:`e^{-m/32}` for the event (empirical square loss <= 1/8) under fair-coin labels."""
    _arg("size", size, 0)
    return _square(size)


def lemma13_printed_bound(n_, K_):
    """DSS16 Lemma 13's bound on a chunk's failure probability, as printed."""
    _arg("n_", n_, 1)
    _arg("K_", K_, 1)
    return _l13p(n_, K_)


def lemma13_repaired_bound(n_, K_):
    """Lemma 13's bound with the corrected Chernoff threshold (PROOF_MAP C5)."""
    _arg("n_", n_, 1)
    _arg("K_", K_, 1)
    return _l13r(n_, K_)


def avoidance_probability(n_: int, used: int, K_: int):
    r"""Exact P(K distinct uniform variables avoid a fixed set of ``used`` variables).

    :math:`\prod_{j<K} \frac{n - s - j}{n - j}`, as an exact sympy Rational.
    """
    n_ = check_int("n_", n_, 1)
    used = check_int("used", used, 0)
    K_ = check_int("K_", K_, 1)
    if not 0 <= used <= n_ or K_ > n_:
        raise ValueError(f"need 0 <= used <= n and K <= n, got n = {n_}, used = {used}, K = {K_}")
    return sp.prod([sp.Rational(n_ - used - j, n_ - j) for j in range(K_)]) if n_ - used >= K_ else sp.Integer(0)


def not_T_violation_probability(K_, M_):
    r""":math:`(1 - 2^{-K})^M`: a uniform ¬T_{K,M} constraint is violated by a fixed psi."""
    _arg("K_", K_, 1)
    _arg("M_", M_, 0)
    return _notT(K_, M_)


def lemma15_union_bound(m_, K_, M_):
    r""":math:`m (1 - 2^{-K})^M`: P(some of the m new ¬T constraints is violated by psi)."""
    _arg("m_", m_, 0)
    _arg("K_", K_, 1)
    _arg("M_", M_, 0)
    return m_ * _notT(K_, M_)


def lemma15_condition(K_: int, M_: int, m_: int) -> bool:
    r"""DSS16 Lemma 15's hypothesis :math:`M \ge 2^{K+2} \ln m` (natural log)."""
    K_ = check_int("K_", K_, 1)
    M_ = check_int("M_", M_, 0)
    m_ = check_int("m_", m_, 1)
    return M_ >= 2 ** (K_ + 2) * log(m_)


def lemma15_min_M(K_: int, m_: int, factor: int = 2**2) -> int:
    r"""Smallest M with :math:`M \ge \text{factor}\cdot 2^{K} \ln m` (factor 4 as printed; 2 suffices)."""
    K_ = check_int("K_", K_, 1)
    m_ = check_int("m_", m_, 1)
    factor = check_real("factor", factor, 0.0, low_open=True)
    return int(ceil(factor * 2**K_ * log(m_)))


def amplification(p_, R_):
    r""":math:`1 - (1-p)^R`: some of R independent runs succeeds."""
    _arg("p_", p_, 0, 1)
    _arg("R_", R_, 0)
    return _amp(p_, R_)


def sigma_min_tail_bound(r_, q_, threshold):
    r"""Davidson–Szarek: :math:`P(\sigma_{\min} \le x) \le \exp(-(\sqrt r - \sqrt q - x)^2/2)` for
    :math:`x < \sqrt r - \sqrt q`, an r x q standard Gaussian matrix (1 otherwise)."""
    _arg("r_", r_, 0)
    _arg("q_", q_, 0)
    _arg("threshold", threshold)
    gap = np.sqrt(r_) - np.sqrt(q_) - np.asarray(threshold, dtype=float)
    out = np.where(gap > 0, np.exp(-(np.maximum(gap, 0) ** 2) / 2), 1.0)
    return float(out) if out.ndim == 0 else out


def sigma_min_mean_lower_bound(r_, q_):
    r""":math:`\mathbb E\,\sigma_{\min} \ge \sqrt r - \sqrt q` (Gordon / Davidson–Szarek)."""
    _arg("r_", r_, 0)
    _arg("q_", q_, 0)
    return float(np.sqrt(r_) - np.sqrt(q_))
