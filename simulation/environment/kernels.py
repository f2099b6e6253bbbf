"""Numba kernels for the environment layer: air pollution grid and the Kali Lahar river.

The model's monthly air field is a steady state solved directly (``steady_air``);
``air_step`` here is the time-dependent explicit scheme with the same stencil: the
reference that steady solve is tested against, and the tool for within-month transients.

All kernels are pure, serial, deterministic ``@numba.njit(cache=True)`` functions that work
in place on caller-owned arrays (no randomness, no Mesa, no fastmath: every sum has a fixed
order, so results are bit-reproducible; ``air_step`` allocates nothing unless the grid is tiny).
Grids are float64, C-contiguous, shape (rows, cols); a cell's flat index is ``row * cols + col``.
Time unit of ``air_step``: one call advances one unit of (pseudo) time in which the rates
are given (the pollution layer scales them so that one call covers the ventilation time of
the month's weather). Length unit on the grid: one cell (dx = 1).
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["air_substeps", "air_step", "deposit_sources", "river_step", "river_retention"]
__all__ += ["oxygen_deficit", "do_saturation", "nearest_segment_distance"]

# Per-sub-step stability limits (explicit scheme, dx = 1 cell).
_DIFF_LIMIT = 0.9  # 4*D*h (5-point 2-D limit is 1.0, i.e. D*h <= 0.25)
_DECAY_LIMIT = 0.5  # k*h
_CFL_LIMIT = 0.9  # (|u| + |v|)*h, first-order upwind
# Combined limit: the centre weight 1 - h*(4D + k + |u| + |v|) must stay >= 0.1, which makes
# each sub-step a non-negative combination of the old field, i.e. guarantees c >= 0.
_TOTAL_LIMIT = 0.9
_SECONDS_PER_DAY = 86400.0


def _check(name: str, value: float, *, positive: bool = False, signed: bool = False) -> float:
    """float(value), or ValueError naming the argument if non-finite or out of range."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if positive and value <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    if not signed and value < 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def air_substeps(
    diffusion: float, decay: float, wind_u: float, wind_v: float, dt: float = 1.0
) -> int:
    """Smallest number n >= 1 of explicit sub-steps (h = dt/n) that keeps one step stable.

    diffusion D [cells^2 per unit time] >= 0, decay k [1 per unit time] >= 0, wind_u / wind_v
    [cells per unit time] (any sign), dt [units of time] > 0. Per sub-step: 4*D*h <= 0.9,
    k*h <= 0.5, (|u|+|v|)*h <= 0.9 and (4*D + k + |u| + |v|)*h <= 0.9 (the last one is what
    makes the update a non-negative combination, so non-negative fields stay non-negative).
    Note: ``air_step`` always advances one unit of time (h = 1/n), so pass dt = 1 for it.
    """
    d = _check("diffusion", diffusion)
    k = _check("decay", decay)
    u = _check("wind_u", wind_u, signed=True)
    v = _check("wind_v", wind_v, signed=True)
    t = _check("dt", dt, positive=True)
    adv = abs(u) + abs(v)

    def ok(n: int) -> bool:
        h = t / n
        return (
            4.0 * d * h <= _DIFF_LIMIT
            and k * h <= _DECAY_LIMIT
            and adv * h <= _CFL_LIMIT
            and (4.0 * d + k + adv) * h <= _TOTAL_LIMIT
        )

    rate = max(4.0 * d / _DIFF_LIMIT, k / _DECAY_LIMIT, (4.0 * d + k + adv) / _TOTAL_LIMIT)
    n = max(1, math.ceil(rate * t))
    while n > 1 and ok(n - 1):  # guard against ceil rounding up one too many
        n -= 1
    while not ok(n):
        n += 1
    return n


@numba.njit(cache=True)
def _sweep_in_place(c, s, b, a0, an, a_s, aw, ae, hs, with_sources):
    """One explicit sub-step, c <- update(c), in place and in one pass over the grid.

    b float64[>=5, cols] work rows: b[0], b[1], b[2] rotate as copies of the old rows
    i - 1, i and i + 1, so grid row i can be overwritten as soon as it is computed; b[3]
    column sums of the old field, b[4] column sums of s (only if with_sources).
    Returns (sum of old c, sum of s or 0.0, mass lost across the boundary). Every sum has a
    fixed order: down each column in row order, then across the columns (vectorisable
    without reassociation). The row loop uses plain 2-D indexing and no array views or
    calls, so it does no reference counting.
    """
    rows, cols = c.shape
    last = cols - 1
    sacc = b[4]  # the only array view: made once, outside the row loop
    top = 0.0
    for j in range(cols):
        v = c[0, j]
        b[0, j] = v
        b[3, j] = v
        b[4, j] = 0.0
        top += v
    p = 2  # b[p]: old row i - 1
    q = 0  # b[q]: old row i
    r = 1  # b[r]: old row i + 1
    west = 0.0
    east = 0.0
    for i in range(rows):
        if i < rows - 1:
            v = c[i + 1, 0]  # row i + 1 is not overwritten yet
            b[r, 0] = v
            b[3, 0] += v
            for j in range(1, cols):  # from 1: aligned stores (see _work_rows)
                v = c[i + 1, j]
                b[r, j] = v
                b[3, j] += v
            sb = r  # south neighbour row
            ws = a_s
        else:  # no row below: point at the row itself with weight 0.0 (adds +0.0)
            sb = q
            ws = 0.0
        if i > 0:
            nb = p  # north neighbour row
            wn = an
        else:
            nb = q
            wn = 0.0
        # Fixed term order; at the east/west edge the missing neighbour is the cell itself
        # with weight 0.0, as above.
        if last == 0:
            c[i, 0] = (
                a0 * b[q, 0] + wn * b[nb, 0] + ws * b[sb, 0] + 0.0 * b[q, 0] + 0.0 * b[q, 0]
            ) + hs * s[i, 0]
        else:
            c[i, 0] = (
                a0 * b[q, 0] + wn * b[nb, 0] + ws * b[sb, 0] + 0.0 * b[q, 0] + ae * b[q, 1]
            ) + hs * s[i, 0]
            if with_sources:
                for j in range(1, last):
                    sj = s[i, j]
                    c[i, j] = (
                        a0 * b[q, j]
                        + wn * b[nb, j]
                        + ws * b[sb, j]
                        + aw * b[q, j - 1]
                        + ae * b[q, j + 1]
                    ) + hs * sj
                    sacc[j] += sj
            else:
                for j in range(1, last):
                    c[i, j] = (
                        a0 * b[q, j]
                        + wn * b[nb, j]
                        + ws * b[sb, j]
                        + aw * b[q, j - 1]
                        + ae * b[q, j + 1]
                    ) + hs * s[i, j]
            c[i, last] = (
                a0 * b[q, last]
                + wn * b[nb, last]
                + ws * b[sb, last]
                + aw * b[q, last - 1]
                + 0.0 * b[q, last]
            ) + hs * s[i, last]
            if with_sources:
                sacc[last] += s[i, last]
        if with_sources:
            sacc[0] += s[i, 0]
        west += b[q, 0]
        east += b[q, last]
        p, q, r = q, r, p
    # The old last row is now b[p].
    bottom = 0.0
    mass = 0.0
    source_mass = 0.0
    for j in range(cols):
        bottom += b[p, j]
        mass += b[3, j]
        source_mass += b[4, j]
    # A boundary cell sends to its outside neighbour the weight that neighbour would give it:
    # the cell north of row 0 sees row 0 as its south neighbour, and so on.
    outflow = (a_s * top + an * bottom) + (ae * west + aw * east)
    return mass, source_mass, outflow


@numba.njit(cache=True)
def _work_rows(scratch, cols):
    """Five work rows of length >= cols carved out of ``scratch`` (no allocation), or freshly
    allocated if scratch is too small (tiny grids only).

    The row stride is padded to a multiple of 8 and the start chosen so that element 1 of
    every row is 64-byte aligned: the stencil's vector loop (j = 1 .. cols - 2) then reads
    its centre, north and south values with aligned loads, which is measurably faster.
    """
    stride = (cols + 7) // 8 * 8
    flat = scratch.ravel()  # a view if scratch is C-contiguous (else a copy: still works)
    off = 7 - (flat.ctypes.data // 8) % 8
    if off + 5 * stride <= flat.shape[0]:
        return flat[off : off + 5 * stride].reshape((5, stride))
    return np.empty((5, stride))


@numba.njit(cache=True)
def air_step(
    conc: np.ndarray,
    sources: np.ndarray,
    scratch: np.ndarray,
    diffusion: float,
    decay: float,
    wind_u: float,
    wind_v: float,
    n_substeps: int,
    budget: np.ndarray,
) -> None:
    """Advance the air concentration grid by one unit of time, in place (the pollution layer
    scales the rates so that one call covers the ventilation time of a month's weather).

    conc     float64[rows, cols] C-contiguous, concentration (e.g. ug/m3); overwritten with
             the result. Each sub-step is one in-place pass over the grid that also
             accumulates the budget (no separate sums, no copy back).
    sources  float64[rows, cols], concentration increment per unit time per cell.
    scratch  float64[rows, cols], work buffer the kernel may use (kept for API stability);
             must not overlap conc or sources. Contents ignored, partly overwritten: the
             kernel carves five aligned work rows out of it, so a call allocates nothing;
             only grids too small to hold them (rows*cols < ~5*cols + 47) allocate instead.
    diffusion D [cells^2], decay k [first order], wind_u [cells, + = towards increasing
    column], wind_v [cells, + = towards increasing row], all per unit time;
    n_substeps from ``air_substeps``. Each sub-step h = 1/n:
    c <- c + h*(D*lap(c) - k*c - adv(c) + sources), 5-point Laplacian, first-order upwind
    advection, zero concentration outside the grid (open/outflow boundary).
    budget   float64[>=3], accumulated in concentration*cell units: [0] added by sources,
    [1] lost to decay, [2] lost across the boundary (diffusive + advective).
    """
    if conc.shape != sources.shape or conc.shape != scratch.shape:
        raise ValueError("conc, sources and scratch must have the same shape")
    if budget.shape[0] < 3:
        raise ValueError("budget must have length >= 3")
    if n_substeps < 1:
        raise ValueError("n_substeps must be >= 1")
    if not (diffusion >= 0.0) or not (decay >= 0.0):
        raise ValueError("diffusion and decay must be >= 0")
    rows, cols = conc.shape
    if rows == 0 or cols == 0:
        return
    # The update as a 5-point stencil: c_new = a0*c + an*N + a_s*S + aw*W + ae*E + h*s.
    h = 1.0 / n_substeps
    up = max(wind_u, 0.0)
    um = max(-wind_u, 0.0)
    vp = max(wind_v, 0.0)
    vm = max(-wind_v, 0.0)
    a0 = 1.0 - h * (4.0 * diffusion + decay + up + um + vp + vm)
    an = h * (diffusion + vp)  # wind towards +row carries mass from row - 1
    a_s = h * (diffusion + vm)
    aw = h * (diffusion + up)  # wind towards +col carries mass from col - 1
    ae = h * (diffusion + um)
    bufs = _work_rows(scratch, cols)
    added = 0.0
    decayed = 0.0
    outflow = 0.0
    source_mass = 0.0
    for step in range(n_substeps):
        mass, smass, lost = _sweep_in_place(conc, sources, bufs, a0, an, a_s, aw, ae, h, step == 0)
        if step == 0:
            source_mass = smass
        outflow += lost
        decayed += h * decay * mass
        added += h * source_mass
    budget[0] += added
    budget[1] += decayed
    budget[2] += outflow


@numba.njit(cache=True)
def deposit_sources(grid_flat: np.ndarray, cell_index: np.ndarray, amount: np.ndarray) -> None:
    """grid_flat[cell_index[i]] += amount[i] for every i (repeated indices accumulate).

    grid_flat float64[cells] (e.g. ``layer.ravel()``), cell_index int64[m] flat indices,
    amount float64[m] in the grid's units. The caller zeroes the grid first if needed.
    """
    if cell_index.shape[0] != amount.shape[0]:
        raise ValueError("cell_index and amount must have the same length")
    n = grid_flat.shape[0]
    for i in range(cell_index.shape[0]):
        c = cell_index[i]
        if c < 0 or c >= n:
            raise ValueError("cell_index out of range")
        grid_flat[c] += amount[i]


@numba.njit(cache=True)
def river_step(
    load: np.ndarray,
    inflow_flux: float,
    retention: np.ndarray,
    flux_out: np.ndarray,
    budget: np.ndarray,
) -> None:
    """Steady plug flow down the river chain for one month, segment 0 most upstream.

    load      float64[n] kg/month entering each segment; inflow_flux kg/month from upstream.
    retention float64[n] in (0, 1], exp(-decay_rate * travel_time) per segment.
    flux_out  float64[n] written: F_k = (F_{k-1} + load_k) * retention_k [kg/month].
    budget    float64[>=3] accumulated [kg/month]: [0] entering (inflow + loads),
    [1] decayed, [2] leaving at the mouth (F_{n-1}); [0] == [1] + [2] up to rounding.
    """
    n = load.shape[0]
    if retention.shape[0] != n or flux_out.shape[0] != n:
        raise ValueError("load, retention and flux_out must have the same length")
    if budget.shape[0] < 3:
        raise ValueError("budget must have length >= 3")
    flux = float(inflow_flux)
    entering = flux
    decayed = 0.0
    for k in range(n):
        entering += load[k]
        upstream = flux + load[k]
        flux = upstream * retention[k]
        decayed += upstream - flux
        flux_out[k] = flux
    budget[0] += entering
    budget[1] += decayed
    budget[2] += flux


@numba.njit(cache=True)
def oxygen_deficit(
    bod_start: np.ndarray,
    travel_days: np.ndarray,
    k1: float,
    k2: float,
    deficit_in: float,
    deficit_out: np.ndarray,
) -> None:
    """Streeter-Phelps dissolved-oxygen deficit down the river chain, segment 0 upstream.

    bod_start   float64[n] ultimate BOD (mg/L) at the start of each segment, after the
                segment's own load has mixed in; within a segment it decays as exp(-k1 t).
    travel_days float64[n] travel time through each segment [day].
    k1, k2      deoxygenation and reaeration rates [1/day], >= 0.
    deficit_in  deficit entering segment 0 [mg/L].
    deficit_out float64[n] written: deficit at the end of each segment [mg/L].
    Each segment applies the exact solution of dD/dt = k1 L - k2 D over its travel time,
    so a chain without new loads reproduces the analytic curve at the summed time.
    Effluent volumes are taken as negligible against the river's discharge (they add BOD,
    not deficit).
    """
    n = bod_start.shape[0]
    if travel_days.shape[0] != n or deficit_out.shape[0] != n:
        raise ValueError("bod_start, travel_days and deficit_out must have the same length")
    if not (k1 >= 0.0) or not (k2 >= 0.0):
        raise ValueError("k1 and k2 must be >= 0")
    d = deficit_in
    for k in range(n):
        t = travel_days[k]
        e1 = math.exp(-k1 * t)
        e2 = math.exp(-k2 * t)
        if abs(k2 - k1) > 1e-9 * max(k1, k2):
            d = d * e2 + k1 * bod_start[k] / (k2 - k1) * (e1 - e2)
        else:  # k1 == k2: the limit of the expression above
            d = d * e2 + k1 * bod_start[k] * t * e1
        deficit_out[k] = d


def do_saturation(temperature_c: float) -> float:
    """Oxygen saturation of fresh water at 1 atm [mg/L] (Benson & Krause 1984, the APHA
    4500-O equation): ln C = -139.34411 + 1.575701e5/T - 6.642308e7/T^2 + 1.2438e10/T^3
    - 8.621949e11/T^4 with T in kelvin."""
    t = _check("temperature_c", temperature_c) + 273.15
    return math.exp(-139.34411 + 1.575701e5 / t - 6.642308e7 / t**2 + 1.2438e10 / t**3
                    - 8.621949e11 / t**4)


def river_retention(
    n_segments: int, segment_length_m: float, velocity_m_s: float, decay_per_day: float
) -> np.ndarray:
    """Per-segment retention exp(-decay_per_day * travel_time_days), float64[n_segments].

    segment_length_m [m] > 0, velocity_m_s [m/s] > 0, decay_per_day [1/day] >= 0.
    """
    if isinstance(n_segments, bool) or int(n_segments) != n_segments or n_segments < 1:
        raise ValueError(f"n_segments must be a positive integer, got {n_segments!r}")
    length = _check("segment_length_m", segment_length_m, positive=True)
    vel = _check("velocity_m_s", velocity_m_s, positive=True)
    rate = _check("decay_per_day", decay_per_day)
    travel_days = length / vel / _SECONDS_PER_DAY
    return np.full(int(n_segments), math.exp(-rate * travel_days), dtype=np.float64)


@numba.njit(cache=True)
def _nearest_segment(rows, cols, river_cells, seg, dist):
    n_seg = river_cells.shape[0]
    for r in range(rows):
        for c in range(cols):
            best = np.inf
            best_k = 0
            for k in range(n_seg):  # strict < : ties go to the most upstream segment
                dr = r - river_cells[k] // cols
                dc = c - river_cells[k] % cols
                d2 = float(dr * dr + dc * dc)
                if d2 < best:
                    best = d2
                    best_k = k
            seg[r * cols + c] = best_k
            dist[r * cols + c] = math.sqrt(best)


def nearest_segment_distance(
    rows: int, cols: int, river_cells: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For every cell (flat index): nearest river segment and its distance.

    river_cells int64[n_seg] flat cell index of each segment, in downstream order.
    Returns (segment index int64[rows*cols], Euclidean distance float64[rows*cols] in cells).
    """
    if int(rows) != rows or rows < 1:
        raise ValueError(f"rows must be a positive integer, got {rows!r}")
    if int(cols) != cols or cols < 1:
        raise ValueError(f"cols must be a positive integer, got {cols!r}")
    cells = np.ascontiguousarray(river_cells, dtype=np.int64)
    if cells.ndim != 1 or cells.size == 0:
        raise ValueError("river_cells must be a non-empty 1-D array")
    if cells.min() < 0 or cells.max() >= rows * cols:
        raise ValueError("river_cells has a flat index outside the grid")
    seg = np.empty(int(rows) * int(cols), dtype=np.int64)
    dist = np.empty(int(rows) * int(cols), dtype=np.float64)
    _nearest_segment(int(rows), int(cols), cells, seg, dist)
    return seg, dist
