"""Figures of a run: the summary (economy, environment, social panels) and end-of-run maps."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PANELS = {
    "Economy": [
        ("grdp", "GRDP (Rp bn/month, 2025 prices)", 1.0),
        ("employment_total", "Employment (thousand)", 1e-3),
        ("unemployment_rate", "Open unemployment (%)", 100.0),
    ],
    "Environment": [
        ("emissions_air", "Air emissions (t/month)", 1.0),
        ("mean_air_concentration", "Mean PM2.5 (ug/m3)", 1.0),
        ("river_concentration_downstream", "Kali Lahar BOD downstream (mg/L)", 1.0),
    ],
    "Social": [
        ("mean_health", "Mean health (0-1)", 1.0),
        ("share_households_above_threshold", "Households above a standard (%)", 100.0),
        ("income_gini", "Income Gini", 1.0),
    ],
}


def summary_figure(df: pd.DataFrame, title: str, path: Path) -> None:
    """3 x 3 panels of the monthly indicators, one row per pillar."""
    fig, axes = plt.subplots(3, 3, figsize=(13, 9.5), sharex=True)
    for row, (pillar, items) in enumerate(PANELS.items()):
        for col, (column, label, factor) in enumerate(items):
            ax = axes[row, col]
            ax.plot(df["date"], df[column] * factor, color=f"C{row}", lw=1.4)
            ax.set_title(label, fontsize=10)
            ax.grid(alpha=0.3)
            if col == 0:
                ax.set_ylabel(pillar, fontsize=12, fontweight="bold")
    for ax in axes[-1]:
        ax.tick_params(axis="x", rotation=30)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def maps_figure(maps: dict[str, np.ndarray], landuse: np.ndarray, river_cells: np.ndarray,
                title: str, path: Path) -> None:
    """End-of-run maps: PM2.5, river BOD over land use, residents' exposure."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 5))
    im = axes[0].imshow(maps["air"], cmap="magma_r")
    axes[0].set_title("PM2.5 (ug/m3, incl. background)")
    fig.colorbar(im, ax=axes[0], shrink=0.8)
    axes[1].imshow(landuse, cmap="Pastel1", alpha=0.6)
    rows, cols = np.divmod(river_cells, landuse.shape[1])
    sc = axes[1].scatter(cols, rows, c=maps["water"].ravel()[river_cells], cmap="viridis_r",
                         s=14, marker="s")
    axes[1].set_title("Kali Lahar BOD (mg/L) over land use")
    fig.colorbar(sc, ax=axes[1], shrink=0.8)
    im = axes[2].imshow(maps["exposure"], cmap="magma_r")
    axes[2].set_title("Residents' mean PM2.5 exposure (ug/m3)")
    fig.colorbar(im, ax=axes[2], shrink=0.8)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
