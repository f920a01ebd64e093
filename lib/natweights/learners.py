r"""Learners for samples of blocks, and the distinguisher of DLSS14 Theorem 12.

Every learner has ``fit(blocks, labels) -> self`` and ``predict(blocks) -> 0/1``.
The hypothesis class is :math:`H = \{h_\psi : \psi \in \{\pm1\}^n\}` with
:math:`h_\psi(x) = T_{K,M}(U_x(\psi))`; the exact learners minimise the
empirical 0-1 error over it, the scikit-learn learners are improper.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .reduction import Blocks, LabelledSample, _check_blocks, block_satisfied, check_labels, signed_incidence
from .validation import NotFittedError, check_int, check_memory, check_real, check_rng, check_solver_name

__all__ = [
    "BruteForceERM",
    "SatLearner",
    "SklearnLearner",
    "logistic_regression",
    "kernel_svm",
    "mlp",
    "gradient_boosting",
    "Distinguisher",
    "Decision",
    "assignment_bits",
    "naive_error_counts",
]

_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
# Bit a of the 64-bit word is bit i (< 6) of the assignment index a.
_LOW_PATTERNS = [
    0xAAAAAAAAAAAAAAAA,
    0xCCCCCCCCCCCCCCCC,
    0xF0F0F0F0F0F0F0F0,
    0xFF00FF00FF00FF00,
    0xFFFF0000FFFF0000,
    0xFFFFFFFF00000000,
]


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


def _brute_force_bytes(n: int, N: int) -> float:
    """Peak memory of BruteForceERM.fit: truth tables, bit-plane counters and the unpacked int64 counts."""
    words = max(1, 2**n // 64)
    planes = max(1, int(N).bit_length())
    return 8.0 * words * (n + planes) + 2**n * (8.0 + 8.0 + 1.0)


def assignment_bits(n: int) -> np.ndarray:
    r"""Truth tables of the n variables over all :math:`2^n` assignments, bit-packed.

    Assignment index a encodes :math:`\psi_i = +1` iff bit i of a is set.  Row i
    is a uint64 array of :math:`\max(1, 2^n/64)` words whose bit a is that bit.
    """
    n = check_int("n", n, 1)
    check_memory(8.0 * n * max(1, 2**n // 64), f"the truth tables of all 2^{n} assignments")
    words = max(1, 2**n // 64)
    table = np.empty((n, words), dtype=np.uint64)
    w = np.arange(words, dtype=np.uint64)
    for i in range(n):
        if i < 6:
            table[i] = np.uint64(_LOW_PATTERNS[i])
        else:
            table[i] = np.where((w >> np.uint64(i - 6)) & np.uint64(1), _ALL, np.uint64(0))
    return table


def index_to_assignment(index: int, n: int) -> np.ndarray:
    """The psi whose assignment index (see :func:`assignment_bits`) is ``index``."""
    return np.where((int(index) >> np.arange(n)) & 1, 1, -1).astype(np.int8)


class BruteForceERM:
    r"""Exact empirical risk minimisation over all :math:`\psi \in \{\pm1\}^n`.

    For each example the truth table of :math:`h_\psi(x)` over all :math:`2^n`
    assignments is built from bit-packed literal tables (OR within a clause,
    AND over the M clauses); its XOR with the label is added to bit-sliced
    error counters (one bit plane per binary digit, ripple-carry addition).
    Work is tiled over assignments so the tables stay in cache.

    After ``fit``: ``training_errors_`` (error count of every assignment,
    indexed as in :func:`assignment_bits`), ``min_errors_``, ``psi_`` (the
    lowest-index minimiser).  Feasible up to n of about 26.
    """

    max_n = 28

    def __init__(self, tile_words: int = 8192):
        self.tile_words = check_int("tile_words", tile_words, 1)

    def fit(self, blocks: Blocks, labels) -> BruteForceERM:
        labels = _check_training_sample(blocks, labels)
        n = blocks.n
        estimate = _brute_force_bytes(n, len(blocks))
        if n > self.max_n:
            raise ValueError(
                f"blocks: BruteForceERM enumerates 2^n assignments; n = {n} exceeds max_n = {self.max_n} "
                f"(it would need about {estimate / 2**30:.3g} GiB of memory)"
            )
        check_memory(estimate, f"BruteForceERM over 2^{n} assignments")
        self.training_errors_ = self._error_counts(blocks, labels)
        best = int(np.argmin(self.training_errors_))
        self.min_errors_ = int(self.training_errors_[best])
        self.psi_ = index_to_assignment(best, n)
        return self

    def _error_counts(self, blocks: Blocks, labels: np.ndarray) -> np.ndarray:
        n, N = blocks.n, len(blocks)
        var_tables = assignment_bits(n)
        words = var_tables.shape[1]
        planes = max(1, int(N).bit_length())
        counters = np.zeros((planes, words), dtype=np.uint64)
        variables = blocks.variables.reshape(N, -1)
        negative = blocks.signs.reshape(N, -1) < 0
        M, K = blocks.M, blocks.K
        tile = min(words, self.tile_words)
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
        return counts[: 2**n]

    def predict(self, blocks: Blocks) -> np.ndarray:
        if not hasattr(self, "psi_"):
            raise NotFittedError("this BruteForceERM is not fitted yet: call fit(blocks, labels) before predict")
        _check_predict_blocks(self, blocks, self.psi_.size)
        return block_satisfied(self.psi_, blocks).astype(np.int8)


def naive_error_counts(blocks: Blocks, labels, chunk: int = 1 << 16) -> np.ndarray:
    """Reference implementation: evaluate every assignment on every example with plain numpy.

    Same output as ``BruteForceERM().fit(...).training_errors_``; used to test
    it and to measure the speed-up of bit packing.
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

    After ``fit``: ``status`` is "sat", "unsat", "unknown" (the conflict
    budget ran out before the solver decided) or "optimum" (MaxSAT);
    ``found_`` is True (a psi meets the error budget), False (the solver
    *proved* that none does: the sample is not t-realizable) or None
    ("unknown": nothing was proved either way); ``psi_`` and
    ``training_errors_`` (None unless found), ``stats`` (conflicts,
    seconds, ...).  ``conflict_budget`` applies to the SAT path only (RC2 has
    none), so it is refused with ``max_errors=None``.
    """

    def __init__(
        self,
        max_errors: int | None = 0,
        solver: str = "cadical195",
        conflict_budget: int | None = None,
        cardinality: str = "seqcounter",
        positive_only: bool = False,
    ):
        from pysat.card import EncType

        if max_errors is not None:
            max_errors = check_int("max_errors", max_errors, 0)
        self.max_errors = max_errors
        self.solver = check_solver_name("solver", solver)
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

    @staticmethod
    def encode(blocks: Blocks, labels, relax: bool):
        """Hard clauses and the relaxation variables (one per example, or None)."""
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
        with Solver(name=self.solver, bootstrap_with=clauses) as s:
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
        self.status = {True: "sat", False: "unsat", None: "unknown"}[answer]
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
        with RC2(wcnf, solver=self.solver if self.solver in ("g3", "g4", "m22", "mgh") else "g4") as rc2:
            model = rc2.compute()
            cost = rc2.cost
        self.stats = {"seconds": time.perf_counter() - start, "cost": cost, "clauses": len(clauses)}
        self.status = "optimum"
        self.found_ = True
        self.psi_ = _model_to_psi(model, blocks.n)

    def predict(self, blocks: Blocks) -> np.ndarray:
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
    from sklearn.linear_model import LogisticRegression

    C = check_real("C", C, 0.0, low_open=True)
    return SklearnLearner(LogisticRegression(C=C, max_iter=5000), "logistic regression")


def kernel_svm(C: float = 1.0, gamma: str | float = "scale") -> SklearnLearner:
    from sklearn.svm import SVC

    C = check_real("C", C, 0.0, low_open=True)
    if isinstance(gamma, str):
        if gamma not in ("scale", "auto"):
            raise ValueError(f"gamma must be 'scale', 'auto' or a positive number, got {gamma!r}")
    else:
        gamma = check_real("gamma", gamma, 0.0, low_open=True)
    return SklearnLearner(SVC(C=C, kernel="rbf", gamma=gamma), "kernel SVM (RBF)")


def mlp(seed: int, hidden: int = 64, max_iter: int = 500) -> SklearnLearner:
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
    from sklearn.ensemble import HistGradientBoostingClassifier

    seed = check_int("seed", seed, 0, 2**32 - 1)
    return SklearnLearner(HistGradientBoostingClassifier(random_state=seed), "gradient boosting")


@dataclass
class Decision:
    """What the distinguisher answered and why.

    ``answer`` is "realizable", "unrealizable" or "unknown" (the learner's
    solver ran out of budget: nothing was decided); ``realizable`` is then
    True, False or None.
    """

    answer: str  # "realizable", "unrealizable" or "unknown"
    error: float  # test error of the hypothesis (nan when the learner found none)
    beta: float
    n_train: int
    n_test: int
    details: dict = field(default_factory=dict)

    @property
    def realizable(self) -> bool | None:
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
