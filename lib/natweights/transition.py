r"""Where the fraction of satisfiable random formulas crosses 1/2, with an interval.

At a fixed number of variables n, the probability that a random K-SAT formula
with density :math:`\alpha = m/n` is satisfiable falls from 1 to 0 across a
window of width shrinking with n.  Given :math:`k_i` satisfiable formulas out
of :math:`N_i` at densities :math:`\alpha_i`, two estimates of the crossing
:math:`\alpha_{1/2}` are provided:

* **logistic fit**: :math:`P(\text{sat}\mid\alpha) = 1/(1 + e^{s(\alpha - c)})`,
  fitted by maximum likelihood over all formulas; the crossing is c and its
  interval is the profile-likelihood interval
  :math:`\{c : 2(\ell_{\max} - \max_s \ell(c, s)) \le \chi^2_{1}(\gamma)\}`;
* **model-free bracket**: the largest density whose binomial interval
  (Clopper–Pearson) lies entirely above 1/2 and the smallest whose interval
  lies entirely below 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy import stats as _st

from .ksat import random_formula, solve
from .stats import clopper_pearson_interval
from .validation import check_int, check_real, check_rng

__all__ = ["CrossingEstimate", "satisfiability_crossing", "crawford_auton_crossing", "satisfiable_count"]


@dataclass(frozen=True)
class CrossingEstimate:
    """Result of :func:`satisfiability_crossing`.

    Attributes
    ----------
    crossing : float
        Maximum-likelihood c of the logistic model (P(sat) = 1/2 at c).
    interval : tuple[float, float]
        Profile-likelihood interval for c at level ``confidence``.
    slope : float
        Fitted steepness s (> 0 when P(sat) falls with the density).
    bracket : tuple[float | None, float | None]
        (largest density with its whole binomial interval above 1/2, smallest
        density with its whole interval below 1/2); None where no density
        qualifies.
    confidence : float
    """

    crossing: float
    interval: tuple
    slope: float
    bracket: tuple
    confidence: float

    def contains(self, value: float) -> bool:
        """Is ``value`` inside the profile-likelihood interval of the crossing?"""
        return self.interval[0] <= value <= self.interval[1]


def _loglik(c, s, alpha, k, N):
    t = s * (alpha - c)
    # log P(sat) = -log(1 + e^t), log P(unsat) = -log(1 + e^-t)
    return float(np.sum(-k * np.logaddexp(0.0, t) - (N - k) * np.logaddexp(0.0, -t)))


def _profile(c, alpha, k, N, s_max):
    res = optimize.minimize_scalar(
        lambda s: -_loglik(c, s, alpha, k, N), bounds=(1e-6, s_max), method="bounded", options={"xatol": 1e-10}
    )
    return -res.fun, res.x


def satisfiability_crossing(densities, sat_counts, trials, confidence: float = 0.99) -> CrossingEstimate:
    r"""Estimate the density where P(satisfiable) = 1/2, with a profile-likelihood interval.

    Fits :math:`P(\text{sat}\mid\alpha) = (1 + e^{s(\alpha - c)})^{-1}` by
    maximum likelihood to binomial counts and returns c with the interval
    :math:`\{c : 2(\ell_{\max} - \ell_{\mathrm{prof}}(c)) \le \chi^2_{1,\gamma}\}`,
    plus a model-free bracket from per-density Clopper–Pearson intervals.

    Parameters
    ----------
    densities : array_like of float
        Strictly increasing densities :math:`\alpha_i = m_i/n`, at least 3.
    sat_counts : array_like of int
        Number :math:`k_i` of satisfiable formulas at each density.
    trials : int or array_like of int
        Formulas per density :math:`N_i` (> 0).
    confidence : float, default 0.99
        Level :math:`\gamma` of the intervals.

    Returns
    -------
    CrossingEstimate

    Raises
    ------
    ValueError
        On mismatched shapes, non-increasing densities, counts outside
        [0, N], a crossing not bracketed by the data (every fraction on one
        side of 1/2), or ``confidence`` outside (0, 1).
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    alpha = np.asarray(densities, dtype=float)
    k = np.asarray(sat_counts)
    if alpha.ndim != 1 or alpha.size < 3:
        raise ValueError(f"densities must be a 1-d array of at least 3 values, got shape {alpha.shape}")
    if k.shape != alpha.shape:
        raise ValueError(f"sat_counts must match densities in shape, got {k.shape} and {alpha.shape}")
    if not np.all(np.diff(alpha) > 0):
        raise ValueError("densities must be strictly increasing")
    if not np.all(k == np.round(k)):
        raise ValueError("sat_counts must be integers")
    N = np.broadcast_to(np.asarray(trials), alpha.shape)
    if np.any(N <= 0) or np.any(k < 0) or np.any(k > N):
        raise ValueError("trials must be > 0 and 0 <= sat_counts <= trials")
    k = k.astype(float)
    N = N.astype(float)
    frac = k / N
    if not (np.any(frac > 0.5) and np.any(frac < 0.5)):
        raise ValueError("sat_counts: the fractions do not straddle 1/2, so the crossing is not bracketed")

    span = alpha[-1] - alpha[0]
    s_max = 1e3 / span
    x0 = np.array([np.interp(0.5, frac[::-1], alpha[::-1]), np.log(4.0 / span)])
    res = optimize.minimize(
        lambda p: -_loglik(p[0], np.exp(p[1]), alpha, k, N),
        x0,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
    )
    c_hat, s_hat = float(res.x[0]), float(np.exp(res.x[1]))
    l_max = _loglik(c_hat, s_hat, alpha, k, N)
    cut = _st.chi2.ppf(confidence, 1) / 2

    def excess(c):
        return l_max - _profile(c, alpha, k, N, s_max)[0] - cut

    lo_edge, hi_edge = alpha[0] - span, alpha[-1] + span
    lo = optimize.brentq(excess, lo_edge, c_hat, xtol=1e-10) if excess(lo_edge) > 0 else lo_edge
    hi = optimize.brentq(excess, c_hat, hi_edge, xtol=1e-10) if excess(hi_edge) > 0 else hi_edge

    p_lo, p_hi = clopper_pearson_interval(k.astype(int), N.astype(int), confidence)
    above = alpha[p_lo > 0.5]
    below = alpha[p_hi < 0.5]
    bracket = (float(above.max()) if above.size else None, float(below.min()) if below.size else None)
    return CrossingEstimate(c_hat, (float(lo), float(hi)), s_hat, bracket, float(confidence))


def crawford_auton_crossing(n):
    r"""Finite-size crossing density of random 3-SAT from Crawford & Auton's fit (1996).

    Crawford and Auton fitted the number of clauses at which half of the
    random 3-SAT formulas with n variables are satisfiable as
    :math:`m_{1/2}(n) = 4.258\,n + 58.26\,n^{-2/3}`; as a density,

    .. math:: \alpha_{1/2}(n) = 4.258 + 58.26\, n^{-5/3}.

    It is an empirical fit, not a theorem; its limit 4.258 is close to the
    cavity-method value 4.267 (Mertens, Mézard & Zecchina 2006).
    """
    n = np.asarray(n, dtype=float)
    if np.any(n <= 0):
        raise ValueError("n must be > 0")
    return 4.258 + 58.26 * n ** (-5.0 / 3.0)


def satisfiable_count(rng: np.random.Generator, n: int, density: float, trials: int, K: int = 3) -> dict:
    """One point of the threshold sweep: how many of ``trials`` random K-SAT formulas with
    ``round(density * n)`` constraints on n variables are satisfiable (``satisfiable``)."""
    check_rng(rng)
    n = check_int("n", n, 1)
    density = check_real("density", density, 0.0)
    trials = check_int("trials", trials, 1)
    K = check_int("K", K, 1, n)
    m = int(round(density * n))
    return {"satisfiable": sum(solve(random_formula(n, m, K, rng)).status == "sat" for _ in range(trials))}
