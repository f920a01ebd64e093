"""natweights.sweep: identical results serially and on a 2-worker LocalCluster, resume, faults."""

import random

import numpy as np
import pandas as pd
import pytest

from natweights.sweep import run_sweep, sweep_path, task_key, task_rng

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
