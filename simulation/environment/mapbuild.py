"""Build a city map (the TOML of :mod:`simulation.environment.geography`) from boundary polygons.

Works for any city: give a GeoJSON FeatureCollection of its kelurahan (or any lowest admin
unit) as lon/lat Polygons/MultiPolygons with a name property and a group (kecamatan)
property, and optionally a *layout* TOML (the river's course, named places with their land
use, rice fields); see README "Using the model for another city". Procedure:

1. Project the polygons to a metric CRS (default: the UTM zone of their centre) with pyproj.
2. Grid: square cells of ``cell_size_m`` over the polygons' bounding box plus
   ``margin_cells`` on every side (outside the city: air can flow out before it leaves the
   domain), north-west corner on whole metres.
3. Rasterise with shapely, deterministically: a cell is *inside* if at least half of it lies
   in the city outline (the union of all polygons with sliver holes filled); an inside cell
   belongs to the polygon covering most of it (overlaps go to the larger share, exact ties
   to the first in code order); an inside cell no polygon touches (a filled sliver gap) goes
   to the nearest polygon.
4. River: the layout's lon/lat polyline, sampled every 0.2 cell and made one simple
   8-connected chain of cells from the top row to the bottom row.
5. Land use: inside cells residential, then each layout place in order takes the ``cells``
   free inside cells nearest its point (within its kelurahan), then rice fields (green) on the
   inside cells farthest from the layout's centre, capped per kelurahan; everything outside
   the city is ``outside``.

Every problem with the inputs raises :class:`~simulation.environment.geography.MapError`
naming the file and the field. Run as a script::

    python -m simulation.environment.mapbuild BOUNDARIES.geojson OUT.toml --name mycity \\
        [--layout LAYOUT.toml] [--cell-size 57] [--name-property nama] \\
        [--group-property kecamatan]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from simulation.environment.geography import LANDUSE_CODES, OUTSIDE_CHAR, MapError, load_map
from simulation.environment.georef import GeoRef, check_crs, utm_crs_for
from simulation.environment.outlines import dissolve

DEFAULT_MARGIN_CELLS = 5  # ~ one plume length sqrt(D/k); why: experiments/make_blitar_map.py
LANDUSE_CHARS = {"residential": ".", "commercial": "C", "industrial": "I", "green": "G",
                 "river": "R", "outside": OUTSIDE_CHAR}
PLACE_LANDUSES = ("residential", "commercial", "industrial", "green")
KELURAHAN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# --- inputs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """One admin unit (kelurahan) of the boundary file."""

    name: str
    group: str                      # kecamatan
    code: str                       # sort key (the file's code property, else the name)
    polygons: tuple[tuple[list[list[float]], ...], ...]  # lon/lat rings as in the file


@dataclass(frozen=True)
class PlaceSpec:
    name: str
    lon: float
    lat: float
    note: str = ""
    landuse: str | None = None      # land use of its patch; None = a label only
    cells: int = 0                  # patch size (cells)
    kelurahan: tuple[str, ...] = ()  # the patch stays within these (and the point must be in one)
    near_river: bool = False        # anchor the patch at the nearest river cell


@dataclass(frozen=True)
class Layout:
    """What the boundaries do not say: the river course, named places, rice fields."""

    river_name: str = ""
    river_lonlat: tuple[tuple[float, float], ...] = ()
    places: tuple[PlaceSpec, ...] = ()
    centre: tuple[float, float] | None = None   # lon/lat; rice fields lie far from it
    fields_share: float = 0.0                   # share of inside cells made green fields
    fields_max_share: float = 0.65              # at most this share of one kelurahan
    seed: int = 0
    path: str = ""


def _fail(f: str, msg: str) -> MapError:
    return MapError(f"{f}: {msg}")


def read_boundaries(path: str | Path, name_property: str = "nama",
                    group_property: str = "kecamatan", code_property: str | None = "kode"
                    ) -> list[Unit]:
    """The units of a GeoJSON FeatureCollection, sorted by code (then name)."""
    f = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise _fail(f, f"cannot read the boundary file ({e.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _fail(f, f"not a GeoJSON (UTF-8 JSON) file: {e}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not \
            isinstance(data.get("features"), list) or not data["features"]:
        raise _fail(f, "type must be a FeatureCollection with at least one feature")
    units, seen = [], set()
    for i, feat in enumerate(data["features"]):
        props = feat.get("properties") or {} if isinstance(feat, dict) else {}
        name, group = props.get(name_property), props.get(group_property)
        for key, v in ((name_property, name), (group_property, group)):
            if not isinstance(v, str) or not v.strip():
                raise _fail(f, f"features[{i}].properties.{key} is missing or empty; every "
                               f"feature needs its name ({name_property}) and group "
                               f"({group_property})")
        if name in seen:
            raise _fail(f, f"features[{i}].properties.{name_property} = {name!r} appears "
                           "twice; unit names must be unique")
        seen.add(name)
        geom = feat.get("geometry") or {}
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise _fail(f, f"features[{i}] ({name}).geometry.type = {geom.get('type')!r}; "
                           "allowed: Polygon, MultiPolygon")
        try:
            g = shape(geom)
        except (ValueError, TypeError, AttributeError, IndexError) as e:
            raise _fail(f, f"features[{i}] ({name}).geometry is malformed: {e}") from None
        if g.is_empty or not g.is_valid:
            raise _fail(f, f"features[{i}] ({name}).geometry is empty or invalid "
                           f"({shapely.is_valid_reason(g)})")
        minx, miny, maxx, maxy = g.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise _fail(f, f"features[{i}] ({name}).geometry: coordinates are not lon/lat "
                           "degrees (GeoJSON order is [longitude, latitude], WGS 84)")
        rings = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        code = str(props.get(code_property, "")) if code_property else ""
        units.append(Unit(name, group, code or name, tuple(tuple(p) for p in rings)))
    if len(units) > len(KELURAHAN_CHARS):
        raise _fail(f, f"{len(units)} units; a map holds at most {len(KELURAHAN_CHARS)}")
    return sorted(units, key=lambda u: (u.code, u.name))


def read_layout(path: str | Path) -> Layout:
    """A layout TOML: ``[river] name, lonlat``; ``[fields] share, max_share_per_kelurahan,
    centre``; ``[[place]] name, lon, lat, note, landuse, cells, kelurahan, near_river``."""
    f = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise _fail(f, f"cannot read the layout TOML: {e}") from None
    river = data.get("river", {})
    pts = river.get("lonlat", [])
    if pts and not all(isinstance(p, list) and len(p) == 2 and all(
            isinstance(v, int | float) and math.isfinite(v) for v in p) for p in pts):
        raise _fail(f, "[river] lonlat must be a list of [lon, lat] pairs")
    fields = data.get("fields", {})
    places = []
    for i, p in enumerate(data.get("place", [])):
        where = f"[[place]] {i} ({p.get('name', '?')})"
        try:
            kel = p.get("kelurahan", ())
            spec = PlaceSpec(str(p["name"]), float(p["lon"]), float(p["lat"]),
                             str(p.get("note", "")), p.get("landuse"), int(p.get("cells", 0)),
                             (kel,) if isinstance(kel, str) else tuple(kel),
                             bool(p.get("near_river", False)))
        except (KeyError, TypeError, ValueError) as e:
            raise _fail(f, f"{where}: needs name, lon, lat (and optionally note, landuse, "
                           f"cells, kelurahan, near_river): {e}") from None
        if spec.landuse is not None and spec.landuse not in PLACE_LANDUSES:
            raise _fail(f, f"{where}: landuse = {spec.landuse!r}; allowed: "
                           f"{', '.join(PLACE_LANDUSES)}")
        if spec.cells < 0 or (spec.landuse is not None and spec.cells == 0):
            raise _fail(f, f"{where}: cells = {spec.cells}; a place with a land use needs "
                           "cells >= 1")
        places.append(spec)
    centre = fields.get("centre")
    share = float(fields.get("share", 0.0))
    if not 0.0 <= share < 1.0:
        raise _fail(f, f"[fields] share = {share}; allowed: 0 <= share < 1")
    return Layout(str(river.get("name", "")), tuple(tuple(p) for p in pts), tuple(places),
                  tuple(centre) if centre else None, share,
                  float(fields.get("max_share_per_kelurahan", 0.65)),
                  int(data.get("seed", 0)), f)


# --- rasterising ----------------------------------------------------------------------------
@dataclass
class MapData:
    """A built map, ready to write (see :func:`write_map`)."""

    name: str
    georef: GeoRef
    rows: int
    cols: int
    landuse: np.ndarray         # int8 LANDUSE_CODES
    kelurahan: np.ndarray       # int16, -1 outside
    units: list[Unit]
    river_name: str = ""
    river_lonlat: tuple[tuple[float, float], ...] = ()
    places: tuple[PlaceSpec, ...] = ()
    illustrative_reason: str = ""
    source: str = ""
    header: str = ""
    stats: dict[str, Any] = field(default_factory=dict)


def _project(units: list[Unit], crs: str) -> list[shapely.Geometry]:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    out = []
    for u in units:
        parts = [Polygon(rings[0], rings[1:]) for rings in u.polygons]
        g = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        out.append(shapely.transform(g, lambda xy, tr=tr: np.column_stack(
            tr.transform(xy[:, 0], xy[:, 1])), include_z=False))
    return out


def _grid_for(city_m: shapely.Geometry, cell: float, margin: int) -> tuple[float, float, int, int]:
    minx, miny, maxx, maxy = city_m.bounds
    x0 = math.floor(minx - margin * cell)
    y0 = math.ceil(maxy + margin * cell)
    cols = math.ceil((maxx + margin * cell - x0) / cell)
    rows = math.ceil((y0 - (miny - margin * cell)) / cell)
    return float(x0), float(y0), rows, cols


def rasterise(polys: list[shapely.Geometry], rows: int, cols: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """(kelurahan index per cell, -1 outside; inside mask) for polygons in grid coordinates
    (see the module docstring, step 3)."""
    r, c = np.mgrid[0:rows, 0:cols]
    boxes = shapely.box(c.ravel(), r.ravel(), c.ravel() + 1.0, r.ravel() + 1.0)
    outline = dissolve(polys)
    inside = shapely.area(shapely.intersection(boxes, outline)) >= 0.5
    tree = shapely.STRtree(polys)
    bi, pi = tree.query(boxes, predicate="intersects")
    area = shapely.area(shapely.intersection(boxes[bi], np.asarray(polys, dtype=object)[pi]))
    order = np.lexsort((pi, -area, bi))  # per box: largest area first, then lowest index
    bi, pi, area = bi[order], pi[order], area[order]
    first = np.ones(bi.size, dtype=bool)
    first[1:] = bi[1:] != bi[:-1]
    kel = np.full(rows * cols, -1, dtype=np.int16)
    keep = first & (area > 0)
    kel[bi[keep]] = pi[keep]
    orphans = np.flatnonzero(inside & (kel < 0))
    if orphans.size:
        centres = shapely.points(c.ravel()[orphans] + 0.5, r.ravel()[orphans] + 0.5)
        dist = np.stack([shapely.distance(centres, p) for p in polys])
        kel[orphans] = np.argmin(dist, axis=0)
    kel[~inside] = -1
    return kel.reshape(rows, cols), inside.reshape(rows, cols)


def river_chain(points: np.ndarray, rows: int, cols: int, f: str) -> list[tuple[int, int]]:
    """A polyline in grid coordinates -> a simple 8-connected chain of cells from row 0 to
    the last row (the polyline must start north of the grid and end south of it)."""
    dense = []
    for a, b in zip(points[:-1], points[1:], strict=True):
        n = max(1, int(math.ceil(np.hypot(*(b - a)) / 0.2)))
        t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        dense.append(a + t * (b - a))
    dense.append(points[-1:])
    pts = np.vstack(dense)
    cells: list[tuple[int, int]] = []
    for x, y in pts:
        rc = (int(math.floor(y)), int(math.floor(x)))
        if 0 <= rc[0] < rows and 0 <= rc[1] < cols and (not cells or cells[-1] != rc):
            cells.append(rc)
    if not cells or cells[0][0] != 0 or cells[-1][0] != rows - 1:
        raise _fail(f, "[river] lonlat must start north of the map grid and end south of it "
                       "(the river enters at the top row and leaves at the bottom row)")
    changed = True
    while changed:  # drop corner cells the chain can skip (keeps it a simple chain)
        changed = False
        i = 0
        while i + 2 < len(cells):
            a, b = cells[i], cells[i + 2]
            if max(abs(a[0] - b[0]), abs(a[1] - b[1])) <= 1:
                del cells[i + 1]
                changed = True
            else:
                i += 1
    if len(set(cells)) != len(cells):
        raise _fail(f, "[river] lonlat crosses itself on the grid; draw a course that does "
                       "not loop back")
    return cells


def _smooth_noise(rng: np.random.Generator, rows: int, cols: int, wavelength: float
                  ) -> np.ndarray:
    rr, cc = np.mgrid[0:rows, 0:cols].astype(float)
    field = np.zeros((rows, cols))
    for _ in range(8):
        ang, phase = rng.uniform(0, math.pi), rng.uniform(0, 2 * math.pi)
        lam = wavelength * rng.uniform(0.7, 1.4)
        field += np.sin(2 * math.pi * (rr * math.sin(ang) + cc * math.cos(ang)) / lam + phase)
    return field / 2.0


def _nearest_free(free: np.ndarray, anchor: tuple[float, float], n: int,
                  jitter: np.ndarray) -> np.ndarray:
    rows, cols = free.shape
    rr, cc = np.mgrid[0:rows, 0:cols].astype(float)
    d = np.hypot(rr + 0.5 - anchor[1], cc + 0.5 - anchor[0]) + jitter
    d[~free] = np.inf
    idx = np.argsort(d, axis=None, kind="stable")[:n]
    idx = idx[np.isfinite(d.flat[idx])]
    out = np.zeros((rows, cols), dtype=bool)
    out.flat[idx] = True
    return out


def _apply_places(lu: np.ndarray, kel: np.ndarray, names: list[str], georef: GeoRef,
                  layout: Layout, river: list[tuple[int, int]], rng: np.random.Generator
                  ) -> None:
    f = layout.path
    free = lu == LANDUSE_CODES["residential"]
    for p in layout.places:
        gx, gy = georef.grid_from_lonlat(p.lon, p.lat)
        row, col = int(math.floor(gy)), int(math.floor(gx))
        if not (0 <= row < lu.shape[0] and 0 <= col < lu.shape[1]):
            raise _fail(f, f"place {p.name!r} ({p.lon}, {p.lat}) lies outside the map grid")
        unknown = [k for k in p.kelurahan if k not in names]
        if unknown:
            raise _fail(f, f"place {p.name!r}: unknown kelurahan {', '.join(unknown)}; "
                           f"allowed: {', '.join(names)}")
        ids = [names.index(k) for k in p.kelurahan]
        if ids and kel[row, col] not in ids:
            here = names[kel[row, col]] if kel[row, col] >= 0 else "outside the city"
            raise _fail(f, f"place {p.name!r} ({p.lon}, {p.lat}) lies in {here}, not in "
                           f"{' / '.join(p.kelurahan)}; move its point")
        if p.landuse is None:
            continue
        allowed = free & (np.isin(kel, ids) if ids else kel >= 0)
        anchor = (float(gx), float(gy))
        if p.near_river:
            on = [(r, c) for r, c in river if not ids or kel[r, c] in ids]
            if not on:
                raise _fail(f, f"place {p.name!r}: near_river, but the river does not cross "
                               f"{' / '.join(p.kelurahan) or 'the city'}")
            r, c = min(on, key=lambda rc: math.hypot(rc[0] + 0.5 - gy, rc[1] + 0.5 - gx))
            anchor = (c + 0.5, r + 0.5)
        jitter = 0.8 * _smooth_noise(rng, *lu.shape, wavelength=8.0)
        patch = _nearest_free(allowed, anchor, p.cells, jitter)
        lu[patch] = LANDUSE_CODES[p.landuse]
        free &= ~patch


def _apply_fields(lu: np.ndarray, kel: np.ndarray, georef: GeoRef, layout: Layout,
                  rng: np.random.Generator) -> None:
    """Rice fields (green) on the free cells farthest from the centre, capped per kelurahan,
    then two passes of majority smoothing so fields form blocks."""
    free = lu == LANDUSE_CODES["residential"]
    n_inside = int((kel >= 0).sum())
    n_green = round(layout.fields_share * n_inside) - int((lu == LANDUSE_CODES["green"]).sum())
    if n_green <= 0:
        return
    rows, cols = lu.shape
    rr, cc = np.mgrid[0:rows, 0:cols].astype(float)
    if layout.centre is not None:
        cx, cy = georef.grid_from_lonlat(*layout.centre)
    else:
        cy, cx = np.argwhere(kel >= 0).mean(axis=0)
    rural = np.hypot(rr - cy, cc - cx) + 6.0 * _smooth_noise(rng, rows, cols, 20.0)
    rural[~free] = -np.inf
    quota = np.floor(layout.fields_max_share * np.bincount(kel[kel >= 0], minlength=kel.max()
                                                           + 1)).astype(int)
    fields = np.zeros((rows, cols), dtype=bool)
    taken = 0
    for idx in np.argsort(-rural, axis=None, kind="stable"):
        if taken >= n_green or not np.isfinite(rural.flat[idx]):
            break
        k = kel.flat[idx]
        if quota[k] > 0:
            fields.flat[idx] = True
            quota[k] -= 1
            taken += 1
    for _ in range(2):
        pad = np.pad(fields, 1)
        nb = sum(pad[1 + dr: 1 + dr + rows, 1 + dc: 1 + dc + cols]
                 for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))
        fields = (fields & (nb >= 3)) | (~fields & free & (nb >= 6))
    lu[fields & free] = LANDUSE_CODES["green"]


def build_map(boundaries: str | Path, name: str, *, layout: Layout | None = None,
              cell_size_m: float = 57.0, margin_cells: int = DEFAULT_MARGIN_CELLS,
              crs: str | None = None, name_property: str = "nama",
              group_property: str = "kecamatan", code_property: str | None = "kode",
              illustrative_reason: str = "", source: str = "") -> MapData:
    """Rasterise a boundary GeoJSON (and a layout) into a map; see the module docstring."""
    f = str(boundaries)
    if not (isinstance(cell_size_m, int | float) and math.isfinite(cell_size_m)
            and cell_size_m > 0):
        raise MapError(f"cell_size_m = {cell_size_m!r}; allowed: a positive finite number (m)")
    if margin_cells < 1:
        raise MapError(f"margin_cells = {margin_cells}; allowed: >= 1 (air leaves the domain "
                       "at the grid's edge, not at the city boundary)")
    units = read_boundaries(boundaries, name_property, group_property, code_property)
    if crs is None:
        c = shapely.union_all([shape({"type": "Polygon", "coordinates": u.polygons[0]})
                               for u in units]).centroid
        crs = utm_crs_for(c.x, c.y)
    reason = check_crs(crs)
    if reason:
        raise MapError(f"crs = {crs!r}: {reason}")
    metric = _project(units, crs)
    x0, y0, rows, cols = _grid_for(shapely.union_all(metric), cell_size_m, margin_cells)
    georef = GeoRef(crs, x0, y0, float(cell_size_m))
    grid_polys = [shapely.transform(g, lambda xy: np.column_stack(
        georef.grid_from_xy(xy[:, 0], xy[:, 1]))) for g in metric]
    kel, inside = rasterise(grid_polys, rows, cols)
    names = [u.name for u in units]
    counts = np.bincount(kel[inside], minlength=len(units))
    tiny = [n for n, k in zip(names, counts, strict=True) if k == 0]
    if tiny:
        raise _fail(f, f"unit(s) {', '.join(tiny)} cover no cell at {cell_size_m} m; use a "
                       "smaller cell size")
    layout = layout or Layout()
    lu = np.where(inside, LANDUSE_CODES["residential"], LANDUSE_CODES["outside"]).astype(np.int8)
    river: list[tuple[int, int]] = []
    if layout.river_lonlat:
        gx, gy = georef.grid_from_lonlat(*np.array(layout.river_lonlat, dtype=float).T)
        river = river_chain(np.column_stack([gx, gy]), rows, cols, layout.path or f)
        for r, c in river:
            lu[r, c] = LANDUSE_CODES["river"]
    rng = np.random.default_rng(layout.seed)
    _apply_places(lu, kel, names, georef, layout, river, rng)
    _apply_fields(lu, kel, georef, layout, rng)
    area_km2 = np.array([g.area for g in metric]) / 1e6
    stats = {"area_km2": dict(zip(names, area_km2.tolist(), strict=True)),
             "cells": dict(zip(names, counts.tolist(), strict=True)),
             "union_km2": shapely.union_all(metric).area / 1e6,
             "boundaries_sha256": hashlib.sha256(Path(boundaries).read_bytes()).hexdigest()}
    return MapData(name, georef, rows, cols, lu, kel, units, layout.river_name,
                   layout.river_lonlat, layout.places, illustrative_reason, source, stats=stats)


# --- writing --------------------------------------------------------------------------------
def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _ring_lines(ring: list[list[float]], indent: str, per_line: int = 4) -> list[str]:
    pts = [f"[{float(x)!r}, {float(y)!r}]" for x, y in ring]
    return [indent + ", ".join(pts[i:i + per_line]) + ","
            for i in range(0, len(pts), per_line)]


def write_map(m: MapData, path: str | Path) -> None:
    """Write the map TOML, then check it loads (raises MapError, leaving no file, if not)."""
    path = Path(path)
    kel_chars = KELURAHAN_CHARS[: len(m.units)]
    lu_char = {code: LANDUSE_CHARS[n] for n, code in LANDUSE_CODES.items()}
    lines = [m.header.rstrip("\n"), "", "[meta]", f"name = {_toml_str(m.name)}",
             f"rows = {m.rows}", f"cols = {m.cols}", f"cell_size_m = {m.georef.cell_size_m!r}",
             f"illustrative = {'true' if m.illustrative_reason else 'false'}",
             f"illustrative_reason = {_toml_str(m.illustrative_reason)}",
             f"source = {_toml_str(m.source)}", f"river_name = {_toml_str(m.river_name)}", "",
             "[georef]  # grid corner (north-west) in the projected CRS; row 0 = north edge",
             f"crs = {_toml_str(m.georef.crs)}", f"x0_m = {m.georef.x0_m!r}",
             f"y0_m = {m.georef.y0_m!r}", "", "[landuse]",
             "legend = { " + ", ".join(f'"{ch}" = "{n}"' for n, ch in LANDUSE_CHARS.items())
             + " }", "grid = ["]
    lines += [f'  "{"".join(lu_char[int(v)] for v in row)}",' for row in m.landuse]
    lines += ["]", "", "[kelurahan.legend]  # code = kelurahan (legend order = index order)"]
    lines += [f'"{ch}" = {_toml_str(u.name)}' for ch, u in zip(kel_chars, m.units, strict=True)]
    lines += ["", "[kelurahan.kecamatan]  # kelurahan = kecamatan"]
    lines += [f"{_toml_str(u.name)} = {_toml_str(u.group)}" for u in m.units]
    lines += ["", f'[kelurahan]  # one legend code per cell; "{OUTSIDE_CHAR}" = outside the city',
              "grid = ["]
    lines += [f'  "{"".join(kel_chars[v] if v >= 0 else OUTSIDE_CHAR for v in row)}",'
              for row in m.kelurahan]
    lines += ["]", ""]
    if m.river_lonlat:
        lines += ["[river]  # drawn course, [lon, lat], upstream first", "lonlat = ["]
        lines += _ring_lines([list(p) for p in m.river_lonlat], "  ")
        lines += ["]", ""]
    if m.places:
        lines += ["[places]  # named places, [lon, lat] WGS 84"]
        lines += [f"{_toml_str(p.name)} = {{ lon = {p.lon!r}, lat = {p.lat!r}, note = "
                  f"{_toml_str(p.note)} }}" for p in m.places]
        lines += [""]
    lines += ["[outlines]  # kelurahan = [polygon, ...]; polygon = [ring, ...] of [lon, lat]"]
    for u in m.units:
        lines.append(f"{_toml_str(u.name)} = [")
        for rings in u.polygons:
            lines.append("  [")
            for ring in rings:
                lines += ["    ["] + _ring_lines(ring, "      ") + ["    ],"]
            lines.append("  ],")
        lines.append("]")
    tmp = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_map(tmp)
    except MapError:
        tmp.unlink()
        raise
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build a city map TOML from a boundary GeoJSON.")
    ap.add_argument("boundaries", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--name", required=True)
    ap.add_argument("--layout", type=Path, help="layout TOML (river, places, rice fields)")
    ap.add_argument("--cell-size", type=float, default=57.0, help="cell size in metres")
    ap.add_argument("--margin", type=int, default=DEFAULT_MARGIN_CELLS,
                    help="cells of outside land around the city")
    ap.add_argument("--crs", help="projected CRS (default: the UTM zone of the city)")
    ap.add_argument("--name-property", default="nama")
    ap.add_argument("--group-property", default="kecamatan")
    ap.add_argument("--code-property", default="kode")
    ap.add_argument("--illustrative-reason", default="")
    args = ap.parse_args(argv)
    layout = read_layout(args.layout) if args.layout else None
    m = build_map(args.boundaries, args.name, layout=layout, cell_size_m=args.cell_size,
                  margin_cells=args.margin, crs=args.crs, name_property=args.name_property,
                  group_property=args.group_property, code_property=args.code_property,
                  illustrative_reason=args.illustrative_reason,
                  source=f"built from {args.boundaries.name} by simulation.environment.mapbuild")
    m.header = f"# City map {args.name!r}, built by simulation.environment.mapbuild."
    write_map(m, args.out)
    print(f"wrote {args.out}: {m.rows} x {m.cols} cells of {args.cell_size} m, "
          f"{int((m.kelurahan >= 0).sum())} inside the city, {len(m.units)} units")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
