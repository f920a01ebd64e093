import itertools

import numpy as np
import pytest

from natweights.ksat import random_assignment
from natweights.networks import (
    Depth2Network,
    block_network,
    conv_filter_network,
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


def test_errors_name_the_parameter():
    W = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"^W must have finite entries"):
        Depth2Network(np.full((4, 2), np.nan), np.zeros(2), np.ones(2), 0.0)
    with pytest.raises(ValueError, match=r"^b must have finite entries"):
        Depth2Network(W, [0.0, np.inf], np.ones(2), 0.0)
    with pytest.raises(ValueError, match=r"^W must be a d x m matrix, got shape \(4,\)"):
        Depth2Network(np.ones(4), np.zeros(1), np.ones(1), 0.0)
    net = Depth2Network(W, np.zeros(2), np.ones(2), 0.0)
    with pytest.raises(ValueError, match=r"^X must have finite entries"):
        net.preactivations(np.full((1, 4), np.nan))
    blocks = Blocks(4, [[[0, 1], [2, 3]]], [[[1, -1], [-1, 1]]])
    with pytest.raises(ValueError, match=r"^filter_ must have finite entries"):
        encode_for_filter(blocks, [1.0, np.nan, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"^filter must have length n = 4, got 3"):
        encode_for_filter(blocks, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"^n must be positive, got 0"):
        encode_signed(blocks, n=0)
    one = Blocks(1, [[[0]]], [[[-1]]])
    assert encode_signed(one, n=1).tolist() == [[-1.0]]


def _filter_network(which, rng, n, K, M, **kw):
    if which == 0:
        return conv_filter_network(np.full(n, 0.5), K, M, **kw)
    if which == 1:
        return rademacher_filter_network(n, K, M, rng, **kw)[0]
    return gaussian_filter_network(n, K, M, rng, **kw)[0]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_filter_network_domains(rng, which):
    """K, M (and n) are positive integers, each refused by name; 1 is allowed; the output defaults to ReLU."""
    for name, args in (("K", (3, 0, 1)), ("M", (3, 1, 0)), ("n", (0, 1, 1))):
        if which == 0 and name == "n":
            continue
        with pytest.raises(ValueError, match=rf"^{name} must be positive, got 0"):
            _filter_network(which, rng, *args)
    net = _filter_network(which, rng, 1, 1, 1)
    assert net.output == "relu" and net.W.shape == (1, 1) and net.b.tolist() == [0.5]
    assert _filter_network(which, rng, 2, 1, 1, output="linear").output == "linear"
    for bad in ("1", None):
        with pytest.raises(TypeError, match=r"^K must be an integer"):
            _filter_network(which, rng, 3, bad, 1)
        with pytest.raises(TypeError, match=r"^M must be an integer"):
            _filter_network(which, rng, 3, 1, bad)


def test_filter_networks_psi_and_filter(rng):
    net, psi = rademacher_filter_network(64, 2, 1, rng)
    assert psi.dtype == np.int8 and set(psi.tolist()) == {-1, 1}
    assert np.array_equal(net.W[:, 0], -psi / 2)
    net, f, psi = gaussian_filter_network(64, 2, 1, rng)
    assert psi.dtype == np.int8 and np.array_equal(psi, -np.sign(f)) and np.array_equal(net.W[:, 0], f)


def test_memory_checks_at_their_limits(memory_limit):
    from natweights.validation import MemoryRequestError

    memory_limit(8 * 2 * 3 * 2)
    assert conv_filter_network(np.ones(3), 1, 2).W.shape == (6, 2)
    memory_limit(8 * 2 * 3 * 2 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the block-diagonal W of M = 2 filters of length 3 would need"):
        conv_filter_network(np.ones(3), 1, 2)
    blocks = Blocks(8, [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[0, 2], [4, 6]]], np.ones((3, 2, 2)))
    memory_limit(8 * 3 * 2 * 8)
    assert encode_signed(blocks).shape == (3, 16)
    memory_limit(8 * 3 * 2 * 8 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the dense inputs of 3 blocks \(N x Mn = 3 x 16 floats\) would"):
        encode_signed(blocks)


@pytest.mark.parametrize("make", [rademacher_filter_network, gaussian_filter_network])
@pytest.mark.parametrize("K, M", [(0, 1), (1, 0), (-1, 1), (1, -2)])
def test_refused_filter_networks_draw_nothing(make, K, M):
    """Arguments are checked before anything is drawn: a refused call leaves the generator untouched."""
    g = np.random.default_rng(5)
    with pytest.raises(ValueError, match=rf"^{'K' if K < 1 else 'M'} must be positive"):
        make(4, K, M, g)
    assert g.random() == np.random.default_rng(5).random()


def test_with_output_keeps_the_parameters():
    net = Depth2Network([[1.0, -1.0]], [0.0, -0.5], [1.0, -2.0], -1.0)
    X = np.array([[2.0], [-3.0]])
    # hidden: [2, 0] and [0, 2.5]; u . hidden + b0 = 1 and -6
    assert net(X).tolist() == [1.0, 0.0]
    lin = net.with_output("linear")
    assert lin.output == "linear" and lin(X).tolist() == [1.0, -6.0]
    assert np.array_equal(lin.W, net.W) and np.array_equal(lin.b, net.b) and np.array_equal(lin.u, net.u)
    assert lin.b0 == -1.0 and net.output == "relu"
    with pytest.raises(ValueError, match=r"^output must be 'relu' or 'linear', got 'tanh'"):
        net.with_output("tanh")
