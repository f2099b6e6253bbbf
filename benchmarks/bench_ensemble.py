"""The speed targets of issue 11, measured in one run and printed with MET / NOT MET.

    python benchmarks/bench_ensemble.py            (part of: make bench)
    python benchmarks/bench_ensemble.py --skip-ensemble   # the two step targets only

1. Full-scale step throughput: Mesa agents x months / wall time of ``model.step()``
   (median month of ``--months``), target >= 5 M agent-steps/s.
2. Scale-10 step cost / full-scale step cost, both measured here back to back (same
   seed, same months), target <= 0.2.
3. A 10-seed full-scale 20-year ensemble as a user runs it (``blitar-sim run --seeds 10``
   in a fresh process, into a temporary folder, wall time from start to exit), target
   < 15 s on this machine. Its construction (the city, the 120-month burn-in) is timed
   apart from the steps so the share of each is visible.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulation.model import BlitarModel  # noqa: E402
from simulation.scenarios import load_config  # noqa: E402


def step_cost(scale: int, months: int) -> dict[str, float]:
    """Construction seconds and the median wall seconds of a month at ``scale``."""
    t0 = time.perf_counter()
    model = BlitarModel(load_config("blitar", **{"scenario.scale": scale}))
    build_s = time.perf_counter() - t0
    for _ in range(2):  # warm caches
        model.step()
    times = []
    for _ in range(months):
        t = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t)
    return {"build_s": build_s, "step_s": statistics.median(times),
            "agents": float(len(model.agents))}


def ensemble_wall(seeds: int, workers: int | None) -> float:
    cli = Path(sys.executable).with_name("blitar-sim")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(cli), "run", "--seeds", str(seeds), "--out", str(Path(tmp) / "ens"),
               "--no-progress"]
        if workers:
            cmd += ["--workers", str(workers)]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=24, help="months timed per scale")
    ap.add_argument("--seeds", type=int, default=10, help="ensemble members (target: 10)")
    ap.add_argument("--workers", type=int, default=None,
                    help="ensemble worker processes (default: the CLI's, all cores)")
    ap.add_argument("--skip-ensemble", action="store_true")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    full = step_cost(1, args.months)
    rate = full["agents"] / full["step_s"]
    print(f"4. full-scale step: {1e3 * full['step_s']:.1f} ms for {full['agents']:.0f} agents "
          f"-> {rate / 1e6:.2f} M agent-steps/s (target >= 5): "
          f"{'MET' if rate >= 5e6 else 'NOT MET'}; construction with burn-in "
          f"{full['build_s']:.1f} s")
    ten = step_cost(10, args.months)
    ratio = ten["step_s"] / full["step_s"]
    print(f"5. scale-10 step: {1e3 * ten['step_s']:.1f} ms = {ratio:.2f} x full scale "
          f"(target <= 0.2): {'MET' if ratio <= 0.2 else 'NOT MET'}")
    if not args.skip_ensemble:
        wall = ensemble_wall(args.seeds, args.workers)
        per_member = full["build_s"] + 240 * full["step_s"]
        print(f"6. {args.seeds}-seed full-scale 20-year ensemble (blitar-sim run --seeds "
              f"{args.seeds}): {wall:.1f} s wall (target < 15 s): "
              f"{'MET' if wall < 15 and args.seeds >= 10 else 'NOT MET'}; one member alone "
              f"~{per_member:.1f} s here ({full['build_s']:.1f} s construction and burn-in "
              f"+ 240 x {1e3 * full['step_s']:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
