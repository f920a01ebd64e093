"""compare_growth_models: recovers exponential growth, rejects polynomial growth with an offset,
and says "cannot separate" on short or noisy data."""

import numpy as np
import pytest

from natweights.growth import MODELS, compare_growth_models

# a design like notebook 01's C2 check, smaller: 9 sizes (50..250), 8 runs each
# (the notebook uses 11 sizes, 50..300, with 10 runs each)
SIZES = np.repeat(np.arange(50, 251, 25), 8).astype(float)


def exponential_costs(rng, rate=0.027, noise=0.5):
    return np.exp(-1 + rate * SIZES + rng.normal(0, noise, SIZES.size))


def offset_polynomial_costs(rng, noise=0.5):
    """20 + 10 (n/50)^4 with multiplicative noise: the curve that passed the old C2 asserts."""
    return (20 + 10 * (SIZES / 50) ** 4) * np.exp(rng.normal(0, noise, SIZES.size))


def test_exponential_data_recovered():
    rng = np.random.default_rng(0)
    result = compare_growth_models(SIZES, exponential_costs(rng))
    assert result.preferred == "exponential"
    assert result.separated
    assert result.rate_interval[0] < 0.027 < result.rate_interval[1]
    assert result.fits["exponential"].delta_aic == 0
    assert result.fits["power"].delta_aic >= 10
    assert "exponential preferred" in result.verdict


def test_exponential_recovered_in_most_replicates_and_rate_covered():
    separated, covered = 0, 0
    for seed in range(40):
        r = compare_growth_models(SIZES, exponential_costs(np.random.default_rng(seed)))
        separated += r.preferred == "exponential" and r.separated
        covered += r.rate_interval[0] < 0.027 < r.rate_interval[1]
        # the power law is never the verdict on exponential data
        assert not (r.preferred == "power" and r.separated)
    assert separated >= 30
    assert covered >= 36  # 99% intervals


def test_offset_polynomial_prefers_power_or_combined():
    rng = np.random.default_rng(1)
    r = compare_growth_models(SIZES, offset_polynomial_costs(rng))
    assert r.preferred in ("power", "combined")
    assert r.verdict != "exponential preferred"


def test_offset_polynomial_never_called_exponential():
    verdicts = [compare_growth_models(SIZES, offset_polynomial_costs(np.random.default_rng(s))) for s in range(60)]
    exponential_verdicts = sum(r.preferred == "exponential" and r.separated for r in verdicts)
    assert exponential_verdicts <= 1
    assert sum(r.preferred in ("power", "combined") for r in verdicts) >= 55


def test_short_noisy_data_not_separated():
    n = np.repeat([50.0, 60.0, 70.0], 3)
    rng = np.random.default_rng(2)
    r = compare_growth_models(n, np.exp(0.03 * n + rng.normal(0, 1.0, n.size)))
    assert not r.separated
    assert r.verdict == "the data cannot separate the models"


def test_nested_models_delta_aic_at_most_two():
    # the combined model contains both others: its AIC exceeds theirs by at most 2
    rng = np.random.default_rng(3)
    r = compare_growth_models(SIZES, exponential_costs(rng))
    for name in ("exponential", "power"):
        assert r.fits["combined"].aic <= r.fits[name].aic + 2 + 1e-9
    assert set(r.fits) == set(MODELS)
    assert min(f.delta_aic for f in r.fits.values()) == 0


def test_exact_power_law_recovered():
    n = np.repeat(np.arange(20, 401, 20), 3).astype(float)
    rng = np.random.default_rng(4)
    r = compare_growth_models(n, 3 * n**2.5 * np.exp(rng.normal(0, 0.2, n.size)))
    assert r.preferred == "power" and r.separated
    lo, hi = r.fits["power"].intervals["p"]
    assert lo < 2.5 < hi


def test_table_lists_every_model():
    r = compare_growth_models(SIZES, exponential_costs(np.random.default_rng(5)))
    text = r.table()
    for name in MODELS:
        assert name in text


@pytest.mark.parametrize(
    "n, cost, match",
    [
        ([1, 2, 3, 4], [1, 2, 3, 4], "at least 5 runs"),
        ([1, 1, 2, 2, 2], [1, 2, 3, 4, 5], "3 distinct"),
        ([1, 2, 3, 4, 5], [1, 2, 3, 4], "same length"),
        ([0, 2, 3, 4, 5], [1, 2, 3, 4, 5], "n must be"),
        ([1, 2, 3, 4, 5], [1, 2, 0, 4, 5], "cost must be"),
        ([1, 2, 3, 4, 5], [1, 2, np.nan, 4, 5], "cost must be"),
        ([[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5]], "one-dimensional"),
    ],
)
def test_rejects_bad_input(n, cost, match):
    with pytest.raises(ValueError, match=match):
        compare_growth_models(n, cost)


def test_rejects_bad_confidence():
    n = np.arange(1, 8, dtype=float)
    with pytest.raises(ValueError, match="confidence"):
        compare_growth_models(n, np.exp(n), confidence=1.0)
    with pytest.raises(TypeError, match="confidence"):
        compare_growth_models(n, np.exp(n), confidence="0.99")
    with pytest.raises(TypeError):
        compare_growth_models(["a"] * 5, [1] * 5)


def test_exponential_polynomial_checks_and_offset_power_reject_bad_input():
    from natweights.growth import exponential_polynomial_checks, fit_offset_power

    with pytest.raises(TypeError, match="comparison"):
        exponential_polynomial_checks({"power": 1})
    with pytest.raises(ValueError, match="cost"):
        fit_offset_power(SIZES, -np.ones(SIZES.size))
