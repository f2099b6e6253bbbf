"""Regenerate this published entry's figures from its stored tables (no re-run).

    .venv/bin/python results/published/<entry>/make_figures.py [OUT_DIR]

Writes summary.png (monthly indicators, from monthly.csv) and maps.png (end-of-run maps,
from maps.npz) into OUT_DIR (default: figures/ next to this script, git-ignored), with the
plotting code of ``blitar-sim run``. To check the numbers behind them, run
``blitar-sim reproduce <entry>``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.environment.geography import load_map
from simulation.results import plots
from simulation.scenarios import resolve_map_path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE / "figures"
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((HERE / "manifest.json").read_text())
    df = pd.read_csv(HERE / "monthly.csv", parse_dates=["date"])
    with np.load(HERE / "maps.npz") as npz:
        maps = {k: npz[k] for k in npz.files}
    landuse = maps.pop("landuse")
    city = load_map(resolve_map_path(manifest["config"]["scenario"]["map"]))
    title = (f"Kota Blitar - scenario '{manifest['scenario']}', seed {manifest['seed']}, "
             f"scale 1:{manifest['scale']} (published entry {HERE.name})")
    plots.summary_figure(df, title, out / "summary.png")
    plots.maps_figure(maps, landuse, city.river_cells, title + " - end of run",
                      out / "maps.png", city=city)
    print(f"wrote {out / 'summary.png'} and {out / 'maps.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
