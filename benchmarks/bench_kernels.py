"""Micro-benchmark: one explicit air sub-step, numba kernel vs NumPy slicing.

Run: ``python benchmarks/bench_kernels.py [size]``. Both sides do the same work per call:
the 5-point diffusion + decay + sources update of a size x size grid with zero-outside
boundary, the result back in ``conc``, and the mass budget (sources, decay, boundary outflow).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulation.environment.kernels import air_step  # noqa: E402

DIFFUSION = 0.2  # cells^2/month
DECAY = 0.1  # 1/month


def numpy_air_substep(conc, sources, out, tmp, diffusion, decay, h, budget) -> None:
    """The same sub-step in NumPy slicing, as lean as NumPy allows: weights precomputed,
    preallocated out/tmp, no np.pad, ufuncs with out= (no temporaries)."""
    a0 = 1.0 - h * (4.0 * diffusion + decay)
    w = h * diffusion
    np.multiply(conc, a0, out=out)
    np.multiply(conc[:-1], w, out=tmp[1:])  # north neighbour
    out[1:] += tmp[1:]
    np.multiply(conc[1:], w, out=tmp[:-1])  # south
    out[:-1] += tmp[:-1]
    np.multiply(conc[:, :-1], w, out=tmp[:, 1:])  # west
    out[:, 1:] += tmp[:, 1:]
    np.multiply(conc[:, 1:], w, out=tmp[:, :-1])  # east
    out[:, :-1] += tmp[:, :-1]
    np.multiply(sources, h, out=tmp)
    out += tmp
    budget[0] += h * sources.sum()
    budget[1] += h * decay * conc.sum()
    edge = conc[0].sum() + conc[-1].sum() + conc[:, 0].sum() + conc[:, -1].sum()
    budget[2] += w * edge
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

    run_numba()  # compile (or load from cache) before timing
    run_numpy()
    np.testing.assert_allclose(conc_nb, conc_np, rtol=1e-12)  # same maths on both sides
    numba_us = _median_us(run_numba, repeats, batches)
    numpy_us = _median_us(run_numpy, max(1, repeats // 5), batches)
    run_numba_pair()
    pair_us = _median_us(run_numba_pair, repeats, batches) / 2.0
    return {
        "size": size,
        "numba_us": numba_us,
        "numpy_us": numpy_us,
        "speedup": numpy_us / numba_us,
        "numba_us_per_substep_n2": pair_us,  # extra: amortised cost per sub-step at n = 2
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    res = bench_air_kernel(n)
    print(
        f"air sub-step {n}x{n}: numba {res['numba_us']:.1f} us, "
        f"numpy slicing {res['numpy_us']:.1f} us, speedup {res['speedup']:.1f}x "
        f"(numba per sub-step at n=2: {res['numba_us_per_substep_n2']:.1f} us)"
    )
