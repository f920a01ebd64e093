r"""Confidence intervals, interval-versus-bound checks and two-sample tests.

Monte Carlo checks in the notebooks report an estimate :math:`\hat p = k/N`
with an interval and compare the interval, not the point estimate, with the
bound of the claim: a claim :math:`p \le b` fails when the whole interval lies
above b.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from .validation import check_confidence, check_finite_array, check_int, check_memory, check_real, check_rng

__all__ = [
    "wilson_interval",
    "clopper_pearson_interval",
    "proportion_interval",
    "BoundViolation",
    "IntervalCheck",
    "check_probability_bound",
    "mean_interval",
    "check_mean_bound",
    "chi_square_uniform",
    "same_proportion_test",
    "ks_per_entry",
    "energy_two_sample_test",
    "roundoff_tier",
]


def _check_count_array(name, value):
    arr = np.asarray(value)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a count (integer), got {value!r}")
    if arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
        raise ValueError(f"{name} must be a whole number of trials/successes, got {value!r}")
    return arr


def _check_counts(k, n):
    k = _check_count_array("k", k)
    n = _check_count_array("n", n)
    if np.any(n <= 0) or np.any(k < 0) or np.any(k > n):
        raise ValueError(f"need 0 <= k <= n and n > 0, got k = {k}, n = {n}")
    return k, n


def wilson_interval(k, n, confidence: float = 0.99):
    r"""Wilson score interval for a binomial proportion.

    :math:`\frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}`.

    Parameters
    ----------
    k : int or array_like of int
        Successes, 0 <= k <= n.
    n : int or array_like of int
        Trials, n >= 1.
    confidence : float, default 0.99
        Confidence level in (0, 1).

    Returns
    -------
    lo, hi : float or numpy.ndarray
        The interval's ends, clipped to [0, 1].
    """
    k, n = _check_counts(k, n)
    confidence = check_confidence(confidence)
    z = _st.norm.ppf(0.5 + confidence / 2)
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def clopper_pearson_interval(k, n, confidence: float = 0.99):
    r"""Exact (Clopper–Pearson) interval from Beta quantiles: never narrower than the truth allows.

    Parameters
    ----------
    k : int or array_like of int
        Successes, 0 <= k <= n.
    n : int or array_like of int
        Trials, n >= 1.
    confidence : float, default 0.99
        Confidence level in (0, 1).

    Returns
    -------
    lo, hi : float or numpy.ndarray
        The interval's ends, clipped to [0, 1].
    """
    k, n = _check_counts(k, n)
    alpha = 1 - check_confidence(confidence)
    lo = np.where(k == 0, 0.0, _st.beta.ppf(alpha / 2, k, n - k + 1))
    hi = np.where(k == n, 1.0, _st.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lo, hi


def proportion_interval(k, n, confidence: float = 0.99, method: str = "clopper-pearson"):
    """Interval for k successes in n trials: Clopper–Pearson (default) or Wilson.

    Parameters
    ----------
    k : int or array_like of int
        Successes, 0 <= k <= n.
    n : int or array_like of int
        Trials, n >= 1.
    confidence : float, default 0.99
        Confidence level in (0, 1).
    method : {"clopper-pearson", "wilson"}, default "clopper-pearson"
        Which interval.

    Returns
    -------
    lo, hi : float or numpy.ndarray
        The interval's ends, clipped to [0, 1].
    """
    if method == "clopper-pearson":
        return clopper_pearson_interval(k, n, confidence)
    if method == "wilson":
        return wilson_interval(k, n, confidence)
    raise ValueError(f"method must be 'clopper-pearson' or 'wilson', got {method!r}")


class BoundViolation(AssertionError):
    """The confidence interval of an estimate lies on the wrong side of a claimed bound."""


@dataclass
class IntervalCheck:
    """An estimate with its confidence interval, compared with a claimed bound.

    Attributes
    ----------
    label : str
        Printed name of the estimate.
    estimate, lo, hi : float
        The estimate and its interval.
    bound : float
        The claimed bound.
    relation : str
        "<=", ">=" or "==".
    confidence : float
        Confidence level.
    """

    label: str
    estimate: float
    lo: float
    hi: float
    bound: float
    relation: str
    confidence: float

    @property
    def holds(self) -> bool:
        if self.relation == "<=":
            return self.lo <= self.bound
        if self.relation == ">=":
            return self.hi >= self.bound
        return self.lo <= self.bound <= self.hi

    def __str__(self) -> str:
        return (
            f"{self.label}: {self.estimate:.4f}  {int(self.confidence * 100)}% CI "
            f"[{self.lo:.4f}, {self.hi:.4f}]  claim {self.relation} {_bound_text(self.bound)}  "
            f"{'consistent' if self.holds else 'VIOLATED'}"
        )


def _bound_text(bound: float) -> str:
    """A bound to 4 decimals, or to 3 significant digits when it is below 1e-3 (``2.07e-20``, not ``0.0000``)."""
    return f"{bound:.4f}" if bound == 0 or abs(bound) >= 1e-3 else f"{bound:.3g}"


def _finish(check: IntervalCheck, raise_on_violation: bool) -> IntervalCheck:
    if raise_on_violation and not check.holds:
        raise BoundViolation(f"{check}: the whole interval lies on the wrong side of the bound")
    return check


def check_probability_bound(
    k: int,
    n: int,
    bound: float,
    relation: str = "<=",
    *,
    label: str = "estimate",
    confidence: float = 0.99,
    method: str = "clopper-pearson",
    raise_on_violation: bool = True,
) -> IntervalCheck:
    """Compare ``k`` successes in ``n`` trials with a claim ``p <= bound`` (or ``>=``, ``==``).

    Raises :class:`BoundViolation` when the interval excludes every value the
    claim allows.  ``==`` asks the bound to lie inside the interval.

    Parameters
    ----------
    k, n : int
        Successes and trials.
    bound : float
        The claimed bound on the probability.
    relation : {"<=", ">=", "=="}, default "<="
        The claim: p <= bound, p >= bound or p == bound.
    label : str, default "estimate"
        Printed name of the estimate.
    confidence : float, default 0.99
        Confidence level of the interval.
    method : {"clopper-pearson", "wilson"}, default "clopper-pearson"
        Which interval.
    raise_on_violation : bool, default True
        Raise when the check fails; otherwise return the failed check.

    Returns
    -------
    IntervalCheck
        Estimate, interval, bound and verdict; its ``str`` is the printed line.
    """
    if relation not in ("<=", ">=", "=="):
        raise ValueError(f"relation must be '<=', '>=' or '==', got {relation!r}")
    if np.ndim(k) or np.ndim(n):
        raise ValueError(f"k and n must be single counts, got shapes {np.shape(k)} and {np.shape(n)}")
    bound = check_real("bound", bound, allow_inf=True)
    lo, hi = proportion_interval(k, n, confidence, method)
    return _finish(
        IntervalCheck(label, k / n, float(lo), float(hi), float(bound), relation, confidence), raise_on_violation
    )


def mean_interval(x, confidence: float = 0.99):
    """Student-t interval for the mean of i.i.d. values: (mean, lo, hi).

    Parameters
    ----------
    x : array_like
        At least two finite values.
    confidence : float, default 0.99
        Confidence level.

    Returns
    -------
    mean, lo, hi : float
        The sample mean and the interval's ends.
    """
    x = check_finite_array("x", x).ravel()
    if x.size < 2:
        raise ValueError(f"x: need at least two values for a mean interval, got {x.size}")
    confidence = check_confidence(confidence)
    mean = x.mean()
    half = _st.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return mean, mean - half, mean + half


def check_mean_bound(
    x,
    bound: float,
    relation: str = ">=",
    *,
    label: str = "mean",
    confidence: float = 0.99,
    raise_on_violation: bool = True,
) -> IntervalCheck:
    """Like :func:`check_probability_bound` for the mean of i.i.d. real values (t interval).

    Parameters
    ----------
    x : array_like
        At least two finite i.i.d. values.
    bound : float
        The claimed bound on the mean.
    relation : {"<=", ">=", "=="}, default ">="
        The claim.
    label : str, default "mean"
        Printed name of the estimate.
    confidence : float, default 0.99
        Confidence level.
    raise_on_violation : bool, default True
        Raise when the check fails.

    Returns
    -------
    IntervalCheck
        Estimate, interval, bound and verdict.
    """
    if relation not in ("<=", ">=", "=="):
        raise ValueError(f"relation must be '<=', '>=' or '==', got {relation!r}")
    bound = check_real("bound", bound, allow_inf=True)
    mean, lo, hi = mean_interval(x, confidence)
    return _finish(
        IntervalCheck(label, float(mean), float(lo), float(hi), float(bound), relation, confidence), raise_on_violation
    )


def chi_square_uniform(counts) -> float:
    """p-value of Pearson's chi-square test that ``counts`` come from equal cell probabilities.

    Parameters
    ----------
    counts : array_like of int
        Observed counts of at least two cells.

    Returns
    -------
    float
        The p-value.
    """
    counts = check_finite_array("counts", counts).ravel()
    if counts.size < 2 or np.any(counts < 0) or counts.sum() <= 0:
        raise ValueError("counts must be at least two non-negative cell counts with a positive total")
    return float(_st.chisquare(counts).pvalue)


def same_proportion_test(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test that ``k1/n1`` and ``k2/n2`` estimate one probability.

    A small p-value says the two samples are told apart (in either direction); a claim that a
    statistic does *not* separate two laws is refuted when it is small.

    Parameters
    ----------
    k1, n1 : int
        Successes and trials of the first sample.
    k2, n2 : int
        Successes and trials of the second sample.

    Returns
    -------
    float
        The p-value.
    """
    for name, value in (("k1", k1), ("n1", n1), ("k2", k2), ("n2", n2)):
        if np.ndim(value):
            raise ValueError(f"{name} must be a single count, got shape {np.shape(value)}")
        _check_count_array(name, value)
    if n1 <= 0 or n2 <= 0 or not (0 <= k1 <= n1) or not (0 <= k2 <= n2):
        raise ValueError(f"need 0 <= k1 <= n1, 0 <= k2 <= n2 and n1, n2 > 0, got {k1}/{n1} and {k2}/{n2}")
    table = [[int(k1), int(n1 - k1)], [int(k2), int(n2 - k2)]]
    return float(_st.fisher_exact(table, alternative="two-sided").pvalue)


def ks_per_entry(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two-sample Kolmogorov–Smirnov p-value for each entry (column after flattening all but axis 0).

    Parameters
    ----------
    a, b : numpy.ndarray
        Two samples of arrays, draws along axis 0, the same shape after it.

    Returns
    -------
    numpy.ndarray
        One p-value per entry.
    """
    a = check_finite_array("a", a)
    b = check_finite_array("b", b)
    if a.ndim < 1 or b.ndim < 1 or len(a) == 0 or len(b) == 0:
        raise ValueError(f"a and b must each hold at least one sample, got shapes {a.shape} and {b.shape}")
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    if a.shape[1] != b.shape[1]:
        raise ValueError("samples must have the same number of entries")
    import warnings

    with warnings.catch_warnings():
        # ties (discrete laws such as Rademacher) make scipy fall back from the exact to the
        # asymptotic distribution, which is conservative for discrete data
        warnings.filterwarnings("ignore", message="ks_2samp: Exact calculation unsuccessful")
        return np.array([_st.ks_2samp(a[:, j], b[:, j]).pvalue for j in range(a.shape[1])])


def energy_two_sample_test(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, permutations: int = 500):
    r"""Multivariate two-sample test with the energy distance (Székely–Rizzo), permutation p-value.

    :math:`\mathcal E = 2\,\mathbb E\|X - Y\| - \mathbb E\|X - X'\| - \mathbb E\|Y - Y'\|`
    (V-statistic).  Returns ``(statistic, p_value)``.

    Parameters
    ----------
    x, y : numpy.ndarray
        Two samples, one observation per row, the same number of columns.
    rng : numpy.random.Generator
        Source of the permutations.
    permutations : int, default 500
        Number of permutations.

    Returns
    -------
    statistic : float
        The energy distance.
    p_value : float
        The permutation p-value.
    """
    from scipy.spatial.distance import cdist

    check_rng(rng)
    permutations = check_int("permutations", permutations, 1)
    x = check_finite_array("x", x)
    y = check_finite_array("y", y)
    if x.ndim < 1 or y.ndim < 1 or len(x) == 0 or len(y) == 0:
        raise ValueError(f"x and y must each hold at least one sample, got shapes {x.shape} and {y.shape}")
    x = x.reshape(len(x), -1)
    y = y.reshape(len(y), -1)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must have the same dimension, got {x.shape[1]} and {y.shape[1]}")
    total = len(x) + len(y)
    check_memory(
        8.0 * total * (total + 2 * (permutations + 1)),
        f"the energy test's distance matrix and {permutations} relabellings of {total} points",
    )
    z = np.vstack([x, y])
    d = cdist(z, z)
    nx, ny = len(x), len(y)
    # group indicators: row 0 is the observed split, the others random relabellings
    ind = np.zeros((permutations + 1, len(z)))
    ind[0, :nx] = 1
    for k in range(1, permutations + 1):
        ind[k, rng.permutation(len(z))[:nx]] = 1
    dx = ind @ d
    s_aa = np.einsum("ij,ij->i", dx, ind)
    s_ab = dx.sum(axis=1) - s_aa
    s_bb = d.sum() - 2 * s_ab - s_aa
    stats = 2 * s_ab / (nx * ny) - s_aa / nx**2 - s_bb / ny**2
    observed = stats[0]
    p = (1 + np.sum(stats[1:] >= observed - 1e-12 * abs(observed))) / (permutations + 1)
    return float(observed), float(p)


def roundoff_tier(x: float) -> str:
    """A round-off error as the power of ten just above it ("< 1e-14"; "0" for exact zero).

    Printing the tier instead of the digits keeps stored outputs stable
    when the last bits of a floating-point sum change.

    Parameters
    ----------
    x : float
        A non-negative finite error.

    Returns
    -------
    str
        For example "< 1e-14", or "0".
    """
    x = abs(check_real("x", x))
    if x == 0:
        return "0"
    return f"< 1e{int(np.floor(np.log10(x))) + 1}"
