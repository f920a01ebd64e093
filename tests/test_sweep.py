"""natweights.sweep: identical results serially and on 1 or 2 workers in any completion order, resume, faults,
the progress bar, and the notebooks' sweep tasks (identical on 2 workers, default paths reproduce stored numbers)."""

import random

import numpy as np
import pandas as pd
import pytest

from natweights.conditioning import ENTRY_LAWS, sigma_min_samples, sigma_min_task
from natweights.ksat import refutation_run
from natweights.reduction import lemma13_chunks, lemma13_failure_task
from natweights.refuter import sat_growth_run
from natweights.routing import routing_failure_task
from natweights.sweep import run_sweep, sweep_path, task_key, task_rng
from natweights.transition import satisfiable_count

IDENTITY = ["p", "q", "mean", "draw", "task", "base_seed", "status", "error"]


def monte_carlo(rng, p, q):
    """A small seeded Monte Carlo task; fails on one parameter point."""
    if p == 2 and q == "b":
        raise RuntimeError("planted failure")
    x = rng.standard_normal(200 + 10 * p)
    return {"mean": float(x.mean()), "draw": int(rng.integers(0, 2**40))}


GRID = [{"p": p, "q": q} for p in range(4) for q in ("a", "b")]


@pytest.fixture
def sweep_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NATWEIGHTS_SWEEP_DIR", str(tmp_path))
    monkeypatch.delenv("NATWEIGHTS_SCHEDULER", raising=False)
    return tmp_path


def by_task(df):
    return df[IDENTITY].sort_values("task").reset_index(drop=True)


def same(a, b):
    """Bit-identical values (the stored table may hold an int column as float next to a failed row)."""
    pd.testing.assert_frame_equal(by_task(a), by_task(b), check_exact=True, check_dtype=False)


def test_task_key_is_stable_and_order_free():
    # a fixed value: the key must not depend on the process (Python's hash is salted)
    assert task_key({"q": "a", "p": 1}) == task_key({"p": 1, "q": "a"})
    assert task_key({"p": 1, "q": "a"}) != task_key({"p": 1, "q": "b"})
    assert task_key({"p": 1}) != task_key({"p": 1.5})
    a = task_rng(7, {"p": 1}).integers(0, 2**62, 4)
    assert np.array_equal(a, task_rng(7, {"p": 1}).integers(0, 2**62, 4))
    assert not np.array_equal(a, task_rng(8, {"p": 1}).integers(0, 2**62, 4))


def test_local_cluster_equals_serial_in_any_order(sweep_dir):
    serial = run_sweep(monte_carlo, GRID, name="serial", base_seed=11, n_workers=0)
    shuffled = GRID[:]
    random.Random(3).shuffle(shuffled)
    parallel = run_sweep(monte_carlo, shuffled, name="parallel", base_seed=11, n_workers=2)
    assert len(serial) == len(GRID) == len(parallel)
    same(serial, parallel)
    # grid order is kept in the returned table
    assert list(zip(parallel["p"], parallel["q"], strict=True)) == [(g["p"], g["q"]) for g in shuffled]
    # the failing task is recorded with its parameters and error text; the others are kept
    bad = serial[serial["status"] == "error"]
    assert list(zip(bad["p"], bad["q"], strict=True)) == [(2, "b")]
    assert "RuntimeError: planted failure" in bad["error"].iloc[0]
    assert (serial["status"] == "ok").sum() == len(GRID) - 1
    # another base seed gives other draws
    other = run_sweep(monte_carlo, GRID[:2], name="other", base_seed=12, n_workers=0)
    assert not np.array_equal(other["draw"].to_numpy(), serial["draw"].to_numpy()[:2])


def test_resume_skips_done_tasks(sweep_dir):
    calls = []

    def counted(rng, p, q):
        calls.append((p, q))
        return monte_carlo(rng, p, q)

    first = run_sweep(counted, GRID[:4], name="resume", base_seed=5, n_workers=0)
    assert sweep_path("resume").is_file()
    calls.clear()
    again = run_sweep(counted, GRID, name="resume", base_seed=5, n_workers=0)
    # only the four new tasks ran; the stored rows came back unchanged
    assert sorted(calls) == sorted((g["p"], g["q"]) for g in GRID[4:])
    same(again[again["task"].isin(first["task"])], first)
    stored = pd.read_csv(sweep_path("resume"))
    assert len(stored) == len(GRID)
    calls.clear()
    run_sweep(counted, GRID, name="resume", base_seed=5, n_workers=0)
    assert calls == [(2, "b")]  # only the failed task is retried
    calls.clear()
    run_sweep(counted, GRID[:2], name="resume", base_seed=6, n_workers=0)
    assert len(calls) == 2  # another base seed is not "done"


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(grid=[]), ValueError),
        (dict(grid=[{"p": 1}, {"p": 1}]), ValueError),
        (dict(grid=[{"p": 1}, {"q": 1}]), ValueError),
        (dict(grid=[{"p": [1, 2]}]), TypeError),
        (dict(grid=[{"seconds": 1}]), ValueError),
        (dict(grid=[{"p": float("nan")}]), ValueError),
        (dict(grid=[1]), TypeError),
        (dict(name="../x"), ValueError),
        (dict(base_seed=-1), ValueError),
        (dict(base_seed=1.5), TypeError),
        (dict(n_workers=-1), ValueError),
        (dict(func=3), TypeError),
    ],
)
def test_rejects_bad_input(sweep_dir, kwargs, error):
    args = dict(func=monte_carlo, grid=[{"p": 0, "q": "a"}], name="bad", base_seed=1, n_workers=0)
    args.update(kwargs)
    func = args.pop("func")
    grid = args.pop("grid")
    with pytest.raises(error):
        run_sweep(func, grid, **args)


def test_bad_result_is_recorded(sweep_dir):
    df = run_sweep(lambda rng, p: {"p": 1}, [{"p": 0}], name="clash", base_seed=1, n_workers=0)
    assert df["status"].iloc[0] == "error" and "clash" in df["error"].iloc[0]
    df = run_sweep(lambda rng, p: 3, [{"p": 0}], name="notdict", base_seed=1, n_workers=0)
    assert df["status"].iloc[0] == "error" and "dict" in df["error"].iloc[0]


def test_scheduler_address_from_environment(sweep_dir, monkeypatch):
    # the reader's own cluster, reached through NATWEIGHTS_SCHEDULER, gives the serial results
    from distributed import LocalCluster

    serial = run_sweep(monte_carlo, GRID[:4], name="ref", base_seed=3, n_workers=0)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        monkeypatch.setenv("NATWEIGHTS_SCHEDULER", cluster.scheduler_address)
        remote = run_sweep(monte_carlo, GRID[:4][::-1], name="remote", base_seed=3)
        assert len(cluster.scheduler.workers) == 1  # still running: the sweep did not close it
    same(serial, remote)


# --- the notebooks' sweep tasks, the progress bar, completion order and resume on a running cluster ---------

#: Each notebook's extended-sweep task on a tiny grid of points that the default grids also hold (parameter
#: values of the default cells, fewer draws).
NOTEBOOK_TASKS = [
    (refutation_run, [{"n": 50, "trial": t, "density": 6} for t in range(3)] + [{"n": 75, "trial": 0, "density": 6}]),
    (satisfiable_count, [{"n": 50, "density": a, "trials": 5} for a in (3.9, 4.3, 4.7)]),
    (lemma13_failure_task, [{"n": 100, "chunks": 40, "block": b} for b in range(2)]),
    (routing_failure_task, [{"law": law, "width": w, "draws": 30} for law, w in (("rademacher", 10), ("normal", 16))]),
    (sigma_min_task, [{"law": law, "r": 20, "m": 10, "draws": 40} for law in ENTRY_LAWS]),
    (sat_growth_run, [{"n": 60, "rep": r, "K": 3, "M": 8} for r in range(2)]),
]


def deterministic(df):
    keep = [c for c in df.columns if c not in ("seconds", "versions") and not c.startswith("seconds_")]
    return df[keep].sort_values("task").reset_index(drop=True)


@pytest.fixture(scope="module")
def cluster():
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as c:
        yield c


def shuffled_completion(monkeypatch, seed):
    """Make run_sweep see its futures complete in a shuffled order (all are waited for first)."""
    import distributed

    def shuffled(futures):
        futures = list(futures)
        distributed.wait(futures)
        random.Random(seed).shuffle(futures)
        return iter(futures)

    monkeypatch.setattr(distributed, "as_completed", shuffled)


def test_notebook_tasks_identical_on_two_workers(sweep_dir, cluster):
    # each task function gives bit-identical rows on 2 worker processes and serially in this process, and
    # the rows are the task function called directly with the task's stream
    for func, grid in NOTEBOOK_TASKS:
        name = func.__name__
        serial = run_sweep(func, grid, name=f"{name}-serial", base_seed=17, n_workers=0)
        parallel = run_sweep(
            func, grid[::-1], name=f"{name}-parallel", base_seed=17, scheduler=cluster.scheduler_address
        )
        assert (serial["status"] == "ok").all(), serial["error"].tolist()
        pd.testing.assert_frame_equal(deterministic(serial), deterministic(parallel), check_exact=True)
        for params, row in zip(grid, serial.to_dict("records"), strict=True):
            direct = func(task_rng(17, params), **params)
            assert {k: v for k, v in direct.items() if not k.startswith("seconds")} == {
                k: row[k] for k in direct if not k.startswith("seconds")
            }, (name, params)


def test_default_paths_reproduce_stored_outputs():
    # the first point of each default cell, computed by the task's function with the cell's generator,
    # gives the numbers stored in the notebooks
    rng = np.random.default_rng(104)  # 01, C2: the ten formulas at n = 50
    conflicts = [refutation_run(rng, n=50, trial=t)["conflicts"] for t in range(10)]
    assert np.median(conflicts) == 29.0  # "n =  50: median conflicts      29.0"
    assert satisfiable_count(np.random.default_rng(103), n=50, density=3.9, trials=300)["satisfiable"] == 277
    chunks = lemma13_chunks(np.random.default_rng(305), n=100, chunks=1000)  # 03: "100 16 21 ... 0.405 ... 0.2080"
    assert (chunks.n_prime, chunks.M, chunks.event, chunks.fail, int(chunks.counts.sum())) == (16, 21, 0, 405, 20800)
    rng = np.random.default_rng(805)  # 08, C12: the cell draws two square batches before the first shape
    rng.standard_normal((1500, 20, 20))
    rng.choice([-1.0, 1.0], size=(1500, 8, 8))
    assert f"{sigma_min_samples(rng, 'normal', 20, 10, 1500).mean():.2f}" == "1.65"
    rng = np.random.default_rng(1003)  # 10, C18 growth: medians at n = 60 over 5 repeats
    runs = [sat_growth_run(rng, n=60, rep=r) for r in range(5)]
    assert np.median([r["conflicts_planted"] for r in runs]) == 21
    assert np.median([r["conflicts_random"] for r in runs]) == 75


def test_one_and_two_workers_any_completion_order(sweep_dir, cluster, monkeypatch):
    from distributed import LocalCluster

    serial = run_sweep(monte_carlo, GRID, name="serial", base_seed=11, n_workers=0)
    shuffled_completion(monkeypatch, 5)
    two = run_sweep(monte_carlo, GRID, name="two", base_seed=11, scheduler=cluster.scheduler_address)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as one_worker:
        one = run_sweep(monte_carlo, GRID[::-1], name="one", base_seed=11, scheduler=one_worker.scheduler_address)
    same(serial, two)
    same(serial, one)
    # the failing task is reported with its parameters; every other result is kept
    for df in (two, one):
        assert df.loc[df["status"] == "error", ["p", "q"]].values.tolist() == [[2, "b"]]
        assert (df["status"] == "ok").sum() == len(GRID) - 1


def test_resume_on_cluster_keeps_stored_rows(sweep_dir, cluster):
    first = run_sweep(monte_carlo, GRID[:3], name="resume-cluster", base_seed=2, scheduler=cluster.scheduler_address)
    again = run_sweep(monte_carlo, GRID, name="resume-cluster", base_seed=2, scheduler=cluster.scheduler_address)
    kept = again.set_index("task").loc[first["task"]]
    # the rows of the first run come back from the table (their recorded seconds too), the rest are new
    assert kept["seconds"].tolist() == first["seconds"].tolist()
    same(again, run_sweep(monte_carlo, GRID, name="fresh", base_seed=2, n_workers=0))


def test_progress_bar_follows_environment(sweep_dir, monkeypatch, capfd):
    monkeypatch.setenv("NATWEIGHTS_PROGRESS", "1")
    run_sweep(monte_carlo, GRID[:2], name="shown", base_seed=1, n_workers=0)
    assert "shown" in capfd.readouterr().err
    monkeypatch.setenv("NATWEIGHTS_PROGRESS", "0")
    run_sweep(monte_carlo, GRID[:2], name="hidden", base_seed=1, n_workers=0)
    assert "hidden" not in capfd.readouterr().err


def test_code_edit_recomputes_stale_rows(sweep_dir, tmp_path, monkeypatch):
    """A row counts as done only for the code fingerprint it was computed with: editing the task's code reruns it."""
    import importlib
    import sys

    from natweights.sweep import code_fingerprint

    module = tmp_path / "edited_task.py"
    module.write_text("def task(rng, p):\n    return {'value': p + 1}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("edited_task", None)
    edited = importlib.import_module("edited_task")
    grid = [{"p": 1}, {"p": 2}]
    first = run_sweep(edited.task, grid, name="edited", base_seed=3, n_workers=0)
    assert first["value"].tolist() == [2, 3] and first["code"].nunique() == 1
    assert run_sweep(edited.task, grid, name="edited", base_seed=3, n_workers=0)["seconds"].tolist() == (
        first["seconds"].tolist()
    )  # same code: resumed from the table, not rerun
    # a biased edit of the task: the stored table must not hide it
    module.write_text("def task(rng, p):\n    return {'value': p + 2}\n")
    edited = importlib.reload(edited)
    assert code_fingerprint(edited.task) != first["code"].iloc[0]
    second = run_sweep(edited.task, grid, name="edited", base_seed=3, n_workers=0)
    assert second["value"].tolist() == [3, 4]
    assert (second["code"] == code_fingerprint(edited.task)).all()
    # a change of a library module changes the fingerprint as well
    monkeypatch.setattr("natweights.sweep._package_sources", lambda: b"other library sources")
    assert code_fingerprint(edited.task) != second["code"].iloc[0]
    calls = []

    def counted(rng, p):
        calls.append(p)
        return {"value": p}

    run_sweep(counted, grid, name="edited2", base_seed=3, n_workers=0)
    monkeypatch.setattr("natweights.sweep._package_sources", lambda: b"edited library sources")
    calls.clear()
    run_sweep(counted, grid, name="edited2", base_seed=3, n_workers=0)
    assert calls == [1, 2]
    # a table written before fingerprints existed is stale as a whole
    stored = pd.read_csv(sweep_path("edited2")).drop(columns="code")
    stored.to_csv(sweep_path("edited2"), index=False)
    calls.clear()
    run_sweep(counted, grid, name="edited2", base_seed=3, n_workers=0)
    assert calls == [1, 2]
    with pytest.raises(TypeError, match="^func must be callable"):
        code_fingerprint(3)
