r"""The claims checked on the tables of the extended sweeps (notebooks 01, 03, 08).

Each function takes the table :func:`natweights.sweep.run_sweep` returned and makes the checks
the notebook's default cell makes on its own draws, on the pooled rows of the table:

- :func:`check_refutation_table` (C2): every formula refuted; the power law and the pure
  exponential rejected by AIC, the combined model preferred and separated, both of its rates
  positive (:func:`natweights.growth.exponential_polynomial_checks`);
- :func:`check_threshold_table` (context of C2): at each n the logistic crossing lies inside the
  model-free bracket and within ``tolerance`` of the Crawford–Auton fit;
- :func:`check_lemma13_table` (C5): the event of Lemma 13 within the printed and the repaired
  bound, failure with :math:`M = \lfloor n/\ln n\rfloor` below 0.01 (99% upper limit) for
  :math:`n \ge 1000`, and the mean kept count consistent with the exact Markov-chain mean;
- :func:`check_routing_table` (C11): routing failures of each case of :math:`b_0` and of all
  draws consistent with their exact probabilities, and with the bound ``default_width`` uses;
- :func:`check_sigma_min_table` (C12): the Davidson–Szarek mean bound (every Gaussian shape,
  and every law at :math:`r \ge 2m`) and tail bound (where the threshold is positive).

A check returns a :class:`TableCheck`: its printed lines and the list of failures; ``holds`` is
true when the list is empty.  A failed task (status other than "ok") is a failure.

A table holds many intervals (up to about 40), so ``confidence`` is the level of the whole family:
each of the k intervals of a table has level :math:`1 - (1 - \text{confidence})/k` (Bonferroni),
and a table drawn from the true laws fails with probability at most 1 - confidence (a 99% level
for each of 40 intervals would reject a true table a third of the time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import floor, log

import numpy as np
import pandas as pd
from scipy import stats as _st

from .bounds import lemma13_printed_bound, lemma13_repaired_bound, sigma_min_mean_lower_bound
from .chain import greedy_kept_mean
from .embedding import routing_probability
from .growth import compare_growth_models, exponential_polynomial_checks
from .routing import (
    BRANCHES,
    b0_branch_probabilities,
    expected_routing_failure,
    routing_failure_bound,
    routing_failure_probability,
)
from .stats import IntervalCheck, check_probability_bound
from .transition import crawford_auton_crossing, satisfiability_crossing
from .validation import check_confidence, check_int, check_real
from .weights import LAWS

__all__ = [
    "TableCheck",
    "check_refutation_table",
    "check_threshold_table",
    "check_lemma13_table",
    "check_routing_table",
    "check_sigma_min_table",
]

_BRANCH_COLUMN = {BRANCHES[0]: "eq1", BRANCHES[1]: "lt1", BRANCHES[2]: "gt1"}


@dataclass
class TableCheck:
    """The verdict of the checks on one sweep table.

    Attributes
    ----------
    name : str
        What was checked.
    lines : list of str
        One printed line per check.
    failures : list of str
        The checks that failed (empty when the claim holds on the table).
    details : dict
        Objects computed on the way (the growth comparison of :func:`check_refutation_table`).
    """

    name: str
    lines: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return not self.failures

    def add(self, line: str, ok: bool):
        self.lines.append(line)
        if not ok:
            self.failures.append(line)

    def __str__(self) -> str:
        verdict = "all checks hold" if self.holds else f"{len(self.failures)} check(s) FAILED"
        return "\n".join([*self.lines, f"{self.name}: {verdict}"])


def _table(table, columns, name="table") -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    missing = sorted(set(columns) - set(table.columns))
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}")
    if table.empty:
        raise ValueError(f"{name} has no rows")
    return table


def _tasks_ok(check: TableCheck, table: pd.DataFrame) -> pd.DataFrame:
    if "status" in table.columns:
        bad = int((table["status"] != "ok").sum())
        check.add(f"tasks that ran: {len(table) - bad} of {len(table)}", bad == 0)
        table = table[table["status"] == "ok"]
    return table


def check_refutation_table(table: pd.DataFrame) -> TableCheck:
    """C2 on a table of :func:`natweights.ksat.refutation_run` rows (columns ``n``, ``answer``, ``conflicts``).

    Parameters
    ----------
    table : pandas.DataFrame
        The sweep table.

    Returns
    -------
    TableCheck
        Every formula refuted and every check of :func:`~natweights.growth.exponential_polynomial_checks`.
    """
    table = _table(table, ["n", "answer", "conflicts"])
    check = TableCheck("C2 on the extended table")
    table = _tasks_ok(check, table)
    refuted = table[table["answer"] == "unsat"]
    check.add(f"formulas refuted: {len(refuted)} of {len(table)}", len(refuted) == len(table) and len(table) > 0)
    if refuted["n"].nunique() < 3:
        check.add("fewer than three values of n refuted: no growth model can be compared", False)
        return check
    growth = compare_growth_models(refuted["n"].to_numpy(float), refuted["conflicts"].to_numpy(float), confidence=0.99)
    check.details["growth"] = growth
    for name, ok in exponential_polynomial_checks(growth).items():
        check.add(f"check {name}: {'yes' if ok else 'no'}", ok)
    return check


def check_threshold_table(
    table: pd.DataFrame, trials: int, *, tolerance: float = 0.05, confidence: float = 0.99
) -> TableCheck:
    """The satisfiability threshold on a table of :func:`natweights.transition.satisfiable_count` rows.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``n``, ``density``, ``satisfiable``.
    trials : int
        Formulas per density.
    tolerance : float, default 0.05
        Allowed distance between the crossing and the Crawford–Auton fit (as in the default cell).
    confidence : float, default 0.99
        Level of the crossing's interval and bracket.

    Returns
    -------
    TableCheck
        Per n: crossing inside the model-free bracket, and within ``tolerance`` of the fit.
    """
    table = _table(table, ["n", "density", "satisfiable"])
    trials = check_int("trials", trials, 1)
    tolerance = check_real("tolerance", tolerance, 0.0, low_open=True)
    confidence = check_confidence(confidence)
    check = TableCheck("threshold on the extended table")
    table = _tasks_ok(check, table)
    for n, rows in table.groupby("n", sort=True):
        rows = rows.sort_values("density")
        densities, k = rows["density"].to_numpy(float), rows["satisfiable"].to_numpy(int)
        try:
            est = satisfiability_crossing(densities, k, trials, confidence=confidence)
        except ValueError as exc:
            check.add(f"n = {n:3d}: no crossing ({exc})", False)
            continue
        lo_b, hi_b = est.bracket
        bracketed = lo_b is not None and hi_b is not None and lo_b < est.crossing < hi_b
        check.add(
            f"n = {n:3d}: crossing {est.crossing:.3f} inside the bracket ({lo_b}, {hi_b}): {'yes' if bracketed else 'no'}",
            bracketed,
        )
        predicted = float(crawford_auton_crossing(int(n)))
        close = abs(est.crossing - predicted) <= tolerance
        check.add(
            f"n = {n:3d}: |crossing - Crawford-Auton fit {predicted:.3f}| <= {tolerance}: {'yes' if close else 'no'}",
            close,
        )
    return check


def _family_level(check: TableCheck, confidence: float, count: int) -> float:
    """Per-interval level of a family of ``count`` intervals at family level ``confidence`` (Bonferroni)."""
    level = 1 - (1 - confidence) / max(count, 1)
    check.lines.append(
        f"{count} intervals, each at level 1 - {1 - confidence:g}/{count} = {level:.5f} (Bonferroni, family level "
        f"{confidence:g}; the lines print the level rounded down to a percent)"
    )
    return level


def _pooled_mean_interval(total, s, ss, confidence):
    """Student-t interval of a mean from the count, sum and sum of squares of the values."""
    mean = s / total
    var = max(ss - s * s / total, 0.0) / (total - 1)
    half = _st.t.ppf(0.5 + confidence / 2, total - 1) * np.sqrt(var / total)
    return mean, mean - half, mean + half


def check_lemma13_table(table: pd.DataFrame, *, K: int = 3, confidence: float = 0.99) -> TableCheck:
    r"""C5 on a table of :func:`natweights.reduction.lemma13_failure_task` rows, pooled per n.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``n``, ``chunks``, ``event``, ``fail``, ``kept_sum``, ``kept_sumsq``.
    K : int, default 3
        Clause length of the sweep.
    confidence : float, default 0.99
        Family level of the intervals (Bonferroni; see the module docstring).

    Returns
    -------
    TableCheck
        Per n: the event within the printed and repaired bounds; for :math:`n \ge 1000` the
        failure rate's upper limit below 0.01; kept/n consistent with
        :func:`~natweights.chain.greedy_kept_mean` (t-interval of the per-chunk counts).
    """
    table = _table(table, ["n", "chunks", "event", "fail", "kept_sum", "kept_sumsq"])
    K = check_int("K", K, 2)
    confidence = check_confidence(confidence)
    check = TableCheck("C5 on the extended table")
    table = _tasks_ok(check, table)
    pooled = table.groupby("n", sort=True)[["chunks", "event", "fail", "kept_sum", "kept_sumsq"]].sum()
    confidence = _family_level(check, confidence, sum(3 + (int(n) >= 1000) for n in pooled.index))
    for n, row in pooled.iterrows():
        n, total = int(n), int(row["chunks"])
        for bound_name, bound in (
            ("printed", lemma13_printed_bound(n=n, K=K)),
            ("repaired", lemma13_repaired_bound(n=n, K=K)),
        ):
            c = check_probability_bound(
                int(row["event"]),
                total,
                bound,
                "<=",
                label=f"n = {n:4d}: P(event), {bound_name} bound",
                confidence=confidence,
                raise_on_violation=False,
            )
            check.add(str(c), c.holds)
        if n >= 1000:
            c = check_probability_bound(
                int(row["fail"]),
                total,
                0.01,
                "<=",
                label=f"n = {n:4d}: P(fail, M = {floor(n / log(n))})",
                confidence=confidence,
                raise_on_violation=False,
            )
            works = c.hi < 0.01  # M = n / ln n works: the whole interval below 0.01
            check.add(f"{c}; upper limit below 0.01: {'yes' if works else 'no'}", works)
        mean, lo, hi = _pooled_mean_interval(total, float(row["kept_sum"]), float(row["kept_sumsq"]), confidence)
        c = IntervalCheck(
            f"n = {n:4d}: kept/n vs exact Markov-chain mean",
            mean / n,
            lo / n,
            hi / n,
            greedy_kept_mean(n, K) / n,
            "==",
            confidence,
        )
        check.add(str(c), c.holds)
    return check


def check_routing_table(table: pd.DataFrame, *, M: int = 4, confidence: float = 0.99) -> TableCheck:
    """C11 on a table of :func:`natweights.routing.routing_failure_task` rows, pooled per (law, width).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``law``, ``width``, ``routing_errors``, ``total`` and, per case of :math:`b_0`,
        ``routing_<case>`` and ``draws_<case>``.
    M : int, default 4
        Clauses per block of the sweep.
    confidence : float, default 0.99
        Family level of the intervals (Bonferroni; see the module docstring).

    Returns
    -------
    TableCheck
        Per (law, width): each case and the mixture equal to the exact probability (interval
        contains it), and all draws consistent with the bound :math:`P(B \\le M) + (1-p)^m`.
    """
    table = _table(table, ["law", "width", "routing_errors", "total"])
    M = check_int("M", M, 1)
    confidence = check_confidence(confidence)
    check = TableCheck("C11 on the extended table")
    table = _tasks_ok(check, table)
    pooled = table.groupby(["law", "width"], sort=False).sum(numeric_only=True)
    unknown = sorted(set(pooled.index.get_level_values(0)) - set(LAWS))
    if unknown:
        raise ValueError(f"table: unknown laws {unknown}, expected names from {sorted(LAWS)}")

    def cases(law_name, row):
        for branch, weight in b0_branch_probabilities(LAWS[law_name]()).items():
            column = _BRANCH_COLUMN[branch]
            if weight > 0 and f"draws_{column}" in row.index and int(row[f"draws_{column}"]) > 0:
                yield branch, column

    count = sum(2 + len(list(cases(law_name, row))) for (law_name, _), row in pooled.iterrows())
    confidence = _family_level(check, confidence, count)
    for (law_name, width), row in pooled.iterrows():
        law, width = LAWS[law_name](), int(width)
        p = routing_probability(law)
        for branch, column in cases(law_name, row):
            k, N = int(row[f"routing_{column}"]), int(row[f"draws_{column}"])
            c = check_probability_bound(
                k,
                N,
                routing_failure_probability(width, M, p, branch),
                "==",
                label=f"{law_name:10s} m = {width:2d}, {branch}",
                confidence=confidence,
                raise_on_violation=False,
            )
            check.add(str(c), c.holds)
        k, N = int(row["routing_errors"]), int(row["total"])
        for label, bound, relation in (
            ("all draws, exact mixture", expected_routing_failure(law, width, M), "=="),
            ("all draws, bound", routing_failure_bound(width, M, p), "<="),
        ):
            c = check_probability_bound(
                k,
                N,
                bound,
                relation,
                label=f"{law_name:10s} m = {width:2d}, {label}",
                confidence=confidence,
                raise_on_violation=False,
            )
            check.add(str(c), c.holds)
    return check


def check_sigma_min_table(
    table: pd.DataFrame, draws: int, *, tails=(2.0, 2.5, 3.0), confidence: float = 0.99
) -> TableCheck:
    r"""C12 on a table of :func:`natweights.conditioning.sigma_min_task` rows, pooled per (law, r, m).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``law``, ``r``, ``m``, ``mean``, ``sd`` and ``below_<t>`` for each t of ``tails``.
    draws : int
        Matrices per row (every row the same).
    tails : tuple of float, default (2, 2.5, 3)
        The t of the tail columns.
    confidence : float, default 0.99
        Family level of the intervals (Bonferroni; see the module docstring).

    Returns
    -------
    TableCheck
        The mean bound :math:`\mathbb E\sigma_{\min} \ge \sqrt r - \sqrt m` (t-interval of the pooled
        values; for every Gaussian shape and for every law at :math:`r \ge 2m`) and the tail bound
        :math:`P(\sigma_{\min} \le \sqrt r - \sqrt m - t) \le e^{-t^2/2}` where the threshold is positive.
    """
    table = _table(table, ["law", "r", "m", "mean", "sd"] + [f"below_{t:g}" for t in tails])
    draws = check_int("draws", draws, 2)
    confidence = check_confidence(confidence)
    check = TableCheck("C12 on the extended table")
    table = _tasks_ok(check, table)
    groups = table.groupby(["law", "r", "m"], sort=False)
    count = sum(1 + sum(sigma_min_mean_lower_bound(r=int(r), q=int(m)) > t for t in tails) for (_, r, m), _ in groups)
    confidence = _family_level(check, confidence, count)
    for (law, r, m), g in groups:
        r, m, total = int(r), int(m), draws * len(g)
        s = float(draws * g["mean"].sum())
        ss = float(((draws - 1) * g["sd"] ** 2 + draws * g["mean"] ** 2).sum())
        mean, lo, hi = _pooled_mean_interval(total, s, ss, confidence)
        gap = sigma_min_mean_lower_bound(r=r, q=m)
        c = IntervalCheck(f"{law:10s} r = {r:3d}, m = {m:3d}: mean s_min", mean, lo, hi, gap, ">=", confidence)
        asserted = law == "normal" or r >= 2 * m
        check.add(f"{c}{'' if asserted else ' (not asserted: r < 2m)'}", c.holds or not asserted)
        for t in tails:
            if gap <= t:
                continue
            k = int(g[f"below_{t:g}"].sum())
            c = check_probability_bound(
                k,
                total,
                float(np.exp(-(t**2) / 2)),
                "<=",
                label=f"{law:10s} r = {r:3d}, m = {m:3d}: P(s_min <= gap - {t:g})",
                confidence=confidence,
                raise_on_violation=False,
            )
            check.add(str(c), c.holds)
    return check
