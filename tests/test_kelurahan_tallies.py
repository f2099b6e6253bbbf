"""The kelurahan table's one-pass tallies give, bit for bit, what the generic per-column
helpers (a bincount per column, the formulation they replaced) give on a real model."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import BlitarModel
from simulation.model.kelurahan import KEL_COLUMNS, Snapshot
from simulation.model.state import FORMAL, INFORMAL, UNEMPLOYED
from simulation.scenarios import load_config


@pytest.fixture(scope="module")
def model() -> BlitarModel:
    m = BlitarModel(load_config("blitar", **{"scenario.scale": 50,
                                             "scenario.end_year": 2026}))
    m.run()
    return m


def _by_helpers(s: Snapshot) -> dict[str, np.ndarray]:
    """Each built-in column by the generic helpers, as the columns were written before."""
    m = s.m
    hh, wk, f = m.households, m.workers, m.firms
    by_members = s.by_household(s.members)
    affected = s.affected.astype(float)
    n_affected = float(affected.sum())
    exposure = min(m.month_complaints, m.cfg.health.complaint_probability * n_affected)
    complaints = np.zeros(s.geo.n)
    if exposure > 0:
        complaints += exposure * s.by_household(affected) / max(n_affected * s.scale, 1e-12)
    if m.month_complaints - exposure > 0:
        lab = s.by_worker_home(1.0)
        complaints += (m.month_complaints - exposure) * lab / max(lab.sum(), 1e-12)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "households": s.by_household(1.0),
            "residents": by_members,
            "employed_residents": s.by_worker_home(wk.status != UNEMPLOYED),
            "unemployed_residents": s.by_worker_home(wk.status == UNEMPLOYED),
            "informal_workers": s.by_worker_home(wk.status == INFORMAL),
            "jobs": s.by_firm(f.workers),
            "firms": s.by_firm(f.count_weight) / s.scale,
            "pm25_mean": s.cell_mean(s.air_total),
            "pm25_max": s.cell_max(s.air_total),
            "exposure": s.by_household(s.members * hh.air) / by_members,
            "households_above_standard": s.by_household(s.above),
            "residents_above_standard": s.by_household(s.members * s.above),
            "mean_health": s.per_household_mean(hh.health),
            "industrial_exposure": s.by_household(s.members * s.industrial) / by_members,
            "complaints": complaints * s.scale,
        }


def test_built_in_columns_equal_the_generic_helpers(model: BlitarModel) -> None:
    s = Snapshot(model, model.kelurahan_recorder.geo)
    want = _by_helpers(s)
    n = s.geo.n
    for c in KEL_COLUMNS:
        if c.name in want:
            assert np.array_equal(c.compute(s)[:n], want[c.name][:n], equal_nan=True), c.name
    # the state exercised the paths that matter: households born after this month's
    # exposure (padding), some above a standard, formal and informal workers
    assert model.exposure.industrial.size < model.households.n
    assert 0 < s.above.sum() < s.above.size
    assert (model.workers.status == FORMAL).any() and (model.workers.status == INFORMAL).any()
