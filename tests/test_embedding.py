import numpy as np
import pytest

from natweights import weights
from natweights.embedding import EmbeddingError, NaturalEmbedding, default_width, routable_failure_probability
from natweights.ksat import random_assignment
from natweights.reduction import block_satisfied, random_blocks
from natweights.stats import energy_two_sample_test, ks_per_entry

LAWS = [
    weights.normal(),
    weights.uniform(),
    weights.rademacher(),
    weights.sphere_columns(),
    weights.normal(xavier=True),
    weights.uniform(a=2.0, xavier=True),
]


@pytest.mark.parametrize("law", LAWS, ids=str)
def test_exact_emulation(rng, law):
    """C10: N(x) = T_{K,M}(U_x(psi)) for many public parts, psi and blocks; tolerance scaled to ||x||."""
    n, K, M = 15, 3, 4
    for _ in range(8):
        emb = NaturalEmbedding(n, K, M, law, rng)
        blocks = random_blocks(n, K, M, 400, rng)
        X = emb.encode(blocks)
        scale = np.linalg.norm(X, axis=1).max() * np.abs(emb.A).max() * np.abs(emb.u).max() * emb.d
        for _ in range(3):
            psi = random_assignment(n, rng)
            err = np.abs(emb.network(psi)(X) - block_satisfied(psi, blocks))
            assert err.max() <= 1e-13 * scale


def test_inputs_do_not_depend_on_psi(rng):
    emb = NaturalEmbedding(12, 2, 3, weights.normal(), rng)
    blocks = random_blocks(12, 2, 3, 10, rng)
    X = emb.encode(blocks)
    assert np.array_equal(X, emb.encode(blocks))  # deterministic given the public part
    for _ in range(5):
        psi = random_assignment(12, rng)
        assert np.array_equal(emb.network(psi).W, emb.eps(psi)[:, None] * emb.A)


@pytest.mark.parametrize(
    "law", [weights.normal(), weights.uniform(), weights.rademacher(), weights.sphere_columns()], ids=str
)
def test_sign_flip_has_the_law_of_fresh_draws(law):
    """C9: diag(eps) A against fresh draws of A, for a fixed non-trivial eps."""
    rng = np.random.default_rng(9)
    d, m, reps = 6, 3, 1500
    eps = np.array([1, -1, -1, 1, -1, 1.0])
    flipped = np.stack([eps[:, None] * law.sample((d, m), rng) for _ in range(reps)])
    fresh = np.stack([law.sample((d, m), rng) for _ in range(reps)])
    p = ks_per_entry(flipped, fresh)
    assert p.min() > 1e-3 / p.size  # Bonferroni over the d*m entries
    _, p_energy = energy_two_sample_test(flipped[:400], fresh[:400], rng, permutations=200)
    assert p_energy > 1e-3


def test_non_invariant_law_has_power():
    """The same test rejects a law that is not sign-symmetric (so the check can fail)."""
    rng = np.random.default_rng(9)
    law = weights.WeightLaw(
        "exponential",
        lambda shape, g: g.exponential(1.0, shape),
        1.0,
        lambda x: 1 - np.exp(-np.maximum(x, 0)),
        row_sign_invariant=False,
    )
    eps = np.array([1, -1, -1, 1, -1, 1.0])
    flipped = np.stack([eps[:, None] * law.sample((6, 3), rng) for _ in range(500)])
    fresh = np.stack([law.sample((6, 3), rng) for _ in range(500)])
    assert ks_per_entry(flipped, fresh).min() < 1e-10
    with pytest.raises(ValueError, match="not row-sign invariant"):
        NaturalEmbedding(10, 2, 2, law, rng)


def test_padding_keeps_outputs(rng):
    emb = NaturalEmbedding(12, 3, 3, weights.normal(), rng)
    blocks = random_blocks(12, 3, 3, 200, rng)
    X = emb.encode(blocks)
    R = 2 * np.linalg.norm(X, axis=1).max()
    Xp = emb.pad_to_norm(X, R, rng)
    np.testing.assert_allclose(np.linalg.norm(Xp, axis=1), R)
    psi = random_assignment(12, rng)
    np.testing.assert_allclose(emb.network(psi)(Xp), emb.network(psi)(X), atol=1e-10)
    with pytest.raises(ValueError, match="below the largest input norm"):
        emb.pad_to_norm(X, 0.5 * np.linalg.norm(X, axis=1).max())


def test_norm_bound_holds(rng):
    emb = NaturalEmbedding(20, 3, 4, weights.uniform(), rng)
    X = emb.encode(random_blocks(20, 3, 4, 500, rng))
    assert np.linalg.norm(X, axis=1).max() <= emb.input_norm_bound() + 1e-12


def test_errors(rng):
    with pytest.raises(ValueError, match="r = 3 is below the width m = 5"):
        NaturalEmbedding(10, 2, 2, weights.normal(), rng, m=5, r=3)
    with pytest.raises(ValueError, match="M\\*K = 12 exceeds n = 10"):
        NaturalEmbedding(10, 3, 4, weights.normal(), rng)
    with pytest.raises(EmbeddingError, match="need 8"):
        NaturalEmbedding(30, 3, 8, weights.normal(), np.random.default_rng(0), m=8)
    # a square +-1 block is often singular: the rank check must catch it
    hits = 0
    for seed in range(40):
        try:
            NaturalEmbedding(6, 1, 1, weights.rademacher(), np.random.default_rng(seed), m=8, r=8)
        except EmbeddingError as e:
            hits += "lacks rank" in str(e)
    assert hits > 0
    emb = NaturalEmbedding(6, 1, 1, weights.normal(), np.random.default_rng(1), m=12, r=12)
    with pytest.raises(ValueError, match="padding needs r > m"):
        emb.pad_to_norm(np.zeros((1, emb.d)), 1.0)


def test_default_width_meets_failure_target():
    p, delta = 0.3, 1e-3
    for M in (2, 8, 16):
        m = default_width(M, p, delta)

        def meets(w, M=M):
            return routable_failure_probability(w, M, p) <= delta and (1 - p) ** w <= delta

        assert meets(m) and not meets(m - 1), (M, m)


def test_draw_embedding_redraws_until_success():
    from natweights.embedding import draw_embedding

    # width 6 for M = 5 fails routing often; the draw retries with the same generator
    rng = np.random.default_rng(3)
    emb = draw_embedding(20, 3, 5, weights.normal(), rng, m=6)
    assert isinstance(emb, NaturalEmbedding) and emb.m == 6
    rng, failures = np.random.default_rng(3), 0
    while True:
        try:
            first = NaturalEmbedding(20, 3, 5, weights.normal(), rng, m=6)
            break
        except EmbeddingError:
            failures += 1
    assert failures >= 1 and np.array_equal(first.A, emb.A)
    with pytest.raises(EmbeddingError, match="max_draws"):
        draw_embedding(20, 3, 5, weights.normal(), np.random.default_rng(0), m=5, max_draws=2)
