"""Unit tests for the degree-K view of the network (polynomial.py), the fitting helpers (fitting.py)
and the input laws of C16/C17 (input_laws.py)."""

import numpy as np
import pytest

from natweights import weights
from natweights.embedding import NaturalEmbedding
from natweights.fitting import (
    LiteralCorrelationPredictor,
    PolynomialKernelFit,
    explained_variance,
    explained_variance_summary,
    literal_correlation_estimate,
    polynomial_kernel,
)
from natweights.input_laws import planted_blocks, planted_mixture_sample
from natweights.ksat import random_assignment
from natweights.networks import block_network, encode_signed
from natweights.polynomial import fit_polynomial, monomial_features, monomial_index
from natweights.printing import fixed
from natweights.reduction import block_satisfied, random_blocks

# -- polynomial.py ---------------------------------------------------------------------------------


def test_monomial_index_counts_subsets():
    index = monomial_index(5, 2)
    assert len(index) == 1 + 5 + 10
    assert index[()] == 0


def test_monomial_features_fit_linear_output_exactly_and_not_relu(rng):
    n, K, M = 8, 2, 3
    psi = random_assignment(n, rng)
    train, test = random_blocks(n, K, M, 600, rng), random_blocks(n, K, M, 300, rng)
    F_train, F_test = monomial_features(train), monomial_features(test)
    for output, exact in (("linear", True), ("relu", False)):
        net = block_network(psi, K, M, output)
        coef = fit_polynomial(F_train, net(encode_signed(train)))
        mse = np.mean((F_test @ coef - net(encode_signed(test))) ** 2)
        assert (mse < 1e-20) == exact


def test_monomial_features_rejects_low_degree(rng):
    with pytest.raises(ValueError, match="degree"):
        monomial_features(random_blocks(6, 3, 2, 5, rng), degree=2)


# -- fitting.py: explained variance ----------------------------------------------------------------


def test_explained_variance_reference_values():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    assert explained_variance(y, y) == 1.0
    assert explained_variance(y, np.full(4, y.mean())) == 0.0
    assert explained_variance(y, y[::-1]) < 0


@pytest.mark.parametrize(
    "y_true, y_pred, match",
    [
        (np.ones(4), np.ones(4), "constant"),
        (np.arange(3.0), np.arange(4.0), "shape"),
        (np.arange(3.0), np.array([0.0, np.nan, 1.0]), "finite"),
        (np.zeros((2, 2)), np.zeros((2, 2)), "1-d"),
    ],
)
def test_explained_variance_rejects_bad_input(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        explained_variance(y_true, y_pred)


def test_explained_variance_summary_interval_and_decisions():
    s = explained_variance_summary([0.8, 0.82, 0.79, 0.81, 0.8])
    assert s.lo < s.mean < s.hi and s.count == 5
    assert s.learned_well(0.5) and not s.learned_well(0.85)
    assert s.at_most(0.9) and not s.at_most(0.8)
    assert s.format(2).startswith("0.80 [")
    with pytest.raises(ValueError, match="two"):
        explained_variance_summary([0.5])
    with pytest.raises(ValueError, match="confidence"):
        explained_variance_summary([0.5, 0.6], confidence=1.5)


# -- fitting.py: literal correlation ----------------------------------------------------------------


def test_literal_correlation_recovers_psi_on_uniform_blocks(rng):
    n, K, M = 20, 3, 4
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, 1500, rng)
    y = block_satisfied(psi, blocks).astype(float)
    assert np.array_equal(literal_correlation_estimate(blocks, y), psi)
    model = LiteralCorrelationPredictor().fit(blocks, y)
    test = random_blocks(n, K, M, 300, rng)
    assert explained_variance(block_satisfied(psi, test).astype(float), model.predict(test)) > 0.999


def test_literal_correlation_rejects_bad_input(rng):
    blocks = random_blocks(6, 2, 2, 5, rng)
    with pytest.raises(TypeError, match="blocks"):
        literal_correlation_estimate(np.zeros((5, 2, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="one value per block"):
        literal_correlation_estimate(blocks, np.zeros(4))
    with pytest.raises(ValueError, match="fit"):
        LiteralCorrelationPredictor().predict(blocks)


# -- fitting.py: polynomial kernel ------------------------------------------------------------------


def test_polynomial_kernel_formula():
    X = np.array([[1.0, 2.0]])
    Y = np.array([[3.0, -1.0]])
    assert polynomial_kernel(X, Y, 3, 2.0)[0, 0] == pytest.approx((1 + 1.0 / 2) ** 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(degree=0, scale=1.0), "degree"),
        (dict(degree=2.5, scale=1.0), "degree"),
        (dict(degree=2, scale=0.0), "scale"),
    ],
)
def test_polynomial_kernel_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        polynomial_kernel(np.ones((2, 2)), np.ones((2, 2)), **kwargs)


def test_kernel_fit_is_exact_for_its_degree_only(rng):
    X = rng.standard_normal((80, 3))
    y = 1 + X[:, 0] * X[:, 1] - 2 * X[:, 2] ** 2
    Xt = rng.standard_normal((40, 3))
    yt = 1 + Xt[:, 0] * Xt[:, 1] - 2 * Xt[:, 2] ** 2
    exact = PolynomialKernelFit(2).fit(X, y)
    assert np.max(np.abs(exact.predict(Xt) - yt)) < 1e-8
    low = PolynomialKernelFit(1).fit(X, y)
    assert np.mean((low.predict(Xt) - yt) ** 2) > 0.1 * np.var(yt)


def test_kernel_ridge_picks_a_penalty_from_the_grid(rng):
    X = rng.standard_normal((60, 4))
    y = X[:, 0] + 0.3 * rng.standard_normal(60)
    fit = PolynomialKernelFit(1, ridge=[1e-3, 1e-1, 1.0]).fit(X, y)
    assert fit.ridge_ in (1e-3, 1e-1, 1.0)
    assert explained_variance(X[:, 0], fit.predict(X)) > 0.5


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(degree=0), "degree"),
        (dict(degree=2, ridge=-1.0), "ridge"),
        (dict(degree=2, rcond=0.0), "rcond"),
    ],
)
def test_kernel_fit_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PolynomialKernelFit(**kwargs)


def test_kernel_fit_rejects_bad_data_and_predict_before_fit():
    with pytest.raises(ValueError, match="N x d"):
        PolynomialKernelFit(2).fit(np.ones((3, 2)), np.arange(4.0))
    with pytest.raises(ValueError, match="fit"):
        PolynomialKernelFit(2).predict(np.ones((3, 2)))


# -- natweights.printing as used by the fitting tables ---------------------------------------------


def test_fixed():
    assert fixed(0.12345, 2) == "0.12"
    assert fixed(-0.0004, 3) == "0.000"
    with pytest.raises(ValueError, match="boundary"):
        fixed(0.2475, 3)
    with pytest.raises(ValueError, match="boundary"):
        fixed(0.945, 2)
    with pytest.raises(ValueError, match="decimals"):
        fixed(1.0, -1)
    with pytest.raises(ValueError, match="finite"):
        fixed(np.inf, 2)


# -- input_laws.py ----------------------------------------------------------------------------------


def test_planted_blocks_are_satisfied_and_quiet_literals_unbiased(rng):
    n, K, M = 20, 3, 4
    psi = random_assignment(n, rng)
    blocks = planted_blocks(n, K, M, 3000, psi, "quiet", rng)
    assert len(blocks) == 3000 and blocks.M == M and blocks.K == K
    assert block_satisfied(psi, blocks).all()
    z = blocks.literal_values(psi)
    assert abs(z.mean()) < 4 / np.sqrt(z.size)  # quiet law: E z = 0
    naive = planted_blocks(n, K, M, 3000, psi, "naive", rng).literal_values(psi)
    assert abs(naive.mean() - 1 / 7) < 4 / np.sqrt(naive.size)  # naive law: E z = 1/7 at K = 3


def test_planted_mixture_sample_labels(rng):
    n, K, M = 12, 3, 3
    psi = random_assignment(n, rng)
    sample = planted_mixture_sample(n, K, M, 2000, psi, "naive", rng)
    kept = sample.labels == 1
    assert block_satisfied(psi, sample.blocks)[kept].all()
    assert abs(kept.mean() - 0.5) < 4 * 0.5 / np.sqrt(2000)
    replaced_satisfied = block_satisfied(psi, sample.blocks)[~kept].mean()
    assert abs(replaced_satisfied - (7 / 8) ** 3) < 4 * 0.5 / np.sqrt((~kept).sum())


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(count=0), "count"),
        (dict(chunk_factor=0), "chunk_factor"),
        (dict(psi=np.ones(5, dtype=int)), "psi|length|n"),
    ],
)
def test_planted_blocks_rejects_bad_input(rng, kwargs, match):
    args = dict(n=12, K=3, M=3, count=10, psi=np.ones(12, dtype=int), law="naive", rng=rng)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        planted_blocks(**args)


def test_embedding_pad_keeps_network_output_on_sphere(rng):
    # the C17 mechanism: at r = 32 m the inputs fit inside the sqrt(d) sphere and padding keeps N = T
    n, K, M, m = 8, 2, 2, 12
    for _ in range(20):
        try:
            emb = NaturalEmbedding(n, K, M, weights.normal(xavier=True), rng, m=m, r=32 * m)
        except ValueError:
            continue
        if emb.input_norm_bound() <= np.sqrt(emb.d):
            break
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, 100, rng)
    X = emb.pad_to_norm(emb.encode(blocks), np.sqrt(emb.d))
    assert np.allclose(np.linalg.norm(X, axis=1), np.sqrt(emb.d))
    assert np.max(np.abs(emb.network(psi)(X) - block_satisfied(psi, blocks))) < 1e-9


def test_explained_variance_interval_never_above_one():
    # per-network values near 1 with one outlier: the t interval would pass 1
    summary = explained_variance_summary([1.0, 0.99, 0.2, 1.0, 0.98])
    assert summary.hi <= 1.0 and summary.lo < summary.mean <= summary.hi


def test_literal_correlation_tie_is_the_same_under_round_off():
    # psi_1's score is 0.1 + 0.2 - 0.15 - 0.15 = 0 in exact arithmetic; in floating point it is
    # +-3e-17 depending on the summation order, i.e. on the BLAS kernel. It must count as a tie (+1).
    from natweights.reduction import Blocks

    labels = np.array([0.1, 0.2, 0.15, 0.15])
    signs = np.array([1, 1, -1, -1])
    raw = set()
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]):
        y, sg = labels[order], signs[order]
        raw.add(float(np.sign((y - y.mean()) @ sg)))
        blocks = Blocks(2, np.zeros((4, 1, 1), dtype=int), sg.reshape(4, 1, 1))
        assert literal_correlation_estimate(blocks, y)[0] == 1
    assert raw != {0.0}, "the example no longer produces round-off: choose other labels"


def test_linear_output_network_is_the_stated_polynomial(rng):
    """C15: N(x) = 1 - 2^-K sum_U psi_U phi_U(x) exactly, with phi_empty = M; the ReLU output breaks it."""
    n, K, M = 9, 3, 2
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, 400, rng)
    features = monomial_features(blocks)
    index = monomial_index(n, K)
    coef = np.empty(len(index))
    for U, col in index.items():
        coef[col] = -(2.0**-K) * np.prod(psi[list(U)])
    coef[index[()]] += 1 / M  # the constant 1 through phi_empty = M
    assert np.allclose(features[:, index[()]], M)
    linear = block_network(psi, K, M, "linear")(encode_signed(blocks))
    assert np.max(np.abs(features @ coef - linear)) < 1e-12
    relu = block_network(psi, K, M, "relu")(encode_signed(blocks))
    assert np.max(np.abs(features @ coef - relu)) > 0.5  # several violated clauses: the output ReLU clips


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: monomial_index(0, 1), ValueError, "n must be"),
        (lambda: monomial_index(4, 5), ValueError, "degree must be"),
        (lambda: monomial_index(4, -1), ValueError, "degree must be"),
        (lambda: monomial_features(np.zeros((3, 2))), TypeError, "blocks"),
        (lambda: fit_polynomial(np.ones(3), np.ones(3)), ValueError, "features must be a 2-d"),
        (lambda: fit_polynomial(np.ones((3, 2)), np.ones(4)), ValueError, "targets must have"),
        (lambda: fit_polynomial(np.full((3, 2), np.nan), np.ones(3)), ValueError, "features"),
    ],
)
def test_polynomial_rejects_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
