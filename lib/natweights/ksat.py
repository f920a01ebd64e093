r"""K-SAT formulas: random and planted models, rerandomisation, DIMACS, solving.

Conventions (those of DSS16).  An assignment is :math:`\psi \in \{\pm1\}^n`.  A
literal is a pair :math:`(s, i)` with sign :math:`s \in \{\pm1\}` and variable
:math:`i` (0-based here); it is true under :math:`\psi` iff
:math:`s\,\psi_i = +1`.  A constraint is a signed K-tuple with *distinct*
variables; its literal values are :math:`U_x(\psi) = (s_1\psi_{i_1}, \dots,
s_K\psi_{i_K})` and the SAT_K predicate holds iff some literal value is +1.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from math import comb

import numpy as np

from .validation import (
    check_index_array,
    check_int,
    check_memory,
    check_real,
    check_rng,
    check_sign_array,
    check_solver_name,
)

__all__ = [
    "Formula",
    "random_formula",
    "planted_formula",
    "planting_law",
    "PLANTING_LAWS",
    "rerandomize",
    "solve",
    "SolveResult",
    "refutation_run",
    "random_assignment",
    "distinct_tuples",
    "check_assignment",
]


def check_assignment(psi, n: int | None = None) -> np.ndarray:
    """Return ``psi`` as an int8 array of ±1 values; ValueError otherwise.

    Parameters
    ----------
    psi : array_like
        A 1-d array of ±1 numbers.
    n : int, optional
        The required length.

    Returns
    -------
    numpy.ndarray
        ``psi`` as int8.
    """
    psi = np.asarray(psi)
    if psi.dtype.kind not in "iuf":
        raise TypeError(f"psi must be an array of ±1 numbers, got dtype {psi.dtype}")
    if psi.ndim != 1:
        raise ValueError(f"psi must be a 1-d array, got shape {psi.shape}")
    if n is not None and psi.shape[0] != check_int("n", n, 1):
        raise ValueError(f"psi must have length n = {n}, got {psi.shape[0]}")
    if not np.all(np.abs(psi) == 1):
        raise ValueError("psi must have entries in {-1, +1}")
    return psi.astype(np.int8)


def random_assignment(n: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform :math:`\\psi \\in \\{\\pm1\\}^n`.

    Parameters
    ----------
    n : int
        Number of variables, n >= 1.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        An int8 array of n independent fair ±1 values.
    """
    n = check_int("n", n, 1)
    check_rng(rng)
    check_memory(n, f"an assignment of n = {n} variables")
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=n)


def _check_positive_int(name: str, value) -> int:
    return check_int(name, value, 1)


def distinct_tuples(n: int, count: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` independent uniform ordered ``length``-tuples of distinct elements of [n].

    When i.i.d. uniform draws are distinct with probability at least 1/4, rows
    with a repeat are redrawn (rejection: conditioned on distinctness an
    i.i.d. tuple is uniform on distinct tuples).  Otherwise each row is the
    first ``length`` entries of a uniform random permutation: the ``length``
    smallest of n i.i.d. uniform keys, in increasing key order.  Returns an
    int64 array of shape (count, length).

    Parameters
    ----------
    n : int
        Size of the ground set [n] (0-based), n >= 1.
    count : int
        Number of tuples, count >= 0.
    length : int
        Tuple length, 1 <= length <= n.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        int64 array of shape (count, length).
    """
    n = _check_positive_int("n", n)
    count = check_int("count", count, 0)
    length = _check_positive_int("length", length)
    check_rng(rng)
    if length > n:
        raise ValueError(f"tuple length {length} exceeds n = {n}: variables must be distinct")
    check_memory(16.0 * count * length, f"{count} tuples of length {length}")
    acceptance = float(np.prod(1 - np.arange(length) / n))
    if acceptance >= 0.25:
        out = rng.integers(0, n, size=(count, length))
        while True:
            srt = np.sort(out, axis=1)
            bad = np.flatnonzero(np.any(srt[:, 1:] == srt[:, :-1], axis=1))
            if bad.size == 0:
                return out
            out[bad] = rng.integers(0, n, size=(bad.size, length))
    out = np.empty((count, length), dtype=np.int64)
    step = max(1, 2_000_000 // n)  # bound the (rows x n) key matrix
    for start in range(0, count, step):
        stop = min(count, start + step)
        keys = rng.random((stop - start, n))
        if length < n:
            idx = np.argpartition(keys, length - 1, axis=1)[:, :length]
        else:
            idx = np.broadcast_to(np.arange(n), keys.shape).copy()
        order = np.argsort(np.take_along_axis(keys, idx, axis=1), axis=1)
        out[start:stop] = np.take_along_axis(idx, order, axis=1)
    return out


@dataclass(frozen=True)
class Formula:
    """A K-SAT formula with ``m`` constraints over ``n`` variables.

    ``variables[c, l]`` (0-based) and ``signs[c, l]`` (±1) give literal ``l`` of
    constraint ``c``; the variables of one constraint are distinct.

    Parameters
    ----------
    n : int
        Number of variables, n >= 1.
    variables : array_like of int, shape (m, K)
        0-based variables, distinct within a row, below n.
    signs : array_like of ±1, shape (m, K)
        Literal signs.

    Attributes
    ----------
    m, K : int
        Number of constraints and literals per constraint.
    """

    n: int
    variables: np.ndarray
    signs: np.ndarray

    def __post_init__(self):
        n = check_int("n", self.n, 1)
        variables = check_index_array("variables", self.variables)  # a copy, never the caller's array
        signs = np.asarray(self.signs)
        if variables.ndim != 2 or variables.shape != signs.shape:
            raise ValueError(
                f"variables and signs must be m x K arrays of one shape, got {variables.shape} and {signs.shape}"
            )
        if variables.shape[1] < 1:
            raise ValueError("K must be at least 1")
        if variables.size and (variables.min() < 0 or variables.max() >= n):
            raise ValueError(f"variables must lie in [0, n) with n = {n}")
        signs = check_sign_array("signs", signs)
        srt = np.sort(variables, axis=1)
        if np.any(srt[:, 1:] == srt[:, :-1]):
            bad = int(np.flatnonzero(np.any(srt[:, 1:] == srt[:, :-1], axis=1))[0])
            raise ValueError(f"constraint {bad} repeats a variable: variables must be distinct")
        # read-only copies: the checked invariants cannot be broken by mutation afterwards
        variables.setflags(write=False)
        signs.setflags(write=False)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "variables", variables)
        object.__setattr__(self, "signs", signs)

    @property
    def m(self) -> int:
        """Number of constraints."""
        return self.variables.shape[0]

    @property
    def K(self) -> int:
        """Arity of the constraints."""
        return self.variables.shape[1]

    def literal_values(self, psi) -> np.ndarray:
        r""":math:`U_x(\psi)` for every constraint: ``signs * psi[variables]`` (m x K, ±1)."""
        psi = check_assignment(psi, self.n)
        return self.signs * psi[self.variables]

    def satisfied(self, psi) -> np.ndarray:
        """Boolean per constraint: some literal is true under ``psi``."""
        return np.any(self.literal_values(psi) == 1, axis=1)

    def is_satisfied_by(self, psi) -> bool:
        return bool(np.all(self.satisfied(psi)))

    def __getitem__(self, index) -> Formula:
        v = self.variables[index]
        s = self.signs[index]
        return Formula(self.n, np.atleast_2d(v), np.atleast_2d(s))

    def clauses(self) -> list[list[int]]:
        """DIMACS literals: variable i with sign s becomes ``s * (i + 1)`` (true means psi_i = +1)."""
        return (self.signs.astype(np.int64) * (self.variables + 1)).tolist()

    def to_dimacs(self) -> str:
        lines = [f"p cnf {self.n} {self.m}"]
        lines += [" ".join(map(str, c)) + " 0" for c in self.clauses()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_dimacs(cls, text: str) -> Formula:
        """Parse DIMACS CNF whose clauses all have the same number K of distinct variables.

        Reads files as SATLIB distributes them: comment lines start with ``c``,
        one problem line ``p cnf <n> <m>``, clauses are literals terminated by
        ``0`` (possibly across lines), and a line starting with ``%`` ends the
        formula (SATLIB's uf/uuf files end with a ``%`` line and a ``0`` line,
        which are not clauses).  Raises ValueError naming the line number of
        the first malformed line: a clause of another length than the first,
        a tautology such as ``4 44 -44``, a repeated literal, a literal outside
        1..n, an empty clause, or a clause count that differs from m.
        """
        if isinstance(text, bytes):
            text = text.decode("ascii", errors="replace")
        if not isinstance(text, str):
            raise TypeError(
                f"text must be the DIMACS text (str), got {type(text).__name__}; "
                "use Formula.read_dimacs(path) for a file"
            )
        n = expected = None
        clauses: list[list[int]] = []
        pending: list[int] = []
        pending_line = 0
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line.startswith("%"):
                break  # SATLIB end-of-formula marker: whatever follows is not part of the formula
            if not line or line.startswith("c"):
                continue
            if line.startswith("p"):
                parts = line.split()
                if n is not None:
                    raise ValueError(f"line {lineno}: second problem line")
                if len(parts) != 4 or parts[0] != "p" or parts[1] != "cnf":
                    raise ValueError(f"line {lineno}: problem line must read 'p cnf <n> <m>'")
                try:
                    n, expected = int(parts[2]), int(parts[3])
                except ValueError:
                    raise ValueError(f"line {lineno}: n and m must be integers") from None
                if n < 1 or expected < 0:
                    raise ValueError(f"line {lineno}: need n >= 1 and m >= 0")
                if n >= 2**63:
                    raise ValueError(f"line {lineno}: n must be below 2^63 (variables are int64)")
                continue
            if n is None:
                raise ValueError(f"line {lineno}: clause before the problem line")
            for tok in line.split():
                try:
                    lit = int(tok)
                except ValueError:
                    raise ValueError(f"line {lineno}: '{tok}' is not an integer literal") from None
                if lit == 0:
                    if not pending:
                        raise ValueError(f"line {lineno}: empty clause")
                    if clauses and len(pending) != len(clauses[0]):
                        raise ValueError(
                            f"line {lineno}: clause has {len(pending)} literals, expected K = {len(clauses[0])}"
                        )
                    if len({abs(x) for x in pending}) != len(pending):
                        tauto = sorted({abs(x) for x in pending if -x in pending})
                        if tauto:
                            raise ValueError(
                                f"line {lineno}: clause {' '.join(map(str, pending))} is a tautology "
                                f"(contains {tauto[0]} and -{tauto[0]}); a K-SAT constraint needs "
                                "K distinct variables"
                            )
                        raise ValueError(
                            f"line {lineno}: clause {' '.join(map(str, pending))} repeats a literal; "
                            "a K-SAT constraint needs K distinct variables"
                        )
                    clauses.append(pending)
                    pending = []
                elif abs(lit) > n:
                    raise ValueError(f"line {lineno}: literal {lit} outside 1..{n}")
                else:
                    if not pending:
                        pending_line = lineno
                    pending.append(lit)
        if n is None:
            raise ValueError("no problem line 'p cnf <n> <m>' found")
        if pending:
            raise ValueError(f"line {pending_line}: last clause is not terminated by 0")
        if len(clauses) != expected:
            raise ValueError(f"problem line announces {expected} clauses, found {len(clauses)}")
        if not clauses:
            raise ValueError("formula has no clauses, so K is undefined")
        arr = np.array(clauses, dtype=np.int64)
        return cls(n, np.abs(arr) - 1, np.sign(arr))

    @classmethod
    def read_dimacs(cls, path) -> Formula:
        """:meth:`from_dimacs` on the text of the file at ``path`` (e.g. a SATLIB ``uf20-01.cnf``)."""
        from pathlib import Path

        return cls.from_dimacs(Path(path).read_text(encoding="ascii", errors="replace"))


def random_formula(n: int, m: int, K: int, rng: np.random.Generator) -> Formula:
    """Random K-SAT formula in the model of DSS16 (footnote 5).

    Each of the ``m`` constraints is an independent uniform element of
    :math:`X_{n,K}`: an ordered K-tuple of distinct variables with independent
    uniform signs; :math:`|X_{n,K}| = 2^K n(n-1)\\cdots(n-K+1)`.

    Parameters
    ----------
    n : int
        Number of variables, n >= K.
    m : int
        Number of constraints, m >= 0.
    K : int
        Literals per constraint, K >= 1.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Formula
        The random formula.
    """
    n = _check_positive_int("n", n)
    K = _check_positive_int("K", K)
    if K > n:
        raise ValueError(f"K = {K} exceeds n = {n}: the variables of a constraint must be distinct")
    m = check_int("m", m, 0)
    check_rng(rng)
    variables = distinct_tuples(n, m, K, rng)
    signs = rng.choice(np.array([-1, 1], dtype=np.int8), size=(m, K))
    return Formula(n, variables, signs)


def _naive_counts(K: int) -> list[int]:
    return [0] + [comb(K, j) for j in range(1, K + 1)]


def _nae_counts(K: int) -> list[int]:
    if K < 2:
        raise ValueError("the NAE (quiet) law needs K >= 2")
    return [0] + [comb(K, j) for j in range(1, K)] + [0]


def _xor_counts(K: int) -> list[int]:
    if K % 2 == 0:
        raise ValueError(f"the XOR law (product of literal values +1) satisfies SAT_K only for odd K, got K = {K}")
    # product +1  <=>  an even number of false literals  <=>  K - j even.
    return [comb(K, j) if (K - j) % 2 == 0 else 0 for j in range(K + 1)]


#: Named planting laws as numbers of sign patterns per count j of true literals (uniform over those patterns).
PLANTING_LAWS = {
    "naive": _naive_counts,  # uniform over the 2^K - 1 satisfying sign patterns
    "nae": _nae_counts,  # uniform over patterns with 1..K-1 true literals (quiet: literals unbiased)
    "quiet": _nae_counts,  # alias; for K = 3 exactly one or two true literals, w_1 = w_2 = 1/2
    "xor": _xor_counts,  # product of literal values +1 (odd K): no bias of degree 1 or 2 for K = 3
}


def planting_law(law, K: int, exact: bool = False):
    """Probabilities ``w[j]`` (j = 0..K) of a planted constraint with exactly j true literals.

    ``law`` is a name in :data:`PLANTING_LAWS` or a sequence of K numbers
    ``(w_1, ..., w_K)``; w_0 is always 0 (the planted assignment satisfies
    every constraint).  Patterns with the same j are equally likely.  With
    ``exact=True`` a named law is returned as a list of sympy Rationals.

    Parameters
    ----------
    law : str, sequence of float or None
        ``"naive"`` (also for None), ``"nae"``/``"quiet"``, ``"xor"`` (odd K), or
        :math:`(w_1, \\dots, w_K)`, non-negative and summing to 1.
    K : int
        Literals per constraint, K >= 1.
    exact : bool, default False
        Return sympy Rationals (named laws only).

    Returns
    -------
    numpy.ndarray or list of sympy.Rational
        ``w[j]`` for j = 0..K, with ``w[0] = 0``.
    """
    K = _check_positive_int("K", K)
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"exact must be True or False, got {exact!r}")
    if law is None:
        law = "naive"
    if isinstance(law, str):
        if law not in PLANTING_LAWS:
            raise ValueError(f"unknown planting law {law!r}; known: {sorted(PLANTING_LAWS)}")
        counts = PLANTING_LAWS[law](K)
        if exact:
            import sympy as sp

            return [sp.Rational(c, sum(counts)) for c in counts]
        return np.array(counts, dtype=float) / sum(counts)
    try:
        w = np.asarray(law, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"true_count_law must be a law name or K = {K} numbers, got {law!r}") from None
    if w.shape != (K,):
        raise ValueError(f"true_count_law must give K = {K} probabilities (j = 1..K), got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
        raise ValueError("true_count_law must be non-negative and sum to 1")
    return np.concatenate([[0.0], w])


def planted_formula(n: int, m: int, K: int, rng: np.random.Generator, psi=None, true_count_law=None):
    """A formula satisfied by ``psi`` (uniform if None); returns ``(formula, psi)``.

    Each constraint: a uniform ordered K-tuple of distinct variables, a number
    j of true literals drawn from ``true_count_law`` (see :func:`planting_law`),
    a uniform set of j true positions, and the signs that realise that pattern
    under ``psi``: :math:`s_l = z_l\\,\\psi_{i_l}`.  Under the naive law this is
    the uniform law on constraints satisfied by ``psi`` (rejection sampling).

    Parameters
    ----------
    n, m, K : int
        Variables, constraints and literals per constraint (K <= n).
    rng : numpy.random.Generator
        Source of randomness: the variables, then psi (when not given), the true counts, the positions.
    psi : array_like of ±1, optional
        The planted assignment; uniform when omitted.
    true_count_law : str or sequence of float, optional
        The planting law, as for :func:`planting_law` (default naive).

    Returns
    -------
    formula : Formula
        A formula that ``psi`` satisfies.
    psi : numpy.ndarray
        The planted assignment (int8).
    """
    check_rng(rng)
    base = random_formula(n, m, K, rng)
    psi = random_assignment(n, rng) if psi is None else check_assignment(psi, n)
    w = planting_law(true_count_law, K)
    j = rng.choice(K + 1, size=m, p=w)
    rank = np.argsort(np.argsort(rng.random((m, K)), axis=1), axis=1)
    z = np.where(rank < j[:, None], 1, -1).astype(np.int8)
    signs = z * psi[base.variables]
    return Formula(n, base.variables, signs), psi


def rerandomize(formula: Formula, rho) -> Formula:
    """Flip every literal on a variable i with ``rho_i = -1`` (C1).

    Maps random formulas to random formulas and a formula satisfied by psi to
    one satisfied by ``psi * rho``.

    Parameters
    ----------
    formula : Formula
        The formula to rerandomise.
    rho : array_like of ±1, length n
        The sign flips.

    Returns
    -------
    Formula
        The same variables with signs :math:`s_l \\rho_{i_l}`.
    """
    _check_formula(formula)
    rho = check_assignment(rho, formula.n)
    return Formula(formula.n, formula.variables, formula.signs * rho[formula.variables])


@dataclass
class SolveResult:
    """Outcome of :func:`solve`: ``status`` is "sat", "unsat" or "unknown".

    Attributes
    ----------
    status : str
        "sat", "unsat" or "unknown" (the conflict budget ran out).
    psi : numpy.ndarray or None
        A satisfying assignment (int8) when ``status == "sat"``.
    stats : dict
        The solver's counters and ``seconds``.
    """

    status: str
    psi: np.ndarray | None
    stats: dict = field(default_factory=dict)

    @property
    def satisfiable(self) -> bool | None:
        return {"sat": True, "unsat": False}.get(self.status)


def _check_formula(formula, name: str = "formula") -> Formula:
    if not isinstance(formula, Formula):
        raise TypeError(f"{name} must be a natweights.ksat.Formula, got {type(formula).__name__}")
    return formula


#: Largest variable index handed to a PySAT solver as is; beyond it the variables that occur are renumbered.
COMPACT_ABOVE = 1 << 20


def solve(formula: Formula, solver: str = "cadical195", conflict_budget: int | None = None) -> SolveResult:
    """Decide satisfiability with a PySAT solver.

    ``stats`` holds the solver's conflicts, decisions, propagations and
    restarts (``accum_stats``; deterministic across reruns) and the wall-clock
    ``seconds``.  With ``conflict_budget`` the search stops after that many
    conflicts and the status is "unknown" if undecided (never "unsat").

    Variable i is handed to the solver as i + 1 while the largest index is
    below :data:`COMPACT_ABOVE`; a formula with larger indices (PySAT's
    literals are 32-bit and a solver allocates per index up to the largest)
    has the variables that occur renumbered 1..u in increasing order and the
    model mapped back.  Variables that occur in no clause get psi_i = +1.

    Parameters
    ----------
    formula : Formula
        The formula to decide.
    solver : str, default "cadical195"
        A PySAT solver name.
    conflict_budget : int, optional
        Stop after this many conflicts (CaDiCaL honours it exactly).

    Returns
    -------
    SolveResult
        Status, model and statistics.
    """
    from pysat.solvers import Solver

    _check_formula(formula)
    solver = check_solver_name("solver", solver)
    if conflict_budget is not None:
        conflict_budget = check_int("conflict_budget", conflict_budget, 1)
    check_memory(formula.n, f"an assignment of n = {formula.n} variables")
    if formula.m and formula.variables.max() >= COMPACT_ABOVE:
        occurring, compact = np.unique(formula.variables, return_inverse=True)
        clauses = (formula.signs.astype(np.int64) * (compact.reshape(formula.variables.shape) + 1)).tolist()
    else:
        occurring, clauses = None, formula.clauses()
    with Solver(name=solver, bootstrap_with=clauses) as s:
        start = time.perf_counter()
        if conflict_budget is None:
            answer = s.solve()
        else:
            s.conf_budget(conflict_budget)
            answer = s.solve_limited()
        seconds = time.perf_counter() - start
        stats = dict(s.accum_stats() or {})
        stats["seconds"] = seconds
        psi = None
        if answer:
            model = np.array(s.get_model(), dtype=np.int64)
            psi = np.ones(formula.n, dtype=np.int8)
            idx = np.abs(model) - 1
            if occurring is not None:
                keep = idx < occurring.size
                psi[occurring[idx[keep]]] = np.where(model[keep] > 0, 1, -1)
            else:
                keep = idx < formula.n
                psi[idx[keep]] = np.where(model[keep] > 0, 1, -1)
    status = {True: "sat", False: "unsat", None: "unknown"}[answer]
    return SolveResult(status, psi, stats)


def refutation_run(rng: np.random.Generator, n: int, trial: int, density: float = 6.0, K: int = 3) -> dict:
    """One point of the C2 refutation sweep: solve a random K-SAT formula with ``round(density * n)`` constraints.

    ``trial`` numbers the formulas at one ``n`` (it keys the task's random stream in
    :func:`natweights.sweep.run_sweep`; the formula is drawn from ``rng``).  Returns the
    solver's answer (``answer``: "sat", "unsat" or "unknown") and its ``conflicts`` (deterministic across reruns).
    """
    check_rng(rng)
    n = _check_positive_int("n", n)
    check_int("trial", trial, 0)
    density = check_real("density", density, 0.0)
    K = _check_positive_int("K", K)
    result = solve(random_formula(n, int(round(density * n)), K, rng))
    return {"answer": result.status, "conflicts": int(result.stats["conflicts"])}
