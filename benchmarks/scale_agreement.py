"""Does reduced scale change the answers? Key indicators at scales 2, 5, 10, 20 against
full scale (1), over several seeds each.

    python benchmarks/scale_agreement.py [--scales 1 2 5 10 20] [--seeds 8] [--workers 2]
                                         [--end-year 2045] [--out results/scale_agreement]

Each (scale, seed) runs the default scenario (burn-in, then start_year..end_year). Per run
we keep the mean of each key indicator over three windows (the first year, 2025-2029 and
the last five years). The table compares each scale's ensemble mean with full scale's: the
difference, its 95 % interval (Welch) and the difference in units of full scale's seed-
to-seed standard deviation. ``runs.csv`` keeps every run's window means, so the table can
be recomputed without running again (``--from-csv``).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# indicator -> how it is computed from the monthly table
KEY = {
    "unemployment_rate": lambda d: d["unemployment_rate"],
    "informal_share": lambda d: d["informal_share"],
    "grdp_per_capita": lambda d: d["grdp"] / d["population"] * 1e3,  # Rp million/month/person
    "n_firms": lambda d: d["n_firms"],
    "employment_formal": lambda d: d["employment_formal"],
    "employment_manufacturing": lambda d: d["employment_manufacturing"],
    "green_share": lambda d: d["green_share"],
    "emissions_air": lambda d: d["emissions_air"],
    "emissions_water": lambda d: d["emissions_water"],
    "mean_air_concentration": lambda d: d["mean_air_concentration"],
    "exposure_population_weighted": lambda d: d["exposure_population_weighted"],
    "mean_health": lambda d: d["mean_health"],
    "mean_wage": lambda d: d["mean_wage"],
    "income_gini": lambda d: d["income_gini"],
}


def _windows(start: int, end: int) -> dict[str, tuple[int, int]]:
    return {"first_year": (start, start + 1), "first_5y": (start, min(start + 5, end)),
            "last_5y": (max(end - 5, start), end)}


def run_one(args: tuple[int, int, int]) -> list[dict]:
    from simulation.model import BlitarModel
    from simulation.scenarios import load_config

    scale, seed, end_year = args
    t0 = time.perf_counter()
    cfg = load_config("blitar", **{"scenario.scale": scale, "scenario.seed": seed,
                                   "scenario.end_year": end_year})
    model = BlitarModel(cfg)
    model.run()
    df = model.timeseries()
    year = df["date"].dt.year
    rows = []
    for window, (a, b) in _windows(cfg.scenario.start_year, end_year).items():
        sel = (year >= a) & (year < b)
        row = {"scale": scale, "seed": seed, "window": window}
        for name, fn in KEY.items():
            row[name] = float(fn(df[sel]).mean())
        rows.append(row)
    print(f"scale {scale} seed {seed}: {time.perf_counter() - t0:.1f} s", file=sys.stderr,
          flush=True)
    return rows


def compare(runs: pd.DataFrame) -> pd.DataFrame:
    """Per (window, indicator, scale): mean, difference to scale 1 with its 95 % interval,
    and the difference in units of scale 1's seed-to-seed sd."""
    out = []
    for (window, scale), g in runs.groupby(["window", "scale"]):
        ref = runs[(runs.window == window) & (runs.scale == 1)]
        for name in KEY:
            a, b = g[name].to_numpy(), ref[name].to_numpy()
            diff = a.mean() - b.mean()
            va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
            se = np.sqrt(va + vb)
            dof = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1)) \
                if se > 0 else 1.0
            half = stats.t.ppf(0.975, dof) * se if se > 0 else 0.0
            sd_ref = b.std(ddof=1)
            out.append({"window": window, "indicator": name, "scale": scale,
                        "mean": a.mean(), "sd": a.std(ddof=1), "scale1_mean": b.mean(),
                        "scale1_sd": sd_ref, "diff": diff, "diff_lo": diff - half,
                        "diff_hi": diff + half,
                        "rel_diff": diff / b.mean() if b.mean() else np.nan,
                        "diff_in_sd": diff / sd_ref if sd_ref > 0 else np.nan,
                        "distinguishable": bool(abs(diff) > half)})
    return pd.DataFrame(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", type=int, nargs="*", default=[1, 2, 5, 10, 20])
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--end-year", type=int, default=2045)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "scale_agreement")
    ap.add_argument("--from-csv", action="store_true", help="recompute the table only")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    csv = args.out / "runs.csv"
    if not args.from_csv:
        jobs = [(s, args.first_seed + k, args.end_year) for s in args.scales
                for k in range(args.seeds)]
        jobs.sort(key=lambda j: j[0])  # full scale first: the longest runs
        with ProcessPoolExecutor(args.workers) as pool:
            rows = [r for res in pool.map(run_one, jobs) for r in res]
        new = pd.DataFrame(rows)
        if csv.exists():
            old = pd.read_csv(csv)
            keep = ~old.set_index(["scale", "seed", "window"]).index.isin(
                new.set_index(["scale", "seed", "window"]).index)
            new = pd.concat([old[keep], new], ignore_index=True)
        new.sort_values(["scale", "seed", "window"]).to_csv(csv, index=False)
    runs = pd.read_csv(csv)
    table = compare(runs)
    table.to_csv(args.out / "comparison.csv", index=False)
    pd.set_option("display.width", 200)
    for window in ("first_5y", "last_5y"):
        t = table[(table.window == window) & (table.scale != 1)]
        piv = t.pivot(index="indicator", columns="scale", values="rel_diff")
        sd = t.pivot(index="indicator", columns="scale", values="diff_in_sd")
        dist = t.pivot(index="indicator", columns="scale", values="distinguishable")
        print(f"\n== {window}: relative difference to scale 1 (diff in scale-1 sd; * = "
              f"distinguishable at 95 %)")
        cells = piv.map(lambda v: f"{100 * v:+6.1f}%") + " (" + sd.map(
            lambda v: f"{v:+5.1f}") + ")" + dist.map(lambda v: "*" if v else " ")
        print(cells.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
