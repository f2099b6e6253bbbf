"""Ensembles (issue 11): `run --seeds`, `compare`, published ensembles and their reproduction."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.model import BlitarModel
from simulation.model.indicators import COLUMNS
from simulation.results import ensemble_reference as er
from simulation.results import ensemble_tables as tables
from simulation.results import publish as pub
from simulation.results import reproduce as rp
from simulation.results.ensemble import member_seeds, run_ensembles, unstack, with_seed
from simulation.results.registry import timeseries_digest
from simulation.scenarios import load_config
from simulation.sweep.design import replicate_seeds

QUICK = ["scenario.scale=50", "scenario.end_year=2026"]


@pytest.fixture(scope="module")
def cfg():
    return load_config("blitar", QUICK)


def test_member_seeds_follow_the_sweep_rule_and_are_distinct():
    seeds = member_seeds(20250101, 5)
    assert seeds == replicate_seeds(20250101, 5)
    assert len(set(seeds)) == 5 and 20250101 not in seeds
    assert member_seeds(20250101, 3) == seeds[:3]  # a larger ensemble extends a smaller one
    with pytest.raises(ValueError, match="1-1000"):
        member_seeds(1, 0)


def test_members_are_single_runs_and_do_not_depend_on_the_workers(cfg):
    one = run_ensembles([cfg], 2, workers=1).arms[0]
    two = run_ensembles([cfg], 2, workers=2).arms[0]
    pd.testing.assert_frame_equal(one.timeseries(), two.timeseries())
    # member 1 is exactly the single run with the member's seed
    model = BlitarModel(with_seed(cfg, one.seeds[1]))
    model.run()
    stacked = one.timeseries()
    member = stacked[stacked["seed"] == one.seeds[1]].drop(columns="seed").reset_index(drop=True)
    alone = model.timeseries().reset_index(drop=True)
    pd.testing.assert_frame_equal(member[alone.columns], alone, check_dtype=False)
    # and the members differ from each other (different seeds, not copies)
    first = stacked[stacked["seed"] == one.seeds[0]]["unemployment_rate"].to_numpy()
    assert not np.array_equal(first, member["unemployment_rate"].to_numpy())


def test_run_seeds_writes_series_summary_and_bands(tmp_path, capsys):
    out = tmp_path / "ens"
    assert main(["run", "--seeds", "3", "--workers", "1", "--no-progress", "--out", str(out),
                 *sum((["--set", o] for o in QUICK), [])]) == 0
    assert "3 seeds x 12 months" in capsys.readouterr().out
    for name in ("timeseries.parquet", "summary.csv", "outcomes_by_seed.csv", "outcomes.csv",
                 "kelurahan_summary.csv", "summary.png", "maps.png", "manifest.json"):
        assert (out / name).is_file(), name
    stacked = pd.read_parquet(out / "timeseries.parquet")
    assert sorted(stacked["seed"].unique()) == sorted(member_seeds(20250101, 3))
    summary = pd.read_csv(out / "summary.csv")
    band = summary[summary["indicator"] == "unemployment_rate"]
    assert len(band) == 12 and (band["n"] == 3).all()
    assert ((band["p05"] <= band["mean"]) & (band["mean"] <= band["p95"])).all()
    by_seed = pd.read_csv(out / "outcomes_by_seed.csv")
    assert len(by_seed) == 3
    outcomes = pd.read_csv(out / "outcomes.csv").set_index("outcome")
    u = outcomes.loc["unemployment_rate"]
    values = by_seed["unemployment_rate"].to_numpy()
    assert u["mean"] == pytest.approx(values.mean())
    assert values.min() <= u["p05"] <= u["mean"] <= u["p95"] <= values.max()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == member_seeds(20250101, 3)


def test_run_workers_without_seeds_is_a_clear_error(capsys):
    assert main(["run", "--workers", "2", "--set", "scenario.end_year=2026"]) == 2
    assert "--seeds" in capsys.readouterr().err


def test_compare_a_scenario_with_itself_is_exactly_zero(tmp_path, capsys):
    out = tmp_path / "same"
    assert main(["compare", "blitar", "blitar", "--seeds", "2", "--workers", "1",
                 "--no-progress", "--out", str(out),
                 *sum((["--set", o] for o in QUICK), [])]) == 0
    diff = pd.read_csv(out / "differences.csv")
    finite = diff["difference"].notna()
    assert finite.sum() > 20
    assert (diff.loc[finite, "difference"] == 0).all()
    assert set(diff.loc[finite, "verdict"]) == {"identical"}
    for name in ("kelurahan_differences.csv", "monthly_differences.csv", "differences.png",
                 "difference_panels.png", "manifest.json"):
        assert (out / name).is_file(), name


def test_compare_detects_a_charge_in_the_regulators_revenue(tmp_path):
    out = tmp_path / "charge"
    assert main(["compare", "blitar", "blitar", "--seeds", "3", "--workers", "2",
                 "--no-progress", "--out", str(out), "--set-b", "policy.emission_charge=20000",
                 *sum((["--set", o] for o in QUICK), [])]) == 0
    diff = pd.read_csv(out / "differences.csv").set_index("outcome")
    revenue = diff.loc["regulator_revenue"]
    assert revenue["ci_low"] > 0 and revenue["verdict"] == "distinguishable"
    assert revenue["better"] in ("B better", "B worse", "")


@pytest.fixture(scope="module")
def ensemble_registry(tmp_path_factory):
    root = tmp_path_factory.mktemp("published_ensembles")
    pub.publish("tiny_ens", "baseline", QUICK, root=root, seeds=2, workers=2)
    return root


def test_published_ensemble_reproduces_every_member(ensemble_registry, capsys):
    folder = ensemble_registry / "tiny_ens"
    ref = json.loads((folder / "reference.json").read_text())
    assert ref["kind"] == "ensemble"
    assert main(["reproduce", "tiny_ens", "--registry", str(ensemble_registry),
                 "--workers", "2"]) == rp.EXIT_EXACT
    assert "reproduced exactly" in capsys.readouterr().out
    assert main(["reproduce", "tiny_ens", "--registry", str(ensemble_registry),
                 "--members", "1", "--workers", "1"]) == rp.EXIT_EXACT


def test_published_ensemble_detects_a_changed_member(ensemble_registry, tmp_path, capsys):
    import shutil

    folder = tmp_path / "reg" / "tiny_ens"
    shutil.copytree(ensemble_registry / "tiny_ens", folder)
    path = folder / "monthly.csv.gz"
    stacked = er.read_stacked(path)
    second = stacked["seed"] == stacked["seed"].unique()[1]
    stacked.loc[second, "mean_health"] *= 1.01
    path.write_bytes(er.csv_gz_bytes(stacked))
    # a consistent deliberate change (derived summary rewritten, reference re-sealed): only
    # re-running the members can catch it
    (folder / "outcomes.csv").write_text(er.outcomes_csv(stacked))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["members"][1]["timeseries"] = timeseries_digest(unstack(stacked)[1][1])
    (folder / "manifest.json").write_text(json.dumps(manifest))
    pub.seal(folder)
    code = main(["reproduce", str(folder), "--workers", "2"])
    captured = capsys.readouterr()
    out = captured.out
    assert code == rp.EXIT_DIFFERS, captured.err
    assert "mean_health" in out


def test_ensemble_tables_band_every_indicator(cfg):
    ens = run_ensembles([cfg], 2, workers=1).arms[0]
    summary = tables.monthly_summary(ens.timeseries())
    assert set(summary["indicator"]) <= set(COLUMNS) and len(set(summary["indicator"])) > 20
    assert len(summary) == 12 * summary["indicator"].nunique()
    ok = summary["mean"].notna()
    assert (summary.loc[ok, "p05"] <= summary.loc[ok, "mean"] + 1e-9).all()
    assert (summary.loc[ok, "mean"] <= summary.loc[ok, "p95"] + 1e-9).all()
