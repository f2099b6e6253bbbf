"""Figures of a run: the summary (economy, environment, social panels) and end-of-run maps."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from simulation.environment.geography import CityMap  # noqa: E402

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


# indicators with a strong monsoon cycle: their panels add the trailing 12-month mean of
# the central line, so a trend is not hidden by the seasons
SEASONAL = {"mean_air_concentration", "river_concentration_downstream", "mean_health",
            "share_households_above_threshold"}


def _panel_grid(title: str, path: Path, draw, legend: bool = False,
                title_size: float = 12) -> None:
    """The 3 x 3 summary grid (one row per pillar of :data:`PANELS`): ``draw(ax, column,
    factor, colour)`` fills each panel and returns its central line (dates, values); titles,
    pillar labels, ticks, the 12-month mean of seasonal indicators, the figure title and
    the file are the same for a run, an ensemble and a comparison."""
    fig, axes = plt.subplots(3, 3, figsize=(13, 9.5), sharex=True)
    for row, (pillar, items) in enumerate(PANELS.items()):
        for col, (column, label, factor) in enumerate(items):
            ax = axes[row, col]
            dates, central = draw(ax, column, factor, f"C{row}")
            if column in SEASONAL:
                yearly = pd.Series(np.asarray(central, dtype=float)).rolling(12).mean()
                ax.plot(dates, yearly.to_numpy(), color="black", lw=1.2)
                label += "\n(black: mean of the last 12 months)"
            ax.set_title(label, fontsize=10 if "\n" not in label else 9)
            ax.grid(alpha=0.3)
            if col == 0:
                ax.set_ylabel(pillar, fontsize=12, fontweight="bold")
    if legend:
        axes[0, 0].legend(fontsize=8, loc="best")
    for ax in axes[-1]:
        ax.tick_params(axis="x", rotation=30)
    # long titles (a run folder's name) are wrapped, not cut at the figure's edge
    fig.suptitle("\n".join(textwrap.fill(line, 120) for line in title.split("\n")),
                 fontsize=title_size)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _member_values(members: list[pd.DataFrame], column: str, factor: float) -> np.ndarray:
    """One row per seed: ``column`` of each member's monthly table, times ``factor``."""
    return np.stack([m[column].to_numpy(dtype=float) for m in members]) * factor


def summary_figure(df: pd.DataFrame, title: str, path: Path) -> None:
    """3 x 3 panels of the monthly indicators, one row per pillar."""
    def draw(ax: Axes, column: str, factor: float, colour: str) -> tuple:
        values = df[column] * factor
        ax.plot(df["date"], values, color=colour, lw=1.4)
        return df["date"], values

    _panel_grid(title, path, draw)


def band_figure(stacked: pd.DataFrame, title: str, path: Path) -> None:
    """The summary panels of an ensemble: every member (thin), the mean over seeds (line)
    and the 5-95 % band over seeds (shaded), from a stacked table (``seed`` column)."""
    from simulation.results import stats
    from simulation.results.ensemble import unstack

    seeds, members = unstack(stacked)
    dates = members[0]["date"]

    def draw(ax: Axes, column: str, factor: float, colour: str) -> tuple:
        values = _member_values(members, column, factor)
        b = stats.band(values)
        for v in values:
            ax.plot(dates, v, color=colour, lw=0.4, alpha=0.25)
        ax.fill_between(dates, b.low, b.high, color=colour, alpha=0.25, lw=0,
                        label="5-95 % of seeds")
        ax.plot(dates, b.mean, color=colour, lw=1.6, label="mean")
        return dates, b.mean

    _panel_grid(f"{title}\n{len(seeds)} seeds: mean (line), 5-95 % band over seeds "
                "(shaded), each seed (thin)", path, draw, legend=True, title_size=11)


VERDICT_COLOURS = {"distinguishable": "#c0392b", "within_noise": "#7f8c8d",
                   "identical": "#2c3e50", "undetermined": "#bdc3c7"}
VERDICT_LABELS = {"distinguishable": "distinguishable from noise",
                  "within_noise": "within noise", "identical": "identical in every seed",
                  "undetermined": "undetermined (< 2 seeds)"}


def difference_figure(diff: pd.DataFrame, title: str, path: Path) -> None:
    """Paired differences B - A of the end-of-run outcomes, as % of A's mean, with their
    95 % intervals, coloured by verdict (``diff``: the compare table)."""
    from matplotlib.patches import Patch

    # the accounts' residual is a rounding check, not an outcome (its "change" is noise
    # around 1e-10); outcomes that are 0 in A have no relative difference
    d = diff[(diff["outcome"] != "accounts_residual") & (diff["mean_a"] != 0)]
    d = d.iloc[::-1].reset_index(drop=True)
    with np.errstate(all="ignore"):
        base = d["mean_a"].abs().where(d["mean_a"].abs() > 0)
        mid, lo, hi = (100 * d[c] / base for c in ("difference", "ci_low", "ci_high"))
    colours = [VERDICT_COLOURS[v] for v in d["verdict"]]
    fig, ax = plt.subplots(figsize=(9.5, 0.24 * len(d) + 1.8))
    y = np.arange(len(d))
    ax.hlines(y, lo, hi, colors=colours, lw=2.2)
    ax.scatter(mid, y, c=colours, s=18, zorder=3)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xscale("symlog", linthresh=1.0)  # linear within +-1 %, logarithmic beyond
    ax.margins(x=0.05)
    ax.set_yticks(y, d["outcome"], fontsize=7)
    ax.set_xlabel("difference B - A, % of A's mean (95 % interval over paired seeds; "
                  "linear within +-1 %, logarithmic beyond)")
    ax.set_ylim(-0.7, len(d) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    seen = list(dict.fromkeys(d["verdict"]))
    ax.legend([Patch(color=VERDICT_COLOURS[v]) for v in seen],
              [VERDICT_LABELS[v] for v in seen], fontsize=8, loc="lower right")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def difference_panels(a: pd.DataFrame, b: pd.DataFrame, title: str, path: Path) -> None:
    """The summary panels as monthly paired differences B - A: the mean difference over
    seeds (line) and its 95 % t-interval (shaded); ``a``, ``b`` stacked tables on the same
    seeds in the same order."""
    from simulation.results import stats
    from simulation.results.ensemble import unstack

    _, ma = unstack(a)
    _, mb = unstack(b)
    dates = ma[0]["date"]

    def draw(ax: Axes, column: str, factor: float, colour: str) -> tuple:
        d = stats.paired_difference(_member_values(mb, column, factor),
                                    _member_values(ma, column, factor))
        ax.fill_between(dates, d.low, d.high, color=colour, alpha=0.3, lw=0,
                        label="95 % interval")
        ax.plot(dates, d.mean, color=colour, lw=1.5, label="mean B - A")
        ax.axhline(0, color="black", lw=0.7)
        return dates, d.mean

    _panel_grid(title, path, draw, legend=True, title_size=11)


LANDUSE_COLOURS = ["#f2e6c9", "#d9534f", "#6f42c1", "#8fc96b", "#1f77d4", "#ffffff"]
LANDUSE_LABELS = ["residential", "commercial", "industrial", "green / rice fields", "river",
                  "outside the city"]


def _extent(city: CityMap) -> tuple[float, float, float, float]:
    return (0.0, float(city.cols), float(city.rows), 0.0)  # grid coordinates, row 0 on top


def draw_outlines(ax: Axes, city: CityMap) -> None:
    """Kelurahan borders (thin), kecamatan borders and the city outline (thick)."""
    from matplotlib.collections import LineCollection

    layers = ((city.kelurahan_outlines, 0.5, "#555555"), (city.kecamatan_outlines, 1.3, "#222222"),
              ({"city": city.city_outline}, 2.0, "black"))
    for rings_by_name, lw, colour in layers:
        rings = [r for rings in rings_by_name.values() for r in rings]
        ax.add_collection(LineCollection(rings, linewidths=lw, colors=colour, zorder=3))


def draw_labels(ax: Axes, city: CityMap, fontsize: float = 6.5) -> None:
    """Kelurahan names at a point well inside each, with a white halo."""
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=2.0, foreground="white", alpha=0.85)]
    for name, (x, y) in city.label_points.items():
        ax.text(x, y, name, ha="center", va="center", fontsize=fontsize, zorder=5,
                path_effects=halo)


def draw_places(ax: Axes, city: CityMap, fontsize: float = 6.0) -> None:
    """Named places (alun-alun, clusters, Krantil) as small markers with italic names."""
    import matplotlib.patheffects as pe

    halo = [pe.withStroke(linewidth=1.8, foreground="white", alpha=0.85)]
    seen: set[tuple[float, float]] = set()
    for name, (x, y) in city.place_points().items():
        if (x, y) in seen:  # e.g. the commercial core around the alun-alun: one label
            continue
        seen.add((x, y))
        ax.plot(x, y, marker="o", ms=3.0, mfc="black", mec="white", mew=0.6, zorder=6)
        ax.annotate(name, (x, y), xytext=(3, -3), textcoords="offset points", fontsize=fontsize,
                    style="italic", color="#202020", zorder=6, path_effects=halo)


def decorate(ax: Axes, city: CityMap) -> None:
    """Lon/lat ticks, a 1 km scale bar and a north arrow on a grid-coordinate map."""
    ax.set_xlim(0, city.cols)
    ax.set_ylim(city.rows, 0)
    ax.set_aspect("equal")
    if city.georef is not None:
        mid_x, mid_y = city.cols / 2.0, city.rows / 2.0
        lon0, lat0 = city.georef.lonlat_from_grid(mid_x, mid_y)
        (lon_a, lon_b), _ = city.georef.lonlat_from_grid(np.array([0, city.cols]), mid_y)
        _, (lat_a, lat_b) = city.georef.lonlat_from_grid(mid_x, np.array([0, city.rows]))
        step = 0.02
        lons = np.arange(np.ceil(lon_a / step) * step, lon_b, step)
        lats = np.arange(np.ceil(lat_b / step) * step, lat_a, step)
        gx, _ = city.georef.grid_from_lonlat(lons, np.full(lons.size, lat0))
        _, gy = city.georef.grid_from_lonlat(np.full(lats.size, lon0), lats)
        ax.set_xticks(gx, [f"{v:.2f}°E" for v in lons], fontsize=7)
        ax.set_yticks(gy, [f"{-v:.2f}°S" for v in lats], fontsize=7)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    km = 1000.0 / city.cell_size_m
    x0, y0 = 0.04 * city.cols, 0.95 * city.rows
    ax.plot([x0, x0 + km], [y0, y0], color="black", lw=3, solid_capstyle="butt", zorder=7)
    ax.text(x0 + km / 2, y0 - 0.015 * city.rows, "1 km", ha="center", va="bottom", fontsize=7,
            zorder=7)
    ax.annotate("", xy=(0.06, 0.95), xytext=(0.06, 0.86), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5}, zorder=7)
    ax.text(0.06, 0.84, "N", transform=ax.transAxes, ha="center", va="top", fontsize=10,
            fontweight="bold", zorder=7)


def draw_city(ax: Axes, city: CityMap, landuse: bool = True, labels: bool = True) -> None:
    """The city map: land use (optional), river, outlines, names, scale bar, north arrow."""
    from matplotlib.colors import ListedColormap

    if landuse:
        ax.imshow(city.landuse, cmap=ListedColormap(LANDUSE_COLOURS), vmin=-0.5, vmax=5.5,
                  interpolation="none", extent=_extent(city))
        handles = [plt.Rectangle((0, 0), 1, 1, fc=c, ec="#999999", lw=0.5)
                   for c in LANDUSE_COLOURS]
        ax.legend(handles, LANDUSE_LABELS, loc="lower right", fontsize=7, framealpha=0.9)
    course = city.river_course
    ax.plot(course[:, 0], course[:, 1], color="#1f77d4", lw=1.2, zorder=4)
    draw_outlines(ax, city)
    if labels:
        draw_labels(ax, city)
        draw_places(ax, city)
    decorate(ax, city)


def maps_figure(maps: dict[str, np.ndarray], landuse: np.ndarray, river_cells: np.ndarray,
                title: str, path: Path, city: CityMap | None = None) -> None:
    """End-of-run maps: PM2.5, river BOD over land use, residents' exposure. With ``city``
    (a georeferenced map) each panel shows the real outline, kelurahan borders and names,
    lon/lat ticks, a scale bar and a north arrow."""
    if city is None or city.georef is None:
        _plain_maps_figure(maps, landuse, river_cells, title, path)
        return
    from matplotlib.colors import ListedColormap

    fig, axes = plt.subplots(1, 3, figsize=(21, 8.6))
    ext = _extent(city)
    im = axes[0].imshow(maps["air"], cmap="magma_r", extent=ext, interpolation="none")
    axes[0].set_title("PM2.5 (ug/m3, incl. background); air crosses the city boundary")
    fig.colorbar(im, ax=axes[0], shrink=0.7)
    axes[1].imshow(landuse, cmap=ListedColormap(LANDUSE_COLOURS), vmin=-0.5, vmax=5.5,
                   alpha=0.45, extent=ext, interpolation="none")
    rows, cols = np.divmod(river_cells, landuse.shape[1])
    sc = axes[1].scatter(cols + 0.5, rows + 0.5, c=maps["water"].ravel()[river_cells],
                         cmap="viridis_r", s=10, marker="s", zorder=4)
    axes[1].set_title(f"{city.river_name or 'River'} BOD (mg/L) over land use")
    fig.colorbar(sc, ax=axes[1], shrink=0.7)
    exposure = np.ma.masked_invalid(maps["exposure"])
    im = axes[2].imshow(exposure, cmap="magma_r", extent=ext, interpolation="none",
                        vmin=float(np.nanmin(maps["air"])))
    axes[2].set_title("Residents' mean PM2.5 exposure at home (ug/m3)")
    fig.colorbar(im, ax=axes[2], shrink=0.7)
    for ax in axes:
        draw_outlines(ax, city)
        draw_labels(ax, city, fontsize=6.0)
        decorate(ax, city)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plain_maps_figure(maps: dict[str, np.ndarray], landuse: np.ndarray,
                       river_cells: np.ndarray, title: str, path: Path) -> None:
    """Maps of a grid without a georeference (no outlines, no coordinates)."""
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
