"""Per-kelurahan outcomes in sweeps: stored with each run, analysed as effects with intervals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulation.sweep import load_study, run_sweep
from simulation.sweep.analysis import StudyResults, analyse
from simulation.sweep.kelurahan import SWEEP_COLUMNS, effects_table

STUDY = """
[study]
design = "full_factorial"
replications = 2
seed = 11
scale = 50
end_year = 2026

[levers]
"policy.emission_charge" = [0, 20000]

[analysis]
outcomes = ["grdp", "river_concentration_downstream"]
"""


def _results(summary: pd.DataFrame) -> StudyResults:
    manifest = {"design": {"points": [{"lever": 0}, {"lever": 1}], "name": "full_factorial",
                           "varied": ["lever"]}}
    return StudyResults(Path("."), manifest, summary, pd.DataFrame())


def test_effects_are_paired_by_replicate_with_signed_gains() -> None:
    rows = []
    for rep, noise in enumerate((0.0, 5.0, -3.0)):  # shared by both points (same seeds)
        rows.append({"point": 0, "replicate": rep, "kel.A.exposure": 20.0 + noise,
                     "kel.B.exposure": 15.0 + noise, "kel.A.jobs": 100.0 + noise,
                     "kel.B.jobs": 50.0})
        rows.append({"point": 1, "replicate": rep, "kel.A.exposure": 18.0 + noise,
                     "kel.B.exposure": 16.0 + noise, "kel.A.jobs": 90.0 + noise + rep,
                     "kel.B.jobs": 50.0})
    eff = effects_table(_results(pd.DataFrame(rows))).set_index(["kelurahan", "outcome"])
    a_exp, b_exp = eff.loc[("A", "exposure")], eff.loc[("B", "exposure")]
    # the seed noise cancels in the paired difference: exact effects, zero-width intervals
    assert a_exp["effect"] == pytest.approx(-2.0) and a_exp["effect_ci95_low"] == \
        pytest.approx(-2.0) and a_exp["effect_ci95_high"] == pytest.approx(-2.0)
    assert a_exp["gain"] == pytest.approx(2.0) and b_exp["gain"] == pytest.approx(-1.0)
    assert (a_exp["rank_by_gain"], b_exp["rank_by_gain"]) == (1, 2)
    a_jobs = eff.loc[("A", "jobs")]
    assert a_jobs["effect"] == pytest.approx(-9.0) and a_jobs["gain"] == pytest.approx(-9.0)
    assert a_jobs["effect_ci95_low"] < -9.0 < a_jobs["effect_ci95_high"]  # 1 +/- t * sd
    assert a_exp["replicates"] == 3 and a_exp["lever"] == 1


def test_no_kelurahan_columns_no_table() -> None:
    summary = pd.DataFrame({"point": [0, 1], "replicate": [0, 0], "grdp": [1.0, 2.0]})
    assert effects_table(_results(summary)).empty


def test_sweep_stores_and_analyse_reports_per_kelurahan(tmp_path: Path) -> None:
    path = tmp_path / "charge.toml"
    path.write_text(STUDY)
    run_sweep(load_study(path), tmp_path / "out", workers=1, progress=False)
    summary = pd.concat(pd.read_parquet(p) for p in (tmp_path / "out" / "summary").glob("*"))
    kel_cols = [c for c in summary.columns if c.startswith("kel.")]
    assert len(kel_cols) == 21 * len(SWEEP_COLUMNS)
    assert "kel.Pakunden.exposure" in kel_cols and summary[kel_cols].notna().all().all()
    files = {p.name for p in analyse(tmp_path / "out")}
    assert {"kelurahan_effects.csv", "kelurahan_effects.png"} <= files
    eff = pd.read_csv(tmp_path / "out" / "analysis" / "kelurahan_effects.csv")
    assert set(eff["point"]) == {1} and eff["kelurahan"].nunique() == 21
    assert eff["effect"].abs().max() > 0  # the charge moves something somewhere
    assert (eff["effect_ci95_low"] <= eff["effect"]).all()
    assert (eff["effect"] <= eff["effect_ci95_high"]).all()
