"""Outlines of a map's kelurahan, kecamatan and city in grid coordinates, for drawing.

Grid coordinates are cell units from the grid's north-west corner (see
:mod:`simulation.environment.georef`). Polygons come from the map's ``[outlines]`` (real
boundaries, projected) or, for maps without them, from the raster cells. shapely does the
geometry; this module is imported only when something is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import polylabel

if TYPE_CHECKING:
    from simulation.environment.geography import CityMap

CLOSE_GAPS_CELLS = 0.1   # closing radius that seals slivers between neighbours (~6 m)
MIN_HOLE_CELLS2 = 4.0    # holes smaller than this (cells^2) are slivers, not real holes


def _parts(geom: shapely.Geometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def rings_of(geom: shapely.Geometry) -> list[np.ndarray]:
    """Exterior and interior rings of a (multi)polygon as (n, 2) arrays."""
    out = []
    for part in _parts(geom):
        out.append(np.asarray(part.exterior.coords, dtype=float))
        out.extend(np.asarray(r.coords, dtype=float) for r in part.interiors)
    return out


def raster_polygon(mask: np.ndarray) -> shapely.Geometry:
    """Union of the cells of a boolean (rows, cols) mask, in grid coordinates."""
    rows, cols = np.nonzero(mask)
    if rows.size == 0:
        return Polygon()
    boxes = shapely.box(cols, rows, cols + 1.0, rows + 1.0)
    return shapely.union_all(boxes)


def raster_rings(mask: np.ndarray) -> list[np.ndarray]:
    return rings_of(raster_polygon(mask))


def polygons_in_grid(city: CityMap) -> dict[str, shapely.Geometry]:
    """Kelurahan name -> its polygon in grid coordinates (real outline or raster)."""
    if city.outlines_lonlat:
        out = {}
        for name, polys in city.outlines_lonlat.items():
            parts = []
            for rings in polys:
                grid = [city._to_grid(r) for r in rings]
                parts.append(Polygon(grid[0], grid[1:]))
            out[name] = shapely.make_valid(MultiPolygon(parts)) if len(parts) > 1 else parts[0]
        return out
    return {name: raster_polygon(city.kelurahan == i)
            for i, name in enumerate(city.kelurahan_names)}


def dissolve(polys: list[shapely.Geometry]) -> shapely.Geometry:
    """Union of neighbouring polygons with the slivers between them sealed: a small
    morphological closing, then holes smaller than MIN_HOLE_CELLS2 dropped."""
    union = shapely.union_all(polys)
    r = CLOSE_GAPS_CELLS
    closed = union.buffer(r, join_style="mitre").buffer(-r, join_style="mitre")
    parts = []
    for part in _parts(closed):
        holes = [h for h in part.interiors if Polygon(h).area >= MIN_HOLE_CELLS2]
        parts.append(Polygon(part.exterior, holes))
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def dissolve_rings(polys: list[shapely.Geometry]) -> list[np.ndarray]:
    return rings_of(dissolve(polys)) if polys else []


def label_point(geom: shapely.Geometry) -> tuple[float, float]:
    """A point well inside the largest part (pole of inaccessibility), for a label."""
    parts = _parts(geom)
    if not parts:
        return (float("nan"), float("nan"))
    largest = max(parts, key=lambda p: p.area)
    p = polylabel(largest, tolerance=0.25)
    return (float(p.x), float(p.y))
