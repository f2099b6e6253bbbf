"""A study's stored results, validated: the manifest, the committed runs' outcomes and the
failures, with design points attached from the current manifest.

Stored runs are keyed by run id only; the *current* manifest's ``runs`` list says which
design point(s) each belongs to, and the lever values of a point come from the current
design. Stored runs the current design no longer contains are left out (but kept on disk).
A committed run of the current design whose files are missing or unreadable is an
:class:`AnalysisError` naming the run ids (a rerun of the sweep redoes them); a malformed
manifest is one too, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError
from scipy import stats

from simulation.scenarios import ConfigError
from simulation.sweep.outcomes import summarise
from simulation.sweep.store import MANIFEST, StudyStore, read_manifest


class AnalysisError(ConfigError):
    """The study's results cannot be analysed as asked (no manifest, no completed runs, a
    sensitivity design with missing points, missing or corrupt runs, an output folder that
    is not ours). A :class:`ConfigError`, so the CLI exits with status 2."""


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Run(_Loose):
    run_id: str
    point: int
    replicate: int
    seed: int
    params: dict[str, Any]


class _Design(_Loose):
    name: str
    varied: list[str]
    points: list[dict[str, Any]]
    problem: dict[str, Any] | None = None


class _Analysis(_Loose):
    outcomes: list[str]
    tradeoff: tuple[str, str]


class _Outputs(_Loose):
    timeseries: bool
    summary: bool


class _StudySpec(_Loose):
    replications: int
    design: str
    morris_levels: int = 4


class _Spec(_Loose):
    study: _StudySpec
    analysis: _Analysis
    outputs: _Outputs


class _BaseScenario(_Loose):
    scale: int
    end_year: int


class _BaseConfig(_Loose):
    scenario: _BaseScenario


class _StudyManifest(_Loose):
    """The fields the analysis reads, with their types."""

    study: str
    root_seed: int
    design: _Design
    spec: _Spec
    runs: list[_Run]
    base_config: _BaseConfig


def validate_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """AnalysisError naming the first problems if the manifest lacks what analysis reads."""
    try:
        m = _StudyManifest.model_validate(manifest)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc'][:4]))}: {e['msg']}" for e in exc.errors()[:5]]
        raise AnalysisError(f"{folder / MANIFEST}: not a valid study manifest: "
                            f"{'; '.join(problems)}") from None
    n = len(m.design.points)
    bad = [r.run_id for r in m.runs if not 0 <= r.point < n]
    if bad:
        raise AnalysisError(f"{folder / MANIFEST}: runs refer to design points that do not "
                            f"exist (run ids {', '.join(bad[:5])})")
    if not m.spec.analysis.outcomes:
        raise AnalysisError(f"{folder / MANIFEST}: spec.analysis.outcomes is empty")


@dataclass
class StudyResults:
    folder: Path
    manifest: dict[str, Any]
    summary: pd.DataFrame
    failures: pd.DataFrame

    @property
    def design(self) -> str:
        return self.manifest["design"]["name"]

    @property
    def varied(self) -> list[str]:
        return list(self.manifest["design"]["varied"])

    @property
    def outcomes(self) -> list[str]:
        return list(self.manifest["spec"]["analysis"]["outcomes"])

    @property
    def tradeoff(self) -> tuple[str, str]:
        x, y = self.manifest["spec"]["analysis"]["tradeoff"]
        return x, y

    @property
    def run_ids(self) -> set[str]:
        return {r["run_id"] for r in self.manifest["runs"]}

    def timeseries(self, columns: list[str] | None = None) -> pd.DataFrame:
        df = _with_points(StudyStore(self.folder).read_dataset("timeseries", self.run_ids),
                          self.manifest)
        if columns is not None and not df.empty:
            df = df[["point", "run_id", "replicate", "seed", "date", "step", *columns]]
        return df


def load_results(folder: str | Path) -> StudyResults:
    """Results of the runs of the study's current design that completed."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        raise AnalysisError(f"{folder}: no readable study manifest; run 'blitar-sim sweep' "
                            "first")
    validate_manifest(folder, manifest)
    store = StudyStore(folder)
    ids = {r["run_id"] for r in manifest["runs"]}
    outputs = manifest["spec"]["outputs"]
    kept = [d for d in ("summary", "timeseries") if outputs[d]]
    broken = store.verify(ids, kept)
    if broken:
        listed = "; ".join(f"{rid} ({why})" for rid, why in list(broken.items())[:5])
        more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
        raise AnalysisError(f"{folder}: {len(broken)} committed run(s) have missing or "
                            f"corrupt files: {listed}{more}; rerun 'blitar-sim sweep' on this "
                            "study to redo them")
    summary = store.read_dataset("summary", ids)
    if summary.empty and manifest["spec"]["outputs"]["timeseries"]:
        summary = _summary_from_timeseries(store, ids)
    summary = _with_points(summary.drop(columns=["params"], errors="ignore"), manifest)
    if not summary.empty:  # lever values of each point, from the current design
        levers = pd.DataFrame(manifest["design"]["points"]).rename_axis("point")
        at = summary.columns.get_loc("seed") + 1
        summary = pd.concat([summary.iloc[:, :at],
                             levers.reindex(summary["point"]).reset_index(drop=True),
                             summary.iloc[:, at:]], axis=1)
    done = store.index()
    fails = store.failures()
    failures = pd.DataFrame([{"run_id": r["run_id"], "point": r["point"],
                              "replicate": r["replicate"], "error": fails[r["run_id"]]["error"],
                              **r["params"]}
                             for r in manifest["runs"]
                             if r["run_id"] in fails and r["run_id"] not in done])
    return StudyResults(folder, manifest, summary, failures)


def _with_points(df: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """Rows of stored runs with the current design point of each as the first column, in
    (point, replicate[, step]) order. A run shared by several points (identical resolved
    parameters) appears once per point; runs not in the current design are dropped."""
    if df.empty:
        return df
    runs = pd.DataFrame([(r["run_id"], r["point"]) for r in manifest["runs"]],
                        columns=["run_id", "point"]).drop_duplicates()
    out = runs.merge(df.drop(columns=["point"], errors="ignore"), on="run_id", how="inner")
    keys = ["point", "replicate"] + (["step"] if "step" in out.columns else [])
    out = out[["point", *(c for c in out.columns if c != "point")]]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _summary_from_timeseries(store: StudyStore, ids: set[str]) -> pd.DataFrame:
    ts = store.read_dataset("timeseries", ids)
    if ts.empty:
        return ts
    rows = []
    for (run_id, rep, seed), df in ts.groupby(["run_id", "replicate", "seed"], sort=False):
        rows.append({"run_id": run_id, "replicate": rep, "seed": seed, **summarise(df)})
    return pd.DataFrame(rows)


def ci95(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and half-width of the 95 % t interval (NaN half-width for one value)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.nan, np.nan, np.nan
    mean = float(v.mean())
    if v.size < 2:
        return mean, np.nan, float(v.size)
    half = float(stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size))
    return mean, half, float(v.size)
