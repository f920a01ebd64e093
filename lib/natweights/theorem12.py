r"""Learners that probe the two versions of the distinguisher of DSS16 Theorem 12 (quoted from DLSS14).

Theorem 12's algorithm runs the learner with an example oracle drawing
uniformly from the sample S and tests the returned hypothesis on S; the
learner's guarantee is about that very distribution (uniform on S).  A
*held-out* variant trains on one half and tests on the other, a distribution
the learner's guarantee does not cover.

* :class:`UniformOracle` — a learner whose example oracle draws, with
  replacement, from the examples it is handed (the proof's oracle);
* :class:`MemorisingLearner` — a legal learner (it agrees with a base learner
  except on a set of blocks it never saw, and changes its answer there only
  when the Good–Turing estimate of the unseen mass is small) that answers
  *wrongly* on every block it never saw: it passes the proof's test and fails
  a held-out half of a realizable sample.
"""

from __future__ import annotations

import numpy as np

from .reduction import Blocks
from .stats import BoundViolation, IntervalCheck, check_probability_bound

__all__ = ["UniformOracle", "MemorisingLearner", "block_keys", "check_interval_beyond"]


def block_keys(blocks: Blocks) -> np.ndarray:
    """One hashable key per block (its signed literals), as a 1-d array of bytes objects."""
    lits = (blocks.signs.astype(np.int64) * (blocks.variables + 1)).reshape(len(blocks), -1)
    return np.array([row.tobytes() for row in lits], dtype=object)


class UniformOracle:
    """Fit ``learner`` on ``draws`` examples drawn uniformly with replacement from the examples given.

    Inside the held-out distinguisher this is the proof's oracle applied to the
    training half: the learner's guarantee is then about the uniform law on
    that half, and says nothing about the other half.
    """

    def __init__(self, learner, draws: int, rng: np.random.Generator):
        if isinstance(draws, bool) or int(draws) != draws or draws < 1:
            raise ValueError(f"draws must be a positive integer, got {draws!r}")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        self.learner = learner
        self.draws = int(draws)
        self.rng = rng

    def fit(self, blocks: Blocks, labels) -> UniformOracle:
        idx = self.rng.integers(0, len(blocks), size=self.draws)
        self.learner.fit(blocks[idx], np.asarray(labels)[idx])
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        return self.learner.predict(blocks)

    @property
    def found_(self):
        return getattr(self.learner, "found_", True)


class MemorisingLearner:
    r"""A base learner's hypothesis, flipped on every block absent from the training draws.

    After ``fit`` on N draws, let :math:`\hat U` = (number of blocks drawn exactly
    once)/N, the Good–Turing estimate of the probability mass of the blocks
    never drawn.  If :math:`\hat U \le` ``flip_below`` the hypothesis is the base
    hypothesis on drawn blocks and its negation elsewhere; otherwise it is the
    base hypothesis.  Its error therefore exceeds the base learner's by at most
    the unseen mass, and only when that mass is estimated to be small (the
    missing mass concentrates around :math:`\hat U`, McAllester & Schapire
    2000): with a small ``flip_below`` it learns whatever the base learner
    learns.  Yet on a block outside the training draws it is always wrong
    when the base hypothesis is right.
    """

    def __init__(self, base, flip_below: float = 0.05):
        if not 0 < flip_below < 1:
            raise ValueError(f"flip_below must lie in (0, 1), got {flip_below}")
        self.base = base
        self.flip_below = float(flip_below)

    def fit(self, blocks: Blocks, labels) -> MemorisingLearner:
        self.base.fit(blocks, labels)
        keys = block_keys(blocks)
        unique, counts = np.unique(keys, return_counts=True)
        self.seen_ = set(unique.tolist())
        self.unseen_mass_estimate_ = float(np.sum(counts == 1)) / len(keys)
        self.flips_ = self.unseen_mass_estimate_ <= self.flip_below
        return self

    def predict(self, blocks: Blocks) -> np.ndarray:
        out = np.asarray(self.base.predict(blocks)).astype(np.int8)
        if self.flips_:
            unseen = np.array([k not in self.seen_ for k in block_keys(blocks)], dtype=bool)
            out[unseen] = 1 - out[unseen]
        return out

    @property
    def found_(self):
        return getattr(self.base, "found_", True)


def check_interval_beyond(
    k: int, trials: int, bound: float, relation: str, *, label: str = "estimate", confidence: float = 0.99
) -> IntervalCheck:
    r"""Require the whole confidence interval for a probability to lie on the claimed side of ``bound``.

    With :math:`[\ell, u]` the Clopper–Pearson interval for :math:`p` from ``k``
    successes in ``trials`` trials, ``relation=">="`` requires :math:`\ell \ge b`
    (the data show :math:`p \ge b`) and ``relation="<="`` requires
    :math:`u \le b`.  This is stricter than
    :func:`natweights.stats.check_probability_bound`, which only asks that the
    interval *meets* the allowed side.

    Parameters
    ----------
    k, trials : int
        Successes and trials.
    bound : float
        The level :math:`b`.
    relation : {"<=", ">="}
        The side the whole interval must lie on.
    label : str
        Printed name of the estimate.
    confidence : float
        Confidence level of the interval.

    Returns
    -------
    IntervalCheck
        The check (which also holds in the weak sense).

    Raises
    ------
    ValueError
        If ``relation`` is not ``"<="`` or ``">="``.
    BoundViolation
        If part of the interval lies on the wrong side of ``bound``.
    """
    if relation not in ("<=", ">="):
        raise ValueError(f"relation must be '<=' or '>=', got {relation!r}")
    check = check_probability_bound(k, trials, bound, relation, label=label, confidence=confidence)
    inside = check.lo >= bound if relation == ">=" else check.hi <= bound
    if not inside:
        raise BoundViolation(f"{check}: the {int(confidence * 100)}% interval is not entirely {relation} {bound:.4g}")
    return check
