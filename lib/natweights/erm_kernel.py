r"""Fused, parallel kernel for the training-error counts of every :math:`\psi \in \{\pm1\}^n`.

For a sample of N blocks :math:`x_e` (M clauses of K literals each) with labels
:math:`y_e \in \{0, 1\}`, the error count of the assignment :math:`\psi` is

.. math::

    \mathrm{err}(\psi) = \sum_{e=1}^{N} \bigl[\, T_{K,M}(U_{x_e}(\psi)) \ne y_e \,\bigr],
    \qquad
    T_{K,M}(U_x(\psi)) = \bigwedge_{t=1}^{M} \bigvee_{l=1}^{K} \bigl[ s_{t,l}\,\psi_{i_{t,l}} = 1 \bigr].

Exact empirical risk minimisation over :math:`H = \{h_\psi\}` (the learner
:class:`natweights.learners.BruteForceERM`) is the argmin of this table.

Assignments are indexed by :math:`a = \sum_i [\psi_i = +1]\, 2^i` and packed 64
to a word: bit p of word w is assignment :math:`64w + p`.  The truth table of
variable :math:`i < 6` is the same pattern in every word (:data:`LOW_PATTERNS`);
for :math:`i \ge 6` it is all ones or all zeros according to bit :math:`i - 6`
of w.

The kernel works on tiles of :math:`T = 512` words (:math:`2^{15}` assignments),
in parallel.  On a tile only the variables :math:`i < 15` change; every other
variable is constant, so a literal on it is the all-ones or the all-zeros word.
Once per tile and example the kernel folds these constants (a true literal
satisfies its clause, which is dropped; a false literal is dropped from its
clause; a clause left empty makes the block false on the whole tile).  It then
walks the tile in sub-tiles of :data:`SUB_WORDS` words (the literal tables of a
sub-tile fill a 32 KiB L1 cache; the sizes are the fastest measured by
``benchmarks/bench_erm_roofline.py``), and for every example evaluates the remaining clauses on the sub-tile's
words, three clauses per pass (OR of the literals, AND over the clauses; both
are idempotent, so short clauses and the last pass are padded by repetition),
and XORs the block with the label.  The error words of 16 examples are summed
bit-wise by a carry-save adder tree (Harley–Seal) into a 5-bit number per
assignment, which a ripple-carry adder adds to the sub-tile's bit-sliced
counters (one bit plane per binary digit of the count); every adder is the one
full adder :func:`_full_adder`.  Every loop over the words of a sub-tile writes
rows other than the ones it reads, so it compiles to SIMD code.

The tiles are independent and each writes its own slice of the result, so the
counts are the same for any number of threads (``numba.set_num_threads``).

Compilation.  The kernel is compiled by numba on first use (several seconds per
count type, :func:`counts_dtype`) and cached on disk (``cache=True``): later
processes load it in a fraction of a second.  The cache goes next to this file
(``__pycache__``), or, when that directory is read-only (a system-wide
install), into numba's user-wide cache directory, or into ``NUMBA_CACHE_DIR``
when that is set.  When no writable location exists at all, the module warns
once at import and compiles in every process instead of failing.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from numba import njit, prange

from .reduction import Blocks
from .validation import check_memory

__all__ = [
    "LOW_PATTERNS",
    "SUB_WORDS",
    "TILE_WORDS",
    "compile_kernel",
    "counts_dtype",
    "erm_error_counts",
    "error_counts",
]

# Words per tile (constant folding): 2^15 assignments.
TILE_WORDS = 512
# Words per sub-tile (cache blocking): the 32 table rows of a 128-word sub-tile take 32 KiB.
# Measured at n = 24, N = 400 (K = 3, M = 6), relative to tiles of 256 words without sub-tiles:
# sub-tiles of 32, 64, 128 words 1.42, 1.09, 0.97; tiles of 512 words with sub-tiles of 128 0.94.
SUB_WORDS = 128
_GROUP = 16  # examples summed by one carry-save tree
# Bit a of a 64-bit word is bit i (< 6) of the assignment index a.
LOW_PATTERNS = (
    0xAAAAAAAAAAAAAAAA,
    0xCCCCCCCCCCCCCCCC,
    0xF0F0F0F0F0F0F0F0,
    0xFF00FF00FF00FF00,
    0xFFFF0000FFFF0000,
    0xFFFFFFFF00000000,
)
_LOW = np.array(LOW_PATTERNS, dtype=np.uint64)

_caching_warned = False


def _jit(**options):
    """``numba.njit(cache=True, **options)``, or without the disk cache when no cache directory is writable."""

    def decorate(func):
        global _caching_warned
        try:
            return njit(cache=True, **options)(func)
        except RuntimeError as exc:  # numba: "cannot cache function ...: no locator available"
            if not _caching_warned:
                warnings.warn(
                    f"natweights.erm_kernel: numba finds no writable cache directory ({exc}); the kernel is "
                    "compiled in every process. Set NUMBA_CACHE_DIR to a writable directory to cache it.",
                    RuntimeWarning,
                    stacklevel=3,
                )
                _caching_warned = True
            return njit(cache=False, **options)(func)

    return decorate


def counts_dtype(N: int) -> np.dtype:
    r"""The unsigned integer type of the error counts of a sample of N examples.

    Parameters
    ----------
    N : int
        Number of examples, :math:`1 \le N < 2^{32}`.

    Returns
    -------
    numpy.dtype
        ``uint16`` for :math:`N < 2^{16}`, else ``uint32``: the smallest of the two that
        holds every count :math:`0 \le \mathrm{err}(\psi) \le N`.
    """
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)):
        raise TypeError(f"N must be an integer, got {type(N).__name__}")
    if not 1 <= N < 2**32:
        raise ValueError(f"N must lie in [1, 2^32), got {N}")
    return np.dtype(np.uint16 if N < 2**16 else np.uint32)


@_jit(inline="always")
def _full_adder(a, b, c):
    """Full adder on 64 bit positions at once: a + b + c = 2 * carry + sum, bit by bit; returns (carry, sum)."""
    u = a ^ b
    return (a & b) | (u & c), u ^ c


@_jit()
def _csa_rows(w, h, lo, x, y, z, S):
    """Carry-save adder on rows of ``w``: w[x] + w[y] + w[z] = 2 w[h] + w[lo], bit by bit.

    The output rows differ from the input rows, so the loop vectorises."""
    for j in range(S):
        w[h, j], w[lo, j] = _full_adder(w[x, j], w[y, j], w[z, j])


# Harley-Seal tree over the 16 input rows 0..15 of the work array (row 16 is zero):
# (carry row, sum row, three input rows), every output a fresh row.
_ZERO_ROW = 16
_TREE = np.array(
    [
        (17, 18, 0, 1, 2),
        (19, 20, 18, 3, 4),
        (21, 22, 17, 19, 16),
        (23, 24, 20, 5, 6),
        (25, 26, 24, 7, 8),
        (27, 28, 22, 23, 25),
        (29, 30, 21, 27, 16),
        (31, 32, 26, 9, 10),
        (33, 34, 32, 11, 12),
        (35, 36, 28, 31, 33),
        (37, 38, 34, 13, 14),
        (39, 40, 38, 15, 16),
        (41, 42, 36, 37, 39),
        (43, 44, 30, 35, 41),
        (45, 46, 29, 43, 16),
    ],
    dtype=np.int64,
)
_SUM_ROWS = np.array([40, 42, 44, 46, 45], dtype=np.int64)  # 1s, 2s, 4s, 8s, 16s of the 16 inputs
_WORK_ROWS = 49


@_jit()
def _add_group(w, rows, cnt, S, tree, sums):
    """Add the error words in rows 0 .. rows-1 of ``w`` to the bit-plane counters ``cnt``."""
    zero = np.uint64(0)
    for r in range(rows, _GROUP):
        for j in range(S):
            w[r, j] = zero
    for k in range(tree.shape[0]):
        _csa_rows(w, tree[k, 0], tree[k, 1], tree[k, 2], tree[k, 3], tree[k, 4], S)
    # ripple-carry addition of the 5-bit sums into the planes (full adders on planes 0..4, then
    # half adders for the carry alone); carries alternate rows 47, 48
    cin = _ZERO_ROW
    for b in range(cnt.shape[0]):
        cout = 47 + (b & 1)
        if b < 5:
            sb = sums[b]
            for j in range(S):
                w[cout, j], cnt[b, j] = _full_adder(cnt[b, j], w[sb, j], w[cin, j])
        else:
            for j in range(S):
                a = cnt[b, j]
                c = w[cin, j]
                w[cout, j] = a & c
                cnt[b, j] = a ^ c
        cin = cout


@_jit()
def _tile_rows(n, w0, tb):
    """Row of each literal on the tile starting at word w0 (2^tb words): row[2 i + s], s = 1 when negated.

    Rows of the sub-tile table: 0 all zeros, 1 all ones, 2 + 2i + s for the variables i < 6,
    14 + 2k + s for the variables 6 + k (k < tb) that change inside the tile.  A variable
    i >= 6 + tb is constant on the tile (bit i - 6 of the word index): its literals are row 0 or 1.
    """
    row = np.empty(2 * n, dtype=np.int64)
    for i in range(n):
        for s in range(2):
            if i < 6:
                row[2 * i + s] = 2 + 2 * i + s
            elif i < 6 + tb:
                row[2 * i + s] = 14 + 2 * (i - 6) + s
            else:
                row[2 * i + s] = ((w0 >> (i - 6)) & 1) ^ s
    return row


@_jit()
def _sub_tables(tab, s0, tb, low, S):
    """Truth tables of all rows (see :func:`_tile_rows`) on the words s0 .. s0+S-1 of a tile."""
    zero = np.uint64(0)
    one = np.uint64(1)
    for j in range(S):
        tab[0, j] = zero
        tab[1, j] = ~zero
    for i in range(6):
        for j in range(S):
            tab[2 + 2 * i, j] = low[i]
            tab[3 + 2 * i, j] = ~low[i]
    for k in range(tb):
        for j in range(S):
            v = zero - ((np.uint64(s0 + j) >> np.uint64(k)) & one)
            tab[14 + 2 * k, j] = v
            tab[15 + 2 * k, j] = ~v


@_jit()
def _fold(lits, row, M, K, kp, live, nlive):
    """Fold the literals constant on a tile: live[e, t, :] the rows of the live literals of the t-th
    remaining clause of example e (padded to kp by repetition); nlive[e] the number of remaining
    clauses, or -1 when some clause is false on the whole tile."""
    N = lits.shape[0]
    for e in range(N):
        nl = 0
        dead = False
        for t in range(M):
            m = 0
            sat = False
            for l in range(K):
                r = row[lits[e, t * kp + l]]
                if r == 1:
                    sat = True
                    break
                if r != 0:
                    live[e, nl, m] = r
                    m += 1
            if sat:
                continue
            if m == 0:
                dead = True  # a clause false on the whole tile
                break
            for l in range(m, kp):
                live[e, nl, l] = live[e, nl, 0]
            nl += 1
        nlive[e] = -1 if dead else nl


@_jit(parallel=True)
def _error_counts_kernel(lits, labmask, n, M, K, planes, tile, sub, low, tree, sums, out):
    """Fill ``out[64 w + p]`` with the error count of assignment 64 w + p (see the module docstring)."""
    N = lits.shape[0]
    words = max(1, (1 << n) >> 6)
    ntiles = (words + tile - 1) // tile
    kp = ((K + 2) // 3) * 3  # literals per clause padded to a multiple of 3
    one = np.uint64(1)
    for ti in prange(ntiles):
        w0 = ti * tile
        T = min(tile, words - w0)
        tb = 0
        while (1 << tb) < T:
            tb += 1
        S = min(sub, T)
        row = _tile_rows(n, w0, tb)
        live = np.empty((N, M, kp), dtype=np.int32)
        nlive = np.empty(N, dtype=np.int64)
        _fold(lits, row, M, K, kp, live, nlive)
        tab = np.empty((14 + 2 * tb, S), dtype=np.uint64)
        blk = np.empty(S, dtype=np.uint64)
        cl = np.empty(S, dtype=np.uint64)
        buf = np.zeros((_WORK_ROWS, S), dtype=np.uint64)  # rows 0..15: error words; 16: zero
        cnt = np.empty((planes, S), dtype=np.uint64)
        acc = np.empty(64, dtype=np.uint64)
        for s0 in range(0, T, S):
            _sub_tables(tab, s0, tb, low, S)
            cnt[:, :] = 0
            filled = 0
            for e in range(N):
                lab = labmask[e]
                nl = nlive[e]
                if nl <= 0:
                    # block false on the whole tile (nl = -1) or every clause satisfied (nl = 0)
                    word = lab if nl < 0 else ~lab
                    for j in range(S):
                        buf[filled, j] = word
                elif kp == 3:
                    # three clauses of (up to) three literals per pass
                    for t in range(0, nl, 3):
                        u = min(t + 1, nl - 1)
                        x = min(t + 2, nl - 1)
                        a0, a1, a2 = live[e, t, 0], live[e, t, 1], live[e, t, 2]
                        b0, b1, b2 = live[e, u, 0], live[e, u, 1], live[e, u, 2]
                        c0, c1, c2 = live[e, x, 0], live[e, x, 1], live[e, x, 2]
                        if t + 3 >= nl:
                            # last pass: the error word goes straight to the counter buffer
                            if t == 0:
                                for j in range(S):
                                    buf[filled, j] = (
                                        (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                        & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                        & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                                    ) ^ lab
                            else:
                                for j in range(S):
                                    buf[filled, j] = (
                                        blk[j]
                                        & (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                        & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                        & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                                    ) ^ lab
                        elif t == 0:
                            for j in range(S):
                                blk[j] = (
                                    (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                    & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                    & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                                )
                        else:
                            for j in range(S):
                                blk[j] &= (
                                    (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                    & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                    & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                                )
                else:
                    for t in range(nl):
                        for g in range(0, kp, 3):
                            a0, a1, a2 = live[e, t, g], live[e, t, g + 1], live[e, t, g + 2]
                            if g == 0:
                                for j in range(S):
                                    cl[j] = tab[a0, j] | tab[a1, j] | tab[a2, j]
                            else:
                                for j in range(S):
                                    cl[j] |= tab[a0, j] | tab[a1, j] | tab[a2, j]
                        if t == 0:
                            for j in range(S):
                                blk[j] = cl[j]
                        else:
                            for j in range(S):
                                blk[j] &= cl[j]
                    for j in range(S):
                        buf[filled, j] = blk[j] ^ lab
                filled += 1
                if filled == _GROUP or e == N - 1:
                    _add_group(buf, filled, cnt, S, tree, sums)
                    filled = 0
            # the bit planes of each word, transposed into the 64 counts of its assignments
            for j in range(S):
                for p in range(64):
                    acc[p] = 0
                for b in range(planes):
                    word = cnt[b, j]
                    shift = np.uint64(b)
                    for p in range(64):
                        acc[p] |= ((word >> np.uint64(p)) & one) << shift
                base = (w0 + s0 + j) * 64
                for p in range(64):
                    out[base + p] = acc[p]


def _literal_rows(variables: np.ndarray, negative: np.ndarray, M: int, K: int) -> np.ndarray:
    """Index 2 i + s of each literal (s = 1 when negated), clauses padded to a multiple of 3
    literals by repeating their first literal."""
    N = variables.shape[0]
    lit = (2 * variables + negative).reshape(N, M, K)
    kp = ((K + 2) // 3) * 3
    if kp != K:
        lit = np.concatenate([lit, np.repeat(lit[:, :, :1], kp - K, axis=2)], axis=2)
    return np.ascontiguousarray(lit.reshape(N, M * kp), dtype=np.int64)


def erm_error_counts(variables, negative, labels, n: int, M: int | None = None) -> np.ndarray:
    r"""Training-error count of every assignment :math:`\psi \in \{\pm1\}^n`.

    Parameters
    ----------
    variables : array of int, shape (N, M*K) or (N, M, K)
        0-based variable index :math:`i_{t,l}` of each literal, clause by clause
        (literal l of clause t in column :math:`tK + l`).
    negative : array of bool, same shape
        True where the literal is negated (:math:`s_{t,l} = -1`).
    labels : array of 0/1, length N
        The labels :math:`y_e`.
    n : int
        Number of variables, :math:`1 \le n \le 40`; the result takes
        :math:`2^n` times 2 bytes (4 bytes when :math:`N \ge 2^{16}`), which
        must fit in memory.
    M : int, optional
        Clauses per block; required when ``variables`` is 2-D, taken from the
        shape when it is 3-D.

    Returns
    -------
    numpy.ndarray of :func:`counts_dtype` (N), length :math:`2^n`
        Entry a is :math:`\mathrm{err}(\psi)` for the assignment with index a
        (:math:`\psi_i = +1` iff bit i of a is set, as in
        :func:`natweights.learners.assignment_bits`).  Identical for any
        number of numba threads.

    Raises
    ------
    TypeError, ValueError
        On malformed input (each message names the parameter);
        :class:`natweights.validation.MemoryRequestError` (a ValueError) when
        the counts would not fit in this machine's memory.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an integer, got {type(n).__name__}")
    n = int(n)
    if not 1 <= n <= 40:
        raise ValueError(f"n must lie in [1, 40], got {n}")
    variables = np.asarray(variables)
    negative = np.asarray(negative)
    if variables.ndim == 3:
        M, K = variables.shape[1], variables.shape[2]
        variables = variables.reshape(variables.shape[0], M * K)
        negative = negative.reshape(negative.shape[0], -1) if negative.ndim == 3 else negative
    elif variables.ndim == 2:
        if M is None:
            raise ValueError("M (clauses per block) is required when variables is an N x (M*K) array")
        if isinstance(M, bool) or not isinstance(M, (int, np.integer)) or M < 1:
            raise ValueError(f"M must be a positive integer, got {M!r}")
        M = int(M)
        if variables.shape[1] % M:
            raise ValueError(f"variables has {variables.shape[1]} columns, not a multiple of M = {M}")
        K = variables.shape[1] // M
    else:
        raise ValueError(f"variables must be an N x (M*K) or N x M x K array, got shape {variables.shape}")
    if variables.shape[0] < 1 or K < 1:
        raise ValueError(f"need at least one example and one literal per clause, got shape {variables.shape}")
    if not np.issubdtype(variables.dtype, np.integer):
        raise TypeError(f"variables must be an integer array, got dtype {variables.dtype}")
    if negative.shape != variables.shape:
        raise ValueError(f"negative must have the shape of variables {variables.shape}, got {negative.shape}")
    if negative.dtype != np.bool_:
        raise TypeError(f"negative must be a boolean array, got dtype {negative.dtype}")
    if variables.min() < 0 or variables.max() >= n:
        raise ValueError(f"variables must lie in [0, n) with n = {n}")
    labels = np.asarray(labels)
    N = variables.shape[0]
    if labels.shape != (N,):
        raise ValueError(f"labels must have shape ({N},), got {labels.shape}")
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError("labels must be 0 or 1")
    dtype = counts_dtype(N)
    check_memory(dtype.itemsize * 2.0**n, f"the error counts of all 2^{n} assignments ({dtype.name})")
    rows = _literal_rows(variables.astype(np.int64), negative.astype(np.int64), M, K)
    labmask = np.where(labels.astype(bool), np.uint64(0xFFFFFFFFFFFFFFFF), np.uint64(0)).astype(np.uint64)
    planes = max(5, int(N).bit_length())
    out = np.empty(max(64, 1 << n), dtype=dtype)
    out.fill(0)  # map the pages here: page faults inside the parallel kernel cost a third of its time at n = 24
    _error_counts_kernel(rows, labmask, n, M, K, planes, TILE_WORDS, SUB_WORDS, _LOW, _TREE, _SUM_ROWS, out)
    return out[: 1 << n] if n < 6 else out


def compile_kernel() -> float:
    """Compile the kernel, or load it from numba's disk cache, on a tiny instance.

    The first call of the kernel in a process pays this once (a compilation of several seconds
    the first time after an installation or an edit, a cache load of a fraction of a second
    afterwards). Call it before timing the kernel so that the times measure the counting only.

    Returns
    -------
    float
        Seconds taken; a second call in the same process returns almost 0.
    """
    start = time.perf_counter()
    variables = np.array([[0, 1, 2]], dtype=np.int64)
    erm_error_counts(variables, np.zeros((1, 3), dtype=bool), np.zeros(1, dtype=np.int64), 3, M=1)
    return time.perf_counter() - start


def error_counts(blocks: Blocks, labels) -> np.ndarray:
    """:func:`erm_error_counts` for a :class:`natweights.reduction.Blocks` sample.

    Parameters
    ----------
    blocks : natweights.reduction.Blocks
        N blocks of M clauses of K literals over n variables.
    labels : array of 0/1, length N
        One label per block.

    Returns
    -------
    numpy.ndarray of :func:`counts_dtype` (N), length :math:`2^n`
        The training-error count of every assignment, indexed as in
        :func:`natweights.learners.assignment_bits`; the same numbers as
        :func:`natweights.learners.numpy_error_counts` and
        :func:`natweights.learners.naive_error_counts`.
    """
    if not isinstance(blocks, Blocks):
        raise TypeError(f"blocks must be a natweights.reduction.Blocks, got {type(blocks).__name__}")
    return erm_error_counts(blocks.variables, blocks.signs < 0, labels, blocks.n)
