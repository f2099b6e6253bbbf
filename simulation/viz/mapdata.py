"""What the map component draws: layer images, kecamatan boundaries and agent points.

Layers are small PNG images (one pixel per grid cell, scaled up in the browser) sent as
data URLs; agents are flat integer arrays (positions in tenths of a cell), so one step's
redraw sends tens of kilobytes and the browser draws on a canvas. Everything is drawn from
a :class:`MapState` (copies taken under the session lock), never from the live model.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.image import imsave

from simulation.config import SECTOR_NAMES, EnvironmentSection
from simulation.environment.geography import CityMap
from simulation.model import BlitarModel

LANDUSE_COLORS = np.array([  # residential, commercial, industrial, green, river
    [236, 226, 204], [246, 200, 160], [190, 160, 200], [175, 215, 160], [90, 150, 220],
    [250, 250, 250]], dtype=np.uint8)  # last: outside the city (geo hook)
LANDUSE_NAMES = ("residential", "commercial", "industrial", "green", "river", "outside")
SECTOR_COLORS = ("#e6194b", "#f58231", "#911eb4", "#9a6324", "#4363d8", "#808000", "#7f7f7f")
HOUSEHOLD_COLORS = ("#d62728", "#ff9f1c", "#1f77b4", "#9e9e9e")  # none/some/all/no workers
HOUSEHOLD_KEYS = ("hh.none", "hh.some", "hh.all", "hh.no_workers")
AIR_CMAP, WATER_CMAP = "inferno_r", "viridis_r"


def _png(rgba: np.ndarray) -> str:
    buf = io.BytesIO()
    imsave(buf, rgba, format="png")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@dataclass(frozen=True)
class MapState:
    """What the map draws, copied from a model at one moment (see :meth:`from_model`).

    The model's arrays grow and change while it steps (in Play's thread); the page draws
    from these copies only, so one frame never mixes two months. Take it under the
    session lock (:meth:`simulation.viz.session.Session.step` does)."""

    rows: int
    cols: int
    city: CityMap
    env: EnvironmentSection
    air: np.ndarray          # (rows, cols) industrial PM2.5, ug/m3
    water: np.ndarray        # (rows, cols) river BOD, mg/L (river cells)
    water_cell: np.ndarray   # (rows * cols,) BOD a home in each cell meets
    firm_alive: np.ndarray
    firm_cell: np.ndarray
    firm_sector: np.ndarray
    firm_green: np.ndarray
    firm_workers: np.ndarray
    hh_home: np.ndarray
    hh_members: np.ndarray
    hh_n_workers: np.ndarray
    hh_employed: np.ndarray  # employed workers per household
    sector_mfg: np.ndarray   # per sector index: manufacturing (True) or services

    @classmethod
    def from_model(cls, model: BlitarModel) -> MapState:
        f, hh, wk = model.firms, model.households, model.workers
        return cls(
            rows=model.rows, cols=model.cols, city=model.city, env=model.cfg.environment,
            air=model.air.data.copy(), water=model.water.data.copy(),
            water_cell=np.array(model.water_cell, copy=True),
            firm_alive=f.alive.copy(), firm_cell=f.cell.copy(), firm_sector=f.sector.copy(),
            firm_green=f.green.copy(), firm_workers=f.workers.copy(),
            hh_home=hh.home.copy(), hh_members=hh.members.copy(),
            hh_n_workers=hh.n_workers.copy(),
            hh_employed=np.bincount(wk.household[wk.employer >= 0], minlength=hh.n),
            sector_mfg=np.array([sec.manufacturing for _, sec in model.cfg.sectors.items()]))

    @property
    def n_households(self) -> int:
        return len(self.hh_home)


def as_map_state(src: MapState | BlitarModel) -> MapState:
    """``src`` itself, or a copy of a model's map state (for scripts without a session)."""
    return src if isinstance(src, MapState) else MapState.from_model(src)


def _landuse_rgb(state: MapState, fade: float = 0.0) -> np.ndarray:
    rgb = LANDUSE_COLORS[state.city.landuse].astype(float)
    return rgb * (1 - fade) + 255 * fade


def colour_range(src: MapState | BlitarModel | EnvironmentSection,
                 layer: str) -> tuple[float, float]:
    """Fixed colour scale per layer, so colours stay comparable over a run."""
    env = src if isinstance(src, EnvironmentSection) else (
        src.env if isinstance(src, MapState) else src.cfg.environment)
    if layer == "air":
        return env.air_background, 2.0 * env.air_standard
    return 0.0, 3.0 * env.water_standard_mg_l


def layer_image(src: MapState | BlitarModel, layer: str) -> str:
    """The base layer as a PNG data URL: "air", "water" or "landuse"."""
    st = as_map_state(src)
    if layer == "landuse":
        rgb = _landuse_rgb(st)
        return _png(np.dstack([rgb, np.full(rgb.shape[:2], 255.0)]).astype(np.uint8))
    lo, hi = colour_range(st, layer)
    on_river = st.city.landuse == 4
    if layer == "air":
        values = st.air + st.env.air_background
        rgba = colormaps[AIR_CMAP](np.clip((values - lo) / (hi - lo), 0, 1)) * 255
        rgba[on_river, :3] = rgba[on_river, :3] * 0.6 + np.array([90, 150, 220]) * 0.4
        return _png(rgba.astype(np.uint8))
    # water: faded land use, river-bank exposure zone light, river cells in full colour
    rgb = _landuse_rgb(st, fade=0.6)
    near = st.water_cell.reshape(st.rows, st.cols)
    norm = colormaps[WATER_CMAP](np.clip((near - lo) / (hi - lo), 0, 1))[..., :3] * 255
    zone = near > 0
    rgb[zone] = rgb[zone] * 0.55 + norm[zone] * 0.45
    rgb[on_river] = colormaps[WATER_CMAP](
        np.clip((st.water[on_river] - lo) / (hi - lo), 0, 1))[:, :3] * 255
    return _png(np.dstack([rgb, np.full(rgb.shape[:2], 255.0)]).astype(np.uint8))


def legend_gradient(layer: str) -> list[str]:
    """CSS colours (low to high) of a layer's colour scale."""
    cmap = colormaps[AIR_CMAP if layer == "air" else WATER_CMAP]
    return [hex_colour(np.asarray(cmap(x)[:3]) * 255) for x in np.linspace(0, 1, 6)]


def hex_colour(rgb: np.ndarray) -> str:
    """``#rrggbb`` of an RGB triple in 0-255."""
    return "#" + "".join(f"{int(c):02x}" for c in rgb)


def _rings(rings: list[np.ndarray]) -> list[list[float]]:
    """Rings (n, 2) of grid coordinates as flat [x0, y0, x1, y1, ...] lists."""
    return [np.round(np.asarray(r, dtype=float), 2).ravel().tolist() for r in rings]


def _grid_labels(grid: np.ndarray, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each area's name at its cell nearest the area's centre (inside the area even when
    the shape is not convex); x, y in grid coordinates (cell units from the north-west)."""
    out = []
    for i, name in enumerate(names):
        r, c = np.nonzero(grid == i)
        if not r.size:
            continue
        k = int(np.argmin((r - r.mean()) ** 2 + (c - c.mean()) ** 2))
        out.append({"name": name, "x": float(c[k]) + 0.5, "y": float(r[k]) + 0.5})
    return out


def kecamatan_labels(src: MapState | BlitarModel) -> list[dict[str, Any]]:
    """Name and label point (grid x, y) of each kecamatan."""
    return _grid_labels(src.city.kecamatan, src.city.kecamatan_names)


def geometry(src: MapState | BlitarModel) -> dict[str, Any]:
    """What the map draws of the city itself, read from the loaded :class:`CityMap` (any
    city): kelurahan, kecamatan and city outlines (real polygons where the map has them),
    name positions, the river's course and name, the cell size (scale bar) and whether the
    map is illustrative. Coordinates are grid units, x east and y south from the
    north-west corner."""
    city = src.city
    key = (city.path, city.name, city.rows, city.cols)
    if key not in _GEOMETRY:
        course = np.asarray(city.river_course, dtype=float)
        mid = course[len(course) * 2 // 5] if len(course) else None
        _GEOMETRY[key] = {
            "rows": city.rows, "cols": city.cols, "cell_m": float(city.cell_size_m),
            "outline": _rings(city.city_outline),
            "kecamatan": _rings([r for rings in city.kecamatan_outlines.values()
                                 for r in rings]),
            "kelurahan": _rings([r for rings in city.kelurahan_outlines.values()
                                 for r in rings]),
            "kecamatan_labels": kecamatan_labels(src),
            "kelurahan_labels": [{"name": n, "x": float(x), "y": float(y)}
                                 for n, (x, y) in city.label_points.items()],
            "river": np.round(course, 2).ravel().tolist(),
            "river_name": city.river_name,
            "river_label": None if mid is None else {"x": float(mid[0]), "y": float(mid[1])},
            "illustrative": bool(city.illustrative),
            "illustrative_reason": city.illustrative_reason,
        }
    return _GEOMETRY[key]


_GEOMETRY: dict[tuple[Any, ...], dict[str, Any]] = {}
HOUSEHOLDS_SHOWN = 6000  # at most this many household dots (1 in k above it)


def household_step(n: int) -> int:
    """Draw 1 in every ``k`` households so at most :data:`HOUSEHOLDS_SHOWN` dots show."""
    return max(1, -(-n // HOUSEHOLDS_SHOWN))


def _jitter(rows: np.ndarray, salt: float) -> np.ndarray:
    """A stable offset in [1, 9] tenths of a cell, so agents sharing a cell stay apart."""
    return (1 + ((rows * 0.6180339887 + salt) % 1.0) * 8).astype(np.int64)


def firm_points(src: MapState | BlitarModel, kind: str = "all") -> list[int]:
    """Alive firms as flat [x, y, sector, green, row] (x, y in tenths of a cell);
    ``kind``: "manufacturing", "services" or "all"."""
    st = as_map_state(src)
    alive = st.firm_alive.copy()
    if kind != "all":
        mfg = st.sector_mfg[st.firm_sector]
        alive &= mfg if kind == "manufacturing" else ~mfg
    rows = np.flatnonzero(alive)
    cell = st.firm_cell[rows]
    x = (cell % st.cols) * 10 + _jitter(rows, 0.1)
    y = (cell // st.cols) * 10 + _jitter(rows, 0.7)
    out = np.column_stack([x, y, st.firm_sector[rows], st.firm_green[rows].astype(np.int64),
                           rows]).astype(np.int64)
    return out.ravel().tolist()


def household_points(src: MapState | BlitarModel) -> list[int]:
    """Households as flat [x, y, category, row, members, employed]; category 0 nobody
    employed, 1 some, 2 all workers employed, 3 no labour force. Above
    :data:`HOUSEHOLDS_SHOWN` households, 1 in every :func:`household_step` is given."""
    st = as_map_state(src)
    employed = st.hh_employed
    n_workers = st.hh_n_workers.astype(np.int64)
    cat = np.where(n_workers == 0, 3, np.where(employed == 0, 0,
                                               np.where(employed < n_workers, 1, 2)))
    rows = np.arange(0, st.n_households, household_step(st.n_households))
    home = st.hh_home[rows]
    x = (home % st.cols) * 10 + _jitter(rows, 0.4)
    y = (home // st.cols) * 10 + _jitter(rows, 0.9)
    out = np.column_stack([x, y, cat[rows], rows, st.hh_members[rows],
                           employed[rows]]).astype(np.int64)
    return out.ravel().tolist()


def sector_names() -> tuple[str, ...]:
    return SECTOR_NAMES


def agent_xy(src: MapState | BlitarModel, kind: str, row: int) -> dict[str, int] | None:
    """Where :func:`firm_points` / :func:`household_points` draw an agent (tenths of a cell)."""
    st = as_map_state(src)
    rows = np.array([row])
    if kind == "firm":
        if not (0 <= row < len(st.firm_alive) and st.firm_alive[row]):
            return None
        cell, salts = int(st.firm_cell[row]), (0.1, 0.7)
    else:
        if not 0 <= row < st.n_households:
            return None
        cell, salts = int(st.hh_home[row]), (0.4, 0.9)
    return {"x": int((cell % st.cols) * 10 + _jitter(rows, salts[0])[0]),
            "y": int((cell // st.cols) * 10 + _jitter(rows, salts[1])[0])}
