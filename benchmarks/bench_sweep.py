"""Sweep benchmark: parallel efficiency, Dask vs local pool, and per-run overhead.

One study of 16 runs (8 emission charges x 2 seeds) is swept three ways, each into a fresh
folder, and the three target ratios are printed. Default size: scale 10 (the size studies
use by default), 2025-2045, ~1 s per run. At full scale (``--scale 1``) a run is
memory-bound and the 2-worker speed-up on this 2-vCPU machine class falls to ~1.5x: a
plain NumPy memory-bound loop reaches only 1.4x there, pure Python 2.0x (measured Nov
2026), so that limit is the hardware's, not the sweep's.

1. speed-up of 2 local workers over 1 (target >= 1.7): wall(1 worker) / wall(2 workers).
   The 1-worker sweep runs in the calling process; the 2-worker wall time includes
   starting the process pool.
2. Dask LocalCluster (2 worker processes x 1 thread, loopback) vs the local pool
   (target: within 20 %): wall(Dask) / wall(pool). The cluster is started before the
   clock (a cluster is long-lived); its workers are cold, like the pool's.
3. sweep overhead per run (target < 5 % of a run): (wall(1 worker) - sum of the runs'
   compute times) / runs, as a share of the mean compute time of a run. The compute time
   of a run is measured inside the run function (config, model build, simulation,
   tables); the overhead is everything else the sweep does: validation, manifest and
   git/provenance, scheduling, writing parquet part files, index lines, progress.
   Each configuration runs ``--repeat`` times, interleaved, and the fastest is kept (the
   machine may be shared); the load average is printed so a busy machine shows.
   The same quantity for the 2-worker pool, (2 x wall - sum of compute) / runs, is
   printed for information: it also counts pool start-up and idle time at the end.

Usage: .venv/bin/python benchmarks/bench_sweep.py [--scale 10] [--end-year 2045] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from simulation.sweep import load_study, run_sweep
from simulation.sweep.executors import LocalExecutor
from simulation.sweep.store import StudyStore

STUDY = """
[study]
design = "full_factorial"
replications = 2
seed = 1
scale = {scale}
end_year = {end_year}

[levers]
"policy.emission_charge" = [0, 1000, 2000, 5000, 10000, 20000, 50000, 100000]

[outputs]
timeseries = true
summary = true
"""


def _same(a: Path, b: Path) -> bool:
    for name in ("timeseries", "summary"):
        x, y = StudyStore(a).read_dataset(name), StudyStore(b).read_dataset(name)
        if not x.equals(y):
            return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--end-year", type=int, default=2045)
    ap.add_argument("--repeat", type=int, default=3, help="interleaved repeats; best kept")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    path = tmp / "bench.toml"
    path.write_text(STUDY.format(scale=args.scale, end_year=args.end_year))
    study = load_study(path)
    n = len(study.tasks)

    # warm up this process (numba kernels loaded from cache on first call)
    from simulation.sweep.worker import execute_task
    execute_task(study.tasks[0])

    from distributed import LocalCluster

    load_before = os.getloadavg()
    best: dict[str, tuple[float, object]] = {}
    walls: dict[str, list[float]] = {"one": [], "two": [], "dask": []}
    for r in range(args.repeat):  # interleaved; the fastest of each is kept
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster:  # cold workers
            one = run_sweep(study, tmp / f"w1_{r}", workers=1)
            t0 = time.perf_counter()
            pool = LocalExecutor(2)
            two = run_sweep(study, tmp / f"w2_{r}", executor=pool)
            pool.close()
            wall_two = time.perf_counter() - t0
            dask = run_sweep(study, tmp / f"dask_{r}", scheduler=cluster.scheduler_address)
            for key, wall, res in (("one", one.wall_seconds, one), ("two", wall_two, two),
                                   ("dask", dask.wall_seconds, dask)):
                walls[key].append(round(wall, 2))
                if key not in best or wall < best[key][0]:
                    best[key] = (wall, res)
    (_, one), (wall_two, two), (wall_dask, dask) = best["one"], best["two"], best["dask"]
    mean_run = one.compute_seconds / n
    overhead_1 = (one.wall_seconds - one.compute_seconds) / n
    overhead_2 = (2 * wall_two - two.compute_seconds) / n
    identical = _same(tmp / "w1_0", tmp / "w2_0") and _same(tmp / "w1_0", tmp / "dask_0")
    rows = [
        ("runs", n, ""),
        ("mean compute time of a run (s)", round(mean_run, 3), ""),
        ("wall, 1 worker in-process (s)", round(one.wall_seconds, 2), ""),
        ("wall, 2-worker local pool (s)", round(wall_two, 2), ""),
        ("wall, Dask LocalCluster 2x1 (s)", round(wall_dask, 2), ""),
        ("speed-up 2 workers vs 1", round(one.wall_seconds / wall_two, 2), ">= 1.7"),
        ("Dask / local pool wall time", round(wall_dask / wall_two, 2), "<= 1.2"),
        ("overhead per run, 1 worker (s)", round(overhead_1, 4), ""),
        ("overhead per run / run time", f"{100 * overhead_1 / mean_run:.2f} %", "< 5 %"),
        ("overhead per run, 2-worker pool (s, info)", round(overhead_2, 4), ""),
        ("load average before / after (1 min)",
         f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f}", f"<< {os.cpu_count()} cores"),
        ("stored values identical (1, 2 workers, Dask)", identical, "True"),
    ]
    print(pd.DataFrame(rows, columns=["measure", "value", "target"]).to_string(index=False))
    print(f"all wall times (s), in order: {walls}")
    print("(the fork server of the pool starts in the first repeat only; later repeats of "
          "the pool reuse it)")
    print(f"(study folders in {tmp})")


if __name__ == "__main__":
    main()
