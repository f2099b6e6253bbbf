"""What the map component draws: layer images, kecamatan boundaries and agent points.

Layers are small PNG images (one pixel per grid cell, scaled up in the browser) sent as
data URLs; agents are flat integer arrays (positions in tenths of a cell), so one step's
redraw sends tens of kilobytes and the browser draws on a canvas. Everything is drawn from
a :class:`MapState` (copies taken under the session lock), never from the live model.
"""

from __future__ import annotations

import base64
import functools
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colormaps
from PIL import Image

from simulation.config import SECTOR_NAMES, EnvironmentSection
from simulation.environment.geography import CityMap
from simulation.model import BlitarModel
from simulation.viz.i18n import place_name

LANDUSE_COLORS = np.array([  # residential, commercial, industrial, green, river
    [236, 226, 204], [246, 200, 160], [190, 160, 200], [175, 215, 160], [90, 150, 220],
    [250, 250, 250]], dtype=np.uint8)  # last: outside the city (geo hook)
LANDUSE_NAMES = ("residential", "commercial", "industrial", "green", "river", "outside")
SECTOR_COLORS = ("#e6194b", "#f58231", "#911eb4", "#9a6324", "#4363d8", "#808000", "#7f7f7f")
HOUSEHOLD_COLORS = ("#d62728", "#ff9f1c", "#1f77b4", "#9e9e9e")  # none/some/all/no workers
HOUSEHOLD_KEYS = ("hh.none", "hh.some", "hh.all", "hh.no_workers")
AIR_CMAP, WATER_CMAP = "inferno_r", "viridis_r"


def _data_url(img: Image.Image) -> str:
    buf = io.BytesIO()
    img.save(buf, format="png", compress_level=1)  # fast; the images are small anyway
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _png(rgb: np.ndarray) -> str:
    """A PNG data URL of an RGB (or RGBA) image, values 0-255."""
    rgb = np.asarray(np.clip(rgb, 0, 255), dtype=np.uint8)
    return _data_url(Image.fromarray(rgb, "RGBA" if rgb.shape[2] == 4 else "RGB"))


def _png_indexed(index: np.ndarray, palette: np.ndarray) -> str:
    """A PNG data URL of a palette image: ``index`` (rows, cols) into ``palette`` (n, 3);
    one byte per cell, so the air layer encodes in about a millisecond."""
    img = Image.fromarray(np.asarray(index, dtype=np.uint8), "P")
    img.putpalette(np.asarray(palette, dtype=np.uint8).ravel().tolist())
    return _data_url(img)


@functools.cache
def _lut(cmap: str, levels: int) -> np.ndarray:
    """``levels`` RGB colours (0-255) of a matplotlib colour map, low to high."""
    return np.asarray(colormaps[cmap](np.linspace(0, 1, levels))[:, :3] * 255)


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


AIR_LEVELS = 128  # colour steps of the air layer (the rest of the palette: river cells)
RIVER_RGB = np.array([90, 150, 220])


def layer_image(src: MapState | BlitarModel, layer: str) -> str:
    """The base layer as a PNG data URL: "air", "water" or "landuse"."""
    st = as_map_state(src)
    if layer == "landuse":
        return _landuse_image(st.city)
    lo, hi = colour_range(st, layer)
    on_river = st.city.landuse == 4
    if layer == "air":
        # palette: the colour scale on land, then the same steps tinted by the river
        values = st.air + st.env.air_background
        level = np.clip((values - lo) / (hi - lo), 0, 1) * (AIR_LEVELS - 1)
        index = np.rint(level).astype(np.uint8)
        index[on_river] += AIR_LEVELS
        lut = _lut(AIR_CMAP, AIR_LEVELS)
        return _png_indexed(index, np.vstack([lut, lut * 0.6 + RIVER_RGB * 0.4]))
    # water: faded land use, river-bank exposure zone light, river cells in full colour
    lut = _lut(WATER_CMAP, 256)
    rgb = _landuse_rgb(st, fade=0.6)
    near = st.water_cell.reshape(st.rows, st.cols)
    norm = lut[np.rint(np.clip((near - lo) / (hi - lo), 0, 1) * 255).astype(np.intp)]
    zone = near > 0
    rgb[zone] = rgb[zone] * 0.55 + norm[zone] * 0.45
    rgb[on_river] = lut[np.rint(np.clip((st.water[on_river] - lo) / (hi - lo), 0, 1)
                                * 255).astype(np.intp)]
    return _png(rgb)


def _city_key(city: CityMap) -> tuple[Any, ...]:
    """Identity of a loaded map, for caches (a CityMap holds arrays: not hashable)."""
    return (city.path, city.name, city.rows, city.cols)


_LANDUSE_IMAGES: dict[tuple[Any, ...], str] = {}


def _landuse_image(city: CityMap) -> str:
    key = _city_key(city)
    if key not in _LANDUSE_IMAGES:
        _LANDUSE_IMAGES[key] = _png(LANDUSE_COLORS[city.landuse])
    return _LANDUSE_IMAGES[key]


OUTSIDE_RGB = (250, 250, 250)


def area_image(src: MapState | BlitarModel, colours: list[str]) -> str:
    """The kelurahan choropleth as a PNG data URL: each kelurahan's cells in its colour
    (``#rrggbb``, kelurahan order), cells outside the city light grey."""
    st = as_map_state(src)
    kel = st.city.kelurahan
    n = len(st.city.kelurahan_names)
    palette = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colours]
                       + [OUTSIDE_RGB])
    return _png_indexed(np.where(kel >= 0, kel, n), palette)


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
    key = _city_key(city)
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
            "kel_runs": grid_runs(city.kelurahan),
        }
    return _GEOMETRY[key]


def grid_runs(grid: np.ndarray) -> list[int]:
    """A grid (row-major) as runs [value, length, value, length, ...]: the browser finds
    the kelurahan under the pointer from it (-1 outside the city)."""
    flat = np.asarray(grid).ravel()
    starts = np.concatenate(([0], np.flatnonzero(np.diff(flat)) + 1))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return np.column_stack([flat[starts], lengths]).ravel().astype(int).tolist()


def place_labels(city: CityMap, lang: str) -> list[dict[str, Any]]:
    """The map's named places (alun-alun, clusters, Krantil, ...) with their name in
    ``lang`` (:func:`~simulation.viz.i18n.place_name`) at grid x, y; a place within
    :data:`PLACE_GAP` cells of an earlier one is left out (labels would overlap)."""
    points = city.place_points()
    out: list[dict[str, Any]] = []
    for p in city.places:
        x, y = points[p.name]
        if any((x - q["x"]) ** 2 + (y - q["y"]) ** 2 < PLACE_GAP ** 2 for q in out):
            continue
        out.append({"name": place_name(p.name, lang), "x": float(x), "y": float(y)})
    return out


PLACE_GAP = 2.0
_GEOMETRY_JSON: dict[tuple[Any, ...], str] = {}


def geometry_json(src: MapState | BlitarModel, lang: str) -> str:
    """:func:`geometry` with the places' names in ``lang``, as the map's JSON text."""
    key = (*_city_key(src.city), lang)
    if key not in _GEOMETRY_JSON:
        _GEOMETRY_JSON[key] = json.dumps({**geometry(src),
                                          "places": place_labels(src.city, lang)},
                                         separators=(",", ":"))
    return _GEOMETRY_JSON[key]


_GEOMETRY: dict[tuple[Any, ...], dict[str, Any]] = {}
HOUSEHOLDS_SHOWN = 6000  # at most this many household dots (1 in k above it)


def household_step(n: int) -> int:
    """Draw 1 in every ``k`` households so at most :data:`HOUSEHOLDS_SHOWN` dots show."""
    return max(1, -(-n // HOUSEHOLDS_SHOWN))


def _jitter(rows: np.ndarray, salt: float) -> np.ndarray:
    """A stable offset in [1, 9] tenths of a cell, so agents sharing a cell stay apart."""
    return (1 + ((rows * 0.6180339887 + salt) % 1.0) * 8).astype(np.int64)


def _firm_rows(st: MapState, kind: str) -> np.ndarray:
    """Rows of the alive firms of ``kind``: "manufacturing", "services" or "all"."""
    alive = st.firm_alive.copy()
    if kind != "all":
        mfg = st.sector_mfg[st.firm_sector]
        alive &= mfg if kind == "manufacturing" else ~mfg
    return np.flatnonzero(alive)


def firm_points(src: MapState | BlitarModel, kind: str = "all") -> list[int]:
    """Alive firms as flat [x, y, sector, green, row] (x, y in tenths of a cell);
    ``kind``: "manufacturing", "services" or "all"."""
    st = as_map_state(src)
    rows = _firm_rows(st, kind)
    cell = st.firm_cell[rows]
    x = (cell % st.cols) * 10 + _jitter(rows, 0.1)
    y = (cell // st.cols) * 10 + _jitter(rows, 0.7)
    out = np.column_stack([x, y, st.firm_sector[rows], st.firm_green[rows].astype(np.int64),
                           rows]).astype(np.int64)
    return out.ravel().tolist()


def firm_codes(src: MapState | BlitarModel, kind: str = "all") -> list[int]:
    """:func:`firm_points` as the page is sent them, in about half the text: flat
    [cell, sector + 8 * green, row - previous row]; the page rebuilds x and y from the cell
    and the row with the same :func:`_jitter` (map.vue, ``firmsOf``)."""
    if len(SECTOR_NAMES) > 8:  # the sector must fit in the code's three low bits
        raise ValueError(f"{len(SECTOR_NAMES)} sectors: firm_codes packs at most 8")
    st = as_map_state(src)
    rows = _firm_rows(st, kind)  # the rows firm_points draws, without computing x and y
    code = st.firm_sector[rows] + 8 * st.firm_green[rows].astype(np.int64)
    out = np.column_stack([st.firm_cell[rows], code, np.diff(rows, prepend=0)])
    return out.astype(np.int64).ravel().tolist()


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
