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


def test_worker_tally_matches_the_array_formulation():
    from simulation.model.record_kernels import worker_tally

    rng = np.random.default_rng(7)
    n_workers, n_households, n_firms = 3000, 900, 120
    status = rng.integers(0, 3, n_workers).astype(np.int8)
    employer = np.where(status == FORMAL, rng.integers(0, n_firms, n_workers), -1)
    household = rng.integers(0, n_households, n_workers)
    firm_sector = rng.integers(0, N_SECTORS, n_firms).astype(np.int8)
    informal_sector = rng.integers(0, N_SECTORS, n_households).astype(np.int8)
    is_mfg = rng.random(N_SECTORS) < 0.5
    wage = rng.uniform(1.0, 5.0, n_workers)
    formal = status == FORMAL
    inf_mfg = (status == INFORMAL) & is_mfg[informal_sector[household]]
    want_mfg = int(is_mfg[firm_sector[employer[formal]]].sum() + inf_mfg.sum())
    counts, n_mfg, wages = worker_tally(status, employer, household, firm_sector,
                                        informal_sector, is_mfg, wage)
    assert np.array_equal(counts, np.bincount(status, minlength=3))
    assert n_mfg == want_mfg > 0
    assert np.array_equal(wages, wage[formal])
    assert wages.mean() == wage[formal].mean()


def _gini_arrays(values, weights):
    """The array formulation lorenz_terms replaced (indicators.gini before)."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cw = np.cumsum(w)
    cvw = np.cumsum(v * w)
    total_w, total_vw = cw[-1], cvw[-1]
    if total_vw <= 0:
        return 0.0
    lorenz = cvw / total_vw
    prev = np.concatenate(([0.0], lorenz[:-1]))
    return float(1.0 - np.sum(w * (lorenz + prev)) / total_w)


def test_gini_matches_the_array_formulation():
    from simulation.model.indicators import gini

    rng = np.random.default_rng(7)
    for n in (1, 7, 8, 130, 5000):
        weights = rng.integers(1, 8, n).astype(float)
        values = rng.lognormal(0.0, 1.0, n)
        values[: n // 3] = values[0]  # ties, as incomes per person have
        assert gini(values, weights) == _gini_arrays(values, weights)
    assert gini(np.zeros(5), np.ones(5)) == _gini_arrays(np.zeros(5), np.ones(5)) == 0.0


def test_sector_value_added_matches_the_array_formulation():
    from simulation.model.record_kernels import sector_value_added

    rng = np.random.default_rng(7)
    n_firms = 500
    alive = rng.random(n_firms) < 0.6
    sector = rng.integers(0, N_SECTORS, n_firms).astype(np.int8)
    real_output = rng.uniform(0.0, 100.0, n_firms)
    base, intermediate = rng.uniform(1.0, 2.0, N_SECTORS), rng.uniform(0.1, 0.9, N_SECTORS)
    want = np.bincount(sector, weights=np.where(
        alive, real_output * (base[sector] - intermediate[sector]), 0.0), minlength=N_SECTORS)
    got = sector_value_added(alive, sector, real_output, base - intermediate, N_SECTORS)
    assert np.array_equal(got, want)


def test_kelurahan_tallies_match_the_array_formulation():
    from simulation.model.record_kernels import (
        HOME_SUMS,
        cell_mean_max,
        firm_sums,
        home_sums,
        workers_by_home_status,
    )

    rng = np.random.default_rng(7)
    n_kel, n_cells, n_hh, n_workers, n_firms = 5, 400, 700, 1500, 90
    cell_kel = rng.integers(0, n_kel, n_cells)
    home = rng.integers(0, n_cells, n_hh)
    members = rng.integers(1, 7, n_hh).astype(np.int16)
    air, health = rng.uniform(10.0, 60.0, n_hh), rng.uniform(0.5, 1.0, n_hh)
    n_exposed = n_hh - 30  # households born after this month's exposure
    industrial = rng.uniform(0.0, 20.0, n_exposed)
    above, affected = rng.random(n_exposed) < 0.3, rng.random(n_exposed) < 0.2
    got = dict(zip(HOME_SUMS, home_sums(home, cell_kel, n_kel + 1, members, air, health,
                                        industrial, above, affected), strict=True))
    hh_kel, p = cell_kel[home], members.astype(float)
    pad = np.zeros(n_hh)

    def by_home(v):
        return np.bincount(hh_kel, weights=v, minlength=n_kel + 1)

    padded = {name: np.concatenate((a.astype(float), pad[a.size:]))
              for name, a in (("industrial", industrial), ("above", above),
                              ("affected", affected))}
    want = {"households": np.bincount(hh_kel, minlength=n_kel + 1).astype(float),
            "members": by_home(p), "members_air": by_home(p * air),
            "above": np.bincount(hh_kel[padded["above"] > 0], minlength=n_kel + 1),
            "members_above": by_home(p * padded["above"]), "health": by_home(health),
            "members_industrial": by_home(p * padded["industrial"]),
            "affected": by_home(padded["affected"])}
    for name in HOME_SUMS:
        assert np.array_equal(got[name], want[name]), name

    household, status = rng.integers(0, n_hh, n_workers), rng.integers(0, 3, n_workers)
    wk_kel = hh_kel[household]
    assert np.array_equal(workers_by_home_status(household, home, cell_kel, status, n_kel + 1),
                          np.bincount(wk_kel * 3 + status,
                                      minlength=3 * (n_kel + 1)).reshape(n_kel + 1, 3))

    alive, cell = rng.random(n_firms) < 0.7, rng.integers(0, n_cells, n_firms)
    workers, weight = rng.integers(0, 40, n_firms), rng.uniform(0.5, 3.0, n_firms)
    got = firm_sums(alive, cell, cell_kel, workers, weight, n_kel + 1)
    firm_kel = cell_kel[cell[alive]]
    for row, v in enumerate((workers.astype(float), weight)):
        assert np.array_equal(got[row], np.bincount(firm_kel, weights=v[alive],
                                                    minlength=n_kel + 1))

    # the KelurahanGeometry index arrays of a map whose cells outside the city are -1
    kel = np.where(rng.random(n_cells) < 0.2, -1, cell_kel)
    inside = np.flatnonzero(kel >= 0)
    kel_of_inside = kel[inside]
    n_in = np.bincount(kel_of_inside, minlength=n_kel).astype(float)
    by_kel = inside[np.argsort(kel_of_inside, kind="stable")]
    starts = np.concatenate(([0], np.cumsum(n_in.astype(np.int64))[:-1]))
    grid, background = rng.uniform(0.0, 30.0, n_cells), 12.5
    total = grid + background
    mean, top = cell_mean_max(grid, background, inside, kel_of_inside, by_kel, starts, n_in)
    assert np.array_equal(mean, np.bincount(kel_of_inside, weights=total[inside],
                                            minlength=n_kel) / n_in)
    assert np.array_equal(top, np.maximum.reduceat(total[by_kel], starts))


def test_working_capacity_once_per_cell_equals_once_per_household():
    from simulation.config import HealthSection
    from simulation.model.by_cell import one_row_per_cell
    from simulation.society.health_burden import working_capacity

    rng = np.random.default_rng(7)
    hs = HealthSection()
    for n_cells, n_hh in ((1, 1), (50, 9), (300, 1000), (7000, 47000)):
        home = rng.integers(0, n_cells, n_hh)
        air_cell = rng.uniform(0.0, 150.0, n_cells)
        river_cell = rng.random(n_cells) < 0.1
        air, river = air_cell[home], river_cell[home]
        first, slot = one_row_per_cell(home, n_cells)
        assert np.array_equal(np.sort(home[first]), np.unique(home))
        assert np.array_equal(home[first][slot], home)
        assert np.array_equal(working_capacity(air[first], river[first], hs)[slot],
                              working_capacity(air, river, hs))


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


# --- matchspeed: labour matching, informal choices, spending plans, registrations --------
# Each test below keeps the array formulation a kernel replaced and compares bit for bit.

def _tricky_floats(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random floats with the cases where min/max conventions differ: NaN and both zeros."""
    x = rng.normal(0.0, 2.0, n)
    x[rng.random(n) < 0.1] = 0.0
    x[rng.random(n) < 0.1] = -0.0
    x[rng.random(n) < 0.05] = np.nan
    return x


def test_compiled_minimum_maximum_clip_match_numpy_including_nan_and_signed_zeros():
    from simulation.economy import ufuncs

    rng = np.random.default_rng(7)
    a, b = _tricky_floats(rng, 4000), _tricky_floats(rng, 4000)
    cases = [(ufuncs.maximum, np.maximum), (ufuncs.minimum, np.minimum)]
    for compiled, ufunc in cases:
        got = np.array([compiled(x, y) for x, y in zip(a, b, strict=True)])
        want = ufunc(a, b)
        assert np.array_equal(got, want, equal_nan=True)
        assert np.array_equal(np.signbit(got), np.signbit(want))
    got = np.array([ufuncs.clip(x, -1.0, 1.0) for x in a])
    want = np.clip(a, -1.0, 1.0)
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    both_zero = (a == 0) & (b == 0) & (np.signbit(a) != np.signbit(b))
    assert both_zero.any() and np.isnan(a).any()  # the tricky cases were tested


def test_application_counts_match_the_array_formulation():
    rng = np.random.default_rng(7)
    status = rng.integers(0, 3, 5000).astype(np.int8)
    rates = np.array([3.0, 0.3, 1.7])
    u = rng.random(status.size)
    rate = rates[status]
    whole = np.floor(rate)
    want = (whole + (u < rate - whole)).astype(np.int64)
    got = labour.application_counts(status, rates, u)
    assert got.dtype == np.int64 and np.array_equal(got, want)
    assert set(np.unique(want)) == {0, 1, 2, 3}


def test_kth_smallest_equals_np_partition_with_ties():
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 7, 40, 300):
        for _ in range(20):
            a = rng.integers(0, max(n // 3, 2), n).astype(float)  # many exact ties
            kth = int(rng.integers(0, n))
            assert labour.kth_smallest(a.copy(), kth) == np.partition(a, kth)[kth]
            b = rng.normal(size=n)
            assert labour.kth_smallest(b.copy(), kth) == np.partition(b, kth)[kth]


def test_distance_table_matches_hypot_at_every_offset():
    reach, cell_km = 90, 0.057
    km = labour.distance_table(reach, cell_km)
    dr, dc = np.meshgrid(np.arange(reach + 1), np.arange(reach + 1), indexing="ij")
    assert np.array_equal(km, np.hypot(dr, dc) * cell_km)
    assert np.array_equal(km, np.hypot(-dr, dc) * cell_km)  # offsets are looked up as |d|


def _workers_and_households(rng: np.random.Generator, n_households: int):
    from simulation.model.state import HOUSEHOLD_FIELDS, WORKER_FIELDS, Table

    hh = Table(HOUSEHOLD_FIELDS, n_households)
    n_workers_of = rng.integers(0, 4, n_households)
    hh.append(n_households, members=n_workers_of + rng.integers(0, 3, n_households),
              n_workers=n_workers_of,
              first_worker=np.concatenate(([0], np.cumsum(n_workers_of)[:-1])),
              informal_sector=rng.integers(0, N_SECTORS, n_households),
              smoothed_income=rng.gamma(2.0, 2.0, n_households),
              wealth=rng.normal(5.0, 8.0, n_households))
    n = int(n_workers_of.sum())
    wk = Table(WORKER_FIELDS, n)
    wk.append(n, household=np.repeat(np.arange(n_households), n_workers_of),
              status=rng.integers(0, 3, n), skill=rng.uniform(0.5, 2.0, n),
              effective=rng.uniform(0.2, 1.5, n), earnings=rng.uniform(0.0, 3.0, n))
    return wk, hh


def test_informal_choices_match_the_array_formulation():
    from simulation.model.state import UNEMPLOYED
    from simulation.scenarios import load_config

    cfg = load_config("blitar")
    inf = cfg.informal
    rng = np.random.default_rng(7)
    wk, hh = _workers_and_households(rng, 3000)
    per_effort, umk = rng.uniform(0.5, 6.0, N_SECTORS), 2.5
    status0, earnings0 = wk.status.copy(), wk.earnings.copy()
    took, quit_ = informal.choose(cfg, wk, hh, per_effort, umk, np.random.default_rng(3))

    u = np.random.default_rng(3).random(wk.n)
    unemployed = np.flatnonzero(status0 == UNEMPLOYED)
    informal_rows = np.flatnonzero(status0 == INFORMAL)

    def logistic(x):
        return 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))

    def ratio(rows):
        expected = per_effort[hh.informal_sector[wk.household[rows]]] * wk.effective[rows]
        return expected / np.maximum(inf.reservation * umk * wk.skill[rows], 1e-12)

    p_take = np.minimum(1.0, 2.0 * inf.take_up_rate
                        * logistic(inf.take_up_steepness * (ratio(unemployed) - 1.0)))
    p_quit = np.minimum(1.0, 2.0 * inf.quit_rate
                        * logistic(inf.take_up_steepness * (1.0 - ratio(informal_rows))))
    take = unemployed[u[unemployed] < p_take]
    leave = informal_rows[u[informal_rows] < p_quit]
    status, earnings = status0.copy(), earnings0.copy()
    status[take], status[leave], earnings[leave] = INFORMAL, UNEMPLOYED, 0.0
    assert (took, quit_) == (take.size, leave.size) and take.size > 0 and leave.size > 0
    assert np.array_equal(wk.status, status) and np.array_equal(wk.earnings, earnings)


def test_spending_plans_match_the_array_formulation():
    from simulation.economy import households as hh_money
    from simulation.scenarios import load_config

    cfg = load_config("blitar")
    hs = cfg.households
    rng = np.random.default_rng(7)
    _, hh = _workers_and_households(rng, 4000)
    hh.smoothed_income[:50] = 0.0   # new households: no income, no savings
    hh.wealth[:50] = 0.0
    price = 1.07
    members = hh.members.astype(np.float64)
    per_person = hh.smoothed_income / np.maximum(members, 1.0) / price
    share = hs.consumption_share_rich + (hs.consumption_share_poor - hs.consumption_share_rich) \
        * np.exp(-per_person / hs.income_scale)
    excess = hh.wealth - hs.buffer_months * hh.smoothed_income
    plan = share * hh.smoothed_income + hs.wealth_spending * np.maximum(excess, 0.0)
    affordable = np.maximum(hh.wealth + hh.smoothed_income, 0.0)
    floor = np.minimum(hs.subsistence * members * price, affordable)
    want = np.minimum(np.maximum(plan, floor), affordable)
    assert np.array_equal(hh_money.spending_share(cfg, hh, price), share)
    hh_money.plan_spending(cfg, hh, price)
    assert np.array_equal(hh.consumption, want)
    assert np.array_equal(np.signbit(hh.consumption), np.signbit(want))
    assert (want == affordable).any() and (want == floor).any() and (want == plan).any()


def test_enterprise_households_match_the_array_formulation():
    from simulation.economy.firms import enterprise_households

    rng = np.random.default_rng(7)
    wk, hh = _workers_and_households(rng, 2000)
    open_sector = rng.random(N_SECTORS) < 0.5
    working = np.bincount(wk.household[wk.status == INFORMAL], minlength=hh.n) > 0
    want = np.flatnonzero(working & open_sector[hh.informal_sector])
    got = enterprise_households(hh, wk, open_sector)
    assert np.array_equal(got, want) and 0 < want.size < hh.n


def _firm_table(rng: np.random.Generator, n: int):
    from simulation.model.state import FIRM_FIELDS, Table

    f = Table(FIRM_FIELDS, n)
    f.append(n, alive=rng.random(n) < 0.6, sector=rng.integers(0, N_SECTORS, n),
             real_output=np.where(rng.random(n) < 0.1, 0.0, rng.gamma(2.0, 3.0, n)),
             pay_level=rng.uniform(1.0, 4.0, n), productivity=rng.uniform(2.0, 9.0, n),
             eff_labour=rng.gamma(2.0, 2.0, n), workers=rng.integers(0, 30, n),
             market_share=rng.random(n), target=rng.uniform(0.0, 30.0, n))
    return f


def test_entry_conditions_match_the_array_formulation():
    from simulation.economy.firms import entry_conditions
    from simulation.economy.sectors import sector_sum

    rng = np.random.default_rng(7)
    f = _firm_table(rng, 3000)
    price, intermediate = rng.uniform(0.8, 1.3, N_SECTORS), rng.uniform(0.2, 0.8, N_SECTORS)
    informal_per_effort = rng.uniform(0.5, 3.0, N_SECTORS)
    cond = entry_conditions(f, price, 1.05, 2.5, np.ones(N_SECTORS), np.ones(N_SECTORS),
                            informal_per_effort, intermediate)
    live = f.alive
    q = np.where(live, np.maximum(f.real_output, 1e-9), 0.0)
    mean_pay = sector_sum(q * f.pay_level, f.sector) / np.maximum(sector_sum(q, f.sector),
                                                                   1e-300)
    cap = sector_sum(np.where(live, f.productivity * f.eff_labour
                              / (1.0 - intermediate[f.sector]), 0.0), f.sector)
    sold = sector_sum(np.where(live, f.real_output, 0.0), f.sector)
    utilisation = np.where(cap > 0, np.minimum(sold / np.maximum(cap, 1e-300), 1.0), 1.0)
    assert np.array_equal(cond.mean_pay_level, mean_pay)
    assert np.array_equal(cond.utilisation, utilisation) and (utilisation < 1.0).all()


def test_live_capacity_and_share_match_the_array_formulation():
    from simulation.economy.city_economy import _live_capacity_and_share
    from simulation.economy.sectors import sector_sum

    rng = np.random.default_rng(7)
    f = _firm_table(rng, 3000)
    intermediate = rng.uniform(0.2, 0.8, N_SECTORS)
    cap, share = _live_capacity_and_share(f.alive, f.sector, f.productivity, intermediate,
                                          f.workers, f.market_share)
    per_worker = f.productivity / (1.0 - intermediate[f.sector])
    assert np.array_equal(cap, sector_sum(np.where(f.alive, per_worker
                                                   * np.maximum(f.workers, 0), 0.0), f.sector))
    assert np.array_equal(share, sector_sum(np.where(f.alive, f.market_share, 0.0), f.sector))


def test_closing_firms_dismiss_exactly_their_workers():
    from simulation.economy.firms import close
    from simulation.model.state import UNEMPLOYED

    rng = np.random.default_rng(7)
    f = _firm_table(rng, 200)
    wk, _ = _workers_and_households(rng, 3000)
    wk.employer[:] = np.where(wk.status == FORMAL, rng.integers(0, f.n, wk.n), -1)
    gone = rng.choice(f.n, 30, replace=False)
    dead = np.zeros(f.n, dtype=bool)
    dead[gone] = True
    fired = (wk.employer >= 0) & dead[np.maximum(wk.employer, 0)]
    employer, status = np.where(fired, -1, wk.employer), np.where(fired, UNEMPLOYED, wk.status)
    close(f, wk, gone)
    assert np.array_equal(wk.employer, employer) and np.array_equal(wk.status, status)
    assert fired.sum() > 10 and not f.alive[gone].any()


def test_lay_off_rotation_matches_the_modulo_loop():
    def reference(employer, status, excess, start, firm_workers, hit, household):
        n_workers, remaining, n = employer.size, int(excess.sum()), 0
        for i in range(n_workers):
            if remaining == 0:
                break
            w = (start + i) % n_workers
            f = employer[w]
            if f >= 0 and excess[f] > 0:
                employer[w], status[w] = -1, 0
                firm_workers[f] -= 1
                excess[f] -= 1
                remaining -= 1
                hit[household[w]] = True
                n += 1
        return n

    rng = np.random.default_rng(7)
    for start in (0, 1, 517, 999, 1000, 2345, -3):
        employer = np.where(rng.random(1000) < 0.6, rng.integers(0, 40, 1000), -1)
        household = rng.integers(0, 300, 1000)
        firm_workers = np.bincount(employer[employer >= 0], minlength=40)
        excess = np.minimum(rng.integers(0, 6, 40), firm_workers)
        state = [employer, np.where(employer >= 0, FORMAL, 0).astype(np.int8), excess,
                 firm_workers, np.zeros(300, dtype=bool)]
        copy = [a.copy() for a in state]
        got = labour.lay_off(state[0], state[1], state[2], start, state[3], state[4],
                             household)
        want = reference(copy[0], copy[1], copy[2], start, copy[3], copy[4], household)
        assert got == want > 0
        assert all(np.array_equal(a, b) for a, b in zip(state, copy, strict=True))
