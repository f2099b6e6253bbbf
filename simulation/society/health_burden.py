"""Health burden of pollution in standard units, per kelurahan and year, and its value.

PM2.5 (all ages, at home):
- attributable deaths = persons x NCD+LRI death rate x (1 - 1/HR), HR the GEMM NCD+LRI
  hazard ratio (Burnett et al. 2018) at z = max(0, C - counterfactual):
  HR(z) = exp(theta ln(1 + z/alpha) / (1 + exp(-(z - mu)/nu))); no threshold above the
  counterfactual (the lowest exposure observed in the cohorts);
- DALYs = deaths x DALYs per NCD+LRI death (GBD ratio);
- respiratory hospital admissions: log-linear RR per 10 ug/m3 (WHO HRAPIE), same form;
- the part due to the city's industry: the same with and without the industrial
  increment at home, AF(C) - AF(C - industrial).
River (riverbank homes whose nearest reach is above the BOD standard): diarrhoea episodes =
persons x share using river water x baseline incidence x (RR - 1).
Value (Rp million, 2025 prices) = deaths x VSL + admissions and episodes x cost of illness.

Every month adds one twelfth of the yearly rates at that month's exposure (the CRFs are
near-linear over a month's swing, so this equals applying them to annual means to within
a few per cent; tests/test_health_burden.py measures it). Counts are accumulated per
kelurahan (read from the map, any number), so the kelurahan rows sum to the city.

Working capacity (``households.health``, read by the economy as the share of a full
working capacity): ``initial_health`` x (1 - days lost to PM2.5 - days lost to diarrhoea);
work days lost follow the HRAPIE CRF on a baseline sick-day share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.config import HealthSection
from simulation.environment.geography import CityMap

OUTCOMES = ("person_years", "pm25_person_years", "deaths", "deaths_industry", "dalys",
            "admissions", "diarrhoea", "cost_rp_million", "cost_industry_rp_million")


def gemm_hr(conc: np.ndarray | float, hs: HealthSection) -> np.ndarray:
    """GEMM NCD+LRI hazard ratio at PM2.5 ``conc`` [ug/m3] (elementwise)."""
    z = np.maximum(np.asarray(conc, dtype=np.float64) - hs.counterfactual_ugm3, 0.0)
    weight = 1.0 / (1.0 + np.exp(-(z - hs.gemm_mu) / hs.gemm_nu))
    return np.exp(hs.gemm_theta * np.log1p(z / hs.gemm_alpha) * weight)


def log_linear_rr(conc: np.ndarray | float, rr_per_10: float,
                  counterfactual: float) -> np.ndarray:
    """RR = rr_per_10 ^ (max(0, C - counterfactual) / 10)."""
    z = np.maximum(np.asarray(conc, dtype=np.float64) - counterfactual, 0.0)
    return np.power(rr_per_10, z / 10.0)


def working_capacity(pm25: np.ndarray, river_exposed: np.ndarray,
                     hs: HealthSection) -> np.ndarray:
    """Share of full working capacity at home PM2.5 ``pm25`` and river exposure (bool)."""
    rr = log_linear_rr(pm25, hs.work_loss_rr_per_10, hs.counterfactual_ugm3)
    air_loss = hs.sick_day_share * (1.0 - 1.0 / rr)
    extra_episodes = (hs.river_water_use_share * hs.diarrhoea_per_person_year
                      * (hs.diarrhoea_rr_polluted_water - 1.0))
    water_loss = np.where(river_exposed, extra_episodes * hs.diarrhoea_days_lost / 365.25, 0.0)
    return np.clip(hs.initial_health * (1.0 - air_loss - water_loss), 0.0, 1.0)


def monthly_burden(persons: np.ndarray, pm25: np.ndarray, industrial: np.ndarray,
                   river_exposed: np.ndarray, hs: HealthSection) -> dict[str, np.ndarray]:
    """One month's burden per household (arrays of ``OUTCOMES``)."""
    cf = hs.counterfactual_ugm3
    month = persons / 12.0  # person-years lived this month
    af = 1.0 - 1.0 / gemm_hr(pm25, hs)
    af_without = 1.0 - 1.0 / gemm_hr(pm25 - industrial, hs)
    deaths_rate = month * hs.ncd_lri_deaths_per_100k / 1e5
    deaths = deaths_rate * af
    deaths_industry = deaths_rate * (af - af_without)
    adm_rate = month * hs.admissions_per_100k / 1e5
    rr = log_linear_rr(pm25, hs.admission_rr_per_10, cf)
    rr_without = log_linear_rr(pm25 - industrial, hs.admission_rr_per_10, cf)
    admissions = adm_rate * (1.0 - 1.0 / rr)
    admissions_industry = adm_rate * (1.0 / rr_without - 1.0 / rr)
    diarrhoea = np.where(river_exposed, month * hs.river_water_use_share
                         * hs.diarrhoea_per_person_year
                         * (hs.diarrhoea_rr_polluted_water - 1.0), 0.0)
    return {
        "person_years": month,
        "pm25_person_years": month * pm25,
        "deaths": deaths,
        "deaths_industry": deaths_industry,
        "dalys": deaths * hs.dalys_per_death,
        "admissions": admissions,
        "diarrhoea": diarrhoea,
        "cost_rp_million": (deaths * hs.vsl_rp_million
                            + admissions * hs.admission_cost_rp_million
                            + diarrhoea * hs.diarrhoea_cost_rp_million),
        "cost_industry_rp_million": (deaths_industry * hs.vsl_rp_million
                                     + admissions_industry * hs.admission_cost_rp_million),
    }


class HealthBurden:
    """Accumulates the burden per year and kelurahan over a run."""

    def __init__(self, hs: HealthSection, city: CityMap, start_year: int, n_months: int) -> None:
        self.hs, self.city, self.start_year = hs, city, start_year
        self.n_kel = len(city.kelurahan_names)
        kel = city.kelurahan.ravel().astype(np.int64)  # -1 outside the city: no homes there
        self.kelurahan_of_cell = np.where(kel >= 0, kel, self.n_kel)
        n_years = max(1, -(-n_months // 12))
        self.totals = np.zeros((n_years, self.n_kel, len(OUTCOMES)))
        self.month = {name: 0.0 for name in OUTCOMES}  # city totals of the last month
        self.month_by_kel = np.zeros((self.n_kel, len(OUTCOMES)))  # ... per kelurahan

    def record(self, month: int, home: np.ndarray, persons: np.ndarray, pm25: np.ndarray,
               industrial: np.ndarray, river_exposed: np.ndarray) -> None:
        """Add model month ``month`` (0 = January of the start year). ``home``: households'
        flat cells, ``persons``: their members at city scale; exposures per flat cell (a
        household meets its cell's), so the burden is computed once per lived-in cell."""
        people = np.bincount(home, weights=persons, minlength=self.kelurahan_of_cell.size)
        cells = np.flatnonzero(people)
        burden = monthly_burden(people[cells], pm25[cells], industrial[cells],
                                river_exposed[cells], self.hs)
        kel = self.kelurahan_of_cell[cells]
        year = month // 12
        for j, name in enumerate(OUTCOMES):
            per_kel = np.bincount(kel, weights=burden[name], minlength=self.n_kel)[: self.n_kel]
            self.totals[year, :, j] += per_kel
            self.month_by_kel[:, j] = per_kel
            self.month[name] = float(per_kel.sum())

    def table(self, years: int | None = None) -> pd.DataFrame:
        """Per year and kelurahan: person-years, mean PM2.5 exposure and the burden."""
        n = self.totals.shape[0] if years is None else years
        kec = self.city.kelurahan_to_kecamatan
        rows = []
        for y in range(n):
            for k in range(self.n_kel):
                rows.append({"year": self.start_year + y,
                             "kelurahan": self.city.kelurahan_names[k],
                             "kecamatan": self.city.kecamatan_names[int(kec[k])],
                             **dict(zip(OUTCOMES, self.totals[y, k], strict=True))})
        return _finish(pd.DataFrame(rows))

    def city_table(self, years: int | None = None) -> pd.DataFrame:
        """Per year, the city totals (the sum of the kelurahan rows)."""
        t = self.table(years)
        sums = t.groupby("year", as_index=False)[list(OUTCOMES)].sum()
        return _finish(sums)


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Add the exposure mean and the value in Rp billion."""
    df["pm25_exposure"] = df["pm25_person_years"] / df["person_years"].where(
        df["person_years"] > 0)
    df["cost_rp_billion"] = df["cost_rp_million"] / 1000.0
    df["cost_industry_rp_billion"] = df["cost_industry_rp_million"] / 1000.0
    return df


def cost_benefit_table(city: pd.DataFrame, timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per year: GRDP and jobs (from the monthly indicators) next to the monetised health
    burden, the burden from industry, and both as a share of GRDP."""
    ts = timeseries.assign(year=timeseries["date"].dt.year)
    full = ts.groupby("year").size() == 12
    econ = ts.groupby("year").agg(grdp_rp_billion=("grdp", "sum"),
                                  manufacturing_rp_billion=("manufacturing_output", "sum"),
                                  jobs=("employment_total", "mean"),
                                  manufacturing_jobs=("employment_manufacturing", "mean"))
    econ = econ[full.reindex(econ.index, fill_value=False)]
    cols = ["year", "person_years", "pm25_exposure", "deaths", "deaths_industry", "dalys",
            "admissions", "diarrhoea", "cost_rp_billion", "cost_industry_rp_billion"]
    out = econ.reset_index().merge(city[cols], on="year", how="inner")
    out["cost_share_of_grdp"] = out["cost_rp_billion"] / out["grdp_rp_billion"]
    out["cost_industry_share_of_grdp"] = (out["cost_industry_rp_billion"]
                                          / out["grdp_rp_billion"])
    return out
