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


# ---- exact values: error counts, the returned hypothesis, memory estimates, the encoding ----


def _direct_counts(blocks, labels):
    """Training errors of every psi, one assignment at a time (independent of both kernels and the naive one)."""
    from natweights.learners import index_to_assignment

    labels = np.asarray(labels)
    return np.array(
        [int(np.sum(block_satisfied(index_to_assignment(a, blocks.n), blocks) != labels)) for a in range(2**blocks.n)]
    )


def test_index_to_assignment_and_truth_tables_exact():
    from natweights.erm_kernel import LOW_PATTERNS
    from natweights.learners import index_to_assignment

    psi = index_to_assignment(0b01011, 5)
    assert psi.dtype == np.int8 and psi.tolist() == [1, 1, -1, 1, -1]
    assert index_to_assignment(2**6 - 1, 6).tolist() == [1] * 6 and index_to_assignment(0, 2).tolist() == [-1, -1]
    small = assignment_bits(3)
    assert small.shape == (3, 1) and small[:, 0].tolist() == list(LOW_PATTERNS[:3])
    t = assignment_bits(9)
    assert t.shape == (9, 8) and t.dtype == np.uint64
    bits = np.unpackbits(t.view(np.uint8), bitorder="little").reshape(9, -1)
    assert np.array_equal(bits, (np.arange(512)[None, :] >> np.arange(9)[:, None]) & 1)


@pytest.mark.parametrize("engine", ["numba", "numpy"])
@pytest.mark.parametrize("n, K, M, N", [(1, 1, 1, 1), (3, 1, 2, 2), (5, 2, 2, 3), (7, 3, 2, 64), (8, 2, 3, 129)])
def test_erm_counts_and_hypothesis_exact(rng, engine, n, K, M, N):
    from natweights.learners import index_to_assignment, numpy_error_counts

    s = scattered_sample(n, K, M, N, rng)
    direct = _direct_counts(s.blocks, s.labels)
    for chunk in (1, 3, 1 << 16):
        naive = naive_error_counts(s.blocks, s.labels, chunk=chunk)
        assert naive.dtype == np.int64 and np.array_equal(naive, direct)
    for tile in (1, 2, 3, 8192):  # 3 does not divide the 4 words of n = 8: a shorter last tile
        counts = numpy_error_counts(s.blocks, s.labels, tile_words=tile)
        assert counts.dtype == np.uint16 and np.array_equal(counts, direct)
    erm = BruteForceERM(engine=engine, tile_words=1).fit(s.blocks, s.labels)
    assert erm.error_counts_.dtype == np.uint16 and np.array_equal(erm.error_counts_, direct)
    best = int(np.flatnonzero(direct == direct.min())[0])  # the lowest-index minimiser
    assert np.array_equal(erm.psi_, index_to_assignment(best, n)) and erm.psi_.dtype == np.int8
    assert type(erm.min_errors_) is int and erm.min_errors_ == erm.training_errors_ == direct.min()
    pred = erm.predict(s.blocks)
    assert pred.dtype == np.int8 and np.array_equal(pred, block_satisfied(erm.psi_, s.blocks))


def test_erm_counts_in_uint32_from_two_to_the_sixteen_examples(rng):
    blocks = random_blocks(4, 1, 1, 2**16, rng)
    labels = np.zeros(2**16, dtype=int)
    expected = _direct_counts(blocks, labels)
    assert expected.max() > 2**15
    counts = BruteForceERM().fit(blocks, labels).error_counts_
    assert counts.dtype == np.uint32 and np.array_equal(counts, expected)


def test_naive_counts_of_an_empty_sample_are_zero(rng):
    b = random_blocks(4, 2, 1, 3, rng)[[]]
    assert np.array_equal(naive_error_counts(b, []), np.zeros(16, dtype=np.int64))


@pytest.fixture
def memory(monkeypatch):
    """Pretend the machine has ``memory.set(nbytes)`` bytes of physical memory."""
    from natweights import learners, validation

    class Memory:
        def set(self, nbytes):
            monkeypatch.setattr(validation, "physical_memory", lambda: nbytes)
            monkeypatch.setattr(learners, "physical_memory", lambda: nbytes)

    return Memory()


def test_memory_estimates_exact_at_the_boundary(rng, memory):
    from natweights.learners import numpy_error_counts
    from natweights.reduction import random_blocks as rb
    from natweights.validation import MemoryRequestError

    s = scattered_sample(10, 2, 2, 5, rng)
    # numba: the uint16 counts, 2 * 2^10 bytes
    memory.set(2048)
    BruteForceERM().fit(s.blocks, s.labels)
    memory.set(2047)
    with pytest.raises(
        MemoryRequestError,
        match=r"^BruteForceERM over 2\^10 assignments \(engine 'numba'; on this machine n <= 9 fits with 5 examples, "
        r"2047 bytes\) would need about 2048 bytes",
    ):
        BruteForceERM().fit(s.blocks, s.labels)
    memory.set(1023)
    with pytest.raises(MemoryRequestError, match=r"n <= 8 fits"):
        BruteForceERM().fit(s.blocks, s.labels)
    memory.set(3)
    with pytest.raises(MemoryRequestError, match=r"n <= 0 fits"):
        BruteForceERM().fit(s.blocks, s.labels)
    # numpy: 8 bytes x 16 words x (10 variables + 3 bit planes) + 2^10 x 17 bytes + the counts
    numpy_bytes = 8 * 16 * 13 + 1024 * 17 + 2048
    memory.set(numpy_bytes)
    BruteForceERM(engine="numpy").fit(s.blocks, s.labels)
    numpy_error_counts(s.blocks, s.labels)
    memory.set(numpy_bytes - 1)
    with pytest.raises(MemoryRequestError, match=r"^BruteForceERM over 2\^10 assignments \(engine 'numpy'; .*n <= 9 "):
        BruteForceERM(engine="numpy").fit(s.blocks, s.labels)
    with pytest.raises(
        MemoryRequestError, match=r"^numpy_error_counts over 2\^10 assignments would need about 21120 bytes"
    ):
        numpy_error_counts(s.blocks, s.labels)
    # naive: 8 x 2^n + 2 x rows x (8n + N M K) with rows = min(chunk, 2^n); an empty sample counts as one example
    b = rb(6, 2, 2, 5, rng)
    labels = np.zeros(5, dtype=int)
    for chunk, rows in ((16, 16), (1000, 64)):
        need = 8 * 64 + 2 * rows * (8 * 6 + 5 * 2 * 2)
        memory.set(need)
        naive_error_counts(b, labels, chunk=chunk)
        memory.set(need - 1)
        with pytest.raises(MemoryRequestError, match=r"^naive_error_counts over 2\^6 assignments"):
            naive_error_counts(b, labels, chunk=chunk)
    memory.set(8 * 64 + 2 * 64 * (8 * 6 + 4))
    naive_error_counts(b[[]], [])
    memory.set(8 * 64 + 2 * 64 * (8 * 6 + 4) - 1)
    with pytest.raises(MemoryRequestError, match=r"^naive_error_counts"):
        naive_error_counts(b[[]], [])
    # truth tables: 8 bytes x n x words
    memory.set(8 * 8 * 4)
    assignment_bits(8)
    memory.set(8 * 8 * 4 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the truth tables of all 2\^8 assignments"):
        assignment_bits(8)
    memory.set(8 * 3 * 1)
    assignment_bits(3)
    memory.set(8 * 3 * 1 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the truth tables of all 2\^3 assignments"):
        assignment_bits(3)


def test_n_above_max_n_names_the_memory_it_would_need():
    from natweights.reduction import Blocks

    one = Blocks(35, [[[0, 1]]], [[[1, -1]]])
    # numba: uint16 counts, 2 x 2^35 bytes; numpy also the truth tables, bit planes and unpacking buffers
    with pytest.raises(
        ValueError, match=r"^blocks: BruteForceERM enumerates 2\^n .* n = 35 exceeds max_n = 34 .*about 64 GiB"
    ):
        BruteForceERM().fit(one, [1])
    with pytest.raises(ValueError, match=r"n = 35 exceeds max_n = 34 \(it would need about 752 GiB of memory\)"):
        BruteForceERM(engine="numpy").fit(one, [1])
    many = Blocks(35, np.tile([[[0, 1]]], (2**16, 1, 1)), np.tile([[[1, -1]]], (2**16, 1, 1)))
    with pytest.raises(ValueError, match=r"about 128 GiB"):  # uint32 counts from 2^16 examples on
        BruteForceERM().fit(many, np.ones(2**16, dtype=int))


def test_engine_must_be_a_string():
    with pytest.raises(TypeError, match=r"^engine must be one of \('numba', 'numpy'\), got 1"):
        BruteForceERM(engine=1)
    assert BruteForceERM(engine="numpy", tile_words=3).tile_words == 3


def _two_blocks():
    from natweights.reduction import Blocks

    # n = 5, K = 2, M = 2: block 0 = (x1 or not x2) and (not x3 or x4), block 1 = (not x5 or not x3) and (x1 or x2)
    return Blocks(5, [[[0, 1], [2, 3]], [[4, 2], [0, 1]]], [[[1, -1], [-1, 1]], [[-1, -1], [1, 1]]])


def test_sat_encoding_exact():
    b = _two_blocks()
    clauses, relax, top = SatLearner.encode(b, [1, 0], relax=False)
    # label 1: both clauses; label 0: y6 -> not lit for clause 1, y7 for clause 2, and y6 or y7
    assert clauses == [[1, -2], [-3, 4], [-6, 5], [-6, 3], [-7, -1], [-7, -2], [6, 7]]
    assert relax is None and top == 7
    assert all(type(lit) is int for c in clauses for lit in c)
    clauses, relax, top = SatLearner.encode(b, [1, 0], relax=True)
    assert clauses == [[1, -2, 6], [-3, 4, 6], [-8, 5], [-8, 3], [-9, -1], [-9, -2], [8, 9, 7]]
    assert relax == [6, 7] and top == 9
    clauses, relax, top = SatLearner.encode(b, [0, 1], relax=True)
    assert clauses == [[-7, -1], [-7, 2], [-8, 3], [-8, -4], [7, 8, 6], [-5, -3, 9], [1, 2, 9]]
    assert relax == [6, 9] and top == 9
    assert SatLearner.encode(b[[]], [], relax=True) == ([], [], 5)
    with pytest.raises(TypeError, match=r"^relax must be True or False, got 1"):
        SatLearner.encode(b, [1, 0], relax=1)


def test_sat_encoding_refuses_more_than_32_bit_variables():
    from natweights.reduction import Blocks

    # n + N (1 + M) variables at most: 2^31 - 2 is fine, 2^31 - 1 is not
    assert SatLearner.encode(Blocks(2**31 - 4, [[[0, 1]]], [[[1, -1]]]), [1], relax=False) == (
        [[1, -2]],
        None,
        2**31 - 4,
    )
    with pytest.raises(
        ValueError, match=r"^blocks: the encoding needs about 2147483647 SAT variables \(n = 2147483645"
    ):
        SatLearner.encode(Blocks(2**31 - 3, [[[0, 1]]], [[[1, -1]]]), [1], relax=False)


def test_sat_learner_statuses_stats_and_refusals(rng):
    from pysat.card import CardEnc, EncType

    blocks, labels = _hard_sample(rng)
    out = SatLearner(conflict_budget=1).fit(blocks, labels)
    assert (out.status, out.found_, out.psi_, out.training_errors_) == ("unknown", None, None, None)
    assert out.stats["conflicts"] <= 1 and out.stats["clauses"] == len(SatLearner.encode(blocks, labels, False)[0])
    with pytest.raises(
        RuntimeError, match=r"^no hypothesis: the solver ran out of its conflict budget \(status 'unknown'\)"
    ):
        out.predict(blocks)
    out = SatLearner(conflict_budget=10**6).fit(blocks, labels)
    assert (out.status, out.found_, out.psi_, out.training_errors_) == ("unsat", False, None, None)
    with pytest.raises(RuntimeError, match=r"^no hypothesis: the solver found no psi within the error budget$"):
        out.predict(blocks)
    assert 0 <= out.stats["seconds"] < 60
    # the cardinality encoding asked for is the one used: its clauses are counted
    s = scattered_sample(9, 3, 2, 40, rng)
    clauses, relax, top = SatLearner.encode(s.blocks, s.labels, True)
    for name in ("seqcounter", "totalizer", "kmtotalizer"):
        card = CardEnc.atmost(lits=relax, bound=5, top_id=top, encoding=getattr(EncType, name))
        fit = SatLearner(max_errors=5, cardinality=name).fit(s.blocks, s.labels)
        assert fit.stats["clauses"] == len(clauses) + len(card.clauses), name
    optimum = SatLearner(max_errors=None).fit(s.blocks, s.labels)
    assert optimum.stats["cost"] == optimum.training_errors_ == BruteForceERM().fit(s.blocks, s.labels).min_errors_
    assert optimum.stats["clauses"] == len(clauses) and 0 <= optimum.stats["seconds"] < 60
    with pytest.raises(ValueError, match=r"^conflict_budget: the MaxSAT path \(max_errors=None\) runs RC2"):
        SatLearner(max_errors=None, conflict_budget=5)
    for bad in ("magic", 3):
        with pytest.raises(ValueError, match=r"^cardinality must be one of PySAT's EncType names \[.*'seqcounter'"):
            SatLearner(cardinality=bad)
    assert SatLearner(positive_only=np.True_).positive_only is True
    assert SatLearner(conflict_budget=1).conflict_budget == 1 and SatLearner(max_errors=2).max_errors == 2


def test_sat_learner_positive_only_without_positives_returns_all_plus_one(rng):
    s = scattered_sample(8, 2, 2, 30, rng)
    labels = np.zeros(30, dtype=int)
    sat = SatLearner(positive_only=True).fit(s.blocks, labels)
    # nothing is encoded: the empty model leaves every variable at +1
    assert sat.status == "sat" and sat.found_ is True and sat.psi_.tolist() == [1] * 8
    assert sat.training_errors_ == int(np.sum(block_satisfied(np.ones(8, dtype=np.int8), s.blocks)))


def test_maxsat_refusal_lists_the_solvers_and_accepts_aliases(rng):
    import re

    from natweights.learners import MAXSAT_SOLVERS

    with pytest.raises(ValueError, match=r"^solver 'kissat404' cannot run .*" + re.escape(str(MAXSAT_SOLVERS))):
        SatLearner(max_errors=None, solver="kissat404")
    s = scattered_sample(8, 3, 2, 30, rng)
    best = BruteForceERM().fit(s.blocks, s.labels).min_errors_
    for alias in ("g4", "m22", "mgh", "cd19"):
        sat = SatLearner(max_errors=None, solver=alias).fit(s.blocks, s.labels)
        assert sat.stats["solver"] == alias and sat.solver_used == alias and sat.training_errors_ == best


def test_default_engine_is_the_fused_kernel(rng, monkeypatch):
    from natweights import learners

    calls = []
    kernel = learners.fused_error_counts
    monkeypatch.setattr(learners, "fused_error_counts", lambda *a: calls.append(1) or kernel(*a))
    s = scattered_sample(6, 2, 2, 20, rng)
    assert BruteForceERM().engine == "numba"
    numba_counts = BruteForceERM().fit(s.blocks, s.labels).error_counts_
    assert calls == [1]
    numpy_counts = BruteForceERM(engine="numpy").fit(s.blocks, s.labels).error_counts_
    assert calls == [1] and np.array_equal(numba_counts, numpy_counts)


class _Stub:
    """An estimator that warns while fitting and predicts 1 on every row."""

    def fit(self, X, y):
        import warnings

        from sklearn.exceptions import ConvergenceWarning

        self.shape_ = X.shape
        warnings.warn("did not converge", ConvergenceWarning, stacklevel=2)
        warnings.warn("something else", UserWarning, stacklevel=2)
        return self

    def predict(self, X):
        return np.ones(len(X), dtype=np.int64)


def test_sklearn_learner_wrapper_exact(rng, memory):
    import warnings

    from natweights.learners import SklearnLearner
    from natweights.reduction import signed_incidence
    from natweights.validation import MemoryRequestError

    class FitOnly:
        def fit(self, X, y):
            return self

    with pytest.raises(TypeError, match=r"^estimator must have fit and predict methods .*got FitOnly$"):
        SklearnLearner(FitOnly())
    with pytest.raises(TypeError, match=r"^name must be a string or None, got 3$"):
        SklearnLearner(_Stub(), name=3)
    learner = SklearnLearner(_Stub())
    assert learner.name == "_Stub" and repr(learner) == "SklearnLearner(_Stub)"
    assert SklearnLearner(_Stub(), name="stub").name == "stub"
    s = scattered_sample(7, 2, 3, 12, rng)
    labels = np.arange(12) % 2
    # the features: the M signed incidence vectors of each block, concatenated, as floats
    X = SklearnLearner.features(s.blocks)
    assert X.dtype == np.float64 and np.array_equal(X, signed_incidence(s.blocks).reshape(12, 21))
    memory.set(8 * 12 * 3 * 7)
    SklearnLearner.features(s.blocks)
    memory.set(8 * 12 * 3 * 7 - 1)
    with pytest.raises(MemoryRequestError, match=r"^the dense features of 12 blocks \(N x Mn = 12 x 21 floats\)"):
        SklearnLearner.features(s.blocks)
    memory.set(2**40)
    # only the convergence warning is silenced
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        learner.fit(s.blocks, labels)
    assert [w.category for w in caught] == [UserWarning]
    assert learner.estimator.shape_ == (12, 21) and learner.constant_ is None
    pred = learner.predict(s.blocks)
    assert pred.dtype == np.int8 and pred.tolist() == [1] * 12
    # one label only: the constant hypothesis, the estimator is not fitted
    for value in (0, 1):
        constant = SklearnLearner(_Stub()).fit(s.blocks, np.full(12, value))
        assert constant.constant_ == value and not hasattr(constant.estimator, "shape_")
        pred = constant.predict(s.blocks[:5])
        assert pred.dtype == np.int8 and pred.tolist() == [value] * 5
    mixed = np.zeros(12, dtype=int)
    mixed[1] = 1  # the first label repeated by all but one
    with pytest.warns(UserWarning, match="something else"):
        assert SklearnLearner(_Stub()).fit(s.blocks, mixed).constant_ is None
    with pytest.raises(ValueError, match=r"^blocks have n = 8 variables, the SklearnLearner was fitted with n = 7$"):
        learner.predict(scattered_sample(8, 2, 3, 4, rng).blocks)


def test_sklearn_factories_configure_their_estimators():
    from natweights.learners import x_learners

    lr = logistic_regression(C=2.5)
    assert lr.name == "logistic regression" and lr.estimator.C == 2.5 and lr.estimator.max_iter == 5000
    assert logistic_regression().estimator.C == 1.0
    svm = kernel_svm(C=3.0, gamma="auto")
    assert svm.name == "kernel SVM (RBF)" and svm.estimator.kernel == "rbf"
    assert (svm.estimator.C, svm.estimator.gamma) == (3.0, "auto")
    assert kernel_svm().estimator.C == 1.0 and kernel_svm().estimator.gamma == "scale"
    assert kernel_svm(gamma=0.25).estimator.gamma == 0.25
    with pytest.raises(ValueError, match=r"^C must lie in"):
        kernel_svm(C=0.0)
    with pytest.raises(ValueError, match=r"^gamma must lie in"):
        kernel_svm(gamma=0.0)
    with pytest.raises(ValueError, match=r"^gamma must be 'scale', 'auto' or a positive number, got 'wide'$"):
        kernel_svm(gamma="wide")
    net = mlp(7, hidden=5, max_iter=9)
    assert net.name == "MLP (5 ReLU, Adam)"
    e = net.estimator
    assert (e.hidden_layer_sizes, e.solver, e.max_iter, e.random_state, e.early_stopping) == ((5,), "adam", 9, 7, False)
    e = mlp(0).estimator
    assert (e.hidden_layer_sizes, e.max_iter) == ((64,), 500)
    with pytest.raises(ValueError, match=r"^max_iter must be positive"):
        mlp(0, max_iter=0)
    gb = gradient_boosting(11)
    assert gb.name == "gradient boosting" and gb.estimator.random_state == 11
    # seeds: any 32-bit unsigned integer
    for make in (lambda seed: mlp(seed), gradient_boosting, x_learners):
        make(2**32 - 1)
        with pytest.raises(ValueError, match=r"^seed must be at most 4294967295"):
            make(2**32)
        with pytest.raises(ValueError, match=r"^seed must be non-negative"):
            make(-1)
    assert mlp(2**32 - 1).estimator.random_state == 2**32 - 1
    assert x_learners()["logistic on x"].max_iter == 5000


class _ConstantLearner:
    """Predicts ``value`` everywhere; records the sizes it was fitted on; ``found_`` as given."""

    def __init__(self, value, found=True, status=None):
        self.value, self.found_, self.sizes = value, found, []
        if status is not None:
            self.status = status

    def fit(self, blocks, labels):
        self.sizes.append(len(blocks))
        return self

    def predict(self, blocks):
        return np.full(len(blocks), self.value, dtype=np.int8)


def test_distinguisher_errors_and_answers_exact(rng):
    from natweights.learners import Decision

    blocks = random_blocks(8, 2, 2, 8, rng)
    sample = LabelledSample(blocks, [1, 1, 1, 1, 1, 1, 0, 0])
    # proof's version: fitted on |S| draws (or `draws`), tested on all of S; error 2/8 against beta
    learner = _ConstantLearner(1)
    at = Distinguisher(learner, beta=0.25, holdout=None).decide(sample, rng)
    assert (at.answer, at.error, at.beta, at.n_train, at.n_test, at.details) == ("realizable", 0.25, 0.25, 8, 8, {})
    assert at.realizable is True
    below = Distinguisher(learner, beta=0.249, holdout=None, draws=3).decide(sample, rng)
    assert (below.answer, below.error, below.n_train, below.n_test) == ("unrealizable", 0.25, 3, 8)
    assert below.realizable is False and learner.sizes == [8, 3]
    # holdout: fitted on the rest, tested on the held-out fraction
    learner = _ConstantLearner(0)
    d = Distinguisher(learner, beta=0.3, holdout=0.25).decide(sample, rng)
    assert (d.n_train, d.n_test) == (6, 2) and learner.sizes == [6] and d.error in (0.0, 0.5, 1.0)
    # a learner that proved no hypothesis exists, or ran out of budget
    d = Distinguisher(_ConstantLearner(1, found=False), beta=0.3, holdout=None).decide(sample, rng)
    assert d.answer == "unrealizable" and np.isnan(d.error) and (d.n_train, d.n_test, d.details) == (8, 8, {})
    d = Distinguisher(_ConstantLearner(1, found=None, status="unknown"), beta=0.3).decide(sample, rng)
    assert d.answer == "unknown" and np.isnan(d.error) and d.realizable is None
    assert (d.beta, d.n_train, d.n_test, d.details) == (0.3, 4, 4, {"status": "unknown"})
    d = Distinguisher(_ConstantLearner(1, found=None), beta=0.3).decide(sample, rng)
    assert d.details == {"status": "unknown"}  # a learner without a status attribute
    assert Decision("realizable", 0.1, 0.2, 3, 4).details == {}
    with pytest.raises(
        ValueError, match=r"^answer must be one of \('realizable', 'unrealizable', 'unknown'\), got 'yes'$"
    ):
        Decision("yes", 0.1, 0.2, 3, 4)


def test_distinguisher_refusals_name_the_parameter(rng):
    sample = LabelledSample(random_blocks(8, 2, 2, 2, rng), [1, 0])
    with pytest.raises(
        ValueError, match=r"^sample has 1 examples; the distinguisher needs at least 2 \(one to train on"
    ):
        Distinguisher(_ConstantLearner(1), beta=0.2).decide(sample[[0]], rng)
    with pytest.raises(
        ValueError, match=r"^sample has 0 examples; .* at least 1 \(an empty sample has no error rate\)"
    ):
        Distinguisher(_ConstantLearner(1), beta=0.2, holdout=None).decide(sample[[]], rng)
    Distinguisher(_ConstantLearner(1), beta=0.2, holdout=None).decide(sample[[0]], rng)
    for bad in (dict(holdout=0.0), dict(holdout=1.0)):
        with pytest.raises(ValueError, match=r"^holdout must lie in \(0, 1\)"):
            Distinguisher(_ConstantLearner(1), beta=0.2, **bad)
    with pytest.raises(ValueError, match=r"^beta must lie in \(0, 0.5\)"):
        Distinguisher(_ConstantLearner(1), beta=0.0)
    with pytest.raises(ValueError, match=r"^draws must be positive"):
        Distinguisher(_ConstantLearner(1), beta=0.2, draws=0)
    d = Distinguisher(_ConstantLearner(1), beta=0.2, holdout=None, draws=1)
    assert (d.beta, d.holdout, d.draws) == (0.2, None, 1)

    class PredictOnly:
        def predict(self, blocks):
            return None

    with pytest.raises(TypeError, match=r"^learner must have fit and predict methods, got PredictOnly$"):
        Distinguisher(PredictOnly(), beta=0.2)


def test_learner_messages_and_boundaries(rng, memory):
    from natweights.learners import index_to_assignment
    from natweights.reduction import Blocks
    from natweights.validation import MemoryRequestError

    with pytest.raises(ValueError, match=r"^n must be positive"):
        index_to_assignment(0, 0)
    with pytest.raises(ValueError, match=r"^index must lie in \[0, 2\^n\) = \[0, 8\), got 8$"):
        index_to_assignment(8, 3)
    assert index_to_assignment(1, 1).tolist() == [1]
    s = scattered_sample(10, 2, 2, 5, rng)
    eight = scattered_sample(8, 2, 2, 5, rng).blocks
    # the largest n that fits: 2 x 2^k bytes of counts <= memory, from k = 1 on
    for nbytes, largest in ((1024, 9), (5, 1), (4, 1)):
        memory.set(nbytes)
        with pytest.raises(MemoryRequestError, match=rf"n <= {largest} fits with 5 examples"):
            BruteForceERM().fit(s.blocks, s.labels)
    memory.set(7)
    with pytest.raises(MemoryRequestError, match=r"^an assignment of n = 8 variables would need about 8 bytes"):
        SatLearner().fit(eight, np.ones(5, dtype=int))
    memory.set(2**40)
    for learner in (BruteForceERM(), SatLearner()):
        name = type(learner).__name__
        with pytest.raises(
            RuntimeError, match=rf"^this {name} is not fitted yet: call fit\(blocks, labels\) before predict$"
        ):
            learner.predict(s.blocks)
        learner.fit(s.blocks[:3], np.ones(3, dtype=int))
        pred = learner.predict(s.blocks)
        assert pred.dtype == np.int8 and np.array_equal(pred, block_satisfied(learner.psi_, s.blocks))
        assert learner.psi_.dtype == np.int8
        with pytest.raises(ValueError, match=rf"^blocks have n = 11 variables, the {name} was fitted with n = 10$"):
            learner.predict(Blocks(11, [[[0, 1]]], [[[1, -1]]]))
    with pytest.raises(
        ValueError, match=r"the MaxSAT path .*has no conflict budget; give max_errors an integer or drop"
    ):
        SatLearner(max_errors=None, conflict_budget=5)
    with pytest.raises(ValueError, match=r"^cardinality must be one of"):
        SatLearner(cardinality="__module__")  # only EncType's public names
    with pytest.raises(
        ValueError, match=r"SAT variables \(n = 2147483645 plus auxiliaries\), beyond PySAT's 32-bit literals$"
    ):
        SatLearner.encode(Blocks(2**31 - 3, [[[0, 1]]], [[[1, -1]]]), [1], relax=False)

    class FitOnly:
        def fit(self, blocks, labels):
            return self

    with pytest.raises(TypeError, match=r"^learner must have fit and predict methods, got FitOnly$"):
        Distinguisher(FitOnly(), beta=0.2)
    with pytest.raises(TypeError, match=r"^sample must be a LabelledSample, got Blocks$"):
        Distinguisher(BruteForceERM(), beta=0.2).decide(s.blocks, rng)


def test_sat_paths_run_the_solver_they_name(rng, monkeypatch):
    import pysat.examples.rc2
    import pysat.solvers

    names = []
    solver, rc2 = pysat.solvers.Solver, pysat.examples.rc2.RC2

    def spy_solver(*args, **kwargs):
        names.append(("sat", kwargs.get("name")))
        return solver(*args, **kwargs)

    def spy_rc2(*args, **kwargs):
        names.append(("rc2", kwargs.get("solver")))
        return rc2(*args, **kwargs)

    monkeypatch.setattr(pysat.solvers, "Solver", spy_solver)
    monkeypatch.setattr(pysat.examples.rc2, "RC2", spy_rc2)
    s = scattered_sample(8, 2, 2, 20, rng)
    SatLearner(max_errors=3).fit(s.blocks, s.labels)
    SatLearner(max_errors=3, solver="minisat22").fit(s.blocks, s.labels)
    SatLearner(max_errors=None).fit(s.blocks, s.labels)
    SatLearner(max_errors=None, solver="cadical153").fit(s.blocks, s.labels)
    assert names == [("sat", "cadical195"), ("sat", "minisat22"), ("rc2", "glucose4"), ("rc2", "cadical153")]
