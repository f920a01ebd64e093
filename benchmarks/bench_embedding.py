"""Speed of the natural-weight embedding (run: python benchmarks/bench_embedding.py).

Builds NaturalEmbedding(n=200, K=3, M=16) for each law and encodes 10^4 random blocks;
prints the build time, the encoding time and the size of the input matrix, best of 3.
"""

import time

import numpy as np

from natweights import weights
from natweights.embedding import NaturalEmbedding
from natweights.ksat import random_assignment
from natweights.reduction import block_satisfied, random_blocks


def main(n=200, K=3, M=16, count=10_000, repeats=3):
    rng = np.random.default_rng(0)
    blocks = random_blocks(n, K, M, count, rng)
    for law in (weights.normal(), weights.uniform(), weights.rademacher(), weights.sphere_columns()):
        builds, encodes = [], []
        for _ in range(repeats):
            t = time.perf_counter()
            emb = NaturalEmbedding(n, K, M, law, rng)
            builds.append(time.perf_counter() - t)
            t = time.perf_counter()
            X = emb.encode(blocks)
            encodes.append(time.perf_counter() - t)
        psi = random_assignment(n, rng)
        err = np.abs(emb.network(psi)(X[:500]) - block_satisfied(psi, blocks[np.arange(500)])).max()
        print(
            f"{str(law):18s} m = {emb.m:3d}, r = {emb.r:3d}, d = {emb.d:6d}: build {min(builds):.2f} s, "
            f"encode {count} blocks {min(encodes):.2f} s (X is {X.nbytes / 2**30:.2f} GiB), "
            f"total {min(builds) + min(encodes):.2f} s; max error on 500 blocks {err:.1e}"
        )
        del X


if __name__ == "__main__":
    main()
