"""Micro-benchmarks of the air: one explicit sub-step (numba kernel vs NumPy slicing), and
the model's monthly steady solve on the city grid.

Run: ``python benchmarks/bench_kernels.py [size]``. The explicit kernel is no longer the
model's monthly solve (``steady_air`` is; the kernel is the time-dependent reference it is
tested against). Both sides of the sub-step benchmark do the same work per call:
the 5-point diffusion + decay + sources update of a size x size grid with zero-outside
boundary, the result back in ``conc``, and the mass budget (sources, decay, boundary outflow).
Measured without wind (the historic target) and with a monsoon wind (first-order upwind
advection, as every month of the model now has).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulation.environment.kernels import air_step  # noqa: E402

DIFFUSION = 0.2  # cells^2 per unit time
DECAY = 0.1  # 1 per unit time
WIND = (-0.25, -0.1)  # cells per unit time: towards west-north-west, as in the dry monsoon


def numpy_air_substep(conc, sources, out, tmp, diffusion, decay, h, budget,
                      wind=(0.0, 0.0)) -> None:
    """The same sub-step in NumPy slicing, as lean as NumPy allows: weights precomputed,
    preallocated out/tmp, no np.pad, ufuncs with out= (no temporaries)."""
    u, v = wind
    a0 = 1.0 - h * (4.0 * diffusion + decay + abs(u) + abs(v))
    wn, ws = h * (diffusion + max(v, 0.0)), h * (diffusion + max(-v, 0.0))
    ww, we = h * (diffusion + max(u, 0.0)), h * (diffusion + max(-u, 0.0))
    np.multiply(conc, a0, out=out)
    np.multiply(conc[:-1], wn, out=tmp[1:])  # north neighbour
    out[1:] += tmp[1:]
    np.multiply(conc[1:], ws, out=tmp[:-1])  # south
    out[:-1] += tmp[:-1]
    np.multiply(conc[:, :-1], ww, out=tmp[:, 1:])  # west
    out[:, 1:] += tmp[:, 1:]
    np.multiply(conc[:, 1:], we, out=tmp[:, :-1])  # east
    out[:, :-1] += tmp[:, :-1]
    np.multiply(sources, h, out=tmp)
    out += tmp
    budget[0] += h * sources.sum()
    budget[1] += h * decay * conc.sum()
    budget[2] += (ws * conc[0].sum() + wn * conc[-1].sum()) + (
        we * conc[:, 0].sum() + ww * conc[:, -1].sum())
    conc[...] = out


def _median_us(fn, repeats: int, batches: int) -> float:
    per_call = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(repeats):
            fn()
        per_call.append((time.perf_counter() - t0) / repeats * 1e6)
    return statistics.median(per_call)


def bench_air_kernel(size: int = 200, repeats: int = 500, batches: int = 7) -> dict:
    """Median microseconds per single air sub-step (n_substeps = 1, no wind), both ways."""
    rng = np.random.default_rng(12345)
    sources = rng.random((size, size)) * 0.01
    conc_nb = rng.random((size, size))
    conc_np = conc_nb.copy()
    scratch = np.empty_like(conc_nb)
    out = np.empty_like(conc_np)
    tmp = np.empty_like(conc_np)
    budget_nb = np.zeros(3)
    budget_np = np.zeros(3)

    def run_numba() -> None:
        air_step(conc_nb, sources, scratch, DIFFUSION, DECAY, 0.0, 0.0, 1, budget_nb)

    def run_numba_pair() -> None:  # n = 2: the source sum is only taken in sub-step 1
        air_step(conc_nb, sources, scratch, DIFFUSION, DECAY, 0.0, 0.0, 2, budget_nb)

    def run_numpy() -> None:
        numpy_air_substep(conc_np, sources, out, tmp, DIFFUSION, DECAY, 1.0, budget_np)

    def run_numba_wind() -> None:
        air_step(conc_nb, sources, scratch, DIFFUSION, DECAY, *WIND, 1, budget_nb)

    def run_numpy_wind() -> None:
        numpy_air_substep(conc_np, sources, out, tmp, DIFFUSION, DECAY, 1.0, budget_np, WIND)

    run_numba()  # compile (or load from cache) before timing
    run_numpy()
    np.testing.assert_allclose(conc_nb, conc_np, rtol=1e-12)  # same maths on both sides
    run_numba_wind()
    run_numpy_wind()
    np.testing.assert_allclose(conc_nb, conc_np, rtol=1e-12)
    np.testing.assert_allclose(budget_nb, budget_np, rtol=1e-12)
    numba_us = _median_us(run_numba, repeats, batches)
    numpy_us = _median_us(run_numpy, max(1, repeats // 5), batches)
    numba_wind_us = _median_us(run_numba_wind, repeats, batches)
    numpy_wind_us = _median_us(run_numpy_wind, max(1, repeats // 5), batches)
    run_numba_pair()
    pair_us = _median_us(run_numba_pair, repeats, batches) / 2.0
    return {
        "size": size,
        "numba_us": numba_us,
        "numpy_us": numpy_us,
        "speedup": numpy_us / numba_us,
        "speedup_wind": numpy_wind_us / numba_wind_us,
        "numba_us_per_substep_n2": pair_us,  # extra: amortised cost per sub-step at n = 2
    }


def bench_air_month(repeats: int = 50) -> dict[str, float]:
    """Median ms of the model's monthly air solve on the default city grid, per distinct
    weather state (factorisation excluded: it is made once per state and process)."""
    from simulation.environment.geography import default_map_path, load_map
    from simulation.environment.pollution import air_solve
    from simulation.environment.steady_air import steady_field
    from simulation.environment.weather import climatology
    from simulation.scenarios import load_config

    env = load_config("blitar").environment
    city = load_map(default_map_path())
    sources = np.random.default_rng(1).random((city.rows, city.cols)) * 1e-6
    field = np.empty_like(sources)
    out = {}
    for w in climatology(env):
        op = air_solve(env, city, w).operator
        key = f"{w.season} ({city.rows}x{city.cols})"
        if key not in out:
            steady_field(op, sources, field)  # factorise
            out[key] = _median_us(lambda op=op: steady_field(op, sources, field), repeats,
                                  5) / 1e3
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for state, ms in bench_air_month().items():
        print(f"monthly steady air solve, {state}: {ms:.2f} ms")
    res = bench_air_kernel(n)
    print(
        f"air sub-step {n}x{n}: numba {res['numba_us']:.1f} us, "
        f"numpy slicing {res['numpy_us']:.1f} us, speedup {res['speedup']:.1f}x, with wind "
        f"{res['speedup_wind']:.1f}x (numba per sub-step at n=2: "
        f"{res['numba_us_per_substep_n2']:.1f} us)"
    )
