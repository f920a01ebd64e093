"""The refuter of C13: proof form vs held-out form, "unknown" status, redraw per run, error-bound arithmetic."""

import numpy as np
import pytest
import sympy as sp

from natweights import bounds, weights
from natweights.ksat import planted_formula, random_formula
from natweights.refuter import (
    ExactNetworkLearner,
    Refuter,
    fixed_hypothesis_bound,
    per_run_acceptance_bound,
    random_input_error_bound,
    run_tally,
)

N_VARS, K, M, CHUNK = 16, 3, 4, 12 * 16


def _planted(rng, examples=200):
    return planted_formula(N_VARS, examples * CHUNK, K, rng)[0]


class RecordingLearner:
    """A stub learner: records what it was given, predicts a constant, reports a chosen ``found_``."""

    log: list = []

    def __init__(self, embedding, found=True, value=0.5):
        self.embedding, self.found, self.value = embedding, found, value

    def fit(self, blocks, X, y):
        RecordingLearner.log.append({"embedding": self.embedding, "fit": len(blocks), "X": X, "y": y})
        self.found_ = self.found
        return self

    def predict(self, blocks, X):
        RecordingLearner.log[-1]["predict"] = len(blocks)
        return np.full(len(blocks), self.value)


def _stub(found=True, value=0.5):
    def factory(embedding):
        return RecordingLearner(embedding, found, value)

    return factory


def test_proof_form_trains_on_draws_from_S_and_tests_on_all_of_S():
    RecordingLearner.log = []
    rng = np.random.default_rng(1)
    refuter = Refuter(K, M, weights.normal(), _stub(value=0.5), runs=1, threshold=0.35, chunk_size=CHUNK)
    run = refuter.run_once(_planted(rng, 200), rng)
    entry = RecordingLearner.log[-1]
    assert "proof form" in refuter.form and refuter.learner_accuracy == 0.35
    assert entry["fit"] == 200 and entry["predict"] == 200 and run.examples == 200
    # the oracle draws with replacement: some rows of X repeat
    assert len(np.unique(entry["X"], axis=0)) < 200
    # constant 1/2 has square loss exactly 1/4 on every example
    assert run.loss == pytest.approx(0.25) and run.status == "accepted"
    draws = Refuter(K, M, weights.normal(), _stub(), runs=1, threshold=0.35, chunk_size=CHUNK, draws=50)
    draws.run_once(_planted(rng, 200), rng)
    assert RecordingLearner.log[-1]["fit"] == 50 and RecordingLearner.log[-1]["predict"] == 200


def test_held_out_form_trains_and_tests_on_disjoint_parts_with_margin():
    RecordingLearner.log = []
    rng = np.random.default_rng(2)
    refuter = Refuter(K, M, weights.normal(), _stub(value=0.5), runs=1, threshold=0.3, holdout=0.5, chunk_size=CHUNK)
    run = refuter.run_once(_planted(rng, 200), rng)
    entry = RecordingLearner.log[-1]
    assert entry["fit"] == 100 and entry["predict"] == 100 and run.form == "held-out"
    assert "held-out form with margin" in refuter.form and refuter.learner_accuracy == pytest.approx(0.15)
    with pytest.raises(ValueError, match="holdout"):
        Refuter(K, M, weights.normal(), holdout=0.3)  # a part below half of S: the margin argument fails
    with pytest.raises(ValueError, match="draws"):
        Refuter(K, M, weights.normal(), holdout=0.5, draws=10)


def test_threshold_decides_and_clip_is_applied():
    rng = np.random.default_rng(3)
    # constant 2 is clipped to 1: loss = fraction of label-0 examples, about 1/2 > 0.35
    run = Refuter(K, M, weights.normal(), _stub(value=2.0), runs=1, threshold=0.35, chunk_size=CHUNK).run_once(
        _planted(rng, 200), rng
    )
    assert run.status == "rejected" and 0.35 < run.loss < 0.65


def test_unknown_learner_gives_unknown_never_a_refutation():
    rng = np.random.default_rng(4)
    refuter = Refuter(K, M, weights.normal(), _stub(found=None), runs=3, chunk_size=CHUNK)
    res = refuter.decide(random_formula(N_VARS, 100 * CHUNK, K, rng), rng)
    assert [r.status for r in res.runs] == ["unknown"] * 3
    assert res.answer == "unknown" and res.refuted is None and res.unknown_runs == 3
    # found_ False (proved: no hypothesis) is a rejection, hence a refutation when every run rejects
    res = Refuter(K, M, weights.normal(), _stub(found=False), runs=2, chunk_size=CHUNK).decide(
        random_formula(N_VARS, 100 * CHUNK, K, rng), rng
    )
    assert res.answer == "random" and res.refuted is True and res.unknown_runs == 0


def test_exact_network_learner_passes_unknown_through():
    class OutOfBudget:
        def fit(self, blocks, labels):
            self.found_, self.psi_ = None, None
            return self

    rng = np.random.default_rng(5)
    refuter = Refuter(
        K, M, weights.normal(), lambda emb: ExactNetworkLearner(emb, OutOfBudget()), runs=2, chunk_size=CHUNK
    )
    res = refuter.decide(_planted(rng, 100), rng)
    assert res.answer == "unknown" and all(r.status == "unknown" for r in res.runs)


def test_public_part_and_rerandomisation_redrawn_every_run():
    RecordingLearner.log = []
    rng = np.random.default_rng(6)
    refuter = Refuter(K, M, weights.normal(), _stub(), runs=4, chunk_size=CHUNK)
    refuter.decide(_planted(rng, 60), rng)
    embs = [e["embedding"] for e in RecordingLearner.log[-4:]]
    for i in range(4):
        for j in range(i):
            assert not np.array_equal(embs[i].A, embs[j].A)
            assert not np.array_equal(embs[i].u, embs[j].u) and embs[i].b0 != embs[j].b0
    # fresh rho and Lemma 15 coins: the labels differ between runs
    ys = [e["y"] for e in RecordingLearner.log[-4:]]
    assert not all(np.array_equal(ys[0], y) for y in ys[1:])


def test_embedding_failure_counts_as_reject():
    rng = np.random.default_rng(7)
    refuter = Refuter(K, M, weights.normal(), _stub(value=0.5), runs=3, chunk_size=CHUNK, width=M)
    res = refuter.decide(_planted(rng, 60), rng)  # width M: routing needs all M neurons with u <= -tau
    assert any(r.status == "embedding failed" for r in res.runs)
    assert all(r.status in ("embedding failed", "accepted") for r in res.runs)
    if all(r.status == "embedding failed" for r in res.runs):
        assert res.answer == "random"


def test_greedy_failure_answers_satisfiable_in_every_run():
    rng = np.random.default_rng(12)
    refuter = Refuter(3, 4, weights.normal(), runs=2, threshold=0.35)
    res = refuter.decide(random_formula(12, 12 * 10, 3, rng), rng)  # chunks of n = 12 rarely give 4 disjoint
    assert res.answer == "satisfiable" and all(r.status == "greedy failed" for r in res.runs)


def test_refuter_separates_planted_and_random_in_proof_form():
    rng = np.random.default_rng(11)
    # |S| = 800: with fewer examples ERM over 2^16 networks overfits its oracle draws and the loss on S can pass 0.35
    refuter = Refuter(K, M, weights.rademacher(), runs=2, threshold=0.35, chunk_size=CHUNK)
    planted = [_planted(rng, 800) for _ in range(2)]
    random_ = [random_formula(N_VARS, 800 * CHUNK, K, rng) for _ in range(2)]
    tp, tr = run_tally(refuter, planted, rng, 2), run_tally(refuter, random_, rng, 2)
    assert tp.accepted == 4 and tr.accepted == 0 and tp.runs == tr.runs == 4


def test_error_bound_arithmetic():
    n = 20
    assert random_input_error_bound(False, 3, 2.0**-n) == 3 * 2.0**-n
    assert random_input_error_bound(True, 3, 2.0**-n) == 1.0  # greedy failure is not multiplied by R
    assert random_input_error_bound(False, 3, 0.4) == 1.0
    # counting: 2^n hypotheses times e^{-|S|/32} at eps = 1/8
    S = 3200
    assert per_run_acceptance_bound(n, S, 1 / 8) == pytest.approx(2.0**n * np.exp(-S / 32))
    assert fixed_hypothesis_bound(S, 1 / 8) == pytest.approx(
        float(bounds.SQUARE_LOSS_SCATTERED.subs(bounds.symbols.m, S))
    )
    assert fixed_hypothesis_bound(100, 0.3) == 1.0  # above the fair-coin mean 1/4 nothing is promised
    assert fixed_hypothesis_bound(600, 0.35, "binary") == pytest.approx(np.exp(-2 * 0.15**2 * 600))
    # amplification: p >= 1 - 4^{-1/3} ~ 0.370 at R = 3; 9/16 at R = 2 gives 207/256
    p, R = bounds.symbols.p, bounds.symbols.R
    p_min = sp.nsolve(bounds.AMPLIFICATION.subs(R, 3) - sp.Rational(3, 4), p, 0.3)
    assert abs(float(p_min) - (1 - 4 ** (-1 / 3))) < 1e-12 and 0.369 < float(p_min) < 0.371
    assert bounds.AMPLIFICATION.subs({p: sp.Rational(9, 16), R: 2}) == sp.Rational(207, 256)


def test_fixed_hypothesis_bound_against_simulation():
    # a constant-1/2 hypothesis has loss exactly 1/4; f = 0.3 gives mean 0.29: P(loss <= 1/8) must sit below the bound
    rng = np.random.default_rng(13)
    S = 64
    y = rng.integers(0, 2, size=(20000, S))
    loss = np.mean((0.3 - y) ** 2, axis=1)
    assert np.mean(loss <= 0.2) <= fixed_hypothesis_bound(S, 0.2)


def test_refuter_parameters():
    with pytest.raises(ValueError, match="threshold"):
        Refuter(3, 4, weights.normal(), threshold=0.6)
    with pytest.raises(ValueError, match="runs"):
        Refuter(3, 4, weights.normal(), runs=0)
    with pytest.raises(TypeError, match="law"):
        Refuter(3, 4, "normal")
    with pytest.raises(TypeError, match="runs"):
        Refuter(3, 4, weights.normal(), runs=2.5)
    with pytest.raises(TypeError, match="formula"):
        Refuter(3, 4, weights.normal()).run_once("not a formula", np.random.default_rng(0))
    with pytest.raises(ValueError, match="values"):
        fixed_hypothesis_bound(10, 0.1, "ternary")
    with pytest.raises(ValueError, match="per_run_bound"):
        random_input_error_bound(False, 2, 1.5)


def test_real_sat_learner_out_of_budget_is_unknown_not_random():
    """The whole path with the real solver: an exhausted conflict budget on a random formula
    (whose sample no psi fits) must give "unknown", never the refutation "random"."""
    from natweights.learners import SatLearner

    rng = np.random.default_rng(8)
    refuter = Refuter(
        K,
        M,
        weights.normal(),
        lambda emb: ExactNetworkLearner(emb, SatLearner(conflict_budget=1)),
        runs=2,
        threshold=0.35,
        chunk_size=CHUNK,
    )
    res = refuter.decide(random_formula(N_VARS, 300 * CHUNK, K, rng), rng)
    assert res.answer == "unknown" and res.refuted is None
    assert {r.status for r in res.runs} <= {"unknown", "embedding failed"} and res.unknown_runs >= 1


def test_block_baselines_recover_the_planted_assignment_and_reject_bad_input():
    from natweights.block_baselines import XorEliminationBaseline, gf2_solution, positive_clauses
    from natweights.ksat import planted_formula, random_formula

    rng = np.random.default_rng(11)
    formula, psi = planted_formula(30, 300, 3, rng, true_count_law="xor")
    sol = gf2_solution(formula)
    assert sol is not None and np.all(formula.literal_values(sol).prod(axis=1) == 1)
    assert np.array_equal(sol, psi)  # 300 equations in 30 unknowns: full rank, unique solution
    assert gf2_solution(random_formula(30, 300, 3, rng)) is None  # an over-determined random system is inconsistent
    with pytest.raises(TypeError, match="blocks"):
        positive_clauses(formula, np.ones(300))
    with pytest.raises(TypeError, match="blocks"):
        XorEliminationBaseline().fit("not blocks", [1])


def test_sat_network_learner_and_literal_vote():
    from natweights.block_baselines import LiteralVote
    from natweights.chain import planted_chain_sample
    from natweights.embedding import draw_embedding
    from natweights.learners import SatLearner
    from natweights.refuter import ExactNetworkLearner, sat_network_learner

    rng = np.random.default_rng(11)
    emb = draw_embedding(20, 3, 3, weights.normal(), rng, m=12)
    learner = sat_network_learner(emb)
    assert isinstance(learner, ExactNetworkLearner) and isinstance(learner.block_learner, SatLearner)
    assert learner.block_learner.positive_only and learner.block_learner.max_errors == 0
    with pytest.raises(TypeError, match="embedding must be a NaturalEmbedding"):
        sat_network_learner(None)
    # the literal vote recovers the planted psi of a naive planted sample: its test error is the label noise
    sample = planted_chain_sample(20, 3, 3, 2000, rng, chunk_size=240)
    train, test = sample[np.arange(1000)], sample[np.arange(1000, 2000)]
    vote = LiteralVote().fit(train.blocks, train.labels)
    assert vote.psi_.dtype == np.int8 and set(np.unique(vote.psi_)) <= {-1, 1}
    errors = int(np.sum(vote.predict(test.blocks) != test.labels))
    assert abs(errors / 1000 - 0.5 * (7 / 8) ** 3) < 0.06
    with pytest.raises(ValueError, match="labels must have one entry per block"):
        LiteralVote().fit(train.blocks, train.labels[:3])
