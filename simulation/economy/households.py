"""Households' money: income from every source, spending out of smoothed income, savings.

Income (nominal Rp million per month) = formal wages + informal earnings + profits paid
out by the firms the household owns + transfers (pensions, social assistance,
remittances; ``population.non_labour_income``, growing with prices). A household spends
a share of its smoothed income that falls with income per person (the poor spend almost
all of it, the rich save more), at least a subsistence level while its savings last; the
rest is saved. Spending is decided at the end of a month for the next one, from what the
household knows then (its income so far).
"""

from __future__ import annotations

import numpy as np

from simulation.config import Config
from simulation.model.state import Table


def collect_income(households: Table, transfers: float,
                   owner_income: np.ndarray) -> None:
    """Total income this month; ``wage_income`` and ``informal_income`` are already set."""
    households.owner_income[:] = owner_income
    households.income[:] = (households.wage_income + households.informal_income
                            + owner_income + transfers)


def book_month(cfg: Config, households: Table) -> None:
    """This month's saving (wealth += income - consumption) and the smoothed income."""
    households.wealth[:] += households.income - households.consumption
    households.smoothed_income[:] += (households.income - households.smoothed_income) \
        / cfg.households.smoothing_months


def spending_share(cfg: Config, households: Table, consumer_price: float) -> np.ndarray:
    """Share of smoothed income spent, falling with income per person (2025 prices)."""
    hs = cfg.households
    members = households.members.astype(np.float64)
    per_person = households.smoothed_income / np.maximum(members, 1.0) / consumer_price
    return hs.consumption_share_rich + (hs.consumption_share_poor - hs.consumption_share_rich) \
        * np.exp(-per_person / hs.income_scale)


def plan_spending(cfg: Config, households: Table, consumer_price: float) -> None:
    """Next month's consumption = spending share x smoothed income + ``wealth_spending`` x
    savings above the buffer, raised to subsistence x members if savings allow, never more
    than savings + smoothed income (households do not borrow to consume)."""
    hs = cfg.households
    members = households.members.astype(np.float64)
    excess = households.wealth - hs.buffer_months * households.smoothed_income
    plan = spending_share(cfg, households, consumer_price) * households.smoothed_income \
        + hs.wealth_spending * np.maximum(excess, 0.0)
    affordable = np.maximum(households.wealth + households.smoothed_income, 0.0)
    floor = np.minimum(hs.subsistence * members * consumer_price, affordable)
    households.consumption[:] = np.minimum(np.maximum(plan, floor), affordable)


def start_accounts(cfg: Config, households: Table, consumer_price: float) -> None:
    """At set-up: smoothed income = this month's income and the savings at which a household
    with a steady income spends all of it (the buffer plus what makes the wealth effect
    cover the part of income it would otherwise save), then the first spending plan."""
    hs = cfg.households
    y = households.income
    households.smoothed_income[:] = y
    saved = (1.0 - spending_share(cfg, households, consumer_price)) * np.maximum(y, 0.0)
    extra = saved / hs.wealth_spending if hs.wealth_spending > 0 else 0.0
    households.wealth[:] = hs.buffer_months * y + extra
    plan_spending(cfg, households, consumer_price)
