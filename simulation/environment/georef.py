"""Georeference of a map grid: which patch of the Earth each cell covers.

A grid is laid out in a projected CRS (metres; Kota Blitar uses UTM zone 49S, EPSG:32749):
``x0_m, y0_m`` is the north-west corner of cell (0, 0), rows run south and columns east, and
each cell is a square of ``cell_size_m``. *Grid coordinates* ``(x, y)`` are in cell units from
that corner: cell ``(row, col)`` covers ``col <= x < col + 1`` and ``row <= y < row + 1``, so
its centre is ``(col + 0.5, row + 0.5)``. Lon/lat are WGS 84 (EPSG:4326), longitude first.
pyproj does the projection; it is imported only when a conversion is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np


@dataclass(frozen=True)
class GeoRef:
    crs: str          # projected CRS of the grid, e.g. "EPSG:32749"
    x0_m: float       # easting of the grid's north-west corner
    y0_m: float       # northing of the grid's north-west corner
    cell_size_m: float

    @cached_property
    def _to_crs(self) -> Any:
        from pyproj import Transformer

        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    @cached_property
    def _to_lonlat(self) -> Any:
        from pyproj import Transformer

        return Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    # --- projected metres <-> grid coordinates -------------------------------------------
    def grid_from_xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Projected (x, y) in metres -> grid coordinates (cell units from the NW corner)."""
        s = self.cell_size_m
        return (np.asarray(x, float) - self.x0_m) / s, (self.y0_m - np.asarray(y, float)) / s

    def xy_from_grid(self, gx: np.ndarray, gy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self.cell_size_m
        return self.x0_m + np.asarray(gx, float) * s, self.y0_m - np.asarray(gy, float) * s

    # --- lon/lat <-> grid coordinates and cells ------------------------------------------
    def grid_from_lonlat(self, lon: np.ndarray, lat: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
        x, y = self._to_crs.transform(lon, lat)
        return self.grid_from_xy(x, y)

    def lonlat_from_grid(self, gx: np.ndarray, gy: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.broadcast_arrays(*self.xy_from_grid(gx, gy))
        lon, lat = self._to_lonlat.transform(x, y)
        return np.asarray(lon, float), np.asarray(lat, float)

    def cell_to_lonlat(self, row: np.ndarray | int, col: np.ndarray | int
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Lon/lat of cell centres."""
        return self.lonlat_from_grid(np.asarray(col) + 0.5, np.asarray(row) + 0.5)

    def lonlat_to_cell(self, lon: np.ndarray | float, lat: np.ndarray | float
                       ) -> tuple[np.ndarray, np.ndarray]:
        """(row, col) of the cells holding the points (may lie outside the grid)."""
        gx, gy = self.grid_from_lonlat(lon, lat)
        return np.floor(gy).astype(np.int64), np.floor(gx).astype(np.int64)


def check_crs(crs: str) -> str | None:
    """None if pyproj knows ``crs`` and it is projected in metres, else the reason."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        c = CRS.from_user_input(crs)
    except CRSError as exc:
        return f"not a CRS pyproj knows ({exc})"
    if not c.is_projected:
        return "not a projected CRS (the grid needs metres, e.g. a UTM zone)"
    unit = c.axis_info[0].unit_name if c.axis_info else ""
    if unit not in ("metre", "meter"):
        return f"axis unit is {unit!r}, not metre"
    return None


def utm_crs_for(lon: float, lat: float) -> str:
    """EPSG code of the UTM zone holding a point (WGS 84), e.g. 'EPSG:32749' for Blitar."""
    zone = int((lon + 180.0) // 6.0) + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"
