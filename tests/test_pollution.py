"""Weather, the monthly air solve, the non-industrial inventory and the river with oxygen."""

from __future__ import annotations

import copy
import math
from types import SimpleNamespace

import numpy as np
import pytest

from simulation.config import EnvironmentSection
from simulation.environment import kernels
from simulation.environment.pollution import (
    SECONDS_PER_MONTH,
    AirSolve,
    air_solve,
    layer_totals,
)
from simulation.environment.steady_air import air_losses, steady_field
from simulation.environment.weather import DRY, TRANSITION, WET, climatology, wind_vector
from simulation.scenarios import ConfigError, load_config

ENV = load_config("blitar").environment


def _grid(rows: int = 24, cols: int = 30, dx: float = 57.0) -> SimpleNamespace:
    return SimpleNamespace(rows=rows, cols=cols, cell_size_m=dx)


def _solve(field: np.ndarray, kg: np.ndarray, solve: AirSolve) -> None:
    steady_field(solve.operator, kg * solve.source_factor, field)


def _march(field: np.ndarray, sources: np.ndarray, solve: AirSolve, seconds: float) -> None:
    """Advance ``field`` by ``seconds`` of the month's weather with the explicit kernel (an
    independent scheme with the same stencil: its long-time limit is the steady state)."""
    op = solve.operator
    rates = [r * seconds for r in (op.diffusion, op.decay, op.wind_u, op.wind_v)]
    kernels.air_step(field, sources * seconds, np.empty_like(field), *rates,
                     kernels.air_substeps(*rates), np.zeros(3))


# --- weather ---------------------------------------------------------------------------------

def test_climatology_seasons_winds_and_background():
    months = climatology(ENV)
    assert [w.season for w in months] == [WET, WET, WET, TRANSITION, TRANSITION, DRY, DRY, DRY,
                                          DRY, TRANSITION, TRANSITION, WET]
    jan, jul = months[0], months[6]
    # dry season: from the east-south-east, so the air moves west (u < 0) and a little north
    assert jul.wind_u_m_s < 0 and jul.wind_v_m_s < 0 and abs(jul.wind_u_m_s) > abs(jul.wind_v_m_s)
    # wet season: from the west-south-west, so the air moves east
    assert jan.wind_u_m_s > 0 and jan.wind_v_m_s < 0
    speed = ENV.wind_steadiness * ENV.wind_speed_m_s
    assert math.hypot(jul.wind_u_m_s, jul.wind_v_m_s) == pytest.approx(speed)
    # the background keeps its annual mean and the sourced dry/wet ratio
    assert np.mean([w.background_ugm3 for w in months]) == pytest.approx(ENV.air_background)
    assert jul.background_ugm3 / jan.background_ugm3 == pytest.approx(
        ENV.background_dry_wet_ratio)
    assert jan.discharge_m3_s == ENV.river_discharge_wet_m3_s
    assert jul.discharge_m3_s == ENV.river_discharge_dry_m3_s


@pytest.mark.parametrize(("from_deg", "u", "v"), [(0, 0, 1), (90, -1, 0), (180, 0, -1),
                                                  (270, 1, 0)])
def test_wind_vector_points_downwind(from_deg, u, v):
    got = wind_vector(from_deg, 1.0)
    np.testing.assert_allclose(got, (u, v), atol=1e-12)


def test_bad_months_are_a_clear_error():
    with pytest.raises(ConfigError, match="dry_months"):
        load_config("blitar", ["environment.dry_months=[6, 13]"])
    with pytest.raises(ConfigError, match="overlap"):
        load_config("blitar", ["environment.wet_months=[6, 7]"])


# --- the monthly air solve -------------------------------------------------------------------

@pytest.mark.parametrize("month", [0, 3, 6])
def test_monthly_solve_satisfies_the_discrete_steady_equation(month):
    # Written out literally (not the solver's weight form): D lap(c) - u.grad(c) - k c + s = 0
    # with first-order upwind advection and zero air beyond the edge.
    city = _grid(12, 15)
    solve = air_solve(ENV, city, climatology(ENV)[month])
    op = solve.operator
    rng = np.random.default_rng(month)
    sources = rng.random((12, 15)) * (rng.random((12, 15)) < 0.2) * 500.0 * solve.source_factor
    c = np.zeros((12, 15))
    steady_field(op, sources, c)
    p = np.pad(c, 1)
    north, south, west, east = p[:-2, 1:-1], p[2:, 1:-1], p[1:-1, :-2], p[1:-1, 2:]
    u, v = op.wind_u, op.wind_v
    adv_x = u * (c - west) if u >= 0 else u * (east - c)
    adv_y = v * (c - north) if v >= 0 else v * (south - c)
    residual = op.diffusion * (north + south + west + east - 4 * c) - adv_x - adv_y \
        - op.decay * c + sources
    assert np.abs(residual).max() <= 1e-12 * np.abs(sources).max()
    assert c.min() >= 0.0


@pytest.mark.parametrize("month", [0, 3, 6])
def test_explicit_time_marching_converges_to_the_steady_solve(month):
    city = _grid(20, 26)
    solve = air_solve(ENV, city, climatology(ENV)[month])
    rng = np.random.default_rng(10 + month)
    sources = rng.random((20, 26)) * (rng.random((20, 26)) < 0.1) * 1000.0 * solve.source_factor
    steady = np.zeros((20, 26))
    steady_field(solve.operator, sources, steady)
    marched = np.zeros((20, 26))
    _march(marched, sources, solve, 6 * 3600.0)  # hours: the wind crosses 26 cells in minutes
    np.testing.assert_allclose(marched, steady, rtol=1e-9, atol=1e-12 * steady.max())


def test_monthly_budget_balances_through_the_seasons():
    city = _grid()
    rng = np.random.default_rng(3)
    kg = rng.random((24, 30)) * (rng.random((24, 30)) < 0.1) * 1000.0
    field = np.zeros((24, 30))
    for w in climatology(ENV):
        solve = air_solve(ENV, city, w)
        _solve(field, kg, solve)
        decayed, left = air_losses(solve.operator, field)
        assert decayed + left == pytest.approx(kg.sum() * solve.source_factor, rel=1e-12)
        assert decayed > 0 and left > 0


def test_pollution_layer_is_the_steady_state_of_its_months_emissions(model):
    # Whatever the weather did last month, the layer's field is the steady state of this
    # month's emissions (checked against the explicit scheme, marched from zero).
    p = copy.deepcopy(model.pollution)  # the model is shared by the tests below
    f = model.firms
    cells, kg0 = f.cell[f.alive], f.emission_air[f.alive] * model.cfg.scenario.scale
    grid = np.zeros(p.city.rows * p.city.cols)
    for month in (2, 3, 4):  # wet -> transition -> transition
        kg = kg0 * 1.01**month
        p.step_air(cells, kg, month, p.population0)
        grid[:] = 0.0
        kernels.deposit_sources(grid, cells, kg)
        solve = p.solves[month]
        marched = np.zeros_like(p.industrial)
        _march(marched, grid.reshape(marched.shape) * solve.source_factor, solve, 48 * 3600.0)
        np.testing.assert_allclose(p.industrial, marched, rtol=1e-6,
                                   atol=1e-9 * marched.max())


def test_plume_goes_downwind_and_flips_with_the_monsoon():
    city = _grid(41, 41)
    months = climatology(ENV)
    kg = np.zeros((41, 41))
    kg[20, 20] = 1000.0
    centres = {}
    for m in (0, 6):  # January (wet monsoon), July (dry monsoon)
        field = np.zeros((41, 41))
        _solve(field, kg, air_solve(ENV, city, months[m]))
        rows, cols = np.indices(field.shape)
        centres[m] = ((rows * field).sum() / field.sum(), (cols * field).sum() / field.sum())
    assert centres[0][1] > 20.5   # wet: carried east
    assert centres[6][1] < 19.5   # dry: carried west
    assert centres[0][0] < 20 and centres[6][0] < 20  # both have a northward component


def test_one_cell_source_near_field_is_a_box_model():
    # With the wind along the grid and no diffusion or loss, a cell's steady increment is
    # E / (dx H U): the emission mixed into the column of air passing over it.
    env = ENV.model_copy(update={"horizontal_diffusivity_m2_s": 0.0, "pm25_loss_per_day": 0.0,
                                 "wind_steadiness": 1.0, "wet_wind_from_deg": 270.0})
    city = _grid(5, 40)
    solve = air_solve(env, city, climatology(env)[0])
    kg = np.zeros((5, 40))
    kg[2, 10] = 1000.0  # kg per month
    field = np.zeros((5, 40))
    _solve(field, kg, solve)
    flux = 1000.0 * 1e9 / SECONDS_PER_MONTH  # ug/s
    box = flux / (city.cell_size_m * env.mixing_height_m * env.wind_speed_m_s)
    assert field[2, 10] == pytest.approx(box, rel=1e-6)
    assert field[2, 30] == pytest.approx(box, rel=1e-3)  # carried downwind undiluted
    assert field[2, 5] == 0.0


def test_non_industrial_layers_follow_their_arithmetic():
    env = EnvironmentSection()
    kg = layer_totals(env, 100_000.0, 29_000.0)
    assert kg["traffic"] == pytest.approx(env.traffic_pm25_kg_per_person_year * 1e5 / 12)
    wood = 29_000 * env.firewood_household_share * env.firewood_kg_per_household_day
    assert kg["cooking"] == pytest.approx(wood * 365.25 / 12 * env.wood_pm25_g_per_kg / 1000)
    burned = 1e5 * env.waste_kg_per_person_day * env.waste_burned_share \
        * env.waste_combusted_fraction
    assert kg["waste_burning"] == pytest.approx(burned * 365.25 / 12 * 9.8 / 1000)


# --- the model's pollution layer -------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    from simulation.model import BlitarModel
    m = BlitarModel(load_config("blitar", ["scenario.scale=50", "scenario.end_year=2026"]))
    m.run()
    return m


def test_model_air_is_industry_plus_other_sources_over_the_background(model):
    p = model.pollution
    np.testing.assert_allclose(model.air.data, p.industrial + p.other, rtol=1e-12)
    assert p.background == pytest.approx(climatology(model.cfg.environment)[11].background_ugm3)
    ts = model.timeseries()
    assert (ts["industry_share_pm25"].between(0, 1)).all()
    assert ts["emissions_air_other"].iloc[0] == pytest.approx(p.other_emissions_kg / 1000,
                                                               rel=0.02)
    assert ts["pm25_background"].nunique() == 3  # dry, wet, transition


def test_river_is_more_dilute_in_the_wet_season_and_loads_use_up_oxygen(model):
    p = model.pollution
    f = model.firms
    alive = f.alive
    load = f.emission_water[alive] * model.cfg.scenario.scale
    p.step_river(f.cell[alive], load, model.cfg.scenario.scale, month=6)  # July, dry
    dry_bod, dry_do = p.river_conc.copy(), p.river_do.copy()
    p.step_river(f.cell[alive], load, model.cfg.scenario.scale, month=0)  # January, wet
    wet_bod, wet_do = p.river_conc.copy(), p.river_do.copy()
    assert (wet_bod <= dry_bod + 1e-12).all() and wet_bod[-1] < dry_bod[-1]  # equal above loads
    assert (wet_do >= dry_do - 1e-12).all()
    p.step_river(f.cell[alive], np.zeros_like(load), model.cfg.scenario.scale, month=6)
    clean_do = p.river_do.copy()  # the same dry month without the firms' wastewater
    assert (dry_do <= clean_do + 1e-12).all() and dry_do[-1] < clean_do[-1] < p.do_sat
    assert np.allclose(p.river_budget[0], p.river_budget[1] + p.river_budget[2], rtol=1e-12)


def test_relocation_score_weighs_air_and_river(model):
    p = model.pollution
    score = p.exposure_score()
    env = model.cfg.environment
    c = int(np.argmax(p.water_cell))
    assert score[c] == pytest.approx((p.background + p.air_flat[c]) / env.air_standard
                                     + p.water_cell[c] / env.water_standard_mg_l)


def test_air_with_nothing_to_remove_it_is_a_bad_input_naming_the_fields():
    env = ENV.model_copy(update={"horizontal_diffusivity_m2_s": 0.0, "pm25_loss_per_day": 0.0,
                                 "wind_steadiness": 0.0})
    with pytest.raises(ConfigError, match="horizontal_diffusivity_m2_s.*pm25_loss_per_day"):
        air_solve(env, _grid(), climatology(env)[0])
