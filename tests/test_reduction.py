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


def _blocks(n, rows):
    """Blocks from rows of M clauses given as lists of signed 1-based literals."""
    lits = np.array(rows)
    return Blocks(n, np.abs(lits) - 1, np.sign(lits))


def test_blocks_validation_messages():
    with pytest.raises(ValueError, match=r"^variables and signs must be N x M x K arrays of one shape"):
        Blocks(4, [[0, 1]], [[1, 1]])
    with pytest.raises(ValueError, match=r"^blocks need M >= 1 clauses of K >= 1 literals, got M = 0, K = 3"):
        Blocks(4, np.zeros((1, 0, 3), dtype=int), np.ones((1, 0, 3), dtype=int))
    with pytest.raises(ValueError, match=r"^variables must lie in \[0, n\) with n = 4"):
        Blocks(4, [[[-1, 1]]], [[[1, 1]]])
    with pytest.raises(ValueError, match=r"^variables must lie in \[0, n\) with n = 4"):
        Blocks(4, [[[0, 4]]], [[[1, 1]]])
    assert Blocks(4, [[[0, 3]]], [[[1, 1]]]).variables.tolist() == [[[0, 3]]]
    with pytest.raises(ValueError, match=r"\(block 1 repeats one\)"):
        Blocks(4, [[[0, 1]], [[2, 2]]], [[[1, 1]], [[1, 1]]])
    with pytest.raises(TypeError, match=r"^blocks must be a natweights.reduction.Blocks, got str"):
        block_satisfied(np.ones(4), "blocks")
    with pytest.raises(TypeError, match=r"^sample must be a LabelledSample, got int"):
        realizable_by(np.ones(4), 3)


def test_blocks_fields_indexing_and_concatenation():
    b = _blocks(np.float64(6.0), [[[1, -2], [3, 4]], [[-5, 6], [1, 2]], [[2, 3], [4, 5]]])
    assert type(b.n) is int and b.n == 6
    one = b[1]
    assert isinstance(one, Blocks) and len(one) == 1
    assert one.variables.tolist() == [[[4, 5], [0, 1]]] and one.signs.tolist() == [[[-1, 1], [1, 1]]]
    psi = np.array([1, 1, -1, -1, 1, -1])
    z = b.literal_values(psi)
    assert z.dtype == np.int8 and z[0].tolist() == [[1, -1], [-1, -1]]
    alone = Blocks.concatenate([b])
    assert alone.n == 6 and np.array_equal(alone.variables, b.variables)
    both = Blocks.concatenate([b[[0]], b[1:]])
    assert both.n == 6 and np.array_equal(both.variables, b.variables) and np.array_equal(both.signs, b.signs)
    with pytest.raises(ValueError, match=r"^parts must hold at least one Blocks: nothing to concatenate"):
        Blocks.concatenate([])
    with pytest.raises(TypeError, match=r"^parts must be a natweights.reduction.Blocks, got int"):
        Blocks.concatenate([b, 3])
    with pytest.raises(ValueError, match=r"^blocks to concatenate must share n, M and K$"):
        Blocks.concatenate([b, Blocks(7, b.variables, b.signs)])


def test_signed_incidence_exact_and_memory(memory_limit):
    from natweights.validation import MemoryRequestError

    b = _blocks(8, [[[1, -2], [3, 4]], [[-5, 6], [7, 8]], [[2, 3], [-4, -8]]])
    memory_limit(3 * 2 * 8)
    e = signed_incidence(b)
    assert e.dtype == np.int8 and e.shape == (3, 2, 8)
    assert e[2, 1].tolist() == [0, 0, 0, -1, 0, 0, 0, -1]
    memory_limit(3 * 2 * 8 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the signed incidence of 3 blocks \(N x M x n = 3 x 2 x 8 bytes\)"):
        signed_incidence(b)


def test_random_blocks_and_label_noise_domains(rng):
    with pytest.raises(ValueError, match=r"^n must be positive, got 0"):
        random_blocks(0, 1, 1, 1, rng)
    assert random_blocks(1, 1, 1, 2, rng).variables.tolist() == [[[0]], [[0]]]
    assert len(random_blocks(5, 2, 2, 0, rng)) == 0
    with pytest.raises(ValueError, match=r"^count must be non-negative, got -1"):
        random_blocks(5, 2, 2, -1, rng)
    assert expected_label_noise(1, 3) == 0.5 * 0.5**3
    with pytest.raises(ValueError, match=r"^K must be positive, got 0"):
        expected_label_noise(0, 3)


def test_scan_memory_and_fresh_versus_kept(memory_limit):
    """Constraint 2 overlaps only constraint 1, which the greedy step drops: kept but not fresh."""
    from natweights.reduction import fresh_indicators
    from natweights.validation import MemoryRequestError

    f = Formula(10, [[0, 1], [1, 2], [2, 3], [5, 6], [7, 8]] * 4, [[1, 1]] * 20)
    keep, counts = greedy_disjoint_counts(f, 5)
    assert keep[0].tolist() == [True, False, True, True, True] and counts.tolist() == [4, 4, 4, 4]
    assert fresh_indicators(f, 5)[0].tolist() == [True, False, False, True, True]
    memory_limit(4 * (10 + 5))
    greedy_disjoint_counts(f, 5)
    memory_limit(4 * (10 + 5) - 1)
    with pytest.raises(MemoryRequestError, match=r"^the greedy scan of 4 chunks over n = 10 variables"):
        greedy_disjoint_counts(f, 5)


def test_greedy_blocks_boundaries_and_order():
    """M*K = n and m = one chunk are allowed; a block holds the first M kept constraints in chunk order."""
    f = Formula(6, [[0, 1, 2], [2, 3, 4], [3, 4, 5], [0, 4, 5], [1, 2, 3], [1, 3, 5]], [[1, -1, 1]] * 6)
    out = greedy_disjoint_blocks(f, 2)
    assert not out.failed and out.M == 2 and out.kept_per_chunk.tolist() == [2]
    assert out.blocks.variables.tolist() == [[[0, 1, 2], [3, 4, 5]]]
    with pytest.raises(ValueError, match=r"^the formula has m = 6 constraints, fewer than one chunk of 7"):
        greedy_disjoint_blocks(f, 1, chunk_size=7)
    # chunk_size 3: chunk {0,1,2} keeps 0 and 2, chunk {3,4,5} keeps 3 and 4
    out = greedy_disjoint_blocks(f, 2, chunk_size=3)
    assert not out.failed and out.kept_per_chunk.tolist() == [2, 2]
    assert out.blocks.variables.tolist() == [[[0, 1, 2], [3, 4, 5]], [[0, 4, 5], [1, 2, 3]]]
    # chunk_size 2: every chunk keeps one constraint only
    out = greedy_disjoint_blocks(f, 2, chunk_size=2)
    assert out.failed and out.kept_per_chunk.tolist() == [1, 1, 1] and out.failed_chunks.tolist() == [0, 1, 2]
    # a long chunk: the first 12 kept constraints, in order (positions of kept constraints are not sorted runs)
    rng = np.random.default_rng(8)
    g = random_formula(80, 160, 2, rng)
    keep, _ = greedy_disjoint_counts(g)
    blocks = greedy_disjoint_blocks(g, 12).blocks
    for c in range(2):
        first = np.flatnonzero(keep[c])[:12] + 80 * c
        assert np.array_equal(blocks.variables[c], g.variables[first])


def test_formula_to_sample_uses_chunk_size(rng):
    f = random_formula(30, 90, 3, rng)
    seed = 11
    sample = formula_to_sample(f, 2, np.random.default_rng(seed), chunk_size=15)
    expected = labelled_sample(greedy_disjoint_blocks(f, 2, 15).blocks, np.random.default_rng(seed))
    assert len(sample) == 6
    assert np.array_equal(sample.blocks.variables, expected.blocks.variables)
    assert np.array_equal(sample.labels, expected.labels) and sample.labels.dtype == np.int8
    assert formula_to_sample(f, 10, rng) is None


def test_split_message(rng):
    s = labelled_sample(random_blocks(10, 2, 2, 3, rng), rng)
    with pytest.raises(ValueError, match=r"leaves one part empty; a split needs at least one example on each side$"):
        s.split(0.1, rng)


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


def test_realizable_and_scattered_samples_exact_draws():
    """Both samplers consume the generator in their documented order: psi, blocks (realizable); blocks, labels."""
    g = np.random.default_rng(12)
    blocks = random_blocks(8, 2, 2, 30, g)
    labels = g.integers(0, 2, 30)
    s = scattered_sample(8, 2, 2, 30, np.random.default_rng(12))
    assert np.array_equal(s.blocks.variables, blocks.variables) and np.array_equal(s.labels, labels)
    assert s.labels.dtype == np.int8 and 0 < s.labels.sum() < 30
    psi = np.array([1, -1, 1, 1, -1, -1, 1, -1])
    r = realizable_sample(8, 2, 2, 30, np.random.default_rng(12), psi=psi)
    assert np.array_equal(r.blocks.variables, blocks.variables)
    assert r.labels.dtype == np.int8 and np.array_equal(r.labels, block_satisfied(psi, blocks).astype(np.int8))
    one = realizable_sample(1, 1, 1, 4, np.random.default_rng(1))
    assert one.blocks.variables.tolist() == [[[0]]] * 4
    with pytest.raises(ValueError, match=r"^n must be positive, got 0"):
        realizable_sample(0, 1, 1, 4, np.random.default_rng(1))
    g = np.random.default_rng(1)
    with pytest.raises(ValueError, match=r"^psi must have length n = 8, got 7"):
        realizable_sample(8, 2, 2, 4, g, psi=psi[:7])
    assert g.random() == np.random.default_rng(1).random()  # refused before any block is drawn
    assert len(scattered_sample(8, 2, 2, 0, np.random.default_rng(1))) == 0


def _chunk_scan(variables, n, n_prime):
    """Per chunk of n constraints (plain Python): fresh constraints among the first n_prime, greedy kept count."""
    fresh, kept = [], []
    for c in range(len(variables) // n):
        seen, used, f, k = set(), set(), 0, 0
        for r, v in enumerate(variables[c * n : (c + 1) * n].tolist()):
            if r < n_prime and not seen & set(v):
                f += 1
            if not used & set(v):
                used |= set(v)
                k += 1
            seen |= set(v)
        fresh.append(f)
        kept.append(k)
    return np.array(fresh), np.array(kept)


def test_lemma13_chunks_exact():
    """n = 8, K = 1: n' = 4, the event is 'at most 4 * 2^-2 = 1 fresh constraint' (all four draws equal),
    M = floor(8 / ln 8) = 3; every count recomputed from the same formula."""
    from natweights.reduction import lemma13_chunks, lemma13_failure_task

    out = lemma13_chunks(np.random.default_rng(21), 8, 3000, K=1)
    f = random_formula(8, 8 * 3000, 1, np.random.default_rng(21))
    fresh, kept = _chunk_scan(f.variables, 8, 4)
    assert (out.n, out.K, out.n_prime, out.M) == (8, 1, 4, 3)
    assert out.event == int(np.sum(fresh <= 1)) and out.event > 0
    assert out.fail == int(np.sum(kept < 3)) and out.fail > 0
    assert np.array_equal(out.counts, kept)
    task = lemma13_failure_task(np.random.default_rng(21), 8, 3000, block=4, K=1)
    assert task == {
        "n_prime": 4,
        "M": 3,
        "event": out.event,
        "fail": out.fail,
        "kept_sum": int(kept.sum()),
        "kept_sumsq": int((kept**2).sum()),
    }
    # defaults: K = 3 (n' = 40 // 6 = 6, M = floor(40 / ln 40) = 10), block 0
    out = lemma13_chunks(np.random.default_rng(2), 40, 30)
    f = random_formula(40, 1200, 3, np.random.default_rng(2))
    fresh, kept = _chunk_scan(f.variables, 40, 6)
    assert (out.K, out.n_prime, out.M, out.event) == (3, 6, 10, int(np.sum(fresh <= 6 / 16)))
    assert np.array_equal(out.counts, kept) and out.fail == int(np.sum(kept < 10))
    task = lemma13_failure_task(np.random.default_rng(2), 40, 30)
    assert (task["n_prime"], task["M"], task["fail"], task["kept_sum"]) == (6, 10, out.fail, int(kept.sum()))


def test_lemma13_domains():
    from natweights.reduction import lemma13_chunks, lemma13_failure_task

    g = np.random.default_rng(0)
    assert lemma13_chunks(g, 2, 1, K=1).counts.shape == (1,)
    assert lemma13_chunks(g, 2, 1, K=2).counts.tolist() == [1]
    for args, kw, pattern in (
        ((1, 1), {}, r"^n must be at least 2, got 1"),
        ((4, 0), {}, r"^chunks must be positive, got 0"),
        ((4, 1), {"K": 0}, r"^K must be positive, got 0"),
        ((4, 1), {"K": 5}, r"^K must be at most 4, got 5"),
    ):
        with pytest.raises(ValueError, match=pattern):
            lemma13_chunks(g, *args, **kw)
    with pytest.raises(ValueError, match=r"^block must be non-negative, got -1"):
        lemma13_failure_task(g, 4, 1, block=-1)
    with pytest.raises(TypeError, match=r"^n must be an integer"):
        lemma13_chunks(g, "4", 1)
