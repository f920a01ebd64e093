r"""Printing floats so that stored outputs are the same under every BLAS kernel, thread count and CPU.

A value computed in floating point (least squares, eigenvalues, optimisers, BLAS sums) may
differ in its last bits between OpenBLAS kernels, CPUs and thread counts. Two rules keep a
stored output portable:

* a round-off error is printed as a verdict against the tolerance of the assert that checks
  it (:func:`below`), never as its magnitude;
* a float is printed with few digits (:func:`fixed`, :func:`significant`), and only when it
  does not sit within a relative :math:`10^{-9}` of a rounding boundary, where the last bits of
  another kernel could change the printed digit. Such a value raises ``ValueError``: print
  fewer digits.
"""

from __future__ import annotations

import math

__all__ = ["fixed", "significant", "below"]


def _check_digits(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _finite(x) -> float:
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x}")
    return x


def fixed(x: float, decimals: int, *, relative: float = 1e-9) -> str:
    r"""``x`` with ``decimals`` digits after the point, refusing values next to a rounding boundary.

    Parameters
    ----------
    x : float
        A finite value.
    decimals : int
        Digits after the decimal point (>= 0).
    relative : float, default 1e-9
        ``ValueError`` when :math:`|x - b| \le \text{relative}\cdot\max(|x|, 10^{-\text{decimals}})`
        for the nearest boundary :math:`b = (k + 1/2)\,10^{-\text{decimals}}`.

    Returns
    -------
    str
        The rounded value (never ``"-0.00"``).
    """
    _check_digits("decimals", decimals, 0)
    if not relative >= 0:
        raise ValueError(f"relative must be non-negative, got {relative}")
    x = _finite(x)
    unit = 10.0 ** (-decimals)
    boundary = (math.floor(x / unit - 0.5) + 0.5) * unit
    nearest = min(abs(x - boundary), abs(x - boundary - unit))
    if nearest <= relative * max(abs(x), unit):
        raise ValueError(
            f"x = {x!r} lies within {relative:g} (relative) of a rounding boundary at "
            f"{decimals} decimals: print fewer decimals"
        )
    out = f"{x:.{decimals}f}"
    return out[1:] if out.startswith("-") and float(out) == 0 else out


def significant(x: float, digits: int = 3, *, relative: float = 1e-9) -> str:
    """``x`` to ``digits`` significant digits in fixed-point notation (see :func:`fixed`)."""
    _check_digits("digits", digits, 1)
    x = _finite(x)
    if x == 0:
        return "0"
    decimals = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    return fixed(x, decimals, relative=relative)


def below(value: float, tolerance: float) -> str:
    """``"below 1e-09: yes"`` or ``"... no"``: a round-off verdict against the assert's tolerance."""
    if not tolerance > 0:
        raise ValueError(f"tolerance must be positive, got {tolerance}")
    return f"below {tolerance:g}: {'yes' if abs(float(value)) < tolerance else 'no'}"
