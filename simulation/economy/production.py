"""Formal firms' month: plan workers, produce, sell, account, invest and innovate.

Units: money is nominal Rp million per month at agent scale; ``real_output`` is gross
output in 2025 Rp million; ``productivity`` is real value added per effective worker-
month, so a firm's real gross capacity is productivity x effective labour / (1 - input
share). All functions are array code over the whole firm table.

Accounts of a firm in a month (checked by :mod:`simulation.economy.accounts`):
sales = value added + purchases; value added = wages + charges and fines + profit (before
subsidies and green-technology costs booked by the regulator's programmes); profit is
paid out to the owner (``dividend_share`` of a positive profit) or retained as cash; a
share of retained profit is invested, and investment buys process improvements
(innovation) besides the learning every firm does from its sector's best practice.
"""

from __future__ import annotations

import numpy as np

from simulation.config import EconomySection
from simulation.economy.sectors import N_SECTORS, SectorArrays, sector_sum
from simulation.model.state import Table

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def rounding_offset(n: int) -> np.ndarray:
    """Each firm row's fixed rounding offset in [0, 1): the golden-ratio sequence of its
    row, evenly spread over any run of rows (no random draw, so no stream moves)."""
    return (np.arange(n) * _GOLDEN) % 1.0


def max_hiring_step(count_weight: np.ndarray, base: np.ndarray, max_hiring_share: float,
                    scale: int, rng: np.random.Generator | None) -> np.ndarray:
    """Most workers (agent units) each firm agent may hire or lay off this month: each of
    the ``count_weight`` real firms it stands for may change by ``max_hiring_share`` of its
    workforce (rounded up) plus one real worker. A fractional agent count is rounded up
    with chance equal to its fraction (only drawn where it is fractional: at scale 1 the
    limit is whole and no draw is made)."""
    per_firm = base * scale / count_weight
    limit = count_weight / scale * (np.ceil(max_hiring_share * per_firm) + 1.0)
    whole = np.floor(limit + 1e-9)
    frac = limit - whole
    part = np.flatnonzero(frac > 1e-9)
    if part.size and rng is not None:
        whole[part] += rng.random(part.size) < frac[part]
    elif part.size:
        whole = np.ceil(limit - 1e-9)
    return whole


def plan_labour(firms: Table, price: np.ndarray, sa: SectorArrays,
                max_hiring_share: float, scale: int = 1,
                rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Set each firm's target workforce from its demand; return (vacancies, excess
    workers), int64 per firm.

    Target effective labour = demand / price x (1 - input share) / productivity; workers
    = that / its workers' mean skill (last month's; 1 for a firm without workers). Firms plan
    on healthy-equivalent workers: days lost to ill health are absences covered by those at
    work, not by hiring, so worse health lowers output, not headcount up.
    Firms round their target to whole workers (agent units) at a fixed offset of their own
    (:func:`rounding_offset`, between 0 and 1) rather than at one half: rounding to the
    nearest worker, with the 5 % slack below, keeps a firm at its workforce while its
    target moves up to half a worker (agent) away, which at scale s is s/2 real workers
    and biased employment up as scale grew; offsets spread over [0, 1) round each firm's
    target up with chance equal to its fractional part, so the expected workforce is the
    target at any scale. Firms keep 5 % of slack before laying off, and change size by at
    most ``max_hiring_share`` of their workforce (+1) a month, or of a quarter of its
    target while it is smaller than that (ramp-up). That limit holds per real firm: an
    agent standing for ``count_weight`` real firms of workforce ``base x scale /
    count_weight`` each may change by ``count_weight / scale`` times their limits (agent
    units), rounded up or down at random (``rng``) when not whole, so a firm agent does
    not grow or shrink by a whole agent (``scale`` real workers) a month where the real
    firms it stands for could change by one or two workers.
    """
    alive = firms.alive
    sec = firms.sector
    # a firm that had no payroll last month (new, or just registered) plans on skill 1
    paid = (firms.workers > 0) & (firms.skill_sum > 0)
    per_worker = np.where(paid, firms.skill_sum / np.maximum(firms.workers, 1), 1.0)
    real = firms.demand / price[sec]
    labour = real * (1.0 - sa.intermediate[sec]) / np.maximum(firms.productivity, 1e-12)
    firms.target[:] = np.where(alive, labour / np.maximum(per_worker, 1e-6), 0.0)
    base = np.maximum(firms.workers, 0.25 * firms.target)  # a new plant ramps up in ~3 years
    step = max_hiring_step(firms.count_weight, base, max_hiring_share, scale, rng)
    offset = rounding_offset(firms.n)
    want = np.floor(firms.target + offset) - firms.workers
    vacancies = np.where(alive, np.clip(want, 0, step), 0).astype(np.int64)
    excess = firms.workers - np.floor(firms.target * 1.05 + offset)
    excess = np.where(alive, np.clip(excess, 0, step), firms.workers).astype(np.int64)
    return vacancies, excess


def capacity(firms: Table, sa: SectorArrays) -> np.ndarray:
    """Real gross output each live firm can make this month with its workers."""
    sec = firms.sector
    return np.where(firms.alive, firms.productivity * firms.eff_labour
                    / (1.0 - sa.intermediate[sec]), 0.0)


def produce(firms: Table, sector_demand: np.ndarray, price: np.ndarray, sa: SectorArrays,
            input_price: float) -> np.ndarray:
    """Sell up to demand, book sales, purchases and value added; return each sector's
    demand left unserved (nominal), which buyers take outside the city.

    ``sector_demand``: nominal demand for each sector's formal firms, which was allocated
    to firms by market share (``firms.demand``) plus any extra (e.g. informal customers
    not served). Customers a firm cannot serve buy from same-sector firms with spare
    capacity, in proportion to that spare capacity.
    """
    sec = firms.sector
    cap = capacity(firms, sa)
    wanted = firms.demand / price[sec]
    sold = np.minimum(wanted, cap)
    spare = cap - sold
    unmet = sector_demand - sector_sum(sold, sec) * price
    spare_total = sector_sum(spare, sec) * price
    filled = np.clip(unmet, 0.0, spare_total)
    fill = np.where(spare_total > 0, filled / np.maximum(spare_total, 1e-300), 0.0)
    firms.real_output[:] = sold + spare * fill[sec]
    firms.sales[:] = firms.real_output * price[sec]
    bought = firms.real_output * sa.intermediate[sec] * input_price
    # green technology saves inputs (fuel, water): at most half of the input bill
    firms.purchases[:] = bought - np.minimum(firms.green_saving * input_price, 0.5 * bought)
    firms.output[:] = firms.sales - firms.purchases
    return sector_demand - sector_sum(firms.sales, sec)


def emissions(firms: Table, sa: SectorArrays, base_price: np.ndarray) -> None:
    """Emissions (kg/month, agent scale) from real value added at base prices."""
    sec = firms.sector
    real_va = firms.real_output * (base_price[sec] - sa.intermediate[sec])
    cut = 1.0 - firms.green * sa.green_reduction[sec]
    firms.emission_air[:] = real_va * sa.air_intensity[sec] * firms.air_factor * cut
    firms.emission_water[:] = real_va * sa.water_intensity[sec] * firms.water_factor * cut


def unit_costs(firms: Table, sa: SectorArrays, input_price: float) -> None:
    """Normal unit cost: cost per real unit of gross output at full use of the firm's
    workforce (wages, charges and inputs net of green savings over capacity). Prices are
    set on normal cost (mark-up pricing), so a month of weak sales does not raise them."""
    cap = capacity(firms, sa)
    sec = firms.sector
    inputs = cap * sa.intermediate[sec] * input_price
    inputs -= np.minimum(firms.green_saving * input_price, 0.5 * inputs)
    firms.unit_cost[:] = np.where(cap > 0, (firms.wage_bill + firms.env_cost + inputs)
                                  / np.maximum(cap, 1e-300), 0.0)


def close_accounts(firms: Table, eco: EconomySection, overhead: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Profit, owners' pay, capital costs, investment and cash for the month.

    ``firms.profit`` holds the month's adjustments (subsidies - green costs) on entry.
    Profit = value added - wages - charges and fines - capital costs (``capital_cost_share``
    of value added: replacement of equipment and buildings, interest) - ``overhead`` (fixed
    costs per firm, agent scale). The owner takes
    ``dividend_share`` of a positive profit; a share of what is retained is invested in
    process improvements; cash beyond ``cash_target_months`` of wage bill is paid out too.
    Returns (owners' pay, investment, capital costs + overhead) per firm.
    """
    alive = firms.alive
    capital = np.where(alive, eco.capital_cost_share * np.maximum(firms.output, 0.0)
                       + overhead, 0.0)
    firms.profit[:] += firms.output - firms.wage_bill - firms.env_cost - capital
    dividends = np.where(alive, eco.dividend_share * np.maximum(firms.profit, 0.0), 0.0)
    retained = np.where(alive, firms.profit - dividends, 0.0)
    investment = np.where(alive & (firms.cash > 0), eco.investment_share
                          * np.maximum(retained, 0.0), 0.0)
    firms.cash[:] += retained - investment
    surplus = np.where(alive, np.maximum(firms.cash - eco.cash_target_months
                                         * firms.wage_bill, 0.0), 0.0)
    firms.cash[:] -= surplus
    firms.investment[:] = investment
    losing = alive & ((firms.profit < 0) | (firms.workers == 0))  # idle counts as loss
    firms.loss_months[:] = np.where(losing, firms.loss_months + 1, 0)
    return dividends + surplus, investment, capital


def innovate(firms: Table, rng: np.random.Generator, eco: EconomySection,
             practice: np.ndarray) -> None:
    """Productivity relative to the sector's best practice (``practice``, by sector, this
    month): process improvements won by investing (a chance that rises with investment /
    sales; upward jumps with log-sd ``innovation_sd``), and reversion of the firm's lead or
    lag (``productivity_reversion``: leaders are copied, laggards learn). Without a trend
    in best practice the distribution of productivity is stationary; a firm grows by
    investing and winning customers with lower costs."""
    alive = firms.alive
    intensity = np.where(firms.sales > 0, firms.investment / np.maximum(firms.sales, 1e-300),
                         0.0)
    p = 1.0 - np.exp(-eco.innovation_rate * intensity)
    draws = rng.random(firms.n)
    jumps = np.abs(rng.standard_normal(firms.n)) * eco.innovation_sd
    best = practice[firms.sector]
    rel = np.log(np.maximum(firms.productivity, 1e-300) / best)
    rel += -eco.productivity_reversion * rel + np.where(alive & (draws < p), jumps, 0.0)
    firms.productivity[alive] = (best * np.exp(rel))[alive]


def sector_totals(firms: Table, values: np.ndarray) -> np.ndarray:
    """Sum over live firms by sector."""
    return sector_sum(np.where(firms.alive, values, 0.0), firms.sector)


__all__ = ["N_SECTORS", "capacity", "close_accounts", "emissions", "innovate", "plan_labour",
           "produce", "sector_totals", "unit_costs"]
