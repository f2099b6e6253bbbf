"""Digests of a few runs (time series and kelurahan table) to check that an optimisation
leaves results bit-identical.

    python benchmarks/digests.py            # print the digests as JSON
    python benchmarks/digests.py --check F  # compare with a stored JSON, exit 1 on a change

The runs differ in scale, seed, levers and horizon so that most code paths are exercised
(entry, the big plant, the forum, charges, zoning, green subsidies).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulation.model import BlitarModel  # noqa: E402
from simulation.results.provenance import table_digest  # noqa: E402
from simulation.scenarios import load_config  # noqa: E402

RUNS: dict[str, tuple[str, dict]] = {
    "blitar_s1_8y": ("blitar", {"scenario.end_year": 2033}),
    "big_plant_s10_seed7": ("big_plant", {"scenario.scale": 10, "scenario.seed": 7}),
    "green_s5_seed3_10y": ("green_package", {"scenario.scale": 5, "scenario.seed": 3,
                                             "scenario.end_year": 2035}),
    "dialogue_s20_seed11": ("dialogue", {"scenario.scale": 20, "scenario.seed": 11}),
    "zoning_s2_seed5_6y": ("strict_zoning", {"scenario.scale": 2, "scenario.seed": 5,
                                              "scenario.end_year": 2031,
                                              "policy.emission_charge": 5000.0}),
}


def digests(names: list[str]) -> dict[str, dict[str, str]]:
    out = {}
    for name in names:
        scenario, overrides = RUNS[name]
        t0 = time.perf_counter()
        model = BlitarModel(load_config(scenario, **overrides))
        model.run()
        ts = model.timeseries()
        kel = model.kelurahan_recorder.frame(model.cfg.scenario.start_year)
        out[name] = {"timeseries": table_digest(ts), "kelurahan": table_digest(kel)}
        print(f"{name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", type=Path, help="stored digests to compare with")
    ap.add_argument("--only", nargs="*", help="run only these")
    args = ap.parse_args()
    names = args.only or list(RUNS)
    got = digests(names)
    if args.check is None:
        print(json.dumps(got, indent=1))
        return 0
    want = json.loads(args.check.read_text())
    bad = [n for n in names if want.get(n) != got[n]]
    for n in names:
        print(f"{n}: {'CHANGED' if n in bad else 'same'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
