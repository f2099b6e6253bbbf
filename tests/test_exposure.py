"""Households' exposure (air and river), nuisance, complaints and moves."""

from __future__ import annotations

import numpy as np

from simulation.config import HealthSection
from simulation.model.state import HOUSEHOLD_FIELDS, Table
from simulation.society.exposure import complaints, expose, relocate


def test_expose_matches_a_numpy_reference():
    rng = np.random.default_rng(5)
    cells, n = 60, 500
    home = rng.integers(0, cells, n).astype(np.int64)
    local = rng.random(cells) * 8.0
    industrial = local * rng.random(cells)
    water = np.where(rng.random(cells) < 0.3, rng.random(cells) * 8.0, 0.0)
    outs = [np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n, bool), np.zeros(n, bool),
            np.zeros(n, bool)]
    annual = 14.0 + rng.random(cells) * 3.0   # the last 12 months' total PM2.5
    got = expose(home, local, industrial, 12.0, annual, water, 15.0, 3.0, 2.0, *outs)
    air, ind, wat, above, river, affected = outs
    np.testing.assert_array_equal(air, 12.0 + local[home])
    np.testing.assert_array_equal(ind, industrial[home])
    np.testing.assert_array_equal(wat, water[home])
    np.testing.assert_array_equal(river, water[home] > 3.0)
    # the annual standard is compared with the annual mean, not this month's air
    np.testing.assert_array_equal(above, (annual[home] > 15.0) | river)
    assert ((air > 15.0) != (annual[home] > 15.0)).any()
    np.testing.assert_array_equal(affected, (ind > 2.0) | river)
    assert got == affected.sum()


def _households(homes: np.ndarray, income: float) -> Table:
    t = Table(HOUSEHOLD_FIELDS, homes.size)
    t.append(homes.size, home=homes, income=income, members=3)
    return t


def test_relocation_moves_only_affected_affluent_households_to_lower_scores():
    hs = HealthSection(relocation_probability=1.0, relocation_candidates=8)
    homes = np.zeros(200, dtype=np.int64)  # everyone in cell 0, the worst
    score = np.linspace(3.0, 1.0, 10)      # cell 9 is the cleanest
    hh = _households(homes, income=10.0)
    affected = np.zeros(200, bool)
    affected[:100] = True
    rng = np.random.default_rng(1)
    movers, cells = relocate(rng, hh, affected, 2.0, hs, np.arange(10), np.full(10, 0.1), score)
    assert movers.size > 90 and (movers < 100).all()
    assert (score[cells] < score[0]).all()
    poor = _households(homes, income=1.0)
    movers, _ = relocate(rng, poor, affected, 2.0, hs, np.arange(10), np.full(10, 0.1), score)
    assert movers.size == 0


def test_complaints_come_from_the_affected_and_the_laid_off():
    hs = HealthSection(complaint_probability=1.0, job_loss_complaint_probability=0.0)
    assert complaints(np.random.default_rng(0), 37, 100, hs) == 37
