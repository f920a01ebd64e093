r"""Routing failures of the natural-weight embedding (C11), counted on real draws.

With :math:`p = P(u_j \le -\tau)` and, by symmetry, :math:`P(u_j \ge \tau) = p`,
the counts of negative-routable and positive-routable neurons are the
first two cells of a Multinomial(m; p, p, 1 - 2p).  The routing of
:class:`~natweights.embedding.NaturalEmbedding` fails

* when :math:`b_0 = 1` (Rademacher biases, half the time): if fewer than M neurons have :math:`u_j \le -\tau`;
* when :math:`b_0 > 1`: if fewer than M + 1 do (the constant neuron must be negative);
* when :math:`b_0 < 1`: if fewer than M do, or no neuron has :math:`u_j \ge \tau`.

Exactly, with :math:`B \sim \mathrm{Bin}(m, p)`:
:math:`P(B \le M-1)`, :math:`P(B \le M)` and
:math:`P(B \le M-1) + (1-p)^m\,P(\mathrm{Bin}(m, p/(1-p)) \ge M)`; each is at most
:math:`P(B \le M) + (1-p)^m`, the bound :func:`~natweights.embedding.default_width` sizes m by.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from .embedding import EmbeddingError, NaturalEmbedding, routing_probability
from .weights import LAWS, WeightLaw

__all__ = [
    "BRANCHES",
    "b0_branch",
    "b0_branch_probabilities",
    "routing_failure_probability",
    "routing_failure_bound",
    "expected_routing_failure",
    "EmbeddingDraws",
    "draw_embeddings",
    "routing_failure_task",
    "routable_count_chi_square",
]

#: Probabilities below this are treated as no atom (round-off of a continuous CDF near 1).
ATOM_FLOOR = 1e-12

#: The three cases of the output bias, in the order used everywhere below.
BRANCHES = ("b0 = 1", "b0 < 1", "b0 > 1")


def b0_branch(b0: float) -> str:
    """The case of the output bias: ``"b0 = 1"``, ``"b0 < 1"`` or ``"b0 > 1"``."""
    b0 = float(b0)
    return BRANCHES[0] if b0 == 1.0 else (BRANCHES[1] if b0 < 1 else BRANCHES[2])


def b0_branch_probabilities(law: WeightLaw) -> dict:
    r"""Probabilities of the three cases for :math:`b_0` drawn from ``law``'s entry law.

    :math:`P(b_0 = 1) = F(1) - F(1^-)`, with the left limit read at the float just below 1.
    For a continuous law this difference is round-off, not an atom: any value below
    :data:`ATOM_FLOOR` is set to 0 (and its mass given to :math:`b_0 < 1`), so a case
    with probability 0 is reported as exactly 0.
    """
    below_one = float(law.entry_cdf(np.nextafter(1.0, 0.0)))
    up_to_one = float(law.entry_cdf(1.0))
    atom = up_to_one - below_one
    if atom < ATOM_FLOOR:
        atom, below_one = 0.0, up_to_one
    above_one = 1.0 - up_to_one
    if above_one < ATOM_FLOOR:
        above_one = 0.0
    return {BRANCHES[0]: atom, BRANCHES[1]: below_one, BRANCHES[2]: above_one}


def _check_sizes(m, M, p):
    for name, v in (("m", m), ("M", M)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must be an int, got {v!r}")
    if M < 1 or m < M:
        raise ValueError(f"need 1 <= M <= m, got M = {M}, m = {m}")
    if not 0 < p <= 0.5:
        raise ValueError(f"routing probability p must lie in (0, 1/2] (a symmetric law), got {p}")


def routing_failure_probability(m: int, M: int, p: float, branch: str) -> float:
    r"""Exact P(routing fails) for width m, M clauses, routing probability p, given the case of :math:`b_0`.

    Parameters
    ----------
    m, M : int
        Hidden width and clauses per block.
    p : float
        :math:`P(u_j \le -\tau) = P(u_j \ge \tau)` (symmetric law), in (0, 1/2].
    branch : str
        One of :data:`BRANCHES`.
    """
    _check_sizes(m, M, p)
    if branch == BRANCHES[0]:
        return float(_st.binom.cdf(M - 1, m, p))
    if branch == BRANCHES[2]:
        return float(_st.binom.cdf(M, m, p))
    if branch == BRANCHES[1]:
        # {B <= M-1} or {no u_j >= tau and B >= M}; given no u_j >= tau, B ~ Bin(m, p/(1-p))
        return float(_st.binom.cdf(M - 1, m, p) + (1 - p) ** m * _st.binom.sf(M - 1, m, p / (1 - p)))
    raise ValueError(f"branch must be one of {BRANCHES}, got {branch!r}")


def routing_failure_bound(m: int, M: int, p: float) -> float:
    r""":math:`P(\mathrm{Bin}(m,p) \le M) + (1-p)^m`, at least the failure probability of every case of :math:`b_0`."""
    _check_sizes(m, M, p)
    return float(_st.binom.cdf(M, m, p) + (1 - p) ** m)


@dataclass
class EmbeddingDraws:
    """Outcome of ``draws`` independent :class:`NaturalEmbedding` constructions.

    ``branch[i]`` is the case of :math:`b_0` of draw i, ``failed[i]`` whether it raised
    :class:`EmbeddingError`, ``reason[i]`` "routing", "conditioning" or "" (no error).
    """

    m: int
    r: int
    branch: np.ndarray
    failed: np.ndarray
    reason: np.ndarray

    def counts(self, branch: str | None = None, reason: str | None = None) -> tuple[int, int]:
        """(EmbeddingErrors, draws), over all draws or over one case of :math:`b_0`.

        With ``reason`` ("routing" or "conditioning") only errors of that kind are counted.
        The routing is checked before the groups' rank, so the routing errors over all
        draws estimate the routing-failure probability exactly.
        """
        if reason not in (None, "routing", "conditioning"):
            raise ValueError(f"reason must be None, 'routing' or 'conditioning', got {reason!r}")
        keep = np.ones(len(self.failed), bool) if branch is None else self.branch == branch
        hit = self.failed if reason is None else self.reason == reason
        return int(hit[keep].sum()), int(keep.sum())


def draw_embeddings(
    n: int, K: int, M: int, law: WeightLaw, m: int, draws: int, rng: np.random.Generator, r: int | None = None
) -> EmbeddingDraws:
    r"""Construct ``draws`` embeddings of width m and record which raise :class:`EmbeddingError`.

    Each draw uses its own generator seeded from ``rng``.  When a construction
    raises, the same seed replays ``law.sample_parameters`` (the first draw the
    constructor makes) to read the :math:`b_0` of the failed public part; the
    failure itself is the constructor's.
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive int, got {draws!r}")
    r_ = 2 * m if r is None else int(r)
    branch, failed, reason = [], [], []
    for seed in rng.integers(0, 2**63 - 1, size=draws):
        try:
            emb = NaturalEmbedding(n, K, M, law, np.random.default_rng(seed), m=m, r=r_)
        except EmbeddingError as err:
            b0 = law.sample_parameters((n + 1) * r_, m, np.random.default_rng(seed))[3]
            branch.append(b0_branch(b0))
            failed.append(True)
            reason.append("conditioning" if str(err).startswith("group") else "routing")
        else:
            branch.append(b0_branch(emb.b0))
            failed.append(False)
            reason.append("")
    return EmbeddingDraws(int(m), r_, np.array(branch), np.array(failed), np.array(reason))


def _branch_column(branch: str) -> str:
    return {BRANCHES[0]: "eq1", BRANCHES[1]: "lt1", BRANCHES[2]: "gt1"}[branch]


def routing_failure_task(
    rng: np.random.Generator, law: str, width: int, draws: int, block: int = 0, n: int = 8, K: int = 2, M: int = 4
) -> dict:
    """Sweep task over :func:`draw_embeddings` for the weight law named ``law`` (a key of
    :data:`natweights.weights.LAWS`, default parameters) at width ``width``.

    ``block`` numbers independent repeats.  Returns the counts as scalars: ``routing_errors``,
    ``rank_errors``, ``total``, and per case of :math:`b_0` (``eq1``, ``lt1``, ``gt1``)
    ``routing_<case>`` (routing errors) and ``draws_<case>`` (draws).
    """
    if law not in LAWS:
        raise ValueError(f"law must be one of {sorted(LAWS)}, got {law!r}")
    if isinstance(block, bool) or not isinstance(block, (int, np.integer)) or block < 0:
        raise ValueError(f"block must be a non-negative int, got {block!r}")
    out = draw_embeddings(n, K, M, LAWS[law](), width, draws, rng)
    routing, total = out.counts(reason="routing")
    result = {"routing_errors": routing, "rank_errors": out.counts(reason="conditioning")[0], "total": total}
    for branch in BRANCHES:
        k, N = out.counts(branch, reason="routing")
        result[f"routing_{_branch_column(branch)}"] = k
        result[f"draws_{_branch_column(branch)}"] = N
    return result


def expected_routing_failure(law: WeightLaw, m: int, M: int) -> float:
    r"""P(routing fails) for width m averaged over the cases of :math:`b_0` drawn from ``law``."""
    p = routing_probability(law)
    return float(
        sum(w * routing_failure_probability(m, M, p, br) for br, w in b0_branch_probabilities(law).items() if w > 0)
    )


def routable_count_chi_square(counts, m: int, p: float) -> float:
    r"""Chi-square p-value of observed routable counts against :math:`\mathrm{Bin}(m, p)`.

    Cells :math:`k = 0..m` with expected count :math:`N\binom mk p^k(1-p)^{m-k} \ge 5` are
    kept; the others are pooled into one cell (the usual validity rule of the test).

    Parameters
    ----------
    counts : array of int
        One count in 0..m per draw (e.g. the number of neurons with :math:`u_j \le -\tau`).
    m : int
        Number of trials (the width).
    p : float
        Success probability in (0, 1).
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m must be a positive int, got {m!r}")
    if not 0 < p < 1:
        raise ValueError(f"p must lie in (0, 1), got {p}")
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size < 1 or np.any(counts < 0) or np.any(counts > m):
        raise ValueError(f"counts must be a non-empty 1-d array of integers in 0..{m}")
    observed = np.bincount(counts.astype(int), minlength=m + 1)
    expected = _st.binom.pmf(np.arange(m + 1), m, p) * counts.size
    keep = expected >= 5
    pooled_obs = np.r_[observed[keep], observed[~keep].sum()]
    pooled_exp = np.r_[expected[keep], expected[~keep].sum()]
    if not keep.all():
        return float(_st.chisquare(pooled_obs, pooled_exp).pvalue)
    return float(_st.chisquare(observed, expected).pvalue)
