import numpy as np
import pytest

from natweights.ksat import Formula, planted_formula, random_assignment, random_formula
from natweights.reduction import (
    Blocks,
    block_satisfied,
    expected_label_noise,
    formula_to_sample,
    greedy_disjoint_blocks,
    greedy_disjoint_counts,
    labelled_sample,
    random_blocks,
    realizable_by,
    realizable_sample,
    scattered_sample,
    signed_incidence,
)
from natweights.stats import check_probability_bound, chi_square_uniform


def test_greedy_blocks_disjoint_and_from_chunks(rng):
    n, K, M = 40, 3, 5
    f = random_formula(n, 10 * n, K, rng)
    out = greedy_disjoint_blocks(f, M)
    assert not out.failed and len(out.blocks) == 10
    # each block's clauses are constraints of its own chunk, in order, pairwise disjoint
    for c in range(10):
        chunk = {
            tuple(v) + tuple(s)
            for v, s in zip(
                f.variables[c * n : (c + 1) * n].tolist(), f.signs[c * n : (c + 1) * n].tolist(), strict=True
            )
        }
        for t in range(M):
            assert tuple(out.blocks.variables[c, t]) + tuple(out.blocks.signs[c, t]) in chunk
        assert len(set(out.blocks.variables[c].ravel())) == K * M


def test_greedy_matches_sequential_definition(rng):
    f = random_formula(30, 90, 3, rng)
    keep, counts = greedy_disjoint_counts(f)
    for c in range(3):
        used, kept = set(), []
        for r in range(30):
            vs = set(f.variables[c * 30 + r].tolist())
            kept.append(not (vs & used))
            if kept[-1]:
                used |= vs
        assert keep[c].tolist() == kept


def test_greedy_failure_path(rng):
    # all constraints on the same 3 variables: a chunk yields only one disjoint constraint
    n = 12
    f = Formula(n, np.tile([0, 1, 2], (2 * n, 1)), np.ones((2 * n, 3)))
    out = greedy_disjoint_blocks(f, 2)
    assert out.failed and out.blocks is None and out.failed_chunks.tolist() == [0, 1]
    assert formula_to_sample(f, 2, rng) is None


def test_satisfiable_stays_satisfiable(rng):
    for _ in range(20):
        f, psi = planted_formula(30, 300, 3, rng)
        out = greedy_disjoint_blocks(f, 4)
        if not out.failed:
            assert np.all(block_satisfied(psi, out.blocks))


def test_random_input_gives_uniform_blocks(rng):
    """On a random formula, the blocks are uniform T_{K,M} constraints: variables and signs uniform."""
    n, K, M = 20, 2, 3
    f = random_formula(n, 4000 * n, K, rng)
    out = greedy_disjoint_blocks(f, M)
    assert not out.failed
    for t in range(M):
        assert chi_square_uniform(np.bincount(out.blocks.variables[:, t, 0], minlength=n)) > 1e-3
        assert chi_square_uniform(np.bincount((out.blocks.signs[:, t, 1] > 0).astype(int), minlength=2)) > 1e-3


def test_invalid_parameters(rng):
    f = random_formula(10, 40, 3, rng)
    with pytest.raises(ValueError, match="M\\*K = 12 exceeds n = 10"):
        greedy_disjoint_blocks(f, 4)
    with pytest.raises(ValueError, match="M\\*K = 12 exceeds n = 10"):
        random_blocks(10, 3, 4, 5, rng)
    with pytest.raises(ValueError, match="distinct"):
        Blocks(6, np.array([[[0, 1], [1, 2]]]), np.ones((1, 2, 2)))
    with pytest.raises(ValueError, match="signs must be"):
        Blocks(6, np.array([[[0, 1], [3, 2]]]), np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="fewer than one chunk"):
        greedy_disjoint_blocks(random_formula(10, 5, 2, rng), 2)


def test_lemma15_labels_and_noise(rng):
    n, K, M, N = 30, 3, 4, 40000
    psi = random_assignment(n, rng)
    f, _ = planted_formula(n, 1, K, rng, psi=psi)
    blocks = random_blocks(n, K, M, N, rng)
    sat = block_satisfied(psi, blocks)
    planted = blocks[np.flatnonzero(sat)]
    sample = labelled_sample(planted, rng)
    check_probability_bound(int(sample.labels.sum()), len(sample), 0.5, "==", label="P(label 1)")
    wrong = int(np.sum(~realizable_by(psi, sample)))
    check_probability_bound(wrong, len(sample), expected_label_noise(K, M), "==", label="noise rate")
    # every label-1 block is one of the planted blocks and is satisfied
    assert np.all(block_satisfied(psi, sample.blocks[np.flatnonzero(sample.labels == 1)]))


def test_random_blocks_give_fair_labels(rng):
    """Random T blocks through Lemma 15: the label is a fair coin independent of the block."""
    blocks = random_blocks(20, 3, 3, 20000, rng)
    s = labelled_sample(blocks, rng)
    psi = random_assignment(20, rng)
    sat = block_satisfied(psi, s.blocks)
    for value in (0, 1):
        k = int(np.sum(s.labels[sat == value]))
        check_probability_bound(k, int(np.sum(sat == value)), 0.5, "==", label=f"P(label 1 | h={value})")


def test_signed_incidence(rng):
    b = random_blocks(15, 3, 2, 50, rng)
    e = signed_incidence(b)
    psi = random_assignment(15, rng)
    assert np.array_equal(e @ psi, b.literal_values(psi).sum(axis=2))


def test_sample_split(rng):
    b = random_blocks(15, 3, 2, 50, rng)
    s = labelled_sample(b, rng)
    a, c = s.split(0.3, rng)
    assert len(a) == 15 and len(c) == 35
    with pytest.raises(ValueError, match="fraction"):
        s.split(1.0, rng)


def test_realizable_sample_is_fitted_by_its_assignment(rng):
    """Every example of a realizable sample is labelled by h_psi; a given psi is used as is."""
    psi = random_assignment(20, rng)
    sample = realizable_sample(20, 3, 4, 500, rng, psi=psi)
    assert len(sample) == 500 and sample.blocks.K == 3 and sample.blocks.M == 4
    assert np.all(realizable_by(psi, sample))
    # both labels occur: (1 - 2^-3)^4 = 0.586 of the blocks are satisfied
    assert 0 < sample.labels.sum() < 500
    # without psi: a uniform psi is drawn first, from the same generator
    a = realizable_sample(20, 3, 4, 50, np.random.default_rng(7))
    g = np.random.default_rng(7)
    psi7 = random_assignment(20, g)
    assert np.all(realizable_by(psi7, a))
    assert np.array_equal(a.blocks.variables, random_blocks(20, 3, 4, 50, g).variables)


def test_realizable_sample_rejects_bad_arguments(rng):
    with pytest.raises(ValueError, match="n"):
        realizable_sample(0, 3, 4, 10, rng)
    with pytest.raises(ValueError, match="exceeds n"):
        realizable_sample(10, 3, 4, 10, rng)
    with pytest.raises(ValueError):
        realizable_sample(20, 3, 4, 10, rng, psi=np.ones(19))
    with pytest.raises(TypeError):
        scattered_sample(20, 3, 4, 10, rng=42)


def test_scattered_sample_has_fair_coin_labels_independent_of_blocks(rng):
    """DSS16 Example 1: labels are fair coins, so a fixed h_psi errs on about half the sample."""
    size = 20000
    sample = scattered_sample(20, 3, 2, size, rng)
    check_probability_bound(int(sample.labels.sum()), size, 0.5, "==")
    psi = random_assignment(20, rng)
    check_probability_bound(int(np.sum(~realizable_by(psi, sample))), size, 0.5, "==")
    # a realizable sample of the same size would be fitted exactly: the check can tell them apart
    assert np.all(realizable_by(psi, realizable_sample(20, 3, 2, 100, rng, psi=psi)))
    assert not np.all(realizable_by(psi, scattered_sample(20, 3, 2, 100, rng)))
