import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(20201206)


@pytest.fixture
def memory_limit(monkeypatch):
    """Set the physical memory (bytes) that ``check_memory`` compares requests against."""
    from natweights import validation

    def set_limit(nbytes):
        monkeypatch.setattr(validation, "physical_memory", lambda: int(nbytes))

    return set_limit
