"""Argument checks shared by the library: each names the parameter and what was expected.

Every public function validates its arguments with these helpers before it
computes anything, so a bad argument raises a ``TypeError`` (wrong kind of
object) or a ``ValueError`` (right kind, outside the domain) whose message
starts with the parameter's name, instead of a silently wrong answer or an
error deep inside numpy or PySAT.  The checks are vectorised (no Python loop
over array elements).
"""

from __future__ import annotations

import numbers
import os

import numpy as np

__all__ = [
    "NotFittedError",
    "MemoryRequestError",
    "check_solver_name",
    "check_int",
    "check_real",
    "check_probability",
    "check_confidence",
    "check_rng",
    "check_index_array",
    "check_sign_array",
    "check_finite_array",
    "check_memory",
    "physical_memory",
]


class NotFittedError(RuntimeError):
    """A learner's ``predict`` (or another result) was asked for before ``fit``."""


class MemoryRequestError(ValueError, MemoryError):
    """Parameters whose computation would need more memory than the machine has (refused up front)."""


def _describe(value) -> str:
    return f"{value!r} of type {type(value).__name__}"


def check_int(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as a Python int, with ``minimum <= value <= maximum``.

    Accepts Python and numpy integers and integral floats (``40.0``); refuses
    bool, None, strings, NaN, infinities and fractional values (``40.7`` would
    otherwise be truncated silently).
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real):
        v = float(value)
        if not np.isfinite(v):
            raise ValueError(f"{name} must be a finite integer, got {value!r}")
        if v != int(v):
            raise ValueError(f"{name} must be an integer, got the fractional value {value!r}")
        out = int(v)
    else:
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if minimum is not None and out < minimum:
        bound = "positive" if minimum == 1 else ("non-negative" if minimum == 0 else f"at least {minimum}")
        raise ValueError(f"{name} must be {bound}, got {out}")
    if maximum is not None and out > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {out}")
    return out


def check_real(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    allow_inf: bool = False,
) -> float:
    """``value`` as a float in the interval given by ``low``/``high`` (closed unless ``*_open``).

    Refuses bool, None, non-numbers and NaN; infinities only with ``allow_inf``.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or value is None or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    v = float(value)
    if np.isnan(v) or (np.isinf(v) and not allow_inf):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    lo_bad = low is not None and (v <= low if low_open else v < low)
    hi_bad = high is not None and (v >= high if high_open else v > high)
    if lo_bad or hi_bad:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}, got {value!r}")
    return v


def check_probability(name: str, value, *, open_low: bool = True, open_high: bool = True) -> float:
    """A probability in (0, 1) (endpoints included when asked)."""
    return check_real(name, value, 0.0, 1.0, low_open=open_low, high_open=open_high)


def check_confidence(confidence) -> float:
    """A confidence level in the open interval (0, 1) (0.99, not 99)."""
    return check_real("confidence", confidence, 0.0, 1.0, low_open=True, high_open=True)


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """Randomness is passed in as a ``numpy.random.Generator`` (e.g. ``np.random.default_rng(seed)``)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator such as np.random.default_rng(seed), got {_describe(rng)}"
        )
    return rng


def check_finite_array(name: str, value, dtype=float) -> np.ndarray:
    """A numeric array with finite entries, as ``dtype``."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got an array of dtype {arr.dtype}")
    arr = arr.astype(dtype)
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must have finite entries (no NaN or inf)")
    return arr


def check_index_array(name: str, value, ndim: int | None = None) -> np.ndarray:
    """An integer-valued array as a fresh int64 array.

    Integral floats are accepted; fractional, NaN or infinite entries, bool
    arrays and non-numeric arrays are refused (casting would truncate them).
    """
    try:
        arr = np.array(value)  # a copy: the caller's array is never kept
    except (ValueError, OverflowError) as err:
        raise ValueError(f"{name} must be a rectangular array of integers: {err}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-d array, got shape {arr.shape}")
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold integers, got a bool array")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must hold finite integers, found NaN or inf")
        if np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold integers, found fractional values")
        if arr.size and np.max(np.abs(arr)) >= 2.0**63:
            raise ValueError(f"{name} has entries beyond the int64 range")
    elif arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.int64)
        except (TypeError, ValueError, OverflowError) as err:
            raise TypeError(f"{name} must hold integers in the int64 range: {err}") from None
    elif arr.dtype.kind == "u" and arr.size and arr.max() >= 2**63:
        raise ValueError(f"{name} has entries beyond the int64 range")
    elif arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integers, got an array of dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def check_sign_array(name: str, value) -> np.ndarray:
    """An array of ±1 entries as a fresh int8 array (values are checked before the cast)."""
    arr = np.array(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold ±1 numbers, got an array of dtype {arr.dtype}")
    if arr.dtype.kind == "b" or not np.all((arr == 1) | (arr == -1)):
        raise ValueError(f"{name} must be ±1")
    return arr.astype(np.int8)


def physical_memory() -> int:
    """Bytes of physical memory of this machine (a generous fallback of 2^40 if unknown)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 40


def check_memory(nbytes, what: str) -> None:
    """Refuse up front a request whose estimated size exceeds the machine's physical memory."""
    nbytes = float(nbytes)
    total = physical_memory()
    if nbytes > total:
        raise MemoryRequestError(
            f"{what} would need about {_human(nbytes)}, more than this machine's "
            f"{_human(total)} of memory; use smaller parameters"
        )


def _human(nbytes: float) -> str:
    for unit, size in (("TiB", 2.0**40), ("GiB", 2.0**30), ("MiB", 2.0**20)):
        if nbytes >= size:
            return f"{nbytes / size:.3g} {unit}"
    return f"{nbytes:.0f} bytes"


def check_solver_name(name: str, value) -> str:
    """A SAT solver name PySAT knows (``pysat.solvers.SolverNames``), e.g. "cadical195", "g4", "m22"."""
    from pysat.solvers import SolverNames

    if not isinstance(value, str):
        raise TypeError(f"{name} must be a PySAT solver name (a string), got {_describe(value)}")
    known = {alias for key, aliases in vars(SolverNames).items() if not key.startswith("_") for alias in aliases}
    if value not in known:
        raise ValueError(f"{name} must be a PySAT solver name such as 'cadical195', 'g4' or 'm22', got {value!r}")
    return value
