"""fixed/significant: round to few digits and refuse values on a rounding boundary."""

import pytest

from natweights.printing import fixed, significant


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
