"""Sector markets: prices from unit costs, and demand assembled from who spends in Blitar.

Money is nominal Rp million per month at agent scale (city totals are ``scale`` times
larger). Each sector has one price index (gross output, 1 = calibration); it follows the
sector's output-weighted unit cost times a mark-up, with a lag, so productivity gains and
charges pass into prices. Demand for a sector's output comes from

* households: their local spending (decided last month from their incomes) split by the
  sector's consumption share; a sector's ``informal_share`` of it goes to informal
  producers, the rest to formal firms;
* the city government (central transfers spent on local services), the regulator's
  programmes and firms' local investment (construction, installation): services;
* outside buyers: a base level calibrated at the start, growing at the sector's outside
  growth rate, hit by persistent (AR(1)) shocks and falling when Blitar's price rises
  relative to outside prices (``export_price_elasticity``).

Local demand that Blitar's producers cannot serve is bought outside (an import).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.config import Config
from simulation.economy.sectors import N_SECTORS, SERVICES, SectorArrays, sector_sum
from simulation.model.state import Table


@dataclass
class Demand:
    """One month's demand by sector (nominal, agent scale)."""

    formal: np.ndarray                 # for formal firms, all buyers
    informal: np.ndarray               # for informal producers (households' spending)
    households_formal: np.ndarray      # households' part of ``formal``
    exports: np.ndarray                # outside buyers' part of ``formal``
    public: float                      # government + programmes + local investment (services)
    imports: float = 0.0               # spending that leaves the city directly


@dataclass
class Markets:
    """Sector prices, mark-ups and the outside-demand state."""

    sa: SectorArrays
    price: np.ndarray = field(default_factory=lambda: np.ones(N_SECTORS))
    markup: np.ndarray = field(default_factory=lambda: np.zeros(N_SECTORS))
    base_price: np.ndarray = field(default_factory=lambda: np.ones(N_SECTORS))
    export_base: np.ndarray = field(default_factory=lambda: np.zeros(N_SECTORS))
    shock: np.ndarray = field(default_factory=lambda: np.zeros(N_SECTORS))
    outside_price: float = 1.0   # price level outside the city (inputs, competitors)

    def calibrate_markups(self, firms: Table) -> None:
        """Mark-ups that make this month's prices the sector's unit cost times (1 + m):
        the gap between price and cost implied by the base-year data (floored at 2 %)."""
        cost = self.sector_unit_cost(firms)
        self.markup[:] = np.where(cost > 0, np.maximum(self.price / np.maximum(cost, 1e-12)
                                                       - 1.0, 0.02), 0.02)

    def sector_unit_cost(self, firms: Table) -> np.ndarray:
        """Output-weighted mean unit cost per sector (Rp per real unit of gross output)."""
        live = firms.alive & (firms.eff_labour > 0)
        q = np.where(live, firms.productivity * firms.eff_labour, 0.0)  # capacity weights
        cost = sector_sum(np.where(live, firms.unit_cost, 0.0) * q, firms.sector)
        total = sector_sum(q, firms.sector)
        return np.where(total > 0, cost / np.maximum(total, 1e-300), 0.0)

    def update_prices(self, firms: Table, adjustment: float) -> None:
        """Move each sector's price a share of the way to mark-up over unit cost."""
        cost = self.sector_unit_cost(firms)
        target = (1.0 + self.markup) * cost
        has = cost > 0
        self.price[has] += adjustment * (target[has] - self.price[has])

    def shock_outside_demand(self, rng: np.random.Generator, sd: float, rho: float) -> None:
        self.shock[:] = rho * self.shock + sd * rng.standard_normal(N_SECTORS)

    def exports(self, growth_factor: np.ndarray, elasticity: float) -> np.ndarray:
        """Outside buyers' nominal demand per sector this month."""
        relative = self.price / self.outside_price
        real = self.export_base * growth_factor * np.exp(self.shock) * relative ** (-elasticity)
        return self.price * real

    def demand(self, household_local: float, public_local: float,
               growth_factor: np.ndarray, elasticity: float) -> Demand:
        """Demand by sector from households' local spending (nominal), public local
        spending (services) and outside buyers."""
        sa = self.sa
        by_sector = household_local * sa.consumption
        informal = by_sector * sa.informal
        households_formal = by_sector - informal
        exports = self.exports(growth_factor, elasticity)
        formal = households_formal + exports
        formal[SERVICES] += public_local
        return Demand(formal=formal, informal=informal, households_formal=households_formal,
                      exports=exports, public=public_local)


def calibrate_export_base(markets: Markets, capacity_nominal: np.ndarray,
                          local_formal: np.ndarray, elasticity: float) -> None:
    """Outside demand at the start = what formal firms can sell beyond local demand (the
    city's export base, the usual residual of a regional accounting matrix); at least 5 %
    of every sector's capacity is sold outside."""
    nominal = np.maximum(capacity_nominal - local_formal, 0.05 * capacity_nominal)
    relative = markets.price / markets.outside_price
    markets.export_base[:] = nominal / markets.price * relative ** elasticity


def outside_growth_factor(sa: SectorArrays, years: float) -> np.ndarray:
    """Real outside demand relative to the start (trend only; 1 during the burn-in)."""
    return (1.0 + sa.outside_growth) ** years


def allocate(firms: Table, formal_demand: np.ndarray) -> None:
    """Each live firm's demand: its market share of its sector's formal demand."""
    firms.demand[:] = np.where(firms.alive, firms.market_share * formal_demand[firms.sector],
                               0.0)


def normalise_shares(firms: Table) -> None:
    """Market shares of live firms sum to 1 within each sector; dead firms hold none."""
    share = np.where(firms.alive, firms.market_share, 0.0)
    totals = sector_sum(share, firms.sector)
    firms.market_share[:] = np.where(totals[firms.sector] > 0,
                                     share / np.maximum(totals[firms.sector], 1e-300), 0.0)


def update_shares(firms: Table, adjustment: float) -> None:
    """Cheaper producers win market share: share x exp(-adjustment x relative cost gap)."""
    producing = firms.alive & (firms.eff_labour > 0)
    q = np.where(producing, firms.productivity * firms.eff_labour, 0.0)
    mean = sector_sum(np.where(producing, firms.unit_cost, 0.0) * q, firms.sector) / \
        np.maximum(sector_sum(q, firms.sector), 1e-300)
    m = mean[firms.sector]
    rel = np.where(producing & (m > 0), (firms.unit_cost - m) / np.maximum(m, 1e-300), 0.0)
    firms.market_share[:] *= np.exp(-adjustment * np.clip(rel, -1.0, 1.0))
    normalise_shares(firms)


def household_local_spending(cfg: Config, spending: float) -> tuple[float, float]:
    """(local, imported) parts of households' spending."""
    local = cfg.households.local_spending_share * spending
    return local, spending - local
