"""``blitar-sim compare A B --seeds N``: two arms on common seeds, paired differences.

Both arms run on the same N member seeds (:mod:`simulation.results.ensemble`), so the
difference of seed *i* removes most of the seed-to-seed variation. For every end-of-run
outcome (:data:`simulation.sweep.outcomes.OUTCOMES`: final-12-month means and run totals)
and for every kelurahan and column of the per-kelurahan table, the table gives the mean
of A and B over seeds, the mean paired difference **B - A** with its 95 % t-interval
(:func:`simulation.results.stats.paired_difference`) and the verdict
(:func:`simulation.results.stats.verdict`): *distinguishable* from noise (the interval
excludes 0), *within noise*, *identical* (every seed gives the same value) or
*undetermined* (fewer than 2 seeds). ``better`` says whether a distinguishable difference
is good or bad for the city where the indicator has a direction
(:data:`simulation.model.indicators.INDICATORS`).

The output folder (atomic, :func:`simulation.results.rundir.atomic_dir`) holds
``differences.csv`` / ``.md``, ``kelurahan_differences.csv``, ``monthly_differences.csv``
(per indicator and month), ``outcomes_by_seed.csv`` and ``kelurahan_by_seed.csv`` (the
per-seed values behind the tables), ``timeseries.parquet`` (both arms' members, columns
``arm`` and ``seed``), ``differences.png`` (every outcome's difference as % of A with its
interval), ``difference_panels.png`` (monthly differences of the summary panels) and
``manifest.json`` (both configs, seeds, member digests, provenance, timing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.config import Config
from simulation.model.indicators import INDICATORS
from simulation.results import ensemble_tables as tables
from simulation.results import plots, rundir, stats
from simulation.results.ensemble import SEED_RULE, Ensemble, run_ensembles
from simulation.results.ensemble_runner import member_digests, write_csv
from simulation.results.runner import parquet_bytes
from simulation.scenarios import ConfigError
from simulation.sweep.outcomes import OUTCOMES, TOTALS

CONFIDENCE = 0.95
_DIRECTION = {i.name: i.higher_is_better for i in INDICATORS}
DIRECTION: dict[str, bool | None] = {
    **{name: _DIRECTION.get(name) for name in OUTCOMES if name not in TOTALS},
    **{name: _DIRECTION.get(col) for name, (col, _) in TOTALS.items()}}


@dataclass(frozen=True)
class Arm:
    """One side of a comparison: a label, the scenario and overrides given, the config."""

    label: str
    scenario: str
    overrides: tuple[str, ...]
    config: Config


def paired_table(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per column: mean of A and of B over seeds, the mean paired difference B - A, its
    95 % interval, the standard deviation of the differences, n and the verdict; ``a`` and
    ``b`` hold one row per seed, the same seeds in the same order."""
    if list(a["seed"]) != list(b["seed"]):
        raise ValueError("the arms were not run on the same seeds")
    va, vb = a[columns].to_numpy(dtype=float), b[columns].to_numpy(dtype=float)
    d = stats.paired_difference(vb, va, CONFIDENCE)
    with np.errstate(all="ignore"), stats.quiet_all_nan():
        mean_a, mean_b = np.nanmean(va, axis=0), np.nanmean(vb, axis=0)
        relative = np.where(mean_a != 0, 100.0 * d.mean / np.abs(mean_a), np.nan)
    return pd.DataFrame({"mean_a": mean_a, "mean_b": mean_b, "difference": d.mean,
                         "ci_low": d.low, "ci_high": d.high, "relative_pct": relative,
                         "sd_difference": d.spread, "n": d.n.astype(np.int64),
                         "verdict": stats.verdict(d)})


def _better(row: pd.Series) -> str:
    up = DIRECTION.get(row["outcome"])
    if up is None or row["verdict"] != "distinguishable":
        return ""
    return "B better" if (row["difference"] > 0) == up else "B worse"


def outcome_differences(by_seed_a: pd.DataFrame, by_seed_b: pd.DataFrame) -> pd.DataFrame:
    names = list(OUTCOMES)
    out = paired_table(by_seed_a, by_seed_b, names)
    out.insert(0, "outcome", names)
    out.insert(1, "unit", [OUTCOMES[n] for n in names])
    out["better"] = out.apply(_better, axis=1)
    return out


def kelurahan_differences(kel_a: pd.DataFrame, kel_b: pd.DataFrame) -> pd.DataFrame:
    wide_a, keys = tables.kelurahan_wide(kel_a)
    wide_b, keys_b = tables.kelurahan_wide(kel_b)
    if keys != keys_b:
        raise ConfigError("A and B have different kelurahan (maps differ): no per-kelurahan "
                          "comparison")
    out = paired_table(wide_a, wide_b, [f"{k}|{c}" for k, _, c in keys])
    out.insert(0, "kelurahan", [k for k, _, _ in keys])
    out.insert(1, "kecamatan", [kc for _, kc, _ in keys])
    out.insert(2, "column", [c for _, _, c in keys])
    return out


def monthly_differences(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and month: the mean paired difference B - A and its 95 % interval."""
    va, vb = (tables.member_array(t, tables.INDICATORS) for t in (a, b))
    d = stats.paired_difference(vb, va, CONFIDENCE)
    first = a[a["seed"] == a["seed"].iloc[0]]
    n_months, n_ind = va.shape[1], va.shape[2]
    return pd.DataFrame({
        "date": np.repeat(first["date"].to_numpy(), n_ind),
        "step": np.repeat(first["step"].to_numpy(), n_ind),
        "indicator": np.tile(np.array(tables.INDICATORS, dtype=object), n_months),
        "difference": d.mean.ravel(), "ci_low": d.low.ravel(), "ci_high": d.high.ravel(),
        "verdict": stats.verdict(d).ravel()})


def markdown(diff: pd.DataFrame, a: Arm, b: Arm, seeds: int,
             distinguishable_only: bool = False) -> str:
    """The outcome table as Markdown, with a header saying what was compared (only the
    outcomes distinguishable from noise if ``distinguishable_only``)."""
    from tabulate import tabulate

    n_dist = int((diff["verdict"] == "distinguishable").sum())
    shown = diff[diff["verdict"] == "distinguishable"] if distinguishable_only else diff
    rows = [(r.outcome, _g(r.mean_a), _g(r.mean_b), _g(r.difference),
             f"[{_g(r.ci_low)}, {_g(r.ci_high)}]",
             "" if np.isnan(r.relative_pct) else f"{r.relative_pct:+.2f} %",
             r.verdict.replace("_", " "), r.better) for r in shown.itertuples()]
    table = tabulate(rows, headers=("outcome", "A", "B", "B - A", "95 % interval",
                                    "B - A, % of A", "verdict", ""), tablefmt="github")
    return (f"# {b.label} (B) vs {a.label} (A)\n\n"
            f"{seeds} common seeds; outcomes are means of the final 12 months of each run "
            f"(run totals for *_total); B - A is the mean of per-seed differences with a "
            f"{100 * CONFIDENCE:.0f} % t-interval; distinguishable from noise = the interval "
            f"excludes 0. {n_dist} of {len(diff)} outcomes are distinguishable from noise"
            f"{' (shown below)' if distinguishable_only else ''}.\n\n{table}\n")


def _g(x: float) -> str:
    return "" if x is None or not np.isfinite(x) else f"{x:.4g}"


def check_arms(a: Arm, b: Arm) -> None:
    sa, sb = a.config.scenario, b.config.scenario
    if (sa.start_year, sa.end_year) != (sb.start_year, sb.end_year):
        raise ConfigError(f"A ({sa.start_year}-{sa.end_year}) and B ({sb.start_year}-"
                          f"{sb.end_year}) must cover the same months: set "
                          "scenario.start_year / scenario.end_year with --set for both")


@dataclass
class Comparison:
    folder: Path
    differences: pd.DataFrame
    markdown: str
    manifest: dict[str, Any]


def compare(a: Arm, b: Arm, n_seeds: int, root_seed: int | None = None,
            folder: Path | None = None, *, workers: int = 1, scheduler: str | None = None,
            progress: bool = False) -> Comparison:
    """Run both arms on ``n_seeds`` common seeds and write the comparison folder."""
    from simulation.environment.geography import load_map
    from simulation.scenarios import resolve_map_path

    check_arms(a, b)
    city = load_map(resolve_map_path(a.config.scenario.map))
    load_map(resolve_map_path(b.config.scenario.map))
    folder = Path(folder) if folder is not None else Path("results/compare") / \
        rundir.unique_name(f"{rundir.slug(b.label, 30)}_vs_{rundir.slug(a.label, 30)}")
    if folder.exists():
        raise FileExistsError(17, "already exists; choose a new folder", str(folder))
    rundir.prepare_output(folder)
    run = run_ensembles([a.config, b.config], n_seeds, root_seed, workers=workers,
                        scheduler=scheduler, progress=progress, label="compare")
    ens_a, ens_b = run.arms
    ts_a, ts_b = ens_a.timeseries(), ens_b.timeseries()
    out_a, out_b = tables.outcomes_by_seed(ts_a), tables.outcomes_by_seed(ts_b)
    kel_a, kel_b = (tables.kelurahan_by_seed(e.kelurahan()) for e in (ens_a, ens_b))
    diff = outcome_differences(out_a, out_b)
    md = markdown(diff, a, b, n_seeds)
    both = arms_table(ts_a, ts_b)
    manifest = rundir.build_manifest(
        a.config, kind="compare", timeseries=both,
        city=city, timing=run.timing, seed_rule=SEED_RULE, seeds=ens_a.seeds,
        difference="B - A", confidence=CONFIDENCE,
        arms={"A": _arm_record(a, ens_a), "B": _arm_record(b, ens_b)},
        executor=run.executor)
    title = f"{b.label} (B) - {a.label} (A), {n_seeds} common seeds"
    with rundir.atomic_dir(folder) as tmp:
        write_csv(tmp / "differences.csv", diff)
        rundir.atomic_write_text(tmp / "differences.md", md)
        write_csv(tmp / "kelurahan_differences.csv", kelurahan_differences(kel_a, kel_b))
        write_csv(tmp / "monthly_differences.csv", monthly_differences(ts_a, ts_b))
        write_csv(tmp / "outcomes_by_seed.csv", arms_table(out_a, out_b))
        write_csv(tmp / "kelurahan_by_seed.csv", arms_table(kel_a, kel_b))
        rundir.atomic_write_bytes(tmp / "timeseries.parquet", parquet_bytes(both))
        plots.difference_figure(diff, f"{title}: end-of-run outcomes", tmp / "differences.png")
        plots.difference_panels(ts_a, ts_b, f"{title}: monthly difference B - A, mean and "
                                f"{100 * CONFIDENCE:.0f} % interval",
                                tmp / "difference_panels.png")
        rundir.write_manifest(tmp, manifest)
    return Comparison(folder, diff, md, manifest)


def arms_table(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """A's and B's tables stacked, with an ``arm`` column ("A", "B") first."""
    out = pd.concat([a.assign(arm="A"), b.assign(arm="B")], ignore_index=True)
    return out[["arm", *[c for c in out.columns if c != "arm"]]]


def _arm_record(arm: Arm, ens: Ensemble) -> dict[str, Any]:
    return {"label": arm.label, "scenario": arm.scenario, "overrides": list(arm.overrides),
            "config": ens.config.model_dump(mode="json"), "members": member_digests(ens)}
