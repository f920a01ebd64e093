"""DIMACS as distributed (SATLIB's % trailer), tautologies named, and solve with huge variable indices."""

import csv
from pathlib import Path

import numpy as np
import pytest
from pysat.formula import CNF

from natweights.ksat import COMPACT_ABOVE, Formula, solve
from natweights.learners import BruteForceERM
from natweights.reduction import Blocks

DATA = Path(__file__).parent / "data"
MANIFEST = list(csv.DictReader((DATA / "manifest.csv").open()))


def test_manifest_lists_every_family():
    families = {row["file"].rsplit("-", 1)[0] for row in MANIFEST}
    assert families == {"uf20-91", "uf50-218", "uuf50-218"}
    assert sum((DATA / row["file"]).stat().st_size for row in MANIFEST) < 100_000


def test_satlib_trailer_is_not_a_clause():
    # issue 13 item 1: the "%" line then a "0" line ended in "line 4: empty clause"
    f = Formula.from_dimacs("p cnf 3 1\n1 -2 3 0\n%\n0\n")
    assert f.m == 1 and f.clauses() == [[1, -2, 3]]


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_satlib_format_files(row):
    text = (DATA / row["file"]).read_text()
    assert "\n%\n0\n" in text  # distributed form, trailer included
    f = Formula.read_dimacs(DATA / row["file"])
    assert (f.n, f.m, f.K) == (int(row["n"]), int(row["m"]), int(row["K"]))
    # same clauses as PySAT's own parser on the formula part (before the % line)
    assert f.clauses() == CNF(from_string=text.split("\n%")[0] + "\n").clauses
    for solver in ("cadical195", "minisat22"):
        res = solve(f, solver=solver)
        assert res.status == row["verdict"], (row["file"], solver)
        if res.status == "sat":
            assert f.is_satisfied_by(res.psi)
    if f.n <= 20:  # exhaustive check of the verdict: min over psi of the violated clauses
        blocks = Blocks(f.n, f.variables[:, None, :], f.signs[:, None, :])
        min_violated = BruteForceERM().fit(blocks, np.ones(f.m, dtype=int)).min_errors_
        assert (min_violated == 0) == (row["verdict"] == "sat")


def test_tautology_is_named_with_its_line():
    with pytest.raises(ValueError, match=r"line 3: clause 4 44 -44 is a tautology \(contains 44 and -44\)"):
        Formula.from_dimacs("p cnf 44 2\n1 2 3 0\n4 44 -44 0\n")
    with pytest.raises(ValueError, match=r"line 2: clause 5 5 6 repeats a literal"):
        Formula.from_dimacs("p cnf 6 1\n5 5 6 0\n")


@pytest.mark.parametrize(
    "text, message",
    [
        ("p cnf 3 2\n1 2 3 0\n1 2 0\n", r"line 3: clause has 2 literals, expected K = 3"),
        ("p cnf 3 1\n1 2 4 0\n", r"line 2: literal 4 outside 1..3"),
        ("p cnf 3 1\n1 x 3 0\n", r"line 2: 'x' is not an integer literal"),
        ("1 2 3 0\np cnf 3 1\n", r"line 1: clause before the problem line"),
        ("p cnf 3 1\n0\n", r"line 2: empty clause"),
        ("p cnf 3 1\n1 2 3\n", r"line 2: last clause is not terminated by 0"),
        ("p cnf 3 2\n1 2 3 0\n%\n1 2 -3 0\n", r"announces 2 clauses, found 1"),
        ("p cnf 3 1\np cnf 3 1\n", r"line 2: second problem line"),
        ("p cnf 0 0\n", r"line 1: need n >= 1"),
        ("c nothing\n", r"no problem line"),
        ("p dnf 3 1\n1 2 3 0\n", r"line 1: problem line must read"),
    ],
)
def test_malformed_dimacs_names_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        Formula.from_dimacs(text)


def test_clause_across_lines_and_comment_between():
    f = Formula.from_dimacs("c head\np cnf 4 2\n1 -2\n 3 0\nc between\n-4 2 1 0\n")
    assert f.clauses() == [[1, -2, 3], [-4, 2, 1]]


def test_from_dimacs_refuses_non_text():
    with pytest.raises(TypeError, match="text must be the DIMACS text"):
        Formula.from_dimacs(Path("x.cnf"))


def test_dimacs_round_trip_keeps_the_formula(rng):
    from natweights.ksat import random_formula

    f = random_formula(30, 120, 3, rng)
    g = Formula.from_dimacs(f.to_dimacs() + "%\n0\n")
    assert np.array_equal(f.variables, g.variables) and np.array_equal(f.signs, g.signs)


# -- item 6: huge variable indices -------------------------------------------------------------


@pytest.mark.parametrize("offset", [2**31 - 8, 10**8])
def test_solve_huge_indices_renumbers(offset):
    # the same formula on indices shifted past 2^31 (PySAT wrapped them: "unsat") or to 10^8 (memory)
    f = Formula.read_dimacs(DATA / "uf20-91-01.cnf")
    g = Formula(offset + 20, f.variables + offset, f.signs)
    res = solve(g)
    assert res.status == "sat" and res.psi.shape == (offset + 20,)
    # checked on the clauses' variables only (a full check would copy the 2 GiB assignment)
    assert np.all(np.any(g.signs * res.psi[g.variables] == 1, axis=1))
    assert res.psi[0] == 1 and res.psi[offset - 1] == 1  # variables in no clause get +1
    del res
    u = Formula.read_dimacs(DATA / "uuf50-218-01.cnf")
    assert solve(Formula(offset + 50, u.variables + offset, u.signs)).status == "unsat"


def test_solve_small_indices_unchanged_numbering():
    # below COMPACT_ABOVE the solver sees variable i as i + 1, as before (same search, same statistics)
    f = Formula.read_dimacs(DATA / "uuf50-218-02.cnf")
    gap = Formula(60, np.where(f.variables >= 10, f.variables + 10, f.variables), f.signs)
    assert gap.variables.max() < COMPACT_ABOVE
    assert solve(gap).stats["conflicts"] == solve(gap).stats["conflicts"]
    assert solve(gap).status == "unsat"


def test_solve_refuses_an_assignment_larger_than_memory():
    with pytest.raises(MemoryError, match=r"assignment of n = 1099511627776 variables would need about 1 TiB"):
        solve(Formula(2**40, [[0, 1, 2**40 - 1]], [[1, 1, -1]]))
