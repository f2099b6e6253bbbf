"""End-of-run outcomes: one number per indicator, shared by sweeps, ensembles and
:mod:`simulation.api`.

Each outcome is the mean of the monthly indicator over the last 12 months of the run
(the final year; the whole run if shorter), in the indicator's own unit (see
:data:`simulation.model.indicators.INDICATORS`). Averaging the final year removes the seasonality of
January programmes and half-yearly forums, and smooths month-to-month noise. Besides,
:data:`TOTALS` are sums over the whole run (total emissions of the horizon).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model.indicators import COLUMNS, INDICATORS

FINAL_MONTHS = 12
# run totals: name -> (monthly indicator summed over every month of the run, unit)
TOTALS: dict[str, tuple[str, str]] = {
    "emissions_air_total": ("emissions_air", "tonnes PM-equivalent over the run"),
    "emissions_water_total": ("emissions_water", "tonnes BOD over the run (after IPAL)"),
}
OUTCOMES: dict[str, str] = {
    **{name: f"{unit} (mean of the final {FINAL_MONTHS} months)"
       for name, unit in COLUMNS.items() if name != "step"},
    **{name: unit for name, (_, unit) in TOTALS.items()}}
# outcomes where more is better (from the indicator registry); all others are "less is
# better" in trade-off plots
MAXIMISE = frozenset(i.name for i in INDICATORS if i.higher_is_better)


def summarise(timeseries: pd.DataFrame) -> dict[str, float]:
    """Outcomes of one run from its monthly table (see the module docstring)."""
    tail = timeseries.iloc[-FINAL_MONTHS:]
    return {**{name: float(tail[name].mean()) for name in COLUMNS if name != "step"},
            **{name: float(np.sum(timeseries[col].to_numpy(dtype=float)))
               for name, (col, _) in TOTALS.items()}}
