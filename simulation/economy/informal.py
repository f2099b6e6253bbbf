"""Informal work: own-account, family workers and household industries.

Sakernas counts informal work as work: open unemployment is having no work at all and
searching. Each household has one informal activity (its ``informal_sector``: a warung or
trade for most, tofu/tempe making in Pakunden, batik in Turi, crafts in the wood
clusters). Its members without a formal job may work in it.

* Demand: households spend a sector's ``informal_share`` of their local spending on that
  sector at informal producers. Informal producers of a sector share that income: their
  value added (sales less inputs bought outside) is split in proportion to each worker's
  effective labour, up to their capacity (``informal_productivity`` per effective worker);
  demand beyond capacity goes to formal firms. So earnings fall when more people crowd
  into informal work, and rise when formal jobs draw them away.
* Choices (``labour`` stream is not used; draws come from the ``informal`` stream): an
  unemployed worker takes informal work with a chance that rises with the earnings it can
  expect relative to its reservation (``reservation`` x UMK x skill: better-educated seekers
  queue for formal jobs); an informal worker stops to search full time with a chance that
  rises when earnings fall below the reservation. Informal workers keep applying for
  formal jobs (:mod:`simulation.economy.labour_market`).
* Informal household industries pollute where they are: at home
  (:func:`informal_emissions`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.config import Config
from simulation.economy.sectors import N_SECTORS, SectorArrays
from simulation.economy.ufuncs import clip, maximum, minimum
from simulation.model.state import INFORMAL, UNEMPLOYED, Table


def choose(cfg: Config, workers: Table, households: Table, earnings_per_effort: np.ndarray,
           umk: float, rng: np.random.Generator) -> tuple[int, int]:
    """Move workers between unemployment and informal work; returns (took up, quit).

    The chance is 2 x rate x logistic(steepness x (earnings / reservation - 1)) for the
    unemployed (take up) and of its negative for informal workers (quit), at most 1. Only
    the workers who can choose are computed, in two compiled passes around numpy's exp
    (kept, so the numbers stay those of the array formulation it replaced)."""
    inf = cfg.informal
    u = rng.random(workers.n)
    rows_u, arg_u, rows_i, arg_i = _choice_exponents(
        workers.status, workers.household, households.informal_sector, earnings_per_effort,
        workers.effective, workers.skill, inf.reservation * umk, inf.take_up_steepness)
    took = _switch(rows_u, np.exp(arg_u), u, 2.0 * inf.take_up_rate, workers.status,
                   INFORMAL, workers.earnings, False)
    quit_ = _switch(rows_i, np.exp(arg_i), u, 2.0 * inf.quit_rate, workers.status,
                    UNEMPLOYED, workers.earnings, True)
    return int(took), int(quit_)


@njit(cache=True, error_model="numpy")  # x / 0 gives inf, as numpy
def _choice_exponents(status, household, informal_sector, per_effort, effective, skill,
                      reserve, steepness):
    """Rows of the unemployed and of informal workers, and for each the exponent of its
    logistic: -clip(steepness x (ratio - 1)) for the unemployed, -clip(steepness x
    (1 - ratio)) for informal workers (clipped to +-50), ratio = expected informal
    earnings / reservation (``reserve`` x skill, at least 1e-12)."""
    n_u = n_i = 0
    for w in range(status.shape[0]):
        n_u += status[w] == UNEMPLOYED
        n_i += status[w] == INFORMAL
    rows_u, arg_u = np.empty(n_u, dtype=np.int64), np.empty(n_u)
    rows_i, arg_i = np.empty(n_i, dtype=np.int64), np.empty(n_i)
    k_u = k_i = 0
    for w in range(status.shape[0]):
        if status[w] != UNEMPLOYED and status[w] != INFORMAL:
            continue
        expected = per_effort[informal_sector[household[w]]] * effective[w]
        reservation = reserve * skill[w]
        ratio = expected / maximum(reservation, 1e-12)
        if status[w] == UNEMPLOYED:
            rows_u[k_u], arg_u[k_u] = w, -clip(steepness * (ratio - 1.0), -50.0, 50.0)
            k_u += 1
        else:
            rows_i[k_i], arg_i[k_i] = w, -clip(steepness * (1.0 - ratio), -50.0, 50.0)
            k_i += 1
    return rows_u, arg_u, rows_i, arg_i


@njit(cache=True, error_model="numpy")  # x / 0 gives inf, as numpy
def _switch(rows, exp_arg, u, twice_rate, status, to_status, earnings, clear_earnings):
    """Workers ``rows`` whose uniform ``u`` falls below min(1, twice_rate x logistic)
    (logistic = 1 / (1 + exp_arg)) move to ``to_status`` (and lose their informal
    earnings if ``clear_earnings``). Returns how many moved."""
    n = 0
    for j in range(rows.shape[0]):
        chance = minimum(1.0, twice_rate * (1.0 / (1.0 + exp_arg[j])))
        w = rows[j]
        if u[w] < chance:
            status[w] = to_status
            if clear_earnings:
                earnings[w] = 0.0
            n += 1
    return n


def produce(workers: Table, households: Table, demand: np.ndarray, price: np.ndarray,
            sa: SectorArrays, input_price: float) -> dict[str, np.ndarray]:
    """Informal production and earnings this month (nominal, agent scale).

    Writes ``workers.earnings`` and adds to ``households.informal_income`` (the caller
    zeroes it). Returns per-sector arrays: ``sales``, ``purchases``, ``value_added``,
    ``real_output`` (gross, 2025 prices), ``unmet`` demand (to formal firms),
    ``effort`` (effective informal labour) and ``per_effort`` (value added per unit).
    """
    effort = _effort_by_sector(workers.status, workers.household, households.informal_sector,
                               workers.effective)
    cap_real = sa.informal_productivity * effort / (1.0 - sa.intermediate)
    sales = np.minimum(demand, price * cap_real)
    real = sales / price
    purchases = real * sa.intermediate * input_price
    value_added = sales - purchases
    per_effort = np.where(effort > 0, value_added / np.maximum(effort, 1e-300), 0.0)
    _pay_informal(workers.status, workers.household, households.informal_sector,
                  workers.effective, per_effort, workers.earnings, households.informal_income)
    return {"sales": sales, "purchases": purchases, "value_added": value_added,
            "real_output": real, "unmet": demand - sales, "effort": effort,
            "per_effort": per_effort}


@njit(cache=True)
def _effort_by_sector(status, household, informal_sector, effective):
    """Effective informal labour per sector (workers in their household's activity)."""
    effort = np.zeros(N_SECTORS)
    for w in range(status.shape[0]):
        if status[w] == INFORMAL:
            effort[informal_sector[household[w]]] += effective[w]
    return effort


@njit(cache=True)
def _pay_informal(status, household, informal_sector, effective, per_effort, earnings,
                  informal_income):
    """Each informal worker earns its sector's value added per effort unit x its effort
    (others 0), added to its household's informal income (summed per household first, in
    worker order, as before)."""
    income = np.zeros(informal_income.shape[0])
    for w in range(status.shape[0]):
        earnings[w] = per_effort[informal_sector[household[w]]] * effective[w] \
            if status[w] == INFORMAL else 0.0
        income[household[w]] += earnings[w]
    for h in range(income.shape[0]):
        informal_income[h] += income[h]


def potential_earnings(sa: SectorArrays, price: np.ndarray, input_price: float) -> np.ndarray:
    """Value added per effective informal worker at full demand (nominal)."""
    real = sa.informal_productivity / (1.0 - sa.intermediate)
    return real * (price - sa.intermediate * input_price)


def informal_emissions(workers: Table, households: Table, sa: SectorArrays,
                       real_output: np.ndarray, effort: np.ndarray, base_price: np.ndarray,
                       emission_factor: float) -> tuple[np.ndarray, ...]:
    """Emissions of household industries at their homes: (cells, air kg, water kg, sector)
    per informal manufacturing worker, from its share of its sector's real value added
    times the sector's intensity times ``emission_factor`` (no treatment at home)."""
    sector = households.informal_sector[workers.household]
    who = np.flatnonzero((workers.status == INFORMAL) & sa.manufacturing[sector])
    if who.size == 0:
        empty = np.zeros(0)
        return np.zeros(0, dtype=np.int64), empty, empty, np.zeros(0, dtype=np.int8)
    s = sector[who]
    real_va = real_output * (base_price - sa.intermediate)
    share = workers.effective[who] / np.maximum(effort[s], 1e-300)
    va = real_va[s] * share
    cells = households.home[workers.household[who]]
    return (cells, va * sa.air_intensity[s] * emission_factor,
            va * sa.water_intensity[s] * emission_factor, s)


def assign_sectors(rng: np.random.Generator, sa: SectorArrays, cluster_of_cell: np.ndarray,
                   cluster_share: np.ndarray, homes: np.ndarray) -> np.ndarray:
    """Each household's informal activity: in a sector's cluster kelurahan a share of
    households run that sector's household industry; the rest are drawn in proportion to
    informal demand per unit of informal capacity (so capacity broadly matches demand).

    cluster_of_cell: int8[cells], the sector whose cluster a cell lies in (-1 none);
    cluster_share: float[N_SECTORS], share of households in the cluster that run it.
    """
    weight = sa.consumption * sa.informal / sa.informal_productivity
    p = weight / weight.sum()
    out = rng.choice(N_SECTORS, size=homes.size, p=p).astype(np.int8)
    cluster = cluster_of_cell[homes]
    u = rng.random(homes.size)
    in_cluster = (cluster >= 0) & (u < cluster_share[np.maximum(cluster, 0)])
    out[in_cluster] = cluster[in_cluster]
    return out
