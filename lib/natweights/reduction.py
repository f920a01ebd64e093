r"""From SAT_K formulas to labelled samples (DSS16 Lemmas 13 and 15).

A *block* is a signed KM-tuple of distinct variables read as M consecutive
K-clauses; the predicate :math:`T_{K,M}` holds iff every clause has a true
literal.  Lemma 13 turns a SAT_K formula into :math:`T_{K,M}` blocks by greedy
disjoint selection; Lemma 15 turns blocks into a labelled sample by replacing
each block with probability 1/2 by a uniform :math:`\neg T_{K,M}` block.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor, log

import numpy as np

from .ksat import Formula, _check_formula, check_assignment, distinct_tuples, random_assignment, random_formula
from .validation import check_index_array, check_int, check_memory, check_probability, check_rng, check_sign_array

__all__ = [
    "Blocks",
    "GreedyOutcome",
    "greedy_disjoint_blocks",
    "greedy_blocks_per_chunk",
    "greedy_disjoint_counts",
    "fresh_indicators",
    "Lemma13Chunks",
    "lemma13_chunks",
    "lemma13_failure_task",
    "block_satisfied",
    "signed_incidence",
    "random_blocks",
    "LabelledSample",
    "labelled_sample",
    "formula_to_sample",
    "expected_label_noise",
    "realizable_by",
    "realizable_sample",
    "scattered_sample",
]


def _check_blocks(blocks, name: str = "blocks"):
    if not isinstance(blocks, Blocks):
        raise TypeError(f"{name} must be a natweights.reduction.Blocks, got {type(blocks).__name__}")
    return blocks


def check_labels(blocks, labels, name: str = "labels") -> np.ndarray:
    """0/1 labels, one per block, checked *before* the cast to int8 (NaN, 0.5, 1.9 or 256.0 are refused)."""
    arr = np.asarray(labels)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be 0/1 numbers, got an array of dtype {arr.dtype}")
    if arr.shape != (len(blocks),):
        raise ValueError(f"{name}: need one label per block, {len(blocks)} blocks and labels of shape {arr.shape}")
    if not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"{name} must be 0 or 1 (found values such as NaN, fractions or other integers)")
    return arr.astype(np.int8)


@dataclass(frozen=True)
class Blocks:
    """``N`` blocks of M clauses of K literals: ``variables``/``signs`` have shape N x M x K.

    The KM variables of one block are distinct (a block is an element of
    :math:`X_{n,KM}`).

    Parameters
    ----------
    n : int
        Number of variables.
    variables : array_like of int, shape (N, M, K)
        0-based variables, the KM of one block distinct.
    signs : array_like of ±1, shape (N, M, K)
        Literal signs.
    """

    n: int
    variables: np.ndarray
    signs: np.ndarray

    def __post_init__(self):
        n = check_int("n", self.n, 1)
        v = check_index_array("variables", self.variables)  # a copy, never the caller's array
        s = np.asarray(self.signs)
        if v.ndim != 3 or v.shape != s.shape:
            raise ValueError(f"variables and signs must be N x M x K arrays of one shape, got {v.shape} and {s.shape}")
        if v.shape[1] < 1 or v.shape[2] < 1:
            raise ValueError(f"blocks need M >= 1 clauses of K >= 1 literals, got M = {v.shape[1]}, K = {v.shape[2]}")
        if v.size and (v.min() < 0 or v.max() >= n):
            raise ValueError(f"variables must lie in [0, n) with n = {n}")
        s = check_sign_array("signs", s)
        flat = np.sort(v.reshape(v.shape[0], v.shape[1] * v.shape[2]), axis=1)
        if np.any(flat[:, 1:] == flat[:, :-1]):
            bad = int(np.flatnonzero(np.any(flat[:, 1:] == flat[:, :-1], axis=1))[0])
            raise ValueError(f"the K*M variables of a block must be distinct (block {bad} repeats one)")
        v.setflags(write=False)
        s.setflags(write=False)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "variables", v)
        object.__setattr__(self, "signs", s)

    @property
    def M(self) -> int:
        return self.variables.shape[1]

    @property
    def K(self) -> int:
        return self.variables.shape[2]

    def __len__(self) -> int:
        return self.variables.shape[0]

    def __getitem__(self, index) -> Blocks:
        if isinstance(index, (int, np.integer)):
            index = [index]
        return Blocks(self.n, self.variables[index], self.signs[index])

    @classmethod
    def concatenate(cls, parts: list[Blocks]) -> Blocks:
        parts = list(parts)
        if not parts:
            raise ValueError("parts must hold at least one Blocks: nothing to concatenate")
        for p in parts:
            _check_blocks(p, "parts")
        if len({(p.n, p.M, p.K) for p in parts}) != 1:
            raise ValueError("blocks to concatenate must share n, M and K")
        return cls(
            parts[0].n,
            np.concatenate([p.variables for p in parts]),
            np.concatenate([p.signs for p in parts]),
        )

    def literal_values(self, psi) -> np.ndarray:
        r""":math:`z_{t,l} = s_{t,l}\,\psi_{i_{t,l}}` for every block (N x M x K, ±1)."""
        psi = check_assignment(psi, self.n)
        return self.signs * psi[self.variables]

    def true_counts(self, psi) -> np.ndarray:
        r""":math:`\mathrm{true}_t = \sum_l (1 + z_{t,l})/2` per block and clause (N x M)."""
        return np.sum(self.literal_values(psi) == 1, axis=2)


@dataclass(frozen=True)
class Lemma13Chunks:
    r"""Chunks of n random K-SAT constraints through Lemma 13's greedy step (see :func:`lemma13_chunks`).

    ``event``: chunks with :math:`\sum_{r \le n'} \bar X_r \le n' 2^{-(K+1)}` (the event the proof
    bounds), :math:`n' = \lfloor n/2K \rfloor`; ``fail``: chunks keeping fewer than
    :math:`M = \lfloor n/\ln n \rfloor` constraints; ``counts``: constraints kept per chunk.
    """

    n: int
    K: int
    n_prime: int
    M: int
    event: int
    fail: int
    counts: np.ndarray


def lemma13_chunks(rng: np.random.Generator, n: int, chunks: int, K: int = 3) -> Lemma13Chunks:
    """Draw a random K-SAT formula of ``chunks * n`` constraints and run Lemma 13's greedy step on its chunks of n."""
    check_rng(rng)
    n = check_int("n", n, 2)
    chunks = check_int("chunks", chunks, 1)
    K = check_int("K", K, 1, n)
    f = random_formula(n, n * chunks, K, rng)
    n_prime = n // (2 * K)
    fresh = fresh_indicators(f)[:, :n_prime]
    event = int(np.sum(fresh.sum(axis=1) <= n_prime * 2.0 ** -(K + 1)))
    M = floor(n / log(n))
    _, counts = greedy_disjoint_counts(f)
    return Lemma13Chunks(n, K, n_prime, M, event, int(np.sum(counts < M)), counts)


def lemma13_failure_task(rng: np.random.Generator, n: int, chunks: int, block: int = 0, K: int = 3) -> dict:
    """Sweep task over :func:`lemma13_chunks`: its counts as scalars (``block`` numbers independent repeats).

    Returns scalars: ``n_prime``, ``M``, ``event``, ``fail``, ``kept_sum`` and
    ``kept_sumsq`` (sums of the kept counts and of their squares, exact integers, so that
    blocks can be pooled).
    """
    check_int("block", block, 0)
    out = lemma13_chunks(rng, n, chunks, K)
    counts = out.counts.astype(np.int64)
    return {
        "n_prime": out.n_prime,
        "M": out.M,
        "event": out.event,
        "fail": out.fail,
        "kept_sum": int(counts.sum()),
        "kept_sumsq": int((counts * counts).sum()),
    }


def block_satisfied(psi, blocks: Blocks) -> np.ndarray:
    r""":math:`T_{K,M}(U_x(\psi))` per block: every clause has a true literal (bool, N).

    Parameters
    ----------
    psi : array_like of ±1, length n
        The assignment.
    blocks : Blocks
        The blocks.

    Returns
    -------
    numpy.ndarray of bool, shape (N,)
        :math:`h_\psi(x)` per block.
    """
    _check_blocks(blocks)
    return np.all(blocks.true_counts(psi) > 0, axis=1)


def signed_incidence(blocks: Blocks) -> np.ndarray:
    r""":math:`e_t(x) = \sum_l s_{t,l}\, e_{i_{t,l}} \in \{0, \pm1\}^n` per block and clause (N x M x n, int8).

    Then :math:`\langle \psi, e_t(x) \rangle = \sum_l z_{t,l}`.

    Parameters
    ----------
    blocks : Blocks
        N blocks on n variables.

    Returns
    -------
    numpy.ndarray of int8, shape (N, M, n)
        The signed incidence vectors.
    """
    _check_blocks(blocks)
    N, M, _ = blocks.variables.shape
    check_memory(
        float(N) * M * blocks.n, f"the signed incidence of {N} blocks (N x M x n = {N} x {M} x {blocks.n} bytes)"
    )
    out = np.zeros((N, M, blocks.n), dtype=np.int8)
    out[np.arange(N)[:, None, None], np.arange(M)[None, :, None], blocks.variables] = blocks.signs
    return out


def random_blocks(n: int, K: int, M: int, count: int, rng: np.random.Generator) -> Blocks:
    """``count`` independent uniform elements of :math:`X_{n,KM}` viewed as blocks.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block (KM <= n).
    count : int
        Number of blocks, count >= 0.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Blocks
        ``count`` uniform blocks.
    """
    n = check_int("n", n, 1)
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    count = check_int("count", count, 0)
    check_rng(rng)
    if K * M > n:
        raise ValueError(f"M*K = {M * K} exceeds n = {n}: a block needs K*M distinct variables")
    v = distinct_tuples(n, count, K * M, rng).reshape(count, M, K)
    s = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, M, K))
    return Blocks(n, v, s)


def _scan_chunks(formula: Formula, chunk_size: int | None, mark_only_kept: bool) -> np.ndarray:
    """One pass over every chunk (vectorised over chunks): is constraint r disjoint from the
    variables marked so far?  Marks the variables of kept constraints only (the greedy step)
    or of every constraint (DSS16's fresh indicators).  Bool array (chunks x chunk_size)."""
    _check_formula(formula)
    size = formula.n if chunk_size is None else check_int("chunk_size", chunk_size, 1)
    chunks = formula.m // size
    check_memory(
        float(chunks) * (formula.n + size), f"the greedy scan of {chunks} chunks over n = {formula.n} variables"
    )
    var = formula.variables[: chunks * size].reshape(chunks, size, formula.K)
    used = np.zeros((chunks, formula.n), dtype=bool)
    disjoint = np.zeros((chunks, size), dtype=bool)
    rows = np.arange(chunks)[:, None]
    for r in range(size):
        v = var[:, r, :]
        ok = ~np.any(used[rows, v], axis=1)
        disjoint[:, r] = ok
        if mark_only_kept:
            used[rows[ok], v[ok]] = True
        else:
            used[rows, v] = True
    return disjoint


def greedy_disjoint_counts(formula: Formula, chunk_size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run the greedy disjoint selection of Lemma 13 in every chunk with no cap.

    The formula is cut into ``floor(m / chunk_size)`` consecutive chunks
    (``chunk_size`` defaults to n; left-over constraints are unused).  In each
    chunk, constraint r is kept iff its variables avoid those of every
    constraint kept before it in the chunk.  Returns ``(keep, counts)``:
    ``keep`` is a bool array (chunks x chunk_size), ``counts`` its row sums.
    Capping at M keeps the first M kept constraints, so a chunk yields M
    constraints iff its count is >= M.  Vectorised over chunks.

    Parameters
    ----------
    formula : Formula
        A SAT_K formula.
    chunk_size : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    keep : numpy.ndarray of bool, shape (chunks, chunk_size)
        Which constraints the greedy step keeps.
    counts : numpy.ndarray of int, shape (chunks,)
        Kept constraints per chunk.
    """
    keep = _scan_chunks(formula, chunk_size, mark_only_kept=True)
    return keep, keep.sum(axis=1)


def fresh_indicators(formula: Formula, chunk_size: int | None = None) -> np.ndarray:
    r"""DSS16's :math:`\bar X_r = 1 - X_r` in every chunk: constraint r shares no variable with
    *any* earlier constraint of its chunk (kept or not).  Bool array (chunks x chunk_size).

    A fresh constraint is always kept by the greedy step, so the greedy count
    is at least :math:`\sum_r \bar X_r`; Lemma 13's proof bounds the latter.

    Parameters
    ----------
    formula : Formula
        A SAT_K formula.
    chunk_size : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    numpy.ndarray of bool, shape (chunks, chunk_size)
        :math:`\bar X_r` per chunk and position.
    """
    return _scan_chunks(formula, chunk_size, mark_only_kept=False)


@dataclass
class GreedyOutcome:
    """Result of :func:`greedy_disjoint_blocks`.

    ``blocks`` is None when some chunk yielded fewer than M disjoint
    constraints (the reduction then answers "satisfiable"); ``failed_chunks``
    lists those chunks and ``kept_per_chunk`` how many each chunk could give.

    Attributes
    ----------
    blocks : Blocks or None
        One block per chunk, or None on failure.
    kept_per_chunk : numpy.ndarray
        Greedy count of every chunk (capped at M).
    failed_chunks : numpy.ndarray
        Indices of the chunks that yielded fewer than M.
    M : int
        Clauses per block.
    """

    blocks: Blocks | None
    kept_per_chunk: np.ndarray
    failed_chunks: np.ndarray
    M: int

    @property
    def failed(self) -> bool:
        return self.blocks is None


def greedy_blocks_per_chunk(formula: Formula, M: int, chunk_size: int | None = None):
    """The block of every chunk that yields M disjoint constraints.

    Returns ``(blocks, succeeded, counts)``: the blocks of the chunks whose
    greedy count reaches M (in chunk order), a bool mask of those chunks, and
    every chunk's count.  On a random formula each returned block is a uniform
    T_{K,M} constraint (by symmetry, also conditionally on success).

    Parameters
    ----------
    formula : Formula
        A SAT_K formula.
    M : int
        Clauses per block, M >= 1.
    chunk_size : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    blocks : Blocks
        The blocks of the successful chunks.
    succeeded : numpy.ndarray of bool
        Which chunks reached M.
    counts : numpy.ndarray of int
        Every chunk's greedy count.
    """
    _check_formula(formula)
    M = check_int("M", M, 1)
    if M * formula.K > formula.n:
        raise ValueError(f"M*K = {M * formula.K} exceeds n = {formula.n}: disjoint clauses need K*M distinct variables")
    size = formula.n if chunk_size is None else check_int("chunk_size", chunk_size, 1)
    if formula.m < size:
        raise ValueError(f"the formula has m = {formula.m} constraints, fewer than one chunk of {size}")
    keep, counts = greedy_disjoint_counts(formula, size)
    succeeded = counts >= M
    chunks = np.flatnonzero(succeeded)
    # positions of the first M kept constraints of each successful chunk
    order = np.argsort(~keep[chunks], axis=1, kind="stable")[:, :M]
    idx = ((chunks * size)[:, None] + order).ravel()
    v = formula.variables[idx].reshape(len(chunks), M, formula.K)
    s = formula.signs[idx].reshape(len(chunks), M, formula.K)
    return Blocks(formula.n, v, s), succeeded, counts


def greedy_disjoint_blocks(formula: Formula, M: int, chunk_size: int | None = None) -> GreedyOutcome:
    """DSS16 Lemma 13's procedure: SAT_K with m constraints to T_{K,M} with m/n constraints.

    Cut the formula into consecutive chunks of n constraints (``chunk_size``
    only for small demonstrations); in each chunk greedily keep constraints
    whose variables are disjoint from those kept so far until M are kept; the
    M kept constraints form one T_{K,M} block on KM distinct variables.  If a
    chunk yields fewer than M, the outcome is a failure.

    Parameters
    ----------
    formula : Formula
        A SAT_K formula with m constraints.
    M : int
        Clauses per block, M >= 1.
    chunk_size : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    GreedyOutcome
        The blocks (one per chunk), or a failure with the chunks that caused it.
    """
    blocks, succeeded, counts = greedy_blocks_per_chunk(formula, M, chunk_size)
    failed = np.flatnonzero(~succeeded)
    return GreedyOutcome(None if failed.size else blocks, counts, failed, M)


@dataclass
class LabelledSample:
    """Blocks with 0/1 labels: 1 for a T_{K,M} constraint, 0 for a ¬T_{K,M} constraint.

    Parameters
    ----------
    blocks : Blocks
        The examples.
    labels : array_like of 0/1, length N
        One label per block.
    """

    blocks: Blocks
    labels: np.ndarray

    def __post_init__(self):
        _check_blocks(self.blocks)
        self.labels = check_labels(self.blocks, self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index) -> LabelledSample:
        index = np.atleast_1d(np.arange(len(self))[index])
        return LabelledSample(self.blocks[index], self.labels[index])

    def split(self, fraction: float, rng: np.random.Generator) -> tuple[LabelledSample, LabelledSample]:
        """Random split into (first part with ``fraction`` of the examples, rest)."""
        fraction = check_probability("fraction", fraction)
        check_rng(rng)
        cut = int(round(fraction * len(self)))
        if cut == 0 or cut == len(self):
            raise ValueError(
                f"fraction = {fraction} of {len(self)} examples leaves one part empty; "
                "a split needs at least one example on each side"
            )
        perm = rng.permutation(len(self))
        return self[perm[:cut]], self[perm[cut:]]


def labelled_sample(blocks: Blocks, rng: np.random.Generator) -> LabelledSample:
    """DSS16 Lemma 15: replace each block w.p. 1/2 by a uniform ¬T_{K,M} block.

    A uniform ¬T_{K,M} constraint is a uniform element of :math:`X_{n,KM}` read
    with the predicate ¬T, so the replacement is a fresh random block with
    label 0; kept blocks get label 1.

    Parameters
    ----------
    blocks : Blocks
        The :math:`T_{K,M}` blocks of Lemma 13.
    rng : numpy.random.Generator
        Source of randomness: the coins, then the fresh blocks.

    Returns
    -------
    LabelledSample
        The blocks, half of them (in law) replaced, with their labels.
    """
    _check_blocks(blocks)
    check_rng(rng)
    replace = rng.random(len(blocks)) < 0.5
    fresh = random_blocks(blocks.n, blocks.K, blocks.M, int(replace.sum()), rng)
    v = blocks.variables.copy()
    s = blocks.signs.copy()
    v[replace] = fresh.variables
    s[replace] = fresh.signs
    return LabelledSample(Blocks(blocks.n, v, s), (~replace).astype(np.int8))


def formula_to_sample(formula: Formula, M: int, rng: np.random.Generator, chunk_size: int | None = None):
    """Lemma 13 then Lemma 15.  Returns the :class:`LabelledSample`, or None if the greedy step failed.

    Parameters
    ----------
    formula : Formula
        A SAT_K formula.
    M : int
        Clauses per block.
    rng : numpy.random.Generator
        Source of randomness (Lemma 15's coins and fresh blocks).
    chunk_size : int, optional
        Constraints per chunk (default n).

    Returns
    -------
    LabelledSample or None
        The sample, or None when some chunk yields fewer than M disjoint constraints.
    """
    check_rng(rng)
    outcome = greedy_disjoint_blocks(formula, M, chunk_size)
    if outcome.failed:
        return None
    return labelled_sample(outcome.blocks, rng)


def expected_label_noise(K: int, M: int) -> float:
    r"""Expected fraction of examples of a planted sample that :math:`h_\psi` gets wrong.

    A uniform ¬T_{K,M} block is satisfied (as a T block) by a fixed psi with
    probability :math:`(1 - 2^{-K})^M`; half of the examples are ¬T blocks, so
    the rate is :math:`\tfrac12 (1 - 2^{-K})^M`.

    Parameters
    ----------
    K, M : int
        Literals per clause and clauses per block (both >= 1).

    Returns
    -------
    float
        :math:`\tfrac12 (1 - 2^{-K})^M`.
    """
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    return 0.5 * (1 - 2.0**-K) ** M


def realizable_by(psi, sample: LabelledSample) -> np.ndarray:
    r"""Per example: :math:`h_\psi(x) = T_{K,M}(U_x(\psi))` equals the label.

    Parameters
    ----------
    psi : array_like of ±1, length n
        The assignment.
    sample : LabelledSample
        The labelled sample.

    Returns
    -------
    numpy.ndarray of bool
        Per example, whether :math:`h_\psi` agrees with its label.
    """
    if not isinstance(sample, LabelledSample):
        raise TypeError(f"sample must be a LabelledSample, got {type(sample).__name__}")
    return block_satisfied(psi, sample.blocks) == sample.labels.astype(bool)


def realizable_sample(n: int, K: int, M: int, size: int, rng: np.random.Generator, psi=None) -> LabelledSample:
    r"""A sample realizable by :math:`h_\psi`: uniform blocks labelled by :math:`T_{K,M}(U_x(\psi))`.

    The positive side of DLSS14 Theorem 12 as DSS16 uses it (claim C4): ``size``
    independent uniform blocks :math:`x \in X_{n,KM}`, each labelled
    :math:`h_\psi(x) = T_{K,M}(U_x(\psi))`, so that some hypothesis of the class
    has zero error on the sample.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause and clauses per block (:math:`KM \le n`).
    size : int
        Number of examples :math:`|S| \ge 0`.
    rng : numpy.random.Generator
        Source of randomness: draws :math:`\psi` (when not given), then the blocks.
    psi : array_like of ±1, optional
        The labelling assignment; uniform on :math:`\{\pm1\}^n` when omitted.

    Returns
    -------
    LabelledSample
        The blocks and their labels (0/1).
    """
    check_rng(rng)
    psi = random_assignment(check_int("n", n, 1), rng) if psi is None else check_assignment(psi, n)
    blocks = random_blocks(n, K, M, size, rng)
    return LabelledSample(blocks, block_satisfied(psi, blocks).astype(int))


def scattered_sample(n: int, K: int, M: int, size: int, rng: np.random.Generator) -> LabelledSample:
    r"""A scattered sample: uniform blocks with fair-coin labels (DSS16 Example 1, claim C3).

    The labels are independent of the blocks, so every fixed hypothesis has
    :math:`m\,\mathrm{Err}_S(h) \sim \mathrm{Bin}(m, 1/2)` with :math:`m = |S|`, and
    :math:`P(\mathrm{Err}_S(h) \le 1/4) \le 2^{-m/8}`
    (:func:`natweights.bounds.scattered_hoeffding_bound`).

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause and clauses per block (:math:`KM \le n`).
    size : int
        Number of examples :math:`|S| \ge 0`.
    rng : numpy.random.Generator
        Source of randomness: draws the blocks, then the labels.

    Returns
    -------
    LabelledSample
        The blocks and their labels (0/1, each 1 with probability 1/2).
    """
    blocks = random_blocks(n, K, M, size, rng)
    return LabelledSample(blocks, rng.integers(0, 2, len(blocks)))
