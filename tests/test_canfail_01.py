"""Each probabilistic or growth check of notebook 01, fed a falsified claim of plausible size, must reject it.

The tests call the same library functions, with the same design (sizes, counts,
thresholds), as the notebook cells.
"""

import numpy as np
import pytest
import sympy as sp

from natweights.detectors import (
    assignment_overlap,
    pair_spectral_guess,
    pair_spectral_statistic,
    sign_count_statistic,
)
from natweights.growth import compare_growth_models
from natweights.ksat import planted_formula, planting_law, random_formula
from natweights.stats import BoundViolation, check_probability_bound, proportion_interval
from natweights.transition import crawford_auton_crossing, satisfiability_crossing

# ---------------------------------------------------------------- C2: growth of refutation cost
# the notebook's design: n = 50, 75, ..., 300, 10 formulas each, all refuted
REFUTATION_N = np.repeat(np.arange(50, 301, 25), 10).astype(float)


def _c2_power_rejected(result):
    return result.fits["power"].delta_aic >= 10


def _c2_exponential_rejected(result):
    return result.fits["exponential"].delta_aic >= 10


@pytest.mark.parametrize("noise", [0.4, 0.7])
def test_c2_pure_power_law_is_not_rejected_as_power(noise):
    """Conflicts following a pure power law of the measured size (n^3.7): the check 'power law rejected' fails."""
    passed = 0
    for seed in range(30):
        rng = np.random.default_rng(seed)
        cost = np.exp(-11.7 + 3.72 * np.log(REFUTATION_N) + rng.normal(0, noise, REFUTATION_N.size))
        passed += _c2_power_rejected(compare_growth_models(REFUTATION_N, cost))
    assert passed <= 1


@pytest.mark.parametrize("noise", [0.4, 0.7])
def test_c2_pure_exponential_is_not_rejected_as_exponential(noise):
    """Conflicts following a pure exponential of the measured rate: the check 'exponential rejected' fails."""
    passed = 0
    for seed in range(30):
        rng = np.random.default_rng(100 + seed)
        cost = np.exp(2.52 + 0.0256 * REFUTATION_N + rng.normal(0, noise, REFUTATION_N.size))
        passed += _c2_exponential_rejected(compare_growth_models(REFUTATION_N, cost))
    assert passed <= 1


def test_c2_offset_polynomial_never_called_exponential():
    """The referee's falsified claim: 20 + 10 (n/50)^4 passed the old asserts 92% of the time."""
    verdicts = []
    for seed in range(40):
        rng = np.random.default_rng(200 + seed)
        cost = (20 + 10 * (REFUTATION_N / 50) ** 4) * np.exp(rng.normal(0, 0.5, REFUTATION_N.size))
        r = compare_growth_models(REFUTATION_N, cost)
        verdicts.append(r.preferred == "exponential" and r.separated)
    assert sum(verdicts) == 0


def test_c2_old_check_accepted_offset_polynomial():
    """Why the old check was replaced: 'rate interval above 0' holds for the offset polynomial too."""
    rng = np.random.default_rng(7)
    cost = (20 + 10 * (REFUTATION_N / 50) ** 4) * np.exp(rng.normal(0, 0.5, REFUTATION_N.size))
    r = compare_growth_models(REFUTATION_N, cost)
    assert r.rate_interval[0] > 0  # the old assert would pass
    assert not (r.preferred == "exponential" and r.separated)  # the new verdict does not


# ---------------------------------------------------------------- threshold crossing
DENSITIES = np.round(np.arange(3.9, 4.71, 0.1), 1)
TRIALS = 300
# the notebook's stored counts at n = 100
COUNTS_N100 = np.array([295, 285, 240, 195, 138, 95, 48, 34, 14])


def _simulate_counts(rng, crossing, slope=7.9):
    p = 1 / (1 + np.exp(slope * (DENSITIES - crossing)))
    return rng.binomial(TRIALS, p)


@pytest.mark.parametrize("shift", [-0.06, 0.06])
def test_threshold_shifted_claim_rejected(shift):
    """Counts from a crossing at 4.30: a claim off by 0.06 lies outside the 99% interval."""
    rejected = 0
    for seed in range(40):
        est = satisfiability_crossing(DENSITIES, _simulate_counts(np.random.default_rng(seed), 4.30), TRIALS)
        rejected += not est.contains(4.30 + shift)
    assert rejected >= 38


def test_threshold_true_value_covered():
    covered = 0
    for seed in range(60):
        est = satisfiability_crossing(DENSITIES, _simulate_counts(np.random.default_rng(500 + seed), 4.30), TRIALS)
        covered += est.contains(4.30)
    assert covered >= 55  # 99% intervals


def test_threshold_notebook_counts_reject_limit_and_shifted_values():
    est = satisfiability_crossing(DENSITIES, COUNTS_N100, TRIALS)
    assert est.contains(float(crawford_auton_crossing(100)))
    # the n -> infinity value 4.267 and the old 40-formula estimate 4.34 are excluded at n = 100
    assert not est.contains(4.267)
    assert not est.contains(4.34)
    assert est.interval[1] - est.interval[0] < 0.05


def test_threshold_old_design_could_not_fail():
    """With 40 formulas per density the 99% interval is about three times wider."""
    rng = np.random.default_rng(9)
    p = 1 / (1 + np.exp(7.9 * (DENSITIES - 4.30)))
    est = satisfiability_crossing(DENSITIES, rng.binomial(40, p), 40)
    narrow = satisfiability_crossing(DENSITIES, COUNTS_N100, TRIALS)
    assert (est.interval[1] - est.interval[0]) > 2 * (narrow.interval[1] - narrow.interval[0])


# ---------------------------------------------------------------- C19: generator moments and detectors
def test_moment_check_rejects_shifted_pair_probability():
    """The quiet law keeps P(z1 = z2) = 1/3; the claim 'no pair bias' (1/2) is rejected on 20,000 constraints."""
    rng = np.random.default_rng(101)
    f, psi = planted_formula(50, 20000, 3, rng, true_count_law="quiet")
    z = f.literal_values(psi)
    with pytest.raises(BoundViolation):
        check_probability_bound(int(np.sum(z[:, 0] == z[:, 1])), len(z), 0.5, "==")
    # and a small shift of the naive law's literal bias (4/7 -> 0.56) too
    f, psi = planted_formula(50, 20000, 3, rng, true_count_law="naive")
    z = f.literal_values(psi)
    with pytest.raises(BoundViolation):
        check_probability_bound(int(np.sum(z[:, 0] == 1)), len(z), 0.55, "==")


N, M, K = 200, 2000, 3


@pytest.fixture(scope="module")
def pair_threshold():
    rng = np.random.default_rng(102)
    return np.quantile([pair_spectral_statistic(random_formula(N, M, K, rng)) for _ in range(100)], 0.99)


def test_pair_detector_rejects_formulas_without_pair_bias(pair_threshold):
    """Falsified claim 'the pair spectrum flags planted formulas' on a law with no pair bias (XOR)."""
    rng = np.random.default_rng(3)
    flags = sum(pair_spectral_statistic(planted_formula(N, M, K, rng, true_count_law="xor")[0]) > pair_threshold
                for _ in range(40))
    # the notebook's assert 'flag rate > 0.9' (lower 99% bound) fails
    assert proportion_interval(flags, 40)[0] < 0.9
    assert flags <= 4


def test_pair_guess_does_not_recover_psi_without_pair_bias():
    rng = np.random.default_rng(4)
    overlaps = []
    for _ in range(10):
        f, psi = planted_formula(N, M, K, rng, true_count_law="xor")
        overlaps.append(assignment_overlap(pair_spectral_guess(f), psi))
    assert sum(o >= 0.9 for o in overlaps) == 0


def test_sign_counting_rejects_quiet_law():
    """The notebook's 'sign counting catches the law' check applied to the quiet law must fail."""
    rng = np.random.default_rng(5)
    threshold = np.quantile([sign_count_statistic(random_formula(N, M, K, rng)) for _ in range(100)], 0.99)
    flags = sum(sign_count_statistic(planted_formula(N, M, K, rng, true_count_law="quiet")[0]) > threshold
                for _ in range(40))
    assert proportion_interval(flags, 40)[0] < 0.9


def test_xor_uniqueness_rejects_quiet_law():
    """The sympy system of the notebook: the quiet law (1/2, 1/2, 0) is not a solution (pair bias -1/3)."""
    w = planting_law("quiet", 3, exact=True)
    degree1 = (-w[1] + w[2] + 3 * w[3]) / 3
    degree2 = w[3] - (w[1] + w[2]) / 3
    assert degree1 == 0 and degree2 == sp.Rational(-1, 3)


def test_c2_combined_rate_above_zero_is_no_proof_of_exponential_growth():
    """The limit the notebook states: at n <= 300 an offset polynomial often passes the C2 checks.

    The checks reject pure power laws and pure exponentials (tests above), but a
    combined fit with b > 0 and p > 0, separated from both pure laws, arises for
    about half of the data sets drawn from 20 + 10 (n/50)^4.  So the data
    support "neither pure law", not "exponential"; the exponential growth is the
    resolution lower bound.
    """
    passes = 0
    for seed in range(40):
        rng = np.random.default_rng(300 + seed)
        cost = (20 + 10 * (REFUTATION_N / 50) ** 4) * np.exp(rng.normal(0, 0.5, REFUTATION_N.size))
        g = compare_growth_models(REFUTATION_N, cost)
        b_lo, p_lo = g.fits["combined"].intervals["b"][0], g.fits["combined"].intervals["p"][0]
        passes += g.preferred == "combined" and g.separated and b_lo > 0 and p_lo > 0
    assert 10 <= passes <= 30
