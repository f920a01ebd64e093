r"""The refuter of the main theorem (PROOF_MAP C13), assembled from the chain — a reconstruction.

One run on a SAT_K formula:

1. rerandomise the formula with a uniform :math:`\rho` (C1);
2. greedy disjoint blocks (DSS16 Lemma 13); on failure the run answers "satisfiable";
3. labelled sample (DSS16 Lemma 15);
4. draw a **fresh** public part :math:`(A, b, u, b_0) \sim \mu` and embed the blocks
   (notebook 08); a routing or rank failure makes the run reject;
5. give the learner the examples :math:`(x, y)` of a training part, and accept iff the
   hypothesis has empirical square loss of :math:`\mathrm{clip}(h, 0, 1)` at most ``threshold``
   on the held-out part.

The refuter answers "satisfiable" iff some of ``runs`` independent runs accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .embedding import EmbeddingError, NaturalEmbedding
from .ksat import Formula, random_assignment, rerandomize
from .learners import BruteForceERM
from .reduction import greedy_disjoint_blocks, labelled_sample
from .weights import WeightLaw

__all__ = ["ExactNetworkLearner", "Run", "Refutation", "Refuter"]


class ExactNetworkLearner:
    r"""Exponential-time learner over the networks :math:`N_{\mathrm{diag}(\varepsilon(\psi))A}`, :math:`\psi \in \{\pm1\}^n`.

    On the embedded inputs, :math:`N_{\mathrm{diag}(\varepsilon(\psi))A}(x) = h_\psi(\text{block of } x)`
    exactly (C10), so a learner over psi on the blocks behind the inputs
    (default :class:`~natweights.learners.BruteForceERM`; or a
    :class:`~natweights.learners.SatLearner`) chooses the network; the
    returned hypothesis is the network itself, evaluated on x.  If the block
    learner finds no psi (``found_`` False), the hypothesis is None.
    """

    def __init__(self, embedding: NaturalEmbedding, block_learner=None):
        self.embedding = embedding
        self.block_learner = BruteForceERM() if block_learner is None else block_learner

    def fit(self, blocks, X, y) -> "ExactNetworkLearner":
        self.block_learner.fit(blocks, np.asarray(y).round().astype(int))
        psi = getattr(self.block_learner, "psi_", None)
        self.network_ = None if psi is None else self.embedding.network(psi)
        return self

    def predict(self, blocks, X) -> np.ndarray:
        if self.network_ is None:
            raise RuntimeError("the block learner found no hypothesis")
        return self.network_(X)


@dataclass
class Run:
    status: str  # "accepted", "rejected", "greedy failed", "embedding failed"
    loss: float = float("nan")
    examples: int = 0
    details: dict = field(default_factory=dict)


@dataclass
class Refutation:
    answer: str  # "satisfiable" or "random"
    runs: list[Run]


class Refuter:
    """Refuter for random K-SAT built from a learner of random networks (see the module docstring).

    ``learner_factory(embedding)`` returns an object with ``fit(blocks, X, y)`` and
    ``predict(blocks, X)`` (real values).  ``chunk_size`` is the Lemma 13 chunk
    (default n; larger only for small demonstrations).
    """

    def __init__(self, K: int, M: int, law: WeightLaw, learner_factory=ExactNetworkLearner, runs: int = 3,
                 threshold: float = 1 / 8, holdout: float = 0.5, chunk_size: int | None = None):
        if runs < 1:
            raise ValueError(f"runs must be at least 1, got {runs}")
        if not 0 < threshold < 0.5:
            raise ValueError(f"threshold must lie in (0, 1/2), got {threshold}")
        self.K, self.M, self.law = K, M, law
        self.learner_factory = learner_factory
        self.runs = runs
        self.threshold = threshold
        self.holdout = holdout
        self.chunk_size = chunk_size

    def run_once(self, formula: Formula, rng: np.random.Generator) -> Run:
        formula = rerandomize(formula, random_assignment(formula.n, rng))
        outcome = greedy_disjoint_blocks(formula, self.M, self.chunk_size)
        if outcome.failed:
            return Run("greedy failed", details={"failed_chunks": outcome.failed_chunks.size})
        sample = labelled_sample(outcome.blocks, rng)
        try:
            emb = NaturalEmbedding(formula.n, self.K, self.M, self.law, rng)
        except EmbeddingError as err:
            return Run("embedding failed", details={"reason": str(err)})
        test, train = sample.split(self.holdout, rng)
        X_train, X_test = emb.encode(train.blocks), emb.encode(test.blocks)
        learner = self.learner_factory(emb).fit(train.blocks, X_train, train.labels.astype(float))
        if getattr(learner, "network_", True) is None:
            return Run("rejected", details={"reason": "the learner found no hypothesis", "width": emb.m})
        h = np.clip(learner.predict(test.blocks, X_test), 0.0, 1.0)
        loss = float(np.mean((h - test.labels) ** 2))
        status = "accepted" if loss <= self.threshold else "rejected"
        return Run(status, loss, len(sample), {"width": emb.m, "d": emb.d})

    def decide(self, formula: Formula, rng: np.random.Generator) -> Refutation:
        """Answer "satisfiable" iff some run accepts or the greedy step fails (DSS16 Lemma 13)."""
        runs = [self.run_once(formula, rng) for _ in range(self.runs)]
        sat = any(r.status in ("accepted", "greedy failed") for r in runs)
        return Refutation("satisfiable" if sat else "random", runs)
