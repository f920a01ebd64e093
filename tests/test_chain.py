"""Unit tests of natweights.chain and natweights.theorem12."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from natweights.chain import chain_label_noise, greedy_kept_law, greedy_kept_limit, greedy_kept_mean, planted_blocks
from natweights.ksat import random_assignment
from natweights.learners import BruteForceERM
from natweights.reduction import Blocks, block_satisfied, random_blocks
from natweights.stats import chi_square_uniform
from natweights.theorem12 import MemorisingLearner, UniformOracle, block_keys


def test_planted_blocks_are_satisfied_and_patterns_uniform(rng):
    psi = random_assignment(30, rng)
    blocks = planted_blocks(psi, 3, 4, 20000, rng)
    assert np.all(block_satisfied(psi, blocks))
    z = blocks.literal_values(psi)  # N x M x K
    code = ((z > 0).astype(int) * np.array([1, 2, 4])).sum(axis=2).ravel()
    counts = np.bincount(code, minlength=8)
    assert counts[0] == 0
    assert chi_square_uniform(counts[1:]) > 1e-4  # the 7 satisfying patterns are equally likely


def test_planted_blocks_validation(rng):
    with pytest.raises(ValueError, match="M\\*K"):
        planted_blocks(np.ones(5, dtype=np.int8), 3, 2, 10, rng)
    with pytest.raises(ValueError, match="K"):
        planted_blocks(np.ones(5, dtype=np.int8), 0, 2, 10, rng)
    with pytest.raises(ValueError, match="count"):
        planted_blocks(np.ones(5, dtype=np.int8), 1, 2, -1, rng)


def _kept_by_enumeration(n, K):
    sets = list(itertools.combinations(range(n), K))
    law = np.zeros(n // K + 1)
    for seq in itertools.product(sets, repeat=n):
        used, kept = set(), 0
        for s in seq:
            if used.isdisjoint(s):
                used.update(s)
                kept += 1
        law[kept] += 1
    return law / len(sets) ** n


@pytest.mark.parametrize("n, K", [(4, 2), (5, 2), (4, 1)])
def test_greedy_kept_law_matches_enumeration(n, K):
    assert np.allclose(greedy_kept_law(n, K), _kept_by_enumeration(n, K), atol=1e-12)


def test_greedy_kept_mean_and_limit():
    assert abs(greedy_kept_law(50, 3).sum() - 1) < 1e-12
    assert abs(greedy_kept_limit(3) - (1 - 7**-0.5) / 3) < 1e-15
    assert abs(greedy_kept_limit(1) - (1 - np.exp(-1))) < 1e-15
    for n in (200, 2000):
        assert 0 < greedy_kept_mean(n, 3) / n - greedy_kept_limit(3) < 1 / n
    with pytest.raises(ValueError, match="n"):
        greedy_kept_law(0, 3)
    with pytest.raises(ValueError, match="t"):
        greedy_kept_limit(3, -1.0)


def test_chain_label_noise_counts(rng):
    noise = chain_label_noise(40, 3, 4, formulas=5, chunks=20, rng=rng)
    assert noise.examples == 100 and noise.noisy <= noise.label_zero <= noise.examples
    with pytest.raises(ValueError, match="formulas"):
        chain_label_noise(40, 3, 4, formulas=0, chunks=20, rng=rng)


def test_memorising_learner_flips_exactly_off_the_draws(rng):
    n, K, M = 10, 2, 2
    psi = random_assignment(n, rng)
    pool = random_blocks(n, K, M, 30, rng)
    labels = block_satisfied(psi, pool).astype(int)
    learner = UniformOracle(MemorisingLearner(BruteForceERM()), draws=3000, rng=rng).fit(pool, labels)
    inner = learner.learner
    assert inner.flips_ and inner.unseen_mass_estimate_ <= 0.05
    fresh = random_blocks(n, K, M, 200, rng)
    seen = np.array([k in inner.seen_ for k in block_keys(fresh)])
    base = inner.base.predict(fresh)
    out = learner.predict(fresh)
    assert np.array_equal(out[seen], base[seen]) and np.array_equal(out[~seen], 1 - base[~seen])
    # few draws: every block is drawn about once, the Good-Turing estimate is large, no flipping
    few = MemorisingLearner(BruteForceERM()).fit(pool, labels)
    assert not few.flips_ and np.array_equal(few.predict(fresh), few.base.predict(fresh))


def test_theorem12_validation(rng):
    with pytest.raises(ValueError, match="draws"):
        UniformOracle(BruteForceERM(), 0, rng)
    with pytest.raises(TypeError, match="rng"):
        UniformOracle(BruteForceERM(), 10, 1)
    with pytest.raises(ValueError, match="flip_below"):
        MemorisingLearner(BruteForceERM(), flip_below=1.5)
    assert len(set(block_keys(Blocks(4, np.array([[[0, 1]], [[0, 1]]]), np.array([[[1, -1]], [[1, 1]]]))))) == 2


def test_planted_chain_sample():
    from natweights.chain import planted_chain_sample
    from natweights.ksat import planted_formula
    from natweights.reduction import greedy_blocks_per_chunk, labelled_sample

    rng = np.random.default_rng(5)
    s = planted_chain_sample(20, 3, 3, 300, rng, law="quiet", chunk_size=240)
    assert len(s) == 300 and s.blocks.M == 3 and s.blocks.K == 3 and s.blocks.n == 20
    # disjoint clauses inside every block, and about half the labels are 1 (Lemma 15)
    assert all(len(set(v.ravel())) == 9 for v in s.blocks.variables)
    assert 100 < int(s.labels.sum()) < 200
    # the same draws as the steps written out
    rng = np.random.default_rng(5)
    formula, psi = planted_formula(20, (300 + 6 + 5) * 240, 3, rng, true_count_law="quiet")
    blocks, _, _ = greedy_blocks_per_chunk(formula, 3, chunk_size=240)
    ref = labelled_sample(blocks[np.arange(300)], rng)
    assert np.array_equal(s.blocks.variables, ref.blocks.variables) and np.array_equal(s.labels, ref.labels)
    # every positive block is satisfied by the planted psi
    assert np.all(block_satisfied(psi, s.blocks[np.flatnonzero(s.labels == 1)]))
    with pytest.raises(ValueError, match="chunk_size"):
        planted_chain_sample(12, 3, 4, 50, np.random.default_rng(0), chunk_size=4)
