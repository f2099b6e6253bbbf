"""Labour-market kernels (numba): separations, layoffs, job search, pay.

Pure functions over the worker and firm arrays; random draws come in as arrays from the
model's ``labour`` stream, so the kernels themselves are deterministic. Shapes: worker
arrays are length n_workers, firm arrays length n_firms (rows of the firm table, dead
firms included with zero vacancies), household arrays length n_households.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def assign_initial_jobs(workers_order, slots, pick, home_of_worker, firm_cell, cols,
                        range2, employer, firm_workers):
    """Give each worker in ``workers_order`` one of the shuffled firm ``slots``.

    workers_order: int64[k] worker rows; slots: int64[k] firm rows (one per job, shuffled,
    modified in place); pick: float64[k, tries] uniforms. A worker takes the first of
    ``tries`` random remaining slots within the commuting range (squared distance in
    cells ``range2``), else the next slot in line.
    """
    k = workers_order.shape[0]
    tries = pick.shape[1]
    for pos in range(k):
        w = workers_order[pos]
        hr, hc = home_of_worker[w] // cols, home_of_worker[w] % cols
        chosen = pos
        for t in range(tries):
            j = pos + int(pick[pos, t] * (k - pos))
            f = slots[j]
            dr, dc = firm_cell[f] // cols - hr, firm_cell[f] % cols - hc
            if dr * dr + dc * dc <= range2:
                chosen = j
                break
        f = slots[chosen]
        slots[chosen] = slots[pos]
        slots[pos] = f
        employer[w] = f
        firm_workers[f] += 1


@njit(cache=True)
def separate(employer, candidates, firm_workers):
    """Quits: each listed worker who is employed leaves its job. Returns the number."""
    n = 0
    for w in candidates:
        f = employer[w]
        if f >= 0:
            employer[w] = -1
            firm_workers[f] -= 1
            n += 1
    return n


@njit(cache=True)
def lay_off(employer, excess, start, firm_workers, laid_off_household, household):
    """Firms with ``excess[f] > 0`` dismiss that many workers, taken in a rotating order
    that begins at worker ``start``. Marks ``laid_off_household``; returns the number."""
    n_workers = employer.shape[0]
    remaining = 0
    for f in range(excess.shape[0]):
        remaining += excess[f]
    n = 0
    for i in range(n_workers):
        if remaining == 0:
            break
        w = (start + i) % n_workers
        f = employer[w]
        if f >= 0 and excess[f] > 0:
            employer[w] = -1
            firm_workers[f] -= 1
            excess[f] -= 1
            remaining -= 1
            laid_off_household[household[w]] = True
            n += 1
    return n


@njit(cache=True)
def match_jobs(seekers, contacts, cum_vacancies, vacancies, home_of_worker, firm_cell, cols,
               range2, employer, firm_workers):
    """Job search. Each seeker (in the given random order) contacts firms drawn in
    proportion to their vacancies (``contacts``: float64[n_seekers, attempts] uniforms,
    ``cum_vacancies``: float64 cumulative vacancies at the start of the month) and takes
    the first contacted firm that still has a vacancy and lies within the commuting range.
    Employed seekers (on-the-job search) move only to a different firm. Returns hires.
    """
    total = cum_vacancies[-1] if cum_vacancies.shape[0] > 0 else 0.0
    if total <= 0.0:
        return 0
    hires = 0
    open_jobs = 0
    for f in range(vacancies.shape[0]):
        open_jobs += vacancies[f]
    attempts = contacts.shape[1]
    for s in range(seekers.shape[0]):
        if open_jobs == 0:
            break
        w = seekers[s]
        hr, hc = home_of_worker[w] // cols, home_of_worker[w] % cols
        for a in range(attempts):
            f = np.searchsorted(cum_vacancies, contacts[s, a] * total, side="right")
            if f >= vacancies.shape[0] or vacancies[f] <= 0 or employer[w] == f:
                continue
            dr, dc = firm_cell[f] // cols - hr, firm_cell[f] % cols - hc
            if dr * dr + dc * dc > range2:
                continue
            old = employer[w]
            if old >= 0:
                firm_workers[old] -= 1
            employer[w] = f
            firm_workers[f] += 1
            vacancies[f] -= 1
            open_jobs -= 1
            hires += 1
            break
    return hires


@njit(cache=True)
def pay_workers(employer, household, skill, health, firm_wage_share, firm_productivity, umk,
                productivity_weight, wage, eff_labour, wage_bill, income):
    """Wages, health-adjusted labour and household labour income, in one pass.

    wage = max(UMK, wage_share_f * productivity_f * skill) (Rp million per month, nominal);
    a worker contributes skill * (1 - productivity_weight * (1 - household health)) to the
    firm's effective labour (so skill and health both raise output).
    ``eff_labour``, ``wage_bill`` (per firm) and ``income`` (per household) are added to:
    the caller zeroes them first.
    """
    for w in range(employer.shape[0]):
        f = employer[w]
        if f < 0:
            wage[w] = 0.0
            continue
        pay = firm_wage_share[f] * firm_productivity[f] * skill[w]
        if pay < umk:
            pay = umk
        wage[w] = pay
        h = household[w]
        eff_labour[f] += skill[w] * (1.0 - productivity_weight * (1.0 - health[h]))
        wage_bill[f] += pay
        income[h] += pay
