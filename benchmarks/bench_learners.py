"""Speed of the exact learners (run: python benchmarks/bench_learners.py [--max-seconds 60]).

1. BruteForceERM at n = 24, 400 examples, K = 3, M = 6, against the straightforward numpy
   evaluation of every assignment on every example (measured on a slice of the examples and
   scaled linearly, since its cost is linear in the number of examples).
2. SatLearner asked for a zero-error psi against n, on realizable samples (uniform blocks
   labelled by h_psi) and on random-label samples (unsatisfiable), until the unsatisfiable
   side passes --max-seconds.
"""

import argparse
import time

import numpy as np

from natweights.ksat import random_assignment
from natweights.learners import BruteForceERM, SatLearner, naive_error_counts
from natweights.reduction import block_satisfied, random_blocks


def bench_brute_force(rng, n=24, N=400, K=3, M=6, naive_examples=8):
    blocks = random_blocks(n, K, M, N, rng)
    labels = block_satisfied(random_assignment(n, rng), blocks).astype(int)
    t = time.perf_counter()
    erm = BruteForceERM().fit(blocks, labels)
    fast = time.perf_counter() - t
    sub = blocks[np.arange(naive_examples)]
    t = time.perf_counter()
    naive = naive_error_counts(sub, labels[:naive_examples])
    slow = (time.perf_counter() - t) * N / naive_examples
    check = BruteForceERM().fit(sub, labels[:naive_examples]).error_counts_
    assert np.array_equal(naive, check)
    print(
        f"BruteForceERM n={n}, N={N}, K={K}, M={M}: {fast:.2f} s (min errors {erm.min_errors_}); "
        f"naive numpy: {slow:.1f} s (from {naive_examples} examples, scaled); speed-up {slow / fast:.0f}x"
    )


def bench_sat(rng, max_seconds, K=3, M=4, per_variable=2):
    print(f"SatLearner(max_errors=0), K={K}, M={M}, {per_variable} n examples")
    print("   n   realizable s  conflicts   random-label s  conflicts  status")
    n = 20
    while True:
        N = per_variable * n
        blocks = random_blocks(n, K, M, N, rng)
        labels = block_satisfied(random_assignment(n, rng), blocks).astype(int)
        sat = SatLearner().fit(blocks, labels)
        assert sat.found_ and sat.training_errors_ == 0
        noise = rng.integers(0, 2, N)
        uns = SatLearner().fit(blocks, noise)
        print(
            f"{n:4d}   {sat.stats['seconds']:10.3f}  {sat.stats.get('conflicts', 0):9d}   "
            f"{uns.stats['seconds']:12.3f}  {uns.stats.get('conflicts', 0):9d}  {uns.status}",
            flush=True,
        )
        if uns.stats["seconds"] > max_seconds or n >= 2000:
            break
        n += 10


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--per-variable", type=int, default=2, help="examples per variable in the SAT benchmark")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    bench_brute_force(rng)
    bench_sat(rng, args.max_seconds, per_variable=args.per_variable)
