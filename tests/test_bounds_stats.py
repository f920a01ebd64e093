import numpy as np
import pytest
import sympy as sp

from natweights import bounds
from natweights.stats import (
    BoundViolation,
    check_mean_bound,
    check_probability_bound,
    clopper_pearson_interval,
    energy_two_sample_test,
    ks_per_entry,
    wilson_interval,
)


def test_numeric_matches_symbolic():
    assert bounds.scattered_hoeffding_bound(m=40) == pytest.approx(2.0**-5)
    assert bounds.lemma13_printed_bound(n=1000, K=3) == pytest.approx(
        float(sp.exp(-sp.Rational(1000, (2**11 * 3) ** 2)))
    )
    assert bounds.lemma13_repaired_bound(n=60, K=3) == pytest.approx(np.exp(-(2.0**-7) * 10))
    assert bounds.not_T_violation_probability(K=3, M=4) == pytest.approx((7 / 8) ** 4)
    assert bounds.amplification(p=9 / 16, R=2) == pytest.approx(207 / 256)
    assert float(
        bounds.AMPLIFICATION.subs({bounds.symbols.p: sp.Rational(9, 16), bounds.symbols.R: 2})
    ) == pytest.approx(207 / 256)


def test_symbols_namespace_and_keyword_only_signatures():
    """The symbols live in bounds.symbols; every numeric bound takes keyword-only n, K, M, m first."""
    import inspect

    sym = bounds.symbols
    assert {str(sym.n), str(sym.K), str(sym.M), str(sym.m)} == {"n", "K", "M", "m"}
    assert bounds.NOT_T_VIOLATION.free_symbols == {sym.K, sym.M}
    assert bounds.LEMMA15_UNION.free_symbols == {sym.K, sym.M, sym.m}
    assert not hasattr(bounds, "K") and not hasattr(bounds, "m")  # no module-level symbols to clash with
    with pytest.raises(AttributeError):
        sym.K = sp.Symbol("K")  # frozen
    order = ["n", "K", "M", "m"]
    for name in [f for f in bounds.__all__ if callable(getattr(bounds, f)) and f[0].islower()]:
        params = list(inspect.signature(getattr(bounds, name)).parameters.values())
        assert params and all(p.kind is p.KEYWORD_ONLY for p in params), name
        letters = [p.name for p in params if p.name in order]
        assert letters == sorted(letters, key=order.index), name
        assert [p.name for p in params][: len(letters)] == letters, f"{name}: the paper's letters come first"
    with pytest.raises(TypeError):
        bounds.lemma13_repaired_bound(60, 3)


def test_symbols_carry_their_names_and_assumptions():
    """Every symbol is positive under its own name; the counts are integers, p, beta, s, t are not assumed so."""
    from dataclasses import fields

    counts = {"n", "K", "M", "m", "R", "r", "q"}
    names = [f.name for f in fields(bounds.Symbols)]
    assert set(names) == counts | {"p", "beta", "s", "t"}
    for name in names:
        sym = getattr(bounds.symbols, name)
        assert isinstance(sym, sp.Symbol) and sym.name == name
        assert sym.is_positive is True
        assert sym.is_integer is (True if name in counts else None), name
    # a fresh namespace equals the module's (sympy symbols are equal by name and assumptions)
    assert bounds.Symbols() == bounds.symbols


def test_avoidance_probability_exact():
    # DSS16 Lemma 13 (claim C5): times 2^K it is 0.842 at n = 20, s = n/2, K = 3
    val = bounds.avoidance_probability(n=20, K=3, used=10) * 8
    assert val == sp.Rational(10 * 9 * 8, 20 * 19 * 18) * 8
    assert abs(float(val) - 0.842) < 5e-4
    # s = 9 <= (n - K + 1)/2: every factor is >= 1/2, so the product is >= 2^-K
    assert (
        bounds.avoidance_probability(n=20, K=3, used=9) == sp.Rational(11 * 10 * 9, 20 * 19 * 18) >= sp.Rational(1, 8)
    )
    with pytest.raises(ValueError):
        bounds.avoidance_probability(n=5, K=2, used=6)


def test_lemma15_condition():
    assert bounds.lemma15_condition(K=3, M=200, m=100)
    assert not bounds.lemma15_condition(K=3, M=100, m=100)
    assert bounds.lemma15_min_M(K=3, m=100) == int(np.ceil(32 * np.log(100)))


def test_intervals_cover():
    lo, hi = wilson_interval(30, 100, 0.95)
    assert lo < 0.3 < hi
    lo2, hi2 = clopper_pearson_interval(30, 100, 0.95)
    assert lo2 < lo and hi2 > hi  # exact interval is wider here
    assert clopper_pearson_interval(0, 50)[0] == 0.0


def test_interval_coverage_by_simulation():
    rng = np.random.default_rng(5)
    k = rng.binomial(200, 0.1, size=4000)
    lo, hi = clopper_pearson_interval(k, 200, 0.95)
    assert np.mean((lo <= 0.1) & (0.1 <= hi)) >= 0.94


def test_check_probability_bound_raises():
    check_probability_bound(5, 100, 0.06, "<=")
    with pytest.raises(BoundViolation, match="VIOLATED"):
        check_probability_bound(50, 100, 0.2, "<=")
    with pytest.raises(BoundViolation):
        check_probability_bound(5, 100, 0.5, ">=")
    with pytest.raises(ValueError):
        check_probability_bound(5, 100, 0.5, "<")


def test_check_mean_bound():
    rng = np.random.default_rng(0)
    check_mean_bound(rng.normal(1, 1, 1000), 0.9, ">=")
    with pytest.raises(BoundViolation):
        check_mean_bound(rng.normal(1, 1, 1000), 1.5, ">=")


def test_two_sample_tests_have_power():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(400, 3)), rng.normal(size=(400, 3))
    assert ks_per_entry(a, b).min() > 1e-3
    assert energy_two_sample_test(a, b, rng, 999)[1] > 1e-3
    c = rng.normal(size=(400, 3)) * 1.3
    assert energy_two_sample_test(a, c, rng, 999)[1] < 1e-2


def test_small_bounds_print_significant_digits():
    from natweights.stats import check_probability_bound

    line = str(check_probability_bound(0, 50, 2.06e-20, "<=", label="P"))
    assert "claim <= 2.06e-20" in line and "0.0000  consistent" not in line.split("claim")[1]
    assert "claim <= 0.0500" in str(check_probability_bound(1, 50, 0.05, "<=", label="P"))
    assert "claim == 0.0000" in str(check_probability_bound(0, 50, 0.0, "==", label="P"))
