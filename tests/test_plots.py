"""The summary panels: seasonal indicators get the trailing 12-month mean drawn over them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.results import plots


def test_seasonal_panels_show_the_12_month_mean(tmp_path, monkeypatch):
    months = 36
    dates = pd.date_range("2025-01-01", periods=months, freq="MS")
    season = np.tile(np.r_[np.full(6, 10.0), np.full(6, 20.0)], 3)  # mean 15 over a year
    df = pd.DataFrame({"date": dates})
    for items in plots.PANELS.values():
        for column, _, _ in items:
            df[column] = season + 0.1 * np.arange(months) if column in plots.SEASONAL \
                else np.linspace(1.0, 2.0, months)
    figures = []
    monkeypatch.setattr(plots.plt, "close", figures.append)
    plots.summary_figure(df, "test", tmp_path / "summary.png")
    assert (tmp_path / "summary.png").stat().st_size > 0
    axes = {ax.get_title().split("\n")[0]: ax for ax in figures[0].axes}
    pm = axes["Mean PM2.5 (ug/m3)"].get_lines()
    assert len(pm) == 2  # the monthly line and its 12-month mean
    yearly = pm[1].get_ydata()
    assert np.isnan(yearly[:11]).all()
    # the mean of months 25-36 removes the season: 15 + 0.1 x mean(24..35)
    assert abs(yearly[-1] - (15 + 0.1 * 29.5)) < 1e-9
    assert len(axes["GRDP (Rp bn/month, 2025 prices)"].get_lines()) == 1  # not seasonal
