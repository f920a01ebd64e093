import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natweights.ksat import (
    Formula,
    planted_formula,
    planting_law,
    random_formula,
    rerandomize,
    solve,
)
from natweights.stats import chi_square_uniform


def test_random_formula_law(rng):
    n, K, m = 12, 3, 60000
    f = random_formula(n, m, K, rng)
    assert f.m == m and f.K == K
    # each position: variable uniform on [n], sign fair
    for l in range(K):
        assert chi_square_uniform(np.bincount(f.variables[:, l], minlength=n)) > 1e-3
        assert chi_square_uniform(np.bincount((f.signs[:, l] > 0).astype(int), minlength=2)) > 1e-3
    # ordered pairs of distinct variables uniform over n(n-1) cells
    pair = f.variables[:, 0] * n + f.variables[:, 1]
    counts = np.bincount(pair, minlength=n * n).reshape(n, n)
    assert np.all(np.diag(counts) == 0)
    assert chi_square_uniform(counts[~np.eye(n, dtype=bool)]) > 1e-3


def test_random_formula_distinct_even_when_K_equals_n(rng):
    f = random_formula(4, 1000, 4, rng)
    assert np.all(np.sort(f.variables, axis=1) == np.arange(4))


@pytest.mark.parametrize("law", ["naive", "quiet", "xor"])
def test_planted_formula_satisfied_and_law(rng, law):
    n, K, m = 15, 3, 30000
    f, psi = planted_formula(n, m, K, rng, true_count_law=law)
    assert f.is_satisfied_by(psi)
    j = np.sum(f.literal_values(psi) == 1, axis=1)
    w = planting_law(law, K)
    observed = np.bincount(j, minlength=K + 1)
    expected = w * m
    keep = expected > 0
    assert np.all(observed[~keep] == 0)
    from scipy.stats import chisquare

    assert chisquare(observed[keep], expected[keep]).pvalue > 1e-3
    # variables are still uniform
    assert chi_square_uniform(np.bincount(f.variables.ravel(), minlength=n)) > 1e-3


def test_naive_planted_is_uniform_over_satisfying_patterns(rng):
    f, psi = planted_formula(10, 70000, 3, rng)
    z = (f.literal_values(psi) > 0).astype(int)
    code = z[:, 0] * 4 + z[:, 1] * 2 + z[:, 2]
    counts = np.bincount(code, minlength=8)
    assert counts[0] == 0
    assert chi_square_uniform(counts[1:]) > 1e-3


def test_planting_law_errors():
    with pytest.raises(ValueError, match="unknown planting law"):
        planting_law("nope", 3)
    with pytest.raises(ValueError, match="odd K"):
        planting_law("xor", 4)
    with pytest.raises(ValueError, match="K = 3 probabilities"):
        planting_law([0.5, 0.5], 3)
    with pytest.raises(ValueError, match="sum to 1"):
        planting_law([0.5, 0.4, 0.3], 3)


def test_rerandomisation_exact_on_small_n():
    """C1 by enumeration: rho is a bijection of X_{n,K} onto itself, and maps sat-by-psi to sat-by-psi*rho."""
    n, K = 4, 2
    tuples = [(v, s) for v in itertools.permutations(range(n), K) for s in itertools.product((-1, 1), repeat=K)]
    vs = np.array([t[0] for t in tuples])
    ss = np.array([t[1] for t in tuples])
    all_f = Formula(n, vs, ss)
    keys = {tuple(v) + tuple(s) for v, s in zip(vs.tolist(), ss.tolist(), strict=True)}
    for rho in itertools.product((-1, 1), repeat=n):
        rho = np.array(rho)
        g = rerandomize(all_f, rho)
        assert {tuple(v) + tuple(s) for v, s in zip(g.variables.tolist(), g.signs.tolist(), strict=True)} == keys
        for psi in itertools.product((-1, 1), repeat=n):
            psi = np.array(psi)
            assert np.array_equal(all_f.satisfied(psi), g.satisfied(psi * rho))


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 30), st.integers(1, 50), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_dimacs_round_trip(n, m, K, seed):
    f = random_formula(n, m, K, np.random.default_rng(seed))
    g = Formula.from_dimacs(f.to_dimacs())
    assert g.n == n and np.array_equal(g.variables, f.variables) and np.array_equal(g.signs, f.signs)


@pytest.mark.parametrize(
    "text, line",
    [
        ("p cnf 3 1\n1 2 x 0\n", 2),
        ("1 2 0\n", 1),
        ("p cnf 3 2\n1 2 0\n1 2 3 0\n", 3),
        ("p cnf 3 1\n1 4 0\n", 2),
        ("p cnf 3 1\n1 -1 0\n", 2),
        ("c hi\np cnf x 1\n", 2),
    ],
)
def test_dimacs_errors_name_line(text, line):
    with pytest.raises(ValueError, match=f"line {line}"):
        Formula.from_dimacs(text)


def test_dimacs_count_mismatch():
    with pytest.raises(ValueError, match="announces 2 clauses"):
        Formula.from_dimacs("p cnf 3 2\n1 2 0\n")


def test_invalid_parameters(rng):
    with pytest.raises(ValueError, match="K = 5 exceeds n = 4"):
        random_formula(4, 10, 5, rng)
    with pytest.raises(ValueError, match="signs must be"):
        Formula(3, np.array([[0, 1]]), np.array([[1, 0]]))
    with pytest.raises(ValueError, match="repeats a variable"):
        Formula(3, np.array([[0, 0]]), np.array([[1, 1]]))
    with pytest.raises(ValueError, match="psi must have entries"):
        random_formula(4, 2, 2, rng).satisfied(np.array([1, 0, 1, 1]))


def test_solve_planted_and_random(rng):
    f, _ = planted_formula(40, 200, 3, rng)
    r = solve(f)
    assert r.status == "sat" and f.is_satisfied_by(r.psi)
    assert {"conflicts", "decisions", "propagations", "seconds"} <= set(r.stats)
    # density 10 is far above the 3-SAT threshold (about 4.27): unsatisfiable w.h.p.
    r = solve(random_formula(40, 400, 3, rng))
    assert r.status == "unsat" and r.psi is None


def test_solve_conflict_budget(rng):
    f = random_formula(250, 1065, 3, rng)
    r = solve(f, conflict_budget=10)
    # CaDiCaL checks the budget between conflicts and may overshoot by a couple
    assert r.status == "unknown" and 10 <= r.stats["conflicts"] <= 13
    with pytest.raises(ValueError, match="conflict_budget"):
        solve(f, conflict_budget=0)


def test_solver_stats_deterministic(rng):
    f = random_formula(60, 300, 3, rng)
    a, b = solve(f), solve(f)
    assert a.status == b.status and a.stats["conflicts"] == b.stats["conflicts"]
