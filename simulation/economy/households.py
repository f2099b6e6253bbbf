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
from numba import njit

from simulation.config import Config
from simulation.economy.ufuncs import maximum, minimum
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
    decay = np.exp(_income_exponent(households.smoothed_income, households.members,
                                    consumer_price, hs.income_scale))
    return hs.consumption_share_rich + (hs.consumption_share_poor - hs.consumption_share_rich) \
        * decay


def plan_spending(cfg: Config, households: Table, consumer_price: float) -> None:
    """Next month's consumption = spending share x smoothed income + ``wealth_spending`` x
    savings above the buffer, raised to subsistence x members if savings allow, never more
    than savings + smoothed income (households do not borrow to consume)."""
    hs = cfg.households
    _plan(spending_share(cfg, households, consumer_price), households.smoothed_income,
          households.wealth, households.members, consumer_price, hs.buffer_months,
          hs.wealth_spending, hs.subsistence, households.consumption)


@njit(cache=True, error_model="numpy")  # x / 0 gives inf, as numpy
def _income_exponent(smoothed_income, members, consumer_price, income_scale):
    """-(income per person at 2025 prices) / income_scale, per household (members at
    least 1): the exponent of the spending share, in one pass (numpy's exp follows, as
    in the array formulation this replaced)."""
    out = np.empty(smoothed_income.shape[0])
    for h in range(out.shape[0]):
        per_person = smoothed_income[h] / maximum(np.float64(members[h]), 1.0) / consumer_price
        out[h] = -per_person / income_scale
    return out


@njit(cache=True)
def _plan(share, smoothed_income, wealth, members, consumer_price, buffer_months,
          wealth_spending, subsistence, consumption):
    """:func:`plan_spending`'s rule per household, in one pass (the same arithmetic as the
    array formulation it replaced), written into ``consumption``."""
    for h in range(share.shape[0]):
        excess = wealth[h] - buffer_months * smoothed_income[h]
        plan = share[h] * smoothed_income[h] + wealth_spending * maximum(excess, 0.0)
        affordable = maximum(wealth[h] + smoothed_income[h], 0.0)
        floor = minimum(subsistence * np.float64(members[h]) * consumer_price, affordable)
        consumption[h] = minimum(maximum(plan, floor), affordable)


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
