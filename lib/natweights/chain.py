r"""Sampling and exact laws along the reduction chain SAT_K -> T_{K,M} -> (T, ¬T) (DSS16 Lemmas 13, 15).

* :func:`planted_blocks` — uniform blocks among those a fixed :math:`\psi` satisfies
  (the T-constraints of a planted :math:`T_{K,M}` formula);
* :func:`greedy_kept_law` / :func:`greedy_kept_limit` — the exact law of the number
  of constraints the greedy step of Lemma 13 keeps from a chunk, and its
  fluid limit :math:`\kappa_K = (1 - (1 + K(K-1))^{-1/(K-1)})/K`
  (:math:`(1 - 7^{-1/2})/3 \approx 0.2073` at K = 3);
* :func:`chain_label_noise` — planted formulas through Lemma 13 and Lemma 15,
  counting the label-0 examples whose block :math:`\psi` nevertheless satisfies;
* :func:`planted_chain_sample` — a labelled sample of a given size from a planted
  formula through Lemma 13 (per chunk) and Lemma 15, for training learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

from .ksat import check_assignment, distinct_tuples, planted_formula
from .reduction import (
    Blocks,
    LabelledSample,
    block_satisfied,
    greedy_blocks_per_chunk,
    greedy_disjoint_blocks,
    labelled_sample,
)
from .validation import check_int, check_rng

__all__ = [
    "planted_blocks",
    "greedy_kept_law",
    "greedy_kept_mean",
    "greedy_kept_limit",
    "LabelNoiseCount",
    "chain_label_noise",
    "planted_chain_sample",
]


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def planted_blocks(psi, K: int, M: int, count: int, rng: np.random.Generator) -> Blocks:
    r"""``count`` independent blocks, each uniform among the blocks of :math:`X_{n,KM}` that ``psi`` satisfies.

    The variables are a uniform KM-tuple of distinct variables; given them, the
    literal values :math:`z = s \odot \psi_{v}` of a uniform block are uniform on
    :math:`\{\pm1\}^{KM}`, so conditioning on :math:`T_{K,M}(z) = 1` makes each
    clause's pattern uniform on the :math:`2^K - 1` patterns with a true literal,
    independently (drawn here by rejection per clause).  Signs
    :math:`s = z \odot \psi_v`.

    Parameters
    ----------
    psi : array_like of ±1, length n
        The planted assignment.
    K, M : int
        Literals per clause and clauses per block (KM <= n).
    count : int
        Number of blocks.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Blocks
        ``count`` blocks, each satisfied by ``psi``.
    """
    K, M = _positive_int("K", K), _positive_int("M", M)
    count = int(count)
    if count < 0:
        raise ValueError(f"count must be non-negative, got {count}")
    psi = check_assignment(psi)
    n = psi.size
    if K * M > n:
        raise ValueError(f"M*K = {M * K} exceeds n = {n}: a block needs K*M distinct variables")
    v = distinct_tuples(n, count, K * M, rng).reshape(count, M, K)
    z = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, M, K))
    bad = ~np.any(z == 1, axis=2)
    while np.any(bad):
        z[bad] = rng.choice(np.array([-1, 1], dtype=np.int8), size=(int(bad.sum()), K))
        bad = ~np.any(z == 1, axis=2)
    return Blocks(n, v, (z * psi[v]).astype(np.int8))


def greedy_kept_law(n: int, K: int, chunk: int | None = None) -> np.ndarray:
    r"""Exact law of the number of constraints the greedy step of Lemma 13 keeps from a chunk.

    With k constraints kept, :math:`s = Kk` variables are used and the next uniform
    constraint (K distinct variables) is kept w.p.
    :math:`a_k = \binom{n-Kk}{K} / \binom{n}{K}` (the avoidance probability), so the
    count is a Markov chain; the law after ``chunk`` constraints (default n) is
    computed exactly (in floating point).  Returns ``law[k] = P(kept = k)``.

    Parameters
    ----------
    n : int
        Number of variables.
    K : int
        Literals per constraint, K <= n.
    chunk : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    numpy.ndarray
        ``law[k]`` for k = 0..chunk.
    """
    n, K = _positive_int("n", n), _positive_int("K", K)
    if K > n:
        raise ValueError(f"K = {K} exceeds n = {n}")
    steps = n if chunk is None else _positive_int("chunk", chunk)
    top = n // K
    keep = np.array([comb(n - K * k, K) / comb(n, K) for k in range(top + 1)])
    law = np.zeros(top + 1)
    law[0] = 1.0
    for _ in range(steps):
        moved = law * keep
        law = law - moved
        law[1:] += moved[:-1]
    return law


def greedy_kept_mean(n: int, K: int, chunk: int | None = None) -> float:
    """Exact expected number of constraints kept from a chunk (mean of :func:`greedy_kept_law`).

    Parameters
    ----------
    n, K : int
        Variables and literals per constraint.
    chunk : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    float
        The expected count.
    """
    law = greedy_kept_law(n, K, chunk)
    return float(np.sum(np.arange(law.size) * law))  # elementwise + pairwise sum: no BLAS, same bits everywhere


def greedy_kept_limit(K: int, t: float = 1.0) -> float:
    r"""Fluid limit of (kept constraints)/n after a chunk of ``t n`` constraints.

    With :math:`\kappa = k/n`, the used fraction is :math:`K\kappa` and a fresh
    constraint is kept w.p. :math:`\approx (1 - K\kappa)^K`, so
    :math:`\kappa' = (1 - K\kappa)^K`, :math:`\kappa(0) = 0`, whose solution is
    :math:`\kappa(t) = \big(1 - (1 + K(K-1)t)^{-1/(K-1)}\big)/K` for K >= 2 and
    :math:`1 - e^{-t}` for K = 1.

    Parameters
    ----------
    K : int
        Literals per constraint, K >= 1.
    t : float, default 1
        Chunk length in units of n, t >= 0.

    Returns
    -------
    float
        :math:`\kappa(t)`.
    """
    K = _positive_int("K", K)
    if t < 0:
        raise ValueError(f"t must be non-negative, got {t}")
    if K == 1:
        return float(1 - np.exp(-t))
    return float((1 - (1 + K * (K - 1) * t) ** (-1 / (K - 1))) / K)


@dataclass(frozen=True)
class LabelNoiseCount:
    """Examples of planted chain samples: how many carry label 0 while the planted psi satisfies the block.

    Attributes
    ----------
    K, M : int
        Literals per clause and clauses per block.
    examples, label_zero, noisy : int
        Examples, those with label 0, and those with label 0 that :math:`h_\\psi` labels 1.
    formulas, failed_formulas : int
        Formulas drawn, and those whose greedy step failed.
    """

    K: int
    M: int
    examples: int
    label_zero: int
    noisy: int
    formulas: int
    failed_formulas: int

    @property
    def rate(self) -> float:
        return self.noisy / self.examples


def chain_label_noise(
    n: int, K: int, M: int, formulas: int, chunks: int, rng: np.random.Generator, chunk_size: int | None = None
) -> LabelNoiseCount:
    r"""Planted SAT_K formulas through Lemma 13 (greedy blocks) and Lemma 15 (labelled sample).

    Each of ``formulas`` formulas is planted (naive law) with its own uniform psi and
    has ``chunks`` chunks of ``chunk_size`` (default n) constraints.  Counts the
    examples, the label-0 examples, and the *noisy* ones: label 0 but
    :math:`h_\psi(x) = 1`.  A formula whose greedy step fails is skipped and
    counted in ``failed_formulas``.  Expected noisy fraction:
    :math:`\tfrac12 (1 - 2^{-K})^M`.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block.
    formulas : int
        Number of planted formulas.
    chunks : int
        Chunks per formula.
    rng : numpy.random.Generator
        Source of randomness.
    chunk_size : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    LabelNoiseCount
        The counts.
    """
    n, K, M = _positive_int("n", n), _positive_int("K", K), _positive_int("M", M)
    formulas, chunks = _positive_int("formulas", formulas), _positive_int("chunks", chunks)
    size = n if chunk_size is None else _positive_int("chunk_size", chunk_size)
    examples = label_zero = noisy = failed = 0
    for _ in range(formulas):
        formula, psi = planted_formula(n, size * chunks, K, rng)
        outcome = greedy_disjoint_blocks(formula, M, size)
        if outcome.failed:
            failed += 1
            continue
        sample = labelled_sample(outcome.blocks, rng)
        zero = sample.labels == 0
        examples += len(sample)
        label_zero += int(zero.sum())
        noisy += int(np.sum(zero & block_satisfied(psi, sample.blocks)))
    if examples == 0:
        raise ValueError("the greedy step failed on every formula: raise chunk_size or lower M")
    return LabelNoiseCount(K, M, examples, label_zero, noisy, formulas, failed)


def planted_chain_sample(
    n: int,
    K: int,
    M: int,
    size: int,
    rng: np.random.Generator,
    law: str | None = None,
    chunk_size: int | None = None,
) -> LabelledSample:
    r"""``size`` labelled examples from a planted formula through Lemma 13 (chunk by chunk) and Lemma 15.

    Draws one planted SAT_K formula of :math:`(\mathrm{size} + \lfloor \mathrm{size}/50 \rfloor + 5)`
    chunks (:func:`~natweights.ksat.planted_formula`, planting law ``law``), keeps
    the block of every chunk whose greedy step finds M disjoint constraints
    (:func:`~natweights.reduction.greedy_blocks_per_chunk`; the chunks where it
    fails are skipped, so this samples learners' training data, not a refuter's
    input), takes the first ``size`` blocks and labels them by Lemma 15
    (:func:`~natweights.reduction.labelled_sample`).

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block (:math:`KM \le n`).
    size : int
        Number of examples, positive.
    rng : numpy.random.Generator
        Draws the formula, its planted assignment and the labels.
    law : str or None
        Planting law (:func:`~natweights.ksat.planting_law`; None is the naive law).
    chunk_size : int or None
        Constraints per chunk (default n, as in Lemma 13).

    Returns
    -------
    natweights.reduction.LabelledSample
        ``size`` examples; label 1 on a planted block, 0 on a fresh uniform one.

    Raises
    ------
    ValueError
        When fewer than ``size`` chunks succeed (raise ``chunk_size``).
    """
    n = check_int("n", n, 1)
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    size = check_int("size", size, 1)
    check_rng(rng)
    chunk = n if chunk_size is None else check_int("chunk_size", chunk_size, 1)
    formula, _ = planted_formula(n, (size + size // 50 + 5) * chunk, K, rng, true_count_law=law)
    blocks, succeeded, _ = greedy_blocks_per_chunk(formula, M, chunk_size=chunk)
    if len(blocks) < size:
        raise ValueError(
            f"chunk_size: the greedy step found M = {M} disjoint constraints in only {len(blocks)} of "
            f"{succeeded.size} chunks of {chunk} constraints, fewer than size = {size}; use longer chunks"
        )
    return labelled_sample(blocks[np.arange(size)], rng)
