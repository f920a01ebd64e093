r"""Print floating-point results only to digits that reproduce on every machine.

A value computed with floating point (least squares, eigenvalues, optimisers)
may differ in its last bits between BLAS kernels, CPUs and thread counts.
Rounded to a few digits it prints the same everywhere *unless* it sits next to
a rounding boundary (…5 in the first dropped digit).  :func:`fixed` rounds and
refuses to print a value that lies within ``margin`` (relative to one unit of
the last printed digit) of such a boundary, so a stored output can never
depend on round-off.
"""

from __future__ import annotations

import math

__all__ = ["fixed", "significant"]


def fixed(x: float, decimals: int, margin: float = 1e-6) -> str:
    r"""``x`` with ``decimals`` digits after the point, refusing rounding boundaries.

    Parameters
    ----------
    x : float
        Finite value.
    decimals : int
        Digits after the decimal point (>= 0).
    margin : float, default 1e-6
        ValueError if :math:`x\cdot 10^{d}` is within ``margin`` of a
        half-integer (a rounding boundary), where round-off in x could flip
        the printed last digit.

    Returns
    -------
    str
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x}")
    scaled = abs(x) * 10**decimals
    if abs(scaled - math.floor(scaled) - 0.5) < margin:
        raise ValueError(f"x = {x!r} lies on a rounding boundary at {decimals} decimals; print fewer or more digits")
    text = f"{x:.{decimals}f}"
    # never print "-0.00"
    if float(text) == 0:
        text = text.lstrip("-")
    return text


def significant(x: float, digits: int = 3, margin: float = 1e-6) -> str:
    """``x`` to ``digits`` significant digits (fixed-point notation), refusing rounding boundaries."""
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x}")
    if x == 0:
        return "0"
    decimals = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    return fixed(x, decimals, margin)
