"""Every probabilistic or growth check of notebooks 09 and 10, fed a falsified claim of plausible size, must reject it.

Each test calls the library function the notebook calls, with the notebook's parameters.
"""

import numpy as np
import pytest

from natweights.growth import compare_growth_models
from natweights.ksat import planted_formula
from natweights.refuter import check_acceptance, per_run_acceptance_bound
from natweights.stats import BoundViolation, check_mean_bound, check_probability_bound, proportion_interval

P_MIN = 1 - 4 ** (-1 / 3)  # per-run success R = 3 runs need (notebooks 09, 10)


# --- per-run acceptance (09 cells "Per-run acceptance", 10 "Per-run acceptance with intervals") ---


def test_random_side_rate_01_is_caught():
    bound = per_run_acceptance_bound(16, 1000, 0.35, "binary")  # notebook 09's claim
    with pytest.raises(BoundViolation):
        check_acceptance(4, 40, bound, "random")  # a refuter accepting random inputs at rate 0.1
    # over many seeded experiments of 40 runs at true rate 0.1 the check catches it at least 95% of the time
    rng = np.random.default_rng(0)
    caught = sum(
        not check_acceptance(int(k), 40, bound, "random", raise_on_violation=False).holds
        for k in rng.binomial(40, 0.1, size=2000)
    )
    assert caught / 2000 >= 0.95
    # the notebook-10 claim (n = 60, |S| = 1200) as well
    assert not check_acceptance(
        4, 40, per_run_acceptance_bound(60, 1200, 0.35, "binary"), "random", raise_on_violation=False
    ).holds


def test_planted_side_low_rate_is_caught():
    with pytest.raises(BoundViolation):
        check_acceptance(8, 40, P_MIN, "planted")  # per-run success 0.2 < 0.370
    rng = np.random.default_rng(1)
    caught = sum(
        not check_acceptance(int(k), 40, P_MIN, "planted", raise_on_violation=False).holds
        for k in rng.binomial(40, 0.2, size=2000)
    )
    assert caught / 2000 >= 0.95
    # six runs cannot demonstrate even 1/2: 6/6 has a 99% lower end of 0.41
    with pytest.raises(BoundViolation):
        check_acceptance(6, 6, 0.5, "planted")
    assert check_acceptance(40, 40, P_MIN, "planted").holds


# --- growth model comparison (10, "How the SAT learner's cost grows") ---

SAT_NS = np.repeat(np.arange(60, 301, 40), 5)


def _exponential_shown(n, cost):
    cmp = compare_growth_models(n, cost, confidence=0.99)
    return cmp.separated and cmp.preferred == "exponential"


def test_polynomial_cost_is_not_called_exponential():
    rng = np.random.default_rng(2)
    called = 0
    for _ in range(200):
        cost = 1e-6 * SAT_NS**3.66 * np.exp(0.8 * rng.standard_normal(SAT_NS.size))  # power law n^3.66, noisy
        called += _exponential_shown(SAT_NS, cost)
    assert called / 200 <= 0.05


def test_exponential_cost_is_called_exponential_on_a_long_range():
    # not a check that can never say "exponential": on a long range and little noise it does
    rng = np.random.default_rng(3)
    n = np.repeat(np.arange(20, 601, 20), 3)
    shown = sum(_exponential_shown(n, 5 * np.exp(0.05 * n + 0.3 * rng.standard_normal(n.size))) for _ in range(50))
    # growth.py never calls a model separated when "combined" (which contains the exponential) has the lowest
    # AIC by chance, which happens about a quarter of the time on exponential data
    assert shown / 50 >= 0.6


def test_costs_much_more_criterion():
    # the notebook's criterion: random rate interval above the planted one, or 10x the median at the largest n
    rng = np.random.default_rng(4)
    noise = lambda: np.exp(0.5 * rng.standard_normal(SAT_NS.size))  # noqa: E731
    planted = 5 * np.exp(0.025 * SAT_NS) * noise()
    random_much = 5 * np.exp(0.045 * SAT_NS) * noise()  # a genuinely faster-growing refutation cost
    cp, cr = compare_growth_models(SAT_NS, planted), compare_growth_models(SAT_NS, random_much)
    top = SAT_NS == SAT_NS.max()
    assert cr.rate_interval[0] > cp.rate_interval[1] or np.median(random_much[top]) >= 10 * np.median(planted[top])


# --- learner table (10) ---


def test_exact_erm_far_above_noise_is_caught():
    # noise 0.256 (M = 5); an ERM with test error 0.40 on 1000 examples contradicts "error <= noise + 0.05"
    with pytest.raises(BoundViolation):
        check_probability_bound(400, 1000, 0.256 + 0.05, "<=", confidence=0.95)


def test_a_learner_at_chance_is_not_called_better_than_chance():
    # the notebook's "beats chance": the whole 95% interval below 1/2
    for errors in (490, 480, 470):
        assert float(proportion_interval(errors, 1000, 0.95)[1]) >= 0.5
    rng = np.random.default_rng(5)
    marked = sum(float(proportion_interval(int(k), 1000, 0.95)[1]) < 0.5 for k in rng.binomial(1000, 0.5, size=2000))
    assert marked / 2000 <= 0.03


# --- the quiet law's pair moment (10) ---


def test_pair_moment_check_rejects_wrong_values():
    rng = np.random.default_rng(1007)
    formula, psi = planted_formula(40, 20000, 3, rng, true_count_law="quiet")
    zz = formula.signs * psi[formula.variables]
    pairs = zz[:, 0] * zz[:, 1]
    assert check_mean_bound(pairs, -1 / 3, "==").holds
    for wrong in (0.0, -1 / 7, -0.25):  # "no pair signal", the naive law's value, a plausible slip
        with pytest.raises(BoundViolation):
            check_mean_bound(pairs, wrong, "==")


# --- per-formula greedy failure (09 cell "The refuter at work") ---


def test_greedy_failure_is_measured_per_formula():
    from natweights.refuter import greedy_failure_per_formula

    # notebook 09: |S| = 1000 chunks per formula, R 2^-n = 3 * 2^-16; one failing chunk in 50000
    runs_term = 3 * 2.0**-16
    g = greedy_failure_per_formula(1, 50_000, 1000)
    assert g.interval[1] > 10 * runs_term
    # a per-chunk reading (rate 2e-5) would look negligible; the per-formula rate is 1000 times larger
    assert abs(g.rate - (1 - (1 - 2e-5) ** 1000)) < 1e-12 and g.rate > 900 * 2e-5
    # falsified claim "greedy fails on at most 1e-4 of random formulas": 8 failing chunks in 10^6 reject it
    assert not greedy_failure_per_formula(8, 10**6, 1000).consistent_with_at_most(1e-4)
    assert greedy_failure_per_formula(8, 10**6, 1000).dominates(runs_term)
    # a broken greedy step failing on 5% of formulas (per chunk 1 - 0.95^(1/1000)): the notebook's 50000 chunks
    # reject "the greedy term is at most R 2^-n" whenever one chunk fails, i.e. w.p. 1 - e^-2.56 = 0.92
    rng = np.random.default_rng(3)
    p_chunk = 1 - 0.95 ** (1 / 1000)
    caught = sum(
        not greedy_failure_per_formula(int(k), 50_000, 1000).consistent_with_at_most(runs_term)
        for k in rng.binomial(50_000, p_chunk, size=500)
    )
    assert caught / 500 >= 0.88
    with pytest.raises(ValueError, match="failed_chunks"):
        greedy_failure_per_formula(-1, 10, 5)


def test_exponential_cost_is_called_exponential_at_the_notebook_range():
    # notebook 10's sweep: n = 60..300 step 40, 5 runs each; with log-noise sigma = 0.6 and rate 0.025 the
    # comparison calls the exponential law most of the time (so "cannot separate" there is informative)
    rng = np.random.default_rng(4)
    n = np.repeat(np.arange(60, 301, 40), 5).astype(float)
    shown = sum(_exponential_shown(n, 5 * np.exp(0.025 * n + 0.6 * rng.standard_normal(n.size))) for _ in range(100))
    assert shown / 100 >= 0.6
