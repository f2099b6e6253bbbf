"""City map: land use, kelurahan / kecamatan and the river, loaded from a TOML text map.

The map is data (``simulation/scenarios/maps/*.toml``), not code. A map file has a ``[meta]``
table and two character grids of ``rows`` strings of ``cols`` characters each: ``[landuse]``
(legend char -> land-use name) and ``[kelurahan]`` (legend char -> kelurahan name, plus a
``kecamatan`` table kelurahan name -> kecamatan name). River cells (land use ``"river"``) must
form one simple 8-connected chain from the top row (upstream) to the bottom row (downstream).

Indices: cells are addressed by ``(row, col)`` with row 0 at the top (north), or by the flat
index ``row * cols + col``. Every problem in a file raises :class:`MapError` naming the file,
the section/key and what is allowed.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

LANDUSE_CODES: dict[str, int] = {
    "residential": 0,
    "commercial": 1,
    "industrial": 2,
    "green": 3,
    "river": 4,
}

_NEIGHBOURS_8 = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]


class MapError(ValueError):
    """A map file is missing something or holds a value that is not allowed."""


@dataclass(frozen=True)
class CityMap:
    """A loaded city map. Arrays are read-only; copy them to modify.

    ``kecamatan_names`` are in first-seen order when walking ``kelurahan_names`` (legend
    order), so the kecamatan of the first legend entry has index 0.
    """

    name: str
    rows: int
    cols: int
    cell_size_m: float
    illustrative: bool
    illustrative_reason: str
    landuse: np.ndarray  # int8 (rows, cols), values of LANDUSE_CODES
    kelurahan: np.ndarray  # int16 (rows, cols), index into kelurahan_names
    kecamatan: np.ndarray  # int8 (rows, cols), index into kecamatan_names
    kelurahan_names: tuple[str, ...]
    kecamatan_names: tuple[str, ...]
    kelurahan_to_kecamatan: np.ndarray  # int8 (n_kelurahan,)
    river_cells: np.ndarray  # int64 flat indices, index 0 = upstream (top row)
    river_segment_length_m: np.ndarray  # float64, length of the step into each river cell
    source: str = ""
    river_name: str = ""
    path: str = ""

    @property
    def river_length_m(self) -> float:
        """Total river length through the map (sum of the segment lengths)."""
        return float(self.river_segment_length_m.sum())

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


def load_map(path: str | Path) -> CityMap:
    """Load and validate a TOML city map (see the module docstring for the format)."""
    path = Path(path)
    f = str(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise MapError(f"{f}: not valid TOML: {e}") from None
    except OSError as e:
        raise MapError(f"map file {f}: cannot be read ({e.strerror}); scenario.map must "
                       "name a map TOML file (default maps/blitar.toml)") from None

    meta = _section(data, "meta", f)
    name = _get(meta, "name", "meta", f)
    rows = _positive_int(meta, "rows", f)
    cols = _positive_int(meta, "cols", f)
    cell = _get(meta, "cell_size_m", "meta", f)
    if isinstance(cell, bool) or not isinstance(cell, int | float) or not cell > 0:
        raise MapError(f"{f}: [meta] cell_size_m = {cell!r}; allowed: a positive number (m)")
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
    kelurahan = _parse_grid(
        kel_sec, "kelurahan", {ch: i for i, ch in enumerate(kel_legend)}, rows, cols, f
    ).astype(np.int16)

    chain = _trace_river(landuse == LANDUSE_CODES["river"], f)
    river_cells = np.array([r * cols + c for r, c in chain], dtype=np.int64)
    seg = np.full(len(chain), float(cell), dtype=np.float64)
    for i in range(1, len(chain)):
        if chain[i][0] != chain[i - 1][0] and chain[i][1] != chain[i - 1][1]:
            seg[i] = float(cell) * math.sqrt(2.0)

    kecamatan = kel_to_kec[kelurahan]
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
    )
