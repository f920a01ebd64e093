"""One figure style for the book: labelled axes, titles, a colour cycle, and interval bands."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .validation import check_confidence, check_int

__all__ = ["STYLE", "figure", "errorbar_proportions"]

STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "savefig.bbox": "tight",
    "axes.prop_cycle": mpl.cycler(color=["#1f5aa6", "#d1495b", "#2e933c", "#edae49", "#6c4f9c", "#00798c"]),
}


def figure(title: str, xlabel: str, ylabel: str, ncols: int = 1, **kwargs):
    """A styled figure with ``ncols`` axes; each axis gets the labels, the figure the title."""
    for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {value!r}")
    ncols = check_int("ncols", ncols, 1)
    with mpl.rc_context(STYLE):
        fig, axes = plt.subplots(1, ncols, **kwargs)
    axes_list = np.atleast_1d(axes)
    for ax in axes_list:
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    if ncols == 1:
        axes_list[0].set_title(title)
    else:
        fig.suptitle(title)
    return fig, axes


def errorbar_proportions(ax, x, k, n, label: str, confidence: float = 0.95, **kwargs):
    """Plot k/n against x with Clopper–Pearson error bars."""
    from .stats import _check_counts, clopper_pearson_interval

    confidence = check_confidence(confidence)
    k, n = _check_counts(k, n)
    if np.shape(x) != np.broadcast_shapes(np.shape(k), np.shape(n)):
        raise ValueError(f"x, k and n must have one shape, got {np.shape(x)}, {np.shape(k)} and {np.shape(n)}")
    p = k / n
    lo, hi = clopper_pearson_interval(k, n, confidence)
    kwargs.setdefault("ls", "-")
    ax.errorbar(x, p, yerr=[p - lo, hi - p], fmt="o", capsize=3, label=label, **kwargs)
