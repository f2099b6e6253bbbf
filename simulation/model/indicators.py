"""Monthly indicators (design brief section 5), recorded into preallocated arrays.

One row per month, computed from whole-table array expressions (no per-agent reporter
loop). Counts and flows are reported at city scale (agent values x ``scale``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

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
    Indicator("mean_wage", "economy", True, "Rp million per month, nominal, mean over employed"),
    Indicator("umk", "economy", None, "Rp million per month, nominal"),
    Indicator("n_firms", "economy", True, "firms (real units)"),
    Indicator("firm_entries", "economy", True, "firms entering this month (real units)"),
    Indicator("firm_exits", "economy", False, "firms closing this month (real units)"),
    Indicator("green_share", "environment", True,
              "share of manufacturers (real units) using green technology"),
    Indicator("emissions_air", "environment", False, "tonnes PM-equivalent per month"),
    Indicator("emissions_water", "environment", False, "tonnes BOD per month (after IPAL)"),
    Indicator("mean_air_concentration", "environment", False,
              "ug/m3 PM2.5, mean over the city's cells"),
    Indicator("river_concentration_downstream", "environment", False,
              "mg/L BOD where Kali Lahar leaves the city"),
    Indicator("exposure_population_weighted", "social", False, "ug/m3 PM2.5, mean over residents"),
    Indicator("share_households_above_threshold", "social", False,
              "share of households above the air or water standard"),
    Indicator("mean_health", "social", True, "0-1 index, mean over households"),
    Indicator("income_gini", "social", False, "Gini of household income per person"),
    Indicator("complaints", "social", False, "complaints lodged this month"),
    Indicator("regulator_revenue", "government", True,
              "Rp million per month (charges, fines, transfer)"),
    Indicator("regulator_spending", "government", False, "Rp million per month (programmes)"),
    Indicator("budget_balance", "government", True, "Rp million, end of month"),
    Indicator("population", "economy", None, "residents"),
    Indicator("households", "economy", None, "households"),
    Indicator("sustainability_economic", "economy", True,
              "0-1: mean of employment score and real GRDP per capita score"),
    Indicator("sustainability_environmental", "environment", True,
              "0-1: mean of air and river scores against standards"),
    Indicator("sustainability_social", "social", True,
              "0-1: mean of health, 1 - Gini and share below thresholds"),
    Indicator("sustainability_index", "overall", True,
              "0-1: mean of the three pillars (equal weights, illustrative)"),
)
INDICATOR: dict[str, Indicator] = {i.name: i for i in INDICATORS}
COLUMNS: dict[str, str] = {i.name: i.unit for i in INDICATORS}  # name -> unit (manifests)


def gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted Gini coefficient (weights = persons)."""
    order = np.argsort(values)  # ties do not change the result
    v, w = values[order], weights[order]
    cw = np.cumsum(w)
    cvw = np.cumsum(v * w)
    total_w, total_vw = cw[-1], cvw[-1]
    if total_vw <= 0:
        return 0.0
    # area under the Lorenz curve by trapezoids
    lorenz = cvw / total_vw
    prev = np.concatenate(([0.0], lorenz[:-1]))
    return float(1.0 - np.sum(w * (lorenz + prev)) / total_w)


def _clip01(x: float) -> float:
    return float(min(max(x, 0.0), 1.0))


def indicators(m: BlitarModel) -> dict[str, float]:
    """The indicators of the model's current state (city scale)."""
    s = m.cfg.scenario.scale
    firms, hh, wk, env = m.firms, m.households, m.workers, m.cfg.environment
    alive = firms.alive
    mfg = alive & m.is_mfg
    employed = wk.employer >= 0
    n_emp = int(employed.sum())
    emp_mfg = int(m.is_mfg[wk.employer[employed]].sum())
    price = m.price_level
    grdp = firms.output[alive].sum() / price / 1000.0 * s
    members = hh.members.astype(float)
    air_total = env.air_background + m.air.data[m.city.inside]  # the city's cells only
    exposure = float(np.average(hh.air, weights=members))
    above_share = float(m.above[: hh.n].mean())
    gdp_pc = grdp / (members.sum() * s)
    unemployment = 1.0 - n_emp / max(wk.n, 1)
    econ = 0.5 * (_clip01(1.0 - unemployment / 0.10) + _clip01(0.5 * gdp_pc / m.gdp_pc0))
    environ = 0.5 * (_clip01(1.0 - float(air_total.mean()) / (2 * env.air_standard))
                     + _clip01(1.0 - m.river_downstream / (2 * env.water_standard_mg_l)))
    g = gini(hh.income / np.maximum(members, 1.0), members)
    social = (float(hh.health.mean()) + (1.0 - g) + (1.0 - above_share)) / 3.0
    row = {
        "step": m.month + 1,
        "grdp": grdp,
        "manufacturing_output": firms.output[mfg].sum() / price / 1000.0 * s,
        "employment_total": n_emp * s,
        "employment_manufacturing": emp_mfg * s,
        "labour_force": wk.n * s,
        "unemployment_rate": unemployment,
        "mean_wage": float(wk.wage[employed].mean()) if n_emp else 0.0,
        "umk": m.umk,
        "n_firms": float(firms.count_weight[alive].sum()),
        "firm_entries": m.month_entries,
        "firm_exits": m.month_exits,
        "green_share": float(firms.count_weight[mfg & firms.green].sum()
                             / max(firms.count_weight[mfg].sum(), 1e-12)),
        "emissions_air": firms.emission_air[alive].sum() * s / 1000.0,
        "emissions_water": m.water_load_total * s / 1000.0,
        "mean_air_concentration": float(air_total.mean()),
        "river_concentration_downstream": m.river_downstream,
        "exposure_population_weighted": exposure,
        "share_households_above_threshold": above_share,
        "mean_health": float(hh.health.mean()),
        "income_gini": g,
        "complaints": m.month_complaints * s,
        "regulator_revenue": m.regulator.revenue,
        "regulator_spending": m.regulator.spending,
        "budget_balance": m.regulator.balance,
        "population": members.sum() * s,
        "households": hh.n * s,
        "sustainability_economic": econ,
        "sustainability_environmental": environ,
        "sustainability_social": social,
        "sustainability_index": (econ + environ + social) / 3.0,
    }
    return row


class Recorder:
    """Holds the monthly table as numpy columns; ``frame()`` returns it with dates."""

    def __init__(self, n_steps: int) -> None:
        self.data = {name: np.full(n_steps, np.nan) for name in COLUMNS}
        self.i = 0

    def record(self, m: BlitarModel) -> None:
        for name, value in indicators(m).items():
            self.data[name][self.i] = value
        self.i += 1

    def frame(self, start_year: int) -> pd.DataFrame:
        df = pd.DataFrame({k: v[: self.i] for k, v in self.data.items()})
        df.insert(0, "date", pd.date_range(f"{start_year}-01-01", periods=self.i, freq="MS"))
        df["step"] = df["step"].astype(np.int64)
        return df
