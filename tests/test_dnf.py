import itertools

import numpy as np

from natweights.dnf import all_signed_tuples, evaluate_dnf, evaluate_predicate_dnf, g_map, not_T_terms, realising_dnf
from natweights.reduction import Blocks, block_satisfied


def test_not_T_dnf_matches_predicate():
    K, M = 2, 2
    for z in itertools.product((-1, 1), repeat=K * M):
        z = np.array([z])
        T = np.all(np.any(z.reshape(1, M, K) == 1, axis=2), axis=1)
        assert evaluate_predicate_dnf(not_T_terms(K, M), z)[0] == (not T[0])


def test_lemma16_exhaustive_small():
    """h_psi = h o g for every psi and every x in X_{n,KM} (n = 5, K = 2, M = 2)."""
    n, K, M = 5, 2, 2
    variables, signs = all_signed_tuples(n, K * M)
    assert len(variables) == 2 ** (K * M) * 5 * 4 * 3 * 2
    y = g_map(variables, signs, n)
    assert y.shape == (len(variables), 2 * K * M * n)
    assert np.all(np.sum(y == -1, axis=1) == K * M)
    blocks = Blocks(n, variables.reshape(-1, M, K), signs.reshape(-1, M, K))
    terms = not_T_terms(K, M)
    for psi in itertools.product((-1, 1), repeat=n):
        psi = np.array(psi)
        h = evaluate_dnf(realising_dnf(terms, psi, n), y)
        assert np.array_equal(h, ~block_satisfied(psi, blocks))
    assert len(realising_dnf(terms, psi, n)) == M
