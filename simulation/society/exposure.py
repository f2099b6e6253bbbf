"""Households' exposure, health, complaints and relocation.

Exposure: total PM2.5 at home (regional background + the industrial field) and, for
homes within ``river_exposure_cells`` of the river, the BOD of the nearest river segment.
Health moves towards its healthy level and is damaged by exposure above the national
standards. Complaints and moves are drawn from the ``social`` stream.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.config import HealthSection
from simulation.model.state import Table


@njit(cache=True)
def expose_and_heal(home, air_field, water_cell, background, air_standard, water_standard,
                    recovery, healthy, air_damage, water_damage, health, air_out, water_out,
                    above_out):
    """One month of exposure and health for every household (arrays of length n).

    air_field: float64[cells] industrial PM2.5 (ug/m3); water_cell: float64[cells] river
    BOD a home in that cell is exposed to (0 away from the river). Writes health (0-1),
    air_out, water_out and above_out (either standard exceeded); returns the count above.
    """
    n_above = 0
    for h in range(home.shape[0]):
        c = home[h]
        air = background + air_field[c]
        water = water_cell[c]
        dmg = air_damage * max(air - air_standard, 0.0) + water_damage * max(
            water - water_standard, 0.0)
        v = health[h] + recovery * (healthy - health[h]) - dmg
        health[h] = min(max(v, 0.0), 1.0)
        air_out[h] = air
        water_out[h] = water
        above = air > air_standard or water > water_standard
        above_out[h] = above
        n_above += above
    return n_above


def complaints(rng: np.random.Generator, n_above: int, n_laid_off: int,
               hs: HealthSection) -> int:
    """Complaints lodged this month (agent scale): exposed households and job losses."""
    return int(rng.binomial(n_above, hs.complaint_probability)
               + rng.binomial(n_laid_off, hs.job_loss_complaint_probability))


def relocate(rng: np.random.Generator, households: Table, above: np.ndarray, umk: float,
             hs: HealthSection, home_cells: np.ndarray, home_p: np.ndarray,
             air_field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exposed households that can afford it move to the least polluted of a few viewed
    homes, if it is cleaner. Returns (rows that moved, their new cells)."""
    can = np.flatnonzero(above & (households.income >= hs.relocation_income_multiple * umk))
    n_move = rng.binomial(can.size, hs.relocation_probability)
    if n_move == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    movers = np.sort(rng.choice(can, size=n_move, replace=False))
    viewed = home_cells[rng.choice(home_cells.size, size=(n_move, hs.relocation_candidates),
                                   p=home_p)]
    best = viewed[np.arange(n_move), np.argmin(air_field[viewed], axis=1)]
    better = air_field[best] < air_field[households.home[movers]]
    return movers[better], best[better]
