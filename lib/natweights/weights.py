r"""Natural weight laws for depth-2 networks (the laws of DV20's main theorem, claims C9 and C13).

A law draws the parameters :math:`(W, b, u, b_0)` of a width-m network on
:math:`\mathbb R^d`.  For the i.i.d. laws every entry of W, b, u and
:math:`b_0` has the same symmetric scalar law; ``sphere_columns`` draws the
columns of W uniformly on a sphere and b, u, :math:`b_0` i.i.d. N(0, 1).
With ``xavier=True`` W is rescaled to entry variance 1/d and u to 1/m (the
fan-ins); biases keep the base law.

A law is *row-sign invariant* if :math:`(\mathrm{diag}(\varepsilon) W, b, u,
b_0)` has the law of :math:`(W, b, u, b_0)` for every fixed
:math:`\varepsilon \in \{\pm1\}^d` (C9): true for i.i.d. symmetric entries
and for columns uniform on a sphere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from .validation import check_int, check_real, check_rng

__all__ = ["WeightLaw", "normal", "uniform", "rademacher", "sphere_columns", "LAWS"]


@dataclass(frozen=True)
class WeightLaw:
    """A weight law; ``entry`` draws unscaled scalar entries, ``entry_cdf`` is their CDF.

    Parameters
    ----------
    name : str
        Printed name.
    entry : callable
        ``entry(shape, rng)`` draws unscaled entries.
    entry_std : float
        Standard deviation of one entry.
    entry_cdf : callable
        CDF of one entry.
    row_sign_invariant : bool
        Whether flipping the signs of rows of W leaves the law unchanged (C9).
    xavier : bool, default False
        Rescale W to entry variance 1/d and u to 1/m.
    columns_on_sphere : bool, default False
        Columns of W uniform on a sphere instead of i.i.d. entries.
    """

    name: str
    entry: Callable[[tuple, np.random.Generator], np.ndarray]
    entry_std: float
    entry_cdf: Callable[[np.ndarray], np.ndarray]
    row_sign_invariant: bool
    xavier: bool = False
    columns_on_sphere: bool = False

    def __str__(self) -> str:
        return self.name + (" (Xavier)" if self.xavier else "")

    def w_scale(self, d: int) -> float:
        """Factor applied to W's entries: :math:`1/(\\sigma\\sqrt d)` with Xavier, else 1."""
        d = check_int("d", d, 1)
        return 1.0 / (self.entry_std * np.sqrt(d)) if self.xavier else 1.0

    def u_scale(self, m: int) -> float:
        """Factor applied to u's entries: :math:`1/(\\sigma\\sqrt m)` with Xavier, else 1."""
        m = check_int("m", m, 1)
        return 1.0 / (self.entry_std * np.sqrt(m)) if self.xavier else 1.0

    def w_std(self, d: int) -> float:
        """Standard deviation of one entry of W (d rows)."""
        d = check_int("d", d, 1)
        return (1.0 / np.sqrt(d)) if self.xavier else (1.0 if self.columns_on_sphere else self.entry_std)

    def sample(self, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
        """A d x m matrix W from the law (columns on the sphere for ``sphere_columns``)."""
        try:
            d, m = shape
        except (TypeError, ValueError):
            raise ValueError(f"shape must be a pair (d, m), got {shape!r}") from None
        d = check_int("d", d, 1)
        m = check_int("m", m, 1)
        check_rng(rng)
        if self.columns_on_sphere:
            G = rng.standard_normal((d, m))
            G /= np.linalg.norm(G, axis=0, keepdims=True)
            return G * (1.0 if self.xavier else np.sqrt(d))
        return self.entry((d, m), rng) * self.w_scale(d)

    def sample_parameters(self, d: int, m: int, rng: np.random.Generator):
        """``(W, b, u, b0)`` of a width-m network on R^d."""
        d = check_int("d", d, 1)
        m = check_int("m", m, 1)
        check_rng(rng)
        W = self.sample((d, m), rng)
        b = self.entry((m,), rng)
        u = self.entry((m,), rng) * self.u_scale(m)
        b0 = float(self.entry((1,), rng)[0])
        return W, b, u, b0

    def u_cdf(self, x, m: int) -> np.ndarray:
        """CDF of one entry of u for width m (used to size the routing, C11)."""
        return self.entry_cdf(np.asarray(x, dtype=float) / self.u_scale(m))


def _check_law(law, name: str = "law") -> WeightLaw:
    if not isinstance(law, WeightLaw):
        raise TypeError(
            f"{name} must be a natweights.weights.WeightLaw (e.g. weights.normal()), got {type(law).__name__}"
        )
    return law


def _check_flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def normal(sigma: float = 1.0, xavier: bool = False) -> WeightLaw:
    r"""I.i.d. :math:`N(0, \sigma^2)` entries for W, b, u and :math:`b_0`.

    Parameters
    ----------
    sigma : float, default 1
        Standard deviation, sigma > 0.
    xavier : bool, default False
        Rescale W to entry variance 1/d and u to 1/m.

    Returns
    -------
    WeightLaw
        The law (row-sign invariant).
    """
    sigma = check_real("sigma", sigma, 0.0, low_open=True)
    xavier = _check_flag("xavier", xavier)
    return WeightLaw(
        f"normal(sigma={sigma:g})",
        lambda shape, rng: sigma * rng.standard_normal(shape),
        sigma,
        lambda x: _st.norm.cdf(x / sigma),
        True,
        xavier,
    )


def uniform(a: float = 1.0, xavier: bool = False) -> WeightLaw:
    r"""I.i.d. uniform entries on :math:`[-a, a]` for W, b, u and :math:`b_0`.

    Parameters
    ----------
    a : float, default 1
        Half-width, a > 0.
    xavier : bool, default False
        Rescale W to entry variance 1/d and u to 1/m.

    Returns
    -------
    WeightLaw
        The law (row-sign invariant).
    """
    a = check_real("a", a, 0.0, low_open=True)
    xavier = _check_flag("xavier", xavier)
    return WeightLaw(
        f"uniform(a={a:g})",
        lambda shape, rng: rng.uniform(-a, a, shape),
        a / np.sqrt(3),
        lambda x: np.clip((x + a) / (2 * a), 0.0, 1.0),
        True,
        xavier,
    )


def rademacher(xavier: bool = False) -> WeightLaw:
    r"""I.i.d. fair :math:`\pm1` entries for W, b, u and :math:`b_0`.

    Parameters
    ----------
    xavier : bool, default False
        Rescale W to entry variance 1/d and u to 1/m.

    Returns
    -------
    WeightLaw
        The law (row-sign invariant).
    """
    xavier = _check_flag("xavier", xavier)
    return WeightLaw(
        "rademacher",
        lambda shape, rng: rng.choice(np.array([-1.0, 1.0]), size=shape),
        1.0,
        lambda x: np.where(x < -1, 0.0, np.where(x < 1, 0.5, 1.0)),
        True,
        xavier,
    )


def sphere_columns(xavier: bool = False) -> WeightLaw:
    """Columns of W uniform on the sphere of radius sqrt(d) (radius 1 with Xavier); b, u, b0 ~ N(0, 1).

    Parameters
    ----------
    xavier : bool, default False
        Radius 1 instead of sqrt(d).

    Returns
    -------
    WeightLaw
        The law (row-sign invariant).
    """
    xavier = _check_flag("xavier", xavier)
    return WeightLaw(
        "sphere columns",
        lambda shape, rng: rng.standard_normal(shape),
        1.0,
        lambda x: _st.norm.cdf(x),
        True,
        xavier,
        columns_on_sphere=True,
    )


LAWS = {"normal": normal, "uniform": uniform, "rademacher": rademacher, "sphere": sphere_columns}
