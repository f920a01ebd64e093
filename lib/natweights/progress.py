"""Progress bars for long loops that never end up in stored notebook outputs.

Bars are shown (``tqdm.auto``: a widget in Jupyter, text in a terminal) unless the
environment variable ``NATWEIGHTS_PROGRESS`` is ``0``; the project's scripts set it
to ``0`` for the headless runs that write or compare stored outputs (the main job
and nbval).
"""

from __future__ import annotations

import os


def progress(iterable, desc: str = "", total: int | None = None):
    """``iterable`` wrapped in a progress bar (or returned as is when ``NATWEIGHTS_PROGRESS=0``)."""
    from .validation import check_int

    if not hasattr(iterable, "__iter__"):
        raise TypeError(f"iterable must be iterable, got {type(iterable).__name__}")
    if not isinstance(desc, str):
        raise TypeError(f"desc must be a string, got {desc!r}")
    if total is not None:
        total = check_int("total", total, 0)
    if os.environ.get("NATWEIGHTS_PROGRESS", "1") == "0":
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total, leave=False)
