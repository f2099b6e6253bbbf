"""Production and demand: the monthly economy of firms, as array code over all firms.

Money is in Rp million per month (nominal) unless a name says ``real`` (2025 prices).
Each sector faces demand from Blitar households (local share, following real household
income) and from outside the city (growing at the sector's rate). Firms split their
sector's demand by market share, plan workers to meet it, produce what their health-
adjusted workers allow, pay wages, charges and fines, and win or lose market share by
unit cost. Firms exit after persistent losses or by a small hazard; entrants come in
proportion to how profitable the sector is compared with the start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.config import Config
from simulation.model.state import Table


@dataclass(frozen=True)
class SectorArrays:
    """Per-sector parameters as arrays indexed by sector number (SECTOR_NAMES order)."""

    manufacturing: np.ndarray
    wage_share: np.ndarray
    local_share: np.ndarray
    outside_growth: np.ndarray
    air_intensity: np.ndarray
    water_intensity: np.ndarray
    green_cost: np.ndarray
    green_reduction: np.ndarray

    @classmethod
    def from_config(cls, cfg: Config) -> SectorArrays:
        secs = [sc for _, sc in cfg.sectors.items()]
        return cls(
            manufacturing=np.array([s.manufacturing for s in secs]),
            wage_share=np.array([s.wage_share if s.wage_share is not None
                                 else cfg.labour.wage_share for s in secs]),
            local_share=np.array([s.local_demand_share for s in secs]),
            outside_growth=np.array([s.outside_demand_growth for s in secs]),
            air_intensity=np.array([s.air_intensity for s in secs]),
            water_intensity=np.array([s.water_intensity for s in secs]),
            green_cost=np.array([s.green_cost for s in secs]),
            green_reduction=np.array([s.green_reduction for s in secs]),
        )


def umk_for_year(cfg: Config, year: int, growth: float) -> float:
    """UMK (Rp million/month): the decreed 2025 and 2026 values, then ``growth`` per year."""
    lab = cfg.labour
    if year <= 2025:
        return lab.umk_2025 / (1.0 + growth) ** (2025 - year)
    return lab.umk_2026 * (1.0 + growth) ** (year - 2026)


def next_umk(cfg: Config, year: int, previous: float, growth: float) -> float:
    """January's UMK: the decreed value up to 2026, then last year's UMK grown by the
    growth rate in force (so a scheduled change applies from its year on, not backwards)."""
    if year <= 2026:
        return umk_for_year(cfg, year, growth)
    return previous * (1.0 + growth)


def sector_sum(values: np.ndarray, sector: np.ndarray, n_sectors: int) -> np.ndarray:
    return np.bincount(sector, weights=values, minlength=n_sectors)


def sector_demand(base_real: np.ndarray, sa: SectorArrays, years: float, price: float,
                  local_index: float, env_cost_share: np.ndarray, elasticity: float) -> np.ndarray:
    """Nominal demand per sector this month (Rp million)."""
    outside = (1.0 + sa.outside_growth) ** years
    mix = sa.local_share * local_index + (1.0 - sa.local_share) * outside
    return base_real * price * mix * (1.0 + env_cost_share) ** (-elasticity)


def normalise_shares(firms: Table, n_sectors: int) -> None:
    """Market shares of live firms sum to 1 within each sector; dead firms hold none."""
    share = np.where(firms.alive, firms.market_share, 0.0)
    totals = sector_sum(share, firms.sector, n_sectors)
    firms.market_share[:] = np.where(totals[firms.sector] > 0,
                                     share / np.maximum(totals[firms.sector], 1e-300), 0.0)


def plan_labour(firms: Table, demand_by_sector: np.ndarray, unit_capacity: np.ndarray,
                max_hiring_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Set demand and target workers; return (vacancies, excess workers), int64 per firm.

    unit_capacity: nominal output one worker of this firm produces this month.
    Firms hire when short by half a worker or more, keep 5 % (and half a worker) of
    slack before laying off, and change size by at most ``max_hiring_share`` of their
    workforce (+1) a month.
    """
    alive = firms.alive
    firms.demand[:] = np.where(alive, firms.market_share * demand_by_sector[firms.sector], 0.0)
    firms.target[:] = np.where(alive, firms.demand / np.maximum(unit_capacity, 1e-12), 0.0)
    step = np.ceil(max_hiring_share * np.maximum(firms.workers, firms.target)) + 1
    want = np.floor(firms.target + 0.5) - firms.workers
    vacancies = np.where(alive, np.clip(want, 0, step), 0).astype(np.int64)
    excess = firms.workers - np.floor(firms.target * 1.05 + 0.5)
    excess = np.where(alive, np.clip(excess, 0, step), firms.workers).astype(np.int64)
    return vacancies, excess


def produce(firms: Table, sa: SectorArrays, nominal_productivity: np.ndarray, price: float,
            green_reduction_factor: np.ndarray, capital_share: float) -> None:
    """Output (value added), emissions from real output (kg/month) and gross profit.

    A firm sells up to its demand; demand its short-staffed competitors cannot serve goes
    to same-sector firms with spare capacity, in proportion to that spare capacity."""
    capacity = np.where(firms.alive, nominal_productivity * firms.eff_labour, 0.0)
    sold = np.minimum(firms.demand, capacity)
    # Customers a firm cannot serve buy from same-sector firms with spare capacity.
    n_sectors = sa.manufacturing.size
    spare = capacity - sold
    unmet = sector_sum(firms.demand - sold, firms.sector, n_sectors)
    spare_total = sector_sum(spare, firms.sector, n_sectors)
    fill = np.minimum(1.0, unmet / np.maximum(spare_total, 1e-12))
    firms.output[:] = sold + spare * fill[firms.sector]
    real = firms.output / price
    sec = firms.sector
    firms.emission_air[:] = (real * sa.air_intensity[sec] * firms.air_factor
                             * green_reduction_factor)
    firms.emission_water[:] = (real * sa.water_intensity[sec] * firms.water_factor
                               * green_reduction_factor)
    firms.profit[:] = firms.output * (1.0 - capital_share) - firms.wage_bill


def settle(firms: Table, n_sectors: int, adjustment: float) -> None:
    """Book environmental costs into profit, count loss months, move market shares."""
    firms.profit[:] -= firms.env_cost
    losing = firms.alive & ((firms.profit < 0) | (firms.workers == 0))  # idle counts as loss
    firms.loss_months[:] = np.where(losing, firms.loss_months + 1, 0)
    producing = firms.alive & (firms.output > 0)
    unit_cost = np.where(producing, (firms.wage_bill + firms.env_cost)
                         / np.maximum(firms.output, 1e-12), 0.0)
    out_by_sector = sector_sum(np.where(producing, firms.output, 0.0), firms.sector, n_sectors)
    cost_by_sector = sector_sum(unit_cost * np.where(producing, firms.output, 0.0),
                                firms.sector, n_sectors)
    mean_cost = cost_by_sector / np.maximum(out_by_sector, 1e-12)
    rel = np.where(producing, (unit_cost - mean_cost[firms.sector])
                   / np.maximum(mean_cost[firms.sector], 1e-12), 0.0)
    firms.market_share[:] *= np.exp(-adjustment * np.clip(rel, -1.0, 1.0))
    normalise_shares(firms, n_sectors)


def exits(firms: Table, rng: np.random.Generator, exit_loss_months: int,
          hazard_per_month: float) -> np.ndarray:
    """Rows of firms that close this month: persistent losses (or idleness), or hazard."""
    alive = firms.alive
    shock = np.zeros(firms.n, dtype=bool)
    live_rows = np.flatnonzero(alive & ~firms.anchor)
    n_shock = rng.binomial(live_rows.size, hazard_per_month)
    shock[rng.choice(live_rows, size=n_shock, replace=False)] = True
    return np.flatnonzero(alive & ((firms.loss_months >= exit_loss_months) | shock))


def expected_entrants(firms: Table, n_sectors: int, entry_rate_month: float,
                      margin0: np.ndarray) -> np.ndarray:
    """Expected entrants per sector: entry rate x live firms x (margin / start margin)."""
    n_live = sector_sum(firms.alive.astype(float), firms.sector, n_sectors)
    margin = sector_margins(firms, n_sectors)
    signal = np.clip(margin / np.where(margin0 > 0, margin0, 1.0), 0.0, 2.0)
    return entry_rate_month * n_live * signal


def sector_margins(firms: Table, n_sectors: int) -> np.ndarray:
    alive = firms.alive
    out = sector_sum(np.where(alive, firms.output, 0.0), firms.sector, n_sectors)
    prof = sector_sum(np.where(alive, firms.profit, 0.0), firms.sector, n_sectors)
    return prof / np.maximum(out, 1e-12)
