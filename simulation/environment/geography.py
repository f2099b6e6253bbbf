"""City map: land use, kelurahan / kecamatan, the river and the georeference, from a TOML map.

The map is data (``simulation/scenarios/maps/*.toml``), not code. A map file has

* ``[meta]``: name, ``rows``, ``cols``, ``cell_size_m``, ``illustrative`` (+ reason), source;
* ``[landuse]`` and ``[kelurahan]``: character grids of ``rows`` strings of ``cols``
  characters, each with a ``legend`` (char -> land-use / kelurahan name); ``[kelurahan]`` also
  has a ``kecamatan`` table (kelurahan name -> kecamatan name). In the kelurahan grid ``-``
  (:data:`OUTSIDE_CHAR`) marks cells outside the city: their land use must be ``outside``
  (or ``river``, where the river runs outside the city); every other cell needs a kelurahan;
* optional ``[georef]`` (``crs``, ``x0_m``, ``y0_m``: the projected CRS and the north-west
  corner of the grid, see :mod:`simulation.environment.georef`), which lets any cell convert
  to lon/lat and back; and, with it, optional ``[outlines]`` (kelurahan name -> list of
  polygons, each a list of rings of [lon, lat] points, first ring exterior), ``[river]``
  (``lonlat``: the river's drawn course) and ``[places]`` (name -> {lon, lat, note}).

River cells (land use ``"river"``) must form one simple 8-connected chain from the top row
(upstream) to the bottom row (downstream). Cells outside the city hold no households or
firms; the air field still covers them, so pollution crosses the city boundary and leaves
the domain at the grid's edge. ``experiments/make_blitar_map.py`` builds the Kota Blitar
map from the real boundaries with :mod:`simulation.environment.mapbuild`.

Indices: cells are addressed by ``(row, col)`` with row 0 at the top (north), or by the flat
index ``row * cols + col``. Every problem in a file raises :class:`MapError`, one line naming
the file, the section/key and what is allowed.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from simulation.environment.georef import GeoRef, check_crs

LANDUSE_CODES: dict[str, int] = {
    "residential": 0,
    "commercial": 1,
    "industrial": 2,
    "green": 3,
    "river": 4,
    "outside": 5,  # not part of the city: no households, no firms (air still passes)
}
OUTSIDE_CHAR = "-"  # kelurahan-grid character of cells outside the city

_NEIGHBOURS_8 = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]

Ring = np.ndarray  # (n, 2) float64 points, closed (first == last)


class MapError(ValueError):
    """A map file is missing something or holds a value that is not allowed."""


@dataclass(frozen=True)
class Place:
    """A named place (lon/lat) drawn on maps, e.g. the alun-alun or the Krantil settlement."""

    name: str
    lon: float
    lat: float
    note: str = ""


@dataclass(frozen=True)
class CityMap:
    """A loaded city map. Arrays are read-only; copy them to modify.

    ``kecamatan_names`` are in first-seen order when walking ``kelurahan_names`` (legend
    order), so the kecamatan of the first legend entry has index 0. ``kelurahan`` and
    ``kecamatan`` are -1 outside the city (``inside`` False).

    For drawing (plots, the browser view), in grid coordinates (cell units from the grid's
    north-west corner; a cell's centre is ``(col + 0.5, row + 0.5)``):
    :attr:`kelurahan_outlines`, :attr:`kecamatan_outlines`, :attr:`city_outline` (lists of
    closed rings), :attr:`label_points` (a point inside each kelurahan for its name),
    :attr:`river_course` (the river's polyline) and :meth:`place_points`. With a
    ``georef``, :meth:`cell_to_lonlat` / :meth:`lonlat_to_cell` convert positions.
    """

    name: str
    rows: int
    cols: int
    cell_size_m: float
    illustrative: bool
    illustrative_reason: str
    landuse: np.ndarray  # int8 (rows, cols), values of LANDUSE_CODES
    kelurahan: np.ndarray  # int16 (rows, cols), index into kelurahan_names; -1 outside
    kecamatan: np.ndarray  # int8 (rows, cols), index into kecamatan_names; -1 outside
    kelurahan_names: tuple[str, ...]
    kecamatan_names: tuple[str, ...]
    kelurahan_to_kecamatan: np.ndarray  # int8 (n_kelurahan,)
    river_cells: np.ndarray  # int64 flat indices, index 0 = upstream (top row)
    river_segment_length_m: np.ndarray  # float64, length of the step into each river cell
    source: str = ""
    river_name: str = ""
    path: str = ""
    georef: GeoRef | None = None
    outlines_lonlat: dict[str, tuple[tuple[Ring, ...], ...]] = field(default_factory=dict)
    river_lonlat: np.ndarray | None = None  # (n, 2) drawn course, upstream first
    places: tuple[Place, ...] = ()

    @property
    def river_length_m(self) -> float:
        """Total river length through the map (sum of the segment lengths)."""
        return float(self.river_segment_length_m.sum())

    @cached_property
    def inside(self) -> np.ndarray:
        """Boolean (rows, cols): cells that belong to the city (to a kelurahan)."""
        out = self.kelurahan >= 0
        out.setflags(write=False)
        return out

    @property
    def n_kelurahan(self) -> int:
        return len(self.kelurahan_names)

    @cached_property
    def river_in_city(self) -> np.ndarray:
        """Boolean per river cell (upstream first): is it inside the city?"""
        return self.inside.ravel()[self.river_cells]

    def flat_index(self, row: int, col: int) -> int:
        """Flat index ``row * cols + col`` of a cell; IndexError if outside the grid."""
        if not (0 <= row < self.rows and 0 <= col < self.cols):
            raise IndexError(f"cell ({row}, {col}) outside the {self.rows} x {self.cols} map")
        return row * self.cols + col

    def cells_of(self, landuse_name: str) -> np.ndarray:
        """Flat indices (int64, ascending) of all cells with the given land use."""
        if landuse_name not in LANDUSE_CODES:
            raise MapError(
                f"map {self.name!r}: unknown land use {landuse_name!r}; "
                f"allowed: {', '.join(LANDUSE_CODES)}"
            )
        return np.flatnonzero(self.landuse.ravel() == LANDUSE_CODES[landuse_name]).astype(np.int64)

    def kelurahan_index(self, name: str) -> int:
        """Index of a kelurahan in ``kelurahan_names``; MapError listing the names if unknown."""
        try:
            return self.kelurahan_names.index(name)
        except ValueError:
            raise MapError(
                f"map {self.name!r}: unknown kelurahan {name!r}; "
                f"allowed: {', '.join(self.kelurahan_names)}"
            ) from None

    # --- georeference ----------------------------------------------------------------------
    def _need_georef(self) -> GeoRef:
        if self.georef is None:
            raise MapError(f"{self.path or self.name}: the map has no [georef] section, so its "
                           "cells have no lon/lat")
        return self.georef

    def cell_to_lonlat(self, row: Any, col: Any) -> tuple[np.ndarray, np.ndarray]:
        """Lon/lat (WGS 84) of cell centres; MapError if the map has no georeference."""
        return self._need_georef().cell_to_lonlat(row, col)

    def lonlat_to_cell(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        """(row, col) of the cells holding the points (may lie outside the grid)."""
        return self._need_georef().lonlat_to_cell(lon, lat)

    # --- geometry for drawing (grid coordinates) --------------------------------------------
    def _to_grid(self, ring: Ring) -> Ring:
        gx, gy = self._need_georef().grid_from_lonlat(ring[:, 0], ring[:, 1])
        return np.column_stack([gx, gy])

    @cached_property
    def kelurahan_outlines(self) -> dict[str, list[Ring]]:
        """Kelurahan name -> boundary rings in grid coordinates: the polygons of
        ``[outlines]`` if the map has them, else the cell edges of the raster."""
        if self.outlines_lonlat:
            return {name: [self._to_grid(r) for poly in polys for r in poly]
                    for name, polys in self.outlines_lonlat.items()}
        from simulation.environment.outlines import raster_rings

        return {name: raster_rings(self.kelurahan == i)
                for i, name in enumerate(self.kelurahan_names)}

    @cached_property
    def _grid_polygons(self) -> dict[str, Any]:
        from simulation.environment.outlines import polygons_in_grid

        return polygons_in_grid(self)

    @cached_property
    def kecamatan_outlines(self) -> dict[str, list[Ring]]:
        """Kecamatan name -> boundary rings (grid coordinates): the union of its kelurahan,
        sliver holes between neighbouring polygons removed."""
        from simulation.environment.outlines import dissolve_rings

        polys = self._grid_polygons
        out = {}
        for j, kec in enumerate(self.kecamatan_names):
            members = [polys[k] for i, k in enumerate(self.kelurahan_names)
                       if self.kelurahan_to_kecamatan[i] == j]
            out[kec] = dissolve_rings(members)
        return out

    @cached_property
    def city_outline(self) -> list[Ring]:
        """The city's outline (grid coordinates): union of all kelurahan, slivers removed."""
        from simulation.environment.outlines import dissolve_rings

        return dissolve_rings(list(self._grid_polygons.values()))

    @cached_property
    def label_points(self) -> dict[str, tuple[float, float]]:
        """Kelurahan name -> a point well inside it (grid coordinates), for its label."""
        from simulation.environment.outlines import label_point

        return {name: label_point(poly) for name, poly in self._grid_polygons.items()}

    @cached_property
    def river_course(self) -> np.ndarray:
        """The river as a polyline in grid coordinates, upstream first: the drawn course
        if the map records one, else the centres of the river cells."""
        if self.river_lonlat is not None and self.georef is not None:
            return self._to_grid(self.river_lonlat)
        r, c = np.divmod(self.river_cells, self.cols)
        return np.column_stack([c + 0.5, r + 0.5]).astype(float)

    def place_points(self) -> dict[str, tuple[float, float]]:
        """Named places -> grid coordinates (empty without a georeference)."""
        if self.georef is None:
            return {}
        return {p.name: tuple(self._to_grid(np.array([[p.lon, p.lat]]))[0])
                for p in self.places}


def default_map_path() -> Path:
    """Path of the packaged Kota Blitar map (illustrative)."""
    return Path(__file__).parents[1] / "scenarios" / "maps" / "blitar.toml"


def _get(table: dict[str, Any], key: str, where: str, f: str) -> Any:
    if key not in table:
        raise MapError(f"{f}: [{where}] missing key {key!r}")
    return table[key]


def _section(data: dict[str, Any], name: str, f: str) -> dict[str, Any]:
    sec = data.get(name)
    if sec is None:
        raise MapError(f"{f}: missing section [{name}]")
    if not isinstance(sec, dict):
        raise MapError(f"{f}: [{name}] must be a table, got {type(sec).__name__}")
    return sec


def _positive_int(meta: dict[str, Any], key: str, f: str) -> int:
    v = _get(meta, key, "meta", f)
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise MapError(f"{f}: [meta] {key} = {v!r}; allowed: a positive integer")
    return v


def _legend(sec: dict[str, Any], where: str, f: str) -> dict[str, str]:
    legend = _get(sec, "legend", where, f)
    if not isinstance(legend, dict) or not legend:
        raise MapError(f"{f}: [{where}] legend must be a non-empty table of char = name")
    for ch, name in legend.items():
        if len(ch) != 1 or not isinstance(name, str) or not name:
            raise MapError(
                f"{f}: [{where}] legend entry {ch!r} = {name!r}; allowed: a single character "
                "mapped to a non-empty name"
            )
    return legend


def _parse_grid(
    sec: dict[str, Any], where: str, legend: dict[str, int], rows: int, cols: int, f: str
) -> np.ndarray:
    """Grid of strings -> int array of legend values, with row/col-precise errors."""
    grid = _get(sec, "grid", where, f)
    if not isinstance(grid, list):
        raise MapError(f"{f}: [{where}] grid must be a list of {rows} strings")
    if len(grid) != rows:
        raise MapError(f"{f}: [{where}] grid has {len(grid)} rows, expected rows = {rows}")
    out = np.empty((rows, cols), dtype=np.int64)
    allowed = ", ".join(repr(c) for c in legend)
    for r, line in enumerate(grid):
        if not isinstance(line, str):
            raise MapError(f"{f}: [{where}] grid row {r} is not a string")
        if len(line) != cols:
            raise MapError(
                f"{f}: [{where}] grid row {r} has length {len(line)}, expected cols = {cols}"
            )
        for c, ch in enumerate(line):
            code = legend.get(ch)
            if code is None:
                raise MapError(
                    f"{f}: [{where}] grid row {r}, col {c}: unknown char {ch!r}; allowed: {allowed}"
                )
            out[r, c] = code
    return out


def _trace_river(is_river: np.ndarray, f: str) -> list[tuple[int, int]]:
    """Cells of the river chain in downstream order (from its top-row end), validated."""
    rows, cols = is_river.shape
    cells = [(int(r), int(c)) for r, c in zip(*np.nonzero(is_river), strict=True)]
    if not cells:
        raise MapError(f"{f}: [landuse] grid has no river cells (legend value 'river')")

    def nbrs(r: int, c: int) -> list[tuple[int, int]]:
        return [
            (r + dr, c + dc)
            for dr, dc in _NEIGHBOURS_8
            if 0 <= r + dr < rows and 0 <= c + dc < cols and is_river[r + dr, c + dc]
        ]

    ends = []
    for r, c in cells:
        n = len(nbrs(r, c))
        if n > 2:
            raise MapError(
                f"{f}: [landuse] river branches at row {r}, col {c}: {n} river neighbours "
                "(8-connected); a single chain allows 2, or 1 at its two ends"
            )
        if n == 0 and len(cells) > 1:
            raise MapError(
                f"{f}: [landuse] river is broken: isolated river cell at row {r}, col {c}"
            )
        if n <= 1:
            ends.append((r, c))
    if len(cells) > 1 and len(ends) != 2:
        where = "; ".join(f"row {r}, col {c}" for r, c in ends) or "none (it closes on itself)"
        raise MapError(
            f"{f}: [landuse] river is broken: a single chain has 2 ends, found {len(ends)}: {where}"
        )
    top, bottom = min(ends), max(ends)
    if top[0] != 0:
        raise MapError(
            f"{f}: [landuse] river does not touch the top row 0: its upper end is at "
            f"row {top[0]}, col {top[1]}"
        )
    if bottom[0] != rows - 1:
        raise MapError(
            f"{f}: [landuse] river does not reach the bottom row {rows - 1}: its lower end is at "
            f"row {bottom[0]}, col {bottom[1]}"
        )
    chain, prev, cur = [top], None, top
    while True:
        nxt = [n for n in nbrs(*cur) if n != prev]
        if not nxt:
            break
        prev, cur = cur, nxt[0]
        chain.append(cur)
    if len(chain) != len(cells):
        seen = set(chain)
        r, c = next(cell for cell in cells if cell not in seen)
        raise MapError(
            f"{f}: [landuse] river is broken: disconnected river piece at row {r}, col {c}"
        )
    return chain


def _finite(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)


def _lonlat_array(value: Any, where: str, f: str, min_points: int) -> np.ndarray:
    """A list of [lon, lat] pairs -> (n, 2) float array, or MapError naming ``where``."""
    ok = isinstance(value, list) and len(value) >= min_points and all(
        isinstance(p, list) and len(p) == 2 and _finite(p[0]) and _finite(p[1]) for p in value)
    if not ok:
        raise MapError(f"{f}: {where} must be a list of at least {min_points} [lon, lat] pairs "
                       "of finite numbers")
    arr = np.array(value, dtype=float)
    if np.abs(arr[:, 0]).max() > 180 or np.abs(arr[:, 1]).max() > 90:
        raise MapError(f"{f}: {where}: a point lies outside lon -180..180 / lat -90..90 "
                       "(coordinates are [lon, lat] in degrees, longitude first)")
    return arr


def _read_georef(data: dict[str, Any], cell: float, f: str) -> GeoRef | None:
    if "georef" not in data:
        return None
    sec = _section(data, "georef", f)
    crs = _get(sec, "crs", "georef", f)
    reason = check_crs(crs) if isinstance(crs, str) else "not a string"
    if reason:
        raise MapError(f"{f}: [georef] crs = {crs!r}: {reason}; allowed: a projected CRS in "
                       "metres such as \"EPSG:32749\" (UTM 49S)")
    corner = []
    for key in ("x0_m", "y0_m"):
        v = _get(sec, key, "georef", f)
        if not _finite(v):
            raise MapError(f"{f}: [georef] {key} = {v!r}; allowed: a finite number (metres)")
        corner.append(float(v))
    return GeoRef(crs, corner[0], corner[1], cell)


def _read_outlines(data: dict[str, Any], kel_names: tuple[str, ...], georef: GeoRef | None,
                   f: str) -> dict[str, tuple[tuple[np.ndarray, ...], ...]]:
    if "outlines" not in data:
        return {}
    sec = _section(data, "outlines", f)
    if georef is None:
        raise MapError(f"{f}: [outlines] needs a [georef] section (crs, x0_m, y0_m)")
    out = {}
    for name, polys in sec.items():
        if name not in kel_names:
            raise MapError(f"{f}: [outlines] unknown kelurahan {name!r}; allowed: "
                           f"{', '.join(kel_names)}")
        if not isinstance(polys, list) or not polys or not all(
                isinstance(p, list) and p for p in polys):
            raise MapError(f"{f}: [outlines] {name!r} must be a list of polygons, each a list "
                           "of rings of [lon, lat] points (first ring = exterior)")
        parsed = []
        for i, rings in enumerate(polys):
            arrs = []
            for j, ring in enumerate(rings):
                arr = _lonlat_array(ring, f"[outlines] {name!r} polygon {i} ring {j}", f, 4)
                if not np.array_equal(arr[0], arr[-1]):
                    raise MapError(f"{f}: [outlines] {name!r} polygon {i} ring {j} is not "
                                   "closed (its last point must repeat the first)")
                arr.setflags(write=False)
                arrs.append(arr)
            parsed.append(tuple(arrs))
        out[name] = tuple(parsed)
    missing = [k for k in kel_names if k not in out]
    if missing:
        raise MapError(f"{f}: [outlines] has no polygon for kelurahan {', '.join(missing)} "
                       "(give every kelurahan an outline, or drop [outlines])")
    return out


def _read_extras(data: dict[str, Any], georef: GeoRef | None, f: str
                 ) -> tuple[np.ndarray | None, tuple[Place, ...]]:
    river = None
    if "river" in data:
        sec = _section(data, "river", f)
        if georef is None:
            raise MapError(f"{f}: [river] needs a [georef] section (crs, x0_m, y0_m)")
        river = _lonlat_array(_get(sec, "lonlat", "river", f), "[river] lonlat", f, 2)
        river.setflags(write=False)
    places = []
    for pname, p in (_section(data, "places", f) if "places" in data else {}).items():
        if not (isinstance(p, dict) and _finite(p.get("lon")) and _finite(p.get("lat"))):
            raise MapError(f"{f}: [places] {pname!r} must be a table {{ lon = .., lat = .., "
                           "note = \"..\" }} with finite lon and lat")
        places.append(Place(pname, float(p["lon"]), float(p["lat"]), str(p.get("note", ""))))
    return river, tuple(places)


def _read_toml(path: Path) -> dict[str, Any]:
    f = str(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise MapError(f"{f}: not valid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise MapError(f"{f}: not UTF-8 text (byte {e.start}); a map file must be UTF-8 "
                       "TOML") from None
    except OSError as e:
        raise MapError(f"map file {f}: cannot be read ({e.strerror}); scenario.map must "
                       "name a map TOML file (default maps/blitar.toml)") from None


def _check_inside(landuse: np.ndarray, kelurahan: np.ndarray, names: tuple[str, ...],
                  f: str) -> None:
    """Outside cells (kelurahan '-') are land use 'outside' or 'river', and vice versa."""
    outside_lu = landuse == LANDUSE_CODES["outside"]
    no_kel = kelurahan < 0
    bad = no_kel & ~outside_lu & (landuse != LANDUSE_CODES["river"])
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise MapError(f"{f}: [kelurahan] grid row {r}, col {c} is '{OUTSIDE_CHAR}' (outside "
                       "the city) but its land use is not 'outside' or 'river'")
    bad = outside_lu & ~no_kel
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise MapError(f"{f}: [landuse] grid row {r}, col {c} is 'outside' but the [kelurahan] "
                       f"grid gives it a kelurahan; allowed there: '{OUTSIDE_CHAR}'")
    counts = np.bincount(kelurahan[~no_kel].ravel(), minlength=len(names))
    empty = [n for n, k in zip(names, counts, strict=True) if k == 0]
    if empty:
        raise MapError(f"{f}: [kelurahan] legend names {', '.join(empty)} but no grid cell "
                       "has it")


def load_map(path: str | Path) -> CityMap:
    """Load and validate a TOML city map (see the module docstring for the format). A
    loaded map is immutable, so it is cached per process while the file is unchanged
    (every model of a sweep or browser session loads the same map)."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return _load_map(str(path))  # raises the MapError naming the file
    return _load_map_cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load_map_cached(f: str, mtime_ns: int, size: int) -> CityMap:
    return _load_map(f)


def _load_map(f: str) -> CityMap:
    path = Path(f)
    data = _read_toml(path)

    meta = _section(data, "meta", f)
    name = _get(meta, "name", "meta", f)
    rows = _positive_int(meta, "rows", f)
    cols = _positive_int(meta, "cols", f)
    cell = _get(meta, "cell_size_m", "meta", f)
    if not _finite(cell) or not cell > 0:
        raise MapError(f"{f}: [meta] cell_size_m = {cell!r}; allowed: a positive finite "
                       "number (m)")
    illustrative = _get(meta, "illustrative", "meta", f)
    if not isinstance(illustrative, bool):
        raise MapError(f"{f}: [meta] illustrative = {illustrative!r}; allowed: true or false")
    reason = meta.get("illustrative_reason", "")
    if illustrative and not (isinstance(reason, str) and reason.strip()):
        raise MapError(f"{f}: [meta] illustrative_reason must be given when illustrative = true")

    lu_sec = _section(data, "landuse", f)
    lu_legend = _legend(lu_sec, "landuse", f)
    for ch, lu_name in lu_legend.items():
        if lu_name not in LANDUSE_CODES:
            raise MapError(
                f"{f}: [landuse] legend {ch!r} = {lu_name!r}; allowed land uses: "
                f"{', '.join(LANDUSE_CODES)}"
            )
    landuse = _parse_grid(
        lu_sec, "landuse", {ch: LANDUSE_CODES[n] for ch, n in lu_legend.items()}, rows, cols, f
    ).astype(np.int8)

    kel_sec = _section(data, "kelurahan", f)
    kel_legend = _legend(kel_sec, "kelurahan", f)
    if OUTSIDE_CHAR in kel_legend:
        raise MapError(f"{f}: [kelurahan] legend uses {OUTSIDE_CHAR!r}, which is reserved for "
                       "cells outside the city; pick another character")
    kel_names = tuple(kel_legend.values())
    dup = {n for n in kel_names if kel_names.count(n) > 1}
    if dup:
        raise MapError(f"{f}: [kelurahan] legend names a kelurahan twice: {sorted(dup)}")
    kec_table = _get(kel_sec, "kecamatan", "kelurahan", f)
    if not isinstance(kec_table, dict):
        raise MapError(f"{f}: [kelurahan] kecamatan must be a table of kelurahan = kecamatan")
    for kel in kec_table:
        if kel not in kel_legend.values():
            raise MapError(
                f"{f}: [kelurahan] kecamatan table: unknown kelurahan {kel!r}; "
                f"allowed: {', '.join(kel_names)}"
            )
    kec_names: list[str] = []
    kel_to_kec = np.empty(len(kel_names), dtype=np.int8)
    for i, kel in enumerate(kel_names):
        kec = kec_table.get(kel)
        if not isinstance(kec, str) or not kec:
            raise MapError(
                f"{f}: [kelurahan] kecamatan table: kelurahan {kel!r} is not mapped to a "
                'kecamatan (add a line "<kelurahan>" = "<kecamatan>")'
            )
        if kec not in kec_names:
            kec_names.append(kec)
        kel_to_kec[i] = kec_names.index(kec)
    kel_codes = {ch: i for i, ch in enumerate(kel_legend)} | {OUTSIDE_CHAR: -1}
    kelurahan = _parse_grid(kel_sec, "kelurahan", kel_codes, rows, cols, f).astype(np.int16)
    _check_inside(landuse, kelurahan, kel_names, f)

    chain = _trace_river(landuse == LANDUSE_CODES["river"], f)
    river_cells = np.array([r * cols + c for r, c in chain], dtype=np.int64)
    seg = np.full(len(chain), float(cell), dtype=np.float64)
    for i in range(1, len(chain)):
        if chain[i][0] != chain[i - 1][0] and chain[i][1] != chain[i - 1][1]:
            seg[i] = float(cell) * math.sqrt(2.0)

    georef = _read_georef(data, float(cell), f)
    outlines = _read_outlines(data, kel_names, georef, f)
    river_lonlat, places = _read_extras(data, georef, f)

    kecamatan = np.where(kelurahan >= 0, kel_to_kec[np.maximum(kelurahan, 0)], -1).astype(
        np.int8)
    for arr in (landuse, kelurahan, kecamatan, kel_to_kec, river_cells, seg):
        arr.setflags(write=False)
    return CityMap(
        name=str(name),
        rows=rows,
        cols=cols,
        cell_size_m=float(cell),
        illustrative=illustrative,
        illustrative_reason=str(reason),
        landuse=landuse,
        kelurahan=kelurahan,
        kecamatan=kecamatan,
        kelurahan_names=kel_names,
        kecamatan_names=tuple(kec_names),
        kelurahan_to_kecamatan=kel_to_kec,
        river_cells=river_cells,
        river_segment_length_m=seg,
        source=str(meta.get("source", "")),
        river_name=str(meta.get("river_name", "")),
        path=f,
        georef=georef,
        outlines_lonlat=outlines,
        river_lonlat=river_lonlat,
        places=places,
    )
