"""natweights.erm_kernel: the fused kernel equals the numpy kernel and the naive evaluation."""

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natweights.erm_kernel import erm_error_counts, error_counts
from natweights.learners import BruteForceERM, naive_error_counts
from natweights.reduction import random_blocks


@pytest.fixture(params=[1, 2], ids=["1thread", "2threads"])
def threads(request):
    old = numba.get_num_threads()
    numba.set_num_threads(min(request.param, numba.config.NUMBA_NUM_THREADS))
    yield request.param
    numba.set_num_threads(old)


@st.composite
def samples(draw):
    K = draw(st.integers(1, 5))
    M = draw(st.integers(1, 13 // K))
    n = draw(st.integers(max(1, K * M), 13))
    N = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    blocks = random_blocks(n, K, M, N, rng)
    kind = draw(st.sampled_from(["random", "zeros", "ones"]))
    labels = {"random": rng.integers(0, 2, N), "zeros": np.zeros(N, int), "ones": np.ones(N, int)}[kind]
    return blocks, labels


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=samples())
def test_equals_naive_and_numpy_kernel(threads, sample):
    blocks, labels = sample
    fast = error_counts(blocks, labels)
    assert fast.dtype == np.int64 and fast.shape == (2**blocks.n,)
    assert np.array_equal(fast, naive_error_counts(blocks, labels))
    assert np.array_equal(fast, BruteForceERM(tile_words=4)._error_counts(blocks, labels.astype(np.int8)))


@pytest.mark.parametrize("n", range(1, 8))
def test_small_n_below_one_word(threads, rng, n):
    for N in (1, 3, 70):
        blocks = random_blocks(n, 1, 1, N, rng)
        for labels in (rng.integers(0, 2, N), np.zeros(N, int), np.ones(N, int)):
            assert np.array_equal(error_counts(blocks, labels), naive_error_counts(blocks, labels))


def test_several_tiles_and_counter_planes(threads, rng):
    # 2^15 assignments = 2 tiles of 256 words; N = 300 needs 9 counter planes and a partial group
    blocks = random_blocks(15, 3, 4, 300, rng)
    labels = rng.integers(0, 2, 300)
    assert np.array_equal(error_counts(blocks, labels), BruteForceERM()._error_counts(blocks, labels.astype(np.int8)))


@pytest.mark.parametrize(
    "n, K, M, N", [(16, 1, 5, 40), (17, 3, 5, 33), (18, 4, 2, 50), (18, 2, 7, 21), (17, 5, 3, 17), (18, 3, 6, 64)]
)
def test_constant_literals_on_tiles(threads, rng, n, K, M, N):
    # n > 14: variables 14.. are constant on each tile of 2^14 assignments and are folded
    # (single-literal clauses make whole-tile false clauses; K > 3 takes the general path)
    blocks = random_blocks(n, K, M, N, rng)
    for labels in (rng.integers(0, 2, N), np.ones(N, int)):
        assert np.array_equal(
            error_counts(blocks, labels), BruteForceERM()._error_counts(blocks, labels.astype(np.int8))
        )
    sub = blocks[np.arange(3)]
    assert np.array_equal(error_counts(sub, labels[:3]), naive_error_counts(sub, labels[:3]))


def test_thread_count_does_not_change_counts(rng):
    blocks = random_blocks(18, 3, 6, 97, rng)
    labels = rng.integers(0, 2, 97)
    old = numba.get_num_threads()
    try:
        out = []
        for t in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(t)
            out.append(error_counts(blocks, labels))
    finally:
        numba.set_num_threads(old)
    assert np.array_equal(out[0], out[1])


def test_planted_assignment_has_no_error(rng):
    from natweights.learners import index_to_assignment
    from natweights.reduction import block_satisfied

    blocks = random_blocks(14, 3, 3, 200, rng)
    index = 0b10110011100101
    labels = block_satisfied(index_to_assignment(index, 14), blocks).astype(int)
    counts = error_counts(blocks, labels)
    assert counts[index] == 0
    # flipping one label costs exactly one error at the planted assignment
    labels[17] ^= 1
    assert error_counts(blocks, labels)[index] == 1


def test_flat_interface_matches_blocks(rng):
    blocks = random_blocks(9, 2, 3, 25, rng)
    labels = rng.integers(0, 2, 25)
    flat = erm_error_counts(blocks.variables.reshape(25, -1), (blocks.signs < 0).reshape(25, -1), labels, 9, M=3)
    assert np.array_equal(flat, error_counts(blocks, labels))


@pytest.mark.parametrize(
    "args, kwargs, error",
    [
        (([[0, 1]], [[False, False]], [1], 0), {"M": 1}, ValueError),
        (([[0, 1]], [[False, False]], [1], 2.0), {"M": 1}, TypeError),
        (([[0, 1]], [[False, False]], [1], 2), {}, ValueError),
        (([[0, 1]], [[False, False]], [1], 2), {"M": 3}, ValueError),
        (([[0, 2]], [[False, False]], [1], 2), {"M": 1}, ValueError),
        (([[0, 1]], [[0, 1]], [1], 2), {"M": 1}, TypeError),
        (([[0, 1]], [[False]], [1], 2), {"M": 1}, ValueError),
        (([[0, 1]], [[False, False]], [2], 2), {"M": 1}, ValueError),
        (([[0, 1]], [[False, False]], [1, 0], 2), {"M": 1}, ValueError),
        (([[0.0, 1.0]], [[False, False]], [1], 2), {"M": 1}, TypeError),
    ],
)
def test_rejects_bad_input(args, kwargs, error):
    v, neg, y, n = args
    with pytest.raises(error):
        erm_error_counts(np.array(v), np.array(neg), np.array(y), n, **kwargs)


def test_error_counts_needs_blocks():
    with pytest.raises(TypeError):
        error_counts(np.zeros((1, 1, 1), int), [1])
