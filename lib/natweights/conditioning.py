r"""Conditioning of the public blocks (C12): Davidson–Szarek tails and their union over the groups.

For an r x m matrix G with i.i.d. N(0, 1) entries (Davidson–Szarek),
:math:`P(\sigma_{\min}(G) \le \sqrt r - \sqrt m - t) \le e^{-t^2/2}` for
:math:`t \ge 0`; for entries of standard deviation w the threshold scales by w.
Over G independent groups, :math:`t = \sqrt{2\ln(G/\delta)}` makes
:math:`P(\text{some group} \le w(\sqrt r - \sqrt m - t)) \le \delta`.  Both
checks compare a Clopper–Pearson interval of the measured tail with the
bound; they are informative only where the threshold is positive and the
bound is small, so a non-positive threshold is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .bounds import sigma_min_mean_lower_bound
from .embedding import NaturalEmbedding
from .reduction import Blocks
from .stats import IntervalCheck, check_probability_bound
from .validation import check_int, check_real, check_rng

if TYPE_CHECKING:
    import sympy

__all__ = [
    "ENTRY_LAWS",
    "sigma_min_samples",
    "sigma_min_task",
    "sigma_min_tail_check",
    "union_sigma_min_check",
    "union_t",
    "union_t_exact",
    "union_failure_bound_exact",
    "InputNormCheck",
    "check_input_norms",
]


#: Entry laws of the C12 blocks, each scaled to variance 1.
ENTRY_LAWS = ("normal", "uniform", "rademacher")


def sigma_min_samples(rng: np.random.Generator, law: str, r: int, m: int, draws: int) -> np.ndarray:
    r"""Smallest singular values of ``draws`` independent r x m matrices with i.i.d. entries of the
    variance-1 law ``law`` (one of :data:`ENTRY_LAWS`: standard normal, uniform on
    :math:`[-\sqrt3, \sqrt3]`, or ±1)."""
    check_rng(rng)
    if law not in ENTRY_LAWS:
        raise ValueError(f"law must be one of {ENTRY_LAWS}, got {law!r}")
    m = check_int("m", m, 1)
    r = check_int("r", r, m)
    draws = check_int("draws", draws, 1)
    shape = (draws, r, m)
    if law == "normal":
        entries = rng.standard_normal(shape)
    elif law == "uniform":
        entries = rng.uniform(-1, 1, shape) * np.sqrt(3)
    else:
        entries = rng.choice([-1.0, 1.0], size=shape)
    return np.linalg.svd(entries, compute_uv=False)[:, -1]


def sigma_min_task(rng: np.random.Generator, law: str, r: int, m: int, draws: int, block: int = 0) -> dict:
    r"""Sweep task over :func:`sigma_min_samples` (``block`` numbers independent repeats).

    Returns ``mean``, ``sd`` (ddof 1) and ``smallest`` of the sample, and ``below_2``, ``below_2.5``,
    ``below_3``: how many values lie at or below :math:`\sqrt r - \sqrt m - t` for t = 2, 2.5, 3.
    """
    check_int("block", block, 0)
    s_min = sigma_min_samples(rng, law, r, m, draws)
    gap = float(np.sqrt(r) - np.sqrt(m))
    out = {"mean": float(s_min.mean()), "sd": float(s_min.std(ddof=1)) if draws > 1 else float("nan")}
    out["smallest"] = float(s_min.min())
    for t in (2.0, 2.5, 3.0):
        out[f"below_{t:g}"] = int(np.sum(s_min <= gap - t))
    return out


def _threshold(r, m, t, scale, gap):
    if not (isinstance(r, (int, np.integer)) and isinstance(m, (int, np.integer))) or m < 1 or r < m:
        raise ValueError(f"need integers 1 <= m <= r, got r = {r}, m = {m}")
    if not t >= 0:
        raise ValueError(f"t must be non-negative, got {t}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    gap = sigma_min_mean_lower_bound(r=r, q=m) if gap is None else float(gap)
    if not gap - t > 0:
        raise ValueError(
            f"threshold sqrt(r) - sqrt(m) - t = {gap - t:.3f} is not positive (r = {r}, m = {m}, "
            f"t = {t:.3f}): the event is empty and the check cannot fail; take r larger"
        )
    return scale * (gap - t)


def _clear_of(values, threshold):
    """Refuse counts that round-off could change: no value within 1e-9 (relative) of the threshold."""
    if np.any(np.abs(values - threshold) <= 1e-9 * max(abs(threshold), 1.0)):
        raise ValueError(
            f"a singular value lies within 1e-9 of the threshold {threshold:.6g}: the count would depend on round-off"
        )


def sigma_min_tail_check(
    s_min,
    r: int,
    m: int,
    t: float,
    *,
    scale: float = 1.0,
    gap: float | None = None,
    bound: float | None = None,
    label: str = "tail",
    confidence: float = 0.99,
    raise_on_violation: bool = True,
) -> IntervalCheck:
    r"""Measured :math:`P(\sigma_{\min} \le w(\sqrt r - \sqrt m - t))` against :math:`e^{-t^2/2}`.

    Parameters
    ----------
    s_min : array_like
        Smallest singular values of independent r x m blocks.
    r, m, t : int, int, float
        Block shape and the deviation t (the threshold must be positive).
    scale : float
        Entry standard deviation w.
    gap, bound : float, optional
        The claimed centre (default :math:`\sqrt r - \sqrt m`) and bound (default
        :math:`e^{-t^2/2}`); other values state other claims.
    """
    s_min = np.asarray(s_min, dtype=float).ravel()
    threshold = _threshold(r, m, t, scale, gap)
    claimed = float(np.exp(-(t**2) / 2)) if bound is None else float(bound)
    _clear_of(s_min, threshold)
    k = int(np.sum(s_min <= threshold))
    return check_probability_bound(
        k, s_min.size, claimed, "<=", label=label, confidence=confidence, raise_on_violation=raise_on_violation
    )


def union_t(groups: int, delta: float) -> float:
    r""":math:`t = \sqrt{2\ln(G/\delta)}`, so that :math:`G e^{-t^2/2} = \delta`.

    Parameters
    ----------
    groups : int
        Number of groups G.
    delta : float
        Failure probability in (0, 1).

    Returns
    -------
    float
        The deviation t.
    """
    if groups < 1 or not 0 < delta < 1:
        raise ValueError(f"need groups >= 1 and 0 < delta < 1, got {groups}, {delta}")
    return float(np.sqrt(2 * np.log(groups / delta)))


def union_sigma_min_check(
    group_s_min,
    r: int,
    m: int,
    delta: float,
    *,
    scale: float = 1.0,
    gap: float | None = None,
    t: float | None = None,
    label: str = "P(some group below)",
    confidence: float = 0.99,
    raise_on_violation: bool = True,
) -> IntervalCheck:
    r"""Measured P(some group has :math:`\sigma_{\min} \le w(\sqrt r - \sqrt m - t)`) against :math:`\delta`.

    ``group_s_min`` has shape (draws, groups); t defaults to :func:`union_t` (groups, delta).

    Parameters
    ----------
    group_s_min : array_like, shape (draws, groups)
        Smallest singular value of every group of every draw.
    r, m : int
        Rows and columns of a group, 1 <= m <= r.
    delta : float
        The claimed failure probability.
    scale : float, default 1
        Entry standard deviation w.
    gap : float, optional
        Replaces :math:`\sqrt r - \sqrt m`.
    t : float, optional
        The deviation (default :func:`union_t` of groups and delta).
    label : str
        Printed name.
    confidence : float, default 0.99
        Confidence level.
    raise_on_violation : bool, default True
        Raise when the check fails.

    Returns
    -------
    IntervalCheck
        The measured probability against delta.
    """
    group_s_min = np.asarray(group_s_min, dtype=float)
    if group_s_min.ndim != 2:
        raise ValueError(f"group_s_min must have shape (draws, groups), got {group_s_min.shape}")
    t = union_t(group_s_min.shape[1], delta) if t is None else float(t)
    threshold = _threshold(r, m, t, scale, gap)
    _clear_of(group_s_min, threshold)
    k = int(np.sum(np.any(group_s_min <= threshold, axis=1)))
    return check_probability_bound(
        k, group_s_min.shape[0], delta, "<=", label=label, confidence=confidence, raise_on_violation=raise_on_violation
    )


def union_t_exact(groups: int, delta) -> sympy.Expr:
    r"""Exact :math:`t = \sqrt{2\ln(G/\delta)}` as a sympy expression (``delta`` a fraction string or Rational).

    Parameters
    ----------
    groups : int
        Number of groups G.
    delta : str or sympy.Rational
        Failure probability, e.g. "1/10".

    Returns
    -------
    sympy.Expr
        The deviation t.
    """
    import sympy as sp

    delta = sp.Rational(delta)
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive int, got {groups!r}")
    if not 0 < delta < 1:
        raise ValueError(f"delta must lie in (0, 1), got {delta}")
    return sp.sqrt(2 * sp.log(sp.Integer(int(groups)) / delta))


def union_failure_bound_exact(groups: int, t) -> sympy.Expr:
    r"""The union bound :math:`G\,e^{-t^2/2}` on P(some of G groups has :math:`\sigma_{\min} \le \sqrt r - \sqrt m - t`), exactly.

    Parameters
    ----------
    groups : int
        Number of groups G.
    t : sympy.Expr or number
        The deviation.

    Returns
    -------
    sympy.Expr
        :math:`G e^{-t^2/2}`.
    """
    import sympy as sp

    return sp.simplify(sp.Integer(int(groups)) * sp.exp(-(sp.sympify(t) ** 2) / 2))


@dataclass(frozen=True)
class InputNormCheck:
    r"""The input-norm bound of an embedding checked group by group (see :func:`check_input_norms`).

    Attributes
    ----------
    group_ratio : float
        Largest :math:`\|v_g\|\,\sigma_{\min}(A_g)/\|c_g\|` over the used groups of the blocks (at most 1).
    block_ratio : float
        Largest :math:`\big(\sum_g \|c_g\|^2/\sigma_g^2\big)^{1/2}` over the blocks, divided by the bound.
    worst_ratio : float
        The same for the block of largest group bounds (:meth:`NaturalEmbedding.largest_bound_block`).
    norm_ratio : float
        Largest :math:`\|x\|` over the blocks, divided by the bound.
    holds : bool
        Every ratio at most 1 (up to the relative tolerance) and the worst block no smaller than any
        drawn block.
    """

    group_ratio: float
    block_ratio: float
    worst_ratio: float
    norm_ratio: float
    holds: bool

    def __str__(self) -> str:
        return (
            f"max ||v_g|| sigma_g / ||c_g|| = {self.group_ratio:.2f}; sum of group bounds / bound: "
            f"blocks {self.block_ratio:.3f}, worst block {self.worst_ratio:.3f}; max ||x|| / bound = "
            f"{self.norm_ratio:.2f}; {'holds' if self.holds else 'VIOLATED'}"
        )


def check_input_norms(emb: NaturalEmbedding, blocks: Blocks, *, rtol: float = 1e-12) -> InputNormCheck:
    r"""Check C12's input-norm bound of ``emb`` group by group on ``blocks`` and on the worst block.

    Three exact inequalities (no randomness in the verdict):

    1. every group of every block: :math:`\|v_g\| \le \|c_g\|/\sigma_{\min}(A_g)`
       (:meth:`NaturalEmbedding.group_norms`; the inputs from :meth:`~NaturalEmbedding.encode`);
    2. every block: :math:`\|x\|^2 = \sum_g \|v_g\|^2 \le \sum_g \|c_g\|^2/\sigma_g^2 \le B^2` with
       :math:`B` = :meth:`~NaturalEmbedding.input_norm_bound`;
    3. the block that maximises the middle term (:meth:`~NaturalEmbedding.largest_bound_block`):
       its group bounds are at least those of every drawn block and at most :math:`B`.

    The middle term is within a few percent of :math:`B` on the worst block (its K M literal groups
    are the smallest-:math:`\sigma` ones), so a bound that misses a factor (e.g. K in the literal
    term) fails 3 although the measured norms stay far below it.

    Parameters
    ----------
    emb : NaturalEmbedding
        The embedding.
    blocks : Blocks
        Blocks with the embedding's ``(n, K, M)``.
    rtol : float, default 1e-12
        Relative tolerance of each inequality (round-off).

    Returns
    -------
    InputNormCheck
        The ratios and the verdict.
    """
    if not isinstance(emb, NaturalEmbedding):
        raise TypeError(f"emb must be a NaturalEmbedding, got {type(emb).__name__}")

    rtol = check_real("rtol", rtol, 0.0)
    bound = emb.input_norm_bound()
    norms, group_bounds = emb.group_norms(blocks)
    used = group_bounds > 0
    groups_ok = bool(np.all(norms <= group_bounds * (1 + rtol)) and np.all(norms[~used] == 0))
    group_ratio = float(np.max(norms[used] / group_bounds[used]))
    per_block = np.sqrt(np.sum(group_bounds**2, axis=1))
    _, worst_bounds = emb.group_norms(emb.largest_bound_block())
    worst = float(np.sqrt(np.sum(worst_bounds**2)))
    x_norms = np.sqrt(np.sum(norms**2, axis=1))
    holds = (
        groups_ok
        and bool(np.all(x_norms <= per_block * (1 + rtol)))
        and bool(per_block.max() <= worst * (1 + rtol))
        and worst <= bound * (1 + rtol)
    )
    return InputNormCheck(
        group_ratio, float(per_block.max() / bound), worst / bound, float(x_norms.max() / bound), holds
    )
