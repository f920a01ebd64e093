r"""Fused, parallel kernel for the training-error counts of every :math:`\psi \in \{\pm1\}^n`.

For a sample of N blocks :math:`x_e` (M clauses of K literals each) with labels
:math:`y_e \in \{0, 1\}`, the error count of the assignment :math:`\psi` is

.. math::

    \mathrm{err}(\psi) = \sum_{e=1}^{N} \bigl[\, T_{K,M}(U_{x_e}(\psi)) \ne y_e \,\bigr],
    \qquad
    T_{K,M}(U_x(\psi)) = \bigwedge_{t=1}^{M} \bigvee_{l=1}^{K} \bigl[ s_{t,l}\,\psi_{i_{t,l}} = 1 \bigr].

Assignments are indexed as in :func:`natweights.learners.assignment_bits`
(:math:`\psi_i = +1` iff bit i of the index is set) and packed 64 to a word:
bit p of word w is assignment :math:`64w + p`.  The truth table of variable
:math:`i < 6` is the same pattern in every word; for :math:`i \ge 6` it is all
ones or all zeros according to bit :math:`i - 6` of w.  The kernel works on
tiles of :math:`T = 256` words (:math:`2^{14}` assignments).  On a tile only the
variables :math:`i < 6 + \log_2 T` change; every other variable is constant, so a
literal on it is the all-ones or the all-zeros word.  For each example the kernel
first folds these constants (a true literal satisfies its clause, which is dropped;
a false literal is dropped from its clause; a clause left empty makes the block
false on the whole tile), then evaluates the remaining clauses on the tile's words,
three clauses per pass (OR of the literals, AND over the clauses; both are
idempotent, so short clauses and the last pass are padded by repetition), and
XORs the block with the label.  The error words of 16 examples are summed
bit-wise by a carry-save adder tree (Harley–Seal) into a 5-bit number per
assignment, which a ripple-carry adder adds to the tile's bit-sliced counters
(one bit plane per binary digit of the count).  Every loop over the words of a
tile writes rows other than the ones it reads, so it compiles to SIMD code.

The tiles are independent and each writes its own slice of the result, so the
counts are the same for any number of threads (``numba.set_num_threads``).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .learners import _LOW_PATTERNS
from .reduction import Blocks

__all__ = ["erm_error_counts", "error_counts", "TILE_WORDS"]

# Words per tile: the 30 distinct truth-table rows of a 256-word tile take 60 KiB (L2).
TILE_WORDS = 256
_GROUP = 16  # examples summed by one carry-save tree
# Bit a of a 64-bit word is bit i (< 6) of the assignment index a, as in learners.assignment_bits.
_LOW = np.array(_LOW_PATTERNS, dtype=np.uint64)


@njit(cache=True, inline="always")
def _csa(a, b, c):
    """Carry-save adder on bit planes: a + b + c = 2 * high + low, bit by bit."""
    u = a ^ b
    return (a & b) | (u & c), u ^ c


@njit(cache=True)
def _tile_tables(n, w0, T, low):
    """Truth tables on the words w0 .. w0+T-1 (T a power of two dividing w0) and the row of each literal.

    Rows: 0 all zeros, 1 all ones, 2 + 2i + s for the variables i < 6 (s = 1: negated),
    14 + 2k + s for the variables 6 + k that change inside the tile.  A variable i >= 6 whose
    bit i - 6 of the word index is the same on the whole tile is the constant row 0 or 1.
    Returns (tab, row) with row[2i + s] the row of the literal on variable i with sign s.
    """
    tb = 0
    while (1 << tb) < T:
        tb += 1
    tab = np.empty((14 + 2 * tb, T), dtype=np.uint64)
    zero = np.uint64(0)
    one = np.uint64(1)
    for j in range(T):
        tab[0, j] = zero
        tab[1, j] = ~zero
    for i in range(6):
        for j in range(T):
            tab[2 + 2 * i, j] = low[i]
            tab[3 + 2 * i, j] = ~low[i]
    for k in range(tb):
        for j in range(T):
            v = zero - ((np.uint64(j) >> np.uint64(k)) & one)
            tab[14 + 2 * k, j] = v
            tab[15 + 2 * k, j] = ~v
    row = np.empty(2 * n, dtype=np.int64)
    for i in range(n):
        for s in range(2):
            if i < 6:
                row[2 * i + s] = 2 + 2 * i + s
            elif i < 6 + tb:
                row[2 * i + s] = 14 + 2 * (i - 6) + s
            else:
                row[2 * i + s] = ((w0 >> (i - 6)) & 1) ^ s
    return tab, row


@njit(cache=True)
def _csa_rows(w, h, lo, x, y, z, T):
    """Carry-save adder on rows of ``w``: w[x] + w[y] + w[z] = 2 w[h] + w[lo], bit by bit.

    The output rows differ from the input rows, so the loop vectorises."""
    for j in range(T):
        a = w[x, j]
        b = w[y, j]
        c = w[z, j]
        u = a ^ b
        w[h, j] = (a & b) | (u & c)
        w[lo, j] = u ^ c


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


@njit(cache=True)
def _add_group(w, rows, cnt, T, tree, sums):
    """Add the error words in rows 0 .. rows-1 of ``w`` to the bit-plane counters ``cnt``."""
    zero = np.uint64(0)
    for r in range(rows, _GROUP):
        for j in range(T):
            w[r, j] = zero
    for k in range(tree.shape[0]):
        _csa_rows(w, tree[k, 0], tree[k, 1], tree[k, 2], tree[k, 3], tree[k, 4], T)
    # ripple-carry addition of the 5-bit sums into the planes; carries alternate rows 47, 48
    cin = _ZERO_ROW
    for b in range(cnt.shape[0]):
        sb = sums[b] if b < 5 else _ZERO_ROW
        cout = 47 + (b & 1)
        for j in range(T):
            a = cnt[b, j]
            x = w[sb, j]
            c = w[cin, j]
            u = a ^ x
            w[cout, j] = (a & x) | (u & c)
            cnt[b, j] = u ^ c
        cin = cout


@njit(cache=True, parallel=True)
def _error_counts_kernel(lits, labmask, n, M, K, planes, tile, low, tree, sums):
    N = lits.shape[0]
    words = max(1, (1 << n) >> 6)
    ntiles = (words + tile - 1) // tile
    counts = np.zeros(words * 64, dtype=np.int64)
    kp = ((K + 2) // 3) * 3  # literals per clause padded to a multiple of 3
    for ti in prange(ntiles):
        w0 = ti * tile
        T = min(tile, words - w0)
        tab, row = _tile_tables(n, w0, T, low)
        blk = np.empty(T, dtype=np.uint64)
        cl = np.empty(T, dtype=np.uint64)
        buf = np.zeros((_WORK_ROWS, T), dtype=np.uint64)  # rows 0..15: error words; 16: zero
        cnt = np.zeros((planes, T), dtype=np.uint64)
        live = np.empty((M, kp), dtype=np.int64)
        filled = 0
        for e in range(N):
            lab = labmask[e]
            # literals constant on the tile: a true one satisfies its clause, a false one drops out
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
                        live[nl, m] = r
                        m += 1
                if sat:
                    continue
                if m == 0:
                    dead = True  # a clause false on the whole tile
                    break
                for l in range(m, kp):
                    live[nl, l] = live[nl, 0]
                nl += 1
            if dead or nl == 0:
                word = lab if dead else ~lab
                for j in range(T):
                    buf[filled, j] = word
            elif kp == 3:
                # three clauses of (up to) three literals per pass
                for t in range(0, nl, 3):
                    u = min(t + 1, nl - 1)
                    x = min(t + 2, nl - 1)
                    a0, a1, a2 = live[t, 0], live[t, 1], live[t, 2]
                    b0, b1, b2 = live[u, 0], live[u, 1], live[u, 2]
                    c0, c1, c2 = live[x, 0], live[x, 1], live[x, 2]
                    if t + 3 >= nl:
                        # last pass: the error word goes straight to the counter buffer
                        if t == 0:
                            for j in range(T):
                                buf[filled, j] = (
                                    (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                    & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                    & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                                ) ^ lab
                        else:
                            for j in range(T):
                                buf[filled, j] = (
                                    blk[j]
                                    & (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                    & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                    & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                                ) ^ lab
                    elif t == 0:
                        for j in range(T):
                            blk[j] = (
                                (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                            )
                    else:
                        for j in range(T):
                            blk[j] &= (
                                (tab[a0, j] | tab[a1, j] | tab[a2, j])
                                & (tab[b0, j] | tab[b1, j] | tab[b2, j])
                                & (tab[c0, j] | tab[c1, j] | tab[c2, j])
                            )
            else:
                for t in range(nl):
                    for g in range(0, kp, 3):
                        a0, a1, a2 = live[t, g], live[t, g + 1], live[t, g + 2]
                        if g == 0:
                            for j in range(T):
                                cl[j] = tab[a0, j] | tab[a1, j] | tab[a2, j]
                        else:
                            for j in range(T):
                                cl[j] |= tab[a0, j] | tab[a1, j] | tab[a2, j]
                    if t == 0:
                        for j in range(T):
                            blk[j] = cl[j]
                    else:
                        for j in range(T):
                            blk[j] &= cl[j]
                for j in range(T):
                    buf[filled, j] = blk[j] ^ lab
            filled += 1
            if filled == _GROUP or e == N - 1:
                _add_group(buf, filled, cnt, T, tree, sums)
                filled = 0
        # unpack the bit planes into counts
        one = np.uint64(1)
        for j in range(T):
            base = (w0 + j) * 64
            for b in range(planes):
                word = cnt[b, j]
                if word:
                    for p in range(64):
                        counts[base + p] += np.int64((word >> np.uint64(p)) & one) << b
    return counts


def _literal_rows(variables: np.ndarray, negative: np.ndarray, M: int, K: int) -> np.ndarray:
    """Row of each literal in the per-tile table (2 i for psi_i = +1, 2 i + 1 for psi_i = -1),
    clauses padded to a multiple of 3 literals by repeating their first literal."""
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
        Number of variables, :math:`1 \le n \le 30` (the result takes
        :math:`2^{n+3}` bytes).
    M : int, optional
        Clauses per block; required when ``variables`` is 2-D, taken from the
        shape when it is 3-D.

    Returns
    -------
    numpy.ndarray of int64, length :math:`2^n`
        Entry a is :math:`\mathrm{err}(\psi)` for the assignment with index a
        (see :func:`natweights.learners.assignment_bits`).  Identical for any
        number of numba threads.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an integer, got {type(n).__name__}")
    n = int(n)
    if not 1 <= n <= 30:
        raise ValueError(f"n must lie in [1, 30], got {n}")
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
    rows = _literal_rows(variables.astype(np.int64), negative.astype(np.int64), M, K)
    labmask = np.where(labels.astype(bool), np.uint64(0xFFFFFFFFFFFFFFFF), np.uint64(0)).astype(np.uint64)
    planes = max(5, int(N).bit_length())
    counts = _error_counts_kernel(rows, labmask, n, M, K, planes, TILE_WORDS, _LOW, _TREE, _SUM_ROWS)
    return counts[: 1 << n]


def error_counts(blocks: Blocks, labels) -> np.ndarray:
    """:func:`erm_error_counts` for a :class:`natweights.reduction.Blocks` sample.

    Same output as ``BruteForceERM()._error_counts(blocks, labels)`` and
    :func:`natweights.learners.naive_error_counts`.
    """
    if not isinstance(blocks, Blocks):
        raise TypeError(f"blocks must be a natweights.reduction.Blocks, got {type(blocks).__name__}")
    return erm_error_counts(blocks.variables, blocks.signs < 0, labels, blocks.n)
