r"""Input distributions for one network (claims C16 and C17 of the book's claims page).

* :func:`planted_mixture_sample` — the reduction's own distribution: blocks from a
  planted SAT_K formula (DSS16 Lemma 13's greedy disjoint selection, one block per
  chunk), then Lemma 15's mixture (each block replaced w.p. 1/2 by a uniform
  :math:`\neg T_{K,M}` block).  Under the naive planting law literals carry a
  degree-1 bias; under the quiet law they do not (C19).
"""

from __future__ import annotations

import numpy as np

from .ksat import check_assignment, planted_formula
from .reduction import Blocks, LabelledSample, greedy_blocks_per_chunk, labelled_sample

__all__ = ["planted_blocks", "planted_mixture_sample"]


def planted_blocks(
    n: int, K: int, M: int, count: int, psi, law, rng: np.random.Generator, chunk_factor: int = 3
) -> Blocks:
    r"""``count`` T_{K,M} blocks from planted formulas satisfied by ``psi``.

    Each block is the greedy output (Lemma 13) of a chunk of ``chunk_factor * n``
    constraints of a planted formula with planting law ``law`` (see
    :func:`natweights.ksat.planting_law`); chunks whose greedy count falls short of M
    are skipped and more constraints are drawn.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block.
    count : int
        Number of blocks.
    psi : array_like of ±1, length n
        The planted assignment.
    law : str or sequence of float
        The planting law.
    rng : numpy.random.Generator
        Source of randomness.
    chunk_factor : int, default 3
        Chunk length in units of n.

    Returns
    -------
    Blocks
        ``count`` blocks satisfied by ``psi``.
    """
    psi = check_assignment(psi, n)
    if int(count) != count or count < 1:
        raise ValueError(f"count must be a positive integer, got {count!r}")
    if int(chunk_factor) != chunk_factor or chunk_factor < 1:
        raise ValueError(f"chunk_factor must be a positive integer, got {chunk_factor!r}")
    size = int(chunk_factor) * n
    parts, have = [], 0
    for _ in range(100):
        chunks = max(8, int(1.2 * (count - have)) + 8)
        formula, _ = planted_formula(n, chunks * size, K, rng, psi=psi, true_count_law=law)
        blocks, _, _ = greedy_blocks_per_chunk(formula, M, size)
        if len(blocks):
            parts.append(blocks)
            have += len(blocks)
        if have >= count:
            break
    else:
        raise ValueError(
            f"chunks of {size} constraints rarely yield M = {M} disjoint clauses at n = {n}; increase chunk_factor"
        )
    return Blocks.concatenate(parts)[np.arange(count)]


def planted_mixture_sample(
    n: int, K: int, M: int, count: int, psi, law, rng: np.random.Generator, chunk_factor: int = 3
) -> LabelledSample:
    """Lemma 15's labelled sample built from :func:`planted_blocks`: label 1 for a kept planted
    block, 0 for a uniform ¬T_{K,M} replacement (the x-marginal is the reduction's input law).

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block.
    count : int
        Number of examples.
    psi : array_like of ±1, length n
        The planted assignment.
    law : str or sequence of float
        The planting law.
    rng : numpy.random.Generator
        Source of randomness.
    chunk_factor : int, default 3
        Chunk length in units of n.

    Returns
    -------
    LabelledSample
        The labelled sample.
    """
    return labelled_sample(planted_blocks(n, K, M, count, psi, law, rng, chunk_factor), rng)
