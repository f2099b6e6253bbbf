"""Tests for the numba environment kernels against plain NumPy references."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from simulation.environment.kernels import (
    air_step,
    air_substeps,
    deposit_sources,
    do_saturation,
    nearest_segment_distance,
    oxygen_deficit,
    river_retention,
    river_step,
)

RTOL = 1e-12

# ---------------------------------------------------------------------------------------------
# NumPy references (literal maths, not the kernels' weight form)
# ---------------------------------------------------------------------------------------------


def ref_air_step(conc, sources, diffusion, decay, u, v, n):
    """c <- c + h*(D*lap(c) - k*c - adv(c) + s), zero outside, first-order upwind."""
    c = conc.astype(np.float64, copy=True)
    budget = np.zeros(3)
    h = 1.0 / n
    for _ in range(n):
        p = np.pad(c, 1)
        north, south = p[:-2, 1:-1], p[2:, 1:-1]
        west, east = p[1:-1, :-2], p[1:-1, 2:]
        lap = north + south + west + east - 4.0 * c
        adv_x = u * (c - west) if u >= 0 else u * (east - c)
        adv_y = v * (c - north) if v >= 0 else v * (south - c)
        edges = c[0].sum() + c[-1].sum() + c[:, 0].sum() + c[:, -1].sum()
        out = diffusion * edges
        out += max(u, 0) * c[:, -1].sum() + max(-u, 0) * c[:, 0].sum()
        out += max(v, 0) * c[-1].sum() + max(-v, 0) * c[0].sum()
        budget += [h * sources.sum(), h * decay * c.sum(), h * out]
        c = c + h * (diffusion * lap - decay * c - (adv_x + adv_y) + sources)
    return c, budget


def ref_river(load, inflow, retention):
    flux = np.empty_like(load)
    f = inflow
    for k in range(load.size):
        f = (f + load[k]) * retention[k]
        flux[k] = f
    return flux


def run_air(conc, sources, diffusion, decay, u, v, n, months=1):
    c = conc.copy()
    scratch = np.empty_like(c)
    budget = np.zeros(3)
    for _ in range(months):
        air_step(c, sources, scratch, diffusion, decay, u, v, n, budget)
    return c, budget


# ---------------------------------------------------------------------------------------------
# air
# ---------------------------------------------------------------------------------------------

WINDS = [(0.0, 0.0), (0.7, 0.0), (0.0, -0.9), (1.3, -0.4), (-2.0, 0.6), (-0.5, -1.5)]
PARAMS = [(0.2, 0.1), (1.0, 0.0), (0.05, 0.8), (3.0, 0.3)]


@pytest.mark.parametrize("shape", [(37, 53), (8, 5), (1, 9), (6, 1), (2, 2), (1, 1)])
@pytest.mark.parametrize("wind", WINDS)
@pytest.mark.parametrize("params", PARAMS)
def test_air_step_matches_numpy_reference(shape, wind, params):
    rng = np.random.default_rng(hash((shape, wind, params)) % 2**32)
    conc = rng.random(shape)
    sources = rng.random(shape) * 0.3
    d, k = params
    n = air_substeps(d, k, *wind)
    for steps in (n, n + 1):  # odd and even sub-step counts (ping-pong ends in either buffer)
        got, budget = run_air(conc, sources, d, k, *wind, steps)
        want, want_budget = ref_air_step(conc, sources, d, k, *wind, steps)
        np.testing.assert_allclose(got, want, rtol=RTOL)
        np.testing.assert_allclose(budget, want_budget, rtol=RTOL)


def test_air_step_writes_into_the_passed_array_mesa_property_layer():
    mesa_layer = pytest.importorskip("mesa.discrete_space").PropertyLayer
    layer = mesa_layer("pm25", (37, 53), default_value=0.0, dtype=float)
    rng = np.random.default_rng(3)
    layer.data[:] = rng.random((37, 53))
    start = layer.data.copy()
    data_id = id(layer.data)
    sources = rng.random((37, 53))
    for n in (1, 2, 3):
        layer.data[:] = start
        air_step(layer.data, sources, np.empty_like(start), 0.5, 0.1, 0.3, 0.2, n, np.zeros(3))
        assert id(layer.data) == data_id
        want, _ = ref_air_step(start, sources, 0.5, 0.1, 0.3, 0.2, n)
        np.testing.assert_allclose(layer.data, want, rtol=RTOL)


@pytest.mark.parametrize("wind", WINDS)
@pytest.mark.parametrize("params", [(0.2, 0.1), (5.0, 0.0), (0.0, 2.0), (0.0, 0.0)])
def test_air_mass_balance(wind, params):
    rng = np.random.default_rng(7)
    conc = rng.random((23, 31)) * 10.0
    sources = rng.random((23, 31))
    d, k = params
    n = air_substeps(d, k, *wind)
    got, budget = run_air(conc, sources, d, k, *wind, n, months=12)
    expected = conc.sum() + budget[0] - budget[1] - budget[2]
    np.testing.assert_allclose(got.sum(), expected, rtol=RTOL)
    assert budget[0] > 0 and budget[1] >= 0 and budget[2] >= 0
    assert (budget[1] > 0) == (k > 0)
    assert (budget[2] > 0) == (d > 0 or wind != (0.0, 0.0))


@pytest.mark.parametrize("diffusion", [0.1, 2.0, 50.0])
@pytest.mark.parametrize("wind", [(0.0, 0.0), (3.0, -7.0), (-25.0, 1.0)])
def test_air_non_negative(diffusion, wind):
    rng = np.random.default_rng(11)
    # Sparse fields (mostly zeros next to large values) are where negativity would show.
    conc = rng.random((29, 17)) * (rng.random((29, 17)) < 0.1) * 100.0
    sources = rng.random((29, 17)) * (rng.random((29, 17)) < 0.05)
    for decay in (0.0, 0.4, 3.0):
        n = air_substeps(diffusion, decay, *wind)
        got, _ = run_air(conc, sources, diffusion, decay, *wind, n, months=20)
        assert got.min() >= 0.0


def test_stability_guard_matters():
    d, k = 10.0, 0.1
    n = air_substeps(d, k, 0.0, 0.0)
    assert n > 1
    rng = np.random.default_rng(5)
    conc = rng.random((30, 30))
    zero = np.zeros_like(conc)
    unguarded, _ = run_air(conc, zero, d, k, 0.0, 0.0, 1, months=5)
    assert unguarded.min() < 0.0
    assert np.abs(unguarded).max() > 1e3 * conc.max()
    guarded, _ = run_air(conc, zero, d, k, 0.0, 0.0, n, months=5)
    assert guarded.min() >= 0.0
    assert guarded.max() <= conc.max()  # maximum principle without sources


@pytest.mark.parametrize(
    ("d", "k", "u", "v"),
    [(10.0, 0.1, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0), (0.3, 7.0, 0.0, 0.0), (0.1, 0.0, 4.0, -3.0)],
)
def test_air_substeps_is_smallest_stable(d, k, u, v):
    n = air_substeps(d, k, u, v)

    def ok(m):
        h = 1.0 / m
        adv = abs(u) + abs(v)
        return 4 * d * h <= 0.9 and k * h <= 0.5 and adv * h <= 0.9 and (4 * d + k + adv) * h <= 0.9

    assert ok(n)
    assert n == 1 or not ok(n - 1)
    assert air_substeps(d, k, u, v, dt=2.0) >= n


def test_air_deterministic():
    rng = np.random.default_rng(1)
    conc = rng.random((40, 45))
    sources = rng.random((40, 45))
    a, ba = run_air(conc, sources, 2.0, 0.2, 1.5, -0.7, air_substeps(2.0, 0.2, 1.5, -0.7), 6)
    b, bb = run_air(conc, sources, 2.0, 0.2, 1.5, -0.7, air_substeps(2.0, 0.2, 1.5, -0.7), 6)
    assert a.tobytes() == b.tobytes()
    assert ba.tobytes() == bb.tobytes()


def _centre_of_mass(c):
    rows, cols = np.indices(c.shape)
    return (rows * c).sum() / c.sum(), (cols * c).sum() / c.sum()


def test_point_source_diffuses_symmetrically():
    conc = np.zeros((41, 41))
    conc[20, 20] = 1000.0
    got, _ = run_air(
        conc, np.zeros_like(conc), 0.8, 0.05, 0.0, 0.0, air_substeps(0.8, 0.05, 0, 0), 4
    )
    tiny = 1e-300
    np.testing.assert_allclose(got, got[::-1, :], rtol=RTOL, atol=tiny)
    np.testing.assert_allclose(got, got[:, ::-1], rtol=RTOL, atol=tiny)
    np.testing.assert_allclose(got, got.T, rtol=RTOL, atol=tiny)
    assert got[20, 20] < 1000.0 and got[20, 23] > 0.0
    np.testing.assert_allclose(_centre_of_mass(got), (20.0, 20.0), rtol=RTOL)


@pytest.mark.parametrize("wind", [(2.0, 0.0), (-1.5, 0.0), (0.0, 2.5), (1.0, -2.0)])
def test_point_source_moves_downwind(wind):
    u, v = wind
    conc = np.zeros((41, 41))
    conc[20, 20] = 1000.0
    months = 3
    n = air_substeps(0.5, 0.0, u, v)
    got, budget = run_air(conc, np.zeros_like(conc), 0.5, 0.0, u, v, n, months)
    assert budget[2] < 1e-9 * conc.sum()  # plume stays inside: the first moment is exact
    row, col = _centre_of_mass(got)
    # Upwind advection moves the centre of mass by exactly wind * time (no decay, no loss).
    np.testing.assert_allclose([row, col], [20.0 + v * months, 20.0 + u * months], atol=1e-6)


@pytest.mark.parametrize("shape", [(200, 200), (37, 53), (100, 7), (8, 5), (3, 40), (1, 1)])
def test_air_scratch_is_only_a_work_buffer(shape):
    # The kernel carves aligned work rows out of scratch (or allocates them when the grid is
    # too small): neither scratch's contents, its alignment nor its layout may change a bit
    # of the result or the budget, and sources must stay untouched.
    rng = np.random.default_rng(17)
    conc = rng.random(shape)
    sources = rng.random(shape)
    src_before = sources.copy()
    d, k, u, v = 0.6, 0.2, 0.8, -0.5
    n = air_substeps(d, k, u, v)
    want, want_budget = run_air(conc, sources, d, k, u, v, n, months=2)
    rows, cols = shape
    raw = np.full(rows * cols + 8, np.nan)
    scratches = [raw[off : off + rows * cols].reshape(shape) for off in range(8)]
    scratches.append(np.full((rows, 2 * cols), np.inf)[:, ::2])  # non-contiguous
    for scratch in scratches:
        for steps in (1, n, n + 1):
            c = conc.copy()
            budget = np.zeros(3)
            air_step(c, sources, scratch, d, k, u, v, steps, budget)
            ref = conc.copy()
            ref_budget = np.zeros(3)
            air_step(ref, sources, np.zeros(shape), d, k, u, v, steps, ref_budget)
            assert c.tobytes() == ref.tobytes()
            assert budget.tobytes() == ref_budget.tobytes()
        c = conc.copy()
        budget = np.zeros(3)
        for _ in range(2):
            air_step(c, sources, scratch, d, k, u, v, n, budget)
        assert c.tobytes() == want.tobytes()
        assert budget.tobytes() == want_budget.tobytes()
    assert sources.tobytes() == src_before.tobytes()


def test_air_step_bad_arguments():
    c = np.zeros((4, 5))
    b = np.zeros(3)
    with pytest.raises(ValueError, match="shape"):
        air_step(c, np.zeros((5, 4)), np.zeros((4, 5)), 0.1, 0.1, 0.0, 0.0, 1, b)
    with pytest.raises(ValueError, match="n_substeps"):
        air_step(c, c.copy(), c.copy(), 0.1, 0.1, 0.0, 0.0, 0, b)
    with pytest.raises(ValueError, match="budget"):
        air_step(c, c.copy(), c.copy(), 0.1, 0.1, 0.0, 0.0, 1, np.zeros(2))
    with pytest.raises(ValueError, match="diffusion"):
        air_step(c, c.copy(), c.copy(), -0.1, 0.1, 0.0, 0.0, 1, b)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"diffusion": -1.0}, "diffusion"),
        ({"diffusion": math.nan}, "diffusion"),
        ({"decay": -0.1}, "decay"),
        ({"decay": math.inf}, "decay"),
        ({"wind_u": math.nan}, "wind_u"),
        ({"wind_v": -math.inf}, "wind_v"),
        ({"dt": 0.0}, "dt"),
        ({"dt": -1.0}, "dt"),
    ],
)
def test_air_substeps_bad_arguments(kwargs, name):
    args = {"diffusion": 1.0, "decay": 0.1, "wind_u": -2.0, "wind_v": 1.0} | kwargs
    with pytest.raises(ValueError, match=name):
        air_substeps(**args)


# ---------------------------------------------------------------------------------------------
# deposit
# ---------------------------------------------------------------------------------------------


def test_deposit_sources_matches_add_at():
    rng = np.random.default_rng(2)
    idx = rng.integers(0, 50, size=400).astype(np.int64)  # many repeats
    amount = rng.random(400)
    got = rng.random(50)
    want = got.copy()
    deposit_sources(got, idx, amount)
    np.add.at(want, idx, amount)
    np.testing.assert_allclose(got, want, rtol=RTOL)
    grid = np.zeros((5, 10))
    deposit_sources(grid.reshape(-1), idx, amount)  # a view writes through to the 2-D grid
    np.testing.assert_allclose(grid.ravel(), np.bincount(idx, amount, minlength=50), rtol=RTOL)


def test_deposit_bad_arguments():
    grid = np.zeros(10)
    with pytest.raises(ValueError, match="cell_index"):
        deposit_sources(grid, np.array([3, 10], dtype=np.int64), np.ones(2))
    with pytest.raises(ValueError, match="cell_index"):
        deposit_sources(grid, np.array([-1], dtype=np.int64), np.ones(1))
    with pytest.raises(ValueError, match="same length"):
        deposit_sources(grid, np.array([1, 2], dtype=np.int64), np.ones(3))


# ---------------------------------------------------------------------------------------------
# river
# ---------------------------------------------------------------------------------------------


def _river_case(n=26, seed=8):
    rng = np.random.default_rng(seed)
    load = rng.random(n) * 100.0 * (rng.random(n) < 0.5)
    retention = np.exp(-rng.random(n) * 0.3)
    return load, retention


def test_river_matches_reference_and_balances():
    load, retention = _river_case()
    flux = np.empty_like(load)
    budget = np.zeros(3)
    for _ in range(3):  # budget accumulates over months
        river_step(load, 12.5, retention, flux, budget)
    np.testing.assert_allclose(flux, ref_river(load, 12.5, retention), rtol=RTOL)
    np.testing.assert_allclose(budget[0], 3 * (12.5 + load.sum()), rtol=RTOL)
    np.testing.assert_allclose(budget[2], 3 * flux[-1], rtol=RTOL)
    np.testing.assert_allclose(budget[0], budget[1] + budget[2], rtol=RTOL)
    assert budget[1] > 0


def test_river_without_decay_conserves_exactly():
    load, _ = _river_case()
    flux = np.empty_like(load)
    budget = np.zeros(3)
    river_step(load, 3.25, np.ones_like(load), flux, budget)
    total = 3.25
    for x in load:
        total += x
    assert flux[-1] == total
    assert budget[1] == 0.0 and budget[2] == total
    assert np.all(np.diff(flux) >= 0)


def test_river_removing_one_load_lowers_downstream_by_retained_load():
    load, retention = _river_case()
    m = int(np.flatnonzero(load)[3])
    base = np.empty_like(load)
    cut = np.empty_like(load)
    river_step(load, 7.0, retention, base, np.zeros(3))
    treated = load.copy()
    treated[m] = 0.0  # an IPAL removing all of segment m's load
    river_step(treated, 7.0, retention, cut, np.zeros(3))
    assert np.array_equal(cut[:m], base[:m])  # upstream untouched
    drop = load[m] * np.cumprod(retention[m:])
    np.testing.assert_allclose(base[m:] - cut[m:], drop, rtol=1e-9)


def test_river_retention_values_and_bad_arguments():
    ret = river_retention(4, 1950.0, 0.3, 0.5)
    travel_days = 1950.0 / 0.3 / 86400.0
    np.testing.assert_allclose(ret, np.full(4, math.exp(-0.5 * travel_days)), rtol=RTOL)
    assert ret.dtype == np.float64 and np.all((ret > 0) & (ret <= 1))
    assert np.all(river_retention(2, 100.0, 1.0, 0.0) == 1.0)
    for args, name in [
        ((0, 1.0, 1.0, 0.1), "n_segments"),
        ((2.5, 1.0, 1.0, 0.1), "n_segments"),
        ((3, 0.0, 1.0, 0.1), "segment_length_m"),
        ((3, math.nan, 1.0, 0.1), "segment_length_m"),
        ((3, 1.0, -0.3, 0.1), "velocity_m_s"),
        ((3, 1.0, 0.3, -0.1), "decay_per_day"),
    ]:
        with pytest.raises(ValueError, match=name):
            river_retention(*args)
    with pytest.raises(ValueError, match="same length"):
        river_step(np.ones(3), 0.0, np.ones(2), np.empty(3), np.zeros(3))


# ---------------------------------------------------------------------------------------------
# dissolved oxygen (Streeter-Phelps)
# ---------------------------------------------------------------------------------------------


def streeter_phelps(l0, d0, k1, k2, t):
    """The analytic deficit D(t) = k1 L0 / (k2 - k1) (e^-k1t - e^-k2t) + D0 e^-k2t."""
    if k1 == k2:
        return k1 * l0 * t * math.exp(-k1 * t) + d0 * math.exp(-k2 * t)
    return k1 * l0 / (k2 - k1) * (math.exp(-k1 * t) - math.exp(-k2 * t)) + d0 * math.exp(-k2 * t)


@pytest.mark.parametrize(("k1", "k2"), [(0.34, 2.0), (0.3, 0.3), (1.2, 0.4), (0.5, 0.0)])
def test_oxygen_deficit_matches_the_analytic_solution(k1, k2):
    rng = np.random.default_rng(9)
    travel = rng.random(40) * 0.05  # days per segment
    l0, d0 = 25.0, 0.8
    t_end = np.cumsum(travel)
    bod_start = l0 * np.exp(-k1 * np.concatenate(([0.0], t_end[:-1])))  # no new loads
    out = np.empty(40)
    oxygen_deficit(bod_start, travel, k1, k2, d0, out)
    want = [streeter_phelps(l0, d0, k1, k2, t) for t in t_end]
    np.testing.assert_allclose(out, want, rtol=1e-10)


def test_oxygen_deficit_sag_has_its_critical_point_where_the_theory_puts_it():
    k1, k2, l0, d0 = 0.34, 2.0, 30.0, 0.0
    travel = np.full(2000, 0.002)
    t = np.cumsum(travel)
    out = np.empty(t.size)
    oxygen_deficit(l0 * np.exp(-k1 * (t - travel)), travel, k1, k2, d0, out)
    t_crit = math.log(k2 / k1 * (1 - d0 * (k2 - k1) / (k1 * l0))) / (k2 - k1)
    assert t[np.argmax(out)] == pytest.approx(t_crit, abs=0.002)


def test_oxygen_deficit_bad_arguments():
    with pytest.raises(ValueError, match="same length"):
        oxygen_deficit(np.ones(3), np.ones(2), 0.3, 1.0, 0.0, np.empty(3))
    with pytest.raises(ValueError, match="k1 and k2"):
        oxygen_deficit(np.ones(3), np.ones(3), -0.3, 1.0, 0.0, np.empty(3))


@pytest.mark.parametrize(("temp", "table"), [(20.0, 9.09), (25.0, 8.26), (30.0, 7.56)])
def test_do_saturation_matches_the_standard_table(temp, table):
    assert do_saturation(temp) == pytest.approx(table, abs=0.01)


# ---------------------------------------------------------------------------------------------
# nearest river segment
# ---------------------------------------------------------------------------------------------


def test_nearest_segment_distance_matches_brute_force():
    rows, cols = 13, 17
    river = np.array([5, 22, 39, 56, 74, 92, 110, 128, 146, 200], dtype=np.int64)
    seg, dist = nearest_segment_distance(rows, cols, river)
    r, c = np.divmod(np.arange(rows * cols), cols)
    rr, rc = np.divmod(river, cols)
    d = np.hypot(r[:, None] - rr[None, :], c[:, None] - rc[None, :])
    assert np.array_equal(seg, np.argmin(d, axis=1))  # ties go to the upstream segment
    np.testing.assert_allclose(dist, d.min(axis=1), rtol=RTOL)
    assert np.all(dist[river] == 0.0)
    assert seg.dtype == np.int64 and dist.dtype == np.float64


def test_nearest_segment_distance_fast_enough():
    t0 = time.perf_counter()
    river = (np.arange(150) * 67 % 10_000).astype(np.int64)
    seg, dist = nearest_segment_distance(100, 100, river)
    assert time.perf_counter() - t0 < 1.0  # includes compiling (or loading the cache)
    assert seg.shape == dist.shape == (10_000,)


def test_nearest_segment_distance_bad_arguments():
    with pytest.raises(ValueError, match="river_cells"):
        nearest_segment_distance(5, 5, np.array([25], dtype=np.int64))
    with pytest.raises(ValueError, match="river_cells"):
        nearest_segment_distance(5, 5, np.array([], dtype=np.int64))
    with pytest.raises(ValueError, match="rows"):
        nearest_segment_distance(0, 5, np.array([1], dtype=np.int64))
    with pytest.raises(ValueError, match="cols"):
        nearest_segment_distance(5, -2, np.array([1], dtype=np.int64))
