"""The real city in the model: agents only inside the city, air crossing the boundary with a
closed mass budget, and the per-kelurahan table adding up to the city totals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from simulation.economy.firms import Sites, zoning_mask
from simulation.model import BlitarModel
from simulation.model.kelurahan import KEL_COLUMNS
from simulation.results.runner import run_to_folder
from simulation.scenarios import load_config

QUICK = {"scenario.scale": 50, "scenario.end_year": 2026}


@pytest.fixture(scope="module")
def model() -> BlitarModel:
    # with the big plant opening in the first year (it needs a site in Kel. Blitar)
    m = BlitarModel(load_config("blitar", **QUICK, **{"scenario.big_plant_year": 2025}))
    m.run()
    return m


@pytest.fixture(scope="module")
def table(model: BlitarModel) -> pd.DataFrame:
    return model.kelurahan_recorder.frame(model.cfg.scenario.start_year)


def test_no_agent_outside_the_city(model: BlitarModel) -> None:
    inside = model.city.inside.ravel()
    assert inside[model.households.home].all()
    assert inside[model.firms.cell[model.firms.alive]].all()
    assert inside[model.home_cells].all()                      # where movers may go
    for strict in (0, 3):                                      # where entrants may go
        cells, _ = Sites(model.city, zoning_mask(model.city, strict)).spread(True)
        assert inside[cells].all()
    plant = model.firms.anchor & (model.firms.entered_step >= 0)
    assert plant.any() and (model.city.kelurahan.ravel()[model.firms.cell[plant]]
                            == model.city.kelurahan_index("Blitar")).all()


def test_air_crosses_the_boundary_and_the_budget_closes(model: BlitarModel) -> None:
    air, inside = model.air.data, model.city.inside
    emitted, decayed, left = model.pollution.air_budget  # firms' kg, all months (pollution.py)
    assert decayed + left == pytest.approx(emitted, rel=1e-9)  # each month's field is steady
    assert left > 0                                   # outflow at the domain edge
    assert air[~inside].sum() > 0                     # air over cells outside the city
    # the city-mean indicator averages the city's cells only
    last = model.timeseries().iloc[-1]
    city_mean = model.pollution.background + air[inside].mean()
    assert last["mean_air_concentration"] == pytest.approx(city_mean)


def test_table_shape(model: BlitarModel, table: pd.DataFrame) -> None:
    n_kel, months = model.city.n_kelurahan, model.cfg.n_steps
    assert len(table) == n_kel * months
    assert list(table.columns) == ["date", "step", "kelurahan", "kecamatan",
                                   *(c.name for c in KEL_COLUMNS)]
    assert set(table["kelurahan"]) == set(model.city.kelurahan_names)
    last = table[table["step"] == months]
    assert last["river_bod"].isna().any() and last["river_bod"].notna().any()
    assert (last["pm25_max"] >= last["pm25_mean"]).all()


def test_table_sums_to_the_city_totals(model: BlitarModel, table: pd.DataFrame) -> None:
    ts = model.timeseries().set_index("step")
    by_month = table.groupby("step")
    sums = by_month.sum(numeric_only=True)
    for col in (c for c in KEL_COLUMNS if c.total):
        np.testing.assert_allclose(sums[col.name], ts[col.total], rtol=1e-9, atol=1e-9,
                                   err_msg=col.name)
    np.testing.assert_allclose(sums["unemployed_residents"],
                               ts["labour_force"] - ts["employment_total"], rtol=1e-9)

    def weighted(col: str, weight: str) -> pd.Series:
        return (table[col] * table[weight]).groupby(table["step"]).sum() / sums[weight]

    np.testing.assert_allclose(weighted("exposure", "residents"),
                               ts["exposure_population_weighted"], rtol=1e-9)
    np.testing.assert_allclose(weighted("mean_health", "households"), ts["mean_health"],
                               rtol=1e-9)
    cells = np.bincount(model.city.kelurahan[model.city.inside])
    pm = (table["pm25_mean"] * np.tile(cells, model.cfg.n_steps)).groupby(table["step"]).sum()
    np.testing.assert_allclose(pm / cells.sum(), ts["mean_air_concentration"], rtol=1e-9)
    hh, s = model.households, model.cfg.scenario.scale
    last = table[table["step"] == model.cfg.n_steps]
    assert last["households_above_standard"].sum() == model.above[: hh.n].sum() * s


def test_run_folder_holds_the_kelurahan_table(tmp_path) -> None:
    result = run_to_folder(load_config("blitar", **QUICK), tmp_path / "run")
    stored = pd.read_parquet(tmp_path / "run" / "kelurahan.parquet")
    pd.testing.assert_frame_equal(stored, result.kelurahan)
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["digests"]["kelurahan"]
