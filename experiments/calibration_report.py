"""Calibration report: the default scenario against Blitar's published figures.

    python experiments/calibration_report.py [--scale 1] [--out results/calibration]

Writes calibration_table.csv / .md (model vs data, with the acceptance band and the
source of each figure) and calibration.png. Figures come from
../shared/design/blitar_facts.md (BPS Kota Blitar, Sakernas, UMK decrees); "inferred"
marks values derived from them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from simulation.model import BlitarModel  # noqa: E402
from simulation.model.indicators import indicators  # noqa: E402
from simulation.scenarios import load_config  # noqa: E402

# (indicator, data value, band low, band high, source)
TARGETS = [
    ("population, start 2025", 161_204 * 1.012 ** 0.5, 158_000, 165_000,
     "BPS 2024 estimate 161,204 (mid-year) + half a year at 1.2 %/yr [inferred]"),
    ("households, start 2025", 46_700, 44_000, 49_000,
     "161k persons / 3.3-3.7 persons per household [inferred]"),
    ("labour force, start 2025", 87_176 * 1.012 ** 1.5, 85_000, 91_000,
     "Sakernas Aug 2023: 87,176, grown 1.5 years at 1.2 %/yr [inferred]"),
    ("open unemployment, start 2025 (%)", 5.11, 4.9, 5.4, "Sakernas Aug 2024: 5.11 %"),
    ("manufacturing share of workers (%)", 22.86, 21.0, 25.0, "Sakernas 2024: 22.86 %"),
    ("UMK 2025 (Rp/month)", 2_481_450, 2_481_449, 2_481_451, "UMK decree 2025"),
    ("UMK 2026 (Rp/month)", 2_634_600, 2_634_599, 2_634_601, "UMK decree 2026"),
    ("GRDP 2025 (Rp tn/yr)", 8.7, 7.8, 9.6,
     "Rp 7.11 tn (2021) grown at BPS growth 2022-2024 [inferred]"),
    ("GRDP growth 2025-2030 (%/yr)", 5.2, 4.0, 6.5, "BPS: 5.22 % (2022), 5.33 % (2024)"),
    ("population growth 2025-2030 (%/yr)", 1.2, 0.9, 1.5, "BPS 2010-2024 [inferred]"),
    ("open unemployment, mean 2025-2030 (%)", 5.1, 3.5, 8.0,
     "Sakernas 2019-2024 range 4.65-6.61 %"),
]


def measure(scale: int) -> tuple[dict[str, float], pd.DataFrame]:
    cfg = load_config("blitar", [f"scenario.scale={scale}"])
    model = BlitarModel(cfg)
    start = indicators(model)
    model.run()
    df = model.timeseries()
    yearly = df.groupby(df["date"].dt.year).agg(grdp=("grdp", "mean"),
                                                 population=("population", "mean"),
                                                 unemployment=("unemployment_rate", "mean"))
    first5 = yearly.loc[2025:2030]
    growth = (first5["grdp"].iloc[-1] / first5["grdp"].iloc[0]) ** (1 / 5) - 1
    pop_growth = (first5["population"].iloc[-1] / first5["population"].iloc[0]) ** (1 / 5) - 1
    umk_2026 = df.loc[df["date"].dt.year == 2026, "umk"].iloc[0]
    values = {
        "population, start 2025": start["population"],
        "households, start 2025": start["households"],
        "labour force, start 2025": start["labour_force"],
        "open unemployment, start 2025 (%)": 100 * start["unemployment_rate"],
        "manufacturing share of workers (%)":
            100 * start["employment_manufacturing"] / start["employment_total"],
        "UMK 2025 (Rp/month)": 1e6 * start["umk"],
        "UMK 2026 (Rp/month)": 1e6 * umk_2026,
        "GRDP 2025 (Rp tn/yr)": 12 * yearly.loc[2025, "grdp"] / 1000,
        "GRDP growth 2025-2030 (%/yr)": 100 * growth,
        "population growth 2025-2030 (%/yr)": 100 * pop_growth,
        "open unemployment, mean 2025-2030 (%)": 100 * first5["unemployment"].mean(),
    }
    return values, df


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="households per agent (default 1)")
    parser.add_argument("--out", type=Path, default=Path("results/calibration"))
    args = parser.parse_args(argv)
    values, df = measure(args.scale)
    rows = []
    for name, data, lo, hi, source in TARGETS:
        model = values[name]
        rows.append({"indicator": name, "data": data, "model": model, "band_low": lo,
                     "band_high": hi, "within_band": lo <= model <= hi, "source": source})
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "calibration_table.csv", index=False)
    (args.out / "calibration_table.md").write_text(
        f"# Calibration of scenario `blitar` (scale 1:{args.scale}, seed "
        f"{load_config('blitar').scenario.seed})\n\n"
        + table.to_markdown(index=False, floatfmt=".4g") + "\n")

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    ax = axes[0]
    rel = (table["model"] / table["data"]).to_numpy()
    lo = (table["band_low"] / table["data"]).to_numpy()
    hi = (table["band_high"] / table["data"]).to_numpy()
    y = range(len(table))
    ax.barh(y, hi - lo, left=lo, color="0.85", label="acceptance band")
    ax.scatter(rel, y, color=["C2" if ok else "C3" for ok in table["within_band"]], zorder=3,
               label="model / data")
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_yticks(list(y), table["indicator"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("model / data")
    ax.legend(fontsize=8)
    ax.set_title("Model against Blitar's figures")
    yearly = df.groupby(df["date"].dt.year)["grdp"].mean()
    axes[1].bar(yearly.index[1:], 100 * yearly.pct_change().iloc[1:], color="C0")
    axes[1].axhspan(4.28, 5.83, color="C2", alpha=0.15, label="BPS 2018-2024 (ex. 2020)")
    axes[1].set_xticks(list(yearly.index[1::4]), [str(y) for y in yearly.index[1::4]])
    axes[1].set_title("Real GRDP growth (%/yr)")
    axes[1].legend(fontsize=8)
    axes[2].plot(df["date"], 100 * df["unemployment_rate"], color="C3")
    axes[2].axhspan(4.65, 6.61, color="C2", alpha=0.15, label="Sakernas 2019-2024 range")
    axes[2].set_title("Open unemployment (%)")
    axes[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out / "calibration.png", dpi=110)
    print(table[["indicator", "data", "model", "within_band"]].to_string(index=False))
    print(f"wrote {args.out}/calibration_table.csv, .md and calibration.png")
    return 0 if table["within_band"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
