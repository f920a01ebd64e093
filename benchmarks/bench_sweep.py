"""Speed-up of a CPU-bound sweep on a 2-worker LocalCluster over 1 worker (natweights.sweep).

Run: python benchmarks/bench_sweep.py [--tasks 16] [--seconds 1.0] [--workers 2]

Each task is a seeded Monte Carlo estimate of P(a random 3-SAT clause set on n variables is
satisfied by a uniform assignment), sized to take about --seconds on one core.  The same grid
runs on a LocalCluster of 1 worker and of --workers workers, passed to run_sweep by scheduler
address (speed-up printed without and with the cluster start-up);
the tables must agree exactly.  Target on a quiet 2-core machine: speed-up >= 1.7.

Measured (2-core machine, both cores held, 16 tasks of ~1 s): cluster start-up 0.57 s (1 worker),
0.43 s (2 workers); sweep 19.37 s on 1 worker, 10.19 s on 2 workers: speed-up 1.90 (1.88 with the
start-up included); results identical.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np


def clause_satisfaction(rng, index, n, draws):
    """Fraction of `draws` uniform assignments satisfying 4 n random 3-clauses (CPU-bound numpy)."""
    clauses = rng.integers(0, n, size=(4 * n, 3))
    signs = rng.integers(0, 2, size=(4 * n, 3)).astype(bool)
    sat = 0
    for _ in range(draws // 256):
        psi = rng.integers(0, 2, size=(256, n)).astype(bool)
        lit = psi[:, clauses] ^ signs
        sat += int(np.all(np.any(lit, axis=2), axis=1).sum())
    return {"satisfied": sat}


def calibrate(seconds, n):
    rng = np.random.default_rng(0)
    t = time.perf_counter()
    clause_satisfaction(rng, 0, n, 256 * 50)
    per = (time.perf_counter() - t) / 50
    return max(256, int(seconds / per) * 256)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=1.0, help="approximate seconds per task on one core")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    draws = calibrate(args.seconds, args.n)
    grid = [{"index": i, "n": args.n, "draws": draws} for i in range(args.tasks)]
    import logging

    from distributed import LocalCluster

    from natweights.sweep import run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NATWEIGHTS_SWEEP_DIR"] = tmp
        times, tables, startup = {}, {}, {}
        for workers in (1, args.workers):
            t = time.perf_counter()
            with LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster:
                startup[workers] = time.perf_counter() - t
                t = time.perf_counter()
                tables[workers] = run_sweep(
                    clause_satisfaction,
                    grid,
                    name=f"bench{workers}",
                    base_seed=1,
                    scheduler=cluster.scheduler_address,
                    resume=False,
                )
                times[workers] = time.perf_counter() - t
    assert (tables[1]["status"] == "ok").all()
    assert tables[1]["satisfied"].tolist() == tables[args.workers]["satisfied"].tolist()
    busy = float(tables[1]["seconds"].sum())
    print(f"{args.tasks} tasks of ~{args.seconds:.1f} s ({draws} draws each, {busy:.1f} s of task time on 1 worker)")
    print(f"cluster start-up: {startup[1]:.2f} s (1 worker), {startup[args.workers]:.2f} s ({args.workers} workers)")
    print(
        f"sweep on 1 worker: {times[1]:.2f} s; on {args.workers} workers: {times[args.workers]:.2f} s; "
        f"speed-up {times[1] / times[args.workers]:.2f} (target >= 1.7 for 2 workers)"
    )
    total1, total2 = times[1] + startup[1], times[args.workers] + startup[args.workers]
    print(f"including start-up: {total1:.2f} s vs {total2:.2f} s; speed-up {total1 / total2:.2f}")
    print("results identical on 1 and", args.workers, "workers: yes")


if __name__ == "__main__":
    main()
