"""Notebook 11's checks fed falsified claims of plausible size: each must reject them.

Every test calls the same library functions and applies the same decision as the
notebook's check (tolerances copied from notebook 11).
"""

import numpy as np
import pytest

from natweights import weights
from natweights.embedding import EmbeddingError, NaturalEmbedding
from natweights.fitting import (
    LiteralCorrelationPredictor,
    PolynomialKernelFit,
    explained_variance,
    explained_variance_summary,
    paired_wins,
    sphere_encoding_fit,
)
from natweights.input_laws import planted_mixture_sample
from natweights.ksat import random_assignment
from natweights.networks import block_network, encode_signed
from natweights.polynomial import fit_polynomial, monomial_features
from natweights.printing import fixed
from natweights.reduction import block_satisfied, random_blocks
from natweights.stats import mean_interval, proportion_interval

LEARNED_WELL = 0.5  # notebook 11, cell 1
ROUNDOFF_MSE = 1e-20  # notebook 11, C15 block features
RAW_TOL = 1e-12  # notebook 11, C15 raw-x check
RELU_RESIDUAL = 0.01  # notebook 11, C15 (cells 3 and 5)
EMULATION_TOL = 1e-9  # notebook 11, C17


def _embedding(rng, n, K, M, **kwargs):
    for _ in range(50):
        try:
            return NaturalEmbedding(n, K, M, weights.normal(xavier=True), rng, **kwargs)
        except EmbeddingError:
            continue
    raise RuntimeError("no public part")


def _raw_ratio(rng, n, K, M, n_train, degree, output):
    emb = _embedding(rng, n, K, M)
    psi = random_assignment(n, rng)
    X = emb.encode(random_blocks(n, K, M, n_train + 300, rng))
    y = emb.network(psi, output)(X)
    fit = PolynomialKernelFit(degree).fit(X[:n_train], y[:n_train])
    return float(np.mean((fit.predict(X[n_train:]) - y[n_train:]) ** 2) / np.var(y[n_train:]))


# -- C15 ---------------------------------------------------------------------------------------------


def test_raw_x_check_rejects_a_wrong_degree(rng):
    """Claim 'degree K - 1 in x fits the linear-output network': the round-off verdict must say no."""
    ratio = _raw_ratio(rng, 6, 2, 2, 400, degree=1, output="linear")
    assert not ratio < RAW_TOL
    assert ratio > RELU_RESIDUAL


def test_raw_x_check_rejects_round_off_fit_of_relu_output(rng):
    """Claim 'degree-K least squares on x fits the ReLU-output network to round-off': rejected."""
    ratio = _raw_ratio(rng, 6, 2, 2, 400, degree=2, output="relu")
    assert not ratio < RAW_TOL
    assert ratio > RELU_RESIDUAL


def test_raw_x_check_accepts_the_true_claim(rng):
    assert _raw_ratio(rng, 6, 2, 2, 400, degree=2, output="linear") < RAW_TOL


def test_block_feature_check_rejects_relu_output_as_round_off(rng):
    n, K, M = 9, 3, 3
    psi = random_assignment(n, rng)
    train, test = random_blocks(n, K, M, 1000, rng), random_blocks(n, K, M, 500, rng)
    net = block_network(psi, K, M, "relu")
    coef = fit_polynomial(monomial_features(train), net(encode_signed(train)))
    mse = np.mean((monomial_features(test) @ coef - net(encode_signed(test))) ** 2)
    assert not mse < ROUNDOFF_MSE


# -- C16 ---------------------------------------------------------------------------------------------


def _uniform_block_scores(rng, shuffle: bool, networks: int = 10):
    n, K, M = 20, 3, 4
    scores = []
    for _ in range(networks):
        psi = random_assignment(n, rng)
        blocks = random_blocks(n, K, M, 1300, rng)
        y = block_satisfied(psi, blocks).astype(float)
        model = LiteralCorrelationPredictor().fit(blocks[np.arange(800)], y[:800])
        pred = model.predict(blocks[np.arange(800, 1300)])
        if shuffle:
            pred = rng.permutation(pred)
        scores.append(explained_variance(y[800:], pred))
    return scores


def test_shuffled_predictions_are_not_learned_well(rng):
    """A learner whose predictions are shuffled (it learns nothing about x) must not be 'learned well'."""
    assert explained_variance_summary(_uniform_block_scores(rng, shuffle=True)).learned_well(LEARNED_WELL) is False
    assert explained_variance_summary(_uniform_block_scores(rng, shuffle=False)).learned_well(LEARNED_WELL) is True


def test_constant_learner_is_not_learned_well(rng):
    """The old check `learned <= constant + 0.01` passed for a learner that learns nothing; this one must not."""
    scores = []
    for _ in range(10):
        y = rng.random(500) < 0.7
        scores.append(explained_variance(y.astype(float), np.full(500, 0.7)))
    assert not explained_variance_summary(scores).learned_well(LEARNED_WELL)


def test_learned_well_rejects_a_level_just_above_the_truth(rng):
    """Predictions with explained variance about 0.45 (signal plus noise) must not pass the 0.5 level."""
    scores = []
    for _ in range(10):
        y = rng.standard_normal(2000)
        pred = 0.45 * y + np.sqrt(0.45 - 0.45**2) * rng.standard_normal(2000)
        scores.append(explained_variance(y, pred))
    assert not explained_variance_summary(scores).learned_well(LEARNED_WELL)


def test_literal_correlation_recovery_check_rejects_labels_without_signal(rng):
    """Labels independent of the blocks: the 'psi recovered exactly' check must fail."""
    n, K, M = 20, 3, 4
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, 800, rng)
    y = rng.permutation(block_satisfied(psi, blocks).astype(float))
    assert not np.array_equal(LiteralCorrelationPredictor().fit(blocks, y).psi_, psi)


# -- C17 ---------------------------------------------------------------------------------------------


def _c17_explained_variance_check(rng, label_scale=None, networks=10):
    """Notebook 11's C17 check (networks non-constant on both sides, paired explained-variance difference,
    99% t-interval above 0), with the matched encoding on both sides: fresh blocks of one distribution on
    each side, and with ``label_scale`` the second side's labels multiplied by it (a low-variance copy of the
    same problem). Returns (lower end of the interval, additive errors of side a, of side b)."""
    n, K, M, m = 12, 3, 3, 16
    ev_a, ev_b, errors_a, errors_b = [], [], [], []
    for _ in range(networks):
        emb = _embedding(rng, n, K, M, m=m, r=32 * m)
        while emb.input_norm_bound() > np.sqrt(emb.d):  # the notebook's inside_sphere redraw
            emb = _embedding(rng, n, K, M, m=m, r=32 * m)
        psi = random_assignment(n, rng)
        net = emb.network(psi)
        sides = [(net, ev_a, errors_a), (net, ev_b, errors_b)]
        if label_scale is not None:
            sides[1] = (lambda X, net=net: label_scale * net(X), ev_b, errors_b)
        for labeller, evs, errors in sides:
            blocks = planted_mixture_sample(n, K, M, 300, psi, "quiet", rng).blocks
            y_hold, pred = sphere_encoding_fit(labeller, emb, blocks, 200)
            errors.append(float(np.mean((pred - y_hold) ** 2)))
            evs.append(explained_variance(y_hold, pred) if np.var(y_hold) > 0 else np.nan)
    a, b = np.array(ev_a), np.array(ev_b)
    both = ~np.isnan(a) & ~np.isnan(b)
    return mean_interval(a[both] - b[both], 0.99)[1], errors_a, errors_b


def test_separation_check_rejects_matched_on_both_sides(rng):
    """The C17 check run through the notebook's pipeline with the matched encoding on both sides: it must fail."""
    lo, _, _ = _c17_explained_variance_check(rng)
    assert not lo > 0


def test_separation_check_rejects_a_low_variance_copy(rng):
    """The confound of an additive-error comparison: the same problem with labels scaled by 0.3 has a smaller
    additive error in every network (the former sign test passes), but the explained-variance check must fail."""
    lo, errors_a, errors_b = _c17_explained_variance_check(rng, label_scale=0.3)
    assert paired_wins(errors_b, errors_a).above_half()  # the additive error alone is fooled
    assert not lo > 0


def test_separation_check_accepts_a_clear_difference(rng):
    """The sign test passes when one side's errors are clearly smaller (20 of 20 networks)."""
    a = 0.001 * rng.random(20)
    b = 0.05 + 0.05 * rng.random(20)
    assert paired_wins(a, b).above_half()


def test_norm_check_rejects_the_sphere_at_r_2m(rng):
    """Claim 'at r = 2m the inputs fit inside the sqrt(d) sphere' (n = 40, K = M = 3, m = 37): rejected."""
    emb = _embedding(rng, 40, 3, 3, m=37, r=74)
    X = emb.encode(random_blocks(40, 3, 3, 200, rng))
    assert not np.linalg.norm(X, axis=1).max() / np.sqrt(emb.d) < 1
    with pytest.raises(ValueError, match="radius"):
        emb.pad_to_norm(X, np.sqrt(emb.d))


def test_emulation_check_rejects_radial_projection(rng):
    """Rescaling onto the sphere (instead of padding) breaks N = T: the emulation verdict must say no."""
    emb = _embedding(rng, 12, 3, 3, m=16, r=32 * 16)
    psi = random_assignment(12, rng)
    blocks = random_blocks(12, 3, 3, 200, rng)
    X = emb.encode(blocks)
    projected = X * (np.sqrt(emb.d) / np.linalg.norm(X, axis=1))[:, None]
    err = np.max(np.abs(emb.network(psi)(projected) - block_satisfied(psi, blocks)))
    assert not err < EMULATION_TOL


def test_fixed_rejects_a_boundary_value():
    """The printing rule: a value on a rounding boundary must not be printed."""
    with pytest.raises(ValueError):
        fixed(0.125, 2)


# -- C15: the residual threshold of cell 3 --------------------------------------------------------------


def test_block_feature_residual_check_rejects_linear_labels_fed_as_relu(rng):
    """Cell 3's 'mse > RELU_RESIDUAL * var' fed linear-output labels as if they were ReLU labels: must fail."""
    n, K, M = 9, 3, 3
    psi = random_assignment(n, rng)
    train, test = random_blocks(n, K, M, 2000, rng), random_blocks(n, K, M, 1000, rng)
    net = block_network(psi, K, M, "linear")
    y_train, y_test = net(encode_signed(train)), net(encode_signed(test))
    coef = fit_polynomial(monomial_features(train), y_train)
    mse = float(np.mean((monomial_features(test) @ coef - y_test) ** 2))
    assert not mse > RELU_RESIDUAL * float(y_test.var())


# -- C16: recovery of psi from Lemma 15's labels ---------------------------------------------------------


def test_quiet_recovery_check_rejects_a_shifted_proportion(rng):
    """'1/2 inside the 99% interval' must fail for a recovered fraction of 0.62 over 200 coordinates."""
    k = int(rng.binomial(200, 0.62))
    lo, hi = proportion_interval(k, 200, 0.99)
    assert not lo <= 0.5 <= hi


def test_naive_recovery_check_rejects_chance_level(rng):
    """'interval above 1/2' must fail when the recovered coordinates are fair coin flips."""
    k = int(rng.binomial(200, 0.5))
    lo, hi = proportion_interval(k, 200, 0.99)
    assert not lo > 0.5
