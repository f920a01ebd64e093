r"""Learners for samples of blocks, and the distinguisher of DLSS14 Theorem 12.

Every learner has ``fit(blocks, labels) -> self`` and ``predict(blocks) -> 0/1``.
The hypothesis class is :math:`H = \{h_\psi : \psi \in \{\pm1\}^n\}` with
:math:`h_\psi(x) = T_{K,M}(U_x(\psi))`; the exact learners minimise the
empirical 0-1 error over it, the scikit-learn learners are improper.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np

from .erm_kernel import LOW_PATTERNS, counts_dtype
from .erm_kernel import error_counts as fused_error_counts
from .reduction import Blocks, LabelledSample, _check_blocks, block_satisfied, check_labels, signed_incidence
from .validation import (
    NotFittedError,
    _human,
    check_int,
    check_memory,
    check_real,
    check_rng,
    check_solver_name,
    physical_memory,
)

__all__ = [
    "BruteForceERM",
    "ERMEngine",
    "SatLearner",
    "SolveStatus",
    "MAXSAT_SOLVERS",
    "DistinguisherAnswer",
    "SklearnLearner",
    "logistic_regression",
    "kernel_svm",
    "mlp",
    "gradient_boosting",
    "Distinguisher",
    "Decision",
    "assignment_bits",
    "index_to_assignment",
    "naive_error_counts",
    "numpy_error_counts",
    "x_learners",
]

_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)

#: Engines of :class:`BruteForceERM`: the fused numba kernel, or the numpy reference.
ERMEngine = Literal["numba", "numpy"]
#: ``SatLearner.status``: "sat"/"unsat" (the SAT path decided), "unknown" (its conflict
#: budget ran out first), "optimum" (the MaxSAT path found a minimum-error psi).
SolveStatus = Literal["sat", "unsat", "unknown", "optimum"]
#: ``Decision.answer`` of the :class:`Distinguisher`.
DistinguisherAnswer = Literal["realizable", "unrealizable", "unknown"]
#: PySAT solvers the RC2 MaxSAT path (``SatLearner(max_errors=None)``) runs on: those with
#: incremental solving under assumptions and unsatisfiable cores.  Kissat (no assumptions),
#: Lingeling (no limited solving) and CryptoMiniSat (an optional package) are not among them.
MAXSAT_SOLVERS = (
    "cadical103",
    "cadical153",
    "cadical195",
    "cadical300",
    "gluecard3",
    "gluecard4",
    "glucose3",
    "glucose4",
    "glucose42",
    "maplechrono",
    "maplecm",
    "maplesat",
    "mergesat3",
    "minicard",
    "minisat22",
    "minisatgh",
    "minisatep",
)
_SAT_DEFAULT_SOLVER = "cadical195"
_MAXSAT_DEFAULT_SOLVER = "glucose4"


def _checked_literal(kind, name: str, value: str) -> str:
    """``value`` if it is one of the strings of the Literal type ``kind``, else a ValueError naming ``name``."""
    allowed = get_args(kind)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def _check_labels(blocks: Blocks, labels) -> np.ndarray:
    _check_blocks(blocks)
    return check_labels(blocks, labels)


def _check_training_sample(blocks: Blocks, labels) -> np.ndarray:
    labels = _check_labels(blocks, labels)
    if len(blocks) == 0:
        raise ValueError("blocks: the training sample is empty; fit needs at least one example")
    return labels


def _check_predict_blocks(learner, blocks: Blocks, n: int) -> None:
    _check_blocks(blocks)
    if blocks.n != n:
        raise ValueError(f"blocks have n = {blocks.n} variables, the {type(learner).__name__} was fitted with n = {n}")


def _model_to_psi(model, n: int) -> np.ndarray:
    """psi from a PySAT model over variables 1..n (+ auxiliaries); variables the model omits get +1."""
    model = np.asarray(model if model is not None else [], dtype=np.int64)
    psi = np.ones(n, dtype=np.int8)
    idx = np.abs(model) - 1
    keep = idx < n
    psi[idx[keep]] = np.where(model[keep] > 0, 1, -1)
    return psi


def _brute_force_bytes(n: int, N: int, engine: str = "numba") -> float:
    """Peak memory of BruteForceERM.fit: the counts; for numpy also truth tables, bit planes and unpacking."""
    counts = counts_dtype(min(int(N), 2**32 - 1)).itemsize * 2.0**n
    if engine == "numba":
        return counts
    words = max(1, 2**n // 64)
    planes = max(1, int(N).bit_length())
    return 8.0 * words * (n + planes) + 2**n * (8.0 + 8.0 + 1.0) + counts


def assignment_bits(n: int) -> np.ndarray:
    r"""Truth tables of the n variables over all :math:`2^n` assignments, bit-packed.

    Assignment index a encodes :math:`\psi_i = +1` iff bit i of a is set.

    Parameters
    ----------
    n : int
        Number of variables, positive.

    Returns
    -------
    numpy.ndarray of uint64, shape (n, max(1, 2^n / 64))
        Row i holds the words whose bit a (bit a mod 64 of word a // 64) is bit i of a.
    """
    n = check_int("n", n, 1)
    check_memory(8.0 * n * max(1, 2**n // 64), f"the truth tables of all 2^{n} assignments")
    words = max(1, 2**n // 64)
    table = np.empty((n, words), dtype=np.uint64)
    w = np.arange(words, dtype=np.uint64)
    for i in range(n):
        if i < 6:
            table[i] = np.uint64(LOW_PATTERNS[i])
        else:
            table[i] = np.where((w >> np.uint64(i - 6)) & np.uint64(1), _ALL, np.uint64(0))
    return table


def index_to_assignment(index: int, n: int) -> np.ndarray:
    r"""The psi whose assignment index (see :func:`assignment_bits`) is ``index``.

    Parameters
    ----------
    index : int
        Assignment index, :math:`0 \le` index :math:`< 2^n`.
    n : int
        Number of variables.

    Returns
    -------
    numpy.ndarray of int8, length n
        :math:`\psi_i = +1` iff bit i of ``index`` is set, else -1.
    """
    n = check_int("n", n, 1)
    index = check_int("index", index, 0)
    if index >= 2**n:
        raise ValueError(f"index must lie in [0, 2^n) = [0, {2**n}), got {index}")
    return np.where((int(index) >> np.arange(n)) & 1, 1, -1).astype(np.int8)


class BruteForceERM:
    r"""Exact empirical risk minimisation over all :math:`\psi \in \{\pm1\}^n`.

    Counts the training errors of every :math:`h_\psi` and returns the
    lowest-index minimiser.  Engines (the same counts, tested against each other
    and against :func:`naive_error_counts`):

    * ``"numba"`` (default): the fused parallel kernel
      :func:`natweights.erm_kernel.error_counts`; identical results for any number
      of numba threads.  Its first call in a fresh environment compiles it (several
      seconds); the compiled code is cached on disk for later processes.
    * ``"numpy"``: :func:`numpy_error_counts`, the bit-sliced numpy reference.

    Parameters
    ----------
    engine : {"numba", "numpy"}, default "numba"
        Which kernel counts the errors.
    tile_words : int, default 8192
        Tile size (64-bit words) of the numpy engine; ignored by the numba engine.

    Attributes
    ----------
    error_counts_ : numpy.ndarray of uint16 (uint32 when N >= 2^16), length 2^n
        Training-error count of every assignment, indexed as in :func:`assignment_bits`.
    training_errors_ : int
        Training errors of the returned hypothesis :math:`h_{\psi}` (the minimum of
        ``error_counts_``), as in :class:`SatLearner`.
    min_errors_ : int
        The same number, named for what ERM makes it: the minimum over H.
    psi_ : numpy.ndarray of int8, length n
        The lowest-index minimiser.

    Notes
    -----
    ``max_n`` (34) is the largest n accepted; below it the machine's memory decides,
    since the counts take :math:`2^n` times 2 bytes (4 when N >= 2^16) — e.g. n = 32
    needs 8 GiB.  On 2 cores, n = 28 with 400 examples takes a few seconds; every
    further variable doubles the time.
    """

    max_n = 34

    def __init__(self, engine: ERMEngine = "numba", tile_words: int = 8192):
        if not isinstance(engine, str):
            raise TypeError(f"engine must be one of {get_args(ERMEngine)}, got {engine!r}")
        self.engine = _checked_literal(ERMEngine, "engine", engine)
        self.tile_words = check_int("tile_words", tile_words, 1)

    def fit(self, blocks: Blocks, labels) -> BruteForceERM:
        """Count the training errors of every psi and keep a minimiser.

        Parameters
        ----------
        blocks : natweights.reduction.Blocks
            N >= 1 training blocks over n <= ``max_n`` variables.
        labels : array of 0/1, length N
            Their labels.

        Returns
        -------
        BruteForceERM
            ``self``, fitted (see the class attributes).

        Raises
        ------
        ValueError
            n above ``max_n``, or (:class:`natweights.validation.MemoryRequestError`,
            a ValueError) counts that would not fit in this machine's memory; malformed
            blocks or labels.
        """
        labels = _check_training_sample(blocks, labels)
        n, N = blocks.n, len(blocks)
        estimate = _brute_force_bytes(n, N, self.engine)
        if n > self.max_n:
            raise ValueError(
                f"blocks: BruteForceERM enumerates 2^n assignments; n = {n} exceeds max_n = {self.max_n} "
                f"(it would need about {estimate / 2**30:.3g} GiB of memory)"
            )
        if estimate > physical_memory():
            largest = max(
                (k for k in range(1, n) if _brute_force_bytes(k, N, self.engine) <= physical_memory()), default=0
            )
            check_memory(
                estimate,
                f"BruteForceERM over 2^{n} assignments (engine {self.engine!r}; on this machine n <= {largest} "
                f"fits with {N} examples, {_human(physical_memory())})",
            )
        if self.engine == "numba":
            counts = fused_error_counts(blocks, labels)
        else:
            counts = numpy_error_counts(blocks, labels, tile_words=self.tile_words)
        self.error_counts_ = counts
        best = int(np.argmin(counts))
        self.min_errors_ = int(counts[best])
        self.training_errors_ = self.min_errors_
        self.psi_ = index_to_assignment(best, n)
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        r""":math:`h_{\psi}` of the fitted psi on each block (0/1, int8).

        Parameters
        ----------
        blocks : natweights.reduction.Blocks
            Blocks over the n variables the learner was fitted with.

        Returns
        -------
        numpy.ndarray of int8, length len(blocks)
        """
        if not hasattr(self, "psi_"):
            raise NotFittedError("this BruteForceERM is not fitted yet: call fit(blocks, labels) before predict")
        _check_predict_blocks(self, blocks, self.psi_.size)
        return block_satisfied(self.psi_, blocks).astype(np.int8)


def numpy_error_counts(blocks: Blocks, labels, tile_words: int = 8192) -> np.ndarray:
    r"""Training-error count of every :math:`\psi`, bit-sliced in numpy: the reference of the fused kernel.

    For each example the truth table of :math:`h_\psi(x)` over all :math:`2^n`
    assignments is built from bit-packed literal tables (OR within a clause,
    AND over the M clauses); its XOR with the label is added to bit-sliced
    error counters (one bit plane per binary digit, ripple-carry addition).
    Work is tiled over assignments so the tables stay in cache.

    Parameters
    ----------
    blocks : natweights.reduction.Blocks
        N >= 1 blocks over n variables.
    labels : array of 0/1, length N
        Their labels.
    tile_words : int, default 8192
        64-bit words per tile.

    Returns
    -------
    numpy.ndarray of :func:`natweights.erm_kernel.counts_dtype` (N), length :math:`2^n`
        Entry a is the number of examples :math:`h_\psi` gets wrong for the
        assignment with index a (:func:`assignment_bits`); equal to
        :func:`natweights.erm_kernel.error_counts` and :func:`naive_error_counts`.
    """
    labels = _check_training_sample(blocks, labels)
    tile_words = check_int("tile_words", tile_words, 1)
    n, N = blocks.n, len(blocks)
    check_memory(_brute_force_bytes(n, N, "numpy"), f"numpy_error_counts over 2^{n} assignments")
    var_tables = assignment_bits(n)
    words = var_tables.shape[1]
    planes = max(1, int(N).bit_length())
    counters = np.zeros((planes, words), dtype=np.uint64)
    variables = blocks.variables.reshape(N, -1)
    negative = blocks.signs.reshape(N, -1) < 0
    M, K = blocks.M, blocks.K
    tile = min(words, tile_words)
    clause = np.empty(tile, dtype=np.uint64)
    block = np.empty(tile, dtype=np.uint64)
    lit = np.empty(tile, dtype=np.uint64)
    carry = np.empty(tile, dtype=np.uint64)
    tmp = np.empty(tile, dtype=np.uint64)
    for start in range(0, words, tile):
        stop = min(words, start + tile)
        w = stop - start
        tables = var_tables[:, start:stop]
        cnt = counters[:, start:stop]
        cl, bl, li, ca, tm = clause[:w], block[:w], lit[:w], carry[:w], tmp[:w]
        for e in range(N):
            vs, neg = variables[e], negative[e]
            for t in range(M):
                for l in range(K):
                    q = t * K + l
                    target = cl if l == 0 else li
                    if neg[q]:
                        np.invert(tables[vs[q]], out=target)
                    else:
                        np.copyto(target, tables[vs[q]])
                    if l:
                        np.bitwise_or(cl, li, out=cl)
                if t == 0:
                    np.copyto(bl, cl)
                else:
                    np.bitwise_and(bl, cl, out=bl)
            # error bit: h = 1 but label 0, or h = 0 but label 1
            if labels[e]:
                np.invert(bl, out=ca)
            else:
                np.copyto(ca, bl)
            for b in range(planes):
                np.bitwise_and(cnt[b], ca, out=tm)
                np.bitwise_xor(cnt[b], ca, out=cnt[b])
                ca, tm = tm, ca
    counts = np.zeros(words * 64, dtype=np.int64)
    for b in range(planes):
        bits = np.unpackbits(counters[b].view(np.uint8), bitorder="little")
        counts += bits.astype(np.int64) << b
    return counts[: 2**n].astype(counts_dtype(N))


def naive_error_counts(blocks: Blocks, labels, chunk: int = 1 << 16) -> np.ndarray:
    """Reference implementation: evaluate every assignment on every example with plain numpy.

    Parameters
    ----------
    blocks : natweights.reduction.Blocks
        Blocks over n variables.
    labels : array of 0/1, length len(blocks)
        Their labels.
    chunk : int, default 65536
        Assignments evaluated at once.

    Returns
    -------
    numpy.ndarray of int64, length :math:`2^n`
        The same numbers as ``BruteForceERM().fit(blocks, labels).error_counts_``;
        used to test the kernels and to measure what bit packing gains.
    """
    labels = _check_labels(blocks, labels)
    chunk = check_int("chunk", chunk, 1)
    n = blocks.n
    rows = min(chunk, 2**n)
    check_memory(
        8.0 * 2**n + 2.0 * rows * (8 * n + max(1, len(blocks)) * blocks.M * blocks.K),
        f"naive_error_counts over 2^{n} assignments",
    )
    counts = np.zeros(2**n, dtype=np.int64)
    for start in range(0, 2**n, chunk):
        idx = np.arange(start, min(2**n, start + chunk))
        psi = np.where((idx[:, None] >> np.arange(n)) & 1, 1, -1).astype(np.int8)  # A x n
        z = blocks.signs[None] * psi[:, blocks.variables]  # A x N x M x K
        h = np.all(np.any(z == 1, axis=3), axis=2)  # A x N
        counts[idx] = np.sum(h != labels.astype(bool)[None, :], axis=1)
    return counts


def _check_maxsat_solver(solver: str) -> str:
    """``solver`` if RC2 can run on it (:data:`MAXSAT_SOLVERS`, any PySAT alias), else a ValueError."""
    from pysat.solvers import SolverNames

    for group in MAXSAT_SOLVERS:
        if solver in getattr(SolverNames, group):
            return solver
    raise ValueError(
        f"solver {solver!r} cannot run the MaxSAT path (max_errors=None): RC2 needs a solver with "
        f"assumptions and unsatisfiable cores, one of {MAXSAT_SOLVERS} (or their PySAT aliases)"
    )


class SatLearner:
    r"""Exact learner through PySAT: find :math:`\psi` with few training errors.

    Encoding: variable i+1 is :math:`\psi_i = +1`.  A label-1 block asks every
    clause to hold (M clauses of K literals).  A label-0 block asks some clause
    to fail: auxiliary :math:`y_t \to \neg\ell` for each literal of clause t,
    and :math:`y_1 \vee \dots \vee y_M`.  With ``max_errors = t > 0`` each
    example gets a relaxation variable :math:`e_k` added to its disjunction(s)
    and a cardinality constraint :math:`\sum_k e_k \le t`; with
    ``max_errors=None`` the RC2 MaxSAT solver minimises :math:`\sum_k e_k`.
    With ``positive_only=True`` only the label-1 examples are encoded: a psi
    satisfying every T-block (on a sample from a random formula this is
    refuting a random K-SAT formula of M clauses per positive example).

    Parameters
    ----------
    max_errors : int or None, default 0
        Error budget t of the SAT path; None runs RC2 to a minimum-error psi.
    solver : str or None, default None
        PySAT solver name.  None means CaDiCaL 1.9.5 ("cadical195") on the SAT path
        and Glucose 4 ("glucose4") under RC2.  A name given explicitly is used as
        given on either path; under RC2 it must be one of :data:`MAXSAT_SOLVERS`
        (aliases such as "g4" included), else a ValueError names the allowed ones.
    conflict_budget : int or None, default None
        Conflicts after which the SAT path stops with status "unknown"; refused
        with ``max_errors=None`` (RC2 has no budget).
    cardinality : str, default "seqcounter"
        PySAT ``EncType`` name of the cardinality encoding (``max_errors > 0``).
    positive_only : bool, default False
        Encode only the label-1 examples.

    Attributes
    ----------
    status : SolveStatus
        "sat", "unsat", "unknown" (the conflict budget ran out before the solver
        decided) or "optimum" (MaxSAT).
    found_ : bool or None
        True (a psi meets the error budget), False (the solver *proved* that none
        does: the sample is not t-realizable) or None ("unknown": nothing was
        proved either way).
    psi_ : numpy.ndarray of int8 or None
        The hypothesis, None unless found.
    training_errors_ : int or None
        Training errors of :math:`h_{\psi}` on every example given to ``fit``
        (including the label-0 ones ``positive_only`` did not encode); None unless found.
    stats : dict
        Solver statistics (conflicts, seconds, clauses, cost, ...).
    """

    def __init__(
        self,
        max_errors: int | None = 0,
        solver: str | None = None,
        conflict_budget: int | None = None,
        cardinality: str = "seqcounter",
        positive_only: bool = False,
    ):
        from pysat.card import EncType

        if max_errors is not None:
            max_errors = check_int("max_errors", max_errors, 0)
        self.max_errors = max_errors
        if solver is not None:
            solver = check_solver_name("solver", solver)
            if max_errors is None:
                _check_maxsat_solver(solver)
        self.solver = solver
        if conflict_budget is not None:
            conflict_budget = check_int("conflict_budget", conflict_budget, 1)
            if max_errors is None:
                raise ValueError(
                    "conflict_budget: the MaxSAT path (max_errors=None) runs RC2 to the optimum and has "
                    "no conflict budget; give max_errors an integer or drop the budget"
                )
        self.conflict_budget = conflict_budget
        encodings = sorted(k for k in vars(EncType) if not k.startswith("_"))
        if not isinstance(cardinality, str) or cardinality not in encodings:
            raise ValueError(f"cardinality must be one of PySAT's EncType names {encodings}, got {cardinality!r}")
        self.cardinality = cardinality
        if not isinstance(positive_only, (bool, np.bool_)):
            raise TypeError(f"positive_only must be True or False, got {positive_only!r}")
        self.positive_only = bool(positive_only)

    @property
    def solver_used(self) -> str:
        """The solver the chosen path runs: ``solver``, or that path's default when it is None."""
        if self.solver is not None:
            return self.solver
        return _MAXSAT_DEFAULT_SOLVER if self.max_errors is None else _SAT_DEFAULT_SOLVER

    @staticmethod
    def encode(blocks: Blocks, labels, relax: bool):
        """The CNF encoding of the sample (see the class docstring).

        Parameters
        ----------
        blocks : natweights.reduction.Blocks
            The examples.
        labels : array of 0/1, length len(blocks)
            Their labels.
        relax : bool
            Give every example a relaxation variable.

        Returns
        -------
        clauses : list of list of int
            Hard clauses over DIMACS literals.
        relax_vars : list of int or None
            The relaxation variable of each example (None when ``relax`` is False).
        top : int
            The largest variable used.
        """
        labels = _check_labels(blocks, labels)
        if not isinstance(relax, (bool, np.bool_)):
            raise TypeError(f"relax must be True or False, got {relax!r}")
        n, N, M = blocks.n, len(blocks), blocks.M
        top_estimate = n + N * (1 + M)
        if top_estimate >= 2**31 - 1:
            raise ValueError(
                f"blocks: the encoding needs about {top_estimate} SAT variables (n = {n} plus auxiliaries), "
                "beyond PySAT's 32-bit literals"
            )
        lits = blocks.signs.astype(np.int64) * (blocks.variables + 1)  # N x M x K
        top = n
        clauses: list[list[int]] = []
        relax_vars = []
        for k in range(N):
            e = []
            if relax:
                top += 1
                e = [top]
                relax_vars.append(top)
            if labels[k]:
                for t in range(M):
                    clauses.append(lits[k, t].tolist() + e)
            else:
                ys = list(range(top + 1, top + M + 1))
                top += M
                for t in range(M):
                    for lit in lits[k, t]:
                        clauses.append([-ys[t], -int(lit)])
                clauses.append(ys + e)
        return clauses, (relax_vars if relax else None), top

    def fit(self, blocks: Blocks, labels) -> SatLearner:
        """Ask the solver for a psi within the error budget (or a minimum-error psi).

        Parameters
        ----------
        blocks : natweights.reduction.Blocks
            N >= 1 training blocks.
        labels : array of 0/1, length N
            Their labels.

        Returns
        -------
        SatLearner
            ``self``, with ``status``, ``found_``, ``psi_``, ``training_errors_`` and ``stats`` set.
        """
        labels = _check_training_sample(blocks, labels)
        check_memory(blocks.n, f"an assignment of n = {blocks.n} variables")
        start = time.perf_counter()
        all_blocks, all_labels = blocks, labels
        if self.positive_only:
            keep = np.flatnonzero(labels == 1)
            blocks, labels = blocks[keep], labels[keep]
        if self.max_errors is None:
            self._fit_maxsat(blocks, labels, start)
        else:
            self._fit_sat(blocks, labels, start)
        # errors on every example, including the label-0 ones positive_only did not encode
        self.training_errors_ = None if self.psi_ is None else int(np.sum(self.predict(all_blocks) != all_labels))
        return self

    def _fit_sat(self, blocks, labels, start):
        from pysat.card import CardEnc, EncType
        from pysat.solvers import Solver

        n = blocks.n
        relax = self.max_errors > 0
        clauses, evars, top = self.encode(blocks, labels, relax)
        if relax:
            card = CardEnc.atmost(
                lits=evars, bound=self.max_errors, top_id=top, encoding=getattr(EncType, self.cardinality)
            )
            clauses = clauses + card.clauses
        with Solver(name=self.solver_used, bootstrap_with=clauses) as s:
            if self.conflict_budget is None:
                answer = s.solve()
            else:
                s.conf_budget(int(self.conflict_budget))
                answer = s.solve_limited()
            stats = dict(s.accum_stats() or {})
            model = s.get_model() if answer else None
        stats["seconds"] = time.perf_counter() - start
        stats["clauses"] = len(clauses)
        self.stats = stats
        self.status: SolveStatus = _checked_literal(
            SolveStatus, "status", {True: "sat", False: "unsat", None: "unknown"}[answer]
        )
        # "unknown" (budget exhausted) stays unknown: found_ is None, never False
        self.found_ = None if answer is None else bool(answer)
        self.psi_ = _model_to_psi(model, n) if answer else None

    def _fit_maxsat(self, blocks, labels, start):
        from pysat.examples.rc2 import RC2
        from pysat.formula import WCNF

        clauses, evars, _ = self.encode(blocks, labels, relax=True)
        wcnf = WCNF()
        for c in clauses:
            wcnf.append(c)
        for e in evars:
            wcnf.append([-e], weight=1)
        solver = _check_maxsat_solver(self.solver_used)
        with RC2(wcnf, solver=solver) as rc2:
            model = rc2.compute()
            cost = rc2.cost
        self.stats = {"seconds": time.perf_counter() - start, "cost": cost, "clauses": len(clauses), "solver": solver}
        self.status: SolveStatus = "optimum"
        self.found_ = True
        self.psi_ = _model_to_psi(model, blocks.n)

    def predict(self, blocks: Blocks) -> np.ndarray:
        r""":math:`h_{\psi}` of the found psi on each block (0/1, int8).

        Raises
        ------
        RuntimeError
            Not fitted, or no psi was found (status "unsat" or "unknown").
        """
        if not hasattr(self, "psi_"):
            raise NotFittedError("this SatLearner is not fitted yet: call fit(blocks, labels) before predict")
        if self.psi_ is None:
            if self.found_ is None:
                raise RuntimeError("no hypothesis: the solver ran out of its conflict budget (status 'unknown')")
            raise RuntimeError("no hypothesis: the solver found no psi within the error budget")
        _check_predict_blocks(self, blocks, self.psi_.size)
        return block_satisfied(self.psi_, blocks).astype(np.int8)


class SklearnLearner:
    """An improper learner: a scikit-learn classifier on the signed-incidence encoding.

    Features are the M patches :math:`e_t(x) \\in \\{0, \\pm1\\}^n` concatenated
    (dimension Mn), the input of the ±1 network of PROOF_MAP §5.  A sample with
    one label only gives the constant hypothesis.  Iterative estimators run
    for their fixed iteration budget; scikit-learn's convergence warnings are
    silenced (the budget is part of the learner).

    Parameters
    ----------
    estimator : scikit-learn classifier
        Fitted on :meth:`features` of the blocks.
    name : str or None
        Display name (default: the estimator's class name).
    """

    def __init__(self, estimator, name: str | None = None):
        if not (callable(getattr(estimator, "fit", None)) and callable(getattr(estimator, "predict", None))):
            raise TypeError(
                f"estimator must have fit and predict methods (a scikit-learn classifier), "
                f"got {type(estimator).__name__}"
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string or None, got {name!r}")
        self.estimator = estimator
        self.name = name or type(estimator).__name__

    @staticmethod
    def features(blocks: Blocks) -> np.ndarray:
        _check_blocks(blocks)
        check_memory(
            8.0 * len(blocks) * blocks.M * blocks.n,
            f"the dense features of {len(blocks)} blocks (N x Mn = {len(blocks)} x {blocks.M * blocks.n} floats)",
        )
        return signed_incidence(blocks).reshape(len(blocks), -1).astype(np.float64)

    def fit(self, blocks: Blocks, labels) -> SklearnLearner:
        labels = _check_training_sample(blocks, labels)
        self.n_ = blocks.n
        self.constant_ = None
        if np.all(labels == labels[0]):
            self.constant_ = int(labels[0])
        else:
            import warnings

            from sklearn.exceptions import ConvergenceWarning

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                self.estimator.fit(self.features(blocks), labels)
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        if not hasattr(self, "n_"):
            raise NotFittedError(f"this {self!r} is not fitted yet: call fit(blocks, labels) before predict")
        _check_predict_blocks(self, blocks, self.n_)
        if self.constant_ is not None:
            return np.full(len(blocks), self.constant_, dtype=np.int8)
        return self.estimator.predict(self.features(blocks)).astype(np.int8)

    def __repr__(self):
        return f"SklearnLearner({self.name})"


def logistic_regression(C: float = 1.0) -> SklearnLearner:
    """Logistic regression on the blocks' signed-incidence features (inverse regularisation ``C`` > 0)."""
    from sklearn.linear_model import LogisticRegression

    C = check_real("C", C, 0.0, low_open=True)
    return SklearnLearner(LogisticRegression(C=C, max_iter=5000), "logistic regression")


def kernel_svm(C: float = 1.0, gamma: str | float = "scale") -> SklearnLearner:
    """An RBF-kernel SVM on the blocks' features (``C`` > 0; ``gamma`` "scale", "auto" or > 0)."""
    from sklearn.svm import SVC

    C = check_real("C", C, 0.0, low_open=True)
    if isinstance(gamma, str):
        if gamma not in ("scale", "auto"):
            raise ValueError(f"gamma must be 'scale', 'auto' or a positive number, got {gamma!r}")
    else:
        gamma = check_real("gamma", gamma, 0.0, low_open=True)
    return SklearnLearner(SVC(C=C, kernel="rbf", gamma=gamma), "kernel SVM (RBF)")


def mlp(seed: int, hidden: int = 64, max_iter: int = 500) -> SklearnLearner:
    """A one-hidden-layer ReLU network (``hidden`` units, Adam, ``max_iter`` epochs, seeded) on the blocks' features."""
    from sklearn.neural_network import MLPClassifier

    seed = check_int("seed", seed, 0, 2**32 - 1)
    hidden = check_int("hidden", hidden, 1)
    max_iter = check_int("max_iter", max_iter, 1)
    return SklearnLearner(
        MLPClassifier(
            hidden_layer_sizes=(hidden,), solver="adam", max_iter=max_iter, random_state=seed, early_stopping=False
        ),
        f"MLP ({hidden} ReLU, Adam)",
    )


def gradient_boosting(seed: int) -> SklearnLearner:
    """Histogram gradient boosting (seeded) on the blocks' features."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    seed = check_int("seed", seed, 0, 2**32 - 1)
    return SklearnLearner(HistGradientBoostingClassifier(random_state=seed), "gradient boosting")


def x_learners(seed: int = 0) -> dict:
    """Fresh learners on the network inputs x themselves, what a Definition R learner sees.

    Unlike the learners above they are scikit-learn estimators on
    ``(X, y)`` (e.g. ``X = NaturalEmbedding.encode(blocks)``), not on blocks.

    Parameters
    ----------
    seed : int, default 0
        Seed of the MLP's initialisation.

    Returns
    -------
    dict of str to scikit-learn classifier
        "logistic on x": logistic regression (up to 5000 iterations);
        "MLP on x": 32 ReLU units, Adam, 100 epochs.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    seed = check_int("seed", seed, 0, 2**32 - 1)
    return {
        "logistic on x": LogisticRegression(max_iter=5000),
        "MLP on x": MLPClassifier(hidden_layer_sizes=(32,), max_iter=100, random_state=seed),
    }


@dataclass
class Decision:
    """What the distinguisher answered and why.

    Attributes
    ----------
    answer : DistinguisherAnswer
        "realizable", "unrealizable" or "unknown" (the learner's solver ran out of
        budget: nothing was decided); checked on construction.
    error : float
        Test error of the hypothesis (nan when the learner found none).
    beta : float
        The threshold the error was compared with.
    n_train, n_test : int
        Examples the learner was fitted on and tested on.
    details : dict
        E.g. the learner's status when the answer is "unknown".
    """

    answer: DistinguisherAnswer
    error: float
    beta: float
    n_train: int
    n_test: int
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        _checked_literal(DistinguisherAnswer, "answer", self.answer)

    @property
    def realizable(self) -> bool | None:
        """True, False or None for the answers "realizable", "unrealizable", "unknown"."""
        return {"realizable": True, "unrealizable": False}.get(self.answer)


class Distinguisher:
    r"""The algorithm from the proof of DLSS14 Theorem 12 (DSS16 Appendix A), around any learner.

    Run the learner on examples taken from the sample S, and answer
    "realizable" iff its hypothesis has error :math:`\le \beta`.

    * ``holdout=None`` is the proof's version: the learner's example oracle
      draws ``draws`` examples uniformly (with replacement) from S, and the
      error is measured on all of S.  Against a :math:`(q, \beta)`-scattered
      S, the answer is wrong w.p. :math:`\le |G|\,2^{-q}` where G is the set
      of hypotheses the learner can output.
    * ``holdout=f`` fits on a random fraction 1-f of S and measures the error
      on the rest, so that the hypothesis is independent of the test part and
      Hoeffding applies directly to the test error.

    A learner whose ``found_`` is False (a SAT learner that proved no
    hypothesis meets its error budget) gives "unrealizable"; one whose
    ``found_`` is None (out of budget) gives "unknown", never "unrealizable".

    Parameters
    ----------
    learner : object with ``fit(blocks, labels)`` and ``predict(blocks)``
        The learner the distinguisher is built around.
    beta : float in (0, 1/2)
        Error threshold of the answer "realizable".
    holdout : float in (0, 1) or None, default 0.5
        Fraction of S held out for testing; None for the proof's version.
    draws : int or None, default None
        Oracle draws of the proof's version (default |S|).
    """

    def __init__(self, learner, beta: float, holdout: float | None = 0.5, draws: int | None = None):
        if not (callable(getattr(learner, "fit", None)) and callable(getattr(learner, "predict", None))):
            raise TypeError(f"learner must have fit and predict methods, got {type(learner).__name__}")
        beta = check_real("beta", beta, 0.0, 0.5, low_open=True, high_open=True)
        if holdout is not None:
            holdout = check_real("holdout", holdout, 0.0, 1.0, low_open=True, high_open=True)
        if draws is not None:
            draws = check_int("draws", draws, 1)
        self.learner = learner
        self.beta = beta
        self.holdout = holdout
        self.draws = draws

    def decide(self, sample: LabelledSample, rng: np.random.Generator) -> Decision:
        """Fit the learner on examples from ``sample`` and compare its error with ``beta``.

        Parameters
        ----------
        sample : natweights.reduction.LabelledSample
            The sample S (at least 1 example; 2 with a holdout).
        rng : numpy.random.Generator
            Draws the oracle's examples or the holdout split.

        Returns
        -------
        Decision
        """
        if not isinstance(sample, LabelledSample):
            raise TypeError(f"sample must be a LabelledSample, got {type(sample).__name__}")
        check_rng(rng)
        need = 1 if self.holdout is None else 2
        if len(sample) < need:
            raise ValueError(
                f"sample has {len(sample)} examples; the distinguisher needs at least {need} "
                + ("(one to train on, one to test)" if need == 2 else "(an empty sample has no error rate)")
            )
        if self.holdout is None:
            idx = rng.integers(0, len(sample), size=self.draws or len(sample))
            train, test = sample[idx], sample
        else:
            test, train = sample.split(self.holdout, rng)
        self.learner.fit(train.blocks, train.labels)
        found = getattr(self.learner, "found_", True)
        if found is None:  # the solver ran out of budget: no proof either way
            return Decision(
                "unknown",
                float("nan"),
                self.beta,
                len(train),
                len(test),
                {"status": getattr(self.learner, "status", "unknown")},
            )
        if found is False:
            return Decision("unrealizable", float("nan"), self.beta, len(train), len(test))
        error = float(np.mean(self.learner.predict(test.blocks) != test.labels))
        answer = "realizable" if error <= self.beta else "unrealizable"
        return Decision(answer, error, self.beta, len(train), len(test))
