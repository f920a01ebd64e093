"""Detectors of planted formulas (C19): sign counting, pair spectrum, GF(2) elimination."""

import itertools

import numpy as np
import pytest

from natweights.detectors import (
    assignment_overlap,
    gf2_consistent,
    pair_spectral_guess,
    pair_spectral_statistic,
    sign_count_guess,
    sign_count_statistic,
    signed_cooccurrence,
    signed_counts,
    xor_system,
)
from natweights.ksat import Formula, planted_formula, random_formula

N, M, K = 200, 2000, 3


def small_formula():
    return Formula(4, np.array([[0, 1, 2], [1, 2, 3], [0, 3, 1]]), np.array([[1, -1, 1], [-1, -1, 1], [1, 1, -1]]))


def test_signed_counts_by_hand():
    f = small_formula()
    # variable 0: +1 +1; 1: -1 -1 -1; 2: +1 -1; 3: +1 +1
    assert signed_counts(f).tolist() == [2, -3, 0, 2]
    assert sign_count_guess(f).tolist() == [1, -1, 1, 1]
    assert sign_count_statistic(f) == pytest.approx(7 / 9)


def test_signed_cooccurrence_matches_brute_force():
    rng = np.random.default_rng(0)
    f = random_formula(7, 15, 4, rng)
    brute = np.zeros((7, 7), dtype=int)
    for vs, ss in zip(f.variables, f.signs, strict=True):
        for a, b in itertools.permutations(range(4), 2):
            brute[vs[a], vs[b]] += ss[a] * ss[b]
    A = signed_cooccurrence(f)
    assert np.array_equal(A, brute)
    assert np.array_equal(A, A.T)
    assert np.all(np.diag(A) == 0)


def test_signed_cooccurrence_by_hand():
    A = signed_cooccurrence(small_formula())
    # pair (0, 1): constraint 0 gives (+1)(-1), constraint 2 gives (+1)(-1)
    assert A[0, 1] == -2
    # pair (1, 2): constraint 0 (-1)(+1), constraint 1 (-1)(-1)
    assert A[1, 2] == 0
    assert A[2, 3] == -1


def test_pair_detector_flags_quiet_law_and_recovers_psi():
    rng = np.random.default_rng(1)
    random_stats = [pair_spectral_statistic(random_formula(N, M, K, rng)) for _ in range(30)]
    threshold = max(random_stats)
    for _ in range(5):
        f, psi = planted_formula(N, M, K, rng, true_count_law="quiet")
        assert pair_spectral_statistic(f) > threshold
        assert assignment_overlap(pair_spectral_guess(f), psi) >= 0.9


def test_pair_detector_blind_to_xor_law():
    # the XOR law has no pair bias (E[z1 z2] = 0): the statistic stays in the random range
    rng = np.random.default_rng(2)
    random_stats = [pair_spectral_statistic(random_formula(N, M, K, rng)) for _ in range(30)]
    xor_stats = [pair_spectral_statistic(planted_formula(N, M, K, rng, true_count_law="xor")[0]) for _ in range(10)]
    assert max(xor_stats) < max(random_stats) + 0.1
    assert np.median(xor_stats) < 2.3


def test_random_formula_statistic_near_bulk_edge():
    rng = np.random.default_rng(3)
    stats = [pair_spectral_statistic(random_formula(N, M, K, rng)) for _ in range(10)]
    assert 1.8 < min(stats) and max(stats) < 2.4


def test_pair_guess_independent_of_eigenvector_sign():
    rng = np.random.default_rng(4)
    f, psi = planted_formula(60, 800, 3, rng, true_count_law="quiet")
    g = pair_spectral_guess(f)
    assert set(np.unique(g)) <= {-1, 1} and g.dtype == np.int8
    assert assignment_overlap(g, psi) == assignment_overlap(-g, psi)


def test_sign_counting_recovers_naive_psi():
    rng = np.random.default_rng(5)
    f, psi = planted_formula(N, M, K, rng, true_count_law="naive")
    assert assignment_overlap(sign_count_guess(f), psi) > 0.5
    assert np.mean(sign_count_guess(f) == psi) > 0.75


def test_sign_count_statistic_separates_naive_from_random():
    rng = np.random.default_rng(6)
    random_stats = [sign_count_statistic(random_formula(N, M, K, rng)) for _ in range(30)]
    naive_stats = [sign_count_statistic(planted_formula(N, M, K, rng, true_count_law="naive")[0]) for _ in range(10)]
    assert min(naive_stats) > max(random_stats)


def test_gf2_small_systems():
    # x0 + x1 + x2 = 0, x1 + x2 + x3 = 0, x0 + x3 ... built from formulas
    f = Formula(4, np.array([[0, 1, 2], [1, 2, 3]]), np.array([[1, 1, 1], [1, 1, 1]]))
    rows, rhs = xor_system(f)
    assert rows == [0b0111, 0b1110] and rhs == [0, 0]
    assert gf2_consistent(f)
    # the same triple twice with opposite parity: inconsistent
    g = Formula(3, np.array([[0, 1, 2], [0, 1, 2]]), np.array([[1, 1, 1], [-1, 1, 1]]))
    assert not gf2_consistent(g)


def test_gf2_flags_xor_law_only():
    rng = np.random.default_rng(7)
    assert all(gf2_consistent(planted_formula(N, M, K, rng, true_count_law="xor")[0]) for _ in range(5))
    assert not any(gf2_consistent(random_formula(N, M, K, rng)) for _ in range(5))
    assert not any(gf2_consistent(planted_formula(N, M, K, rng, true_count_law="quiet")[0]) for _ in range(5))


def test_assignment_overlap():
    psi = np.array([1, -1, 1, 1])
    assert assignment_overlap(psi, psi) == 1
    assert assignment_overlap(-psi, psi) == 1
    assert assignment_overlap(np.array([1, 1, 1, -1]), psi) == 0
    with pytest.raises(ValueError, match="same length"):
        assignment_overlap(psi[:3], psi)
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        assignment_overlap(np.array([1, 0, 1, 1]), psi)


@pytest.mark.parametrize(
    "func",
    [
        signed_counts,
        sign_count_statistic,
        sign_count_guess,
        signed_cooccurrence,
        pair_spectral_statistic,
        pair_spectral_guess,
        gf2_consistent,
        xor_system,
    ],
)
def test_rejects_non_formula(func):
    with pytest.raises(TypeError, match="formula"):
        func(np.zeros((3, 3)))


def test_pair_statistic_needs_pairs():
    f = Formula(5, np.array([[0], [1]]), np.array([[1], [-1]]))
    with pytest.raises(ValueError, match="K >= 2"):
        pair_spectral_statistic(f)
    with pytest.raises(ValueError, match="K >= 2"):
        pair_spectral_guess(f)


def test_unbiased_true_count_laws_rejects_bad_input():
    import pytest as _pytest

    from natweights.detectors import is_unique_unbiased_law, unbiased_true_count_laws

    with _pytest.raises(ValueError, match="K"):
        unbiased_true_count_laws(lambda j: 0, lambda j: 0, K=1)
    with _pytest.raises(TypeError, match="first_moment"):
        unbiased_true_count_laws(0, lambda j: 0, K=3)
    with _pytest.raises(TypeError, match="law"):
        is_unique_unbiased_law(0.5, lambda j: 0, lambda j: 0, K=3)


def test_gf2_echelon_pivots_reproduce_the_system():
    from natweights.detectors import gf2_echelon

    rng = np.random.default_rng(12)
    formula, psi = planted_formula(12, 40, 3, rng, true_count_law="xor")
    pivots = gf2_echelon(formula)
    assert pivots is not None
    x = (psi < 0).astype(int)  # psi = (-1)^x satisfies every pivot row as well
    for top, (row, b) in pivots.items():
        assert row >> top == 1 and sum((row >> i) & 1 and x[i] for i in range(12)) % 2 == b


def test_unbiased_true_count_laws_k3_is_the_xor_law_only():
    """C19: for K = 3 the only law with no degree-1 and no degree-2 bias is the XOR law (w = 3/4, 0, 1/4)."""
    import sympy as sp

    from natweights.detectors import is_unique_unbiased_law, unbiased_true_count_laws
    from natweights.ksat import planting_law

    K = 3

    def first(j):
        return sp.Rational(2 * j, K) - 1

    def second(j):
        return sp.Rational(j * (j - 1) + (K - j) * (K - j - 1) - 2 * j * (K - j), K * (K - 1))

    degree1, degree2, solutions = unbiased_true_count_laws(first, second, K=K)
    assert solutions == [{1: sp.Rational(3, 4), 2: 0, 3: sp.Rational(1, 4)}]
    xor = planting_law("xor", K, exact=True)
    assert [solutions[0][j] for j in (1, 2, 3)] == xor[1:]
    assert is_unique_unbiased_law(xor, first, second, K=K)
    # the quiet law is unbiased to degree 1 only: E[z1 z2] = -1/3, so it is not a solution
    quiet = planting_law("quiet", K, exact=True)
    values = {sp.Symbol(f"w{j}", nonnegative=True): quiet[j] for j in (1, 2, 3)}
    assert degree1.subs(values) == 0 and degree2.subs(values) == sp.Rational(-1, 3)
    assert not is_unique_unbiased_law(quiet, first, second, K=K)
