r"""The refuter of the main theorem (claim C13), assembled from the chain — a reconstruction.

One run on a SAT_K formula:

1. rerandomise the formula with a uniform :math:`\rho` (C1);
2. greedy disjoint blocks (DSS16 Lemma 13); on failure the run answers "satisfiable";
3. labelled sample S (DSS16 Lemma 15);
4. draw a **fresh** public part :math:`(A, b, u, b_0) \sim \mu` and embed the blocks
   (notebook 08); a routing or rank failure makes the run reject;
5. give the learner examples :math:`(x, y)` and test its hypothesis h.

Two forms of step 5 (``Refuter(..., holdout=...)``):

* **proof form** (``holdout=None``, the default): the learner's example oracle draws
  uniformly (with replacement) from S, and the run accepts iff the empirical square loss of
  :math:`\mathrm{clip}(h, 0, 1)` on **all** of S is at most ``threshold`` (:math:`\varepsilon`).
  Completeness is Definition R applied to the distribution uniform(S).  Soundness is hypothesis
  counting: conditionally on the public part, the learner can output a set G of hypotheses, and
  under fair-coin labels each fixed [0, 1]-valued f has
  :math:`P(\mathrm{loss}_S(f) \le \varepsilon) \le e^{-2(1/4 - \varepsilon)^2 |S|}`
  (:math:`e^{-|S|/32}` at :math:`\varepsilon = 1/8`), so a run accepts w.p. at most
  :math:`|G|\, e^{-2(1/4-\varepsilon)^2|S|}` (:func:`per_run_acceptance_bound`).
* **held-out form** (``holdout=f`` with :math:`1/2 \le f < 1`), a variant kept only with a
  margin: the learner sees the other part, the loss is tested on the held-out part (a fraction
  f of S) against :math:`\varepsilon`, and the learner must reach accuracy
  :math:`\varepsilon/2` (``learner_accuracy``).  A hypothesis with loss :math:`\le \varepsilon/2`
  on uniform(S) has loss :math:`\le \varepsilon/(2f) \le \varepsilon` on any part holding a
  fraction :math:`f \ge 1/2` of S; without the margin a hypothesis of loss exactly
  :math:`\varepsilon` passes a held-out test only about half the time.  Soundness needs no
  counting (h is independent of the held-out labels).  Definition R itself promises nothing on
  examples the learner did not see: this form's completeness assumes the learner's accuracy
  carries over to uniform(S).

The refuter answers "satisfiable" iff the greedy step fails or some of ``runs`` independent
runs accepts; "random" iff every run rejects; "unknown" iff no run accepts and some run ended
with a learner whose solver ran out of budget (``found_`` None).  "Unknown" is never a
refutation.  On a random formula the refuter errs w.p. at most
:math:`\mathbb 1[\text{greedy step fails}] + R \cdot (\text{per-run bound})`
(:func:`random_input_error_bound`): the greedy step depends only on the variables, which
rerandomisation does not touch, so if it fails it fails in every run together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np

from .embedding import EmbeddingError, NaturalEmbedding
from .ksat import Formula, planted_formula, random_assignment, random_formula, rerandomize
from .learners import BruteForceERM, SatLearner
from .reduction import formula_to_sample, greedy_disjoint_blocks, labelled_sample
from .stats import BoundViolation, proportion_interval
from .weights import WeightLaw

__all__ = [
    "ExactNetworkLearner",
    "sat_network_learner",
    "Run",
    "Refutation",
    "Refuter",
    "RunTally",
    "AcceptanceCheck",
    "GreedyFailureRate",
    "greedy_failure_per_formula",
    "fixed_hypothesis_bound",
    "per_run_acceptance_bound",
    "random_input_error_bound",
    "check_acceptance",
    "run_tally",
    "sat_growth_run",
]

#: Tolerance of the loss comparison (the network computes 0/1 values only up to round-off).
ROUNDOFF_TOLERANCE = 1e-9
#: Run statuses.  "embedding failed" (routing or rank) counts as a rejection; "unknown" is neither.
RUN_STATUSES = ("accepted", "rejected", "embedding failed", "greedy failed", "unknown")


class ExactNetworkLearner:
    r"""Exponential-time learner over the networks :math:`N_{\mathrm{diag}(\varepsilon(\psi))A}`, :math:`\psi \in \{\pm1\}^n`.

    On the embedded inputs, :math:`N_{\mathrm{diag}(\varepsilon(\psi))A}(x) = h_\psi(\text{block of } x)`
    exactly (C10), so a learner over psi on the blocks behind the inputs
    (default :class:`~natweights.learners.BruteForceERM`; or a
    :class:`~natweights.learners.SatLearner`) chooses the network; the
    returned hypothesis is the network itself, evaluated on x.

    Side information: this learner is handed the blocks behind the inputs and
    the public part (through ``embedding``); a Definition R learner sees only
    :math:`(x, N(x))`.  It stands in for a learner the theorem rules out.

    After ``fit``: ``found_`` is the block learner's (True when it has none):
    True, False (it proved that no psi meets its error budget: no hypothesis)
    or None (its solver ran out of budget: status "unknown"); ``network_`` is
    the chosen network, or None when ``found_`` is not True.

    Parameters
    ----------
    embedding : NaturalEmbedding
        The public part the inputs were encoded with.
    block_learner : optional
        A learner on blocks with ``fit(blocks, labels)`` (default ``BruteForceERM()``).
    """

    def __init__(self, embedding: NaturalEmbedding, block_learner=None):
        self.embedding = embedding
        self.block_learner = BruteForceERM() if block_learner is None else block_learner

    def fit(self, blocks, X, y) -> ExactNetworkLearner:
        self.block_learner.fit(blocks, np.asarray(y).round().astype(int))
        found = getattr(self.block_learner, "found_", True)
        psi = getattr(self.block_learner, "psi_", None)
        self.found_ = None if found is None else bool(found) and psi is not None
        self.network_ = self.embedding.network(psi) if self.found_ else None
        return self

    def predict(self, blocks, X) -> np.ndarray:
        if self.network_ is None:
            raise RuntimeError("the block learner found no hypothesis")
        return self.network_(X)


def sat_network_learner(embedding: NaturalEmbedding) -> ExactNetworkLearner:
    """The exact network learner whose block learner is ``SatLearner(positive_only=True)``.

    It asks CaDiCaL for a psi satisfying every label-1 block it is given; on a
    sample from a random formula that is refuting a random K-SAT formula.  Its
    signature is that of ``Refuter(learner_factory=...)``.

    Parameters
    ----------
    embedding : NaturalEmbedding
        The public part of the run.

    Returns
    -------
    ExactNetworkLearner
    """
    if not isinstance(embedding, NaturalEmbedding):
        raise TypeError(f"embedding must be a NaturalEmbedding, got {type(embedding).__name__}")
    return ExactNetworkLearner(embedding, SatLearner(positive_only=True))


@dataclass
class Run:
    """One run of the refuter: ``status`` is one of :data:`RUN_STATUSES`; ``loss`` the tested loss.

    Attributes
    ----------
    status : str
        One of :data:`RUN_STATUSES`.
    form : str
        The refuter's form ("proof" or "held-out").
    loss : float
        The tested loss (nan when the run did not reach the test).
    examples : int
        Examples the test used.
    details : dict
        Further diagnostics of the run.
    """

    status: str
    form: str
    loss: float = float("nan")
    examples: int = 0
    details: dict = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status in ("accepted", "greedy failed")


@dataclass
class Refutation:
    """The refuter's answer on one formula: "satisfiable", "random" or "unknown" (never a refutation).

    Attributes
    ----------
    answer : str
        "satisfiable", "random" or "unknown".
    runs : list of Run
        The runs behind the answer.
    form : str
        The refuter's form.
    """

    answer: str
    runs: list[Run]
    form: str

    @property
    def unknown_runs(self) -> int:
        """Runs whose learner ran out of budget (``found_`` None)."""
        return sum(r.status == "unknown" for r in self.runs)

    @property
    def refuted(self) -> bool | None:
        """True iff the answer is "random"; None when it is "unknown"."""
        return None if self.answer == "unknown" else self.answer == "random"


def _positive_int(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


class Refuter:
    r"""Refuter for random K-SAT built from a learner of random networks (see the module docstring).

    Parameters
    ----------
    K, M : int
        Clause length and clauses per block (:math:`T_{K,M}`).
    law : WeightLaw
        The natural weight law of the public part, redrawn in every run.
    learner_factory : callable
        ``learner_factory(embedding)`` returns an object with ``fit(blocks, X, y)`` and
        ``predict(blocks, X)`` (real values); an attribute ``found_`` of None after ``fit``
        makes the run "unknown", False makes it reject.
    runs : int
        R, the number of independent runs.
    threshold : float
        :math:`\varepsilon` in (0, 1/2): the loss the test accepts (1/8 in the theorem).
        Soundness needs :math:`\varepsilon < 1/4` for hypotheses with values in [0, 1]
        (the constant 1/2 has square loss exactly 1/4 on fair coins, so it passes any
        threshold >= 1/4); a threshold in [1/4, 1/2) is sound only for learners whose
        hypotheses take values in {0, 1} (then use ``values="binary"`` in the bounds).
    holdout : None or float
        None for the proof form; a fraction f in [1/2, 1) for the held-out form with margin.
    draws : int or None
        Proof form: examples the learner's oracle draws from S (default :math:`|S|`).
    chunk_size : int or None
        Lemma 13 chunk (default n; larger only for small demonstrations).
    width : int or None
        Hidden width of the network (default :func:`~natweights.embedding.default_width`).
    """

    def __init__(
        self,
        K: int,
        M: int,
        law: WeightLaw,
        learner_factory=ExactNetworkLearner,
        runs: int = 3,
        threshold: float = 1 / 8,
        holdout: float | None = None,
        draws: int | None = None,
        chunk_size: int | None = None,
        width: int | None = None,
    ):
        self.K = _positive_int("K", K)
        self.M = _positive_int("M", M)
        if not isinstance(law, WeightLaw):
            raise TypeError(f"law must be a WeightLaw, got {type(law).__name__}")
        if not callable(learner_factory):
            raise TypeError("learner_factory must be callable: learner_factory(embedding) -> learner")
        self.runs = _positive_int("runs", runs)
        if isinstance(threshold, bool) or not isinstance(threshold, Real):
            raise TypeError(f"threshold must be a real number, got {type(threshold).__name__}")
        if not 0 < threshold < 0.5:
            raise ValueError(f"threshold must lie in (0, 1/2), got {threshold}")
        if holdout is not None:
            if isinstance(holdout, bool) or not isinstance(holdout, Real):
                raise TypeError(f"holdout must be None or a real number, got {type(holdout).__name__}")
            if not 0.5 <= holdout < 1:
                raise ValueError(
                    f"holdout must be None (proof form) or lie in [1/2, 1): the margin eps/2 on "
                    f"uniform(S) bounds the loss on a part only if it holds at least half of S; "
                    f"got {holdout}"
                )
        if draws is not None:
            if holdout is not None:
                raise ValueError("draws applies to the proof form only (holdout=None)")
            draws = _positive_int("draws", draws)
        self.law = law
        self.learner_factory = learner_factory
        self.threshold = float(threshold)
        self.holdout = None if holdout is None else float(holdout)
        self.draws = draws
        self.chunk_size = None if chunk_size is None else _positive_int("chunk_size", chunk_size)
        self.width = None if width is None else _positive_int("width", width)

    @property
    def form(self) -> str:
        """A one-line statement of the test this refuter runs (printed by every experiment)."""
        eps = self.threshold
        if self.holdout is None:
            draws = "|S|" if self.draws is None else str(self.draws)
            return (
                f"proof form: the learner's oracle draws {draws} examples uniformly from S; accept iff the "
                f"square loss of clip(h, 0, 1) on all of S is <= {eps:g}"
            )
        return (
            f"held-out form with margin: the learner sees {1 - self.holdout:g} of S; completeness assumes "
            f"accuracy {eps / 2:g} (= eps/2) on uniform(S), not checked; accept iff the square loss of clip(h, 0, 1) on the held-out "
            f"{self.holdout:g} of S is <= {eps:g}"
        )

    @property
    def learner_accuracy(self) -> float:
        """The accuracy the learner must reach for the completeness argument: eps, or eps/2 held out."""
        return self.threshold if self.holdout is None else self.threshold / 2

    def run_once(self, formula: Formula, rng: np.random.Generator) -> Run:
        """One run: fresh rho, fresh labels, fresh public part (A, b, u, b0), fresh oracle draws."""
        if not isinstance(formula, Formula):
            raise TypeError(f"formula must be a Formula, got {type(formula).__name__}")
        if formula.K != self.K:
            raise ValueError(f"formula has K = {formula.K}, the refuter K = {self.K}")
        kind = "proof" if self.holdout is None else "held-out"
        formula = rerandomize(formula, random_assignment(formula.n, rng))
        outcome = greedy_disjoint_blocks(formula, self.M, self.chunk_size)
        if outcome.failed:
            return Run("greedy failed", kind, details={"failed_chunks": int(outcome.failed_chunks.size)})
        sample = labelled_sample(outcome.blocks, rng)
        try:
            emb = NaturalEmbedding(formula.n, self.K, self.M, self.law, rng, m=self.width)
        except EmbeddingError as err:
            return Run("embedding failed", kind, examples=len(sample), details={"reason": str(err)})
        details = {"width": emb.m, "d": emb.d}
        if self.holdout is None:
            X = emb.encode(sample.blocks)
            idx = rng.integers(0, len(sample), size=self.draws or len(sample))
            train_blocks, X_train, y_train = sample.blocks[idx], X[idx], sample.labels[idx]
            test_blocks, X_test, y_test = sample.blocks, X, sample.labels
        else:
            test, train = sample.split(self.holdout, rng)
            train_blocks, X_train, y_train = train.blocks, emb.encode(train.blocks), train.labels
            test_blocks, X_test, y_test = test.blocks, emb.encode(test.blocks), test.labels
        learner = self.learner_factory(emb).fit(train_blocks, X_train, y_train.astype(float))
        found = getattr(learner, "found_", True)
        if found is None:
            return Run(
                "unknown",
                kind,
                examples=len(sample),
                details={**details, "reason": "the learner's solver ran out of budget"},
            )
        if found is False or getattr(learner, "network_", True) is None:
            return Run(
                "rejected", kind, examples=len(sample), details={**details, "reason": "the learner found no hypothesis"}
            )
        h = np.clip(np.asarray(learner.predict(test_blocks, X_test), dtype=float), 0.0, 1.0)
        loss = float(np.mean((h - y_test) ** 2))
        # the network reproduces 0/1 values to round-off only: compare with a 1e-9 tolerance so that a loss of
        # exactly k/|S| = threshold is decided the same way under every BLAS kernel
        accepted = loss <= self.threshold + ROUNDOFF_TOLERANCE
        return Run("accepted" if accepted else "rejected", kind, loss, len(sample), details)

    def decide(self, formula: Formula, rng: np.random.Generator) -> Refutation:
        """Answer "satisfiable" iff the greedy step fails or some run accepts; "unknown" if a run is unknown."""
        runs = [self.run_once(formula, rng) for _ in range(self.runs)]
        if any(r.accepted for r in runs):
            answer = "satisfiable"
        elif any(r.status == "unknown" for r in runs):
            answer = "unknown"
        else:
            answer = "random"
        return Refutation(answer, runs, self.form)


@dataclass
class RunTally:
    """Counts of run statuses over many runs, and the tested losses of the runs that reached the test.

    Attributes
    ----------
    counts : collections.Counter
        Runs per status.
    losses : list of float
        Tested losses.
    """

    counts: Counter
    losses: list

    @property
    def runs(self) -> int:
        return sum(self.counts.values())

    @property
    def accepted(self) -> int:
        return self.counts["accepted"] + self.counts["greedy failed"]

    def __str__(self) -> str:
        return ", ".join(f"{s} {self.counts[s]}" for s in RUN_STATUSES if self.counts[s])


def run_tally(refuter: Refuter, formulas, rng: np.random.Generator, runs_per_formula: int = 1) -> RunTally:
    """Run ``refuter.run_once`` ``runs_per_formula`` times on each formula and count the statuses.

    Parameters
    ----------
    refuter : Refuter
        The refuter.
    formulas : sequence of Formula
        The formulas.
    rng : numpy.random.Generator
        Source of randomness.
    runs_per_formula : int, default 1
        Runs on each formula.

    Returns
    -------
    RunTally
        Counts of statuses and tested losses.
    """
    runs_per_formula = _positive_int("runs_per_formula", runs_per_formula)
    counts, losses = Counter(), []
    for formula in formulas:
        for _ in range(runs_per_formula):
            run = refuter.run_once(formula, rng)
            counts[run.status] += 1
            if np.isfinite(run.loss):
                losses.append(run.loss)
    return RunTally(counts, losses)


def fixed_hypothesis_bound(size: int, threshold: float, values: str = "unit") -> float:
    r"""Bound on :math:`P(\mathrm{loss}_S(f) \le \varepsilon)` for one fixed f under fair-coin labels.

    Hoeffding on the :math:`|S|` i.i.d. losses in [0, 1]:

    * ``values="unit"`` (f with values in [0, 1]): :math:`\mathbb E (f - y)^2 \ge 1/4`, so
      :math:`\le e^{-2(1/4-\varepsilon)^2|S|}` for :math:`\varepsilon < 1/4` (1 otherwise);
      at :math:`\varepsilon = 1/8` this is :math:`e^{-|S|/32}`.
    * ``values="binary"`` (f with values in {0, 1}): the square loss is the 0-1 error, of mean
      1/2, so :math:`\le e^{-2(1/2-\varepsilon)^2|S|}` for :math:`\varepsilon < 1/2`.

    Parameters
    ----------
    size : int
        Sample size :math:`|S|`.
    threshold : float
        The loss threshold :math:`\varepsilon`.
    values : {"unit", "binary"}, default "unit"
        Range of the hypothesis.

    Returns
    -------
    float
        The Hoeffding bound (1 when the threshold reaches the mean).
    """
    size = _positive_int("size", size)
    if not 0 < threshold < 0.5:
        raise ValueError(f"threshold must lie in (0, 1/2), got {threshold}")
    mean = {"unit": 0.25, "binary": 0.5}.get(values)
    if mean is None:
        raise ValueError(f"values must be 'unit' or 'binary', got {values!r}")
    gap = mean - threshold
    return float(np.exp(-2 * gap**2 * size)) if gap > 0 else 1.0


def per_run_acceptance_bound(log2_hypotheses: float, size: int, threshold: float, values: str = "unit") -> float:
    r"""Proof-form bound on one run accepting a fair-coin sample: :math:`\min(1, |G|\cdot` :func:`fixed_hypothesis_bound`).

    ``log2_hypotheses`` is :math:`\log_2 |G|`, the number of hypotheses the learner can output
    given the public part (n for the exact network learner: one network per psi).

    Parameters
    ----------
    log2_hypotheses : float
        :math:`\log_2 |G|`.
    size : int
        Sample size :math:`|S|`.
    threshold : float
        The loss threshold :math:`\varepsilon`.
    values : {"unit", "binary"}, default "unit"
        Range of the hypotheses.

    Returns
    -------
    float
        The bound on the acceptance probability of one run.
    """
    if log2_hypotheses < 0:
        raise ValueError(f"log2_hypotheses must be >= 0, got {log2_hypotheses}")
    return float(min(1.0, 2.0**log2_hypotheses * fixed_hypothesis_bound(size, threshold, values)))


def random_input_error_bound(greedy_failed: bool, runs: int, per_run_bound: float) -> float:
    r"""Error of the refuter on a random formula: :math:`\mathbb 1[\text{greedy fails}] + R\cdot b`, capped at 1.

    The greedy step depends only on the formula's variables, which rerandomisation does not
    touch: if it fails it fails in all R runs together, so its indicator is not multiplied by R.
    With :math:`b = 2^{-n}` this is the bound of claim C13 on the claims page.

    Parameters
    ----------
    greedy_failed : bool
        Whether the greedy step fails on the formula.
    runs : int
        Number of runs R.
    per_run_bound : float
        Bound b on one run accepting, in [0, 1].

    Returns
    -------
    float
        The error bound, at most 1.
    """
    runs = _positive_int("runs", runs)
    if not 0 <= per_run_bound <= 1:
        raise ValueError(f"per_run_bound must lie in [0, 1], got {per_run_bound}")
    return float(min(1.0, float(bool(greedy_failed)) + runs * per_run_bound))


@dataclass
class AcceptanceCheck:
    """Per-run acceptance k/N with a Clopper–Pearson interval against a claimed bound.

    Attributes
    ----------
    side : str
        "planted" or "random".
    accepted, runs : int
        Accepting runs and runs.
    lo, hi : float
        The interval's ends.
    bound : float
        The claimed bound.
    confidence : float
        Confidence level.
    """

    side: str
    accepted: int
    runs: int
    lo: float
    hi: float
    bound: float
    confidence: float

    @property
    def holds(self) -> bool:
        # planted: the data must demonstrate p >= bound; random: they must not contradict p <= bound
        return self.lo >= self.bound if self.side == "planted" else self.lo <= self.bound

    def __str__(self) -> str:
        rel, verdict = (
            (">=", "demonstrated" if self.holds else "NOT demonstrated")
            if self.side == "planted"
            else ("<=", "consistent" if self.holds else "VIOLATED")
        )
        return (
            f"{self.side:7s}: {self.accepted}/{self.runs} runs accepted, rate {self.accepted / self.runs:.3f}, "
            f"{round(self.confidence * 100)}% CI [{self.lo:.3f}, {self.hi:.3f}]; claim rate {rel} {self.bound:.3g}: "
            f"{verdict}"
        )


def check_acceptance(
    accepted: int, runs: int, bound: float, side: str, confidence: float = 0.99, raise_on_violation: bool = True
) -> AcceptanceCheck:
    r"""Check a per-run acceptance count against the refuter's claim on one side.

    * ``side="planted"``: the claim is per-run success :math:`p \ge` ``bound`` (e.g. 0.37, what
      R = 3 runs need); it holds only if the lower end of the interval is at least ``bound``
      (the runs must demonstrate it: 6/6 has a 99% lower end of 0.41, not enough for 0.5).
    * ``side="random"``: the claim is per-run acceptance :math:`\le` ``bound`` (the counting
      bound); it is violated when the whole interval lies above ``bound``.

    Raises :class:`~natweights.stats.BoundViolation` when the check fails (unless
    ``raise_on_violation`` is False).

    Parameters
    ----------
    accepted, runs : int
        Accepting runs and runs.
    bound : float
        The claimed bound.
    side : {"planted", "random"}
        Which claim.
    confidence : float, default 0.99
        Confidence level.
    raise_on_violation : bool, default True
        Raise when the check fails.

    Returns
    -------
    AcceptanceCheck
        Counts, interval and verdict.
    """
    if side not in ("planted", "random"):
        raise ValueError(f"side must be 'planted' or 'random', got {side!r}")
    runs = _positive_int("runs", runs)
    if isinstance(accepted, bool) or not isinstance(accepted, Integral) or not 0 <= accepted <= runs:
        raise ValueError(f"accepted must be an integer in [0, runs = {runs}], got {accepted!r}")
    if not 0 <= bound <= 1:
        raise ValueError(f"bound must lie in [0, 1], got {bound}")
    lo, hi = proportion_interval(int(accepted), runs, confidence)
    check = AcceptanceCheck(side, int(accepted), runs, float(lo), float(hi), float(bound), confidence)
    if raise_on_violation and not check.holds:
        raise BoundViolation(str(check))
    return check


@dataclass
class GreedyFailureRate:
    """Per-formula probability that the greedy step fails, from a count of failing chunks.

    Attributes
    ----------
    failed_chunks, chunks : int
        Failing chunks and chunks measured.
    chunks_per_formula : int
        Chunks F of one formula.
    chunk_lo, chunk_hi : float
        Clopper–Pearson interval of the per-chunk rate.
    confidence : float
        Confidence level.
    """

    failed_chunks: int
    chunks: int
    chunks_per_formula: int
    chunk_lo: float
    chunk_hi: float
    confidence: float

    @property
    def rate(self) -> float:
        return 1 - (1 - self.failed_chunks / self.chunks) ** self.chunks_per_formula

    @property
    def interval(self) -> tuple[float, float]:
        f = self.chunks_per_formula
        return 1 - (1 - self.chunk_lo) ** f, 1 - (1 - self.chunk_hi) ** f

    def dominates(self, other: float) -> bool:
        """True iff the whole interval of the per-formula rate lies above ``other``."""
        return self.interval[0] > other

    def consistent_with_at_most(self, claim: float) -> bool:
        """True iff the data do not contradict 'per-formula failure rate <= claim' (lower end <= claim)."""
        return self.interval[0] <= claim


def greedy_failure_per_formula(
    failed_chunks: int, chunks: int, chunks_per_formula: int, confidence: float = 0.99
) -> GreedyFailureRate:
    r"""Per-formula greedy failure rate of Lemma 13 from independent chunks.

    On a random formula the chunks are independent, and the greedy step fails on the formula
    iff at least one of its F chunks yields fewer than M disjoint clauses, so with per-chunk
    failure rate :math:`p_c`

    .. math:: P(\text{greedy fails on the formula}) = 1 - (1 - p_c)^F .

    The map is increasing, so the Clopper–Pearson interval for :math:`p_c` (from
    ``failed_chunks`` out of ``chunks``) maps to an interval for the per-formula rate.

    Parameters
    ----------
    failed_chunks, chunks : int
        Failing chunks and chunks measured.
    chunks_per_formula : int
        Chunks F of one formula.
    confidence : float, default 0.99
        Confidence level.

    Returns
    -------
    GreedyFailureRate
        The per-chunk interval and its image, the per-formula rate.
    """
    chunks = _positive_int("chunks", chunks)
    chunks_per_formula = _positive_int("chunks_per_formula", chunks_per_formula)
    if isinstance(failed_chunks, bool) or not isinstance(failed_chunks, Integral) or not 0 <= failed_chunks <= chunks:
        raise ValueError(f"failed_chunks must be an integer in [0, chunks = {chunks}], got {failed_chunks!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    lo, hi = proportion_interval(int(failed_chunks), chunks, confidence)
    return GreedyFailureRate(int(failed_chunks), chunks, chunks_per_formula, float(lo), float(hi), confidence)


def sat_growth_run(rng: np.random.Generator, n: int, rep: int, K: int = 3, M: int = 8) -> dict:
    """One point of the C18 growth sweep: the SAT learner on a planted and on a random chain sample.

    Draws a planted and a random K-SAT formula of ``3n`` chunks of ``2n`` constraints (in that
    order), turns each into a labelled sample (Lemmas 13 and 15), keeps half for training and
    fits ``SatLearner(positive_only=True)``.  ``rep`` numbers the repeats at one n (it keys the
    task's random stream in :func:`natweights.sweep.run_sweep`).  Returns per side ("planted",
    "random") ``found_<side>`` (whether an assignment fitting the positives was found),
    ``conflicts_<side>`` and ``seconds_<side>`` (wall clock; not reproducible).
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    for name, value in (("n", n), ("rep", rep), ("K", K), ("M", M)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < (0 if name == "rep" else 1):
            raise ValueError(
                f"{name} must be a {'non-negative' if name == 'rep' else 'positive'} integer, got {value!r}"
            )
    chunk, examples = 2 * n, 3 * n
    formulas = (
        ("planted", planted_formula(n, examples * chunk, K, rng)[0]),
        ("random", random_formula(n, examples * chunk, K, rng)),
    )
    out = {}
    for name, formula in formulas:
        sample = formula_to_sample(formula, M, rng, chunk_size=chunk)
        if sample is None:
            raise RuntimeError(f"Lemma 13 failed on the {name} formula at n = {n} (a chunk kept fewer than M = {M})")
        train, _ = sample.split(0.5, rng)
        learner = SatLearner(positive_only=True).fit(train.blocks, train.labels)
        out[f"found_{name}"] = bool(learner.found_)
        out[f"conflicts_{name}"] = int(learner.stats["conflicts"])
        out[f"seconds_{name}"] = float(learner.stats["seconds"])
    return out
