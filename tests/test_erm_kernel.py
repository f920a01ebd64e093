"""natweights.erm_kernel: the fused kernel equals the numpy kernel and the naive evaluation."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natweights.erm_kernel import SUB_WORDS, TILE_WORDS, counts_dtype, erm_error_counts, error_counts
from natweights.learners import BruteForceERM, naive_error_counts, numpy_error_counts
from natweights.reduction import random_blocks

LIB = str(Path(__file__).resolve().parents[1] / "lib")


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
    assert fast.dtype == np.uint16 and fast.shape == (2**blocks.n,)
    assert np.array_equal(fast, naive_error_counts(blocks, labels))
    assert np.array_equal(fast, numpy_error_counts(blocks, labels, tile_words=4))


@pytest.mark.parametrize("n", range(1, 8))
def test_small_n_below_one_word(threads, rng, n):
    for N in (1, 3, 70):
        blocks = random_blocks(n, 1, 1, N, rng)
        for labels in (rng.integers(0, 2, N), np.zeros(N, int), np.ones(N, int)):
            assert np.array_equal(error_counts(blocks, labels), naive_error_counts(blocks, labels))


def test_several_tiles_and_counter_planes(threads, rng):
    # 2^16 assignments = 2 tiles of 512 words (4 sub-tiles each); N = 300 needs 9 counter planes and a
    # partial group of 12 examples
    assert 2**16 // 64 == 2 * TILE_WORDS and TILE_WORDS == 4 * SUB_WORDS
    blocks = random_blocks(16, 3, 4, 300, rng)
    labels = rng.integers(0, 2, 300)
    assert np.array_equal(error_counts(blocks, labels), numpy_error_counts(blocks, labels))


@pytest.mark.parametrize(
    "n, K, M, N", [(17, 1, 5, 40), (17, 3, 5, 33), (18, 4, 2, 50), (18, 2, 7, 21), (17, 5, 3, 17), (18, 3, 6, 64)]
)
def test_constant_literals_on_tiles(threads, rng, n, K, M, N):
    # n > 15: variables 15.. are constant on each tile of 2^15 assignments and are folded
    # (single-literal clauses make whole-tile false clauses; K > 3 takes the general path)
    blocks = random_blocks(n, K, M, N, rng)
    for labels in (rng.integers(0, 2, N), np.ones(N, int), np.zeros(N, int)):
        assert np.array_equal(error_counts(blocks, labels), numpy_error_counts(blocks, labels))
    sub = blocks[np.arange(3)]
    assert np.array_equal(error_counts(sub, labels[:3]), naive_error_counts(sub, labels[:3]))


@pytest.mark.parametrize("N", [1, 15, 16, 17, 33, 255, 257])
def test_group_and_plane_boundaries(threads, rng, N):
    # N around the 16-example groups of the adder tree and the powers of two of the counter planes
    blocks = random_blocks(9, 3, 2, N, rng)
    for labels in (rng.integers(0, 2, N), np.ones(N, int), np.zeros(N, int)):
        assert np.array_equal(error_counts(blocks, labels), naive_error_counts(blocks, labels))


def test_n20_against_the_numpy_engine(rng):
    # 2^20 assignments: 64 tiles; N = 201 is not a power of two
    blocks = random_blocks(20, 3, 6, 201, rng)
    labels = rng.integers(0, 2, 201)
    fast = error_counts(blocks, labels)
    assert np.array_equal(fast, numpy_error_counts(blocks, labels))
    # direct evaluation at 64 random assignments
    from natweights.learners import index_to_assignment
    from natweights.reduction import block_satisfied

    for a in rng.integers(0, 2**20, size=64):
        psi = index_to_assignment(int(a), 20)
        assert fast[a] == np.sum(block_satisfied(psi, blocks) != labels)


def test_thread_count_does_not_change_counts(rng):
    blocks = random_blocks(20, 3, 6, 97, rng)
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


def test_counts_dtype():
    assert counts_dtype(1) == np.uint16 and counts_dtype(2**16 - 1) == np.uint16
    assert counts_dtype(2**16) == np.uint32
    with pytest.raises(ValueError, match="N must lie"):
        counts_dtype(2**32)
    with pytest.raises(TypeError, match="N must be an integer"):
        counts_dtype(3.0)


def test_more_examples_than_uint16_holds():
    # 2^16 + 3 examples of one literal: counts up to N need the uint32 type
    N = 2**16 + 3
    variables = np.zeros((N, 1), dtype=np.int64)
    negative = np.zeros((N, 1), dtype=bool)
    labels = np.ones(N, dtype=np.int8)
    labels[:5] = 0
    counts = erm_error_counts(variables, negative, labels, 7, M=1)
    # psi_0 = +1 (odd indices): the block holds, the 5 label-0 examples are errors; psi_0 = -1: the others
    assert counts.dtype == np.uint32
    assert np.all(counts[1::2] == 5) and np.all(counts[0::2] == N - 5)


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
        (([[0, 1]], [[False, False]], [1], 41), {"M": 1}, ValueError),
    ],
)
def test_rejects_bad_input(args, kwargs, error):
    v, neg, y, n = args
    with pytest.raises(error):
        erm_error_counts(np.array(v), np.array(neg), np.array(y), n, **kwargs)


def test_refuses_counts_beyond_memory():
    from natweights.validation import MemoryRequestError

    with pytest.raises(MemoryRequestError, match=r"error counts of all 2\^40 assignments"):
        erm_error_counts(np.array([[0]]), np.array([[False]]), np.array([1]), 40, M=1)


def test_error_counts_needs_blocks():
    with pytest.raises(TypeError):
        error_counts(np.zeros((1, 1, 1), int), [1])


# --- compilation cache ------------------------------------------------------------------------

_CALL = """
import numpy as np
from natweights.erm_kernel import _error_counts_kernel, erm_error_counts
erm_error_counts(np.array([[0, 1, 2]]), np.array([[False, True, False]]), np.array([1]), 8, M=1)
st = _error_counts_kernel.stats
print(sum(st.cache_hits.values()), sum(st.cache_misses.values()))
"""


def _python(code, **env):
    full = dict(os.environ, PYTHONPATH=LIB, **env)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full, capture_output=True, text=True)


def test_fresh_process_loads_the_compiled_kernel_from_the_cache():
    # this process compiled (or loaded) the kernel for this signature and wrote it to the cache
    erm_error_counts(np.array([[0, 1, 2]]), np.array([[False, True, False]]), np.array([1]), 8, M=1)
    res = _python(_CALL)
    assert res.returncode == 0, res.stderr
    hits, misses = map(int, res.stdout.split())
    assert hits >= 1 and misses == 0, res.stdout


def test_without_a_writable_cache_the_kernel_warns_and_compiles_uncached():
    # a locator list that finds no directory: what numba meets on a read-only install whose
    # user cache directory is not writable either (it raises "no locator available" at import)
    code = """
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import natweights.erm_kernel as ek
    print(type(ek._error_counts_kernel._cache).__name__)
    print(sum("NUMBA_CACHE_DIR" in str(w.message) and w.category is RuntimeWarning for w in caught))
    """
    res = _python(code, NUMBA_CACHE_LOCATOR_CLASSES="ZipCacheLocator")
    assert res.returncode == 0, res.stderr
    cache, warned = res.stdout.split()
    assert cache == "NullCache" and warned == "1"


def test_numba_cache_dir_is_honoured(tmp_path):
    code = """
    import natweights.erm_kernel as ek
    print(ek._error_counts_kernel._cache._cache_path)
    """
    res = _python(code, NUMBA_CACHE_DIR=str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().startswith(str(tmp_path))


def test_brute_force_engines_agree(rng):
    blocks = random_blocks(13, 3, 3, 77, rng)
    labels = rng.integers(0, 2, 77)
    fast = BruteForceERM().fit(blocks, labels)
    ref = BruteForceERM(engine="numpy", tile_words=3).fit(blocks, labels)
    assert fast.error_counts_.dtype == ref.error_counts_.dtype == np.uint16
    assert np.array_equal(fast.error_counts_, ref.error_counts_)
    assert np.array_equal(fast.psi_, ref.psi_) and fast.training_errors_ == ref.training_errors_


def test_compile_kernel_times_the_first_call_only():
    from natweights.erm_kernel import compile_kernel

    first = compile_kernel()
    second = compile_kernel()
    assert first >= 0 and second < 0.5
