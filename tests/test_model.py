"""The model: determinism, common random numbers, calibration at the start, agents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.model import BlitarModel
from simulation.model.agents import Firm, Household
from simulation.model.indicators import COLUMNS, gini, indicators
from simulation.scenarios import load_config


def short(scale: int = 20, **values):
    return load_config("blitar", ["scenario.end_year=2027", f"scenario.scale={scale}"],
                       **values)


def run(cfg) -> pd.DataFrame:
    m = BlitarModel(cfg)
    m.run()
    return m.timeseries()


def test_same_seed_same_time_series():
    a, b = run(short()), run(short())
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_different_seed_different_time_series():
    a = run(short())
    b = run(short(**{"scenario.seed": 99}))
    assert not a["employment_total"].equals(b["employment_total"])


def test_policy_change_keeps_initial_population_and_firms():
    base = BlitarModel(short())
    arm = BlitarModel(short(**{"policy.emission_charge": 20000.0, "policy.zoning_buffer_cells": 3,
                               "policy.workshop_slots_per_year": 300,
                               "policy.green_subsidy_share": 0.5}))
    for table in ("households", "workers", "firms"):
        ta, tb = getattr(base, table), getattr(arm, table)
        assert ta.n == tb.n
        for name in ta._data:
            np.testing.assert_array_equal(getattr(ta, name), getattr(tb, name), err_msg=name)


def test_time_series_has_the_brief_columns_and_dates():
    df = run(short())
    assert list(df.columns) == ["date", *COLUMNS]
    assert len(df) == 24
    assert df["date"].iloc[0] == pd.Timestamp("2025-01-01")
    assert df["date"].iloc[-1] == pd.Timestamp("2026-12-01")
    assert not df.isna().any().any()
    assert (df["unemployment_rate"].between(0, 1)).all()
    assert (df["employment_total"] <= df["labour_force"]).all()
    assert (df["mean_air_concentration"] >= 0).all()


@pytest.fixture(scope="module")
def full_scale_start():
    return BlitarModel(load_config("blitar"))


def test_settled_start_of_2025_looks_like_blitar(full_scale_start):
    """The state the burn-in settles in (January 2025, one seed) looks like Blitar
    (blitar_facts.md). Unemployment and informality are the model's own, not imposed: the
    bands here are for one seed and one month; experiments/calibration_report.py checks
    the yearly means over seeds against the tighter data bands."""
    x = indicators(full_scale_start)
    assert 158_000 <= x["population"] <= 165_000          # BPS 2024: 161,204
    assert 44_000 <= x["households"] <= 49_000            # 3.3-3.7 persons/household
    assert 85_000 <= x["labour_force"] <= 91_000          # Sakernas 2023 87,176 + growth
    assert 0.035 <= x["unemployment_rate"] <= 0.08        # Sakernas 2019-24: 4.65-6.61 %
    assert 0.40 <= x["informal_share"] <= 0.60            # inferred: city < regency 63.9 %
    share_mfg = x["employment_manufacturing"] / x["employment_total"]
    assert 0.1986 <= share_mfg <= 0.2586                  # Sakernas 2024: 22.86 % +- 3 pts
    assert x["umk"] == pytest.approx(2.48145)             # UMK 2025
    assert 650 <= x["grdp"] <= 800  # Rp bn/month; ~Rp 8.7 tn/yr = 725 bn/month
    assert x["mean_wage"] >= x["umk"]


def test_burn_in_is_settled(full_scale_start):
    """No imposed stock: the last two years of the burn-in show no trend in unemployment,
    informality or the number of firms beyond what the month-to-month noise allows."""
    cfg = load_config("blitar", ["scenario.scale=10", "scenario.end_year=2026",
                                 "economy.burn_in_months=0"])
    m = BlitarModel(cfg)
    m.month = -cfg.economy.__class__().burn_in_months  # the default burn-in, observed
    seen = []
    while m.month < 0:
        m._month()
        seen.append((m.month, float((m.workers.status == 0).mean()),
                     float((m.workers.status == 1).mean()), float(m.firms.alive.sum())))
    late = np.array([row[1:] for row in seen[-24:]])
    early = np.array([row[1:] for row in seen[-48:-24]])
    drift = np.abs(late.mean(axis=0) - early.mean(axis=0))
    noise = late.std(axis=0) + early.std(axis=0)
    assert (drift <= 2 * noise + 1e-9).all(), (drift, noise)


def test_scaled_run_reports_city_scale(full_scale_start):
    small = indicators(BlitarModel(load_config("blitar", ["scenario.scale=10"])))
    full = indicators(full_scale_start)
    for key in ("population", "households", "labour_force"):
        assert small[key] == pytest.approx(full[key], rel=0.03), key


def test_scaled_run_settles_where_full_scale_does(full_scale_start):
    """Issue 11 item 3: founders tested per real firm, targets rounded at firm offsets and
    hiring limits per real firm removed the scale-10 bias (it had ~1.6 pp lower
    unemployment and ~4 % higher GRDP). One seed: GRDP differs by seed by about +-3 %
    at scale 10, so this guards against the old bias, not against small ones; real firm
    counts still differ (fewer at scale 10) and are not compared."""
    small = indicators(BlitarModel(load_config("blitar", ["scenario.scale=10"])))
    full = indicators(full_scale_start)
    for key in ("employment_total", "grdp"):
        assert small[key] == pytest.approx(full[key], rel=0.03), key


def test_grdp_grows_about_five_percent_a_year():
    cfg = load_config("blitar", ["scenario.end_year=2030", "scenario.scale=10"])
    df = run(cfg)
    yearly = df.groupby(df["date"].dt.year)["grdp"].mean()
    growth = (yearly.iloc[-1] / yearly.iloc[0]) ** (1 / (len(yearly) - 1)) - 1
    assert 0.035 <= growth <= 0.065, growth


def test_agents_are_mesa_agents_reading_the_arrays(full_scale_start):
    m = full_scale_start
    households = m.agents_by_type[Household]
    firms = m.agents_by_type[Firm]
    assert len(households) == m.households.n
    assert len(firms) == int(m.firms.alive.sum())
    h = households.to_list()[123]
    assert h.cell.coordinate == divmod(int(m.households.home[h.row]), m.cols)
    assert h.members == m.households.members[h.row]
    assert h.employed == sum(m.workers.employer[r] >= 0 for r in h.worker_rows)
    assert h.state()["informal"] == sum(m.workers.status[r] == 1 for r in h.worker_rows)
    f = firms.to_list()[5]
    assert f.workers == m.firms.workers[f.row] > 0
    assert set(f.state()) >= {"sector", "workers", "green", "awareness"}
    assert h.state()["kind"] == "household"


def test_flat_keyword_interface_like_batch_run():
    m = BlitarModel(scenario="blitar", seed=3, scale=50, emission_charge=1000.0,
                    end_year=2026)
    assert m.cfg.policy.emission_charge == 1000.0 and m.cfg.scenario.seed == 3
    m.run()
    assert len(m.timeseries()) == 12
    with pytest.raises(TypeError, match="unknown model keyword"):
        BlitarModel(emision_charge=1.0)


def test_step_past_horizon_is_an_error():
    m = BlitarModel(scenario="blitar", scale=50, end_year=2026)
    m.run()
    with pytest.raises(RuntimeError, match="run is over"):
        m.step()


def test_gini_known_values():
    assert gini(np.ones(5), np.ones(5)) == pytest.approx(0.0)
    # one person of n has everything -> (n - 1) / n
    assert gini(np.array([0.0, 0, 0, 10]), np.ones(4)) == pytest.approx(0.75)
    # weights are persons: repeating a value == weighting it
    a = gini(np.array([1.0, 2, 2, 5]), np.ones(4))
    b = gini(np.array([1.0, 2, 5]), np.array([1.0, 2, 1]))
    assert a == pytest.approx(b)


def test_bare_keywords_cover_scenario_and_unique_parameters():
    m = BlitarModel(scenario="blitar", scale=50, end_year=2026, big_plant_jobs=1500,
                    separation_rate=0.02)
    assert m.cfg.scenario.big_plant_jobs == 1500 and m.cfg.labour.separation_rate == 0.02


def test_batch_run_model_rejects_non_integer_rng():
    from simulation.api import BatchRunModel

    with pytest.raises(TypeError, match="integer seed"):
        BatchRunModel(rng=np.random.default_rng(1), scale=50, end_year=2026)
    assert BatchRunModel(rng=5, scale=50, end_year=2026).cfg.scenario.seed == 5
