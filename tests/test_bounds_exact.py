"""The numeric bounds against their formulas evaluated independently, at the edges of their domains.

Each expected value is computed here from the paper's formula with ``fractions``/``math`` (not from
``bounds``' sympy expressions), at a point where the formula is easy to check by hand. The domain
table checks, for every argument, that the smallest allowed value is accepted and that a value just
below it is refused with a message naming the argument and its interval.
"""

import math
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from natweights import bounds


def test_hoeffding_bounds_exact():
    # 2^{-m/8}: m = 24 gives 1/8; the empty sample bounds nothing
    assert bounds.scattered_hoeffding_bound(m=24) == pytest.approx(1 / 8, rel=1e-14)
    assert bounds.scattered_hoeffding_bound(m=0) == 1.0
    # exp(-2 (1/2 - beta)^2 m): beta = 1/4, m = 32 gives exp(-4); beta = 0 gives exp(-m/2)
    assert bounds.scattered_bound(m=32, beta=0.25) == pytest.approx(math.exp(-4), rel=1e-14)
    assert bounds.scattered_bound(m=10, beta=0) == pytest.approx(math.exp(-5), rel=1e-14)
    # exp(-m/32)
    assert bounds.square_loss_scattered_bound(m=64) == pytest.approx(math.exp(-2), rel=1e-14)
    assert bounds.square_loss_scattered_bound(m=0) == 1.0


def test_lemma13_bounds_exact():
    # printed: exp(-n / (2^{2K+5} K)^2); K = 1, n = 128^2 gives exp(-1)
    assert bounds.lemma13_printed_bound(n=128**2, K=1) == pytest.approx(math.exp(-1), rel=1e-14)
    # repaired: exp(-2^{-2K-1} floor(n / 2K)); K = 2: exp(-floor(n/4)/32), so n = 131 and 128 agree
    assert bounds.lemma13_repaired_bound(n=131, K=2) == pytest.approx(math.exp(-1), rel=1e-14)
    assert bounds.lemma13_repaired_bound(n=1, K=1) == 1.0  # floor(1/2) = 0


def test_lemma15_bounds_exact():
    # (1 - 2^-K)^M and m (1 - 2^-K)^M
    assert bounds.not_T_violation_probability(K=2, M=3) == pytest.approx(float(Fraction(3, 4) ** 3), rel=1e-14)
    assert bounds.not_T_violation_probability(K=3, M=0) == 1.0
    assert bounds.lemma15_union_bound(m=10, K=1, M=2) == pytest.approx(10 * 0.25, rel=1e-14)
    assert bounds.lemma15_union_bound(m=0, K=3, M=4) == 0.0
    # vectorised over M
    np.testing.assert_allclose(
        bounds.lemma15_union_bound(m=8, K=1, M=np.array([0, 1, 3])),
        [8.0, 4.0, 1.0],
        rtol=1e-14,
    )


def test_lemma15_condition_edges():
    # M >= 2^{K+2} ln m; at m = 1 the right side is 0, so M = 0 satisfies it (with equality)
    assert bounds.lemma15_condition(K=1, M=0, m=1)
    # K = 1, m = e^2 rounded: 8 ln 7 = 15.57, 8 ln 8 = 16.64
    assert bounds.lemma15_condition(K=1, M=16, m=7) and not bounds.lemma15_condition(K=1, M=16, m=8)
    # the smallest M is the ceiling of factor 2^K ln m; factor 4 as printed, 2 allowed
    assert bounds.lemma15_min_M(K=1, m=7) == math.ceil(8 * math.log(7)) == 16
    assert bounds.lemma15_min_M(K=1, m=7, factor=2) == math.ceil(4 * math.log(7)) == 8
    assert bounds.lemma15_min_M(K=5, m=1) == 0
    assert bounds.lemma15_condition(K=3, M=bounds.lemma15_min_M(K=3, m=100), m=100)
    assert not bounds.lemma15_condition(K=3, M=bounds.lemma15_min_M(K=3, m=100) - 1, m=100)


def test_avoidance_probability_edges():
    # prod_{j<K} (n - s - j)/(n - j), exact
    assert bounds.avoidance_probability(n=5, used=2, K=3) == sp.Rational(
        3 * 2 * 1, 5 * 4 * 3
    )  # n - s = K: one way left
    assert bounds.avoidance_probability(n=5, used=3, K=3) == 0  # n - s < K: impossible
    assert bounds.avoidance_probability(n=5, used=5, K=1) == 0  # every variable used
    assert bounds.avoidance_probability(n=4, used=0, K=4) == 1  # K = n, nothing used
    assert bounds.avoidance_probability(n=1, used=0, K=1) == 1
    assert isinstance(bounds.avoidance_probability(n=5, used=3, K=3), sp.Integer)
    for n_, used, K_ in ((5, 6, 2), (4, 0, 5)):
        with pytest.raises(ValueError, match=re.escape("need 0 <= used <= n and K <= n")):
            bounds.avoidance_probability(n=n_, used=used, K=K_)


def test_amplification_exact():
    # 1 - (1 - p)^R: R = 0 runs never succeed; p = 1 always does
    assert bounds.amplification(p=0.5, R=3) == pytest.approx(7 / 8, rel=1e-14)
    assert bounds.amplification(p=0.5, R=0) == 0.0
    assert bounds.amplification(p=1, R=2) == 1.0
    assert bounds.amplification(p=0, R=5) == 0.0


def test_sigma_min_bounds_exact():
    # sqrt(r) - sqrt(q): r = 16, q = 4 gives 2
    assert bounds.sigma_min_mean_lower_bound(r=16, q=4) == 2.0
    assert bounds.sigma_min_mean_lower_bound(r=0, q=9) == -3.0
    # exp(-(sqrt r - sqrt q - x)^2 / 2) below the gap, 1 from the gap on
    assert bounds.sigma_min_tail_bound(r=16, q=4, threshold=1) == pytest.approx(math.exp(-1 / 2), rel=1e-14)
    assert bounds.sigma_min_tail_bound(r=16, q=4, threshold=1.5) == pytest.approx(math.exp(-1 / 8), rel=1e-14)
    assert bounds.sigma_min_tail_bound(r=16, q=4, threshold=-1) == pytest.approx(math.exp(-9 / 2), rel=1e-14)
    assert bounds.sigma_min_tail_bound(r=16, q=4, threshold=2) == 1.0
    assert bounds.sigma_min_tail_bound(r=16, q=4, threshold=3) == 1.0
    assert bounds.sigma_min_tail_bound(r=0, q=0, threshold=0) == 1.0
    assert type(bounds.sigma_min_tail_bound(r=16, q=4, threshold=1)) is float
    out = bounds.sigma_min_tail_bound(r=16, q=4, threshold=np.array([1.0, 1.5, 2.0, 3.0]))
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [math.exp(-1 / 2), math.exp(-1 / 8), 1.0, 1.0], rtol=1e-14)


def test_numeric_bounds_accept_exact_numbers():
    # sympy Rationals (what the notebooks substitute) are numbers too
    assert bounds.amplification(p=sp.Rational(1, 2), R=3) == pytest.approx(7 / 8, rel=1e-14)
    assert bounds.scattered_bound(m=sp.Integer(32), beta=sp.Rational(1, 4)) == pytest.approx(math.exp(-4), rel=1e-14)
    assert bounds.sigma_min_tail_bound(r=16, q=4, threshold=sp.Rational(3, 2)) == pytest.approx(
        math.exp(-1 / 8), rel=1e-14
    )


# function, valid arguments, position of the checked argument, its name, smallest allowed value, message interval
DOMAINS = [
    (bounds.scattered_hoeffding_bound, (40,), 0, "m", 0, "[0, inf]"),
    (bounds.scattered_bound, (40, 0.25), 0, "m", 0, "[0, inf]"),
    (bounds.scattered_bound, (40, 0.25), 1, "beta", 0, "[0, 0.5)"),
    (bounds.square_loss_scattered_bound, (40,), 0, "m", 0, "[0, inf]"),
    (bounds.lemma13_printed_bound, (60, 3), 0, "n", 1, "[1, inf]"),
    (bounds.lemma13_printed_bound, (60, 3), 1, "K", 1, "[1, inf]"),
    (bounds.lemma13_repaired_bound, (60, 3), 0, "n", 1, "[1, inf]"),
    (bounds.lemma13_repaired_bound, (60, 3), 1, "K", 1, "[1, inf]"),
    (bounds.not_T_violation_probability, (3, 4), 0, "K", 1, "[1, inf]"),
    (bounds.not_T_violation_probability, (3, 4), 1, "M", 0, "[0, inf]"),
    (bounds.lemma15_union_bound, (10, 3, 4), 0, "m", 0, "[0, inf]"),
    (bounds.lemma15_union_bound, (10, 3, 4), 1, "K", 1, "[1, inf]"),
    (bounds.lemma15_union_bound, (10, 3, 4), 2, "M", 0, "[0, inf]"),
    (bounds.amplification, (0.5, 2), 0, "p", 0, "[0, 1]"),
    (bounds.amplification, (0.5, 2), 1, "R", 0, "[0, inf]"),
    (bounds.sigma_min_tail_bound, (16, 4, 1), 0, "r", 0, "[0, inf]"),
    (bounds.sigma_min_tail_bound, (16, 4, 1), 1, "q", 0, "[0, inf]"),
    (bounds.sigma_min_mean_lower_bound, (16, 4), 0, "r", 0, "[0, inf]"),
    (bounds.sigma_min_mean_lower_bound, (16, 4), 1, "q", 0, "[0, inf]"),
]


# the keyword-only parameters of each bound, in the order the tables list their values
ORDER = {
    "scattered_hoeffding_bound": ["m"],
    "scattered_bound": ["m", "beta"],
    "square_loss_scattered_bound": ["m"],
    "lemma13_printed_bound": ["n", "K"],
    "lemma13_repaired_bound": ["n", "K"],
    "avoidance_probability": ["n", "used", "K"],
    "not_T_violation_probability": ["K", "M"],
    "lemma15_union_bound": ["m", "K", "M"],
    "lemma15_condition": ["K", "M", "m"],
    "lemma15_min_M": ["K", "m"],
    "amplification": ["p", "R"],
    "sigma_min_tail_bound": ["r", "q", "threshold"],
    "sigma_min_mean_lower_bound": ["r", "q"],
}


def _with(func, args, position, value):
    values = args[:position] + (value,) + args[position + 1 :]
    return dict(zip(ORDER[func.__name__], values, strict=True))


@pytest.mark.parametrize(
    "func, args, position, name, low, interval",
    DOMAINS,
    ids=[f"{d[0].__name__}-{d[3]}" for d in DOMAINS],
)
def test_numeric_bound_domains(func, args, position, name, low, interval):
    assert np.isfinite(func(**_with(func, args, position, low)))
    message = f"^{re.escape(name)} must lie in {re.escape(interval)}, got {low - 0.5}$"
    with pytest.raises(ValueError, match=message):
        func(**_with(func, args, position, low - 0.5))
    with pytest.raises(ValueError, match=f"^{re.escape(name)} must be finite"):
        func(**_with(func, args, position, np.nan))
    # numbers only: a numeric string, a bool, an arbitrary object are refused
    for bad in ("3", True, object()):
        with pytest.raises(
            TypeError,
            match=f"^{re.escape(name)} must be a number or an array of numbers, got",
        ):
            func(**_with(func, args, position, bad))


def test_upper_ends_of_domains():
    # closed at p = 1, open at beta = 1/2
    assert bounds.amplification(p=1, R=3) == 1.0
    with pytest.raises(ValueError, match=re.escape("p must lie in [0, 1], got 1.5")):
        bounds.amplification(p=1.5, R=3)
    assert bounds.scattered_bound(m=8, beta=0.4999) < 1
    with pytest.raises(ValueError, match=re.escape("beta must lie in [0, 0.5), got 0.5")):
        bounds.scattered_bound(m=8, beta=0.5)


# integer-valued arguments (check_int): smallest allowed value, and the word for it in the message
INTEGER_DOMAINS = [
    (bounds.avoidance_probability, (20, 0, 1), 0, "n", 1, "positive"),
    (bounds.avoidance_probability, (20, 10, 3), 1, "used", 0, "non-negative"),
    (bounds.avoidance_probability, (20, 0, 3), 2, "K", 1, "positive"),
    (bounds.lemma15_condition, (3, 200, 100), 0, "K", 1, "positive"),
    (bounds.lemma15_condition, (3, 200, 1), 1, "M", 0, "non-negative"),
    (bounds.lemma15_condition, (3, 200, 100), 2, "m", 1, "positive"),
    (bounds.lemma15_min_M, (3, 100), 0, "K", 1, "positive"),
    (bounds.lemma15_min_M, (3, 100), 1, "m", 1, "positive"),
]


@pytest.mark.parametrize(
    "func, args, position, name, low, word",
    INTEGER_DOMAINS,
    ids=[f"{d[0].__name__}-{d[3]}" for d in INTEGER_DOMAINS],
)
def test_integer_bound_domains(func, args, position, name, low, word):
    func(**_with(func, args, position, low))
    with pytest.raises(ValueError, match=f"^{re.escape(name)} must be {word}, got {low - 1}$"):
        func(**_with(func, args, position, low - 1))
    with pytest.raises(TypeError, match=f"^{re.escape(name)} must be an integer"):
        func(**_with(func, args, position, "3"))


def test_lemma15_min_M_factor_domain():
    assert bounds.lemma15_min_M(K=2, m=3, factor=0.5) == math.ceil(2 * math.log(3))
    with pytest.raises(ValueError, match=re.escape("factor must lie in (0, inf], got 0")):
        bounds.lemma15_min_M(K=2, m=3, factor=0)
