r"""Printing floats so that stored outputs are the same under every BLAS kernel, thread count and CPU.

Two rules (issue 10): a round-off error is printed as a verdict against the
tolerance of the assert that checks it, never as its magnitude; a float from
linear algebra is printed with few digits, and only when it does not sit
within a relative :math:`10^{-9}` of a rounding boundary (where the last bits
of a different kernel could change the printed digits).
"""

from __future__ import annotations

import math

__all__ = ["fixed", "below"]


def fixed(x: float, decimals: int, *, relative: float = 1e-9) -> str:
    r"""``x`` with ``decimals`` decimals, refusing values next to a rounding boundary.

    Raises ``ValueError`` when :math:`|x - b| \le \text{relative}\cdot\max(|x|, 10^{-\text{decimals}})`
    for the nearest boundary :math:`b = (k + 1/2)\,10^{-\text{decimals}}`: print fewer digits then.
    """
    if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
        raise TypeError(f"decimals must be a non-negative int, got {decimals!r}")
    if relative < 0:
        raise ValueError(f"relative must be non-negative, got {relative}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x}")
    unit = 10.0 ** (-decimals)
    boundary = (math.floor(x / unit - 0.5) + 0.5) * unit
    nearest = min(abs(x - boundary), abs(x - boundary - unit))
    if nearest <= relative * max(abs(x), unit):
        raise ValueError(f"x = {x!r} lies within {relative:g} (relative) of the rounding boundary at "
                         f"{decimals} decimals: print fewer decimals")
    out = f"{x:.{decimals}f}"
    return out[1:] if out.startswith("-") and float(out) == 0 else out  # no "-0.000"


def below(value: float, tolerance: float) -> str:
    """``"below 1e-09: yes"`` or ``"below 1e-09: no"``: a round-off verdict against the assert's tolerance."""
    if not tolerance > 0:
        raise ValueError(f"tolerance must be positive, got {tolerance}")
    return f"below {tolerance:g}: {'yes' if abs(float(value)) < tolerance else 'no'}"
