"""Households' exposure, working capacity, complaints and relocation.

Exposure at home each month: total PM2.5 = this month's regional background + the local
increment from all city sources (industry, traffic, cooking, waste burning), its
industrial part, and, for homes within ``river_exposure_cells`` of the river, the BOD of
the nearest reach. ``above`` marks households over the PM2.5 annual standard or the BOD
standard (a planner's indicator). Nuisance, what residents notice and complain or move
about, is industrial smoke at home above ``nuisance_air_ugm3`` or a polluted reach nearby.
Working capacity (``households.health``) follows
:func:`simulation.society.health_burden.working_capacity`. Complaints and moves are drawn
from the ``social`` stream.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.config import Config, HealthSection
from simulation.environment.pollution import Pollution
from simulation.model.by_cell import one_row_per_cell
from simulation.model.state import Table
from simulation.society.health_burden import working_capacity


@njit(cache=True)
def expose(home, local_air, industrial_air, background, annual_air, water_cell, air_standard,
           water_standard, nuisance_air, air_out, industrial_out, water_out, above_out,
           river_out, affected_out):
    """One month of exposure for every household (arrays of length n).

    local_air / industrial_air: float64[cells] PM2.5 increment from all city sources / from
    industry (ug/m3); annual_air: float64[cells] total PM2.5 over the last 12 months, which
    the annual ``air_standard`` is compared with (a dry-season month above it is not a
    breach of an annual standard); water_cell: float64[cells] river BOD a home in that cell
    meets (0 away from the river), compared monthly with the BOD standard. Writes air_out
    (total PM2.5 at home this month), industrial_out, water_out, above_out (over a
    standard), river_out (near a reach over the BOD standard) and affected_out (nuisance);
    returns the number affected.
    """
    n_affected = 0
    for h in range(home.shape[0]):
        c = home[h]
        air = background + local_air[c]
        ind = industrial_air[c]
        water = water_cell[c]
        air_out[h] = air
        industrial_out[h] = ind
        water_out[h] = water
        polluted_river = water > water_standard
        river_out[h] = polluted_river
        above_out[h] = annual_air[c] > air_standard or polluted_river
        affected = ind > nuisance_air or polluted_river
        affected_out[h] = affected
        n_affected += affected
    return n_affected


class Exposure:
    """Per-household exposure arrays of the current month, kept between steps."""

    def __init__(self, cfg: Config) -> None:
        self.env, self.hs = cfg.environment, cfg.health
        self.industrial = np.zeros(0)              # ug/m3 industrial PM2.5 at home
        self.river = np.zeros(0, dtype=bool)       # near a reach over the BOD standard
        self.affected = np.zeros(0, dtype=bool)    # nuisance: may complain or move

    def update(self, households: Table, pollution: Pollution, above: np.ndarray) -> int:
        """Exposure, ``above`` and working capacity of every household; returns the number
        affected by nuisance."""
        n = households.n
        if self.affected.size != n:
            self.industrial = np.zeros(n)
            self.river = np.zeros(n, dtype=bool)
            self.affected = np.zeros(n, dtype=bool)
        env = self.env
        n_affected = int(expose(
            households.home, pollution.air_flat, pollution.industrial_flat,
            pollution.background, pollution.annual_total_flat, pollution.water_cell,
            env.air_standard,
            env.water_standard_mg_l, self.hs.nuisance_air_ugm3, households.air,
            self.industrial, households.water, above, self.river, self.affected))
        # capacity depends on the home cell only: evaluated on one household per cell
        first, slot = one_row_per_cell(households.home, pollution.water_cell.size)
        capacity = working_capacity(households.air[first], self.river[first], self.hs)
        households.health[:] = capacity[slot]
        return n_affected


def complaints(rng: np.random.Generator, n_affected: int, n_laid_off: int,
               hs: HealthSection) -> int:
    """Complaints lodged this month (agent scale): nuisance-affected households and job
    losses."""
    return int(rng.binomial(n_affected, hs.complaint_probability)
               + rng.binomial(n_laid_off, hs.job_loss_complaint_probability))


def relocate(rng: np.random.Generator, households: Table, affected: np.ndarray, umk: float,
             hs: HealthSection, home_cells: np.ndarray, home_p: np.ndarray,
             score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Affected households that can afford it move to the viewed home with the lowest
    exposure ``score`` (per flat cell: air and river relative to their standards), if it
    is lower than at home. Returns (rows that moved, their new cells)."""
    can = np.flatnonzero(affected & (households.income >= hs.relocation_income_multiple * umk))
    n_move = rng.binomial(can.size, hs.relocation_probability)
    if n_move == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    movers = np.sort(rng.choice(can, size=n_move, replace=False))
    viewed = home_cells[rng.choice(home_cells.size, size=(n_move, hs.relocation_candidates),
                                   p=home_p)]
    best = viewed[np.arange(n_move), np.argmin(score[viewed], axis=1)]
    better = score[best] < score[households.home[movers]]
    return movers[better], best[better]
