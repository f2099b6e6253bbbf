"""Settled states reused across runs give exactly the results of a fresh burn-in."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.model import BlitarModel, settled
from simulation.scenarios import load_config

BASE = ["scenario.scale=40", "scenario.end_year=2027", "economy.burn_in_months=24"]


@pytest.fixture
def store():
    settled.clear()
    settled.enable(4)
    yield
    settled.clear()
    settled.enable(0)


def _run(overrides: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    m = BlitarModel(load_config("blitar", BASE + overrides))
    m.run()
    return m.timeseries(), m.kelurahan_recorder.frame(2025)


@pytest.mark.parametrize("arm", [[], ["policy.emission_charge=20000",
                                      "policy.zoning_buffer_cells=3",
                                      "scenario.big_plant_year=2026",
                                      "scenario.end_year=2028"]])
def test_restored_state_gives_identical_results(store, arm):
    settled.enable(0)
    fresh = _run(arm)
    settled.enable(4)
    _run([])                                   # stores the settled state (other policy)
    assert len(settled._store) == 1
    restored = _run(arm)                       # restores it
    for a, b in zip(fresh, restored, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_key_ignores_levers_and_horizon_but_not_structure():
    a = load_config("blitar", BASE)
    assert settled.key(a) == settled.key(load_config(
        "blitar", BASE + ["policy.emission_charge=5000", "scenario.end_year=2030",
                          "schedule.2026.inspection_rate=0.3"]))
    assert settled.key(a) != settled.key(load_config("blitar", BASE + ["scenario.seed=7"]))
    assert settled.key(a) != settled.key(load_config(
        "blitar", BASE + ["labour.separation_rate=0.02"]))
