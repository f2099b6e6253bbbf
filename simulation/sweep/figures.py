"""Matplotlib figures of a study's analysis (headless, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulation.model.indicators import COLUMNS  # noqa: E402
from simulation.sweep.results import StudyResults, ci95  # noqa: E402

MAX_TRAJECTORY_POINTS = 12
MAX_PANELS = 6


def _unit(name: str) -> str:
    unit = COLUMNS.get(name, "")
    return unit.split(",")[0].split("(")[0].strip()


def _label(name: str) -> str:
    return f"{name}\n[{_unit(name)}]"


def _short(key: str) -> str:
    return key.split(".")[-1]


def _point_label(point: dict) -> str:
    return ", ".join(f"{_short(k)}={v:g}" if isinstance(v, int | float) else f"{_short(k)}={v}"
                     for k, v in point.items())


def _numeric(values: pd.Series) -> bool:
    return all(isinstance(v, int | float | np.integer | np.floating)
               and not isinstance(v, bool | np.bool_) for v in values)


def _title(res: StudyResults, what: str) -> str:
    s = res.manifest["spec"]["study"]
    reps = s["replications"]
    return (f"study '{res.manifest['study']}' - {what}\n{s['design']}, {reps} replication(s), "
            f"scale 1:{res.manifest['base_config']['scenario']['scale']}, to "
            f"{res.manifest['base_config']['scenario']['end_year'] - 1}; outcomes = mean of "
            "final 12 months")


def response_curves(res: StudyResults, resp: pd.DataFrame, path: Path) -> Path:
    """Outcome vs each lever (marginal over the other levers), 95 % CI across seeds."""
    outcomes = res.outcomes[:MAX_PANELS]
    levers = res.varied
    fig, axes = plt.subplots(len(outcomes), len(levers), squeeze=False,
                             figsize=(3.6 * len(levers) + 0.8, 2.3 * len(outcomes) + 1.2))
    for j, lever in enumerate(levers):
        for i, name in enumerate(outcomes):
            ax = axes[i, j]
            d = resp[(resp.lever == lever) & (resp.outcome == name)]
            if _numeric(d["value"]):
                d = d.sort_values("value")
                x = d["value"].to_numpy(dtype=float)
            else:  # e.g. an on/off lever: categorical positions
                x = np.arange(len(d))
                ax.set_xticks(x, [str(v) for v in d["value"]])
            ax.plot(x, d["mean"], "o-", color="C0", lw=1.5, ms=4)
            ax.fill_between(x, d["ci95_low"], d["ci95_high"], color="C0", alpha=0.25,
                            lw=0, label="95 % CI across seeds")
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            if i == len(outcomes) - 1:
                ax.set_xlabel(lever, fontsize=8)
            if j == 0:
                ax.set_ylabel(_label(name), fontsize=7)
    axes[0, 0].legend(fontsize=7, loc="best")
    fig.suptitle(_title(res, "policy response curves"), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def trajectories(res: StudyResults, path: Path) -> Path | None:
    """Monthly trajectories per design point: mean and 95 % band across seeds."""
    outcomes = res.outcomes[:4]
    ts = res.timeseries(outcomes)
    if ts.empty:
        return None
    points = res.manifest["design"]["points"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), squeeze=False)
    for ax, name in zip(axes.flat, outcomes, strict=False):
        for k, (point, df) in enumerate(ts.groupby("point")):
            wide = df.pivot(index="date", columns="replicate", values=name)
            stats = np.array([ci95(row) for row in wide.to_numpy()])
            mean, half = stats[:, 0], np.nan_to_num(stats[:, 1])
            color = f"C{k % 10}"
            ax.plot(wide.index, mean, color=color, lw=1.3, label=_point_label(points[point]))
            ax.fill_between(wide.index, mean - half, mean + half, color=color, alpha=0.15, lw=0)
        ax.set_ylabel(_label(name), fontsize=8)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(3, len(labels)), fontsize=7)
    fig.suptitle(_title(res, "trajectories (mean, 95 % band across seeds)"), fontsize=9)
    fig.tight_layout(rect=(0, 0.06 + 0.025 * ((len(labels) - 1) // 3), 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def tradeoff(res: StudyResults, table: pd.DataFrame, path: Path) -> Path:
    """Economic vs environmental outcome per design point, Pareto front marked."""
    xname, yname = res.tradeoff
    fig, (ax, side) = plt.subplots(1, 2, figsize=(13, 6),
                                   gridspec_kw={"width_ratios": [1.5, 1]})
    side.axis("off")
    x, y = table[f"{xname}_mean"], table[f"{yname}_mean"]
    xerr = (table[f"{xname}_ci95_high"] - x).fillna(0)
    yerr = (table[f"{yname}_ci95_high"] - y).fillna(0)
    ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt="o", color="0.55", ms=5, lw=0.8,
                capsize=2, label="design point (mean, 95 % CI across seeds)")
    front = table[table.pareto].sort_values(f"{xname}_mean")
    ax.plot(front[f"{xname}_mean"], front[f"{yname}_mean"], "D-", color="C3", ms=7,
            label="Pareto front")
    points = res.manifest["design"]["points"]
    lines = []
    for _, row in front.head(MAX_TRAJECTORY_POINTS).iterrows():
        p = int(row.point)
        ax.annotate(f"P{p}", (row[f"{xname}_mean"], row[f"{yname}_mean"]), fontsize=7,
                    xytext=(5, 3), textcoords="offset points", color="C3")
        lines.append(f"P{p}: {_point_label(points[p])}")
    if lines:
        side.text(0.0, 1.0, "Pareto front points\n" + "\n".join(lines), transform=side.transAxes,
                fontsize=7, va="top", ha="left", family="monospace")
    ax.set_xlabel(_label(xname).replace("\n", " "))
    ax.set_ylabel(_label(yname).replace("\n", " "))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.suptitle(_title(res, f"trade-off {xname} vs {yname}"), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def scatter(res: StudyResults, path: Path) -> Path:
    """Sampled designs: each outcome against each varied lever (per-point means)."""
    outcomes = res.outcomes[:4]
    levers = res.varied
    means = res.summary.groupby("point")[[*levers, *outcomes]].mean()
    fig, axes = plt.subplots(len(outcomes), len(levers), squeeze=False,
                             figsize=(2.6 * len(levers) + 0.8, 2.2 * len(outcomes) + 1.2))
    for i, name in enumerate(outcomes):
        for j, lever in enumerate(levers):
            ax = axes[i, j]
            ax.scatter(means[lever], means[name], s=6, alpha=0.6)
            ax.tick_params(labelsize=6)
            ax.grid(alpha=0.3)
            if i == len(outcomes) - 1:
                ax.set_xlabel(_short(lever), fontsize=7)
            if j == 0:
                ax.set_ylabel(_label(name), fontsize=7)
    fig.suptitle(_title(res, "outcomes vs levers (mean over seeds per point)"), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def sensitivity(res: StudyResults, table: pd.DataFrame, path: Path) -> Path:
    """Sobol S1/ST or Morris mu* per lever and outcome, with 95 % confidence bars."""
    outcomes = list(dict.fromkeys(table.outcome))[:MAX_PANELS]
    cols = min(3, len(outcomes))
    rows = int(np.ceil(len(outcomes) / cols))
    fig, axes = plt.subplots(rows, cols, squeeze=False, figsize=(4.6 * cols, 3.4 * rows + 0.8))
    sobol = "S1" in table.columns
    for ax, name in zip(axes.flat, outcomes, strict=False):
        d = table[table.outcome == name]
        pos = np.arange(len(d))
        labels = [_short(k) for k in d.lever]
        if sobol:
            ax.barh(pos - 0.2, d.S1, 0.4, xerr=d.S1_conf, label="S1 (first order)",
                    color="C0", capsize=2)
            ax.barh(pos + 0.2, d.ST, 0.4, xerr=d.ST_conf, label="ST (total)", color="C1",
                    capsize=2)
            ax.axvline(0, color="k", lw=0.6)
        else:
            ax.barh(pos, d.mu_star, 0.6, xerr=d.mu_star_conf, color="C0", capsize=2,
                    label="mu* (95 % CI)")
            ax.plot(d.sigma, pos, "k|", ms=10, label="sigma")
        ax.set_yticks(pos, labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(name, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[len(outcomes):]:
        ax.axis("off")
    axes[0, 0].legend(fontsize=7)
    what = "Sobol indices (95 % CI)" if sobol else "Morris elementary effects (95 % CI)"
    fig.suptitle(_title(res, what), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
