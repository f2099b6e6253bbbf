"""What each stylized-fact run measures: end-of-run outcomes and the emergent statistics
(Okun, Beveridge, wage curve, informality over the cycle, firm growth tails and sizes).

Every statistic is computed from one run (one seed); the facts compare their distribution
over paired seeds (:mod:`simulation.results.facts`). Business-cycle statistics use yearly
means after removing each series' linear trend, so they measure co-movement around the
trend, not the trends themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from simulation.economy.sectors import SECTOR_INDEX
from simulation.model import BlitarModel

TOBACCO = SECTOR_INDEX["tobacco"]
GROWTH_MIN_WORKERS = 10  # real workers: firms counted in the growth-rate statistic


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    """OLS slope of y on x (NaN when x has no variation)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.std(x[ok]) == 0:
        return float("nan")
    return float(np.polyfit(x[ok], y[ok], 1)[0])


def _detrend(y: np.ndarray) -> np.ndarray:
    t = np.arange(y.size, dtype=float)
    return y - np.polyval(np.polyfit(t, y, 1), t)


def cycle_statistics(df: pd.DataFrame) -> dict[str, float]:
    """Okun slope (change in unemployment, points, per 1 % GRDP growth; yearly), Beveridge
    slope (vacancy rate on unemployment rate, monthly, detrended), wage-curve elasticity
    (detrended log real formal wage on detrended log unemployment; yearly) and the
    correlation of the detrended informal share with detrended log GRDP (yearly)."""
    y = df.groupby(df["date"].dt.year).mean(numeric_only=True)
    growth = 100.0 * y["grdp"].pct_change().to_numpy()[1:]
    du = 100.0 * np.diff(y["unemployment_rate"].to_numpy())
    m = df.iloc[12:]  # after the first year
    vac_rate = (m["vacancies"] / m["labour_force"]).to_numpy()
    real_wage = np.log(y["mean_wage"] / y["consumer_prices"]).to_numpy()
    log_u = np.log(np.maximum(y["unemployment_rate"].to_numpy(), 1e-6))
    inf = _detrend(y["informal_share"].to_numpy())
    gdp = _detrend(np.log(y["grdp"].to_numpy()))
    corr = float(np.corrcoef(inf, gdp)[0, 1]) if np.std(inf) > 0 and np.std(gdp) > 0 \
        else float("nan")
    return {
        "okun_slope": _slope(growth, du),
        "beveridge_slope": _slope(_detrend(m["unemployment_rate"].to_numpy()),
                                  _detrend(vac_rate)),
        "wage_curve": _slope(_detrend(log_u), _detrend(real_wage)),
        "informal_cycle_corr": corr,
    }


def growth_tails(employment: list[np.ndarray], min_size: float) -> float:
    """Excess kurtosis of firms' yearly log employment growth (firms alive with at least
    ``min_size`` workers in the first year and some in the second), pooled over the years
    given (January snapshots by firm row). Small firms are left out: their integer sizes
    make growth rates discrete (0, log 2, ...), which alone gives a high kurtosis."""
    rates = []
    for before, after in zip(employment[:-1], employment[1:], strict=True):
        n = min(before.size, after.size)
        a, b = before[:n], after[:n]
        ok = (a >= min_size) & (b > 0)
        rates.append(np.log(b[ok] / a[ok]))
    pooled = np.concatenate(rates) if rates else np.zeros(0)
    return float(stats.kurtosis(pooled)) if pooled.size > 10 else float("nan")


def run_and_measure(model: BlitarModel, window_months: int, panel_years: int = 6
                    ) -> dict[str, Any]:
    """Run the model to its end, taking January snapshots of firm employment for the last
    ``panel_years`` years, and return every outcome the facts use."""
    panel: list[np.ndarray] = []
    first_panel_month = model.cfg.n_steps - 12 * panel_years
    while model.running:
        if model.month >= first_panel_month and model.month % 12 == 0:
            f = model.firms
            panel.append(np.where(f.alive, f.workers, 0).astype(float))
        model.step()
    df = model.timeseries()
    tail = df.iloc[-window_months:]
    f = model.firms
    scale = model.cfg.scenario.scale
    sizes = f.workers[f.alive & model.is_mfg].astype(float) * scale
    green_years = df.groupby(df["date"].dt.year)["green_share"].mean().to_numpy()

    def mean(col: str) -> float:
        return float(tail[col].mean())

    return {
        "emissions": mean("emissions_air") + mean("emissions_water"),
        "emissions_air": mean("emissions_air"),
        "mfg_output": mean("manufacturing_output"),
        "grdp": mean("grdp"),
        "mfg_jobs": mean("employment_manufacturing"),
        "formal_jobs": mean("employment_formal"),
        "jobs": mean("employment_total"),
        "tobacco_jobs": float(np.where(f.alive & (f.sector == TOBACCO), f.workers, 0).sum()
                              * scale),
        "unemployment": mean("unemployment_rate"),
        "informal_share": mean("informal_share"),
        "wage": float((tail["mean_wage"] / tail["umk"]).mean()),
        "real_wage": float((tail["mean_wage"] / tail["consumer_prices"]).mean()),
        "exposure": mean("exposure_population_weighted"),
        "river": mean("river_concentration_downstream"),
        "health": mean("mean_health"),
        "green_end": mean("green_share"),
        "green_yearly_increments": np.diff(np.concatenate(([df["green_share"].iloc[0]],
                                                           green_years))),
        "size_skew": float(stats.skew(sizes)) if sizes.size > 2 else float("nan"),
        "mean_over_median": float(sizes.mean() / np.median(sizes)) if sizes.size else 1.0,
        "growth_kurtosis": growth_tails(panel, max(1.0, GROWTH_MIN_WORKERS / scale)),
        **cycle_statistics(df),
    }
