r"""Which growth law fits a cost curve: exponential, power law, or both (C2, C18).

A cost :math:`c` (solver conflicts, seconds, ...) measured at sizes :math:`n` is
modelled on the log scale with Gaussian errors, over *all* runs (repeated sizes
are allowed and expected):

=============  ====================================================
model          :math:`\log c_j`
=============  ====================================================
exponential    :math:`a + b\,n_j + \varepsilon_j`
power          :math:`a + p\log n_j + \varepsilon_j`
combined       :math:`a + b\,n_j + p\log n_j + \varepsilon_j`
=============  ====================================================

with :math:`\varepsilon_j \sim N(0, \sigma^2)` i.i.d.  Each model is fitted by
least squares (the maximum-likelihood estimate); with :math:`N` runs, residual
sum of squares RSS and :math:`k` fitted parameters (the regression
coefficients plus :math:`\sigma`) the maximised log-likelihood is

.. math:: \ell = -\tfrac N2\bigl(\log(2\pi\,\mathrm{RSS}/N) + 1\bigr),

and Akaike's criterion is :math:`\mathrm{AIC} = 2k - 2\ell`.  The model with the
lowest AIC is *preferred*; it is *separated* from the others when every
competing model has :math:`\Delta\mathrm{AIC} \ge 10` (Burnham & Anderson's
"essentially no support").  Otherwise the honest statement is that the data
cannot separate the models.

The models are nested: exponential and power are the combined model with
:math:`p = 0` and :math:`b = 0`.  The combined model's likelihood is never
below theirs, so its :math:`\Delta\mathrm{AIC}` to a nested model is at most 2
(one extra parameter).  A rule "every other model at :math:`\Delta\mathrm{AIC} \ge
10`" could therefore never separate the exponential or the power law.  The
competitors of a model are the models that do not contain it: for the
exponential, the power law; for the power law, the exponential; for the
combined model, both.  When the exponential (say) has the lowest AIC, the
combined model is not a competitor: it contains the exponential and its extra
term does not pay for itself.

Why a bare "the fitted rate b is positive" or "two log-log slopes differ" is no
test: any increasing curve has b > 0, and a power law with an offset,
:math:`c = c_0 + C n^p`, has a log-log slope that grows with n, just like an
exponential.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats as _st

__all__ = [
    "GrowthFit",
    "GrowthComparison",
    "compare_growth_models",
    "fit_offset_power",
    "exponential_polynomial_checks",
    "MODELS",
    "SEPARATION_DELTA_AIC",
]

#: names of the three models, in the order they are fitted
MODELS = ("exponential", "power", "combined")

#: the Delta-AIC every competitor must reach for the best model to count as separated
SEPARATION_DELTA_AIC = 10.0

_PARAM_NAMES = {
    "exponential": ("a", "b"),
    "power": ("a", "p"),
    "combined": ("a", "b", "p"),
}

#: models that do not contain the key model as a special case (see the module docstring)
_COMPETITORS = {
    "exponential": ("power",),
    "power": ("exponential",),
    "combined": ("exponential", "power"),
}


@dataclass(frozen=True)
class GrowthFit:
    r"""Least-squares fit of one growth model on :math:`\log c`.

    Attributes
    ----------
    name : str
        ``"exponential"``, ``"power"`` or ``"combined"``.
    params : dict[str, float]
        Regression coefficients (``a``, and ``b`` and/or ``p``).
    intervals : dict[str, tuple[float, float]]
        Student-t confidence interval of each coefficient (``N - k + 1`` degrees
        of freedom), at the comparison's confidence level.
    sigma : float
        Maximum-likelihood residual standard deviation :math:`\sqrt{\mathrm{RSS}/N}`.
    loglik : float
        Maximised Gaussian log-likelihood :math:`\ell`.
    aic : float
        :math:`2k - 2\ell`, with k = number of coefficients + 1.
    delta_aic : float
        AIC minus the lowest AIC of the comparison (0 for the preferred model).
    """

    name: str
    params: dict
    intervals: dict
    sigma: float
    loglik: float
    aic: float
    delta_aic: float
    n_params: int


@dataclass(frozen=True)
class GrowthComparison:
    r"""Result of :func:`compare_growth_models`.

    Attributes
    ----------
    fits : dict[str, GrowthFit]
        One fit per model name in :data:`MODELS`.
    rate : float
        Exponential rate b of the exponential model (cost grows like :math:`e^{bn}`).
    rate_interval : tuple[float, float]
        Its confidence interval.
    preferred : str
        Name of the lowest-AIC model.
    separated : bool
        True iff every competitor of the preferred model (every model that
        does not contain it: see the module docstring) has
        :math:`\Delta\mathrm{AIC} \ge 10`.
    confidence : float
        Confidence level of the intervals.
    n_runs : int
        Number of runs N used.
    """

    fits: dict
    rate: float
    rate_interval: tuple
    preferred: str
    separated: bool
    confidence: float
    n_runs: int
    delta_aic: dict = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """One sentence: the preferred model, or that the data cannot separate the models."""
        if self.separated:
            others = " and ".join(_COMPETITORS[self.preferred])
            return f"{self.preferred} preferred ({others}: Delta AIC >= {SEPARATION_DELTA_AIC:g})"
        return "the data cannot separate the models"

    def table(self, digits: int = 1) -> str:
        """Plain-text table: model, Delta AIC (rounded to ``digits`` decimals) and the coefficients.

        Values from least squares depend on round-off in their last bits, so only
        a few digits are printed (coefficients to 3 significant digits), and a
        ValueError is raised rather than print a value that sits on a rounding
        boundary, where round-off could change the printed digits.
        """
        lines = [f"{'model':<12} {'Delta AIC':>10}  coefficients (3 significant digits)"]
        for name in MODELS:
            f = self.fits[name]
            coefs = ", ".join(f"{k} = {_round_safe(v, _sig_decimals(v, 3))}" for k, v in f.params.items())
            lines.append(f"{name:<12} {_round_safe(f.delta_aic, digits):>10}  {coefs}")
        return "\n".join(lines)


def _sig_decimals(x: float, digits: int) -> int:
    if x == 0 or not np.isfinite(x):
        return digits
    return max(digits - 1 - int(np.floor(np.log10(abs(x)))), 0)


def _round_safe(x: float, decimals: int, margin: float = 1e-6) -> str:
    """``x`` to ``decimals`` decimals; ValueError if it is within ``margin`` (in last-digit units) of a boundary."""
    scaled = abs(float(x)) * 10**decimals
    if abs(scaled - np.floor(scaled) - 0.5) < margin:
        raise ValueError(f"{x!r} lies on a rounding boundary at {decimals} decimals")
    text = f"{float(x):.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def _design(name: str, n: np.ndarray) -> np.ndarray:
    one = np.ones_like(n)
    if name == "exponential":
        return np.column_stack([one, n])
    if name == "power":
        return np.column_stack([one, np.log(n)])
    return np.column_stack([one, n, np.log(n)])


def _fit(name: str, n: np.ndarray, y: np.ndarray, confidence: float) -> tuple:
    X = _design(name, n)
    # scale columns so that lstsq is well conditioned (n and log n differ in size by ~100x)
    scale = np.abs(X).max(axis=0)
    coef_s, *_ = np.linalg.lstsq(X / scale, y, rcond=None)
    coef = coef_s / scale
    resid = y - X @ coef
    N, q = X.shape
    rss = float(resid @ resid)
    # a perfect fit would give an infinite likelihood; floor the RSS far below any real noise
    rss = max(rss, N * np.finfo(float).tiny)
    loglik = -0.5 * N * (np.log(2 * np.pi * rss / N) + 1)
    k = q + 1
    aic = 2 * k - 2 * loglik
    # classical t-intervals for the coefficients (unbiased residual variance)
    dof = N - q
    s2 = rss / dof
    cov = s2 * np.linalg.pinv((X / scale).T @ (X / scale)) / np.outer(scale, scale)
    t = _st.t.ppf(0.5 + confidence / 2, dof)
    half = t * np.sqrt(np.clip(np.diag(cov), 0, None))
    names = _PARAM_NAMES[name]
    params = {nm: float(c) for nm, c in zip(names, coef, strict=True)}
    intervals = {nm: (float(c - h), float(c + h)) for nm, c, h in zip(names, coef, half, strict=True)}
    return params, intervals, float(np.sqrt(rss / N)), float(loglik), float(aic), k


def compare_growth_models(n, cost, confidence: float = 0.99) -> GrowthComparison:
    r"""Compare exponential, power-law and combined growth of ``cost`` in ``n`` by AIC.

    Fits, by least squares on :math:`y = \log c` with i.i.d. Gaussian errors,

    - exponential: :math:`y = a + b n`,
    - power: :math:`y = a + p \log n`,
    - combined: :math:`y = a + b n + p \log n`,

    over all runs (repeated values of n are allowed).  For each model it
    reports the coefficients, their t-intervals, the maximised log-likelihood
    :math:`\ell = -\frac N2(\log(2\pi\,\mathrm{RSS}/N) + 1)` and
    :math:`\mathrm{AIC} = 2k - 2\ell` (k = coefficients + 1 for :math:`\sigma`).

    Parameters
    ----------
    n : array_like of float
        Sizes, one per run, all > 0 (log n is used); at least 3 distinct values.
    cost : array_like of float
        Costs, one per run, all > 0 and finite.
    confidence : float, default 0.99
        Level of the coefficient intervals, in (0, 1).

    Returns
    -------
    GrowthComparison
        ``preferred`` is the lowest-AIC model; ``separated`` is True iff every
        competitor (model not containing the preferred one) has
        :math:`\Delta\mathrm{AIC} \ge 10`; ``rate`` and
        ``rate_interval`` are the exponential model's b and its interval.

    Raises
    ------
    ValueError
        If the shapes differ, there are fewer than 5 runs or fewer than 3
        distinct sizes, a value is not finite or not positive, or
        ``confidence`` is outside (0, 1).
    TypeError
        If ``confidence`` is not a real number.

    Notes
    -----
    A positive rate alone proves nothing (every increasing curve has one).
    The test of "exponential" is that the exponential model beats the power
    law *and* the combined model (whose extra :math:`p\log n` term is
    penalised by AIC when it does not help).  With short ranges of n or noisy
    costs the models are often not separated; report that, not a verdict.
    """
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating, np.integer)):
        raise TypeError(f"confidence must be a real number, got {type(confidence).__name__}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    try:
        n = np.asarray(n, dtype=float)
        cost = np.asarray(cost, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"n and cost must be arrays of numbers: {exc}") from None
    if n.ndim != 1 or cost.ndim != 1:
        raise ValueError(f"n and cost must be one-dimensional, got shapes {n.shape} and {cost.shape}")
    if n.shape != cost.shape:
        raise ValueError(f"n and cost must have the same length, got {n.size} and {cost.size}")
    if not (np.all(np.isfinite(n)) and np.all(n > 0)):
        raise ValueError("n must be finite and > 0 (the power law uses log n)")
    if not (np.all(np.isfinite(cost)) and np.all(cost > 0)):
        raise ValueError("cost must be finite and > 0 (the models are fitted on log cost)")
    if n.size < 5:
        raise ValueError(f"n: need at least 5 runs to compare three models, got {n.size}")
    if np.unique(n).size < 3:
        raise ValueError(f"n: need at least 3 distinct sizes, got {np.unique(n).size}")

    y = np.log(cost)
    raw = {name: _fit(name, n, y, confidence) for name in MODELS}
    best = min(raw[name][4] for name in MODELS)
    fits = {}
    for name in MODELS:
        params, intervals, sigma, loglik, aic, k = raw[name]
        fits[name] = GrowthFit(name, params, intervals, sigma, loglik, aic, aic - best, k)
    preferred = min(MODELS, key=lambda nm: fits[nm].aic)
    separated = all(fits[nm].delta_aic >= SEPARATION_DELTA_AIC for nm in _COMPETITORS[preferred])
    exp_fit = fits["exponential"]
    return GrowthComparison(
        fits=fits,
        rate=exp_fit.params["b"],
        rate_interval=exp_fit.intervals["b"],
        preferred=preferred,
        separated=bool(separated),
        confidence=float(confidence),
        n_runs=int(n.size),
        delta_aic={nm: fits[nm].delta_aic for nm in MODELS},
    )


def fit_offset_power(n, cost) -> GrowthFit:
    r"""Fit a power law with an offset, :math:`\log c = \log(c_0 + C n^p) + \varepsilon`, by least squares.

    The offset power law is the natural polynomial competitor of the combined
    model :math:`a + bn + p\log n`: its log-log slope
    :math:`p\,Cn^p/(c_0 + Cn^p)` grows with n, as an exponential's does, so on
    a short range of n it can mimic exponential-times-polynomial growth.  The
    fit is nonlinear (parameters :math:`\log c_0`, :math:`\log C`, p, so that
    :math:`c_0, C > 0`) and is started from several exponents; the best local
    optimum is kept.  With N runs and RSS the residual sum of squares,
    :math:`\ell = -\frac N2(\log(2\pi\,\mathrm{RSS}/N) + 1)` and
    :math:`\mathrm{AIC} = 2\cdot 4 - 2\ell` (three coefficients and
    :math:`\sigma`), on the same scale as :func:`compare_growth_models`.

    Parameters
    ----------
    n, cost : array_like of float
        As in :func:`compare_growth_models` (positive, finite, same length).

    Returns
    -------
    GrowthFit
        ``name = "offset power"``, ``params`` with keys ``c0``, ``C``, ``p``;
        ``intervals`` empty and ``delta_aic`` NaN (compare ``aic`` with a
        :class:`GrowthComparison` yourself).

    Raises
    ------
    ValueError
        On the same bad inputs as :func:`compare_growth_models`.
    """
    from scipy import optimize as _opt

    check = compare_growth_models(n, cost)  # validates the input
    n = np.asarray(n, dtype=float)
    y = np.log(np.asarray(cost, dtype=float))
    N = y.size
    ln = np.log(n)

    def resid(t):
        return y - np.logaddexp(t[0], t[1] + t[2] * ln)

    best = None
    p0 = check.fits["power"].params["p"]
    for start_p in (p0, 2.0, 3.0, 4.0, 5.0, 6.0):
        c0_guess = float(np.min(y)) - 1.0
        start = [c0_guess, float(np.max(y)) - start_p * float(np.max(ln)), start_p]
        r = _opt.least_squares(resid, start, method="lm", max_nfev=5000)
        if best is None or r.cost < best.cost:
            best = r
    rss = max(float(2 * best.cost), N * np.finfo(float).tiny)
    loglik = -0.5 * N * (np.log(2 * np.pi * rss / N) + 1)
    aic = 2 * 4 - 2 * loglik
    params = {"c0": float(np.exp(best.x[0])), "C": float(np.exp(best.x[1])), "p": float(best.x[2])}
    return GrowthFit("offset power", params, {}, float(np.sqrt(rss / N)), float(loglik), float(aic), float("nan"), 4)


def exponential_polynomial_checks(comparison: GrowthComparison) -> dict:
    r"""The checks notebook 01 makes on a growth comparison for C2, as named booleans.

    - ``"power rejected"``: the power law has :math:`\Delta\mathrm{AIC} \ge 10`;
    - ``"exponential rejected"``: the exponential has :math:`\Delta\mathrm{AIC} \ge 10`;
    - ``"combined preferred and separated"``;
    - ``"b > 0 and p > 0"``: the lower ends of the combined model's intervals
      for b and p are positive.

    Parameters
    ----------
    comparison : GrowthComparison

    Returns
    -------
    dict[str, bool]
    """
    if not isinstance(comparison, GrowthComparison):
        raise TypeError(f"comparison must be a GrowthComparison, got {type(comparison).__name__}")
    comb = comparison.fits["combined"]
    return {
        "power rejected": bool(comparison.fits["power"].delta_aic >= SEPARATION_DELTA_AIC),
        "exponential rejected": bool(comparison.fits["exponential"].delta_aic >= SEPARATION_DELTA_AIC),
        "combined preferred and separated": bool(comparison.preferred == "combined" and comparison.separated),
        "b > 0 and p > 0": bool(comb.intervals["b"][0] > 0 and comb.intervals["p"][0] > 0),
    }
