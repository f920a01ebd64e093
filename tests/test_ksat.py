import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natweights.ksat import (
    Formula,
    planted_formula,
    planting_law,
    random_assignment,
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


def test_planting_laws_exact():
    import sympy as sp

    # NAE: 1..K-1 true literals, each pattern equally likely; for K = 2 exactly one true literal
    assert planting_law("nae", 2, exact=True) == [0, 1, 0]
    assert planting_law("quiet", 3, exact=True) == [
        0,
        sp.Rational(1, 2),
        sp.Rational(1, 2),
        0,
    ]
    assert all(isinstance(w, sp.Rational) for w in planting_law("naive", 3, exact=True))
    # naive: C(K, j) / (2^K - 1); XOR (odd K): an even number of false literals
    np.testing.assert_array_equal(planting_law("naive", 3), np.array([0, 3, 3, 1]) / 7)
    assert planting_law("xor", 3, exact=True) == [
        0,
        sp.Rational(3, 4),
        0,
        sp.Rational(1, 4),
    ]
    assert planting_law("xor", 1, exact=True) == [0, 1]
    with pytest.raises(ValueError, match=r"^the NAE \(quiet\) law needs K >= 2$"):
        planting_law("nae", 1)
    # an explicit law (w_1..w_K) gets w_0 = 0 prepended; zero weights are allowed
    np.testing.assert_array_equal(planting_law([0, 0, 1], 3), [0, 0, 0, 1])
    np.testing.assert_array_equal(planting_law((0.25, 0.75), 2), [0, 0.25, 0.75])
    for bad in ([0.5, 0.5, np.nan], [-0.5, 0.5, 1.0], [0.5, 0.5, 0.5]):
        with pytest.raises(ValueError, match="^true_count_law must be non-negative and sum to 1$"):
            planting_law(bad, 3)
    with pytest.raises(TypeError, match="^true_count_law must be a law name or K = 3 numbers"):
        planting_law([object(), 1, 2], 3)
    with pytest.raises(ValueError, match="^K must be positive"):
        planting_law("naive", 0)


def test_planted_formula_with_given_psi_and_law(rng):
    # every constraint of an all-true law has all K literals true under psi: signs = psi[variables]
    psi = np.array([1, -1, 1, -1, -1, 1], dtype=np.int8)
    f, psi_out = planted_formula(6, 200, 3, rng, psi=psi, true_count_law=[0, 0, 1])
    assert np.array_equal(psi_out, psi)
    assert np.array_equal(f.signs, psi[f.variables])
    # exactly one true literal, in a uniform position
    f, _ = planted_formula(6, 3000, 3, rng, psi=psi, true_count_law=[1, 0, 0])
    true = f.literal_values(psi) == 1
    assert np.all(true.sum(axis=1) == 1)
    assert chi_square_uniform(true.sum(axis=0)) > 1e-3


def test_distinct_tuples_both_samplers(rng):
    from natweights.ksat import distinct_tuples

    # n = 6, length 2: acceptance 5/6 (rejection sampler); length 5: 6!/6^5 < 1/4 (sorted keys)
    for length in (2, 5, 6):
        out = distinct_tuples(6, 20000, length, rng)
        assert out.shape == (20000, length) and out.dtype == np.int64
        assert np.all(np.sort(out, axis=1)[:, 1:] != np.sort(out, axis=1)[:, :-1])
        # ordered pairs at positions (0, 1) uniform over the 30 pairs of distinct values
        counts = np.bincount(out[:, 0] * 6 + out[:, 1], minlength=36).reshape(6, 6)
        assert np.all(np.diag(counts) == 0)
        assert chi_square_uniform(counts[~np.eye(6, dtype=bool)]) > 1e-3
    # length 4 of n = 6: acceptance 6*5*4*3/6^4 = 5/18 >= 1/4, still rejection; last position uniform too
    out = distinct_tuples(6, 20000, 4, rng)
    assert chi_square_uniform(np.bincount(out[:, 3], minlength=6)) > 1e-3
    assert distinct_tuples(5, 0, 3, rng).shape == (0, 3)
    # more rows than one block of keys (2_000_000 // n rows per block)
    out = distinct_tuples(400_001, 7, 400_001, rng)
    assert out.shape == (7, 400_001)
    assert np.all(np.sort(out, axis=1) == np.arange(400_001))
    with pytest.raises(ValueError, match=r"^tuple length 4 exceeds n = 3: variables must be distinct$"):
        distinct_tuples(3, 1, 4, rng)
    with pytest.raises(ValueError, match="^n must be positive"):
        distinct_tuples(0, 1, 1, rng)
    with pytest.raises(ValueError, match="^length must be positive"):
        distinct_tuples(3, 1, 0, rng)


def test_assignments_and_formula_edges(rng):
    from natweights.ksat import check_assignment

    psi = random_assignment(1, rng)
    assert psi.dtype == np.int8 and psi.shape == (1,) and abs(int(psi[0])) == 1
    assert check_assignment(np.array([1.0, -1.0])).dtype == np.int8
    with pytest.raises(ValueError, match="^psi must be a 1-d array"):
        check_assignment(np.ones((2, 2)))
    with pytest.raises(ValueError, match="^psi must have entries in"):
        check_assignment([1, 2])
    with pytest.raises(ValueError, match="^n must be positive"):
        check_assignment([1], 0)
    with pytest.raises(ValueError, match="^n must be positive"):
        random_assignment(0, rng)
    # m = 0 constraints is a valid (empty) formula, K > n is not
    assert random_formula(3, 0, 2, rng).m == 0
    with pytest.raises(ValueError, match="^m must be non-negative"):
        random_formula(3, -1, 2, rng)
    with pytest.raises(ValueError, match="^K must be positive"):
        random_formula(3, 1, 0, rng)
    # variables in [0, n): n - 1 is allowed, n is not; shapes must agree
    Formula(3, np.array([[2, 0]]), np.array([[1, -1]]))
    with pytest.raises(ValueError, match=r"^variables must lie in \[0, n\) with n = 3$"):
        Formula(3, np.array([[3, 0]]), np.array([[1, -1]]))
    with pytest.raises(ValueError, match="^variables and signs must be m x K arrays of one shape"):
        Formula(3, np.array([0, 1]), np.array([1, 1]))
    with pytest.raises(ValueError, match="^K must be at least 1$"):
        Formula(3, np.zeros((2, 0), dtype=int), np.zeros((2, 0), dtype=int))
    with pytest.raises(ValueError, match="^constraint 1 repeats a variable"):
        Formula(3, np.array([[0, 1], [2, 2]]), np.array([[1, 1], [1, 1]]))


def test_formula_is_read_only_and_evaluates_literals():
    f = Formula(3, np.array([[0, 1], [1, 2]]), np.array([[1, -1], [-1, -1]]))
    assert f.n == 3 and f.m == 2 and f.K == 2
    for arr in (f.variables, f.signs):
        with pytest.raises(ValueError):
            arr[0, 0] = 1
    psi = np.array([-1, 1, 1])
    np.testing.assert_array_equal(f.literal_values(psi), [[-1, -1], [-1, -1]])
    np.testing.assert_array_equal(f.satisfied(psi), [False, False])
    np.testing.assert_array_equal(f.satisfied(np.array([1, 1, -1])), [True, True])
    with pytest.raises(ValueError, match="^psi must have length n = 3"):
        f.satisfied(np.array([1, 1]))
    # rho = -1 on variable 1 flips its literals only
    g = rerandomize(f, np.array([1, -1, 1]))
    np.testing.assert_array_equal(g.signs, [[1, 1], [1, -1]])
    assert g.signs.dtype == f.signs.dtype


def test_dimacs_edges(tmp_path):
    f = Formula.from_dimacs(b"p cnf 3 1\n1 -3 0\n")
    assert f.n == 3 and f.variables.tolist() == [[0, 2]] and f.signs.tolist() == [[1, -1]]
    assert f.variables.dtype == np.int64
    with pytest.raises(
        TypeError,
        match=r"^text must be the DIMACS text \(str\), got int; use Formula.read_dimacs",
    ):
        Formula.from_dimacs(3)
    path = tmp_path / "f.cnf"
    path.write_bytes(b"c caf\xe9\np cnf 3 1\n1 -3 0\n%\n0\n")
    assert Formula.read_dimacs(path).to_dimacs() == "p cnf 3 1\n1 -3 0\n"
    for text, message in [
        ("p cnf 3 1\n1 2 3 0\n", None),
        ("p cnf 3 0\n", "^formula has no clauses, so K is undefined$"),
        ("c only\n", r"^no problem line 'p cnf <n> <m>' found$"),
        ("p cnf 3 1\n1 2\n", "^line 2: last clause is not terminated by 0$"),
        (
            "p cnf 3 1\n1\n2\n",
            "^line 2: last clause is not terminated by 0$",
        ),  # the line where it starts
        ("p cnf 3 1\n1 2 0\n2\n", "^line 3: last clause is not terminated by 0$"),
        (
            "p cnf 3 1\n1 1 0\n",
            "^line 2: clause 1 1 repeats a literal; a K-SAT constraint needs K distinct variables$",
        ),
        (
            "p cnf 3 1\n2 -2 0\n",
            (
                r"^line 2: clause 2 -2 is a tautology \(contains 2 and -2\); a K-SAT constraint needs "
                "K distinct variables$"
            ),
        ),
        ("p cnf 3 -1\n", "^line 1: need n >= 1 and m >= 0$"),
        ("p dnf 3 1\n", "^line 1: problem line must read 'p cnf <n> <m>'$"),
        ("pcnf 3 1\n", "^line 1: problem line must read"),
        ("pq cnf 3 1\n", "^line 1: problem line must read"),
        ("p cnf 3\n", "^line 1: problem line must read"),
    ]:
        if message is None:
            Formula.from_dimacs(text)
        else:
            with pytest.raises(ValueError, match=message):
                Formula.from_dimacs(text)


def test_solve_models_and_budget(rng):
    # x1 and not x2, on n = 3: the model fixes psi_0 = +1, psi_1 = -1; x3 occurs nowhere and gets +1
    f = Formula(3, np.array([[0], [1]]), np.array([[1], [-1]]))
    r = solve(f)
    assert r.status == "sat" and r.satisfiable is True
    assert r.psi.dtype == np.int8 and r.psi.tolist() == [1, -1, 1]
    assert isinstance(r.stats["seconds"], float) and r.stats["seconds"] >= 0
    r = solve(Formula(1, np.array([[0], [0]]), np.array([[1], [-1]])), solver="minisat22")
    assert r.status == "unsat" and r.satisfiable is False and r.psi is None
    assert solve(f, conflict_budget=1).status == "sat"
    # renumbered path: one variable beyond COMPACT_ABOVE, the other small
    from natweights.ksat import COMPACT_ABOVE

    big = Formula(COMPACT_ABOVE + 2, np.array([[COMPACT_ABOVE + 1, 3]]), np.array([[-1, -1]]))
    r = solve(big)
    assert r.status == "sat" and big.is_satisfied_by(r.psi)
    assert r.psi[COMPACT_ABOVE + 1] == -1 or r.psi[3] == -1
    assert np.sum(r.psi == -1) <= 2
    with pytest.raises(TypeError, match="^formula must be a natweights.ksat.Formula, got list$"):
        solve([[1]])


def test_memory_checks_refuse_exactly_beyond_the_limit(rng, memory_limit):
    """The up-front memory checks use the documented sizes: n bytes per assignment, 16 bytes per tuple entry."""
    from natweights.ksat import distinct_tuples
    from natweights.validation import MemoryRequestError

    memory_limit(7)
    assert random_assignment(7, rng).shape == (7,)
    memory_limit(6)
    with pytest.raises(MemoryRequestError, match="^an assignment of n = 7 variables would need"):
        random_assignment(7, rng)
    memory_limit(16 * 5 * 3)
    assert distinct_tuples(10, 5, 3, rng).shape == (5, 3)
    memory_limit(16 * 5 * 3 - 1)
    with pytest.raises(MemoryRequestError, match="^5 tuples of length 3 would need"):
        distinct_tuples(10, 5, 3, rng)
    f = random_formula(9, 4, 3, rng)
    memory_limit(9)
    assert solve(f).status == "sat"
    memory_limit(8)
    with pytest.raises(MemoryRequestError, match="^an assignment of n = 9 variables would need"):
        solve(f)


def _rejection_tuples(n, count, length, rng):
    """I.i.d. rows, each row with a repeated entry redrawn until none is left (independent of the library)."""
    out = rng.integers(0, n, size=(count, length))
    while True:
        bad = [i for i, row in enumerate(out.tolist()) if len(set(row)) < length]
        if not bad:
            return out
        out[bad] = rng.integers(0, n, size=(len(bad), length))


@pytest.mark.parametrize("n, length", [(10, 1), (10, 3), (40, 6)])
def test_distinct_tuples_rejection_sampler(n, length):
    """Acceptance prod(1 - j/n) >= 1/4: i.i.d. draws with rejected rows redrawn, in that order."""
    from natweights.ksat import distinct_tuples

    got = distinct_tuples(n, 50, length, np.random.default_rng(3))
    assert got.shape == (50, length) and got.dtype == np.int64
    assert np.array_equal(got, _rejection_tuples(n, 50, length, np.random.default_rng(3)))


@pytest.mark.parametrize("n, length, seed", [(10, 8, 4), (10, 9, 4), (10, 10, 4), (6, 5, 4), (1000, 60, 0)])
def test_distinct_tuples_permutation_sampler(n, length, seed):
    """Acceptance < 1/4: the indices of the `length` smallest of n i.i.d. keys, in increasing key order
    (at n = 1000 a partition at the wrong rank would keep other entries)."""
    from natweights.ksat import distinct_tuples

    got = distinct_tuples(n, 40, length, np.random.default_rng(seed))
    keys = np.random.default_rng(seed).random((40, n))
    assert got.shape == (40, length) and got.dtype == np.int64
    assert np.array_equal(got, np.argsort(keys, axis=1)[:, :length])


def test_formula_fields_types_and_shapes():
    """n is stored as a Python int; literal values are int8; satisfied() has one entry per constraint."""
    f = Formula(np.float64(5.0), [[0, 1], [2, 4], [1, 3]], [[1, -1], [-1, -1], [1, 1]])
    assert type(f.n) is int and f.n == 5
    psi = np.array([1, 1, -1, -1, 1])
    z = f.literal_values(psi)
    assert z.dtype == np.int8
    assert z.tolist() == [[1, -1], [1, -1], [1, -1]]
    sat = f.satisfied(psi)
    assert sat.shape == (3,) and sat.dtype == bool and sat.tolist() == [True, True, True]
    assert f.satisfied(-psi).tolist() == [True, True, True]
    assert f.satisfied(np.array([-1, 1, 1, -1, 1])).tolist() == [False, False, True]


def test_dimacs_non_ascii_bytes_are_not_digits(tmp_path):
    """Bytes outside ASCII are replaced, never read as digits (int() accepts e.g. Arabic-Indic digits)."""
    text = "p cnf 3 1\n\u0661 2 0\n".encode()
    with pytest.raises(ValueError, match=r"^line 2: '\ufffd+' is not an integer literal"):
        Formula.from_dimacs(text)
    path = tmp_path / "arabic.cnf"
    path.write_bytes(text)
    with pytest.raises(ValueError, match=r"^line 2: '\ufffd+' is not an integer literal"):
        Formula.read_dimacs(path)


def test_dimacs_problem_line_beyond_int64():
    with pytest.raises(ValueError, match=r"^line 1: n must be below 2\^63"):
        Formula.from_dimacs(f"p cnf {2**63} 1\n1 0\n")
    f = Formula.from_dimacs(f"p cnf {2**63 - 1} 1\n{2**63 - 1} 0\n")
    assert f.variables.tolist() == [[2**63 - 2]] and f.variables.dtype == np.int64


def test_solve_empty_formula_and_solver_choice(rng):
    """m = 0 is satisfiable by all-ones; the stats are the named solver's, and the time is wall-clock."""
    import time

    from pysat.solvers import Solver

    empty = Formula(4, np.zeros((0, 3), dtype=int), np.ones((0, 3), dtype=int))
    res = solve(empty)
    assert res.status == "sat" and res.psi.tolist() == [1, 1, 1, 1]
    f = random_formula(60, 250, 3, rng)
    for name in ("cadical195", "g4"):
        start = time.perf_counter()
        res = solve(f, solver=name)
        elapsed = time.perf_counter() - start
        with Solver(name=name, bootstrap_with=f.clauses()) as s:
            s.solve()
            expected = dict(s.accum_stats())
        assert {k: v for k, v in res.stats.items() if k != "seconds"} == expected
        assert 0 <= res.stats["seconds"] <= elapsed


def test_refutation_run_exact():
    """The formula has round(density * n) constraints drawn from rng; the answer and conflicts are the solver's."""
    from pysat.solvers import Solver

    from natweights.ksat import refutation_run

    for n, density, K in ((30, 6.0, 3), (25, 2.5, 2), (12, 0.55, 1)):
        out = refutation_run(np.random.default_rng(n), n, trial=0, density=density, K=K)
        f = random_formula(n, round(density * n), K, np.random.default_rng(n))
        with Solver(name="cadical195", bootstrap_with=f.clauses()) as s:
            answer = s.solve()
            conflicts = s.accum_stats()["conflicts"]
        assert out == {"answer": "sat" if answer else "unsat", "conflicts": conflicts}
    assert refutation_run(np.random.default_rng(1), 1, 0, density=0.0, K=1) == {"answer": "sat", "conflicts": 0}
    g = np.random.default_rng(0)
    for args, kw, pattern in (
        ((0, 0), {}, r"^n must be positive, got 0"),
        ((5, -1), {}, r"^trial must be non-negative, got -1"),
        ((5, 0), {"density": -0.5}, r"^density must lie in \[0, inf\], got -0.5"),
        ((5, 0), {"K": 0}, r"^K must be positive, got 0"),
    ):
        with pytest.raises(ValueError, match=pattern):
            refutation_run(g, *args, **kw)
    out = refutation_run(np.random.default_rng(9), 40, 3)
    f = random_formula(40, 240, 3, np.random.default_rng(9))
    assert out["answer"] == solve(f).status and out["conflicts"] == solve(f).stats["conflicts"]


def test_formula_indexing_keeps_two_dimensions():
    f = Formula(5, [[0, 1], [2, 4], [1, 3]], [[1, -1], [-1, -1], [1, 1]])
    one = f[1]
    assert isinstance(one, Formula) and one.n == 5 and one.m == 1
    assert one.variables.tolist() == [[2, 4]] and one.signs.tolist() == [[-1, -1]]
    tail = f[1:]
    assert tail.variables.tolist() == [[2, 4], [1, 3]] and tail.signs.tolist() == [[-1, -1], [1, 1]]
    assert f[[2, 0]].variables.tolist() == [[1, 3], [0, 1]]
