"""Labour-market kernels on tiny hand-made cases."""

from __future__ import annotations

import numpy as np

from simulation.economy import labour

U, F = labour.UNEMPLOYED, labour.FORMAL


def test_applications_respect_range_employer_and_duplicates():
    cols = 10
    home = np.array([0, 0, 99], dtype=np.int64)           # workers 0,1 at (0,0); 2 at (9,9)
    firm_cell = np.array([1, 98], dtype=np.int64)         # firm 0 near (0,1), firm 1 at (9,8)
    vacancies = np.array([1, 0], dtype=np.int64)          # only firm 0 hires
    employer = np.array([-1, 0, -1], dtype=np.int64)      # worker 1 already works at firm 0
    seekers = np.array([2, 0, 1], dtype=np.int64)
    n_apps = np.array([2, 2, 1], dtype=np.int64)
    uniforms = np.full((3, 2, 3), 0.1)
    out_s, out_f = np.empty(5, dtype=np.int64), np.empty(5, dtype=np.int64)
    k = labour.draw_applications(seekers, n_apps, uniforms, np.cumsum(vacancies).astype(float),
                                 home, firm_cell, employer, cols, 4.0, out_s, out_f)
    # the far worker is out of range, worker 1 never applies to its own employer,
    # worker 0 applies once to firm 0 (not twice)
    assert k == 1 and out_s[0] == 0 and out_f[0] == 0


def test_firms_offer_to_best_applicants_and_seekers_take_best_offer():
    seeker = np.array([0, 1, 2, 0], dtype=np.int64)
    firm = np.array([0, 0, 0, 1], dtype=np.int64)
    score = np.array([1.0, 3.0, 2.0, 1.0])                # firm 0 ranks 1 > 2 > 0
    vacancies = np.array([2, 1], dtype=np.int64)
    offer = np.array([2.5, 2.5, 2.5, 3.0])                # firm 1 pays worker 0 more
    current = np.zeros(4)
    accepted = labour.offer_and_accept(seeker, firm, score, vacancies, offer, current, 2, 3)
    # firm 0 offers to workers 1 and 2 (its two best); worker 0 gets firm 1's offer
    assert accepted.tolist() == [False, True, True, True]


def test_offer_below_current_wage_is_declined():
    accepted = labour.offer_and_accept(
        np.array([0], dtype=np.int64), np.array([0], dtype=np.int64), np.array([1.0]),
        np.array([1], dtype=np.int64), np.array([2.5]), np.array([3.0]), 1, 1)
    assert not accepted[0]


def test_lay_off_takes_exactly_the_excess():
    employer = np.array([0, 0, 0, 1, 1], dtype=np.int64)
    status = np.full(5, F, dtype=np.int8)
    firm_workers = np.array([3, 2], dtype=np.int64)
    excess = np.array([2, 0], dtype=np.int64)
    hit = np.zeros(5, dtype=bool)
    n = labour.lay_off(employer, status, excess, 1, firm_workers, hit,
                       np.arange(5, dtype=np.int64))
    assert n == 2 and firm_workers.tolist() == [1, 2]
    assert (employer == 0).sum() == 1 and (employer == 1).sum() == 2
    assert (status == U).sum() == 2 and hit.sum() == 2 and not hit[3:].any()


def test_pay_workers_applies_umk_floor_skill_and_health():
    employer = np.array([0, 0, -1], dtype=np.int64)
    household = np.array([0, 1, 1], dtype=np.int64)
    skill = np.array([0.5, 2.0, 1.0])
    health = np.array([1.0, 0.8])
    wage, effective = np.zeros(3), np.zeros(3)
    eff, skills, bill, income = np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(2)
    labour.pay_workers(employer, household, skill, health, np.array([4.0]), 2.5, 0.5, 0.5,
                       wage, effective, eff, skills, bill, income)
    assert skills[0] == 2.5  # the firm plans on its workers' skill (healthy equivalents)
    assert wage.tolist() == [2.5, 8.0, 0.0]               # 4 * 0.5 = 2 < UMK 2.5
    assert bill[0] == 10.5 and income.tolist() == [2.5, 8.0]
    # health 0.8: productivity x (1 - 0.5 x 0.2) and days worked x (1 - 0.5 x 0.2)
    assert effective[1] == 2.0 * 0.9 * 0.9 and effective[2] == 1.0 * 0.9 * 0.9
    assert eff[0] == 0.5 + 2.0 * 0.81


def test_tied_applicants_never_get_more_offers_than_vacancies():
    seeker = np.arange(5, dtype=np.int64)
    firm = np.zeros(5, dtype=np.int64)
    score = np.array([1.0, 2.0, 2.0, 2.0, 0.5])           # three tie for second place
    vacancies = np.array([2], dtype=np.int64)
    accepted = labour.offer_and_accept(seeker, firm, score, vacancies, np.full(5, 3.0),
                                       np.zeros(5), 1, 5)
    assert accepted.sum() == 2 and accepted[1]           # two offers: both to the tied best
