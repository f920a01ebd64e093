r"""Parameter sweeps on dask.distributed: deterministic, resumable, and fault tolerant.

A sweep evaluates ``func(rng, **params)`` for every parameter dict of a grid.  Each
task gets its own random stream

.. math::

    \mathrm{rng} = \mathrm{Generator}\bigl(\mathrm{PCG64}(\mathrm{SeedSequence}(
        \text{entropy} = \text{base\_seed},\ \text{spawn\_key} = \kappa(\text{params})))\bigr),

where :math:`\kappa` is a stable hash of the sorted parameter items (SHA-256 of their
canonical JSON, as four 32-bit words; not Python's salted ``hash``).  A task's result
therefore depends only on its parameters and the base seed: it is bit-identical for
1, 2 or N workers, in any completion order, and when the grid is reordered.

By default the tasks run on a :class:`distributed.LocalCluster` of worker processes
that the sweep starts and closes.  To scale out, pass the address of a running
scheduler (or set ``NATWEIGHTS_SCHEDULER``): the same call runs on that cluster.
``n_workers=0`` runs the tasks one after the other in this process (the reference
for the parallel runs).

Results are a tidy table, one row per task: the parameters, the returned values,
``task`` (hex of the seed key), ``base_seed``, ``status`` (``"ok"`` or ``"error"``),
``error`` (the exception text), ``seconds``, ``versions`` and ``code`` (the code
fingerprint, :func:`code_fingerprint`).  It is written to ``_build/sweeps/<name>.csv``
(directory: ``NATWEIGHTS_SWEEP_DIR``, else ``_build/sweeps`` under the project root found
from the working directory) while the sweep runs, and a re-run skips the tasks whose row
has status ``"ok"`` for the same base seed **and the same code fingerprint**: after an
edit of the task function or of any natweights module, every task is recomputed, so a
stored table never stands in for results of code that no longer exists.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import os
import platform
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .progress import progress

__all__ = ["run_sweep", "task_key", "task_rng", "sweep_path", "code_fingerprint", "RESERVED_COLUMNS"]

RESERVED_COLUMNS = ("task", "base_seed", "status", "error", "seconds", "versions", "code")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_WRITE_EVERY = 5.0  # seconds between table writes while a sweep runs


def _canonical(params: dict) -> str:
    return json.dumps(sorted(params.items()), separators=(",", ":"), allow_nan=False)


def task_key(params: dict) -> tuple[int, int, int, int]:
    r"""Stable spawn key :math:`\kappa(\text{params})` of a task: four 32-bit words of the
    SHA-256 of the canonical JSON of its sorted parameter items."""
    _check_params(params, "params")
    digest = hashlib.sha256(_canonical(params).encode()).digest()
    return tuple(int.from_bytes(digest[4 * i : 4 * i + 4], "little") for i in range(4))


def task_rng(base_seed: int, params: dict) -> np.random.Generator:
    """The random stream of the task with these parameters (see the module docstring)."""
    _check_seed(base_seed)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=base_seed, spawn_key=task_key(params))))


def _task_id(params: dict) -> str:
    return "".join(f"{w:08x}" for w in task_key(params))


def _check_seed(base_seed):
    if isinstance(base_seed, bool) or not isinstance(base_seed, (int, np.integer)):
        raise TypeError(f"base_seed must be a non-negative integer, got {type(base_seed).__name__}")
    if base_seed < 0:
        raise ValueError(f"base_seed must be non-negative, got {base_seed}")


def _check_params(params, what):
    if not isinstance(params, dict):
        raise TypeError(f"{what} must be a dict of parameters, got {type(params).__name__}")
    for k, v in params.items():
        if not isinstance(k, str) or not k:
            raise TypeError(f"{what}: parameter names must be non-empty strings, got {k!r}")
        if k in RESERVED_COLUMNS:
            raise ValueError(f"{what}: parameter name {k!r} is reserved for the results table")
        if isinstance(v, np.generic):
            v = v.item()
        if v is not None and not isinstance(v, (bool, int, float, str)):
            raise TypeError(f"{what}: parameter {k!r} must be a bool, int, float, str or None, got {type(v).__name__}")
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"{what}: parameter {k!r} must be finite, got {v}")


def _plain(params: dict) -> dict:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in params.items()}


def _project_root() -> Path:
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "pyproject.toml").is_file():
            return d
    return here


def sweep_path(name: str) -> Path:
    """Where the table of the sweep ``name`` is stored (``<dir>/<name>.csv``)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be letters, digits, '_', '.', '-' (not starting with a symbol), got {name!r}")
    directory = os.environ.get("NATWEIGHTS_SWEEP_DIR")
    base = Path(directory) if directory else _project_root() / "_build" / "sweeps"
    return base / f"{name}.csv"


def _versions() -> str:
    import importlib.metadata as md

    parts = [f"python={platform.python_version()}"]
    for pkg in ("natweights", "numpy", "dask", "distributed"):
        try:
            parts.append(f"{pkg}={md.version(pkg)}")
        except md.PackageNotFoundError:
            pass
    return " ".join(parts)


def _function_source(func) -> str:
    """Source text of ``func`` (or of its class for a callable object); the code object when there is none."""
    target = func if inspect.isfunction(func) or inspect.ismethod(func) else type(func)
    try:
        return inspect.getsource(target)
    except (OSError, TypeError):
        code = getattr(target, "__code__", None)
        if code is not None:
            return repr((code.co_code, code.co_consts, code.co_names))
        return f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', repr(target))}"


def _package_sources() -> bytes:
    """Every ``.py`` file of the natweights package, in name order, with its name."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def code_fingerprint(func: Callable) -> str:
    r"""Fingerprint of the code a sweep task runs: 16 hex digits of the SHA-256 of the source
    of ``func`` together with the sources of every module of the natweights package.

    A stored row counts as done only for the same fingerprint (see :func:`run_sweep`): an edit
    of the task function or of any natweights module (a task calls into many of them) makes
    the stored rows stale, and they are recomputed.  Editing a comment counts as an edit.

    Parameters
    ----------
    func : callable
        The task function.

    Returns
    -------
    str
        16 lower-case hex digits.
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    digest = hashlib.sha256(_package_sources())
    digest.update(_function_source(func).encode())
    return digest.hexdigest()[:16]


def _run_task(func, params: dict, base_seed: int, code: str = "") -> dict:
    """Run one task (on a worker); an exception becomes a row with status "error"."""
    row = dict(params)
    start = time.perf_counter()
    try:
        result = func(task_rng(base_seed, params), **params)
        if not isinstance(result, dict):
            raise TypeError(f"the task function must return a dict of results, got {type(result).__name__}")
        clash = sorted(set(result) & (set(params) | set(RESERVED_COLUMNS)))
        if clash:
            raise ValueError(f"result names {clash} clash with parameter or reserved column names")
        row.update(result)
        status, error = "ok", ""
    except Exception as exc:  # recorded in the table; the other tasks go on
        status, error = "error", f"{type(exc).__name__}: {exc}"
    row.update(
        task=_task_id(params),
        base_seed=int(base_seed),
        status=status,
        error=error,
        seconds=time.perf_counter() - start,
        versions=_versions(),
        code=code,
    )
    return row


def _table(rows: list[dict], order: list[str]) -> pd.DataFrame:
    """Rows in grid order (``order``: task ids), then any older rows of the table."""
    by_task = {r["task"]: r for r in rows}
    ordered = [by_task[t] for t in order if t in by_task]
    rest = [r for r in rows if r["task"] not in set(order)]
    df = pd.DataFrame(ordered + rest)
    cols = [c for c in df.columns if c not in RESERVED_COLUMNS] + [c for c in RESERVED_COLUMNS if c in df.columns]
    return df[cols].reset_index(drop=True)


def _write(path: Path, rows: list[dict], order: list[str]):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    _table(rows, order).to_csv(tmp, index=False)
    tmp.replace(path)


def run_sweep(
    func: Callable,
    grid: list[dict],
    *,
    name: str,
    base_seed: int,
    scheduler: str | None = None,
    n_workers: int = 2,
    resume: bool = True,
) -> pd.DataFrame:
    r"""Run ``func(rng, **params)`` for every ``params`` in ``grid`` on dask.distributed.

    Parameters
    ----------
    func : callable
        ``func(rng, **params) -> dict`` of results (scalars); ``rng`` is the task's own
        :class:`numpy.random.Generator` (see :func:`task_rng`).  Must be picklable
        (a module-level function, or anything cloudpickle handles).
    grid : list of dict
        One dict per task, all with the same parameter names; values bool, int,
        float, str or None.  Two tasks with the same parameters are an error.
    name : str
        Name of the sweep; the table is ``sweep_path(name)``.
    base_seed : int
        Entropy of every task's SeedSequence.
    scheduler : str, optional
        Address of a running dask scheduler (e.g. ``"tcp://host:8786"``); default
        the environment variable ``NATWEIGHTS_SCHEDULER``, else a LocalCluster of
        ``n_workers`` processes with one thread each, started and closed here.
    n_workers : int
        Workers of the local cluster; 0 runs the tasks serially in this process.
    resume : bool
        Skip the tasks whose row in the stored table has status "ok" for this
        base seed and this code fingerprint (:func:`code_fingerprint` of ``func``
        and the natweights sources, column ``code``); the other rows are recomputed,
        so an edit of the library or of ``func`` reruns the sweep.  False
        recomputes everything.

    Returns
    -------
    pandas.DataFrame
        One row per task of ``grid``, in grid order (rows of earlier runs with other
        parameters that are in the stored table follow).
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    if not isinstance(grid, (list, tuple)) or not grid:
        raise ValueError("grid must be a non-empty list of parameter dicts")
    for i, params in enumerate(grid):
        _check_params(params, f"grid[{i}]")
    names = set(grid[0])
    for i, params in enumerate(grid):
        if set(params) != names:
            raise ValueError(f"grid[{i}] has parameters {sorted(params)}, grid[0] has {sorted(names)}")
    _check_seed(base_seed)
    base_seed = int(base_seed)
    if isinstance(n_workers, bool) or not isinstance(n_workers, (int, np.integer)) or n_workers < 0:
        raise ValueError(f"n_workers must be a non-negative integer, got {n_workers!r}")
    if scheduler is not None and not isinstance(scheduler, str):
        raise TypeError(f"scheduler must be an address string or None, got {type(scheduler).__name__}")
    path = sweep_path(name)
    grid = [_plain(p) for p in grid]
    order = [_task_id(p) for p in grid]
    if len(set(order)) != len(order):
        raise ValueError("grid has two tasks with the same parameters")

    code = code_fingerprint(func)
    done: dict[str, dict] = {}
    if resume and path.is_file():
        old = pd.read_csv(path, dtype={"code": str})
        old["error"] = ["" if pd.isna(v) else str(v) for v in old["error"]]
        if "code" not in old.columns:  # a table written before fingerprints: every row is stale
            old["code"] = ""
        for r in old.to_dict("records"):
            done[str(r["task"])] = r
    rows = {t: r for t, r in done.items()}
    todo = [
        p
        for p, t in zip(grid, order, strict=True)
        if not (
            t in done
            and done[t].get("status") == "ok"
            and done[t].get("base_seed") == base_seed
            and done[t].get("code") == code
        )
    ]

    last = time.monotonic()

    def record(row):
        nonlocal last
        rows[row["task"]] = row
        if time.monotonic() - last > _WRITE_EVERY:
            _write(path, list(rows.values()), order)
            last = time.monotonic()

    try:
        if todo:
            address = scheduler or os.environ.get("NATWEIGHTS_SCHEDULER") or None
            if address is None and n_workers == 0:
                for params in progress(todo, desc=name, total=len(todo)):
                    record(_run_task(func, params, base_seed, code))
            else:
                _run_distributed(func, todo, base_seed, code, address, int(n_workers), name, record)
    finally:
        if rows:
            _write(path, list(rows.values()), order)
    table = _table(list(rows.values()), order)
    return table[table["task"].isin(order)].reset_index(drop=True)


def _run_distributed(func, todo, base_seed, code, address, n_workers, name, record):
    import logging

    from distributed import Client, LocalCluster, as_completed

    if address is None:
        if n_workers < 1:
            raise ValueError("n_workers must be at least 1 for a local cluster")
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,  # task errors are recorded in the table; shutdown heartbeats are noise
        )
    else:
        cluster = None
    try:
        with Client(cluster if cluster is not None else address) as client:
            futures = {}
            for params in todo:
                fut = client.submit(
                    _run_task,
                    func,
                    params,
                    base_seed,
                    code,
                    pure=False,
                    key=f"{name}-{_task_id(params)}-{time.time_ns()}",
                )
                futures[fut] = params
            for fut in progress(as_completed(futures), desc=name, total=len(futures)):
                params = futures[fut]
                try:
                    row = fut.result()
                except Exception as exc:  # the worker died or the task could not run
                    row = dict(
                        params,
                        task=_task_id(params),
                        base_seed=base_seed,
                        status="error",
                        error=f"{type(exc).__name__}: {exc}",
                        seconds=float("nan"),
                        versions="",
                        code=code,
                    )
                record(row)
    finally:
        if cluster is not None:
            cluster.close()
