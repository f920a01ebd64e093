"""Bad input is refused with a TypeError/ValueError naming the parameter (issue 13 items 4, 5, 7).

``PROBES`` lists (public name, call, exception, message pattern); every callable in the ``__all__``
of the library's modules owned here has at least one probe (``test_every_public_callable_is_probed``).
Explicit valid edge cases follow.
"""

import re

import numpy as np
import pytest

from natweights import (
    bounds,
    dnf,
    embedding,
    ksat,
    learners,
    networks,
    plotting,
    progress,
    reduction,
    stats,
    validation,
    weights,
)
from natweights.embedding import NaturalEmbedding, default_width, draw_embedding
from natweights.ksat import Formula
from natweights.learners import BruteForceERM, Distinguisher, SatLearner
from natweights.reduction import Blocks, LabelledSample

NAN, INF = float("nan"), float("inf")
G = np.random.default_rng(0)


def _formula():
    return ksat.random_formula(12, 40, 3, np.random.default_rng(1))


def _blocks():
    return reduction.random_blocks(8, 2, 2, 6, np.random.default_rng(2))


def _sample():
    b = _blocks()
    return LabelledSample(b, np.arange(len(b)) % 2)


_EMB = []


def _emb():
    if not _EMB:
        _EMB.append(NaturalEmbedding(6, 3, 2, weights.normal(), np.random.default_rng(3)))
    return _EMB[0]


V1 = [[[0, 1]]]  # one block, M = 1, K = 2
S1 = [[[1, -1]]]

PROBES = [
    # ksat
    (
        "check_assignment",
        lambda: ksat.check_assignment([1, 0, -1]),
        ValueError,
        r"psi must have entries in \{-1, \+1\}",
    ),
    ("check_assignment", lambda: ksat.check_assignment([1, NAN]), ValueError, r"psi must have entries"),
    ("check_assignment", lambda: ksat.check_assignment([1, -1], n=2.5), ValueError, r"^n must be an integer"),
    ("check_assignment", lambda: ksat.check_assignment(["a"]), TypeError, r"^psi must be an array"),
    ("random_assignment", lambda: ksat.random_assignment(NAN, G), ValueError, r"^n must be a finite integer"),
    ("random_assignment", lambda: ksat.random_assignment(5, 7), TypeError, r"^rng must be a numpy.random.Generator"),
    ("random_assignment", lambda: ksat.random_assignment(5, None), TypeError, r"^rng must be"),
    ("random_assignment", lambda: ksat.random_assignment(2**45, G), MemoryError, r"would need about 32 TiB"),
    ("distinct_tuples", lambda: ksat.distinct_tuples(5, -1, 2, G), ValueError, r"^count must be non-negative"),
    ("distinct_tuples", lambda: ksat.distinct_tuples(5, 3, 2.5, G), ValueError, r"^length must be an integer"),
    ("distinct_tuples", lambda: ksat.distinct_tuples(5, 2**40, 3, G), MemoryError, r"tuples of length 3 would need"),
    ("Formula", lambda: Formula(NAN, [[0, 1, 2]], [[1, 1, 1]]), ValueError, r"^n must be a finite integer"),
    ("Formula", lambda: Formula(0, [[0, 1, 2]], [[1, 1, 1]]), ValueError, r"^n must be positive"),
    ("Formula", lambda: Formula(-3, [[0, 1, 2]], [[1, 1, 1]]), ValueError, r"^n must be positive"),
    ("Formula", lambda: Formula(True, [[0]], [[1]]), TypeError, r"^n must be an integer"),
    ("Formula", lambda: Formula(5, [[0, 1.5, 2]], [[1, 1, 1]]), ValueError, r"^variables must hold integers"),
    ("Formula", lambda: Formula(5, [[0, NAN, 2]], [[1, 1, 1]]), ValueError, r"^variables must hold finite"),
    ("Formula", lambda: Formula(5, [[0, 1, 2]], [[1, 0.5, 1]]), ValueError, r"^signs must be ±1"),
    ("Formula", lambda: Formula(5, [[0, 1, 1]], [[1, 1, 1]]), ValueError, r"constraint 0 repeats a variable"),
    ("Formula", lambda: Formula(5, np.zeros((2, 0)), np.zeros((2, 0))), ValueError, r"K must be at least 1"),
    ("random_formula", lambda: ksat.random_formula(10, 40.7, 3, G), ValueError, r"^m must be an integer"),
    ("random_formula", lambda: ksat.random_formula(10, None, 3, G), TypeError, r"^m must be an integer"),
    ("random_formula", lambda: ksat.random_formula(INF, 4, 3, G), ValueError, r"^n must be a finite integer"),
    ("random_formula", lambda: ksat.random_formula(10, 4, 3, 42), TypeError, r"^rng must be"),
    ("planted_formula", lambda: ksat.planted_formula(10, 4, 3, 42), TypeError, r"^rng must be"),
    (
        "planted_formula",
        lambda: ksat.planted_formula(10, 4, 3, G, psi=[1] * 9),
        ValueError,
        r"psi must have length n = 10",
    ),
    ("planting_law", lambda: ksat.planting_law([0.5, NAN, 0.5], 3), ValueError, r"true_count_law must be non-negative"),
    ("planting_law", lambda: ksat.planting_law("quite", 3), ValueError, r"unknown planting law"),
    ("planting_law", lambda: ksat.planting_law("nae", 3, exact=1), TypeError, r"^exact must be True or False"),
    ("rerandomize", lambda: ksat.rerandomize("formula", [1]), TypeError, r"^formula must be a natweights"),
    ("rerandomize", lambda: ksat.rerandomize(_formula(), [1] * 11), ValueError, r"psi must have length n = 12"),
    ("solve", lambda: ksat.solve(_formula(), conflict_budget=0), ValueError, r"^conflict_budget must be positive"),
    ("solve", lambda: ksat.solve(_formula(), conflict_budget=True), TypeError, r"^conflict_budget must be an integer"),
    ("solve", lambda: ksat.solve(_formula(), solver="nosuch"), ValueError, r"^solver must be a PySAT solver name"),
    ("solve", lambda: ksat.solve([[1, 2, 3]]), TypeError, r"^formula must be a natweights"),
    (
        "SolveResult",
        lambda: ksat.solve(_formula(), conflict_budget=2.5),
        ValueError,
        r"^conflict_budget must be an integer",
    ),
    # reduction
    ("Blocks", lambda: Blocks(5, np.zeros((2, 0, 3)), np.zeros((2, 0, 3))), ValueError, r"M >= 1 clauses of K >= 1"),
    ("Blocks", lambda: Blocks(5, np.zeros((2, 3, 0)), np.zeros((2, 3, 0))), ValueError, r"M >= 1 clauses of K >= 1"),
    ("Blocks", lambda: Blocks(0, V1, S1), ValueError, r"^n must be positive"),
    ("Blocks", lambda: Blocks(NAN, V1, S1), ValueError, r"^n must be a finite integer"),
    ("Blocks", lambda: Blocks(5, [[[0, 1.25]]], S1), ValueError, r"^variables must hold integers"),
    ("Blocks", lambda: Blocks(5, [[[0, 0]]], S1), ValueError, r"block 0 repeats one"),
    ("Blocks", lambda: Blocks(5, V1, [[[1, 2]]]), ValueError, r"^signs must be ±1"),
    ("Blocks", lambda: Blocks.concatenate([]), ValueError, r"^parts must hold at least one"),
    ("Blocks", lambda: Blocks.concatenate([_blocks(), "x"]), TypeError, r"^parts must be a natweights"),
    ("GreedyOutcome", lambda: reduction.greedy_disjoint_blocks(_formula(), 0), ValueError, r"^M must be positive"),
    (
        "greedy_disjoint_blocks",
        lambda: reduction.greedy_disjoint_blocks(_formula(), 2.5),
        ValueError,
        r"^M must be an integer",
    ),
    (
        "greedy_disjoint_blocks",
        lambda: reduction.greedy_disjoint_blocks(_formula(), 2, chunk_size=-1),
        ValueError,
        r"^chunk_size must be positive",
    ),
    (
        "greedy_blocks_per_chunk",
        lambda: reduction.greedy_blocks_per_chunk(_formula(), 2, chunk_size=NAN),
        ValueError,
        r"^chunk_size must be a finite",
    ),
    ("greedy_blocks_per_chunk", lambda: reduction.greedy_blocks_per_chunk(None, 2), TypeError, r"^formula must be"),
    (
        "greedy_disjoint_counts",
        lambda: reduction.greedy_disjoint_counts(_formula(), 0),
        ValueError,
        r"^chunk_size must be positive",
    ),
    (
        "fresh_indicators",
        lambda: reduction.fresh_indicators(_formula(), 1.5),
        ValueError,
        r"^chunk_size must be an integer",
    ),
    ("block_satisfied", lambda: reduction.block_satisfied([1] * 8, "blocks"), TypeError, r"^blocks must be"),
    (
        "block_satisfied",
        lambda: reduction.block_satisfied([1] * 7, _blocks()),
        ValueError,
        r"psi must have length n = 8",
    ),
    ("signed_incidence", lambda: reduction.signed_incidence(np.zeros((2, 2, 2))), TypeError, r"^blocks must be"),
    ("random_blocks", lambda: reduction.random_blocks(8, 2, 0, 3, G), ValueError, r"^M must be positive"),
    ("random_blocks", lambda: reduction.random_blocks(8, 0, 2, 3, G), ValueError, r"^K must be positive"),
    ("random_blocks", lambda: reduction.random_blocks(8, 2, 2, NAN, G), ValueError, r"^count must be a finite"),
    ("random_blocks", lambda: reduction.random_blocks(8, 2, 2, 3, 5), TypeError, r"^rng must be"),
    ("realizable_sample", lambda: reduction.realizable_sample(8, 2, 2, 3, 5), TypeError, r"^rng must be"),
    ("realizable_sample", lambda: reduction.realizable_sample(0, 2, 2, 3, G), ValueError, r"^n must be positive"),
    ("scattered_sample", lambda: reduction.scattered_sample(8, 2, 2, -1, G), ValueError, r"^count must be"),
    ("scattered_sample", lambda: reduction.scattered_sample(8, 2, 2, 3, 5), TypeError, r"^rng must be"),
    ("LabelledSample", lambda: LabelledSample(_blocks(), [NAN, 1, 0, 1, 0, 1]), ValueError, r"^labels must be 0 or 1"),
    ("LabelledSample", lambda: LabelledSample(_blocks(), [0.5, 1, 0, 1, 0, 1]), ValueError, r"^labels must be 0 or 1"),
    ("LabelledSample", lambda: LabelledSample(_blocks(), [1.9, 1, 0, 1, 0, 1]), ValueError, r"^labels must be 0 or 1"),
    (
        "LabelledSample",
        lambda: LabelledSample(_blocks(), [256.0, 1, 0, 1, 0, 1]),
        ValueError,
        r"^labels must be 0 or 1",
    ),
    ("LabelledSample", lambda: LabelledSample(_blocks(), [256, 1, 0, 1, 0, 1]), ValueError, r"^labels must be 0 or 1"),
    ("LabelledSample", lambda: LabelledSample(_blocks(), ["1"] * 6), TypeError, r"^labels must be 0/1 numbers"),
    ("LabelledSample", lambda: LabelledSample(_blocks(), [1, 0]), ValueError, r"^labels: need one label per block"),
    ("LabelledSample", lambda: LabelledSample("blocks", [1]), TypeError, r"^blocks must be"),
    ("LabelledSample", lambda: _sample().split(NAN, G), ValueError, r"^fraction must be a finite"),
    ("LabelledSample", lambda: _sample().split(0.01, G), ValueError, r"leaves one part empty"),
    ("LabelledSample", lambda: _sample().split(0.5, 1), TypeError, r"^rng must be"),
    ("labelled_sample", lambda: reduction.labelled_sample(_blocks(), None), TypeError, r"^rng must be"),
    ("formula_to_sample", lambda: reduction.formula_to_sample(_formula(), 2, 3), TypeError, r"^rng must be"),
    ("expected_label_noise", lambda: reduction.expected_label_noise(3, 0), ValueError, r"^M must be positive"),
    ("expected_label_noise", lambda: reduction.expected_label_noise(NAN, 2), ValueError, r"^K must be a finite"),
    (
        "realizable_by",
        lambda: reduction.realizable_by([1] * 8, _blocks()),
        TypeError,
        r"^sample must be a LabelledSample",
    ),
    # learners
    ("assignment_bits", lambda: learners.assignment_bits(0), ValueError, r"^n must be positive"),
    (
        "assignment_bits",
        lambda: learners.assignment_bits(45),
        MemoryError,
        r"truth tables of all 2\^45 assignments would need",
    ),
    (
        "naive_error_counts",
        lambda: learners.naive_error_counts(_blocks(), np.ones(6), chunk=-1),
        ValueError,
        r"^chunk must be positive",
    ),
    (
        "naive_error_counts",
        lambda: learners.naive_error_counts(Blocks(40, V1, S1), [1]),
        MemoryError,
        r"naive_error_counts over 2\^40",
    ),
    ("BruteForceERM", lambda: BruteForceERM(tile_words=0), ValueError, r"^tile_words must be positive"),
    (
        "BruteForceERM",
        lambda: BruteForceERM().fit(Blocks(35, V1, S1), [1]),
        ValueError,
        r"n = 35 exceeds max_n = 34 \(it would need about",
    ),
    ("index_to_assignment", lambda: learners.index_to_assignment(8, 3), ValueError, r"^index must lie in \[0, 2\^n\)"),
    ("index_to_assignment", lambda: learners.index_to_assignment(-1, 3), ValueError, r"^index must be non-negative"),
    (
        "numpy_error_counts",
        lambda: learners.numpy_error_counts(_blocks(), np.ones(6), tile_words=0),
        ValueError,
        r"^tile_words must be positive",
    ),
    ("x_learners", lambda: learners.x_learners(seed=-1), ValueError, r"^seed must be"),
    ("BruteForceERM", lambda: BruteForceERM(engine="cuda"), ValueError, r"^engine must be one of \('numba', 'numpy'\)"),
    (
        "BruteForceERM",
        lambda: BruteForceERM().fit(Blocks(34, V1, S1), [1]),
        ValueError,
        r"BruteForceERM over 2\^34 assignments .* n <= \d+ fits with 1 examples",
    ),
    ("BruteForceERM", lambda: BruteForceERM().predict(_blocks()), RuntimeError, r"not fitted"),
    ("BruteForceERM", lambda: BruteForceERM().fit(_blocks()[[]], []), ValueError, r"training sample is empty"),
    ("BruteForceERM", lambda: BruteForceERM().fit(_blocks(), [0.5] * 6), ValueError, r"^labels must be 0 or 1"),
    ("SatLearner", lambda: SatLearner(max_errors=-1), ValueError, r"^max_errors must be non-negative"),
    ("SatLearner", lambda: SatLearner(max_errors=1.5), ValueError, r"^max_errors must be an integer"),
    ("SatLearner", lambda: SatLearner(conflict_budget=0), ValueError, r"^conflict_budget must be positive"),
    ("SatLearner", lambda: SatLearner(solver="cadical"), ValueError, r"^solver must be a PySAT solver name"),
    (
        "SatLearner",
        lambda: SatLearner(max_errors=None, solver="kissat"),
        ValueError,
        r"^solver 'kissat' cannot run the MaxSAT path .*'glucose4'",
    ),
    ("SatLearner", lambda: SatLearner(cardinality="magic"), ValueError, r"^cardinality must be one of"),
    ("SatLearner", lambda: SatLearner(positive_only="yes"), TypeError, r"^positive_only must be True or False"),
    ("SatLearner", lambda: SatLearner().predict(_blocks()), RuntimeError, r"not fitted"),
    (
        "SatLearner",
        lambda: SatLearner.encode(_blocks(), np.ones(6), relax=None),
        TypeError,
        r"^relax must be True or False",
    ),
    (
        "SatLearner",
        lambda: SatLearner(max_errors=None).fit(_blocks(), np.ones(6)).predict(Blocks(9, V1, S1)),
        ValueError,
        r"fitted with n = 8",
    ),
    ("SklearnLearner", lambda: learners.SklearnLearner(object()), TypeError, r"^estimator must have fit and predict"),
    ("SklearnLearner", lambda: learners.logistic_regression().predict(_blocks()), RuntimeError, r"not fitted"),
    ("logistic_regression", lambda: learners.logistic_regression(C=NAN), ValueError, r"^C must be a finite"),
    ("logistic_regression", lambda: learners.logistic_regression(C=0), ValueError, r"^C must lie in"),
    ("kernel_svm", lambda: learners.kernel_svm(gamma="wide"), ValueError, r"^gamma must be 'scale', 'auto'"),
    ("kernel_svm", lambda: learners.kernel_svm(gamma=-1.0), ValueError, r"^gamma must lie in"),
    ("mlp", lambda: learners.mlp(1.5), ValueError, r"^seed must be an integer"),
    ("mlp", lambda: learners.mlp(1, hidden=0), ValueError, r"^hidden must be positive"),
    ("gradient_boosting", lambda: learners.gradient_boosting(None), TypeError, r"^seed must be an integer"),
    ("Distinguisher", lambda: Distinguisher(BruteForceERM(), beta=NAN), ValueError, r"^beta must be a finite"),
    ("Distinguisher", lambda: Distinguisher(BruteForceERM(), beta=0.5), ValueError, r"^beta must lie in \(0, 0.5\)"),
    (
        "Distinguisher",
        lambda: Distinguisher(BruteForceERM(), beta=0.1, holdout=1.0),
        ValueError,
        r"^holdout must lie in",
    ),
    (
        "Distinguisher",
        lambda: Distinguisher(BruteForceERM(), beta=0.1, draws=0),
        ValueError,
        r"^draws must be positive",
    ),
    ("Distinguisher", lambda: Distinguisher("erm", beta=0.1), TypeError, r"^learner must have fit and predict"),
    (
        "Distinguisher",
        lambda: Distinguisher(BruteForceERM(), 0.1).decide(_sample()[[0]], G),
        ValueError,
        r"sample has 1 examples; the distinguisher needs at least 2",
    ),
    (
        "Distinguisher",
        lambda: Distinguisher(BruteForceERM(), 0.1, holdout=None).decide(_sample()[[]], G),
        ValueError,
        r"sample has 0 examples",
    ),
    ("Distinguisher", lambda: Distinguisher(BruteForceERM(), 0.1).decide(_sample(), 1), TypeError, r"^rng must be"),
    (
        "Decision",
        lambda: Distinguisher(BruteForceERM(), 0.1).decide(_blocks(), G),
        TypeError,
        r"^sample must be a LabelledSample",
    ),
    # dnf
    ("coordinate", lambda: dnf.coordinate(0, 0, 1, 4), ValueError, r"^b must be -1 or \+1"),
    ("coordinate", lambda: dnf.coordinate(0, 1, 4, 4), ValueError, r"^i must be at most 3"),
    ("g_map", lambda: dnf.g_map([[0, 4]], [[1, -1]], 4), ValueError, r"^variables must lie in \[0, n\)"),
    ("g_map", lambda: dnf.g_map([[0, 1]], [[1, 0]], 4), ValueError, r"^signs must be ±1"),
    ("g_map", lambda: dnf.g_map([[0, 1]], [[1, 1]], 0), ValueError, r"^n must be positive"),
    ("not_T_terms", lambda: dnf.not_T_terms(0, 2), ValueError, r"^K must be positive"),
    ("realising_dnf", lambda: dnf.realising_dnf([[(0, 2)]], [1, 1], 2), ValueError, r"^terms: pairs"),
    (
        "evaluate_predicate_dnf",
        lambda: dnf.evaluate_predicate_dnf([[(5, 1)]], np.ones((2, 3))),
        ValueError,
        r"^terms: pairs",
    ),
    (
        "evaluate_predicate_dnf",
        lambda: dnf.evaluate_predicate_dnf(5, np.ones((2, 3))),
        TypeError,
        r"^terms must be a list",
    ),
    (
        "evaluate_dnf",
        lambda: dnf.evaluate_dnf([np.array([9])], np.ones((2, 4))),
        ValueError,
        r"^dnf_terms: coordinates",
    ),
    ("evaluate_dnf", lambda: dnf.evaluate_dnf([np.array([0])], np.ones(4)), ValueError, r"^y must be an N x 2kn"),
    ("all_signed_tuples", lambda: dnf.all_signed_tuples(3, 0), ValueError, r"^k must be positive"),
    (
        "all_signed_tuples",
        lambda: dnf.all_signed_tuples(200, 12),
        MemoryError,
        r"signed 12-tuples over n = 200 would need",
    ),
    # weights
    ("normal", lambda: weights.normal(NAN), ValueError, r"^sigma must be a finite"),
    ("normal", lambda: weights.normal(-1.0), ValueError, r"^sigma must lie in"),
    ("normal", lambda: weights.normal(xavier="no"), TypeError, r"^xavier must be True or False"),
    ("uniform", lambda: weights.uniform(INF), ValueError, r"^a must be a finite"),
    ("rademacher", lambda: weights.rademacher(xavier=None), TypeError, r"^xavier must be True or False"),
    ("sphere_columns", lambda: weights.sphere_columns(xavier=2), TypeError, r"^xavier must be True or False"),
    ("WeightLaw", lambda: weights.normal().sample_parameters(0, 3, G), ValueError, r"^d must be positive"),
    ("WeightLaw", lambda: weights.normal().sample_parameters(4, 3.5, G), ValueError, r"^m must be an integer"),
    ("WeightLaw", lambda: weights.normal().sample((4, 3), 17), TypeError, r"^rng must be"),
    ("WeightLaw", lambda: weights.normal(xavier=True).w_scale(0), ValueError, r"^d must be positive"),
    # embedding
    (
        "routing_probability",
        lambda: embedding.routing_probability("normal"),
        TypeError,
        r"^law must be a natweights.weights.WeightLaw",
    ),
    (
        "routable_failure_probability",
        lambda: embedding.routable_failure_probability(10, 2, 1.5),
        ValueError,
        r"^p must lie in \[0, 1\]",
    ),
    (
        "routable_failure_probability",
        lambda: embedding.routable_failure_probability(10.5, 2, 0.5),
        ValueError,
        r"^m must be an integer",
    ),
    ("default_width", lambda: default_width(3, 0.3, delta=0), ValueError, r"^delta must lie in \(0, 1\)"),
    ("default_width", lambda: default_width(3, 0.3, delta=1.5), ValueError, r"^delta must lie in \(0, 1\)"),
    ("default_width", lambda: default_width(3, 0.3, delta=NAN), ValueError, r"^delta must be a finite"),
    ("default_width", lambda: default_width(3, NAN), ValueError, r"^p must be a finite"),
    ("default_width", lambda: default_width(0, 0.3), ValueError, r"^M must be positive"),
    ("default_width", lambda: default_width(3, 1e-300), ValueError, r"^p = 1e-300 is too small"),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, tau=-1),
        ValueError,
        r"^tau must lie in \(0, inf\]",
    ),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, tau=0),
        ValueError,
        r"^tau must lie in",
    ),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, tau=NAN),
        ValueError,
        r"^tau must be a finite",
    ),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, max_condition=NAN),
        ValueError,
        r"^max_condition must be a finite",
    ),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, max_condition=0.5),
        ValueError,
        r"^max_condition must lie in \[1, inf\]",
    ),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, m=40.7),
        ValueError,
        r"^m must be an integer, got the fractional value 40.7",
    ),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(6, 3, 2, weights.normal(), G, r=NAN),
        ValueError,
        r"^r must be a finite",
    ),
    ("NaturalEmbedding", lambda: NaturalEmbedding(NAN, 3, 2, weights.normal(), G), ValueError, r"^n must be a finite"),
    ("NaturalEmbedding", lambda: NaturalEmbedding(6, 3, 2, weights.normal(), 5), TypeError, r"^rng must be"),
    ("NaturalEmbedding", lambda: NaturalEmbedding(6, 3, 2, "normal", G), TypeError, r"^law must be"),
    ("draw_embedding", lambda: draw_embedding(6, 3, 2, weights.normal(), G, attempts=0), ValueError, r"^attempts must"),
    ("draw_embedding", lambda: draw_embedding(6, 3, 2, weights.normal(), G, redraws=[]), TypeError, r"^redraws must"),
    (
        "NaturalEmbedding",
        lambda: NaturalEmbedding(10**7, 3, 2, weights.normal(), G, m=2000),
        MemoryError,
        r"public part A of the embedding .* would need about",
    ),
    (
        "NaturalEmbedding",
        lambda: _emb().encode(reduction.random_blocks(6, 3, 2, 3, G), chunk=-1),
        ValueError,
        r"^chunk must be positive",
    ),
    (
        "NaturalEmbedding",
        lambda: _emb().encode(reduction.random_blocks(6, 3, 2, 3, G), chunk=0),
        ValueError,
        r"^chunk must be positive",
    ),
    (
        "NaturalEmbedding",
        lambda: _emb().pad_to_norm(np.zeros((2, _emb().d)), NAN),
        ValueError,
        r"^radius must be a finite",
    ),
    ("NaturalEmbedding", lambda: _emb().pad_to_norm(np.zeros((2, _emb().d)), -1.0), ValueError, r"^radius must lie in"),
    (
        "NaturalEmbedding",
        lambda: _emb().pad_to_norm(np.full((2, _emb().d), NAN), 5.0),
        ValueError,
        r"^X must have finite entries",
    ),
    ("NaturalEmbedding", lambda: _emb().pad_to_norm(np.zeros((2, 3)), 5.0), ValueError, r"^X must be N x d"),
    (
        "NaturalEmbedding",
        lambda: _emb().encode(reduction.random_blocks(6, 3, 1, 3, G)),
        ValueError,
        r"blocks have \(n, K, M\)",
    ),
    ("EmbeddingError", lambda: _emb().encode(_blocks()), ValueError, r"blocks have \(n, K, M\)"),
    # networks
    (
        "relu",
        lambda: networks.Depth2Network(np.ones((2, 2)), [0, 0], [1, NAN], 0.0),
        ValueError,
        r"^u must have finite entries",
    ),
    (
        "Depth2Network",
        lambda: networks.Depth2Network(np.ones((2, 2)), [0, 0], [1, 1], NAN),
        ValueError,
        r"^b0 must be a finite",
    ),
    (
        "Depth2Network",
        lambda: networks.Depth2Network(np.ones((2, 2)), [0, 0], [1, 1], 0.0, "tanh"),
        ValueError,
        r"^output must be",
    ),
    (
        "Depth2Network",
        lambda: networks.Depth2Network(np.ones((2, 2)), [0, 0], [1, 1], 0.0)(np.ones((1, 3))),
        ValueError,
        r"^X must be N x d",
    ),
    (
        "encode_signed",
        lambda: networks.encode_signed(_blocks(), n=7),
        ValueError,
        r"blocks have n = 8, asked for n = 7",
    ),
    ("encode_signed", lambda: networks.encode_signed(_blocks(), n=7.5), ValueError, r"^n must be an integer"),
    (
        "conv_filter_network",
        lambda: networks.conv_filter_network([0.5, NAN], 2, 2),
        ValueError,
        r"^filter_ must have finite",
    ),
    (
        "conv_filter_network",
        lambda: networks.conv_filter_network([], 2, 2),
        ValueError,
        r"^filter_ must have at least one",
    ),
    ("block_network", lambda: networks.block_network([1, 0], 2, 2), ValueError, r"psi must have entries"),
    (
        "encode_for_filter",
        lambda: networks.encode_for_filter(_blocks(), np.zeros(8)),
        ValueError,
        r"^filter entries must be non-zero",
    ),
    ("rademacher_filter_network", lambda: networks.rademacher_filter_network(8, 2, 2, 1), TypeError, r"^rng must be"),
    (
        "gaussian_filter_network",
        lambda: networks.gaussian_filter_network(8, 0, 2, G),
        ValueError,
        r"^K must be positive",
    ),
    # bounds
    ("scattered_hoeffding_bound", lambda: bounds.scattered_hoeffding_bound(m=NAN), ValueError, r"^m must be finite"),
    ("scattered_bound", lambda: bounds.scattered_bound(m=100, beta=NAN), ValueError, r"^beta must be finite"),
    ("scattered_bound", lambda: bounds.scattered_bound(m=100, beta=0.5), ValueError, r"^beta must lie in \[0, 0.5\)"),
    ("square_loss_scattered_bound", lambda: bounds.square_loss_scattered_bound(m=-1), ValueError, r"^m must lie in"),
    ("lemma13_printed_bound", lambda: bounds.lemma13_printed_bound(n=100, K=0), ValueError, r"^K must lie in"),
    ("lemma13_repaired_bound", lambda: bounds.lemma13_repaired_bound(n=INF, K=3), ValueError, r"^n must be finite"),
    (
        "avoidance_probability",
        lambda: bounds.avoidance_probability(n=20, K=3, used=2.5),
        ValueError,
        r"^used must be an integer",
    ),
    (
        "not_T_violation_probability",
        lambda: bounds.not_T_violation_probability(K=3, M=NAN),
        ValueError,
        r"^M must be finite",
    ),
    ("lemma15_union_bound", lambda: bounds.lemma15_union_bound(K=3, M=10, m=-5), ValueError, r"^m must lie in"),
    ("lemma15_condition", lambda: bounds.lemma15_condition(K=3, M=100, m=0), ValueError, r"^m must be positive"),
    ("lemma15_min_M", lambda: bounds.lemma15_min_M(K=3, m=100, factor=NAN), ValueError, r"^factor must be a finite"),
    ("amplification", lambda: bounds.amplification(p=1.5, R=3), ValueError, r"^p must lie in \[0, 1\]"),
    (
        "sigma_min_tail_bound",
        lambda: bounds.sigma_min_tail_bound(r=10, q=3, threshold=NAN),
        ValueError,
        r"^threshold must be finite",
    ),
    ("sigma_min_mean_lower_bound", lambda: bounds.sigma_min_mean_lower_bound(r=-1, q=3), ValueError, r"^r must lie in"),
    # stats
    (
        "wilson_interval",
        lambda: stats.wilson_interval(3, 10, confidence=99),
        ValueError,
        r"^confidence must lie in \(0, 1\)",
    ),
    ("wilson_interval", lambda: stats.wilson_interval(NAN, 10), ValueError, r"^k must be a whole number"),
    (
        "clopper_pearson_interval",
        lambda: stats.clopper_pearson_interval(3, 10, confidence=0),
        ValueError,
        r"^confidence must lie in",
    ),
    (
        "clopper_pearson_interval",
        lambda: stats.clopper_pearson_interval(3, 2.5),
        ValueError,
        r"^n must be a whole number",
    ),
    ("proportion_interval", lambda: stats.proportion_interval(3, 10, method="exact"), ValueError, r"^method must be"),
    (
        "check_probability_bound",
        lambda: stats.check_probability_bound(3, 10, 0.5, confidence=99),
        ValueError,
        r"^confidence must lie in",
    ),
    (
        "check_probability_bound",
        lambda: stats.check_probability_bound(3, 10, NAN),
        ValueError,
        r"^bound must be a finite",
    ),
    (
        "check_probability_bound",
        lambda: stats.check_probability_bound(3, 10, 0.5, relation="<"),
        ValueError,
        r"^relation must be",
    ),
    ("IntervalCheck", lambda: stats.check_probability_bound(11, 10, 0.5), ValueError, r"need 0 <= k <= n"),
    ("BoundViolation", lambda: stats.check_probability_bound(0, 0, 0.5), ValueError, r"need 0 <= k <= n and n > 0"),
    ("mean_interval", lambda: stats.mean_interval([1.0]), ValueError, r"^x: need at least two values"),
    ("mean_interval", lambda: stats.mean_interval([1.0, NAN]), ValueError, r"^x must have finite entries"),
    ("mean_interval", lambda: stats.mean_interval([1.0, 2.0], confidence=1.0), ValueError, r"^confidence must lie in"),
    ("check_mean_bound", lambda: stats.check_mean_bound([1.0, 2.0], NAN), ValueError, r"^bound must be a finite"),
    ("chi_square_uniform", lambda: stats.chi_square_uniform([5]), ValueError, r"^counts must be at least two"),
    ("same_proportion_test", lambda: stats.same_proportion_test(3, 2, 1, 5), ValueError, r"^need 0 <= k1 <= n1"),
    ("same_proportion_test", lambda: stats.same_proportion_test(1.5, 2, 1, 5), ValueError, r"^k1 must be a whole"),
    ("same_proportion_test", lambda: stats.same_proportion_test("a", 2, 1, 5), TypeError, r"^k1 must be a count"),
    (
        "chi_square_uniform",
        lambda: stats.chi_square_uniform([5, -1]),
        ValueError,
        r"^counts must be at least two non-negative",
    ),
    (
        "ks_per_entry",
        lambda: stats.ks_per_entry(np.zeros((0, 2)), np.zeros((3, 2))),
        ValueError,
        r"^a and b must each hold",
    ),
    (
        "energy_two_sample_test",
        lambda: stats.energy_two_sample_test(np.zeros((3, 2)), np.zeros((3, 2)), 5),
        TypeError,
        r"^rng must be",
    ),
    (
        "energy_two_sample_test",
        lambda: stats.energy_two_sample_test(np.zeros((3, 2)), np.zeros((3, 2)), G, 0),
        ValueError,
        r"^permutations must be positive",
    ),
    (
        "energy_two_sample_test",
        lambda: stats.energy_two_sample_test(np.zeros((3, 2)), np.zeros((3, 3)), G),
        ValueError,
        r"^x and y must have the same dimension",
    ),
    (
        "energy_two_sample_test",
        lambda: stats.energy_two_sample_test(np.zeros((3, 2)), np.ones((3, 2)), G, 10**12),
        MemoryError,
        r"relabellings of 6 points would need about",
    ),
    ("roundoff_tier", lambda: stats.roundoff_tier(NAN), ValueError, r"^x must be a finite"),
    # plotting, progress
    ("figure", lambda: plotting.figure("t", "x", "y", ncols=0), ValueError, r"^ncols must be positive"),
    ("figure", lambda: plotting.figure(None, "x", "y"), TypeError, r"^title must be a string"),
    (
        "errorbar_proportions",
        lambda: plotting.errorbar_proportions(None, [1], [3], [10], "l", confidence=95),
        ValueError,
        r"^confidence must lie in",
    ),
    (
        "errorbar_proportions",
        lambda: plotting.errorbar_proportions(None, [1, 2], [3], [10], "l"),
        ValueError,
        r"^x, k and n must have one shape",
    ),
    ("progress", lambda: progress.progress(5), TypeError, r"^iterable must be iterable"),
    ("progress", lambda: progress.progress(range(3), total=-1), ValueError, r"^total must be non-negative"),
    # validation helpers
    ("check_int", lambda: validation.check_int("size", "3"), TypeError, r"^size must be an integer"),
    ("check_real", lambda: validation.check_real("scale", None), TypeError, r"^scale must be a real number"),
    ("check_probability", lambda: validation.check_probability("p", 1.0), ValueError, r"^p must lie in \(0, 1\)"),
    ("check_confidence", lambda: validation.check_confidence(95), ValueError, r"^confidence must lie in"),
    (
        "check_rng",
        lambda: validation.check_rng(np.random.RandomState(0)),
        TypeError,
        r"^rng must be a numpy.random.Generator",
    ),
    (
        "check_index_array",
        lambda: validation.check_index_array("v", [[1, 2], [3]]),
        ValueError,
        r"^v must be a rectangular",
    ),
    ("check_sign_array", lambda: validation.check_sign_array("s", [True, True]), ValueError, r"^s must be ±1"),
    ("check_finite_array", lambda: validation.check_finite_array("w", ["a"]), TypeError, r"^w must be numeric"),
    (
        "check_memory",
        lambda: validation.check_memory(2.0**50, "a table"),
        MemoryError,
        r"^a table would need about 1.02e\+03 TiB",
    ),
    (
        "MemoryRequestError",
        lambda: validation.check_memory(2.0**50, "a table"),
        ValueError,
        r"more than this machine's",
    ),
    (
        "check_solver_name",
        lambda: validation.check_solver_name("solver", 3),
        TypeError,
        r"^solver must be a PySAT solver name",
    ),
    ("refutation_run", lambda: ksat.refutation_run(np.random.default_rng(0), 0, 0), ValueError, r"^n must be"),
    ("refutation_run", lambda: ksat.refutation_run(np.random.default_rng(0), 20, -1), ValueError, r"^trial must be"),
    ("lemma13_chunks", lambda: reduction.lemma13_chunks(np.random.default_rng(0), 30, 0), ValueError, r"^chunks must"),
    ("lemma13_chunks", lambda: reduction.lemma13_chunks(np.random.default_rng(0), 30, 2, K=31), ValueError, r"^K must"),
    (
        "lemma13_failure_task",
        lambda: reduction.lemma13_failure_task(np.random.default_rng(0), 30, 2, block=-1),
        ValueError,
        r"^block must be",
    ),
]

# constants, typing.Literal aliases of the learners' strings, and result records built only by the
# library (Lemma13Chunks)
NOT_CALLABLE = {
    "PLANTING_LAWS",
    "LAWS",
    "STYLE",
    "physical_memory",
    "NotFittedError",
    "DistinguisherAnswer",
    "ERMEngine",
    "SolveStatus",
    "Lemma13Chunks",
}


@pytest.mark.parametrize("name, call, exc, pattern", PROBES, ids=[f"{p[0]}-{i}" for i, p in enumerate(PROBES)])
def test_bad_input_is_refused_naming_the_parameter(name, call, exc, pattern):
    with pytest.raises(exc) as err:
        call()
    assert isinstance(err.value, (TypeError, ValueError, RuntimeError)), type(err.value)
    assert re.search(pattern, str(err.value)), str(err.value)


MODULES = [ksat, reduction, learners, dnf, weights, embedding, networks, bounds, stats, plotting, progress, validation]


def public_callables():
    names = set()
    for mod in MODULES:
        for name in getattr(
            mod,
            "__all__",
            [
                n
                for n in dir(mod)
                if not n.startswith("_") and getattr(getattr(mod, n), "__module__", None) == mod.__name__
            ],
        ):
            obj = getattr(mod, name)
            if callable(obj) and not (mod is bounds and not hasattr(obj, "__code__")):
                names.add(name)
    return names - NOT_CALLABLE


def test_every_public_callable_is_probed():
    probed = {p[0] for p in PROBES}
    missing = sorted(public_callables() - probed)
    assert not missing, f"public names without a bad-input probe: {missing}"


def test_counts_for_the_record():
    # the closing note quotes these numbers
    assert len(public_callables()) >= 90 and len(PROBES) >= 200
