"""Per-kelurahan outcomes of a sweep: which kelurahan gain or lose most under a policy.

Each run's summary row also holds, per kelurahan, the mean over the final 12 months (as
:mod:`simulation.sweep.outcomes`) of a few columns of the per-kelurahan table
(:mod:`simulation.model.kelurahan`), as columns ``kel.<kelurahan>.<column>``.
``blitar-sim analyse`` then writes

* ``kelurahan_effects.csv``: for every design point against the reference point (point 0,
  the first value of every lever), kelurahan and outcome: the reference and point means,
  the effect (point - reference, paired by replicate: every point runs the same seeds) with
  its 95 % t interval, the *gain* (the effect signed so that positive is better for the
  residents) and the kelurahan's rank by gain within (point, outcome);
* ``kelurahan_effects.png``: for the point that moves exposure most, the gain per kelurahan
  and outcome with its interval.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.sweep.outcomes import FINAL_MONTHS

if TYPE_CHECKING:
    from simulation.model.kelurahan import KelurahanRecorder
    from simulation.sweep.results import StudyResults

PREFIX = "kel."
# column of the per-kelurahan table -> higher is better for the residents
SWEEP_COLUMNS: dict[str, bool] = {
    "exposure": False,
    "residents_above_standard": False,
    "employed_residents": True,
    "jobs": True,
    "mean_health": True,
}
OUTPUT_FILES = frozenset({"kelurahan_effects.csv", "kelurahan_effects.png"})


def kelurahan_outcomes(recorder: KelurahanRecorder) -> dict[str, float]:
    """``kel.<kelurahan>.<column>``: mean over the final 12 recorded months."""
    i = recorder.i
    out: dict[str, float] = {}
    for col in SWEEP_COLUMNS:
        tail = recorder.data[col][max(i - FINAL_MONTHS, 0): i]
        with np.errstate(invalid="ignore"):
            means = np.nanmean(tail, axis=0) if tail.size else np.full(tail.shape[1], np.nan)
        for name, v in zip(recorder.city.kelurahan_names, means, strict=True):
            out[f"{PREFIX}{name}.{col}"] = float(v)
    return out


def long_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The ``kel.*`` columns of a summary as rows: point, replicate, kelurahan, outcome,
    value (empty if the runs have none)."""
    cols = [c for c in summary.columns if isinstance(c, str) and c.startswith(PREFIX)]
    if not cols or summary.empty:
        return pd.DataFrame(columns=["point", "replicate", "kelurahan", "outcome", "value"])
    df = summary[["point", "replicate", *cols]].melt(id_vars=["point", "replicate"],
                                                    var_name="key", value_name="value")
    parts = df["key"].str[len(PREFIX):].str.rsplit(".", n=1, expand=True)
    df["kelurahan"], df["outcome"] = parts[0], parts[1]
    return df.drop(columns="key")


def effects_table(res: StudyResults, reference: int = 0) -> pd.DataFrame:
    """Per (point, kelurahan, outcome): effect against the reference point with its 95 %
    interval (paired by replicate), gain (positive = better) and rank by gain."""
    from simulation.sweep.analysis import ci95

    long = long_table(res.summary)
    if long.empty:
        return pd.DataFrame()
    wide = long.pivot_table(index=["kelurahan", "outcome", "replicate"], columns="point",
                            values="value", aggfunc="mean")
    if reference not in wide.columns:
        return pd.DataFrame()
    points = res.manifest["design"]["points"]
    rows = []
    for point in (p for p in wide.columns if p != reference):
        for (kel, outcome), grp in wide.groupby(level=["kelurahan", "outcome"], sort=False):
            ref, val = grp[reference].to_numpy(), grp[point].to_numpy()
            diff = val - ref
            mean, half, n = ci95(diff)
            sign = 1.0 if SWEEP_COLUMNS.get(outcome, True) else -1.0
            rows.append({"point": point, **points[point], "kelurahan": kel,
                         "outcome": outcome, "reference_mean": float(np.nanmean(ref)),
                         "point_mean": float(np.nanmean(val)), "effect": mean,
                         "effect_ci95_low": mean - half, "effect_ci95_high": mean + half,
                         "gain": sign * mean, "replicates": int(n)})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["rank_by_gain"] = out.groupby(["point", "outcome"])["gain"].rank(
        ascending=False, method="first").astype(int)
    return out.sort_values(["point", "outcome", "rank_by_gain"], kind="stable").reset_index(
        drop=True)


def figure(effects: pd.DataFrame, path: Path) -> Path | None:
    """Gain per kelurahan (with 95 % intervals) of the point that moves exposure most."""
    if effects.empty:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exp = effects[effects["outcome"] == "exposure"]
    pick = exp.groupby("point")["gain"].apply(lambda g: g.abs().mean()).idxmax() \
        if not exp.empty else int(effects["point"].iloc[0])
    sub = effects[effects["point"] == pick]
    outcomes = list(dict.fromkeys(sub["outcome"]))
    order = sub[sub["outcome"] == outcomes[0]].sort_values("gain")["kelurahan"].tolist()
    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.2 * len(outcomes), 6.5), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, outcome in zip(axes, outcomes, strict=True):
        d = sub[sub["outcome"] == outcome].set_index("kelurahan").reindex(order)
        sign = 1.0 if SWEEP_COLUMNS.get(outcome, True) else -1.0
        lo = sign * d["effect_ci95_low"].to_numpy()
        hi = sign * d["effect_ci95_high"].to_numpy()
        err = np.abs(np.vstack([d["gain"].to_numpy() - np.minimum(lo, hi),
                                np.maximum(lo, hi) - d["gain"].to_numpy()]))
        colours = np.where(d["gain"].to_numpy() >= 0, "#2ca02c", "#d62728")
        ax.barh(range(len(order)), d["gain"], xerr=np.nan_to_num(err), color=colours,
                ecolor="#444444", capsize=2)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"{outcome}\n(gain: + is better)", fontsize=9)
        ax.tick_params(labelsize=8)
    axes[0].set_yticks(range(len(order)), order)
    lever_cols = list(effects.columns[1: effects.columns.get_loc("kelurahan")])
    label = ", ".join(f"{k}={sub.iloc[0][k]}" for k in lever_cols)
    fig.suptitle(f"Per-kelurahan effect of design point {pick} ({label}) vs point 0, "
                 "mean of the final year, 95 % CI over seeds", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write(res: StudyResults, out: Path) -> list[Path]:
    """Write the per-kelurahan analysis files (none if the runs carry no kelurahan
    outcomes, e.g. a study stored before they existed)."""
    effects = effects_table(res)
    if effects.empty:
        return []
    effects.to_csv(out / "kelurahan_effects.csv", index=False)
    written = [out / "kelurahan_effects.csv", figure(effects, out / "kelurahan_effects.png")]
    return [p for p in written if p is not None]
