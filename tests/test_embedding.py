import numpy as np
import pytest

from natweights import weights
from natweights.embedding import (
    EmbeddingError,
    NaturalEmbedding,
    default_width,
    draw_embedding,
    routable_failure_probability,
)
from natweights.ksat import random_assignment
from natweights.reduction import Blocks, block_satisfied, random_blocks
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
    with pytest.raises(
        ValueError,
        match=r"is not row-sign invariant: diag\(eps\) A would not have the law of A, "
        r"so the planted network would not be a natural random network$",
    ):
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


def test_routing_probability_and_failure_domain():
    """p = P(u <= -std/2): for uniform(a) it is 1/2 - 1/(4 sqrt 3) whatever a."""
    from natweights.embedding import routing_probability

    assert routing_probability(weights.uniform(a=2.0)) == pytest.approx(0.5 - 1 / (4 * np.sqrt(3)), rel=1e-14)
    assert routable_failure_probability(0, 0, 0.5) == 1.0
    assert routable_failure_probability(2, 0, 0.0) == 1.0 and routable_failure_probability(2, 0, 1.0) == 0.0
    with pytest.raises(ValueError, match=r"^m must be non-negative, got -1"):
        routable_failure_probability(-1, 0, 0.5)
    with pytest.raises(ValueError, match=r"^M must be non-negative, got -1"):
        routable_failure_probability(3, -1, 0.5)


def test_default_width_domain_and_boundaries():
    for p in (0.0, 1.0, -0.5, 1.5):
        with pytest.raises(ValueError, match=r"^p must lie in \(0, 1\), got"):
            default_width(2, p)
    # P(Bin(3, 1/2) <= 1) = 1/2 exactly: the failure target delta = 1/2 is met at m = 3, not before
    assert default_width(1, 0.5, 0.5) == 3
    # the search doubles up to a step of 2^60: a width near 1.5 * 2^60 is found, near 1.5 * 2^61 is refused
    m = default_width(1, 2.0**-52, 1e-167)
    assert 2**60 < m < 2**61
    assert routable_failure_probability(m, 1, 2.0**-52) <= 1e-167 < routable_failure_probability(m - 1, 1, 2.0**-52)
    with pytest.raises(ValueError, match=r"^p = 1.11\d*e-16 is too small: no width up to 2\^60 routes M = 1"):
        default_width(1, 2.0**-53, 1e-167)


def test_embedding_parameter_domains(rng, memory_limit):
    law = weights.normal()
    for name, args in (("n", (0, 1, 1)), ("K", (4, 0, 1)), ("M", (4, 1, 0))):
        with pytest.raises(ValueError, match=rf"^{name} must be positive, got 0"):
            NaturalEmbedding(*args, law, rng)
    with pytest.raises(ValueError, match=r"^M must be positive, got 0"):
        NaturalEmbedding(4, 1, 0, law, rng, m=4)
    for name in ("m", "r"):
        with pytest.raises(ValueError, match=rf"^{name} must be positive, got 0"):
            NaturalEmbedding(4, 1, 2, law, rng, **{name: 0})
    with pytest.raises(ValueError, match=r"^width m = 1 is below M = 2: each clause needs its own neuron"):
        NaturalEmbedding(4, 1, 2, law, rng, m=1)
    # the smallest sizes: n = K = M = m = r = 1 (this seed draws u = -1 and b0 = 1)
    emb = NaturalEmbedding(1, 1, 1, weights.rademacher(), np.random.default_rng(6), m=1, r=1)
    assert (emb.n, emb.m, emb.r, emb.d, emb.b0, emb.constant_neuron) == (1, 1, 1, 2, 1.0, None)
    blocks = Blocks(1, [[[0]], [[0]]], [[[1]], [[-1]]])
    assert emb.network(np.array([1]))(emb.encode(blocks)) == pytest.approx([1.0, 0.0], abs=1e-12)
    # defaults and passed values are kept
    emb = NaturalEmbedding(5, 2, 2, law, np.random.default_rng(1), m=12, tau=0.7)
    assert emb.r == 24 and emb.tau == 0.7
    # the memory check: 5 d x m float arrays
    from natweights.validation import MemoryRequestError

    memory_limit(8 * 5 * (6 * 24) * 12)
    NaturalEmbedding(5, 2, 2, law, np.random.default_rng(1), m=12)
    memory_limit(8 * 5 * (6 * 24) * 12 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the public part A of the embedding \(d x m = 144 x 12 floats"):
        NaturalEmbedding(5, 2, 2, law, np.random.default_rng(1), m=12)


def _routed(u, b0, tau, M=2):
    """A small embedding whose routing is re-run on the given u, b0 and tau."""
    emb = NaturalEmbedding(6, 1, 2, weights.normal(), np.random.default_rng(2), m=6)
    emb.u, emb.b0, emb.tau, emb.M, emb.m = np.array(u, dtype=float), b0, tau, M, len(u)
    emb._route()
    return emb


def test_routing_rule():
    """Clause neurons: the first M with u <= -tau; constant neuron: the next such one if b0 > 1, the first
    with u >= tau if b0 < 1, none if b0 = 1."""
    emb = _routed([-0.5, 0.2, -0.7, -0.5, 0.9], 1.3, 0.5)
    assert emb.clause_neurons.tolist() == [0, 2] and emb.constant_neuron == 3 and emb.routable_count == 3
    emb = _routed([-0.6, 0.5, -0.8, 0.7], 0.4, 0.5)
    assert emb.clause_neurons.tolist() == [0, 2] and emb.constant_neuron == 1 and emb.routable_count == 2
    assert _routed([-0.6, 0.2, -0.8, 0.5], 0.4, 0.5).constant_neuron == 3
    assert _routed([-0.6, 0.5, -0.8], 1.0, 0.5).constant_neuron is None
    with pytest.raises(EmbeddingError) as err:
        _routed([-0.5, 0.2, -0.7, 0.9], 1.3, 0.5)
    assert str(err.value) == (
        "found 2 neurons with u <= -tau = -0.500, need 3 (M = 2 plus a constant neuron since b0 = 1.300 > 1); "
        "increase m (now 4)"
    )
    with pytest.raises(EmbeddingError) as err:
        _routed([-0.5, 0.2, 0.9], 0.4, 0.5)
    assert str(err.value) == "found 1 neurons with u <= -tau = -0.500, need 2 (M = 2); increase m (now 3)"
    with pytest.raises(EmbeddingError) as err:
        _routed([-0.6, 0.4, -0.8], 0.4, 0.5)
    assert str(err.value) == (
        "found no neuron with u >= tau = 0.500 for the constant term (b0 = 0.400 < 1); increase m (now 3)"
    )


def test_group_solves_and_targets(rng):
    """sigma_min/max of each group; max_condition is an inclusive limit; switched-off neurons get
    pre-activation -1; the norm bound is the formula of C12."""
    law = weights.normal()
    emb = NaturalEmbedding(4, 2, 2, law, np.random.default_rng(5), m=6)
    S = np.linalg.svd(emb.A.reshape(5, emb.r, emb.m), compute_uv=False)
    np.testing.assert_allclose(emb.sigma_min, S.min(axis=1), rtol=1e-12)
    np.testing.assert_allclose(emb.sigma_max, S.max(axis=1), rtol=1e-12)
    cond = emb.sigma_max / emb.sigma_min
    NaturalEmbedding(4, 2, 2, law, np.random.default_rng(5), m=6, max_condition=float(cond.max()))
    with pytest.raises(EmbeddingError, match=rf"^group {int(np.argmax(cond))} of A \(r = 12 rows, m = 6 columns\)"):
        NaturalEmbedding(4, 2, 2, law, np.random.default_rng(5), m=6, max_condition=1.0)
    blocks = random_blocks(4, 2, 2, 20, rng)
    pre = emb.network(random_assignment(4, rng)).preactivations(emb.encode(blocks))
    off = np.setdiff1d(np.arange(emb.m), np.r_[emb.clause_neurons, [emb.constant_neuron]])
    assert off.size > 0
    np.testing.assert_allclose(pre[:, off], -1.0, atol=1e-9)
    expected = np.sqrt(
        np.sum(emb.bias_target**2) / S[0].min() ** 2 + 2 * np.sum(emb.clause_coefficient**2) / S[1:].min() ** 2
    )
    assert emb.input_norm_bound() == pytest.approx(expected, rel=1e-12)
    one = NaturalEmbedding(1, 1, 1, law, np.random.default_rng(5))
    S1 = np.linalg.svd(one.A.reshape(2, one.r, one.m), compute_uv=False).min(axis=1)
    expected = np.sqrt(np.sum(one.bias_target**2) / S1[0] ** 2 + np.sum(one.clause_coefficient**2) / S1[1:].min() ** 2)
    assert one.input_norm_bound() == pytest.approx(expected, rel=1e-12)


def test_encode_checks_and_memory(rng, memory_limit):
    from natweights.validation import MemoryRequestError

    emb = NaturalEmbedding(4, 1, 2, weights.normal(), np.random.default_rng(3), m=6)
    with pytest.raises(ValueError, match=r"^blocks have \(n, K, M\) = \(5, 1, 2\), the embedding \(4, 1, 2\)"):
        emb.encode(random_blocks(5, 1, 2, 3, rng))
    with pytest.raises(ValueError, match=r"^psi must have length n = 4, got 3"):
        emb.eps(np.ones(3))
    assert emb.network(np.ones(4), "linear").output == "linear"
    emb = NaturalEmbedding(5, 2, 2, weights.normal(), np.random.default_rng(1), m=12)
    blocks = random_blocks(5, 2, 2, 300, rng)
    need = 8 * 300 * emb.d + 8 * 256 * 2 * 2 * emb.r
    memory_limit(need)
    assert emb.encode(blocks).shape == (300, emb.d)
    memory_limit(need - 1)
    with pytest.raises(MemoryRequestError, match=rf"^the dense embedded inputs X \(N x d = 300 x {emb.d} floats\)"):
        emb.encode(blocks)


def test_padding_direction_and_exact_radius(rng):
    emb = NaturalEmbedding(4, 1, 2, weights.normal(), np.random.default_rng(3), m=6)
    X = emb.encode(random_blocks(4, 1, 2, 10, rng))
    R = np.linalg.norm(X, axis=1).max()
    Xp = emb.pad_to_norm(X, R)
    np.testing.assert_allclose(np.linalg.norm(Xp, axis=1), R, rtol=1e-12)
    q = np.linalg.svd(emb.A[: emb.r])[0][:, emb.m]
    gap = np.sqrt(np.maximum(R**2 - np.linalg.norm(X, axis=1) ** 2, 0))
    np.testing.assert_allclose(Xp[:, : emb.r] - X[:, : emb.r], gap[:, None] * q[None, :], atol=1e-12)
    assert np.array_equal(emb.pad_to_norm(np.zeros((2, emb.d)), 0.0), np.zeros((2, emb.d)))


def _fixed_law(W, b, u, b0):
    """A 'law' that hands out the given W, b, u and b0 (in the order sample_parameters draws them)."""
    parts = iter([np.asarray(W, dtype=float), np.asarray(b, dtype=float), np.asarray(u, dtype=float), np.array([b0])])
    return weights.WeightLaw("fixed", lambda shape, g: next(parts), 1.0, lambda x: 0.5 + 0 * x, True)


def _fixed_embedding(group1, **kw):
    """n = K = M = 1, m = r = 2: group 0 is the identity, group 1 is given; neuron 0 routes the clause."""
    W = np.vstack([np.eye(2), group1])
    return NaturalEmbedding(1, 1, 1, _fixed_law(W, [0, 0], [-1, 1], 1.0), np.random.default_rng(0), m=2, r=2, **kw)


def test_condition_limit_default_and_no_warnings():
    """The default limit is 1e8 (inclusive); a singular group is refused without a floating-point warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        emb = _fixed_embedding(np.diag([1.0, 1 / (1e8 - 0.5)]))
        assert emb.clause_neurons.tolist() == [0] and emb.constant_neuron is None
        with pytest.raises(EmbeddingError, match=r"^group 1 of A \(r = 2 rows, m = 2 columns\) has sigma_min = 1e-08"):
            _fixed_embedding(np.diag([1.0, 1 / (1e8 + 0.5)]))
        with pytest.raises(EmbeddingError, match=r"^group 1 of A .* has sigma_min = 0 \(condition inf > 1e\+08\)"):
            _fixed_embedding(np.diag([8.0, 0.0]))
        NaturalEmbedding(4, 2, 2, weights.normal(), np.random.default_rng(5), m=6)


def test_draw_embedding_redraws_refused_public_parts(rng):
    """Refused draws are counted and redrawn; the accepted part satisfies what was asked."""
    tally = {}
    law = weights.normal(xavier=True)
    for _ in range(5):
        emb = draw_embedding(12, 3, 3, law, rng, inside_sphere=True, m=16, r=32 * 16, redraws=tally)
        assert emb.input_norm_bound() <= np.sqrt(emb.d)
        assert emb.m == 16 and emb.r == 512
    # a width that can never route M = 3 clauses with one neuron: every draw is refused
    tally = {}
    with pytest.raises(EmbeddingError, match="attempts = 3"):
        draw_embedding(12, 3, 3, law, rng, m=3, attempts=3, redraws=tally)
    assert tally == {"routing or rank": 3}


def test_draw_embedding_consumes_the_generator_like_the_constructor():
    law = weights.normal()
    a = draw_embedding(10, 2, 2, law, np.random.default_rng(3))
    b = NaturalEmbedding(10, 2, 2, law, np.random.default_rng(3))
    assert np.array_equal(a.A, b.A) and a.b0 == b.b0


def test_draw_embedding_rejects_bad_arguments(rng):
    law = weights.normal()
    with pytest.raises(ValueError, match="attempts"):
        draw_embedding(10, 2, 2, law, rng, attempts=0)
    with pytest.raises(TypeError, match="inside_sphere"):
        draw_embedding(10, 2, 2, law, rng, inside_sphere=1)
    with pytest.raises(TypeError, match="redraws"):
        draw_embedding(10, 2, 2, law, rng, redraws=[])


def test_draw_embedding_redraws_and_tally():
    """Seed 8 draws: norm bound too large, routing fails, norm too large, routing fails, accepted."""
    from natweights.embedding import REDRAW_NORM, REDRAW_ROUTING

    law = weights.normal()
    replay, g = [], np.random.default_rng(8)
    for _ in range(5):
        try:
            replay.append(NaturalEmbedding(6, 1, 2, law, g, m=5, r=6))
        except EmbeddingError:
            replay.append(None)
    assert [e is None for e in replay] == [False, True, False, True, False]
    tally = {REDRAW_ROUTING: 5}
    emb = draw_embedding(6, 1, 2, law, np.random.default_rng(8), inside_sphere=True, redraws=tally, m=5, r=6)
    assert tally == {REDRAW_ROUTING: 7, REDRAW_NORM: 2}
    assert np.array_equal(emb.A, replay[4].A) and emb.input_norm_bound() <= np.sqrt(emb.d)
    tally = {}
    emb = draw_embedding(6, 1, 2, law, np.random.default_rng(8), redraws=tally, m=5, r=6)
    assert tally == {} and np.array_equal(emb.A, replay[0].A)
    tally = {}
    with pytest.raises(EmbeddingError, match=r"^attempts = 4 public parts in a row failed the checks$"):
        draw_embedding(6, 1, 2, law, np.random.default_rng(8), inside_sphere=True, attempts=4, redraws=tally, m=5, r=6)
    assert tally == {REDRAW_ROUTING: 2, REDRAW_NORM: 2}
    emb = draw_embedding(6, 1, 2, law, np.random.default_rng(8), attempts=1, m=5, r=6)
    assert np.array_equal(emb.A, replay[0].A)
    with pytest.raises(ValueError, match=r"^attempts must be positive, got 0"):
        draw_embedding(6, 1, 2, law, np.random.default_rng(8), attempts=0)
    # without a tally the redraws still happen; by default 50 attempts are made
    emb = draw_embedding(6, 1, 2, law, np.random.default_rng(8), inside_sphere=True, m=5, r=6)
    assert np.array_equal(emb.A, replay[4].A)
    with pytest.raises(EmbeddingError, match=r"^attempts = 50 public parts in a row failed the checks$"):
        draw_embedding(30, 3, 8, law, np.random.default_rng(0), m=8)
    with pytest.raises(TypeError, match=r"^inside_sphere must be a bool, got 'yes'"):
        draw_embedding(6, 1, 2, law, np.random.default_rng(8), inside_sphere="yes")
    with pytest.raises(TypeError, match=r"^redraws must be a dict \(a tally updated in place\), got list"):
        draw_embedding(6, 1, 2, law, np.random.default_rng(8), redraws=[])


def test_group_inputs_and_diagnostics(rng):
    emb = NaturalEmbedding(4, 1, 2, weights.normal(), np.random.default_rng(3), m=6)
    X = emb.encode(random_blocks(4, 1, 2, 5, rng))
    G = emb.group_inputs(X)
    assert G.shape == (5, 5, emb.r) and np.array_equal(G[:, 2], X[:, 2 * emb.r : 3 * emb.r])
    with pytest.raises(ValueError, match=rf"^X must be N x d with d = {emb.d}, got shape \(5, {emb.d - 1}\)"):
        emb.group_inputs(X[:, 1:])
    with pytest.raises(ValueError, match=r"^X must have finite entries"):
        emb.group_inputs(np.full_like(X, np.nan))
    diag = emb.diagnostics()
    assert diag == {
        "n": 4,
        "K": 1,
        "M": 2,
        "m": 6,
        "r": 12,
        "d": 60,
        "tau": emb.tau,
        "routable": emb.routable_count,
        "constant_neuron": emb.constant_neuron,
        "sigma_min_min": float(emb.sigma_min.min()),
        "sigma_min_median": float(np.median(emb.sigma_min)),
        "input_norm_bound": emb.input_norm_bound(),
    }
    assert diag["tau"] == 0.5 and diag["routable"] == int(np.sum(emb.u <= -0.5)) >= 2
