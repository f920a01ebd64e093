import numpy as np
import pytest

from natweights import weights
from natweights.ksat import planted_formula, random_formula
from natweights.refuter import Refuter


def test_refuter_separates_planted_and_random():
    rng = np.random.default_rng(11)
    n, K, M, chunk, examples = 14, 3, 3, 8 * 14, 240
    refuter = Refuter(K, M, weights.rademacher(), runs=3, threshold=0.35, chunk_size=chunk)
    for _ in range(2):
        planted, _ = planted_formula(n, examples * chunk, K, rng)
        assert refuter.decide(planted, rng).answer == "satisfiable"
        assert refuter.decide(random_formula(n, examples * chunk, K, rng), rng).answer == "random"


def test_refuter_greedy_failure_answers_satisfiable():
    rng = np.random.default_rng(12)
    refuter = Refuter(3, 4, weights.normal(), runs=2, threshold=0.35)
    res = refuter.decide(random_formula(12, 12 * 10, 3, rng), rng)  # chunks of n = 12 rarely give 4 disjoint
    assert res.answer == "satisfiable" and all(r.status == "greedy failed" for r in res.runs)


def test_refuter_parameters():
    with pytest.raises(ValueError, match="threshold"):
        Refuter(3, 4, weights.normal(), threshold=0.6)
    with pytest.raises(ValueError, match="runs"):
        Refuter(3, 4, weights.normal(), runs=0)
