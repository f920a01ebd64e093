r"""The natural-weight embedding (PROOF_MAP §6) — a reconstruction, not DV20's own construction.

Input dimension :math:`d = (n+1) r`, split into n + 1 groups of r
coordinates: group 0 (bias group) and group i for variable i.  The
reduction draws a **public** :math:`A \sim \mu` (with b, u, :math:`b_0`); the
**secret** network is :math:`W = \mathrm{diag}(\varepsilon) A` with
:math:`\varepsilon = +1` on group 0 and :math:`\psi_i` on group i.  For a
row-sign-invariant law, W has the law of A for every psi (C9).

With :math:`A_g \in \mathbb R^{r\times m}` the rows of group g, an input
puts :math:`v_g = A_g (A_g^\top A_g)^{-1} c_g` (the minimum-norm solution of
:math:`A_g^\top v = c_g`) in group g, so that neuron j's pre-activation is
:math:`\sum_g \varepsilon_g c_{g,j} + b_j`.  Routing (public): M clause
neurons with :math:`u_j \le -\tau`, a constant neuron j* when
:math:`b_0 \ne 1`, and every other neuron switched off (pre-activation -1).
Targets:

* bias group: :math:`c_{j_t} = (1 - K/2)/|u_{j_t}| - b_{j_t}`,
  :math:`c_{j^*} = (1 - b_0)/u_{j^*} - b_{j^*}`, :math:`c_j = -1 - b_j` otherwise;
* group i used by literal (s, i) of clause t: :math:`c_{j_t} = -s/(2|u_{j_t}|)`, 0 elsewhere.

Then :math:`N(x) = [\,b_0 + (1 - b_0) - \sum_t [1 - \mathrm{true}_t]_+]_+ = T_{K,M}(U_x(\psi))` (C10).
The inputs depend on the public part only, never on psi.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _st

from .ksat import check_assignment
from .networks import Depth2Network
from .reduction import Blocks
from .weights import WeightLaw

__all__ = ["NaturalEmbedding", "EmbeddingError", "routing_probability", "default_width", "routable_failure_probability"]


class EmbeddingError(ValueError):
    """The public part drawn cannot carry the construction (routing or conditioning failed)."""


def routing_probability(law: WeightLaw) -> float:
    r""":math:`p = P(u_j \le -\tau)` for the default :math:`\tau` = half the standard deviation of u."""
    return float(law.entry_cdf(-0.5 * law.entry_std))


def routable_failure_probability(m: int, M: int, p: float) -> float:
    r"""P(fewer than M + 1 of m neurons have :math:`u_j \le -\tau`): :math:`P(\mathrm{Bin}(m, p) \le M)`.

    M + 1 covers the constant neuron when it must have :math:`u_{j^*} < 0` (:math:`b_0 > 1`).
    """
    return float(_st.binom.cdf(M, m, p))


def default_width(M: int, p: float, delta: float = 1e-3) -> int:
    r"""Smallest width m with :math:`P(\mathrm{Bin}(m, p) \le M) \le \delta` and :math:`(1-p)^m \le \delta` (C11)."""
    if not 0 < p < 1:
        raise ValueError(f"routing probability p must lie in (0, 1), got {p}")
    m = M + 1
    while routable_failure_probability(m, M, p) > delta or (1 - p) ** m > delta:
        m += 1
    return m


class NaturalEmbedding:
    """Public part of the reduction for ``n`` variables, blocks of M clauses of K literals.

    Parameters: ``law`` (a row-sign-invariant :class:`~natweights.weights.WeightLaw`),
    ``rng``; optional hidden width ``m`` (default :func:`default_width` with
    failure 1e-3), group size ``r`` (default 2m; r >= m is required and r > m
    for padding) and routing threshold ``tau`` (default half the standard
    deviation of u).  Raises :class:`EmbeddingError` when routing or the rank
    of a group fails, saying what was found and what is needed.
    """

    def __init__(self, n: int, K: int, M: int, law: WeightLaw, rng: np.random.Generator, m: int | None = None,
                 r: int | None = None, tau: float | None = None, max_condition: float = 1e8):
        if K < 1 or M < 1 or n < 1:
            raise ValueError(f"n, K and M must be positive, got n = {n}, K = {K}, M = {M}")
        if K * M > n:
            raise ValueError(f"M*K = {M * K} exceeds n = {n}: a block needs K*M distinct variables")
        if not law.row_sign_invariant:
            raise ValueError(f"weight law {law} is not row-sign invariant: diag(eps) A would not have the law of A, "
                             "so the planted network would not be a natural random network")
        self.n, self.K, self.M, self.law = n, K, M, law
        p = routing_probability(law)
        self.m = default_width(M, p) if m is None else int(m)
        if self.m < M:
            raise ValueError(f"width m = {self.m} is below M = {M}: each clause needs its own neuron")
        self.r = 2 * self.m if r is None else int(r)
        if self.r < self.m:
            raise ValueError(f"group size r = {self.r} is below the width m = {self.m}: A_g^T v = c needs rank m, so r >= m")
        self.d = (n + 1) * self.r
        self.tau = 0.5 * law.entry_std * law.u_scale(self.m) if tau is None else float(tau)
        self.A, self.b, self.u, self.b0 = law.sample_parameters(self.d, self.m, rng)
        self._route()
        self._solve_groups(max_condition)

    # -- routing ---------------------------------------------------------
    def _route(self):
        neg = np.flatnonzero(self.u <= -self.tau)
        need_const = self.b0 != 1.0
        const_negative = need_const and (1 - self.b0) < 0
        need = self.M + (1 if const_negative else 0)
        if neg.size < need:
            raise EmbeddingError(
                f"found {neg.size} neurons with u <= -tau = {-self.tau:.3f}, need {need} (M = {self.M}"
                + (f" plus a constant neuron since b0 = {self.b0:.3f} > 1" if const_negative else "")
                + f"); increase m (now {self.m})")
        self.clause_neurons = neg[: self.M]
        self.constant_neuron = None
        if need_const:
            if const_negative:
                self.constant_neuron = int(neg[self.M])
            else:
                pos = np.flatnonzero(self.u >= self.tau)
                if pos.size == 0:
                    raise EmbeddingError(f"found no neuron with u >= tau = {self.tau:.3f} for the constant term "
                                         f"(b0 = {self.b0:.3f} < 1); increase m (now {self.m})")
                self.constant_neuron = int(pos[0])
        self.routable_count = int(neg.size)

    # -- group solves ----------------------------------------------------
    def _solve_groups(self, max_condition: float):
        groups = self.A.reshape(self.n + 1, self.r, self.m)
        U, S, Vt = np.linalg.svd(groups, full_matrices=False)
        self.sigma_min = S[:, -1]
        self.sigma_max = S[:, 0]
        with np.errstate(divide="ignore", over="ignore"):  # a singular block has infinite condition number
            cond = self.sigma_max / np.maximum(self.sigma_min, np.finfo(float).tiny)
        if np.any(cond > max_condition):
            g = int(np.argmax(cond))
            raise EmbeddingError(
                f"group {g} of A (r = {self.r} rows, m = {self.m} columns) has sigma_min = {self.sigma_min[g]:.3g} "
                f"(condition {cond[g]:.3g} > {max_condition:.0e}): it lacks rank m; increase r (r >= 2m recommended)")
        # P_g = A_g (A_g^T A_g)^{-1} = U_g S_g^{-1} V_g^T  (n+1, r, m)
        self._P = (U / S[:, None, :]) @ Vt
        self._Pt = np.ascontiguousarray(self._P.transpose(0, 2, 1))  # (n+1, m, r): rows are P_g[:, j]
        c0 = -1.0 - self.b
        ct = self.clause_neurons
        c0[ct] = (1 - self.K / 2) / np.abs(self.u[ct]) - self.b[ct]
        if self.constant_neuron is not None:
            j = self.constant_neuron
            c0[j] = (1 - self.b0) / self.u[j] - self.b[j]
        self.bias_target = c0
        self.bias_input = self._P[0] @ c0
        self.clause_coefficient = -1.0 / (2 * np.abs(self.u[ct]))  # times s for literal (s, i) of clause t

    # -- public interface ------------------------------------------------
    def _check_blocks(self, blocks: Blocks):
        if blocks.n != self.n or blocks.K != self.K or blocks.M != self.M:
            raise ValueError(f"blocks have (n, K, M) = ({blocks.n}, {blocks.K}, {blocks.M}), the embedding "
                             f"({self.n}, {self.K}, {self.M})")

    def encode(self, blocks: Blocks, chunk: int = 256) -> np.ndarray:
        """Inputs X (N x d) for the blocks; they depend on the public part only."""
        self._check_blocks(blocks)
        N = len(blocks)
        X = np.empty((N, self.n + 1, self.r))
        jt = self.clause_neurons[None, :, None]
        coef = self.clause_coefficient[None, :, None]
        for start in range(0, N, chunk):
            stop = min(N, start + chunk)
            Xc = X[start:stop]
            Xc.fill(0.0)
            Xc[:, 0, :] = self.bias_input
            v = blocks.variables[start:stop]
            s = blocks.signs[start:stop]
            cols = self._Pt[1 + v, np.broadcast_to(jt, v.shape)]  # (B, M, K, r)
            Xc[np.arange(stop - start)[:, None, None], 1 + v, :] = (s * coef)[..., None] * cols
        return X.reshape(N, self.d)

    def eps(self, psi) -> np.ndarray:
        r""":math:`\varepsilon(\psi) \in \{\pm1\}^d`: +1 on group 0, :math:`\psi_i` on group i."""
        psi = check_assignment(psi, self.n)
        return np.repeat(np.concatenate([[1], psi]), self.r).astype(float)

    def network(self, psi, output: str = "relu") -> Depth2Network:
        """The planted network :math:`W = \\mathrm{diag}(\\varepsilon(\\psi)) A` with the public b, u, b0."""
        return Depth2Network(self.eps(psi)[:, None] * self.A, self.b, self.u, self.b0, output)

    def group_inputs(self, X) -> np.ndarray:
        return np.asarray(X).reshape(len(X), self.n + 1, self.r)

    def input_norm_bound(self) -> float:
        r"""Uniform bound :math:`\|x\|^2 \le \|c_0\|^2/\sigma_0^2 + \sum_t K c_t^2/\min_{g\ge1}\sigma_g^2` (C12)."""
        s0 = self.sigma_min[0]
        smin = self.sigma_min[1:].min()
        return float(np.sqrt(np.sum(self.bias_target**2) / s0**2 + self.K * np.sum(self.clause_coefficient**2) / smin**2))

    def pad_to_norm(self, X, radius: float, rng: np.random.Generator | None = None) -> np.ndarray:
        """Add a vector orthogonal to the columns of A_0 in the bias group so that every row has norm ``radius``.

        The pre-activations, hence every output, are unchanged.  Needs r > m and
        ``radius`` at least the largest input norm.  The direction is the first
        complement basis vector, or a uniform unit vector of the complement if
        ``rng`` is given.
        """
        if self.r <= self.m:
            raise ValueError(f"padding needs r > m (r = {self.r}, m = {self.m}): the complement of A_0's columns is empty")
        X = np.asarray(X, dtype=float)
        norms = np.linalg.norm(X, axis=1)
        if np.any(norms > radius * (1 + 1e-12)):
            raise ValueError(f"radius {radius:.4g} is below the largest input norm {norms.max():.4g}")
        U, _, _ = np.linalg.svd(self.A[: self.r], full_matrices=True)
        comp = U[:, self.m:]
        if rng is None:
            q = comp[:, 0]
        else:
            a = rng.standard_normal(comp.shape[1])
            q = comp @ (a / np.linalg.norm(a))
        out = X.copy()
        out[:, : self.r] += np.sqrt(np.maximum(radius**2 - norms**2, 0))[:, None] * q[None, :]
        return out

    def diagnostics(self) -> dict:
        return {
            "n": self.n, "K": self.K, "M": self.M, "m": self.m, "r": self.r, "d": self.d, "tau": self.tau,
            "routable": self.routable_count, "constant_neuron": self.constant_neuron,
            "sigma_min_min": float(self.sigma_min.min()), "sigma_min_median": float(np.median(self.sigma_min)),
            "input_norm_bound": self.input_norm_bound(),
        }
