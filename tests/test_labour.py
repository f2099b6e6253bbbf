"""Labour-market kernels on tiny hand-made cases."""

from __future__ import annotations

import numpy as np

from simulation.economy import labour


def test_match_jobs_respects_range_and_vacancies():
    cols = 10
    home = np.array([0, 0, 99], dtype=np.int64)           # workers 0,1 at (0,0); 2 at (9,9)
    firm_cell = np.array([1, 98], dtype=np.int64)         # firm 0 near (0,1), firm 1 at (9,8)
    vacancies = np.array([1, 0], dtype=np.int64)          # only firm 0 hires, one job
    employer = np.full(3, -1, dtype=np.int64)
    firm_workers = np.zeros(2, dtype=np.int64)
    seekers = np.array([2, 0, 1], dtype=np.int64)         # the far worker searches first
    contacts = np.full((3, 4), 0.1)
    hires = labour.match_jobs(seekers, contacts, np.cumsum(vacancies).astype(float), vacancies,
                              home, firm_cell, cols, 4.0, employer, firm_workers)
    assert hires == 1
    assert employer.tolist() == [0, -1, -1]               # far worker out of range (2 cells)
    assert firm_workers.tolist() == [1, 0] and vacancies.tolist() == [0, 0]


def test_lay_off_takes_exactly_the_excess():
    employer = np.array([0, 0, 0, 1, 1], dtype=np.int64)
    firm_workers = np.array([3, 2], dtype=np.int64)
    excess = np.array([2, 0], dtype=np.int64)
    hit = np.zeros(5, dtype=bool)
    n = labour.lay_off(employer, excess, 1, firm_workers, hit, np.arange(5, dtype=np.int64))
    assert n == 2 and firm_workers.tolist() == [1, 2]
    assert (employer == 0).sum() == 1 and (employer == 1).sum() == 2
    assert hit.sum() == 2 and not hit[3:].any()


def test_pay_workers_applies_umk_floor_and_skill():
    employer = np.array([0, 0, -1], dtype=np.int64)
    household = np.array([0, 1, 1], dtype=np.int64)
    skill = np.array([0.5, 2.0, 1.0])
    health = np.array([1.0, 0.8])
    wage = np.zeros(3)
    eff, bill, income = np.zeros(1), np.zeros(1), np.zeros(2)
    labour.pay_workers(employer, household, skill, health, np.array([0.4]), np.array([10.0]),
                       2.5, 0.5, wage, eff, bill, income)
    assert wage.tolist() == [2.5, 8.0, 0.0]               # 0.4*10*0.5 = 2 < UMK 2.5
    assert bill[0] == 10.5 and income.tolist() == [2.5, 8.0]
    assert eff[0] == 0.5 * 1.0 + 2.0 * (1 - 0.5 * 0.2)
