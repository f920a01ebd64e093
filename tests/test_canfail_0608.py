"""The probabilistic checks of notebooks 06-08 reject falsified claims of plausible size.

Each test feeds the same library check the notebook calls a claim that a
plausible error would produce (a wrong centre or scale, a shifted routing
probability, a non-symmetric weight law, a network with another secret) and
asserts that the check rejects it; the true claim passes on the same data.
"""

import numpy as np
import pytest
from scipy import stats

from natweights import weights
from natweights.conditioning import (
    sigma_min_tail_check,
    union_failure_bound_exact,
    union_sigma_min_check,
    union_t,
    union_t_exact,
)
from natweights.embedding import NaturalEmbedding, routing_probability
from natweights.emulation import EmulationViolation, check_emulation
from natweights.ksat import random_assignment
from natweights.networks import block_network, encode_signed
from natweights.printing import below, fixed
from natweights.reduction import block_satisfied, random_blocks
from natweights.routing import (
    BRANCHES,
    b0_branch_probabilities,
    draw_embeddings,
    expected_routing_failure,
    routable_count_chi_square,
    routing_failure_bound,
    routing_failure_probability,
)
from natweights.sign_invariance import column_factor_law, same_law_test, sign_vector
from natweights.stats import BoundViolation, check_mean_bound, check_probability_bound

CENTRED_EXPONENTIAL = weights.WeightLaw(
    "centred exponential",
    lambda shape, g: g.exponential(1.0, shape) - 1.0,
    1.0,
    lambda t: 1 - np.exp(-np.maximum(t + 1, 0)),
    row_sign_invariant=False,
)
SHIFTED_NORMAL = weights.WeightLaw(
    "normal, mean 0.2",
    lambda shape, g: g.standard_normal(shape) + 0.2,
    1.0,
    lambda t: stats.norm.cdf(t - 0.2),
    row_sign_invariant=False,
)


# --- C12: Davidson-Szarek mean and tail, union over the groups (notebook 08) -------------------------


def _s_min(rng, draws, r, m, scale=1.0, draw=None):
    draw = draw or (lambda s: rng.standard_normal(s))
    return np.linalg.svd(scale * draw((draws, r, m)), compute_uv=False)[..., -1]


def test_tail_check_accepts_davidson_szarek_and_rejects_a_wrong_gap():
    rng = np.random.default_rng(6081)
    r, m = 160, 40
    s_min = _s_min(rng, 400, r, m)
    for t in (2.0, 2.5, 3.0):
        assert sigma_min_tail_check(s_min, r, m, t).holds
    # sqrt(r - m) for the gap sqrt(r) - sqrt(m): the threshold lies above most sigma_min
    with pytest.raises(BoundViolation):
        sigma_min_tail_check(s_min, r, m, 2.0, gap=np.sqrt(r - m))


def test_tail_check_rejects_unscaled_uniform_entries():
    rng = np.random.default_rng(6082)
    r, m = 160, 40
    scaled = _s_min(rng, 400, r, m, np.sqrt(3), lambda s: rng.uniform(-1, 1, s))
    assert sigma_min_tail_check(scaled, r, m, 2.0).holds
    unscaled = _s_min(rng, 400, r, m, 1.0, lambda s: rng.uniform(-1, 1, s))  # entry std 1/sqrt(3), not 1
    with pytest.raises(BoundViolation):
        sigma_min_tail_check(unscaled, r, m, 2.0)


def test_tail_check_refuses_an_empty_event():
    rng = np.random.default_rng(6083)
    with pytest.raises(ValueError, match="not positive"):
        sigma_min_tail_check(_s_min(rng, 50, 20, 10), 20, 10, 2.0)


def test_mean_check_rejects_a_shifted_centre_and_a_wrong_gap():
    rng = np.random.default_rng(6084)
    r, m = 160, 40
    s_min = _s_min(rng, 400, r, m)
    gap = np.sqrt(r) - np.sqrt(m)
    assert check_mean_bound(s_min, gap, ">=").holds
    with pytest.raises(BoundViolation):
        check_mean_bound(s_min, gap + 0.5, ">=")
    with pytest.raises(BoundViolation):
        check_mean_bound(s_min, np.sqrt(r - m), ">=")


def test_union_check_holds_and_rejects_a_wrong_gap_and_a_forgotten_scale():
    rng = np.random.default_rng(6085)
    groups, r, m, delta = 31, 80, 20, 0.1
    group_s_min = _s_min(rng, 200, r, m, draw=lambda s: rng.standard_normal((s[0], groups, r, m)))
    assert group_s_min.shape == (200, groups)
    assert union_sigma_min_check(group_s_min, r, m, delta).holds
    with pytest.raises(BoundViolation):
        union_sigma_min_check(group_s_min, r, m, delta, gap=np.sqrt(r - m))
    # Xavier entries (std 1/sqrt(d)) compared with the unit-variance curve: the w of w(sqrt r - sqrt m - t) forgotten
    xavier = group_s_min / np.sqrt(groups * r)
    with pytest.raises(BoundViolation):
        union_sigma_min_check(xavier, r, m, delta)
    assert union_sigma_min_check(xavier, r, m, delta, scale=1 / np.sqrt(groups * r)).holds


def test_union_check_refuses_a_negative_threshold():
    # the old setting of notebook 08: n + 1 = 31 groups of 40 x 20, delta = 0.1 gives threshold -1.535
    assert np.sqrt(40) - np.sqrt(20) - union_t(31, 0.1) < 0
    with pytest.raises(ValueError, match="not positive"):
        union_sigma_min_check(np.ones((10, 31)), 40, 20, 0.1)


# --- C11: EmbeddingErrors of real constructions (notebook 08) ---------------------------------------


@pytest.fixture(scope="module")
def rademacher_draws():
    return draw_embeddings(8, 2, 4, weights.rademacher(), 10, 1500, np.random.default_rng(6086))


@pytest.fixture(scope="module")
def normal_draws():
    return draw_embeddings(8, 2, 4, weights.normal(), 16, 1500, np.random.default_rng(6087))


def test_rademacher_errors_match_both_b0_branches_and_reject_a_shifted_p(rademacher_draws):
    p = routing_probability(weights.rademacher())
    assert set(b0_branch_probabilities(weights.rademacher())) == set(BRANCHES)
    for branch in ("b0 = 1", "b0 < 1"):
        k, N = rademacher_draws.counts(branch)
        assert N > 600
        assert check_probability_bound(k, N, routing_failure_probability(10, 4, p, branch), "==").holds
        with pytest.raises(BoundViolation):
            check_probability_bound(k, N, routing_failure_probability(10, 4, p - 0.05, branch), "==")
    k, N = rademacher_draws.counts("b0 > 1")
    assert (k, N) == (0, 0)


def test_normal_errors_match_and_reject_shifted_p_halved_bound_and_wrong_law(normal_draws):
    p = routing_probability(weights.normal())
    k, N = normal_draws.counts("b0 < 1")
    assert check_probability_bound(k, N, routing_failure_probability(16, 4, p, "b0 < 1"), "==").holds
    for shifted in (p - 0.05, p + 0.05):
        with pytest.raises(BoundViolation):
            check_probability_bound(k, N, routing_failure_probability(16, 4, shifted, "b0 < 1"), "==")
    errors, total = normal_draws.counts()
    assert check_probability_bound(errors, total, expected_routing_failure(weights.normal(), 16, 4), "==").holds
    assert check_probability_bound(errors, total, routing_failure_bound(16, 4, p), "<=").holds
    with pytest.raises(BoundViolation):
        check_probability_bound(errors, total, routing_failure_bound(16, 4, p) / 2, "<=")
    # the Rademacher routing probability 1/2 used for normal weights
    with pytest.raises(BoundViolation):
        check_probability_bound(errors, total, expected_routing_failure(weights.rademacher(), 16, 4), "==")


def test_routing_failure_probability_matches_its_definition_by_enumeration():
    # exhaustive over the multinomial cells (neg, pos, other) for a small width
    from itertools import product

    m, M, p = 7, 3, 0.3
    probs = {br: 0.0 for br in BRANCHES}
    for cells in product(range(3), repeat=m):
        neg, pos = cells.count(0), cells.count(1)
        w = p**neg * p**pos * (1 - 2 * p) ** (m - neg - pos)
        probs["b0 = 1"] += w * (neg < M)
        probs["b0 < 1"] += w * (neg < M or pos == 0)
        probs["b0 > 1"] += w * (neg < M + 1)
    for br in BRANCHES:
        assert routing_failure_probability(m, M, p, br) == pytest.approx(probs[br], rel=1e-12)
        assert routing_failure_probability(m, M, p, br) <= routing_failure_bound(m, M, p)


def test_routable_count_chi_square_rejects_a_shifted_p():
    # notebook 08's chi-square check of the routable count against Bin(m, p)
    rng = np.random.default_rng(6088)
    law, width, draws = weights.normal(), 40, 2000
    counts = np.array([np.sum(law.sample_parameters(4, width, rng)[2] <= -0.5) for _ in range(draws)])

    def chi_square_p(p):
        return routable_count_chi_square(counts, width, p)

    assert chi_square_p(routing_probability(law)) > 1e-3
    assert chi_square_p(routing_probability(law) + 0.03) < 1e-3


# --- C9: sign invariance (notebook 07) ----------------------------------------------------------------


def _flipped_and_fresh(law, rng, reps=2000):
    eps = np.array([1, -1, -1, 1, -1, 1.0])
    flipped = np.stack([eps[:, None] * law.sample((6, 4), rng) for _ in range(reps)])
    fresh = np.stack([law.sample((6, 4), rng) for _ in range(reps)])
    return flipped, fresh


@pytest.mark.parametrize("law", [CENTRED_EXPONENTIAL, SHIFTED_NORMAL], ids=lambda law: law.name)
def test_same_law_test_rejects_non_symmetric_laws(law):
    rng = np.random.default_rng(6089)
    assert not same_law_test(*_flipped_and_fresh(law, rng), rng).same_law


def test_same_law_test_accepts_a_symmetric_law():
    rng = np.random.default_rng(6090)
    assert same_law_test(*_flipped_and_fresh(weights.normal(), rng), rng).same_law


def test_planted_matrices_for_two_assignments_differ_under_a_non_symmetric_law():
    rng = np.random.default_rng(6091)
    psi_a, psi_b, r = np.ones(5, dtype=int), np.array([1, -1, 1, -1, -1]), 2
    for law, same in [(weights.uniform(), True), (CENTRED_EXPONENTIAL, False)]:
        W_a = np.stack([sign_vector(psi_a, r)[:, None] * law.sample((12, 3), rng) for _ in range(2000)])
        W_b = np.stack([sign_vector(psi_b, r)[:, None] * law.sample((12, 3), rng) for _ in range(2000)])
        assert same_law_test(W_a, W_b, rng).same_law is same


def test_sign_vector_is_the_embedding_sign_vector():
    rng = np.random.default_rng(6092)
    emb = NaturalEmbedding(6, 2, 2, weights.normal(), rng)
    psi = random_assignment(6, rng)
    assert np.array_equal(sign_vector(psi, emb.r), emb.eps(psi))
    with pytest.raises(ValueError):
        sign_vector(np.array([1, 0, -1]), 2)
    with pytest.raises(TypeError):
        sign_vector(psi, 2.0)


# --- C10 and C8: emulation checks (notebooks 06, 08) --------------------------------------------------


def test_emulation_check_rejects_another_secret_and_a_linear_output():
    rng = np.random.default_rng(6093)
    n, K, M = 12, 2, 3
    emb = NaturalEmbedding(n, K, M, weights.uniform(), rng)
    blocks = random_blocks(n, K, M, 500, rng)
    X = emb.encode(blocks)
    psi = random_assignment(n, rng)
    target = block_satisfied(psi, blocks)
    assert check_emulation(emb.network(psi)(X), target).holds
    other = psi.copy()
    other[0] = -other[0]
    with pytest.raises(EmulationViolation):
        check_emulation(emb.network(other)(X), target)
    with pytest.raises(EmulationViolation):
        check_emulation(emb.network(psi, output="linear")(X), target)


def test_linear_output_rate_check_rejects_a_wrong_formula():
    # notebook 06: P(linear output != T) = 1 - (1-q)^M - M q (1-q)^(M-1), q = 2^-K
    rng = np.random.default_rng(6094)
    n, K, M, N = 40, 2, 6, 20000
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, N, rng)
    X = encode_signed(blocks)
    differ = int(np.sum(block_network(psi, K, M)(X) != block_network(psi, K, M, output="linear")(X)))
    q = 2.0**-K
    assert check_probability_bound(differ, N, 1 - (1 - q) ** M - M * q * (1 - q) ** (M - 1), "==").holds
    with pytest.raises(BoundViolation):  # "at least one violated clause" instead of "at least two"
        check_probability_bound(differ, N, 1 - (1 - q) ** M, "==")
    with pytest.raises(BoundViolation):  # q = 2^-(K+1)
        q2 = q / 2
        check_probability_bound(differ, N, 1 - (1 - q2) ** M - M * q2 * (1 - q2) ** (M - 1), "==")


# --- printing rules ------------------------------------------------------------------------------------


def test_fixed_refuses_rounding_boundaries_and_below_gives_a_verdict():
    assert fixed(1.2346, 3) == "1.235"
    assert fixed(-1e-7, 3) == "0.000"
    with pytest.raises(ValueError, match="rounding boundary"):
        fixed(0.1235 + 1e-15, 3)
    with pytest.raises(TypeError):
        fixed(1.0, 2.0)
    assert below(3e-15, 1e-9) == "below 1e-09: yes"
    assert below(2e-9, 1e-9) == "below 1e-09: no"


def test_draw_embeddings_replays_the_public_part_of_a_draw():
    # draw_embeddings reads b0 of a failed construction by replaying law.sample_parameters with the draw's seed;
    # this holds only while the constructor's first use of its generator is that call
    law, n, K, M, m = weights.normal(), 8, 2, 4, 16
    seed = 6095
    emb = NaturalEmbedding(n, K, M, law, np.random.default_rng(seed), m=m)
    A, b, u, b0 = law.sample_parameters((n + 1) * 2 * m, m, np.random.default_rng(seed))
    assert np.array_equal(A, emb.A) and np.array_equal(u, emb.u) and b0 == emb.b0


# --- review 06-08: joint negative control, exact union t, atoms, chi-square -------------------------


def test_only_the_energy_test_rejects_the_column_factor_law():
    # notebook 07's joint negative control: N(0, 1) entries, row correlation 0.3 within each column
    rng = np.random.default_rng(6091)
    test = same_law_test(*_flipped_and_fresh(column_factor_law(0.3), rng), rng)
    assert test.p_ks > test.level, "per-entry KS should not see a change of joint law only"
    assert test.p_energy <= test.level, "the energy test must reject the column-factor law"
    assert not test.same_law


def test_column_factor_law_without_factor_passes():
    rng = np.random.default_rng(6092)
    assert same_law_test(*_flipped_and_fresh(column_factor_law(0.0), rng), rng).same_law


def test_same_law_test_refuses_a_level_at_the_smallest_permutation_p_value():
    x = np.zeros((10, 2, 2))
    with pytest.raises(ValueError, match="level"):
        same_law_test(x, x, np.random.default_rng(0), level=1e-3, permutations=999)


def test_union_t_meets_delta_exactly_and_a_union_free_t_does_not():
    # notebook 08's exact assert: (n + 1) exp(-t^2/2) == delta
    import sympy as sp

    t = union_t_exact(31, "1/10")
    assert union_failure_bound_exact(31, t) == sp.Rational(1, 10)
    assert float(t) == pytest.approx(union_t(31, 0.1), rel=1e-14)
    union_free = sp.sqrt(2 * sp.log(10))
    assert union_failure_bound_exact(31, union_free) != sp.Rational(1, 10)


def test_b0_atoms_ignore_round_off_of_a_continuous_cdf():
    jittered = weights.WeightLaw(
        "normal, jittered CDF",
        lambda shape, g: g.standard_normal(shape),
        1.0,
        lambda x: stats.norm.cdf(x) + 1e-15 * (np.asarray(x) >= 1),
        True,
    )
    probs = b0_branch_probabilities(jittered)
    assert probs["b0 = 1"] == 0.0 and probs["b0 > 1"] > 0.1
    assert b0_branch_probabilities(weights.rademacher())["b0 = 1"] == pytest.approx(0.5)
    assert b0_branch_probabilities(weights.uniform())["b0 > 1"] == 0.0


def test_routing_counts_separate_rank_errors():
    rng = np.random.default_rng(6093)
    draws = draw_embeddings(8, 2, 4, weights.rademacher(), 10, 300, rng)
    routing, total = draws.counts(reason="routing")
    rank, _ = draws.counts(reason="conditioning")
    assert routing + rank == draws.counts()[0] and total == 300
    with pytest.raises(ValueError, match="reason"):
        draws.counts(reason="other")


def test_routable_count_chi_square_refuses_bad_counts():
    with pytest.raises(ValueError, match="counts"):
        routable_count_chi_square([0, 41], 40, 0.3)
    with pytest.raises(ValueError, match="p"):
        routable_count_chi_square([0, 1], 40, 1.5)


def _bound_without_K(emb):
    """input_norm_bound with the factor K of the literal term dropped (wrong by up to sqrt(K))."""
    s0, smin = emb.sigma_min[0], emb.sigma_min[1:].min()
    return float(np.sqrt(np.sum(emb.bias_target**2) / s0**2 + np.sum(emb.clause_coefficient**2) / smin**2))


@pytest.mark.parametrize(
    "law", [weights.normal(), weights.uniform(), weights.rademacher(), weights.normal(xavier=True)]
)
def test_input_norm_check_rejects_a_bound_without_the_factor_K(law, monkeypatch):
    from natweights.conditioning import check_input_norms

    rng = np.random.default_rng(806)
    emb = NaturalEmbedding(30, 3, 6, law, rng)
    blocks = random_blocks(30, 3, 6, 1000, rng)
    assert check_input_norms(emb, blocks).holds
    monkeypatch.setattr(NaturalEmbedding, "input_norm_bound", _bound_without_K)
    wrong = check_input_norms(emb, blocks)
    assert not wrong.holds and wrong.worst_ratio > 1
    # the old check (measured norms below the bound) does not see it
    assert np.linalg.norm(emb.encode(blocks), axis=1).max() <= emb.input_norm_bound()


def test_input_norm_check_rejects_a_group_bound_with_sigma_max(monkeypatch):
    """Per group: a bound ||c_g|| / sigma_max(A_g) (the wrong end of the spectrum) is exceeded by the inputs."""
    from natweights.conditioning import check_input_norms

    rng = np.random.default_rng(5)
    emb = NaturalEmbedding(20, 3, 4, weights.normal(), rng)
    blocks = random_blocks(20, 3, 4, 200, rng)
    emb.sigma_min = emb.sigma_max.copy()
    assert not check_input_norms(emb, blocks).holds


def test_largest_bound_block_dominates_random_blocks():
    rng = np.random.default_rng(6)
    emb = NaturalEmbedding(20, 3, 4, weights.uniform(), rng)
    _, drawn = emb.group_norms(random_blocks(20, 3, 4, 2000, rng))
    _, worst = emb.group_norms(emb.largest_bound_block())
    assert np.sum(drawn**2, axis=1).max() <= np.sum(worst**2) * (1 + 1e-12)
    norms, bounds_ = emb.group_norms(random_blocks(20, 3, 4, 50, rng))
    assert np.all(norms <= bounds_ * (1 + 1e-12)) and np.all(norms[bounds_ == 0] == 0)
    with pytest.raises(TypeError, match="^emb must be a NaturalEmbedding"):
        from natweights.conditioning import check_input_norms

        check_input_norms(3, None)
