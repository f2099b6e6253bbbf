"""Monthly indicators (design brief section 5), recorded into preallocated arrays.

One row per month, computed from whole-table array expressions (no per-agent reporter
loop). Counts and flows are reported at city scale (agent values x ``scale``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.economy.sectors import SectorArrays
from simulation.model.record_kernels import lorenz_terms, sector_value_added, worker_tally
from simulation.model.state import FORMAL, INFORMAL, UNEMPLOYED
from simulation.policy.regulator import PROGRAMMES

if TYPE_CHECKING:
    from simulation.model import BlitarModel

@dataclass(frozen=True)
class Indicator:
    """One monthly indicator: its column name, unit, pillar and direction.

    ``higher_is_better``: True / False for outcomes a planner wants up / down; None for
    context (population, labour force, the UMK) that is neither. The description shown in
    the browser view is looked up by ``name`` in :mod:`simulation.viz.i18n`.
    """

    name: str
    pillar: str  # economy, environment, social, government, overall, or "-"
    higher_is_better: bool | None
    unit: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("step", "-", None, "month index, 1 = first month"),
    Indicator("grdp", "economy", True,
              "Rp billion per month, constant 2025 prices (value added of all firms)"),
    Indicator("manufacturing_output", "economy", True,
              "Rp billion per month, constant 2025 prices"),
    Indicator("employment_total", "economy", True, "persons employed"),
    Indicator("employment_manufacturing", "economy", True, "persons employed in manufacturing"),
    Indicator("labour_force", "economy", None, "persons"),
    Indicator("unemployment_rate", "economy", False, "share of labour force"),
    Indicator("mean_wage", "economy", True,
              "Rp million per month, nominal, mean over formal employees"),
    Indicator("umk", "economy", None, "Rp million per month, nominal"),
    Indicator("n_firms", "economy", True, "firms (real units)"),
    Indicator("firm_entries", "economy", True, "firms entering this month (real units)"),
    Indicator("firm_exits", "economy", False, "firms closing this month (real units)"),
    Indicator("green_share", "environment", True,
              "share of manufacturers (real units) using green technology"),
    Indicator("emissions_air", "environment", False, "tonnes PM2.5 per month from industry"),
    Indicator("emissions_water", "environment", False, "tonnes BOD per month (after IPAL)"),
    Indicator("mean_air_concentration", "environment", False,
              "ug/m3 PM2.5, mean over the city's cells"),
    Indicator("river_concentration_downstream", "environment", False,
              "mg/L BOD where Kali Lahar leaves the city"),
    Indicator("exposure_population_weighted", "social", False, "ug/m3 PM2.5, mean over residents"),
    Indicator("share_households_above_threshold", "social", False,
              "share of households whose home's PM2.5 over the last 12 months is above "
              "the annual standard, or whose river reach is above the BOD standard this "
              "month"),
    Indicator("mean_health", "social", True, "0-1 index, mean over households"),
    Indicator("income_gini", "social", False, "Gini of household income per person"),
    Indicator("consumption_gini", "social", False,
              "Gini of household spending per person (BPS's Gini ratio method)"),
    Indicator("complaints", "social", False, "complaints lodged this month"),
    Indicator("regulator_revenue", "government", True,
              "Rp million per month (charges, fines, transfer)"),
    Indicator("regulator_spending", "government", False, "Rp million per month (programmes)"),
    Indicator("budget_balance", "government", True, "Rp million, end of month"),
    Indicator("population", "economy", None, "residents"),
    Indicator("households", "economy", None, "households"),
    Indicator("employment_formal", "economy", True, "persons with a formal job"),
    Indicator("employment_informal", "economy", None,
              "persons working informally (own-account, family, household industries)"),
    Indicator("informal_share", "economy", False, "share of the employed working informally"),
    Indicator("vacancies", "economy", None, "formal vacancies posted this month"),
    Indicator("vacancies_unfilled", "economy", None, "vacancies still open at month end"),
    Indicator("firm_formalisations", "economy", True,
              "household industries registering as formal firms this month (real units)"),
    Indicator("household_income", "economy", True,
              "Rp billion per month, nominal (wages, informal earnings, owners' profits, "
              "transfers)"),
    Indicator("household_spending", "economy", True, "Rp billion per month, nominal"),
    Indicator("owners_income", "economy", None,
              "Rp billion per month, nominal: profits paid to owners living in Blitar"),
    Indicator("saving_rate", "economy", None, "share of household income saved"),
    Indicator("consumer_prices", "economy", None, "price of households' spending, start = 1"),
    Indicator("exports", "economy", True, "Rp billion per month, nominal: sales outside Blitar"),
    Indicator("imports", "economy", None,
              "Rp billion per month, nominal: inputs, goods and services bought outside"),
    Indicator("programme_budget", "government", None,
              "Rp million, nominal: this year's programme appropriation"),
    *(Indicator(f"spending_{p}", "government", None, f"Rp million per month: {p}")
      for p in PROGRAMMES),
    Indicator("accounts_residual", "-", None,
              "Rp million per month: change in the city's money minus net inflows (0 = the "
              "accounts close)"),
    Indicator("sustainability_economic", "economy", True,
              "0-1: mean of employment score and real GRDP per capita score"),
    Indicator("sustainability_environmental", "environment", True,
              "0-1: mean of air and river scores against standards"),
    Indicator("sustainability_social", "social", True,
              "0-1: mean of health, 1 - Gini and share below thresholds"),
    Indicator("sustainability_index", "overall", True,
              "0-1: mean of the three pillars (equal weights, illustrative)"),
    # environment and health in standard units (environment_health, issue 15)
    Indicator("emissions_air_other", "environment", False,
              "tonnes PM2.5 per month from traffic, household wood cooking and waste burning"),
    Indicator("pm25_background", "environment", None,
              "ug/m3 PM2.5, regional background this month"),
    Indicator("pm25_industry_population_weighted", "environment", False,
              "ug/m3 PM2.5 from the city's industry, mean over residents"),
    Indicator("industry_share_pm25", "environment", False,
              "share of residents' PM2.5 exposure from the city's industry"),
    Indicator("river_do_min", "environment", True,
              "mg/L dissolved oxygen, lowest along Kali Lahar in the city"),
    Indicator("attributable_deaths", "social", False,
              "deaths this month attributable to PM2.5 (GEMM NCD+LRI)"),
    Indicator("attributable_deaths_industry", "social", False,
              "deaths this month attributable to the city's industrial PM2.5"),
    Indicator("dalys", "social", False, "DALYs this month attributable to PM2.5"),
    Indicator("respiratory_admissions", "social", False,
              "respiratory hospital admissions this month attributable to PM2.5"),
    Indicator("diarrhoea_cases", "social", False,
              "diarrhoea episodes this month attributable to polluted river water"),
    Indicator("health_damage_cost", "social", False,
              "Rp billion this month, 2025 prices: deaths x VSL + cost of illness"),
    Indicator("health_damage_cost_industry", "social", False,
              "Rp billion this month, 2025 prices: the part due to industrial PM2.5"),
)
INDICATOR: dict[str, Indicator] = {i.name: i for i in INDICATORS}
COLUMNS: dict[str, str] = {i.name: i.unit for i in INDICATORS}  # name -> unit (manifests)


def gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted Gini coefficient (weights = persons)."""
    order = np.argsort(values)  # ties do not change the result
    # area under the Lorenz curve by trapezoids (one pass after the sort)
    terms, total_w, total_vw = lorenz_terms(np.asarray(values, dtype=np.float64),
                                            np.asarray(weights, dtype=np.float64), order)
    if total_vw <= 0:
        return 0.0
    return float(1.0 - np.sum(terms) / total_w)


def _clip01(x: float) -> float:
    return float(min(max(x, 0.0), 1.0))


def real_value_added(m: BlitarModel) -> tuple[np.ndarray, np.ndarray]:
    """Real value added (2025 prices, agent scale, Rp million per month) by sector:
    (formal firms, informal producers)."""
    f, eco = m.firms, m.economy
    sa: SectorArrays = eco.sa
    base = eco.markets.base_price
    formal = sector_value_added(f.alive, f.sector, f.real_output, base - sa.intermediate,
                                base.size)
    inf_real = eco.informal_out.get("real_output", np.zeros(base.size))
    return formal, inf_real * (base - sa.intermediate)


def indicators(m: BlitarModel) -> dict[str, float]:
    """The indicators of the model's current state (city scale)."""
    s = m.cfg.scenario.scale
    firms, hh, wk, env, eco = m.firms, m.households, m.workers, m.cfg.environment, m.economy
    fl, reg = eco.flows, m.regulator
    alive = firms.alive
    mfg = alive & m.is_mfg
    sector_mfg = eco.sa.manufacturing
    status, emp_mfg, formal_wages = worker_tally(wk.status, wk.employer, wk.household,
                                                 firms.sector, hh.informal_sector, sector_mfg,
                                                 wk.wage)
    n_formal, n_informal = int(status[FORMAL]), int(status[INFORMAL])
    n_emp = n_formal + n_informal
    va_formal, va_informal = real_value_added(m)
    grdp = (va_formal.sum() + va_informal.sum()) / 1000.0 * s
    members = hh.members.astype(float)
    air_total = m.pollution.background + m.air.data[m.city.inside]  # the city's cells only
    exposure = float(np.average(hh.air, weights=members))
    above = m.above[: hh.n]
    above_share = np.count_nonzero(above) / above.size  # = above.mean(), without a float copy
    gdp_pc = grdp / (members.sum() * s)
    unemployment = float(status[UNEMPLOYED]) / max(wk.n, 1)
    econ = 0.5 * (_clip01(1.0 - unemployment / 0.10) + _clip01(0.5 * gdp_pc / m.gdp_pc0))
    environ = 0.5 * (_clip01(1.0 - float(air_total.mean()) / (2 * env.air_standard))
                     + _clip01(1.0 - m.river_downstream / (2 * env.water_standard_mg_l)))
    g = gini(hh.income / np.maximum(members, 1.0), members)
    g_spend = gini(hh.consumption / np.maximum(members, 1.0), members)
    health = float(hh.health.mean())
    social = (health + (1.0 - g) + (1.0 - above_share)) / 3.0
    _, inf_air, _, _ = eco.informal_emissions
    imports = (fl.imports_households + fl.imports_unserved + fl.imports_inputs
               + fl.imports_informal_inputs + fl.imports_investment + fl.imports_government)
    row = {
        "step": m.month + 1,
        "grdp": grdp,
        "manufacturing_output": (va_formal + va_informal)[sector_mfg].sum() / 1000.0 * s,
        "employment_total": n_emp * s,
        "employment_manufacturing": emp_mfg * s,
        "labour_force": wk.n * s,
        "unemployment_rate": unemployment,
        "mean_wage": float(formal_wages.mean()) if n_formal else 0.0,
        "umk": m.umk,
        "n_firms": float(firms.count_weight[alive].sum()),
        "firm_entries": eco.month.entries,
        "firm_exits": eco.month.exits,
        "green_share": float(firms.count_weight[mfg & firms.green].sum()
                             / max(firms.count_weight[mfg].sum(), 1e-12)),
        "emissions_air": (firms.emission_air[alive].sum() + inf_air.sum()) * s / 1000.0,
        "emissions_water": m.water_load_total * s / 1000.0,
        "mean_air_concentration": float(air_total.mean()),
        "river_concentration_downstream": m.river_downstream,
        "exposure_population_weighted": exposure,
        "share_households_above_threshold": above_share,
        "mean_health": health,
        "income_gini": g,
        "consumption_gini": g_spend,
        "complaints": m.month_complaints * s,
        "regulator_revenue": reg.revenue * s,
        "regulator_spending": reg.spending * s,
        "budget_balance": reg.balance * s,
        "population": members.sum() * s,
        "households": hh.n * s,
        "employment_formal": n_formal * s,
        "employment_informal": n_informal * s,
        "informal_share": n_informal / max(n_emp, 1),
        "vacancies": eco.labour.month.vacancies * s,
        "vacancies_unfilled": eco.labour.month.unfilled * s,
        "firm_formalisations": eco.month.formalised,
        "household_income": fl.household_income / 1000.0 * s,
        "household_spending": fl.household_spending / 1000.0 * s,
        "owners_income": fl.owner_income / 1000.0 * s,
        "saving_rate": fl.household_saving / fl.household_income if fl.household_income
        else 0.0,
        "consumer_prices": eco.consumer_price_index(),
        "exports": fl.exports / 1000.0 * s,
        "imports": imports / 1000.0 * s,
        "programme_budget": reg.appropriated_this_year * s,
        **{f"spending_{p}": reg.spent.get(p, 0.0) * s for p in PROGRAMMES},
        "accounts_residual": eco.check.residual * s,
        "sustainability_economic": econ,
        "sustainability_environmental": environ,
        "sustainability_social": social,
        "sustainability_index": (econ + environ + social) / 3.0,
        **_environment_health(m, members),
    }
    return row


def _environment_health(m: BlitarModel, members: np.ndarray) -> dict[str, float]:
    p, burden = m.pollution, m.health_burden.month
    n = m.exposure.industrial.size  # households exposed this month (new ones join next month)
    industry = float(np.average(m.exposure.industrial, weights=members[:n]))
    total = float(np.average(m.households.air[:n], weights=members[:n]))
    return {
        "emissions_air_other": p.other_emissions_kg / 1000.0,
        "pm25_background": p.background,
        "pm25_industry_population_weighted": industry,
        "industry_share_pm25": industry / max(total, 1e-12),
        "river_do_min": p.do_min_in_city,
        "attributable_deaths": burden["deaths"],
        "attributable_deaths_industry": burden["deaths_industry"],
        "dalys": burden["dalys"],
        "respiratory_admissions": burden["admissions"],
        "diarrhoea_cases": burden["diarrhoea"],
        "health_damage_cost": burden["cost_rp_million"] / 1000.0,
        "health_damage_cost_industry": burden["cost_industry_rp_million"] / 1000.0,
    }


class Recorder:
    """Holds the monthly table as numpy columns; ``frame()`` returns it with dates."""

    def __init__(self, n_steps: int) -> None:
        self.data = {name: np.full(n_steps, np.nan) for name in COLUMNS}
        self.i = 0

    @staticmethod
    def gdp_per_person(m: BlitarModel) -> float:
        """Real GRDP per resident now (Rp billion per person-month), the economic pillar's
        reference."""
        formal, informal = real_value_added(m)
        return float(formal.sum() + informal.sum()) / 1000.0 / float(
            m.households.members.sum())

    def record(self, m: BlitarModel) -> None:
        for name, value in indicators(m).items():
            self.data[name][self.i] = value
        self.i += 1

    def frame(self, start_year: int) -> pd.DataFrame:
        df = pd.DataFrame({k: v[: self.i] for k, v in self.data.items()})
        df.insert(0, "date", pd.date_range(f"{start_year}-01-01", periods=self.i, freq="MS"))
        df["step"] = df["step"].astype(np.int64)
        return df
