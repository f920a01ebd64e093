"""fixed/significant: round to few digits and refuse values on a rounding boundary."""

import pytest

from natweights.printing import below, fixed, significant


def test_fixed_rounds():
    assert fixed(4.29789, 3) == "4.298"
    assert fixed(-0.0001, 2) == "0.00"
    assert fixed(2.0, 0) == "2"


def test_fixed_refuses_boundary():
    with pytest.raises(ValueError, match="rounding boundary"):
        fixed(0.125, 2)
    with pytest.raises(ValueError, match="rounding boundary"):
        fixed(2.5000000001, 0)
    # a value close to, but clearly off, the boundary prints
    assert fixed(0.1251, 2) == "0.13"


def test_significant():
    assert significant(0.0091234, 3) == "0.00912"
    assert significant(12.3456, 3) == "12.3"
    assert significant(0.0, 3) == "0"
    with pytest.raises(ValueError, match="rounding boundary"):
        significant(0.01705, 3)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_rejects_non_finite(bad):
    with pytest.raises(ValueError, match="finite"):
        fixed(bad, 2)


def test_rejects_bad_digits():
    with pytest.raises(ValueError, match="decimals"):
        fixed(1.0, -1)
    with pytest.raises(ValueError, match="digits"):
        significant(1.0, 0)


def test_fixed_refuses_boundary_relative_to_magnitude():
    # 1e6 + 0.5 with 0 decimals: round-off of a relative 1e-13 could flip the digit
    with pytest.raises(ValueError, match="rounding boundary"):
        fixed(1e6 + 0.5 + 1e-6, 0)
    assert fixed(1e6 + 0.4, 0) == "1000000"


def test_bad_digit_types():
    with pytest.raises(TypeError, match="decimals"):
        fixed(1.0, 2.0)
    with pytest.raises(TypeError, match="digits"):
        significant(1.0, True)


def test_below_is_a_verdict():
    assert below(3e-15, 1e-9) == "below 1e-09: yes"
    assert below(-2e-9, 1e-9) == "below 1e-09: no"
    with pytest.raises(ValueError, match="tolerance"):
        below(0.0, 0.0)
