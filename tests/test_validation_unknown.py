"""Unknown stays unknown (issue 13 item 2) and the SatLearner pads its model (item 3)."""

import numpy as np
import pytest

from natweights.ksat import planted_formula
from natweights.learners import Decision, Distinguisher, SatLearner
from natweights.reduction import Blocks, LabelledSample


def clause_sample(n, m, seed):
    """A planted 3-SAT formula as M = 1 blocks, all labelled 1: a realizable sample."""
    f, psi = planted_formula(n, m, 3, np.random.default_rng(seed))
    return LabelledSample(Blocks(f.n, f.variables[:, None, :], f.signs[:, None, :]), np.ones(f.m, dtype=int)), psi


def test_budget_exhausted_is_unknown_not_unsat():
    sample, _ = clause_sample(100, 426, 1)
    learner = SatLearner(conflict_budget=1).fit(sample.blocks, sample.labels)
    assert learner.status == "unknown"
    assert learner.found_ is None and learner.psi_ is None and learner.training_errors_ is None
    with pytest.raises(RuntimeError, match="conflict budget"):
        learner.predict(sample.blocks)


def test_distinguisher_with_budget_never_says_unrealizable_on_realizable_samples():
    answers = []
    for seed in range(10):
        sample, _ = clause_sample(100, 852, seed)
        d = Distinguisher(SatLearner(conflict_budget=1), beta=0.4, holdout=0.5).decide(
            sample, np.random.default_rng(seed)
        )
        answers.append(d.answer)
        assert d.answer != "unrealizable", seed
        if d.answer == "unknown":
            assert d.realizable is None and np.isnan(d.error)
    assert answers.count("unknown") >= 5  # the unknown path is exercised


def test_decision_realizable_property_is_three_valued():
    assert Decision("realizable", 0.0, 0.1, 1, 1).realizable is True
    assert Decision("unrealizable", 0.5, 0.1, 1, 1).realizable is False
    assert Decision("unknown", float("nan"), 0.1, 1, 1).realizable is None


def test_proved_unsat_still_unrealizable():
    # a genuine proof ("unsat") keeps its meaning: two contradictory examples, no psi fits both
    b = Blocks(1, [[[0]], [[0]]], [[[1]], [[-1]]])
    learner = SatLearner().fit(b, [1, 1])
    assert learner.status == "unsat" and learner.found_ is False


def test_fit_pads_the_model_when_the_top_variable_is_unused():
    # issue 13 item 3: "psi must have length n = 2, got 1"
    learner = SatLearner().fit(Blocks(2, [[[0]]], [[[-1]]]), [1])
    assert learner.found_ is True and learner.psi_.shape == (2,) and learner.psi_[0] == -1
    assert learner.training_errors_ == 0


def test_positive_only_without_positive_examples():
    b = Blocks(3, [[[0, 1]], [[1, 2]]], [[[1, 1]], [[-1, 1]]])
    learner = SatLearner(positive_only=True).fit(b, [0, 0])
    assert learner.found_ is True and learner.psi_.shape == (3,)
    assert learner.training_errors_ == int(np.sum(learner.predict(b) != 0))


def test_maxsat_refuses_a_conflict_budget():
    with pytest.raises(ValueError, match="conflict_budget: the MaxSAT path"):
        SatLearner(max_errors=None, conflict_budget=10)
