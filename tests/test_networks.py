import itertools

import numpy as np
import pytest

from natweights.ksat import random_assignment
from natweights.networks import (
    Depth2Network,
    block_network,
    encode_for_filter,
    encode_signed,
    gaussian_filter_network,
    rademacher_filter_network,
)
from natweights.reduction import Blocks, block_satisfied, random_blocks


def test_block_network_exhaustive():
    """C8 on all of X_{n,KM} x {±1}^n for n = 6, K = 2, M = 2 (5760 blocks, 64 assignments)."""
    from natweights.dnf import all_signed_tuples

    n, K, M = 6, 2, 2
    v, s = all_signed_tuples(n, K * M)
    blocks = Blocks(n, v.reshape(-1, M, K), s.reshape(-1, M, K))
    X = encode_signed(blocks)
    for psi in itertools.product((-1, 1), repeat=n):
        psi = np.array(psi)
        assert np.array_equal(block_network(psi, K, M)(X), block_satisfied(psi, blocks).astype(float))


def test_filter_networks(rng):
    n, K, M = 20, 3, 4
    blocks = random_blocks(n, K, M, 2000, rng)
    net, psi = rademacher_filter_network(n, K, M, rng)
    assert np.array_equal(net(encode_signed(blocks)), block_satisfied(psi, blocks).astype(float))
    net, f, psi = gaussian_filter_network(n, K, M, rng)
    np.testing.assert_allclose(net(encode_for_filter(blocks, f)), block_satisfied(psi, blocks), atol=1e-12)


def test_linear_output_differs_where_it_should(rng):
    """Linear output = 1 - sum_t [1 - true_t]_+ ; it differs from T exactly when two or more clauses fail."""
    n, K, M = 18, 3, 5
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, 3000, rng)
    X = encode_signed(blocks)
    relu_out = block_network(psi, K, M)(X)
    lin_out = block_network(psi, K, M, output="linear")(X)
    failed = np.sum(blocks.true_counts(psi) == 0, axis=1)
    np.testing.assert_array_equal(lin_out, 1 - failed)
    assert np.array_equal(lin_out != relu_out, failed >= 2)
    assert np.any(failed >= 2)


def test_depth2_network_errors():
    with pytest.raises(ValueError, match="length m"):
        Depth2Network(np.zeros((3, 2)), np.zeros(3), np.zeros(2), 0.0)
    with pytest.raises(ValueError, match="output"):
        Depth2Network(np.zeros((3, 2)), np.zeros(2), np.zeros(2), 0.0, output="tanh")
    with pytest.raises(ValueError, match="N x d"):
        Depth2Network(np.zeros((3, 2)), np.zeros(2), np.zeros(2), 0.0)(np.zeros((4, 2)))
