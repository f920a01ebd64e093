"""Property tests (hypothesis): the exact learners agree, parsers round-trip, checks accept exactly their domain."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natweights import weights
from natweights.embedding import NaturalEmbedding, default_width, routable_failure_probability
from natweights.ksat import COMPACT_ABOVE, Formula, random_formula, solve
from natweights.learners import BruteForceERM, SatLearner
from natweights.reduction import Blocks, LabelledSample, random_blocks
from natweights.validation import check_int

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def psi_index(psi) -> int:
    """Assignment index of psi in BruteForceERM's table (bit i set iff psi_i = +1)."""
    return int(np.sum((np.asarray(psi) == 1).astype(np.int64) << np.arange(len(psi))))


@st.composite
def small_samples(draw):
    n = draw(st.integers(2, 8))
    K = draw(st.integers(1, min(3, n)))
    M = draw(st.integers(1, min(3, n // K)))
    N = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    blocks = random_blocks(n, K, M, N, np.random.default_rng(seed))
    labels = np.array(draw(st.lists(st.integers(0, 1), min_size=N, max_size=N)))
    return blocks, labels


@SETTINGS
@given(small_samples())
def test_sat_learner_agrees_with_brute_force_sat_branch(sample):
    blocks, labels = sample
    erm = BruteForceERM().fit(blocks, labels)
    sat = SatLearner(max_errors=0).fit(blocks, labels)
    assert sat.status in ("sat", "unsat")
    assert sat.found_ == (erm.min_errors_ == 0)
    if sat.found_:
        assert sat.training_errors_ == 0 == erm.error_counts_[psi_index(sat.psi_)]


@SETTINGS
@given(small_samples(), st.integers(1, 4), st.sampled_from(["seqcounter", "totalizer", "sortnetwrk"]))
def test_sat_learner_agrees_with_brute_force_cardinality_branch(sample, t, cardinality):
    blocks, labels = sample
    erm = BruteForceERM().fit(blocks, labels)
    sat = SatLearner(max_errors=t, cardinality=cardinality).fit(blocks, labels)
    assert sat.found_ == (erm.min_errors_ <= t)
    if sat.found_:
        assert sat.training_errors_ == erm.error_counts_[psi_index(sat.psi_)] <= t


@SETTINGS
@given(small_samples())
def test_sat_learner_agrees_with_brute_force_maxsat_branch(sample):
    blocks, labels = sample
    erm = BruteForceERM().fit(blocks, labels)
    sat = SatLearner(max_errors=None).fit(blocks, labels)
    assert sat.status == "optimum" and sat.found_ is True
    assert sat.training_errors_ == erm.min_errors_ == erm.error_counts_[psi_index(sat.psi_)]


@SETTINGS
@given(small_samples())
def test_sat_learner_agrees_with_brute_force_positive_only_branch(sample):
    blocks, labels = sample
    everything = BruteForceERM().fit(blocks, labels).error_counts_
    positive = np.flatnonzero(labels == 1)
    sat = SatLearner(positive_only=True).fit(blocks, labels)
    exists = positive.size == 0 or BruteForceERM().fit(blocks[positive], labels[positive]).min_errors_ == 0
    assert sat.found_ == exists
    if sat.found_:
        assert np.all(sat.predict(blocks[positive]) == 1)
        assert sat.training_errors_ == everything[psi_index(sat.psi_)]


@st.composite
def formulas(draw):
    n = draw(st.integers(1, 30))
    K = draw(st.integers(1, min(4, n)))
    m = draw(st.integers(1, 40))
    return random_formula(n, m, K, np.random.default_rng(draw(st.integers(0, 2**32 - 1))))


@SETTINGS
@given(
    formulas(), st.sampled_from(["", "%\n0\n", "%\n0\n\n", "%\nanything 1 2 3\n"]), st.sampled_from([" ", "  ", "\t"])
)
def test_dimacs_round_trip_with_satlib_trailer(formula, trailer, sep):
    text = formula.to_dimacs().replace(" ", sep) + trailer
    parsed = Formula.from_dimacs("c comment\n" + text)
    assert parsed.n == formula.n
    assert np.array_equal(parsed.variables, formula.variables) and np.array_equal(parsed.signs, formula.signs)


@SETTINGS
@given(formulas(), st.integers(COMPACT_ABOVE, 4 * COMPACT_ABOVE))
def test_solve_is_invariant_under_a_large_index_shift(formula, offset):
    # the renumbering path (indices >= COMPACT_ABOVE) decides like the direct path; the explicit
    # cases past 2^31 are in test_validation_dimacs.py (each needs a 2 GiB assignment)
    small = solve(formula)
    shifted = Formula(formula.n + offset, formula.variables + offset, formula.signs)
    big = solve(shifted)
    assert big.status == small.status
    if big.status == "sat":
        assert formula.is_satisfied_by(big.psi[offset:])
        assert np.all(big.psi[:offset] == 1)


@SETTINGS
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_labels_accepted_iff_zero_or_one(value):
    blocks = random_blocks(4, 2, 1, 1, np.random.default_rng(0))
    if value in (0.0, 1.0):
        assert LabelledSample(blocks, [value]).labels.tolist() == [int(value)]
    else:
        with pytest.raises(ValueError, match="labels must be 0 or 1"):
            LabelledSample(blocks, [value])


@SETTINGS
@given(st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=True, allow_infinity=True)))
def test_check_int_accepts_exactly_whole_numbers(value):
    whole = isinstance(value, int) or (np.isfinite(value) and float(value).is_integer())
    if whole:
        assert check_int("size", value) == int(value)
    else:
        with pytest.raises(ValueError, match="^size must be"):
            check_int("size", value)


def _linear_default_width(M, p, delta):
    m = M + 1
    while routable_failure_probability(m, M, p) > delta or (1 - p) ** m > delta:
        m += 1
    return m


@SETTINGS
@given(st.integers(1, 12), st.floats(0.05, 0.95), st.floats(1e-6, 0.5))
def test_default_width_bisection_equals_the_linear_scan(M, p, delta):
    assert default_width(M, p, delta) == _linear_default_width(M, p, delta)


@SETTINGS
@given(small_samples())
def test_blocks_copy_and_freeze_the_arrays(sample):
    blocks, _ = sample
    v = np.array(blocks.variables)
    s = np.array(blocks.signs)
    b = Blocks(blocks.n, v, s)
    v[...] = 0  # the caller mutates its array afterwards: the block keeps its checked content
    s[...] = 7
    assert np.array_equal(b.variables, blocks.variables) and np.array_equal(b.signs, blocks.signs)
    with pytest.raises(ValueError, match="read-only"):
        b.variables[0, 0, 0] = 0
    with pytest.raises(ValueError, match="read-only"):
        b.signs[0, 0, 0] = 1


_EMB = NaturalEmbedding(6, 3, 2, weights.normal(), np.random.default_rng(5))


@SETTINGS
@given(st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_encode_does_not_depend_on_the_chunk(chunk, seed):
    blocks = random_blocks(6, 3, 2, 17, np.random.default_rng(seed))
    assert np.array_equal(_EMB.encode(blocks, chunk=chunk), _EMB.encode(blocks))
