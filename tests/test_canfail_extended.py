"""The checks of the extended sweeps (natweights.sweep_checks) accept tables drawn from the true laws and
reject falsified tables: a biased greedy step, failures at n >= 1000, a shifted routing probability,
a wrong sigma_min centre or tail, a growth law that is not exponential, a shifted threshold, a failed task.

The true tables are drawn from the exact laws the claims state (binomial counts with the exact
probabilities, kept counts from the exact Markov-chain law), or computed by the sweep task itself.
"""

import numpy as np
import pandas as pd
import pytest

from natweights import weights
from natweights.chain import greedy_kept_law
from natweights.conditioning import sigma_min_task
from natweights.embedding import routing_probability
from natweights.routing import b0_branch_probabilities, routing_failure_probability
from natweights.sweep_checks import (
    TableCheck,
    check_lemma13_table,
    check_refutation_table,
    check_routing_table,
    check_sigma_min_table,
    check_threshold_table,
)
from natweights.transition import crawford_auton_crossing

COLUMN = {"b0 = 1": "eq1", "b0 < 1": "lt1", "b0 > 1": "gt1"}


# --- C5: Lemma 13 (notebook 03) ---------------------------------------------------------------------


def lemma13_table(rng, ns=(300, 1000, 3000), chunks=1000, blocks=2, bias=0.0, fail_rate=0.0):
    """Blocks of chunks whose kept counts follow the exact law (shifted by ``bias * n`` when biased)."""
    rows = []
    for n in ns:
        law = greedy_kept_law(n, 3)
        M = int(np.floor(n / np.log(n)))
        for b in range(blocks):
            counts = rng.choice(law.size, size=chunks, p=law) + int(round(bias * n))
            fail = int(np.sum(counts < M)) + int(rng.binomial(chunks, fail_rate))
            rows.append(
                dict(
                    n=n,
                    chunks=chunks,
                    block=b,
                    event=0,
                    fail=fail,
                    kept_sum=int(counts.sum()),
                    kept_sumsq=int((counts.astype(np.int64) ** 2).sum()),
                    status="ok",
                )
            )
    return pd.DataFrame(rows)


def test_lemma13_check_accepts_the_exact_law():
    check = check_lemma13_table(lemma13_table(np.random.default_rng(1)))
    assert check.holds, str(check)
    assert "kept/n vs exact Markov-chain mean" in str(check) and "all checks hold" in str(check)


def test_lemma13_check_rejects_a_biased_greedy_step():
    # one constraint more per 500 variables: kept/n 0.002 above the exact mean
    check = check_lemma13_table(lemma13_table(np.random.default_rng(2), bias=0.002))
    assert not check.holds
    assert all("Markov-chain mean" in f for f in check.failures)


def test_lemma13_check_rejects_failures_at_large_n():
    check = check_lemma13_table(lemma13_table(np.random.default_rng(3), fail_rate=0.02))
    assert any("P(fail" in f and "n = 1000" in f for f in check.failures)


def test_lemma13_check_rejects_events_above_the_bound_and_failed_tasks():
    table = lemma13_table(np.random.default_rng(4))
    table.loc[table["n"] == 3000, "event"] = 100  # 0.05 of the chunks: above the repaired bound 0.0201
    check = check_lemma13_table(table)
    assert any("repaired bound" in f for f in check.failures)
    table = lemma13_table(np.random.default_rng(4))
    table.loc[0, "status"] = "error"
    assert [f.startswith("tasks that ran") for f in check_lemma13_table(table).failures] == [True]


# --- C11: routing (notebook 08) ---------------------------------------------------------------------


def routing_table(rng, widths=None, shift=0.0, blocks=4, draws=3000):
    """Routing counts drawn with the exact probability of each case of b0 (plus ``shift``)."""
    widths = widths or {"rademacher": (8, 10, 12, 14), "normal": (12, 16, 20, 24)}
    rows = []
    for name, ws in widths.items():
        law = weights.LAWS[name]()
        p = routing_probability(law)
        for w in ws:
            for b in range(blocks):
                row = dict(law=name, width=w, draws=draws, block=b, routing_errors=0, rank_errors=0, total=draws)
                cases = b0_branch_probabilities(law)
                N = rng.multinomial(draws, list(cases.values()))
                for (branch, weight), n_case in zip(cases.items(), N, strict=True):
                    k = int(rng.binomial(n_case, min(1.0, routing_failure_probability(w, 4, p, branch) + shift)))
                    row[f"routing_{COLUMN[branch]}"], row[f"draws_{COLUMN[branch]}"] = k, int(n_case)
                    row["routing_errors"] += k
                row["status"] = "ok"
                rows.append(row)
    return pd.DataFrame(rows).fillna(0)


def test_routing_check_accepts_the_exact_probabilities():
    check = check_routing_table(routing_table(np.random.default_rng(5)))
    assert check.holds, str(check)


def test_routing_check_rejects_a_shifted_probability():
    check = check_routing_table(routing_table(np.random.default_rng(6), shift=0.03))
    assert not check.holds and any("exact mixture" in f for f in check.failures)


def test_routing_check_rejects_counts_of_another_width():
    # the counts of m = 10 labelled as m = 12: the exact probability at m = 12 is outside their interval
    table = routing_table(np.random.default_rng(7), widths={"rademacher": (10,)})
    table["width"] = 12
    assert not check_routing_table(table).holds


# --- C12: sigma_min (notebook 08) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sigma_table():
    rng = np.random.default_rng(8)
    rows = [
        dict(law=law, r=r, m=m, draws=400, block=b, status="ok", **sigma_min_task(rng, law, r, m, 400, b))
        for law in ("normal", "rademacher")
        for r, m in ((40, 10), (80, 20), (80, 40))
        for b in range(2)
    ]
    return pd.DataFrame(rows)


def test_sigma_min_check_accepts_the_sweep_task(sigma_table):
    check = check_sigma_min_table(sigma_table, 400)
    assert check.holds, str(check)


def test_sigma_min_check_rejects_a_lower_centre(sigma_table):
    table = sigma_table.copy()
    table["mean"] -= 0.5  # the bound sqrt(r) - sqrt(m) is exceeded by 0.2 to 0.4
    check = check_sigma_min_table(table, 400)
    assert not check.holds and all("mean s_min" in f for f in check.failures)


def test_sigma_min_check_rejects_a_heavier_tail(sigma_table):
    table = sigma_table.copy()
    table["below_3"] = 20  # 5% of the matrices below sqrt(r) - sqrt(m) - 3, bound exp(-4.5) = 0.011
    check = check_sigma_min_table(table, 400)
    assert not check.holds and all("gap - 3" in f for f in check.failures)


# --- C2: refutation cost and the threshold (notebook 01) ---------------------------------------------


def refutation_table(rng, law="combined", sigma=0.3):
    n = np.repeat(np.arange(50, 351, 25), 30).astype(float)
    if law == "combined":
        log_c = -4.76 + 0.0131 * n + 1.88 * np.log(n)
    elif law == "power":
        log_c = -11.7 + 3.72 * np.log(n)
    else:  # an offset power law, steeper than the data
        log_c = np.log(20 + 10 * (n / 50) ** 4)
    conflicts = np.round(np.exp(log_c + rng.normal(0, sigma, n.size)))
    return pd.DataFrame({"n": n.astype(int), "answer": "unsat", "conflicts": conflicts, "status": "ok"})


def test_refutation_check_accepts_combined_growth():
    check = check_refutation_table(refutation_table(np.random.default_rng(9)))
    assert check.holds, str(check)
    assert check.details["growth"].fits["combined"].params["b"] > 0


def test_refutation_check_rejects_a_power_law_and_an_unrefuted_formula():
    check = check_refutation_table(refutation_table(np.random.default_rng(10), law="power"))
    assert "check power rejected: no" in check.failures
    table = refutation_table(np.random.default_rng(11))
    table.loc[3, "answer"] = "unknown"
    assert any(f.startswith("formulas refuted") for f in check_refutation_table(table).failures)


def threshold_table(rng, shift=0.0, trials=300, ns=(50, 100, 150)):
    densities = np.round(np.arange(3.9, 4.71, 0.1), 1)
    rows = []
    for n in ns:
        crossing = float(crawford_auton_crossing(n)) + shift
        slope = 7.9 * (n / 100) ** (1 / 1.5)  # steeper for larger n
        p = 1 / (1 + np.exp(slope * (densities - crossing)))
        rows += [
            dict(n=n, density=float(a), trials=trials, satisfiable=int(k), status="ok")
            for a, k in zip(densities, rng.binomial(trials, p), strict=True)
        ]
    return pd.DataFrame(rows)


def test_threshold_check_accepts_the_fit_and_rejects_a_shifted_crossing():
    check = check_threshold_table(threshold_table(np.random.default_rng(12)), 300)
    assert check.holds, str(check)
    shifted = check_threshold_table(threshold_table(np.random.default_rng(12), shift=0.12), 300)
    assert not shifted.holds and all("Crawford-Auton" in f for f in shifted.failures)


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: check_lemma13_table([1, 2]), TypeError, "^table must be a pandas DataFrame"),
        (lambda: check_lemma13_table(pd.DataFrame({"n": [1]})), ValueError, "^table lacks the columns"),
        (
            lambda: check_routing_table(pd.DataFrame(columns=["law", "width", "routing_errors", "total"])),
            ValueError,
            "^table has no rows",
        ),
        (lambda: check_sigma_min_table(pd.DataFrame(), 1), ValueError, "^table lacks"),
        (lambda: check_threshold_table(threshold_table(np.random.default_rng(0)), 0), ValueError, "^trials"),
        (
            lambda: check_lemma13_table(lemma13_table(np.random.default_rng(0)), confidence=99),
            ValueError,
            "^confidence",
        ),
    ],
)
def test_bad_input_is_refused(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_table_check_prints_its_verdict():
    check = TableCheck("demo")
    check.add("one: yes", True)
    check.add("two: no", False)
    assert not check.holds and check.failures == ["two: no"]
    assert str(check).splitlines()[-1] == "demo: 1 check(s) FAILED"
