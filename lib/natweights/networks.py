r"""Depth-2 ReLU networks and the ±1 network that computes :math:`T_{K,M}` (claim C8, a reconstruction).

Convention of DV21: a ReLU in the hidden layer and at the output,

.. math:: N(x) = \Big[\sum_{j=1}^m u_j\,[\langle w_j, x\rangle + b_j]_+ + b_0\Big]_+ ,

with :math:`W = (w_1, \dots, w_m) \in \mathbb R^{d\times m}`; ``output="linear"``
drops the outer ReLU.

For a block with literal values :math:`z_{t,l}` and
:math:`\mathrm{true}_t = \sum_l (1+z_{t,l})/2`,
:math:`T_{K,M} = [1 - \sum_t [1 - \mathrm{true}_t]_+]_+`, and
:math:`1 - \mathrm{true}_t = 1 - K/2 - \langle \psi, e_t(x)\rangle/2`: a
convolution of one filter :math:`-\psi/2` over the M patches
:math:`e_t(x)`, bias :math:`1 - K/2`, second layer -1, output bias 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ksat import check_assignment
from .reduction import Blocks, _check_blocks, signed_incidence
from .validation import check_finite_array, check_int, check_memory, check_real, check_rng

__all__ = [
    "relu",
    "Depth2Network",
    "encode_signed",
    "block_network",
    "conv_filter_network",
    "encode_for_filter",
    "rademacher_filter_network",
    "gaussian_filter_network",
]


def relu(x):
    r""":math:`[x]_+ = \max(x, 0)` elementwise.

    Parameters
    ----------
    x : array_like
        Any array.

    Returns
    -------
    numpy.ndarray
        :math:`\max(x, 0)`.
    """
    return np.maximum(x, 0.0)


@dataclass
class Depth2Network:
    """:math:`N(x) = \\sigma(u^\\top [W^\\top x + b]_+ + b_0)` with σ = ReLU or identity.

    Parameters
    ----------
    W : numpy.ndarray, shape (d, m)
        Hidden weights, one column per neuron.
    b : numpy.ndarray, shape (m,)
        Hidden biases.
    u : numpy.ndarray, shape (m,)
        Output weights.
    b0 : float
        Output bias.
    output : {"relu", "linear"}, default "relu"
        The output activation σ.
    """

    W: np.ndarray
    b: np.ndarray
    u: np.ndarray
    b0: float
    output: str = "relu"

    def __post_init__(self):
        self.W = check_finite_array("W", self.W)
        self.b = check_finite_array("b", self.b).ravel()
        self.u = check_finite_array("u", self.u).ravel()
        self.b0 = check_real("b0", self.b0)
        if self.W.ndim != 2:
            raise ValueError(f"W must be a d x m matrix, got shape {self.W.shape}")
        d, m = self.W.shape
        if self.b.shape != (m,) or self.u.shape != (m,):
            raise ValueError(f"b and u must have length m = {m}, got {self.b.shape} and {self.u.shape}")
        if self.output not in ("relu", "linear"):
            raise ValueError(f"output must be 'relu' or 'linear', got {self.output!r}")

    @property
    def d(self) -> int:
        return self.W.shape[0]

    @property
    def width(self) -> int:
        return self.W.shape[1]

    def preactivations(self, X) -> np.ndarray:
        """Hidden pre-activations :math:`XW + b` (N x m)."""
        X = check_finite_array("X", X)
        if X.ndim != 2 or X.shape[1] != self.d:
            raise ValueError(f"X must be N x d with d = {self.d}, got shape {X.shape}")
        return X @ self.W + self.b

    def __call__(self, X) -> np.ndarray:
        out = relu(self.preactivations(X)) @ self.u + self.b0
        return relu(out) if self.output == "relu" else out

    def with_output(self, output: str) -> Depth2Network:
        return Depth2Network(self.W, self.b, self.u, self.b0, output)


def encode_signed(blocks: Blocks, n: int | None = None) -> np.ndarray:
    r"""The M signed-indicator patches :math:`e_t(x)` concatenated: N x Mn, entries in {0, ±1}.

    Parameters
    ----------
    blocks : Blocks
        N blocks.
    n : int, optional
        Number of variables (default ``blocks.n``).

    Returns
    -------
    numpy.ndarray, shape (N, M n)
        The encoded inputs.
    """
    _check_blocks(blocks)
    if n is not None and check_int("n", n, 1) != blocks.n:
        raise ValueError(f"blocks have n = {blocks.n}, asked for n = {n}")
    check_memory(
        8.0 * len(blocks) * blocks.M * blocks.n,
        f"the dense inputs of {len(blocks)} blocks (N x Mn = {len(blocks)} x {blocks.M * blocks.n} floats)",
    )
    return signed_incidence(blocks).reshape(len(blocks), -1).astype(float)


def conv_filter_network(filter_, K: int, M: int, output: str = "relu") -> Depth2Network:
    r"""One filter f shared by M neurons over M patches (block-diagonal W), bias 1 - K/2, u = -1, b0 = 1.

    Parameters
    ----------
    filter_ : array_like, length n
        The shared filter f.
    K, M : int
        Literals per clause and clauses per block.
    output : {"relu", "linear"}, default "relu"
        The output activation.

    Returns
    -------
    Depth2Network
        The network of width M on inputs of dimension Mn.
    """
    f = check_finite_array("filter_", filter_).ravel()
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    n = f.size
    if n == 0:
        raise ValueError("filter_ must have at least one entry")
    check_memory(8.0 * M * n * M, f"the block-diagonal W of M = {M} filters of length {n}")
    W = np.zeros((M * n, M))
    for t in range(M):
        W[t * n : (t + 1) * n, t] = f
    return Depth2Network(W, np.full(M, 1 - K / 2), -np.ones(M), 1.0, output)


def block_network(psi, K: int, M: int, output: str = "relu") -> Depth2Network:
    r"""The ±1 network of claim C8: filter :math:`-\psi/2`; on ``encode_signed(blocks)`` it equals
    :math:`T_{K,M}(U_x(\psi))` exactly.

    Parameters
    ----------
    psi : array_like of ±1, length n
        The assignment.
    K, M : int
        Literals per clause and clauses per block.
    output : {"relu", "linear"}, default "relu"
        The output activation.

    Returns
    -------
    Depth2Network
        The network of width M on inputs of dimension Mn.
    """
    psi = check_assignment(psi)
    return conv_filter_network(-psi / 2.0, K, M, output)


def encode_for_filter(blocks: Blocks, filter_) -> np.ndarray:
    r"""Inputs for a filter network with any filter f without zeros.

    Patch t has :math:`s_{t,l}/(2|f_{i_{t,l}}|)` at :math:`i_{t,l}`, so that
    :math:`\langle f, x_t\rangle = -\sum_l z_{t,l}/2` for
    :math:`\psi = -\mathrm{sign}(f)`: the network then computes
    :math:`T_{K,M}(U_x(\psi))`.  For :math:`f \in \{\pm 1/2\}^n` this is
    ``encode_signed`` and does not depend on f.

    Parameters
    ----------
    blocks : Blocks
        N blocks.
    filter_ : array_like, length n
        The filter f, without zero entries.

    Returns
    -------
    numpy.ndarray, shape (N, M n)
        The encoded inputs.
    """
    _check_blocks(blocks)
    f = check_finite_array("filter_", filter_).ravel()
    if f.size != blocks.n:
        raise ValueError(f"filter must have length n = {blocks.n}, got {f.size}")
    if np.any(f == 0):
        raise ValueError("filter entries must be non-zero")
    patches = signed_incidence(blocks).astype(float) / (2 * np.abs(f))[None, None, :]
    return patches.reshape(len(blocks), -1)


def rademacher_filter_network(n: int, K: int, M: int, rng: np.random.Generator, output: str = "relu"):
    r"""A CNN whose filter is uniform in :math:`\{\pm1/2\}^n`; returns ``(network, psi)`` with
    :math:`\psi = -2f` uniform.  The encoding map ``encode_signed`` does not depend on the filter;
    which blocks occur does, through :math:`\psi = -2f` (a planted sample's positive blocks are the
    ones psi satisfies).  After the rerandomisation of C1 the planted psi is uniform, hence so is the filter.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block.
    rng : numpy.random.Generator
        Source of randomness (the filter).
    output : {"relu", "linear"}, default "relu"
        The output activation.

    Returns
    -------
    network : Depth2Network
        The filter network.
    psi : numpy.ndarray
        :math:`-2f`, the assignment it computes.
    """
    n = check_int("n", n, 1)
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    check_rng(rng)
    f = rng.choice(np.array([-0.5, 0.5]), size=n)
    return conv_filter_network(f, K, M, output), (-2 * f).astype(np.int8)


def gaussian_filter_network(n: int, K: int, M: int, rng: np.random.Generator, output: str = "relu"):
    r"""A CNN whose filter has i.i.d. N(0, 1) entries; returns ``(network, filter, psi)`` with
    :math:`\psi = -\mathrm{sign}(f)`.  Inputs come from :func:`encode_for_filter` and depend on :math:`|f|`.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block.
    rng : numpy.random.Generator
        Source of randomness (the filter).
    output : {"relu", "linear"}, default "relu"
        The output activation.

    Returns
    -------
    network : Depth2Network
        The filter network.
    filter : numpy.ndarray
        The filter f.
    psi : numpy.ndarray
        :math:`-\mathrm{sign}(f)`.
    """
    n = check_int("n", n, 1)
    K = check_int("K", K, 1)
    M = check_int("M", M, 1)
    check_rng(rng)
    f = rng.standard_normal(n)
    psi = np.where(f < 0, 1, -1).astype(np.int8)
    return conv_filter_network(f, K, M, output), f, psi
