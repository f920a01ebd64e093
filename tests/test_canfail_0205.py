"""Every probabilistic check of notebooks 02–05 rejects a falsified claim of plausible size.

Each test runs the check the notebook runs (the same library call, on data made the
same way) twice: with the true claim it passes, with a wrong constant, a shifted
probability or a wrong law it must fail.
"""

from __future__ import annotations

import json
import re
from math import floor, log
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from natweights import bounds
from natweights.chain import chain_label_noise, greedy_kept_limit, greedy_kept_mean, planted_blocks
from natweights.ksat import planted_formula, random_assignment, random_formula
from natweights.learners import BruteForceERM
from natweights.reduction import (
    LabelledSample,
    block_satisfied,
    expected_label_noise,
    fresh_indicators,
    greedy_blocks_per_chunk,
    greedy_disjoint_counts,
    labelled_sample,
    random_blocks,
    realizable_by,
)
from natweights.stats import BoundViolation, check_mean_bound, check_probability_bound, chi_square_uniform
from natweights.theorem12 import check_interval_beyond

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _rejects(k, n, claim, relation, **kw):
    with pytest.raises(BoundViolation):
        check_probability_bound(k, n, claim, relation, **kw)


# ---------------------------------------------------------------- notebook 02


def _fixed_hypothesis_hits(reps=20000, size=40, seed=201):
    rng = np.random.default_rng(seed)
    n, K, M = 12, 3, 3
    psi = random_assignment(n, rng)
    hits = 0
    for _ in range(reps):
        blocks = random_blocks(n, K, M, size, rng)
        labels = rng.integers(0, 2, size)
        hits += np.mean(block_satisfied(psi, blocks) != labels) <= 0.25
    return int(hits), reps


def test_02_fixed_hypothesis_tail_rejects_a_shifted_threshold():
    hits, reps = _fixed_hypothesis_hits()
    exact = stats.binom.cdf(10, 40, 0.5)
    check_probability_bound(hits, reps, exact, "==")
    check_probability_bound(hits, reps, bounds.scattered_hoeffding_bound(m=40), "<=")
    # falsified: the tail at error 0.3 instead of 1/4 (P(Bin(40, 1/2) <= 12) = 0.008)
    _rejects(hits, reps, stats.binom.cdf(12, 40, 0.5), "==")
    # falsified: Hoeffding's exponent doubled, e^{-m/4}
    _rejects(hits, reps, float(np.exp(-40 / 4)), "<=")
    # the notebook's "whole interval below 2^(-m/8)" check passes, and rejects the base-2 slip 2^(-m/4)
    # (9.8e-4, inside the interval around the true tail 1.1e-3, which the weak check lets through)
    check_interval_beyond(hits, reps, bounds.scattered_hoeffding_bound(m=40), "<=")
    check_probability_bound(hits, reps, 2.0**-10, "<=")
    with pytest.raises(BoundViolation):
        check_interval_beyond(hits, reps, 2.0**-10, "<=")


def _good_psi_counts(size, reps=300, seed=203):
    rng = np.random.default_rng(seed)
    n, K, M, beta = 12, 3, 3, 0.25
    counts, some = [], 0
    for _ in range(reps):
        s = LabelledSample(random_blocks(n, K, M, size, rng), rng.integers(0, 2, size))
        errors = BruteForceERM().fit(s.blocks, s.labels).error_counts_
        counts.append(int(np.sum(errors <= beta * size)))
        some += bool(errors.min() <= beta * size)
    return counts, some, reps


def test_02_counting_argument_rejects_wrong_expectations():
    counts, some, reps = _good_psi_counts(40)
    expected = 2**12 * stats.binom.cdf(10, 40, 0.5)
    check_mean_bound(counts, expected, "==")
    # falsified: the expectation with the threshold one example looser (Bin <= 11): 13.0 instead of 4.5
    with pytest.raises(BoundViolation):
        check_mean_bound(counts, 2**12 * stats.binom.cdf(11, 40, 0.5), "==")
    counts, some, reps = _good_psi_counts(80)
    union = 2**12 * stats.binom.cdf(20, 80, 0.5)
    check_probability_bound(some, reps, union, "<=")
    # falsified: the union bound over 2^{n/2} hypotheses instead of 2^n
    _rejects(some, reps, 2**6 * stats.binom.cdf(20, 80, 0.5), "<=")


def _stored_acceptance_counts():
    nb = json.loads((NOTEBOOKS / "02_scattered_samples.ipynb").read_text())
    text = "".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    rows = re.findall(r"^(.+?)\s+accepts realizable\s+(\d+)/(\d+) .*?scattered\s+(\d+)/(\d+)", text, re.M)
    return {name.strip(): (int(a), int(t), int(b), int(u)) for name, a, t, b, u in rows}


@pytest.mark.parametrize("accepted", [10, 12, 15, 19])
def test_02_realizable_acceptance_check_rejects_falsified_counts(accepted):
    # the notebook's call on Theorem 12's algorithm; a learner accepting 12/20 (or even 19/20)
    # does not show P(accept) >= 3/4 and must fail it
    with pytest.raises(BoundViolation):
        check_interval_beyond(accepted, 20, 0.75, ">=", label="P(accept realizable)")


def test_02_distinguisher_checks_reject_falsified_acceptance_rates():
    rows = _stored_acceptance_counts()
    real, trials, scat, _ = rows["Thm 12, exact ERM"]
    check_interval_beyond(real, trials, 0.75, ">=")
    # falsified: "the proof's algorithm accepts a realizable sample only half of the time"
    _rejects(real, trials, 0.5, "<=")
    # falsified: "it is fooled by a quarter of the scattered samples"
    _rejects(scat, trials, 0.25, ">=")
    real, trials, _, _ = rows["held-out, memoriser"]
    # the notebook's own demonstration: the 3/4 guarantee does not carry over to the held-out variant
    _rejects(real, trials, 0.75, ">=")
    real, trials, _, _ = rows["Thm 12, memoriser"]
    check_probability_bound(real, trials, 0.75, ">=")
    _rejects(real, trials, 0.5, "<=")


# ---------------------------------------------------------------- notebook 03


@pytest.mark.parametrize("n", [300, 1000])
def test_03_greedy_constant_rejects_a_wrong_constant(n):
    rng = np.random.default_rng(305 + n)
    _, counts = greedy_disjoint_counts(random_formula(n, n * 1000, 3, rng))
    exact = greedy_kept_mean(n, 3) / n
    check_mean_bound(counts / n, exact, "==")
    for wrong in (0.25, 0.21, (1 - 7**-1) / 3):
        with pytest.raises(BoundViolation):
            check_mean_bound(counts / n, wrong, "==")
    # the notebook's limit check 0 < exact - limit < 1/n fails for a wrong limit
    assert 0 < exact - greedy_kept_limit(3) < 1 / n
    assert not 0 < exact - 0.25 < 1 / n and not 0 < exact - 0.21 < 1 / n


def test_03_lemma13_bound_check_rejects_the_complementary_event():
    rng = np.random.default_rng(3051)
    n, K, chunks = 100, 3, 400
    f = random_formula(n, n * chunks, K, rng)
    n_prime = n // (2 * K)
    fresh = fresh_indicators(f)[:, :n_prime]
    event = int(np.sum(fresh.sum(axis=1) <= n_prime * 2.0 ** -(K + 1)))
    check_probability_bound(event, chunks, bounds.lemma13_repaired_bound(n=n, K=K), "<=")
    # falsified: the event with the inequality reversed (what a sign slip in the threshold gives)
    wrong = int(np.sum(fresh.sum(axis=1) >= n_prime * 2.0 ** -(K + 1)))
    _rejects(wrong, chunks, bounds.lemma13_repaired_bound(n=n, K=K), "<=")


def test_03_failure_rate_check_rejects_M_too_large():
    rng = np.random.default_rng(3052)
    n, chunks = 1000, 1000  # as in the notebook: 0/1000 gives an upper limit below 0.01
    _, counts = greedy_disjoint_counts(random_formula(n, n * chunks, 3, rng))
    from natweights.stats import proportion_interval

    assert proportion_interval(int(np.sum(counts < floor(n / log(n)))), chunks)[1] < 0.01
    # falsified: "M = 0.21 n works" (above the greedy constant 0.2073)
    assert proportion_interval(int(np.sum(counts < floor(0.21 * n))), chunks)[1] >= 0.01


def test_03_uniform_block_law_check_rejects_planted_blocks():
    rng = np.random.default_rng(3041)
    n, K, M = 60, 3, 8
    blocks, _, _ = greedy_blocks_per_chunk(random_formula(n, n * 2000, K, rng), M)
    p_signs = [
        chi_square_uniform(np.bincount((blocks.signs[:, t, l] > 0).astype(int), minlength=2))
        for t in range(M)
        for l in range(K)
    ]
    assert min(p_signs) > 1e-3 / len(p_signs)
    # falsified law: blocks of a planted formula with psi = all +1 (literal signs biased towards +)
    f, _ = planted_formula(n, n * 2000, K, rng, psi=np.ones(n, dtype=np.int8))
    blocks, _, _ = greedy_blocks_per_chunk(f, M)
    p_signs = [
        chi_square_uniform(np.bincount((blocks.signs[:, t, l] > 0).astype(int), minlength=2))
        for t in range(M)
        for l in range(K)
    ]
    assert not min(p_signs) > 1e-3 / len(p_signs)


# ---------------------------------------------------------------- notebook 04


def test_04_realizability_check_rejects_a_formula_without_the_half():
    rng = np.random.default_rng(401)
    n, K, M, m, reps = 40, 2, 16, 20, 4000
    psi = random_assignment(n, rng)
    fits = 0
    for _ in range(reps):
        fits += bool(np.all(realizable_by(psi, labelled_sample(planted_blocks(psi, K, M, m, rng), rng))))
    exact = (1 - 0.5 * bounds.not_T_violation_probability(K=K, M=M)) ** m
    check_probability_bound(fits, reps, exact, "==")
    # falsified: every replaced block violates with prob (1 - 2^-K)^M, forgetting the 1/2 of the replacement
    _rejects(fits, reps, (1 - bounds.not_T_violation_probability(K=K, M=M)) ** m, "==")
    # falsified: one clause fewer per block (M - 1)
    _rejects(fits, reps, (1 - 0.5 * bounds.not_T_violation_probability(K=K, M=M - 1)) ** m, "==")


@pytest.mark.parametrize("K, M", [(3, 4), (3, 6), (2, 4)])
def test_04_label_noise_check_rejects_wrong_rates(K, M):
    noise = chain_label_noise(60, K, M, formulas=100, chunks=100, rng=np.random.default_rng(4030 + 10 * K + M))
    check_probability_bound(noise.noisy, noise.examples, expected_label_noise(K, M), "==")
    # falsified: one clause more per block, and the rate among label-0 examples instead of all examples
    _rejects(noise.noisy, noise.examples, expected_label_noise(K, M + 1), "==")
    _rejects(noise.noisy, noise.examples, 2 * expected_label_noise(K, M), "==")


def test_04_fair_coin_checks_reject_dependent_or_biased_labels():
    rng = np.random.default_rng(402)
    n, K, M = 30, 3, 4
    sample = labelled_sample(random_blocks(n, K, M, 20000, rng), rng)
    psi = random_assignment(n, rng)

    def p_independent(labels):
        prediction = block_satisfied(psi, sample.blocks).astype(int)
        table = np.array([[np.sum((prediction == a) & (labels == b)) for b in (0, 1)] for a in (0, 1)])
        return stats.chi2_contingency(table).pvalue

    assert p_independent(sample.labels) > 1e-3
    check_probability_bound(int(sample.labels.sum()), len(sample), 0.5, "==")
    # falsified: labels that follow h_psi on 10% of the examples (a planted-like dependence)
    labels = sample.labels.copy()
    follow = rng.random(len(labels)) < 0.1
    labels[follow] = block_satisfied(psi, sample.blocks)[follow]
    assert not p_independent(labels) > 1e-3
    # falsified: P(label = 1) = 0.52
    _rejects(int(sample.labels.sum()), len(sample), 0.52, "==")
