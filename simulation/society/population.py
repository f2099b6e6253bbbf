"""The synthetic population: households and their workers, at the start and as it grows.

Draws only from the ``population`` and ``demography`` streams, so the initial population
depends on the population and map settings and the seed, never on a policy lever.
"""

from __future__ import annotations

import numpy as np

from simulation.config import Config
from simulation.environment.geography import LANDUSE_CODES, CityMap
from simulation.model.state import HOUSEHOLD_FIELDS, WORKER_FIELDS, Table

# Workers per household (0..4): illustrative shape with mean ~1.86 labour-force members,
# rescaled below so the total matches the Sakernas labour force exactly.
WORKERS_PER_HOUSEHOLD_P = np.array([0.07, 0.29, 0.40, 0.19, 0.05])
HOME_WEIGHT = {"residential": 1.0, "commercial": 0.5}  # illustrative: mixed-use core


def start_population(cfg: Config) -> float:
    """Residents at the start (1 Jan of start_year); the BPS 2024 figure is mid-year."""
    p = cfg.population
    return p.population_2024 * (1.0 + p.growth_per_year) ** (cfg.scenario.start_year - 2024.5)


def home_cells(city: CityMap) -> tuple[np.ndarray, np.ndarray]:
    """Cells where households can live, with their (unnormalised) weights."""
    cells, weights = [], []
    for name, weight in HOME_WEIGHT.items():
        idx = np.flatnonzero(city.landuse.ravel() == LANDUSE_CODES[name])
        cells.append(idx)
        weights.append(np.full(idx.size, weight))
    return np.concatenate(cells), np.concatenate(weights)


def draw_skill(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """Log-normal worker skill with mean 1."""
    return rng.lognormal(-0.5 * sigma * sigma, sigma, n)


def _add_households(cfg: Config, city: CityMap, rng: np.random.Generator, households: Table,
                    workers: Table, n: int, labour_force: int | None) -> np.ndarray:
    """Append ``n`` households (and their workers, unemployed); returns the new rows."""
    n_workers = rng.choice(WORKERS_PER_HOUSEHOLD_P.size, size=n, p=WORKERS_PER_HOUSEHOLD_P)
    if labour_force is not None:  # hit the surveyed labour force exactly
        diff = labour_force - int(n_workers.sum())
        step = 1 if diff > 0 else -1
        while diff != 0:
            eligible = np.flatnonzero(n_workers < 4) if step > 0 else np.flatnonzero(
                n_workers > 0)
            take = rng.choice(eligible, size=min(abs(diff), eligible.size), replace=False)
            n_workers[take] += step
            diff -= step * take.size
    adults = np.maximum(n_workers, 1)
    extra = max(cfg.population.persons_per_household - adults.mean(), 0.0)
    members = adults + rng.poisson(extra, n)
    cells, weights = home_cells(city)
    homes = cells[rng.choice(cells.size, size=n, p=weights / weights.sum())]
    first = workers.n + np.concatenate(([0], np.cumsum(n_workers)[:-1]))
    rows = households.append(n, home=homes, members=members, n_workers=n_workers,
                             first_worker=first, health=cfg.health.initial_health)
    owner = np.repeat(rows, n_workers)
    workers.append(owner.size, household=owner,
                   skill=draw_skill(rng, cfg.population.skill_sigma, owner.size), employer=-1)
    return rows


def initial_population(cfg: Config, city: CityMap,
                       rng: np.random.Generator) -> tuple[Table, Table]:
    """Households and workers at the start, all workers still unemployed (firms hire them
    in :func:`simulation.firms.initial_jobs`)."""
    scale = cfg.scenario.scale
    residents = start_population(cfg)
    n_households = round(residents / cfg.population.persons_per_household / scale)
    labour_force = round(residents * cfg.population.labour_force_per_person / scale)
    households = Table(HOUSEHOLD_FIELDS, int(n_households * 1.4))
    workers = Table(WORKER_FIELDS, int(labour_force * 1.4))
    _add_households(cfg, city, rng, households, workers, n_households, labour_force)
    return households, workers


def grow_population(cfg: Config, city: CityMap, rng: np.random.Generator, households: Table,
                    workers: Table) -> np.ndarray:
    """New households this month (population growth); returns their rows."""
    expected = households.n * cfg.population.growth_per_year / 12.0
    n_new = int(np.floor(expected) + (rng.random() < expected - np.floor(expected)))
    if n_new <= 0:
        return np.empty(0, dtype=np.int64)
    return _add_households(cfg, city, rng, households, workers, n_new, None)
