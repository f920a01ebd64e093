r"""Exact emulation (C10): the planted natural network against the block predicate.

The construction gives :math:`N(x) = T_{K,M}(U_x(\psi))` exactly in real
arithmetic; in floating point the two differ by round-off.  A check compares
:math:`\max |N(x) - T|` with a tolerance and reports a verdict, never the
round-off's magnitude (which depends on the BLAS kernel).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .printing import below

__all__ = ["EmulationCheck", "check_emulation"]


class EmulationViolation(AssertionError):
    """The network differs from the block predicate by more than the tolerance."""


@dataclass
class EmulationCheck:
    """Outcome of comparing network outputs with :math:`T_{K,M}` on ``evaluations`` inputs.

    Attributes
    ----------
    label : str
        Printed name of the check.
    max_error : float
        :math:`\\max_x |N(x) - T(x)|`.
    tolerance : float
        The round-off allowance.
    evaluations : int
        Number of outputs compared.
    """

    label: str
    max_error: float
    tolerance: float
    evaluations: int

    @property
    def holds(self) -> bool:
        return self.max_error < self.tolerance

    def __str__(self) -> str:
        outputs = "1 output" if self.evaluations == 1 else f"{self.evaluations} outputs"
        return f"{self.label} {below(self.max_error, self.tolerance)}  ({outputs})"


def _flat(values, name: str) -> np.ndarray:
    if isinstance(values, (list, tuple)):
        if len(values) == 0:
            raise ValueError(f"{name} is empty")
        values = np.concatenate([np.asarray(v, dtype=float).ravel() for v in values])
    return np.asarray(values, dtype=float).ravel()


def check_emulation(
    outputs, target, tolerance: float = 1e-9, *, label: str = "max |N(x) - T|", raise_on_violation: bool = True
) -> EmulationCheck:
    r"""Compare network outputs with the 0/1 predicate: :math:`\max_x |N(x) - T(x)| <` ``tolerance``.

    Parameters
    ----------
    outputs, target : array_like or list of array_like
        Network outputs and :math:`T_{K,M}(U_x(\psi))`, same total size (lists are concatenated,
        so several public parts and assignments can be checked at once).
    tolerance : float
        Round-off allowance; the verdict is printed against it.
    raise_on_violation : bool
        Raise :class:`EmulationViolation` when the maximum error reaches the tolerance.
    """
    if not tolerance > 0:
        raise ValueError(f"tolerance must be positive, got {tolerance}")
    out, tgt = _flat(outputs, "outputs"), _flat(target, "target")
    if out.shape != tgt.shape:
        raise ValueError(f"outputs ({out.size} values) and target ({tgt.size} values) differ in size")
    if out.size == 0:
        raise ValueError("outputs is empty")
    if not np.all(np.isfinite(out)):
        raise ValueError("outputs contains non-finite values")
    check = EmulationCheck(label, float(np.abs(out - tgt).max()), float(tolerance), int(out.size))
    if raise_on_violation and not check.holds:
        raise EmulationViolation(f"{label} = {check.max_error:.3g} is not below {tolerance:g}")
    return check
