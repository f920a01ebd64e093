"""satisfiability_crossing and crawford_auton_crossing: values, intervals and input checks."""

import numpy as np
import pytest

from natweights.transition import crawford_auton_crossing, satisfiability_crossing

DENSITIES = np.round(np.arange(3.9, 4.71, 0.1), 1)


def test_exact_logistic_counts_recover_crossing():
    p = 1 / (1 + np.exp(8 * (DENSITIES - 4.3)))
    counts = np.round(p * 100000).astype(int)
    est = satisfiability_crossing(DENSITIES, counts, 100000)
    assert est.crossing == pytest.approx(4.3, abs=1e-3)
    assert est.slope == pytest.approx(8, rel=1e-2)
    assert est.interval[0] < 4.3 < est.interval[1]
    assert est.interval[1] - est.interval[0] < 0.01


def test_bracket_is_model_free():
    counts = np.array([300, 290, 250, 180, 120, 60, 20, 5, 0])
    est = satisfiability_crossing(DENSITIES, counts, 300)
    lo, hi = est.bracket
    assert lo < est.crossing < hi
    assert lo in DENSITIES and hi in DENSITIES


def test_crawford_auton_values():
    assert float(crawford_auton_crossing(100)) == pytest.approx(4.258 + 58.26 * 100 ** (-5 / 3))
    assert float(crawford_auton_crossing(1e9)) == pytest.approx(4.258, abs=1e-9)
    with pytest.raises(ValueError, match="n must be"):
        crawford_auton_crossing(0)


@pytest.mark.parametrize(
    "densities, counts, trials, match",
    [
        ([4.0, 4.1], [10, 5], 20, "at least 3"),
        ([4.0, 4.1, 4.2], [10, 5], 20, "match"),
        ([4.0, 4.2, 4.1], [15, 10, 5], 20, "increasing"),
        ([4.0, 4.1, 4.2], [15, 10, 25], 20, "sat_counts <= trials"),
        ([4.0, 4.1, 4.2], [15, 14, 12], 20, "straddle"),
        ([4.0, 4.1, 4.2], [15.5, 10, 5], 20, "integers"),
    ],
)
def test_rejects_bad_input(densities, counts, trials, match):
    with pytest.raises(ValueError, match=match):
        satisfiability_crossing(densities, counts, trials)


def test_rejects_bad_confidence():
    with pytest.raises(ValueError, match="confidence"):
        satisfiability_crossing(DENSITIES, np.arange(9)[::-1] * 10, 100, confidence=1.5)
