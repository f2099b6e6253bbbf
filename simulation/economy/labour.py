"""Labour-market kernels (numba): separations, layoffs, applications, hiring, pay.

Pure functions over the worker and firm arrays; random draws come in as arrays from the
model's ``labour`` stream, so the kernels are deterministic. Worker arrays have length
n_workers, firm arrays n_firms (rows of the firm table, dead firms included with zero
vacancies), household arrays n_households. Worker status codes are those of
:mod:`simulation.model.state` (0 unemployed, 1 informal, 2 formal).
"""

from __future__ import annotations

import numpy as np
from numba import njit

UNEMPLOYED, INFORMAL, FORMAL = 0, 1, 2


@njit(cache=True)
def assign_initial_jobs(workers_order, slots, pick, home_of_worker, firm_cell, cols,
                        range2, employer, status, firm_workers):
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
        status[w] = FORMAL
        firm_workers[f] += 1


@njit(cache=True)
def separate(employer, status, candidates, firm_workers):
    """Quits: each listed worker with a formal job leaves it and searches. Returns the
    number of separations."""
    n = 0
    for w in candidates:
        f = employer[w]
        if f >= 0:
            employer[w] = -1
            status[w] = UNEMPLOYED
            firm_workers[f] -= 1
            n += 1
    return n


@njit(cache=True)
def lay_off(employer, status, excess, start, firm_workers, laid_off_household, household):
    """Firms with ``excess[f] > 0`` dismiss that many workers, taken in a rotating order
    that begins at worker ``start``. Marks ``laid_off_household``; returns the number."""
    n_workers = employer.shape[0]
    remaining = 0
    for f in range(excess.shape[0]):
        remaining += excess[f]
    n = 0
    w = (start % n_workers if n_workers > 0 else 0) - 1
    for _ in range(n_workers):
        if remaining == 0:
            break
        w += 1                      # (start + i) % n_workers, without a division each time
        if w >= n_workers:
            w -= n_workers
        f = employer[w]
        if f >= 0 and excess[f] > 0:
            employer[w] = -1
            status[w] = UNEMPLOYED
            firm_workers[f] -= 1
            excess[f] -= 1
            remaining -= 1
            laid_off_household[household[w]] = True
            n += 1
    return n


@njit(cache=True)
def draw_applications(seekers, n_apps, uniforms, cum_vacancies, home_of_worker, firm_cell,
                      employer, cols, range2, out_seeker, out_firm):
    """Each seeker sends ``n_apps[i]`` applications to firms drawn in proportion to their
    vacancies (``uniforms``: float64[n_seekers, max_apps, 3], three tries per application
    to find a firm within the commuting range), never to its own employer or twice to the
    same firm. Writes (seeker, firm) pairs into the out arrays; returns how many."""
    total = cum_vacancies[-1] if cum_vacancies.shape[0] > 0 else 0.0
    if total <= 0.0:
        return 0
    n_firms = cum_vacancies.shape[0]
    # The cumulative vacancies are whole numbers, so the firm a draw x lands on (the first
    # with cum > x, as searchsorted side="right") is the firm of vacancy floor(x): a table
    # lookup instead of a binary search.
    n_slots = int(total)
    firm_of_slot = np.empty(n_slots, dtype=np.int64)
    f = 0
    for slot in range(n_slots):
        while cum_vacancies[f] <= slot:
            f += 1
        firm_of_slot[slot] = f
    k = 0
    for i in range(seekers.shape[0]):
        w = seekers[i]
        hr, hc = home_of_worker[w] // cols, home_of_worker[w] % cols
        first = k
        for a in range(n_apps[i]):
            for t in range(uniforms.shape[2]):
                x = uniforms[i, a, t] * total
                f = firm_of_slot[int(x)] if x < total else n_firms
                if f >= n_firms or f == employer[w]:
                    continue
                dr, dc = firm_cell[f] // cols - hr, firm_cell[f] % cols - hc
                if dr * dr + dc * dc > range2:
                    continue
                dup = False
                for j in range(first, k):
                    if out_firm[j] == f:
                        dup = True
                        break
                if dup:
                    continue
                out_seeker[k] = w
                out_firm[k] = f
                k += 1
                break
    return k


@njit(cache=True)
def application_counts(status, rates, u):
    """Applications each worker sends this month: its status's rate (``rates[status]``),
    rounded up when ``u`` falls below the fractional part, else down. One pass instead
    of a gather and four array temporaries; same arithmetic."""
    n_apps = np.empty(status.shape[0], dtype=np.int64)
    for w in range(status.shape[0]):
        rate = rates[status[w]]
        whole = np.floor(rate)
        n_apps[w] = np.int64(whole + (1.0 if u[w] < rate - whole else 0.0))
    return n_apps


@njit(cache=True)
def distance_table(reach, cell_km):
    """km between cells ``dr`` rows and ``dc`` columns apart, for 0 <= dr, dc <= reach:
    the same hypot x cell size as :func:`application_terms` computes, looked up there
    instead of computed per application (hypot is most of its cost)."""
    km = np.empty((reach + 1, reach + 1))
    for dr in range(reach + 1):
        for dc in range(reach + 1):
            km[dr, dc] = np.hypot(dr, dc) * cell_km
    return km


@njit(cache=True)
def application_terms(seeker, firm, home_of_worker, firm_cell, cols, cell_km,
                      distance_weight, skill, noise, pay_level, umk, status, wage, km_table):
    """Per application (seeker[i] to firm[i]): the firm's score of the applicant (skill
    less ``distance_weight`` x km from home, ``noise`` breaking ties), the pay it would
    offer (its pay level x skill, at least ``umk``) and the seeker's current formal wage
    (0 if none). One pass instead of a dozen array temporaries; same arithmetic.
    ``km_table`` (:func:`distance_table`) holds the km of the offsets it covers."""
    k = seeker.shape[0]
    score = np.empty(k)
    offer = np.empty(k)
    current = np.empty(k)
    for i in range(k):
        w, f = seeker[i], firm[i]
        hr, hc = home_of_worker[w] // cols, home_of_worker[w] % cols
        fr, fc = firm_cell[f] // cols, firm_cell[f] % cols
        dr, dc = abs(hr - fr), abs(hc - fc)
        if dr < km_table.shape[0] and dc < km_table.shape[1]:
            km = km_table[dr, dc]
        else:
            km = np.hypot(hr - fr, hc - fc) * cell_km
        score[i] = skill[w] - distance_weight * km + 1e-6 * noise[i]
        offer[i] = max(umk, pay_level[f] * skill[w])
        current[i] = wage[w] if status[w] == FORMAL else 0.0
    return score, offer, current


@njit(cache=True)
def kth_smallest(a, kth):
    """The ``kth`` smallest (0-based) of ``a``, reordering ``a`` in place (Wirth's
    selection). The value is that of ``np.partition(a, kth)[kth]``, without its copies
    (an order statistic is one value, whichever algorithm finds it)."""
    lo, hi = 0, a.shape[0] - 1
    while lo < hi:
        x = a[kth]
        i, j = lo, hi
        while i <= j:
            while a[i] < x:
                i += 1
            while x < a[j]:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if j < kth:
            lo = i
        if kth < i:
            hi = j
    return a[kth]


@njit(cache=True)
def offer_and_accept(seeker, firm, score, vacancies, wage_offer, current_pay, n_firms,
                     n_workers):
    """Firms rank their applicants and offer their vacancies to the best; each applicant
    takes its best offer if it pays more than ``current_pay`` (its formal wage, 0 if none).

    seeker, firm: int64[k] applications; score: float64[k] (higher = better applicant);
    wage_offer: float64[k] the pay each application would bring; vacancies: int64[n_firms].
    Returns a bool mask of the applications accepted (at most one per seeker).
    """
    k = seeker.shape[0]
    count = np.zeros(n_firms + 1, dtype=np.int64)
    for i in range(k):
        count[firm[i] + 1] += 1
    for f in range(n_firms):
        count[f + 1] += count[f]
    bucket = np.empty(k, dtype=np.int64)
    fill = count[:-1].copy()
    for i in range(k):
        bucket[fill[firm[i]]] = i
        fill[firm[i]] += 1
    offered = np.zeros(k, dtype=np.bool_)
    # scratch for the selection, reused by every firm (was two arrays per firm)
    longest = 0
    for f in range(n_firms):
        longest = max(longest, count[f + 1] - count[f])
    neg_buf, work_buf = np.empty(longest), np.empty(longest)
    for f in range(n_firms):
        lo, hi = count[f], count[f + 1]
        v = vacancies[f]
        if v <= 0 or hi == lo:
            continue
        apps = bucket[lo:hi]
        if hi - lo <= v:
            for j in range(hi - lo):
                offered[apps[j]] = True
        else:
            # the v best, by selection rather than a sort: all above the v-th best score,
            # then (only if scores tie exactly, which the noise makes unlikely) those equal
            # to it in application order until v
            neg = neg_buf[: hi - lo]
            for j in range(hi - lo):
                neg[j] = -score[apps[j]]
            work = work_buf[: hi - lo]
            work[:] = neg
            cut = kth_smallest(work, v - 1)
            left = v
            for j in range(hi - lo):
                if neg[j] < cut:
                    offered[apps[j]] = True
                    left -= 1
            for j in range(hi - lo):
                if left > 0 and neg[j] == cut:
                    offered[apps[j]] = True
                    left -= 1
    choice = np.full(n_workers, -1, dtype=np.int64)
    for i in range(k):
        if not offered[i] or wage_offer[i] <= current_pay[i]:
            continue
        w = seeker[i]
        c = choice[w]
        if c < 0 or wage_offer[i] > wage_offer[c]:
            choice[w] = i
    accepted = np.zeros(k, dtype=np.bool_)
    for i in range(k):
        if offered[i] and choice[seeker[i]] == i:
            accepted[i] = True
    return accepted


@njit(cache=True)
def hire(seekers, firms, employer, status, wage_offer, firm_workers, earnings):
    """Accepted offers: each seeker joins its firm (leaving a formal job it had)."""
    for i in range(seekers.shape[0]):
        w, f = seekers[i], firms[i]
        old = employer[w]
        if old >= 0:
            firm_workers[old] -= 1
        employer[w] = f
        status[w] = FORMAL
        earnings[w] = 0.0
        firm_workers[f] += 1


@njit(cache=True)
def pay_workers(employer, household, skill, health, pay_level, umk, productivity_weight,
                days_lost, wage, effective, eff_labour, skill_sum, wage_bill, wage_income):
    """Wages, effective labour and household wage income, in one pass.

    Every worker's effective labour = skill x (1 - productivity_weight x (1 - health)) x
    (1 - days_lost x (1 - health)) (ill health lowers both productivity at work and days
    worked). A formal worker earns max(UMK, firm pay level x skill) (Rp million/month,
    nominal) and adds its effective labour and its skill to its firm. ``eff_labour``,
    ``skill_sum``, ``wage_bill`` (per firm) and ``wage_income`` (per household) are added
    to: the caller zeroes them first.
    """
    for w in range(employer.shape[0]):
        h = household[w]
        loss = 1.0 - health[h]
        effective[w] = skill[w] * (1.0 - productivity_weight * loss) * (1.0 - days_lost * loss)
        f = employer[w]
        if f < 0:
            wage[w] = 0.0
            continue
        pay = pay_level[f] * skill[w]
        if pay < umk:
            pay = umk
        wage[w] = pay
        eff_labour[f] += effective[w]
        skill_sum[f] += skill[w]
        wage_bill[f] += pay
        wage_income[h] += pay
