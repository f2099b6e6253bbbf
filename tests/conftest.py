"""Test-suite wide settings."""

from __future__ import annotations

import pytest

from simulation.model import settled


@pytest.fixture(autouse=True, scope="session")
def reuse_settled_states():
    """Tests build many models that share a burn-in (same seed and structure, other
    levers): reuse the settled state, as sweeps and the browser view do. Results are
    identical either way (tests/test_settled.py)."""
    settled.enable(6)
    yield
    settled.enable(0)
