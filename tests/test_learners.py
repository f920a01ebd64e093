import numpy as np
import pytest

from natweights.ksat import random_assignment
from natweights.learners import (
    BruteForceERM,
    Distinguisher,
    SatLearner,
    assignment_bits,
    gradient_boosting,
    kernel_svm,
    logistic_regression,
    mlp,
    naive_error_counts,
)
from natweights.reduction import LabelledSample, block_satisfied, expected_label_noise, labelled_sample, random_blocks
from natweights.stats import check_probability_bound


def planted_sample(n, K, M, N, rng, psi=None):
    """Lemma 15 applied to N uniform T_{K,M} blocks satisfied by psi."""
    psi = random_assignment(n, rng) if psi is None else psi
    blocks = random_blocks(n, K, M, 4 * N, rng)
    good = blocks[np.flatnonzero(block_satisfied(psi, blocks))[:N]]
    return labelled_sample(good, rng), psi


def scattered_sample(n, K, M, N, rng):
    blocks = random_blocks(n, K, M, N, rng)
    return LabelledSample(blocks, rng.integers(0, 2, N))


def test_assignment_bits_small():
    t = assignment_bits(7)
    bits = np.unpackbits(t.view(np.uint8), bitorder="little").reshape(7, -1)
    a = np.arange(128)
    assert np.array_equal(bits, (a[None, :] >> np.arange(7)[:, None]) & 1)


@pytest.mark.parametrize("n, K, M, N", [(4, 1, 2, 30), (9, 2, 3, 100), (12, 3, 3, 257)])
def test_brute_force_counts_equal_naive(rng, n, K, M, N):
    s = scattered_sample(n, K, M, N, rng)
    assert np.array_equal(
        BruteForceERM(engine="numpy", tile_words=2).fit(s.blocks, s.labels).error_counts_,
        naive_error_counts(s.blocks, s.labels),
    )


def test_exact_learners_agree(rng):
    for _ in range(3):
        s = scattered_sample(10, 3, 2, 80, rng)
        erm = BruteForceERM().fit(s.blocks, s.labels)
        sat = SatLearner(max_errors=None).fit(s.blocks, s.labels)
        assert sat.training_errors_ == erm.min_errors_
        # a psi with at most min-1 errors does not exist, with min errors it does
        assert not SatLearner(max_errors=erm.min_errors_ - 1).fit(s.blocks, s.labels).found_
        found = SatLearner(max_errors=erm.min_errors_).fit(s.blocks, s.labels)
        assert found.found_ and found.training_errors_ <= erm.min_errors_


def test_sat_learner_zero_errors_on_realizable(rng):
    n, K, M = 60, 3, 4
    psi = random_assignment(n, rng)
    blocks = random_blocks(n, K, M, 300, rng)
    labels = block_satisfied(psi, blocks).astype(int)
    sat = SatLearner().fit(blocks, labels)
    assert sat.found_ and sat.training_errors_ == 0


def test_exact_learner_reaches_planted_noise(rng):
    n, K, M = 16, 3, 4
    s, psi = planted_sample(n, K, M, 600, rng)
    train, test = s.split(0.5, rng)
    erm = BruteForceERM().fit(train.blocks, train.labels)
    wrong = int(np.sum(erm.predict(test.blocks) != test.labels))
    # no better than the noise of the planted psi up to sampling error, and not far worse
    noise = expected_label_noise(K, M)
    check_probability_bound(wrong, len(test), noise + 0.05, "<=", label="ERM test error")
    check_probability_bound(wrong, len(test), noise - 0.08, ">=", label="ERM test error")


def test_exact_learner_chance_on_random_labels(rng):
    s = scattered_sample(16, 3, 4, 600, rng)
    train, test = s.split(0.5, rng)
    erm = BruteForceERM().fit(train.blocks, train.labels)
    wrong = int(np.sum(erm.predict(test.blocks) != test.labels))
    check_probability_bound(wrong, len(test), 0.5, "==", label="test error on fair coins")


def test_distinguisher_separates(rng):
    n, K, M = 18, 3, 6
    beta = 0.35  # between the planted noise 0.224 and 1/2
    d = Distinguisher(BruteForceERM(), beta=beta, holdout=0.5)
    answers_planted = [d.decide(planted_sample(n, K, M, 400, rng)[0], rng).answer for _ in range(5)]
    answers_random = [d.decide(scattered_sample(n, K, M, 400, rng), rng).answer for _ in range(5)]
    assert answers_planted == ["realizable"] * 5
    assert answers_random == ["unrealizable"] * 5


def test_distinguisher_proof_version_and_sat_infeasible(rng):
    n, K, M = 12, 3, 3
    blocks = random_blocks(n, K, M, 200, rng)
    psi = random_assignment(n, rng)
    realizable = LabelledSample(blocks, block_satisfied(psi, blocks).astype(int))
    d = Distinguisher(SatLearner(max_errors=0), beta=0.25, holdout=None)
    assert d.decide(realizable, rng).answer == "realizable"
    dec = d.decide(scattered_sample(n, K, M, 200, rng), rng)
    assert dec.answer == "unrealizable" and np.isnan(dec.error)
    with pytest.raises(ValueError, match="beta"):
        Distinguisher(BruteForceERM(), beta=0.5)


@pytest.mark.parametrize(
    "make", [logistic_regression, kernel_svm, lambda: mlp(0, max_iter=200), lambda: gradient_boosting(0)]
)
def test_sklearn_learners_interface(rng, make):
    s, _ = planted_sample(15, 3, 2, 300, rng)
    learner = make().fit(s.blocks, s.labels)
    pred = learner.predict(s.blocks)
    assert pred.shape == (300,) and set(np.unique(pred)) <= {0, 1}


def test_labels_validated(rng):
    b = random_blocks(10, 2, 2, 5, rng)
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        BruteForceERM().fit(b, np.array([0, 1, 2, 0, 1]))
    with pytest.raises(ValueError, match="one label per block"):
        SatLearner().fit(b, np.array([0, 1]))
    with pytest.raises(ValueError, match="max_errors"):
        SatLearner(max_errors=-1)


def test_sat_learner_positive_only(rng):
    n, K, M = 60, 3, 8
    s, psi = planted_sample(n, K, M, 3 * n, rng)
    sat = SatLearner(positive_only=True).fit(s.blocks, s.labels)
    assert sat.found_
    assert np.all(block_satisfied(sat.psi_, s.blocks[np.flatnonzero(s.labels == 1)]))
    # 90 random positives x 8 clauses = 720 random 3-clauses on 60 variables (density 12): unsatisfiable
    r = scattered_sample(n, K, M, 3 * n, rng)
    assert not SatLearner(positive_only=True).fit(r.blocks, r.labels).found_


def test_training_errors_means_the_same_for_both_exact_learners(rng):
    s = scattered_sample(9, 3, 2, 60, rng)
    erm = BruteForceERM().fit(s.blocks, s.labels)
    sat = SatLearner(max_errors=None).fit(s.blocks, s.labels)
    for learner in (erm, sat):
        assert type(learner.training_errors_) is int
        assert learner.training_errors_ == int(np.sum(learner.predict(s.blocks) != s.labels))
    assert erm.training_errors_ == erm.min_errors_ == int(erm.error_counts_.min())
    assert erm.error_counts_.shape == (2**9,)


def test_status_strings_are_the_documented_literals(rng):
    from typing import get_args

    from natweights.learners import Decision, DistinguisherAnswer, SolveStatus

    s = scattered_sample(9, 3, 2, 60, rng)
    seen = {SatLearner(max_errors=k).fit(s.blocks, s.labels).status for k in (0, 30)}
    seen.add(SatLearner(max_errors=None).fit(s.blocks, s.labels).status)
    seen.add(SatLearner(conflict_budget=1).fit(*_hard_sample(rng)).status)
    assert seen <= set(get_args(SolveStatus)) and {"optimum", "unsat", "sat"} <= seen
    assert set(get_args(DistinguisherAnswer)) == {"realizable", "unrealizable", "unknown"}
    with pytest.raises(ValueError, match="answer must be one of"):
        Decision("maybe", 0.0, 0.25, 1, 1)


def _hard_sample(rng):
    s = scattered_sample(40, 3, 3, 200, rng)
    return s.blocks, s.labels


def test_maxsat_solver_is_the_one_asked_for(rng):
    from natweights.learners import MAXSAT_SOLVERS

    s = scattered_sample(9, 3, 2, 40, rng)
    costs = set()
    for solver in ("glucose4", "cadical195", "m22"):
        sat = SatLearner(max_errors=None, solver=solver).fit(s.blocks, s.labels)
        assert sat.stats["solver"] == solver
        costs.add(sat.training_errors_)
    assert len(costs) == 1  # the optimum does not depend on the solver
    assert SatLearner(max_errors=None).fit(s.blocks, s.labels).stats["solver"] == "glucose4"
    assert SatLearner(max_errors=None).solver_used == "glucose4" and SatLearner().solver_used == "cadical195"
    assert "kissat404" not in MAXSAT_SOLVERS and "lingeling" not in MAXSAT_SOLVERS
    for solver in ("kissat", "lingeling"):
        with pytest.raises(ValueError, match=r"solver .* cannot run the MaxSAT path"):
            SatLearner(max_errors=None, solver=solver)
    SatLearner(max_errors=0, solver="kissat")  # the SAT path takes any PySAT solver


def test_x_learners_are_fresh_and_seeded():
    from natweights.learners import x_learners

    a, b = x_learners(), x_learners(seed=3)
    assert set(a) == {"logistic on x", "MLP on x"}
    assert a["MLP on x"] is not x_learners()["MLP on x"]
    assert a["MLP on x"].random_state == 0 and b["MLP on x"].random_state == 3
    assert a["MLP on x"].hidden_layer_sizes == (32,) and a["MLP on x"].max_iter == 100
