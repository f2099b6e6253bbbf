"""Compiled kernels that replaced array expressions give the same numbers, bit for bit.

Each test keeps the array formulation the kernel replaced (CHANGELOG, "Performance") and
compares on random data of the model's shapes, so a later edit that changes the arithmetic
(and so every published run) fails here first, with a small example.
"""

from __future__ import annotations

import numpy as np

from simulation.economy import informal, labour
from simulation.economy.green import _window_counts
from simulation.economy.sectors import N_SECTORS
from simulation.model.state import FORMAL, INFORMAL


def test_window_counts_equal_a_brute_force_count():
    rng = np.random.default_rng(7)
    rows, cols, radius = 23, 17, 3
    cells = rng.integers(0, rows * cols, 300)
    at = rng.integers(0, rows * cols, 50)
    r, c = np.divmod(at, cols)
    r0, r1 = np.clip(r - radius, 0, rows), np.clip(r + radius + 1, 0, rows)
    c0, c1 = np.clip(c - radius, 0, cols), np.clip(c + radius + 1, 0, cols)
    got = _window_counts(cells, r0, r1, c0, c1, rows, cols)
    cr, cc = np.divmod(cells, cols)
    want = [int(((cr >= a) & (cr < b) & (cc >= d) & (cc < e)).sum())
            for a, b, d, e in zip(r0, r1, c0, c1, strict=True)]
    assert got.tolist() == want
    assert max(want) > 1  # windows that hold several cells were tested


def test_application_terms_match_the_array_formulation():
    rng = np.random.default_rng(7)
    cols, cell_km, weight, umk = 143, 0.05, 0.3, 2.5
    n_workers, n_firms, k = 400, 60, 900
    home = rng.integers(0, 165 * cols, n_workers)
    firm_cell = rng.integers(0, 165 * cols, n_firms)
    skill = rng.uniform(0.5, 2.0, n_workers)
    pay_level = rng.uniform(1.0, 3.0, n_firms)
    status = rng.integers(0, 3, n_workers)
    wage = rng.uniform(2.0, 5.0, n_workers)
    seeker, firm, noise = rng.integers(0, n_workers, k), rng.integers(0, n_firms, k), rng.random(k)
    # a km table shorter than the longest offsets: both the lookup and hypot are tested
    km_table = labour.distance_table(60, cell_km)
    score, offer, current = labour.application_terms(seeker, firm, home, firm_cell, cols,
                                                     cell_km, weight, skill, noise, pay_level,
                                                     umk, status, wage, km_table)
    hr, hc = np.divmod(home[seeker], cols)
    fr, fc = np.divmod(firm_cell[firm], cols)
    km = np.hypot(hr - fr, hc - fc) * cell_km
    in_table = (np.abs(hr - fr) <= 60) & (np.abs(hc - fc) <= 60)
    assert in_table.any() and not in_table.all()
    assert np.array_equal(score, skill[seeker] - weight * km + 1e-6 * noise)
    assert np.array_equal(offer, np.maximum(umk, pay_level[firm] * skill[seeker]))
    assert np.array_equal(current, np.where(status[seeker] == FORMAL, wage[seeker], 0.0))
    assert (offer == umk).any() and (offer > umk).any()


def test_informal_effort_and_pay_match_the_array_formulation():
    rng = np.random.default_rng(7)
    n_workers, n_households = 2000, 700
    status = rng.integers(0, 3, n_workers)
    household = rng.integers(0, n_households, n_workers)
    sector_of = rng.integers(0, N_SECTORS, n_households)
    effective = rng.uniform(0.2, 1.5, n_workers)
    per_effort = rng.uniform(0.5, 3.0, N_SECTORS)
    is_informal = status == INFORMAL
    sector = sector_of[household]

    effort = informal._effort_by_sector(status, household, sector_of, effective)
    assert np.array_equal(effort, np.bincount(sector, weights=np.where(is_informal, effective,
                                                                       0.0),
                                              minlength=N_SECTORS))
    earnings, income = np.full(n_workers, -1.0), rng.uniform(0.0, 1.0, n_households)
    want_income = income.copy()
    informal._pay_informal(status, household, sector_of, effective, per_effort, earnings,
                           income)
    want = np.where(is_informal, per_effort[sector] * effective, 0.0)
    want_income += np.bincount(household, weights=want, minlength=n_households)
    assert np.array_equal(earnings, want)
    assert np.array_equal(income, want_income)


def test_manufacturing_workers_match_the_array_formulation():
    rng = np.random.default_rng(7)
    from simulation.model.indicators import manufacturing_workers

    n_workers, n_households, n_firms = 3000, 900, 120
    status = rng.integers(0, 3, n_workers)
    employer = np.where(status == FORMAL, rng.integers(0, n_firms, n_workers), -1)
    household = rng.integers(0, n_households, n_workers)
    firm_sector = rng.integers(0, N_SECTORS, n_firms)
    informal_sector = rng.integers(0, N_SECTORS, n_households)
    is_mfg = rng.random(N_SECTORS) < 0.5
    formal = status == FORMAL
    inf_mfg = (status == INFORMAL) & is_mfg[informal_sector[household]]
    want = int(is_mfg[firm_sector[employer[formal]]].sum() + inf_mfg.sum())
    assert manufacturing_workers(status, employer, household, firm_sector, informal_sector,
                                 is_mfg) == want > 0


def test_informal_staff_match_the_array_formulation():
    from simulation.economy.firms import _count_informal

    rng = np.random.default_rng(7)
    n_workers_of = rng.integers(0, 5, 300)
    first = np.concatenate(([0], np.cumsum(n_workers_of)[:-1]))
    status = rng.integers(0, 3, int(n_workers_of.sum()))
    household = np.repeat(np.arange(300), n_workers_of)
    rows = rng.choice(300, 40, replace=False)
    want = np.bincount(household[status == INFORMAL], minlength=300)[rows]
    assert np.array_equal(_count_informal(first, n_workers_of, status, rows), want)
    assert want.max() > 1
