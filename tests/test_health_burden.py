"""Health burden: CRFs against published values, accounting per kelurahan, valuation."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.config import HealthSection
from simulation.environment.weather import climatology
from simulation.scenarios import load_config
from simulation.society.health_burden import (
    OUTCOMES,
    HealthBurden,
    cost_benefit_table,
    gemm_hr,
    log_linear_rr,
    monthly_burden,
    working_capacity,
)

HS = HealthSection()

# GEMM ischaemic heart disease, ages 25+, as tabulated by CREA (energyandcleanair/creahia,
# inst/extdata/crf/tabular/gemm_pm25_ihd_25plus_deaths_v1.csv, central column): PM2.5 ->
# hazard ratio. Burnett et al. (2018) IHD parameters alpha 1.9, mu 12, nu 40.2, theta 0.2969.
CREA_GEMM_IHD = {2.4: 1.0, 2.5: 1.006516770048773, 5.0: 1.1197439716931472,
                 10.0: 1.2533986905351144, 15.0: 1.3551952836845869,
                 20.0: 1.447318901213384, 25.0: 1.5362023197707315}


def test_gemm_reproduces_the_published_curve_at_reference_concentrations():
    ihd = HealthSection(gemm_theta=0.2969, gemm_alpha=1.9, gemm_mu=12.0, gemm_nu=40.2)
    conc = np.array(list(CREA_GEMM_IHD))
    np.testing.assert_allclose(gemm_hr(conc, ihd), list(CREA_GEMM_IHD.values()), rtol=1e-12)


def test_gemm_ncd_lri_has_no_threshold_above_the_counterfactual():
    c = np.array([0.0, 2.4, 2.5, 5.0, 15.0, 17.17, 35.0])
    hr = gemm_hr(c, HS)
    assert hr[0] == hr[1] == 1.0
    assert (np.diff(hr[1:]) > 0).all()  # rises from the first increment on
    assert gemm_hr(2.41, HS) > 1.0


def test_hrapie_log_linear_rr():
    assert log_linear_rr(HS.counterfactual_ugm3 + 10, 1.019, HS.counterfactual_ugm3) == \
        pytest.approx(1.019)
    assert log_linear_rr(1.0, 1.019, 2.4) == 1.0


def test_attributable_deaths_by_hand():
    persons = np.array([12_000.0])
    b = monthly_burden(persons, np.array([20.0]), np.array([3.0]), np.array([False]), HS)
    af = 1 - 1 / gemm_hr(20.0, HS)
    rate = HS.ncd_lri_deaths_per_100k / 1e5
    assert b["deaths"][0] == pytest.approx(1000.0 * rate * af)  # 12,000 persons x 1 month
    af_without = 1 - 1 / gemm_hr(17.0, HS)
    assert b["deaths_industry"][0] == pytest.approx(1000.0 * rate * (af - af_without))
    assert b["dalys"][0] == pytest.approx(b["deaths"][0] * HS.dalys_per_death)
    assert b["diarrhoea"][0] == 0.0
    assert b["cost_rp_million"][0] == pytest.approx(
        b["deaths"][0] * HS.vsl_rp_million + b["admissions"][0] * HS.admission_cost_rp_million)


def test_diarrhoea_only_near_polluted_reaches():
    b = monthly_burden(np.array([1200.0, 1200.0]), np.full(2, 15.0), np.zeros(2),
                       np.array([True, False]), HS)
    want = 100.0 * HS.river_water_use_share * HS.diarrhoea_per_person_year * 0.48
    assert b["diarrhoea"][0] == pytest.approx(want) and b["diarrhoea"][1] == 0.0


def test_monthly_application_is_close_to_annual_mean_application():
    # The burden adds each month's CRF at that month's exposure; with the seasonal swing of
    # the background (the largest one in the model) this stays within 2 % of applying the
    # CRF to the annual mean.
    months = climatology(load_config("blitar").environment)
    conc = np.array([w.background_ugm3 + 3.0 for w in months])
    monthly = np.mean(1 - 1 / gemm_hr(conc, HS))
    annual = 1 - 1 / gemm_hr(conc.mean(), HS)
    assert abs(monthly / annual - 1) < 0.02


def test_working_capacity():
    assert working_capacity(np.array([2.4]), np.array([False]), HS)[0] == HS.initial_health
    cap = working_capacity(np.array([10.0, 20.0, 20.0]), np.array([False, False, True]), HS)
    assert cap[0] > cap[1] > cap[2] > 0.9 * HS.initial_health


@pytest.fixture(scope="module")
def run():
    from simulation.model import BlitarModel
    m = BlitarModel(load_config("blitar", ["scenario.scale=50", "scenario.end_year=2027"]))
    m.run()
    return m


def test_per_kelurahan_burden_sums_to_the_city(run):
    table = run.health_burden.table()
    city = run.health_burden.city_table()
    names = run.city.kelurahan_names
    assert len(table) == len(names) * 2 and set(table["kelurahan"]) == set(names)
    for col in OUTCOMES:
        by_year = table.groupby("year")[col].sum().to_numpy()
        np.testing.assert_allclose(by_year, city[col].to_numpy(), rtol=1e-12)
    # the monthly indicator columns add up to the same city totals
    ts = run.timeseries()
    yearly = ts.groupby(ts["date"].dt.year)[["attributable_deaths", "dalys",
                                             "respiratory_admissions", "diarrhoea_cases",
                                             "health_damage_cost"]].sum()
    np.testing.assert_allclose(yearly["attributable_deaths"], city["deaths"], rtol=1e-9)
    np.testing.assert_allclose(yearly["dalys"], city["dalys"], rtol=1e-9)
    np.testing.assert_allclose(yearly["respiratory_admissions"], city["admissions"], rtol=1e-9)
    np.testing.assert_allclose(yearly["diarrhoea_cases"], city["diarrhoea"], rtol=1e-9)
    np.testing.assert_allclose(yearly["health_damage_cost"], city["cost_rp_billion"],
                               rtol=1e-9)
    # person-years are the residents (city scale) of the year
    residents = ts.groupby(ts["date"].dt.year)["population"].mean()
    np.testing.assert_allclose(city["person_years"], residents, rtol=0.01)
    assert (city["deaths_industry"] < city["deaths"]).all()


def test_kelurahan_come_from_the_map_not_a_fixed_list():
    from types import SimpleNamespace
    city = SimpleNamespace(kelurahan=np.array([[0, 0, 1], [2, 2, 1]], dtype=np.int16),
                           kelurahan_names=("A", "B", "C"), kecamatan_names=("K",),
                           kelurahan_to_kecamatan=np.zeros(3, dtype=np.int8))
    hb = HealthBurden(HS, city, 2025, 12)
    home = np.array([0, 2, 4, 5, 5])
    hb.record(0, home, np.full(5, 100.0), np.full(6, 20.0), np.zeros(6), np.zeros(6, bool))
    t = hb.table()
    assert list(t["kelurahan"]) == ["A", "B", "C"]
    np.testing.assert_allclose(t["person_years"], np.array([1, 3, 1]) * 100 / 12)


def test_burden_per_lived_in_cell_equals_the_sum_over_households():
    from types import SimpleNamespace
    rng = np.random.default_rng(2)
    kel = rng.integers(-1, 4, (8, 9)).astype(np.int16)
    city = SimpleNamespace(kelurahan=kel, kelurahan_names=("A", "B", "C", "D"),
                           kecamatan_names=("K",), kelurahan_to_kecamatan=np.zeros(4, np.int8))
    inside = np.flatnonzero(kel.ravel() >= 0)
    home = rng.choice(inside, 300)
    persons = rng.integers(1, 7, 300) * 10.0
    pm25, ind = 10 + 10 * rng.random(72), 3 * rng.random(72)
    river = rng.random(72) < 0.2
    hb = HealthBurden(HS, city, 2025, 12)
    hb.record(0, home, persons, pm25, ind, river)
    per_hh = monthly_burden(persons, pm25[home], ind[home], river[home], HS)
    for name in OUTCOMES:
        want = np.bincount(kel.ravel()[home], weights=per_hh[name], minlength=4)
        np.testing.assert_allclose(hb.month_by_kel[:, OUTCOMES.index(name)], want, rtol=1e-12)


def test_cost_benefit_table_puts_health_next_to_grdp_and_jobs(run):
    cb = cost_benefit_table(run.health_burden.city_table(), run.timeseries())
    assert list(cb["year"]) == [2025, 2026]
    ts = run.timeseries()
    assert cb["grdp_rp_billion"].iloc[0] == pytest.approx(ts["grdp"].iloc[:12].sum())
    assert cb["jobs"].iloc[1] == pytest.approx(ts["employment_total"].iloc[12:].mean())
    np.testing.assert_allclose(cb["cost_share_of_grdp"],
                               cb["cost_rp_billion"] / cb["grdp_rp_billion"])
