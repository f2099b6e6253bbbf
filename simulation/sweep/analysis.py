"""Load a study's results and compute the analysis tables.

Python API::

    from simulation.sweep.analysis import load_results, analyse
    res = load_results("results/studies/policy_mix")   # manifest, summary, timeseries
    res.summary            # one row per completed run: point, replicate, seed, levers, outcomes
    res.timeseries(["grdp"])  # monthly rows of the completed runs (selected columns)
    analyse("results/studies/policy_mix")              # CSV tables + PNG figures

Confidence intervals are 95 % Student-t intervals across replications (seeds). Because
every design point uses the same seeds (common random numbers), marginal response
curves are averaged within each replicate first, then summarised across replicates.

Stored runs are keyed by run id only; the *current* manifest's ``runs`` list says which
design point(s) each belongs to, and the lever values of a point come from the current
design. Stored runs the current design no longer contains are left out (but kept on disk).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.results import rundir
from simulation.sweep import figures
from simulation.sweep import kelurahan as kelurahan_analysis
from simulation.sweep.outcomes import MAXIMISE
from simulation.sweep.results import AnalysisError, StudyResults, ci95, load_results

__all__ = ["AnalysisError", "StudyResults", "analyse", "ci95", "load_results", "point_table",
           "response_table", "sensitivity_table", "tradeoff_table"]

# every file analyse() may write; an existing output folder holding anything else is not
# replaced (it is not an analysis folder)
OUTPUT_FILES = frozenset({
    "runs.csv", "points.csv", "failures.csv", "tradeoff.csv", "tradeoff.png",
    "response.csv", "response_curves.png", "trajectories.png", "response_scatter.png",
    "sobol_indices.csv", "sobol_indices.png", "morris_indices.csv", "morris_indices.png"}
) | kelurahan_analysis.OUTPUT_FILES


def point_table(res: StudyResults) -> pd.DataFrame:
    """Per design point: lever values, runs, and mean / sd / 95 % CI of each outcome."""
    rows = []
    for point, df in res.summary.groupby("point"):
        row: dict[str, Any] = {"point": point, **res.manifest["design"]["points"][point],
                               "runs": len(df)}
        for name in res.outcomes:
            mean, half, _ = ci95(df[name].to_numpy())
            row[f"{name}_mean"] = mean
            row[f"{name}_sd"] = float(df[name].std(ddof=1)) if len(df) > 1 else np.nan
            row[f"{name}_ci95_low"] = mean - half
            row[f"{name}_ci95_high"] = mean + half
        rows.append(row)
    return pd.DataFrame(rows)


def response_table(res: StudyResults) -> pd.DataFrame:
    """Marginal response of each outcome to each varied lever (full factorial): for each
    lever value, the outcome averaged over the other levers within each replicate, then
    mean and 95 % CI across replicates."""
    rows = []
    s = res.summary
    for lever in res.varied:
        for value, df in s.groupby(lever):
            per_rep = df.groupby("replicate")[res.outcomes].mean()
            for name in res.outcomes:
                mean, half, n = ci95(per_rep[name].to_numpy())
                rows.append({"lever": lever, "value": value, "outcome": name, "mean": mean,
                             "ci95_low": mean - half, "ci95_high": mean + half,
                             "replicates": int(n)})
    return pd.DataFrame(rows)


def pareto_front(x: np.ndarray, y: np.ndarray, maximise_x: bool, maximise_y: bool
                 ) -> np.ndarray:
    """Boolean mask of the non-dominated points for the given directions."""
    a = np.where(maximise_x, x, -x)
    b = np.where(maximise_y, y, -y)
    mask = np.ones(len(a), dtype=bool)
    for i in range(len(a)):
        dominated = (a >= a[i]) & (b >= b[i]) & ((a > a[i]) | (b > b[i]))
        mask[i] = not dominated.any()
    return mask


def tradeoff_table(res: StudyResults) -> pd.DataFrame:
    """Per point means and CIs of the trade-off pair, with the Pareto front flagged."""
    xname, yname = res.tradeoff
    pts = point_table_for(res, [xname, yname])
    pts["pareto"] = pareto_front(pts[f"{xname}_mean"].to_numpy(), pts[f"{yname}_mean"].to_numpy(),
                                 xname in MAXIMISE, yname in MAXIMISE)
    return pts


def point_table_for(res: StudyResults, outcomes: list[str]) -> pd.DataFrame:
    sub = StudyResults(res.folder, {**res.manifest, "spec": {
        **res.manifest["spec"], "analysis": {**res.manifest["spec"]["analysis"],
                                             "outcomes": outcomes}}}, res.summary, res.failures)
    return point_table(sub)


def sensitivity_table(res: StudyResults) -> pd.DataFrame:
    """Sobol (S1, ST) or Morris (mu*, sigma) indices with 95 % confidence intervals, per
    outcome, from the per-point means over replicates (SALib). Morris uses the design
    matrix that was run (integer levers rounded), not the raw SALib sample."""
    design = res.manifest["design"]
    problem = dict(design["problem"])
    n_points = len(design["points"])
    means = res.summary.groupby("point")[res.outcomes].mean().reindex(range(n_points))
    seed = int(res.manifest["root_seed"] % 2**32)
    rows = []
    for name in res.outcomes:
        y = means[name].to_numpy()
        if not np.isfinite(y).all():
            missing = int((~np.isfinite(y)).sum())
            raise AnalysisError(f"{missing} design point(s) have no result for {name}; the "
                             "indices need every point (rerun the sweep to retry failures)")
        if res.design == "sobol":
            from SALib.analyze import sobol
            si = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
            for i, lever in enumerate(problem["names"]):
                rows.append({"outcome": name, "lever": lever, "S1": si["S1"][i],
                             "S1_conf": si["S1_conf"][i], "ST": si["ST"][i],
                             "ST_conf": si["ST_conf"][i]})
        else:
            from SALib.analyze import morris
            x = np.array([[p[k] for k in problem["names"]] for p in design["points"]],
                         dtype=float)
            levels = res.manifest["spec"]["study"]["morris_levels"]
            si = morris.analyze(problem, x, y, num_levels=levels, seed=seed)
            for i, lever in enumerate(problem["names"]):
                rows.append({"outcome": name, "lever": lever, "mu_star": si["mu_star"][i],
                             "mu_star_conf": si["mu_star_conf"][i], "mu": si["mu"][i],
                             "sigma": si["sigma"][i]})
    return pd.DataFrame(rows)


def analyse(folder: str | Path, out: str | Path | None = None) -> list[Path]:
    """Write the analysis tables (CSV) and figures (PNG) into ``out`` (default
    ``FOLDER/analysis``); returns the files written. The files are written into a
    temporary folder that then replaces ``out`` as a whole, so ``out`` is never half
    written and holds no stale file of an earlier analysis."""
    res = load_results(folder)
    if res.summary.empty:
        raise AnalysisError(f"{res.folder}: no completed runs to analyse")
    out = Path(out) if out is not None else res.folder / "analysis"
    try:  # never a half-written analysis folder, never one of the user's replaced
        with rundir.atomic_dir(out, replace=True, owned=OUTPUT_FILES) as tmp:
            names = _write_analysis(res, tmp)
    except FileExistsError as exc:
        raise AnalysisError(f"{out}: {exc.strerror}; choose another --out") from None
    return [out / name for name in names]


def _write_analysis(res: StudyResults, out: Path) -> list[str]:
    written: list[Path | None] = []

    def save(df: pd.DataFrame, name: str) -> None:
        df.to_csv(out / name, index=False)
        written.append(out / name)

    save(res.summary, "runs.csv")
    save(point_table(res), "points.csv")
    if not res.failures.empty:
        save(res.failures, "failures.csv")
    trade = tradeoff_table(res)
    save(trade, "tradeoff.csv")
    written.append(figures.tradeoff(res, trade, out / "tradeoff.png"))
    if res.design == "full_factorial":
        resp = response_table(res)
        save(resp, "response.csv")
        written.append(figures.response_curves(res, resp, out / "response_curves.png"))
        if len(res.manifest["design"]["points"]) <= figures.MAX_TRAJECTORY_POINTS:
            written.append(figures.trajectories(res, out / "trajectories.png"))
    else:
        written.append(figures.scatter(res, out / "response_scatter.png"))
    written.extend(kelurahan_analysis.write(res, out))  # per-kelurahan effects, if stored
    if res.design in ("sobol", "morris"):
        sens = sensitivity_table(res)
        save(sens, f"{res.design}_indices.csv")
        written.append(figures.sensitivity(res, sens, out / f"{res.design}_indices.png"))
    return [p.name for p in written if p is not None]
