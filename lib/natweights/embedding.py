r"""The natural-weight embedding (claims C9–C12) — a reconstruction, not DV20's own construction.

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
from .reduction import Blocks, _check_blocks
from .validation import check_finite_array, check_int, check_memory, check_probability, check_real, check_rng
from .weights import WeightLaw, _check_law

__all__ = [
    "NaturalEmbedding",
    "EmbeddingError",
    "routing_probability",
    "default_width",
    "routable_failure_probability",
    "draw_embedding",
]

#: Keys of the ``redraws`` tally of :func:`draw_embedding`.
REDRAW_ROUTING = "routing or rank"
REDRAW_NORM = "norm bound above sqrt(d)"


class EmbeddingError(ValueError):
    """The public part drawn cannot carry the construction (routing or conditioning failed)."""


def routing_probability(law: WeightLaw) -> float:
    r""":math:`p = P(u_j \le -\tau)` for the default :math:`\tau` = half the standard deviation of u.

    Parameters
    ----------
    law : WeightLaw
        The weight law.

    Returns
    -------
    float
        The routing probability p.
    """
    _check_law(law)
    return float(law.entry_cdf(-0.5 * law.entry_std))


def routable_failure_probability(m: int, M: int, p: float) -> float:
    r"""P(fewer than M + 1 of m neurons have :math:`u_j \le -\tau`): :math:`P(\mathrm{Bin}(m, p) \le M)`.

    M + 1 covers the constant neuron when it must have :math:`u_{j^*} < 0` (:math:`b_0 > 1`).

    Parameters
    ----------
    m : int
        Hidden width.
    M : int
        Clauses per block.
    p : float
        Routing probability of one neuron, in [0, 1].

    Returns
    -------
    float
        :math:`P(\mathrm{Bin}(m, p) \le M)`.
    """
    m = check_int("m", m, 0)
    M = check_int("M", M, 0)
    p = check_probability("p", p, open_low=False, open_high=False)
    return float(_st.binom.cdf(M, m, p))


def default_width(M: int, p: float, delta: float = 1e-3) -> int:
    r"""Smallest width m with :math:`P(\mathrm{Bin}(m, p) \le M) \le \delta` and :math:`(1-p)^m \le \delta` (C11).

    Both failure probabilities decrease in m, so the smallest width is found
    by doubling from M + 1 and then bisecting (O(log m) evaluations).

    Parameters
    ----------
    M : int
        Clauses per block, M >= 1.
    p : float
        Routing probability of one neuron, in (0, 1).
    delta : float, default 1e-3
        Allowed failure probability, in (0, 1).

    Returns
    -------
    int
        The smallest such width.
    """
    M = check_int("M", M, 1)
    p = check_real("p", p, 0.0, 1.0, low_open=True, high_open=True)
    delta = check_real("delta", delta, 0.0, 1.0, low_open=True, high_open=True)

    def too_small(m: int) -> bool:
        return float(_st.binom.cdf(M, m, p)) > delta or (1 - p) ** m > delta

    lo = M + 1
    if not too_small(lo):
        return lo
    step = 1
    while too_small(lo + step):  # invariant: lo is too small
        lo += step
        step *= 2
        if step > 2**60:
            raise ValueError(
                f"p = {p!r} is too small: no width up to 2^60 routes M = {M} clauses "
                f"with failure probability delta = {delta!r}"
            )
    hi = lo + step  # too_small(lo) and not too_small(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if too_small(mid):
            lo = mid
        else:
            hi = mid
    return hi


class NaturalEmbedding:
    r"""Public part of the reduction for ``n`` variables, blocks of M clauses of K literals.

    Draws :math:`(A, b, u, b_0) \sim \mu`, routes M clause neurons (and a constant
    neuron when :math:`b_0 \ne 1`) and solves every group's minimum-norm inputs, so
    that the planted network :math:`\mathrm{diag}(\varepsilon(\psi)) A` computes
    :math:`T_{K,M}(U_x(\psi))` on the encoded blocks (C10).

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block (KM <= n).
    law : WeightLaw
        A row-sign-invariant weight law (:mod:`natweights.weights`).
    rng : numpy.random.Generator
        Source of randomness (the public part).
    m : int, optional
        Hidden width, m >= M (default :func:`default_width` with failure 1e-3).
    r : int, optional
        Rows per group, r >= m (default 2m; padding needs r > m).
    tau : float, optional
        Routing threshold, tau > 0 (default half the standard deviation of u).
    max_condition : float, default 1e8
        Largest condition number accepted for a group.

    Raises
    ------
    EmbeddingError
        When routing or the rank of a group fails, saying what was found and what is needed.
    """

    def __init__(
        self,
        n: int,
        K: int,
        M: int,
        law: WeightLaw,
        rng: np.random.Generator,
        m: int | None = None,
        r: int | None = None,
        tau: float | None = None,
        max_condition: float = 1e8,
    ):
        n = check_int("n", n, 1)
        K = check_int("K", K, 1)
        M = check_int("M", M, 1)
        _check_law(law)
        check_rng(rng)
        if K * M > n:
            raise ValueError(f"M*K = {M * K} exceeds n = {n}: a block needs K*M distinct variables")
        if not law.row_sign_invariant:
            raise ValueError(
                f"weight law {law} is not row-sign invariant: diag(eps) A would not have the law of A, "
                "so the planted network would not be a natural random network"
            )
        self.n, self.K, self.M, self.law = n, K, M, law
        p = routing_probability(law)
        self.m = default_width(M, p) if m is None else check_int("m", m, 1)
        if self.m < M:
            raise ValueError(f"width m = {self.m} is below M = {M}: each clause needs its own neuron")
        self.r = 2 * self.m if r is None else check_int("r", r, 1)
        if self.r < self.m:
            raise ValueError(
                f"group size r = {self.r} is below the width m = {self.m}: A_g^T v = c needs rank m, so r >= m"
            )
        self.d = (n + 1) * self.r
        # A (d x m), its group SVD (U, P and its transpose) and the inputs of one chunk
        check_memory(
            8.0 * 5 * self.d * self.m,
            f"the public part A of the embedding (d x m = {self.d} x {self.m} floats and its group SVD)",
        )
        if tau is not None:
            # tau > 0: a routed neuron needs u_j <= -tau < 0 (its targets divide by |u_j|)
            tau = check_real("tau", tau, 0.0, low_open=True)
        max_condition = check_real("max_condition", max_condition, 1.0)
        self.tau = 0.5 * law.entry_std * law.u_scale(self.m) if tau is None else tau
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
                + f"); increase m (now {self.m})"
            )
        self.clause_neurons = neg[: self.M]
        self.constant_neuron = None
        if need_const:
            if const_negative:
                self.constant_neuron = int(neg[self.M])
            else:
                pos = np.flatnonzero(self.u >= self.tau)
                if pos.size == 0:
                    raise EmbeddingError(
                        f"found no neuron with u >= tau = {self.tau:.3f} for the constant term "
                        f"(b0 = {self.b0:.3f} < 1); increase m (now {self.m})"
                    )
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
                f"(condition {cond[g]:.3g} > {max_condition:.0e}): it lacks rank m; increase r (r >= 2m recommended)"
            )
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
        _check_blocks(blocks)
        if blocks.n != self.n or blocks.K != self.K or blocks.M != self.M:
            raise ValueError(
                f"blocks have (n, K, M) = ({blocks.n}, {blocks.K}, {blocks.M}), the embedding "
                f"({self.n}, {self.K}, {self.M})"
            )

    def encode(self, blocks: Blocks, chunk: int = 256) -> np.ndarray:
        """Inputs X (N x d) for the blocks; they depend on the public part only."""
        self._check_blocks(blocks)
        chunk = check_int("chunk", chunk, 1)
        N = len(blocks)
        check_memory(
            8.0 * N * self.d + 8.0 * min(N, chunk) * self.M * self.K * self.r,
            f"the dense embedded inputs X (N x d = {N} x {self.d} floats)",
        )
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
        """X (N x d) seen as N x (n+1) x r: the inputs of each group."""
        X = self._check_inputs(X)
        return X.reshape(len(X), self.n + 1, self.r)

    def _check_inputs(self, X) -> np.ndarray:
        X = check_finite_array("X", X)
        if X.ndim != 2 or X.shape[1] != self.d:
            raise ValueError(f"X must be N x d with d = {self.d}, got shape {X.shape}")
        return X

    def input_norm_bound(self) -> float:
        r"""Uniform bound :math:`\|x\|^2 \le \|c_0\|^2/\sigma_0^2 + \sum_t K c_t^2/\min_{g\ge1}\sigma_g^2` (C12)."""
        s0 = self.sigma_min[0]
        smin = self.sigma_min[1:].min()
        return float(
            np.sqrt(np.sum(self.bias_target**2) / s0**2 + self.K * np.sum(self.clause_coefficient**2) / smin**2)
        )

    def group_norms(self, blocks: Blocks) -> tuple[np.ndarray, np.ndarray]:
        r"""Per block and group: the input norm :math:`\|v_g\|` and its bound :math:`\|c_g\|/\sigma_{\min}(A_g)`.

        Group 0 has target :math:`c_0` (``bias_target``); group :math:`i \ge 1` serves at most one
        literal :math:`(s, i)` of clause :math:`t`, with target :math:`c_i = s\,c_t e_{j_t}`
        (``clause_coefficient``), so :math:`\|c_i\| = |c_t|`; an unused group has
        :math:`c_i = 0` and input 0.  The targets are read from the blocks, not from the inputs, so
        the two arrays are computed independently (the norms from :meth:`encode`).

        Parameters
        ----------
        blocks : Blocks
            Blocks with this embedding's ``(n, K, M)``.

        Returns
        -------
        norms, bounds : numpy.ndarray, shape (N, n+1)
            :math:`\|v_g\|` and :math:`\|c_g\|/\sigma_{\min}(A_g)`; the sum of squares of a row of
            ``norms`` is :math:`\|x\|^2`.
        """
        self._check_blocks(blocks)
        norms = np.linalg.norm(self.group_inputs(self.encode(blocks)), axis=2)
        target = np.zeros((len(blocks), self.n + 1))
        target[:, 0] = np.linalg.norm(self.bias_target)
        rows = np.arange(len(blocks))[:, None, None]
        target[rows, 1 + blocks.variables] = np.abs(self.clause_coefficient)[None, :, None]
        return norms, target / self.sigma_min[None, :]

    def largest_bound_block(self) -> Blocks:
        r"""The block whose per-group bounds are largest: :math:`\sum_g \|c_g\|^2/\sigma_g^2` is maximal.

        The bias group is in every block; the literal groups add
        :math:`\sum_t c_t^2 \sum_l \sigma_{i_{t,l}}^{-2}`, which is largest (rearrangement inequality)
        when the clause with the largest :math:`|c_t|` gets the K groups of smallest
        :math:`\sigma_g`, the next clause the next K, and so on.  It is the block on which
        :meth:`input_norm_bound` is closest to the per-group bounds; signs are +1.

        Returns
        -------
        Blocks
            One block (N = 1).
        """
        groups = np.argsort(self.sigma_min[1:], kind="stable")[: self.K * self.M]  # variables, smallest sigma first
        clauses = np.argsort(-np.abs(self.clause_coefficient), kind="stable")
        variables = np.empty((self.M, self.K), dtype=np.int64)
        variables[clauses] = groups.reshape(self.M, self.K)
        return Blocks(self.n, variables[None], np.ones((1, self.M, self.K), dtype=np.int64))

    def pad_to_norm(self, X, radius: float, rng: np.random.Generator | None = None) -> np.ndarray:
        """Add a vector orthogonal to the columns of A_0 in the bias group so that every row has norm ``radius``.

        The pre-activations, hence every output, are unchanged.  Needs r > m and
        ``radius`` at least the largest input norm.  The direction is the first
        complement basis vector, or a uniform unit vector of the complement if
        ``rng`` is given.
        """
        if self.r <= self.m:
            raise ValueError(
                f"padding needs r > m (r = {self.r}, m = {self.m}): the complement of A_0's columns is empty"
            )
        X = self._check_inputs(X)
        radius = check_real("radius", radius, 0.0)
        if rng is not None:
            check_rng(rng)
        norms = np.linalg.norm(X, axis=1)
        if np.any(norms > radius * (1 + 1e-12)):
            raise ValueError(f"radius {radius:.4g} is below the largest input norm {norms.max():.4g}")
        U, _, _ = np.linalg.svd(self.A[: self.r], full_matrices=True)
        comp = U[:, self.m :]
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
            "n": self.n,
            "K": self.K,
            "M": self.M,
            "m": self.m,
            "r": self.r,
            "d": self.d,
            "tau": self.tau,
            "routable": self.routable_count,
            "constant_neuron": self.constant_neuron,
            "sigma_min_min": float(self.sigma_min.min()),
            "sigma_min_median": float(np.median(self.sigma_min)),
            "input_norm_bound": self.input_norm_bound(),
        }


def draw_embedding(
    n: int,
    K: int,
    M: int,
    law: WeightLaw,
    rng: np.random.Generator,
    *,
    inside_sphere: bool = False,
    attempts: int = 50,
    redraws: dict | None = None,
    **options,
) -> NaturalEmbedding:
    r"""Draw public parts until one carries the construction, as the reduction does.

    The public part :math:`(A, b, u, b_0)` is known to the reduction, so it can
    check it and draw again: a draw is refused when routing or the rank of a
    group fails (:class:`EmbeddingError`, claims C10–C11) and, with
    ``inside_sphere``, when the uniform input-norm bound of C12,
    :meth:`NaturalEmbedding.input_norm_bound`, exceeds :math:`\sqrt d`.  The
    refusals depend on the public part only, never on :math:`\psi`, so the
    accepted network is the natural law conditioned on a public event.

    Parameters
    ----------
    n, K, M : int
        Variables, literals per clause, clauses per block (as for :class:`NaturalEmbedding`).
    law : WeightLaw
        A row-sign-invariant weight law.
    rng : numpy.random.Generator
        Source of randomness; each attempt draws one public part from it.
    inside_sphere : bool, default False
        Also refuse public parts whose norm bound exceeds :math:`\sqrt d`.
    attempts : int, default 50
        Public parts drawn at most.
    redraws : dict, optional
        Tally updated in place: ``redraws["routing or rank"]`` and
        ``redraws["norm bound above sqrt(d)"]`` count the refused draws.
    **options
        Passed to :class:`NaturalEmbedding` (``m``, ``r``, ``tau``, ``max_condition``).

    Returns
    -------
    NaturalEmbedding
        The first accepted public part.

    Raises
    ------
    EmbeddingError
        When ``attempts`` draws in a row are refused.
    """
    attempts = check_int("attempts", attempts, 1)
    if not isinstance(inside_sphere, bool):
        raise TypeError(f"inside_sphere must be a bool, got {inside_sphere!r}")
    if redraws is not None and not isinstance(redraws, dict):
        raise TypeError(f"redraws must be a dict (a tally updated in place), got {type(redraws).__name__}")
    tally = {} if redraws is None else redraws
    for _ in range(attempts):
        try:
            emb = NaturalEmbedding(n, K, M, law, rng, **options)
        except EmbeddingError:
            tally[REDRAW_ROUTING] = tally.get(REDRAW_ROUTING, 0) + 1
            continue
        if inside_sphere and emb.input_norm_bound() > np.sqrt(emb.d):
            tally[REDRAW_NORM] = tally.get(REDRAW_NORM, 0) + 1
            continue
        return emb
    raise EmbeddingError(f"attempts = {attempts} public parts in a row failed the checks")
