r"""Sign invariance (C9): the secret sign vector and the two-sample test of diag(eps) A against A.

For a row-sign-invariant law :math:`\mu`, :math:`\mathrm{diag}(\varepsilon)A`
has law :math:`\mu` for every fixed :math:`\varepsilon \in \{\pm1\}^d`.  The
test compares two samples of matrices entry by entry (two-sample
Kolmogorov–Smirnov, Bonferroni over the entries) and as a whole (energy
distance, permutation p-value); it declares "different" when either p-value
is at or below the level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ksat import check_assignment
from .stats import energy_two_sample_test, ks_per_entry
from .weights import WeightLaw

__all__ = ["sign_vector", "SameLawTest", "same_law_test", "column_factor_law"]


def sign_vector(psi, r: int) -> np.ndarray:
    r""":math:`\varepsilon(\psi) \in \{\pm1\}^{(n+1)r}`: +1 on the bias group 0, :math:`\psi_i` on group i.

    Each group has ``r`` coordinates, so the planted first layer is
    :math:`W = \mathrm{diag}(\varepsilon(\psi))A`.
    """
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)):
        raise TypeError(f"r must be an int, got {r!r}")
    if r < 1:
        raise ValueError(f"group size r must be positive, got {r}")
    psi = np.asarray(psi)
    psi = check_assignment(psi, psi.size)
    return np.repeat(np.concatenate([[1], psi]), r).astype(float)


@dataclass
class SameLawTest:
    """p-values of the two tests and the verdict at ``level``."""

    label: str
    p_ks: float
    p_energy: float
    level: float

    @property
    def same_law(self) -> bool:
        return self.p_ks > self.level and self.p_energy > self.level

    def __str__(self) -> str:
        return (
            f"{self.label:28s} Bonferroni KS p = {self.p_ks:.4f}   energy p = {self.p_energy:.4f}   -> "
            f"{'same law' if self.same_law else 'different'}"
        )


def same_law_test(
    x,
    y,
    rng: np.random.Generator,
    *,
    level: float = 1e-3,
    energy_size: int = 500,
    permutations: int = 1999,
    label: str = "",
) -> SameLawTest:
    r"""Two-sample test that the matrices in ``x`` and ``y`` (axis 0 indexes draws) have one law.

    Parameters
    ----------
    x, y : ndarray, shape (draws, d, m)
        Two samples of matrices, e.g. :math:`\mathrm{diag}(\varepsilon)A` and fresh :math:`A`.
    rng : numpy.random.Generator
        For the permutations of the energy test.
    level : float
        Each test rejects at p <= level (KS p-values are Bonferroni-corrected over the d m entries).
        The permutation p-value takes the values k/(permutations + 1), k >= 1, so ``level`` must
        admit at least two of them: ``level * (permutations + 1) >= 2``.
    energy_size : int
        Draws of each sample used by the energy test (its cost grows as the square).
    permutations : int
        Random relabellings for the energy test's p-value.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim < 2 or x.shape[1:] != y.shape[1:]:
        raise ValueError(f"x and y must be samples of equal-shape matrices, got {x.shape} and {y.shape}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    if energy_size < 2 or permutations < 1:
        raise ValueError(f"energy_size must be >= 2 and permutations >= 1, got {energy_size}, {permutations}")
    if level * (permutations + 1) < 2 - 1e-9:
        raise ValueError(
            f"level = {level} is below 2/(permutations + 1) with permutations = {permutations}: "
            "the energy test could reject only when the observed statistic beats every relabelling"
        )
    entries = int(np.prod(x.shape[1:]))
    p_ks = float(min(1.0, ks_per_entry(x, y).min() * entries))
    _, p_energy = energy_two_sample_test(x[:energy_size], y[:energy_size], rng, permutations=permutations)
    return SameLawTest(label, p_ks, float(p_energy), float(level))


def column_factor_law(rho: float) -> WeightLaw:
    r"""Entries N(0, 1) with a shared factor in each column: not row-sign invariant for rho > 0.

    :math:`A_{ij} = \sqrt{1-\rho}\,Z_{ij} + \sqrt{\rho}\,G_j` with :math:`Z_{ij}, G_j` i.i.d.
    N(0, 1), so every entry is N(0, 1) and :math:`\operatorname{corr}(A_{ij}, A_{kj}) = \rho`
    for :math:`i \ne k`.  Under :math:`\mathrm{diag}(\varepsilon)` the correlation of rows
    i and k becomes :math:`\varepsilon_i\varepsilon_k\rho`: every entry keeps its law (per-entry
    tests cannot see the change), the joint law does not.  Vectors (b, u, b0) are i.i.d. N(0, 1).
    """
    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.floating)):
        raise TypeError(f"rho must be a number, got {rho!r}")
    if not 0 <= rho < 1:
        raise ValueError(f"rho must lie in [0, 1), got {rho}")

    def entry(shape, rng):
        if len(shape) < 2:
            return rng.standard_normal(shape)
        return np.sqrt(1 - rho) * rng.standard_normal(shape) + np.sqrt(rho) * rng.standard_normal(
            (1,) + tuple(shape[1:])
        )

    from scipy import stats as _st

    return WeightLaw(f"column factor (rho={rho:g})", entry, 1.0, _st.norm.cdf, row_sign_invariant=rho == 0)
