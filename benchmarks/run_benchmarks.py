"""The three performance targets of issue 2, measured in one run and printed as ratios.

    python benchmarks/run_benchmarks.py          (or: make bench)

1. Air kernel, 200 x 200: numba vs the same stencil in NumPy slicing (target >= 8x).
2. Full-scale model step vs Mesa calling an empty ``step()`` on the same number of agents
   with ``agents.shuffle_do`` (target: our step < 0.5 x Mesa's empty dispatch).
3. Peak memory of a full-scale 20-year run, in a fresh process (target < 2 GB).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import mesa
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_kernels import bench_air_kernel  # noqa: E402

from simulation.model import BlitarModel  # noqa: E402
from simulation.scenarios import load_config  # noqa: E402


class _EmptyAgent(CellAgent):
    def __init__(self, model: mesa.Model, cell) -> None:
        super().__init__(model)
        self.cell = cell

    def step(self) -> None:
        pass


def _median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_model_step(months: int = 36) -> dict:
    model = BlitarModel(load_config("blitar"))
    for _ in range(3):  # compile and warm caches
        model.step()
    step_s = _median_seconds(model.step, months)
    n_agents = len(model.agents)

    empty = mesa.Model(rng=1)
    grid = OrthogonalMooreGrid((model.rows, model.cols), torus=False, random=empty.random)
    cells = list(grid.all_cells.cells)
    for i in range(n_agents):
        _EmptyAgent(empty, cells[i % len(cells)])
    for _ in range(3):
        empty.agents.shuffle_do("step")
    mesa_s = _median_seconds(lambda: empty.agents.shuffle_do("step"), months)
    return {"agents": n_agents, "model_step_ms": 1e3 * step_s,
            "mesa_empty_shuffle_do_ms": 1e3 * mesa_s, "ratio": step_s / mesa_s}


_MEMORY_CHILD = """
import json, resource, time
from simulation.results.runner import simulate
from simulation.scenarios import load_config
t0 = time.perf_counter()
r = simulate(load_config("blitar"))
print(json.dumps({"seconds": time.perf_counter() - t0, "months": len(r.timeseries),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def bench_full_run_memory() -> dict:
    out = subprocess.run([sys.executable, "-c", _MEMORY_CHILD], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {"months": data["months"], "seconds": data["seconds"],
            "peak_mb": data["peak_kib"] / 1024.0}


def main() -> int:
    print(f"machine: {resource.getpagesize()} B pages; python {sys.version.split()[0]}")
    air = bench_air_kernel(200)
    print(f"1. air kernel 200x200: numba {air['numba_us']:.1f} us, numpy slicing "
          f"{air['numpy_us']:.1f} us -> {air['speedup']:.1f}x faster (target >= 8x): "
          f"{'MET' if air['speedup'] >= 8 else 'NOT MET'}")
    step = bench_model_step()
    print(f"2. full-scale step ({step['agents']} agents): {step['model_step_ms']:.2f} ms vs Mesa "
          f"empty shuffle_do {step['mesa_empty_shuffle_do_ms']:.2f} ms -> ratio "
          f"{step['ratio']:.2f} (target < 0.5): {'MET' if step['ratio'] < 0.5 else 'NOT MET'}")
    mem = bench_full_run_memory()
    print(f"3. full-scale {mem['months']}-month run: peak {mem['peak_mb']:.0f} MB in "
          f"{mem['seconds']:.1f} s (target < 2048 MB): "
          f"{'MET' if mem['peak_mb'] < 2048 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
