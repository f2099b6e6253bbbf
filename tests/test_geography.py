"""Tests for simulation.environment.geography: the packaged Blitar map (built from the real
kelurahan boundaries) and the map validation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import shape
from shapely.ops import polylabel

from simulation.environment.geography import (
    LANDUSE_CODES,
    CityMap,
    MapError,
    default_map_path,
    load_map,
)

BOUNDARIES = Path(__file__).resolve().parents[1] / "data" / "blitar_boundaries"
FEATURES = json.loads((BOUNDARIES / "kelurahan.geojson").read_text())["features"]


@pytest.fixture(scope="module")
def blitar() -> CityMap:
    return load_map(default_map_path())


def _mask(city: CityMap, kel: str) -> np.ndarray:
    return city.kelurahan == city.kelurahan_index(kel)


def _near(mask: np.ndarray, cells: np.ndarray, cols: int, radius: int = 1) -> bool:
    """Does any cell of ``mask`` lie within ``radius`` (Chebyshev) of one of ``cells``?"""
    grown = np.zeros_like(mask)
    for r, c in (divmod(int(i), cols) for i in cells):
        grown[max(r - radius, 0): r + radius + 1, max(c - radius, 0): c + radius + 1] = True
    return bool((grown & mask).any())


# ---------------------------------------------------------------- the packaged map


def test_packaged_map_basics(blitar: CityMap) -> None:
    assert blitar.name == "blitar" and blitar.cell_size_m == 57.0
    assert blitar.landuse.shape == blitar.kelurahan.shape == (blitar.rows, blitar.cols)
    assert blitar.landuse.dtype == np.int8 and blitar.kelurahan.dtype == np.int16
    assert blitar.kecamatan.dtype == np.int8 and blitar.river_cells.dtype == np.int64
    assert blitar.illustrative is True and blitar.illustrative_reason.strip()
    assert blitar.river_name == "Kali Lahar"
    assert blitar.georef is not None and blitar.georef.crs == "EPSG:32749"
    assert not blitar.landuse.flags.writeable
    outside = ~blitar.inside
    assert outside.any() and (blitar.kelurahan[outside] == -1).all()
    assert (blitar.kecamatan[outside] == -1).all()
    # outside cells are land use "outside" except where the river runs outside the city
    lu_out = blitar.landuse[outside]
    assert set(np.unique(lu_out)) == {LANDUSE_CODES["outside"], LANDUSE_CODES["river"]}
    # the edge rows and columns are outside (the margin the air crosses)
    for edge in (blitar.inside[0], blitar.inside[-1], blitar.inside[:, 0], blitar.inside[:, -1]):
        assert not edge.any()


def test_every_kelurahan_present_with_its_kecamatan(blitar: CityMap) -> None:
    names = {f["properties"]["nama"]: f["properties"]["kecamatan"] for f in FEATURES}
    assert len(names) == 21 and set(blitar.kelurahan_names) == set(names)
    assert set(blitar.kecamatan_names) == {"Kepanjenkidul", "Sukorejo", "Sananwetan"}
    for i, kel in enumerate(blitar.kelurahan_names):
        assert blitar.kecamatan_names[blitar.kelurahan_to_kecamatan[i]] == names[kel]
        mask = _mask(blitar, kel)
        assert mask.any()
        assert np.all(blitar.kecamatan[mask] == blitar.kelurahan_to_kecamatan[i])


def test_rasterised_areas_match_the_polygons(blitar: CityMap) -> None:
    """Cells of each kelurahan x cell area within 5 % of its polygon's geodesic area
    (computed here from the GeoJSON with pyproj.Geod, independently of the map code)."""
    geod = Geod(ellps="WGS84")
    cell_km2 = blitar.cell_size_m ** 2 / 1e6
    counts = np.bincount(blitar.kelurahan[blitar.inside], minlength=blitar.n_kelurahan)
    total_poly = 0.0
    for f in FEATURES:
        area = abs(geod.geometry_area_perimeter(shape(f["geometry"]))[0]) / 1e6
        total_poly += area
        grid = counts[blitar.kelurahan_index(f["properties"]["nama"])] * cell_km2
        assert grid == pytest.approx(area, rel=0.05), f["properties"]["nama"]
    # union 33.17 km2 (SOURCE.md); the sum counts the 0.02 km2 of overlaps twice
    assert counts.sum() * cell_km2 == pytest.approx(total_poly, rel=0.01)


def test_georeference_round_trips_and_matches_the_polygons(blitar: CityMap) -> None:
    rng = np.random.default_rng(0)
    rows = rng.integers(0, blitar.rows, 200)
    cols = rng.integers(0, blitar.cols, 200)
    lon, lat = blitar.cell_to_lonlat(rows, cols)
    assert np.all((112.0 < lon) & (lon < 112.3) & (-8.2 < lat) & (lat < -8.0))
    back_r, back_c = blitar.lonlat_to_cell(lon, lat)
    np.testing.assert_array_equal(back_r, rows)
    np.testing.assert_array_equal(back_c, cols)
    # a point deep inside each polygon lands in a cell of that kelurahan
    for f in FEATURES:
        p = polylabel(shape(f["geometry"]), 1e-6)
        r, c = blitar.lonlat_to_cell(p.x, p.y)
        assert blitar.kelurahan_names[blitar.kelurahan[int(r), int(c)]] == f["properties"]["nama"]


def test_packaged_map_river(blitar: CityMap) -> None:
    rc = [divmod(int(i), blitar.cols) for i in blitar.river_cells]
    assert rc[0][0] == 0 and rc[-1][0] == blitar.rows - 1  # enters north, leaves south
    steps = zip(rc, rc[1:], strict=False)
    assert all(max(abs(a[0] - b[0]), abs(a[1] - b[1])) == 1 for a, b in steps)
    assert set(blitar.river_cells.tolist()) == set(blitar.cells_of("river").tolist())
    in_city = blitar.river_segment_length_m[blitar.river_in_city].sum()
    assert abs(in_city - 7840.0) <= 0.10 * 7840.0  # Kali Lahar ~7.84 km through the city
    # tofu wastewater (Pakunden) and the Krantil settlement (Kel. Sukorejo) are on the river
    for kel in ("Pakunden", "Sukorejo"):
        assert _near(_mask(blitar, kel), blitar.river_cells, blitar.cols), kel


def test_packaged_map_named_places(blitar: CityMap) -> None:
    lu, cols = blitar.landuse, blitar.cols
    inside = blitar.inside
    share = {n: float(np.mean(lu[inside] == c)) for n, c in LANDUSE_CODES.items()}
    assert 0.55 <= share["residential"] <= 0.70 and 0.20 <= share["green"] <= 0.32
    assert 0.04 <= share["commercial"] <= 0.06 and 0.02 <= share["industrial"] <= 0.05
    ind = lu == LANDUSE_CODES["industrial"]
    for kel in ("Pakunden", "Blitar", "Turi", "Sentul", "Ngadirejo", "Kepanjenkidul",
                "Sukorejo"):
        assert (ind & _mask(blitar, kel)).any(), kel
    pak = np.flatnonzero((ind & _mask(blitar, "Pakunden")).ravel())
    assert _near(np.isin(np.arange(lu.size), blitar.river_cells).reshape(lu.shape), pak, cols)
    core = np.isin(blitar.kelurahan, [blitar.kelurahan_index(k) for k in
                                       ("Kepanjenlor", "Kauman", "Kepanjenkidul", "Bendo")])
    com = lu == LANDUSE_CODES["commercial"]
    assert (com & core).sum() / com.sum() > 0.9
    places = {p.name: p for p in blitar.places}
    for name, kel in (("Krantil", "Sukorejo"), ("Alun-alun", None),
                      ("Makam Bung Karno", "Bendogerit")):
        r, c = (int(v) for v in blitar.lonlat_to_cell(places[name].lon, places[name].lat))
        here = blitar.kelurahan_names[blitar.kelurahan[r, c]]
        assert kel is None or here == kel, name
    r, c = (int(v) for v in blitar.lonlat_to_cell(places["Krantil"].lon, places["Krantil"].lat))
    assert _near(np.eye(1, lu.size, r * cols + c, dtype=bool).reshape(lu.shape),
                 blitar.river_cells, cols)
    r, c = (int(v) for v in blitar.lonlat_to_cell(places["Alun-alun"].lon,
                                                   places["Alun-alun"].lat))
    assert lu[r, c] == LANDUSE_CODES["green"]
    assert blitar.kelurahan_names[blitar.kelurahan[r, c]] in ("Kauman", "Kepanjenlor")


def test_drawing_geometry(blitar: CityMap) -> None:
    """What plots and the browser view draw: outlines, label points, river course."""
    assert set(blitar.kelurahan_outlines) == set(blitar.kelurahan_names)
    assert set(blitar.kecamatan_outlines) == set(blitar.kecamatan_names)
    assert len(blitar.city_outline) >= 1
    for name, (x, y) in blitar.label_points.items():
        assert blitar.kelurahan[int(y), int(x)] == blitar.kelurahan_index(name), name
    course = blitar.river_course
    assert course.shape[1] == 2 and course[0, 1] < 0 < blitar.rows < course[-1, 1]


def test_accessors(blitar: CityMap) -> None:
    assert blitar.flat_index(3, 7) == 3 * blitar.cols + 7
    with pytest.raises(IndexError):
        blitar.flat_index(blitar.rows, 0)
    total = sum(len(blitar.cells_of(n)) for n in LANDUSE_CODES)
    assert total == blitar.rows * blitar.cols
    with pytest.raises(MapError, match="swamp.*allowed: residential"):
        blitar.cells_of("swamp")
    with pytest.raises(MapError, match="Atlantis.*allowed: Kepanjenkidul"):
        blitar.kelurahan_index("Atlantis")


# ---------------------------------------------------------------- toy maps

TOY_LANDUSE = [  # 6 rows x 5 cols; river (0,2)(1,1)(2,1)(3,2)(3,3)(4,4)(5,3)
    "..R..",
    ".R...",
    ".R.GG",
    "CCRR.",
    "I...R",
    "...R.",
]
TOY_KEL = ["xxyyy"] * 6


def _toy_text(
    landuse: list[str] | None = None,
    kel: list[str] | None = None,
    meta: dict[str, str] | None = None,
    kecamatan: str = '{ "X" = "A", "Y" = "B" }',
    drop: str = "",
) -> str:
    m = {
        "name": '"toy"',
        "rows": "6",
        "cols": "5",
        "cell_size_m": "57.0",
        "illustrative": "true",
        "illustrative_reason": '"test"',
    }
    m.update(meta or {})

    def grid(rows: list[str]) -> str:
        return "grid = [" + ", ".join(f'"{r}"' for r in rows) + "]"

    parts = {
        "meta": "[meta]\n" + "\n".join(f"{k} = {v}" for k, v in m.items() if v is not None),
        "landuse": '[landuse]\nlegend = { "." = "residential", "C" = "commercial", '
        '"I" = "industrial", "G" = "green", "R" = "river" }\n' + grid(landuse or TOY_LANDUSE),
        "kelurahan": '[kelurahan]\nlegend = { "x" = "X", "y" = "Y" }\n'
        f"kecamatan = {kecamatan}\n" + grid(kel or TOY_KEL),
    }
    return "\n\n".join(v for k, v in parts.items() if k != drop) + "\n"


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "toy.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_toy_map_river_order(tmp_path: Path) -> None:
    m = load_map(_write(tmp_path, _toy_text()))
    assert m.river_cells.tolist() == [2, 6, 11, 17, 18, 24, 28]
    c, d = 57.0, 57.0 * math.sqrt(2)
    np.testing.assert_allclose(m.river_segment_length_m, [c, d, c, d, c, d, d])
    assert m.kelurahan_names == ("X", "Y") and m.kecamatan_names == ("A", "B")
    assert m.kecamatan[0].tolist() == [0, 0, 1, 1, 1]
    assert m.landuse[3, 0] == LANDUSE_CODES["commercial"] and m.landuse[4, 0] == 2
    assert m.cells_of("green").tolist() == [13, 14]


def _replace(rows: list[str], r: int, c: int, ch: str) -> list[str]:
    out = list(rows)
    out[r] = out[r][:c] + ch + out[r][c + 1 :]
    return out


BAD_CASES = {
    "unknown char": (
        {"landuse": _replace(TOY_LANDUSE, 2, 3, "Z")},
        ["[landuse]", "'Z'", "row 2, col 3", "allowed: '.'"],
    ),
    "short row": (
        {"landuse": TOY_LANDUSE[:1] + ["..."] + TOY_LANDUSE[2:]},
        ["[landuse]", "row 1", "length 3", "cols = 5"],
    ),
    "wrong row count": ({"kel": TOY_KEL[:5]}, ["[kelurahan]", "5 rows", "rows = 6"]),
    "missing section": ({"drop": "kelurahan"}, ["missing section [kelurahan]"]),
    "missing key": ({"meta": {"rows": None}}, ["[meta]", "'rows'"]),
    "negative cell size": ({"meta": {"cell_size_m": "-57.0"}}, ["cell_size_m", "-57.0"]),
    "zero rows": ({"meta": {"rows": "0"}}, ["[meta] rows", "positive integer"]),
    "unknown kelurahan in kecamatan table": (
        {"kecamatan": '{ "X" = "A", "Y" = "B", "Zed" = "B" }'},
        ["kecamatan", "'Zed'", "allowed: X, Y"],
    ),
    "kelurahan without kecamatan": (
        {"kecamatan": '{ "X" = "A" }'},
        ["kecamatan", "'Y'", "not mapped"],
    ),
    "no river": (
        {"landuse": [r.replace("R", ".") for r in TOY_LANDUSE]},
        ["[landuse]", "no river"],
    ),
    "broken river": (
        {"landuse": _replace(TOY_LANDUSE, 2, 1, ".")},
        ["[landuse]", "broken", "row 1, col 1", "row 3, col 2"],
    ),
    "branching river": (
        {"landuse": _replace(TOY_LANDUSE, 2, 0, "R")},
        ["[landuse]", "branches at row 1, col 1"],
    ),
    "river not reaching bottom": (
        {"landuse": TOY_LANDUSE[:5] + ["....."]},
        ["bottom row 5", "row 4, col 4"],
    ),
    "river not touching top": (
        {"landuse": ["....."] + TOY_LANDUSE[1:]},
        ["top row 0", "row 1, col 1"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_maps_raise(tmp_path: Path, case: str) -> None:
    kwargs, fragments = BAD_CASES[case]
    path = _write(tmp_path, _toy_text(**kwargs))
    with pytest.raises(MapError) as err:
        load_map(path)
    msg = str(err.value)
    assert str(path) in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


def test_river_with_detached_loop(tmp_path: Path) -> None:
    landuse = ["R......", "R......", "R...R..", "R..R.R.", "R...R..", "R......"]
    path = _write(tmp_path, _toy_text(landuse=landuse, kel=["xxyyyyy"] * 6, meta={"cols": "7"}))
    with pytest.raises(MapError, match=r"disconnected river piece at row 2, col 4"):
        load_map(path)


def test_invalid_toml_and_legend(tmp_path: Path) -> None:
    with pytest.raises(MapError, match="not valid TOML"):
        load_map(_write(tmp_path, "[meta\nname = 1\n"))
    bad_legend = _toy_text().replace('"G" = "green"', '"G" = "forest"')
    with pytest.raises(MapError, match=r"\[landuse\] legend 'G' = 'forest'.*allowed land uses"):
        load_map(_write(tmp_path, bad_legend))


# ---------------------------------------------------------------- outside cells, georef, outlines

GEOREF = '[georef]\ncrs = "EPSG:32749"\nx0_m = 624700.0\ny0_m = 9109600.0\n'
SQUARE = "[[[112.14, -8.06], [112.141, -8.06], [112.141, -8.061], [112.14, -8.06]]]"


def _extra(extra: str, **kwargs) -> str:
    return _toy_text(**kwargs) + "\n" + extra


def test_outside_cells_and_georef(tmp_path: Path) -> None:
    landuse = ["--R..", "-R...", ".R.GG", "CCRR.", "I...R", "...R-"]
    kel = ["--yyy", "-xyyy", "xxyyy", "xxyyy", "xxyyy", "xxyy-"]
    text = _extra(GEOREF + f"[outlines]\nX = [{SQUARE}]\nY = [{SQUARE}]\n",
                  landuse=landuse, kel=kel).replace(
        '"R" = "river" }', '"R" = "river", "-" = "outside" }')
    m = load_map(_write(tmp_path, text))
    assert m.inside.sum() == 30 - 4 and not m.inside[0, 0] and m.inside[0, 3]
    assert m.kelurahan[0, 0] == -1 and m.kecamatan[0, 0] == -1
    assert m.river_in_city.tolist() == [True, True, True, True, True, True, True]
    lon, lat = m.cell_to_lonlat(np.array([0, 5]), np.array([0, 4]))
    r, c = m.lonlat_to_cell(lon, lat)
    assert r.tolist() == [0, 5] and c.tolist() == [0, 4]
    assert set(m.kelurahan_outlines) == {"X", "Y"}


def test_map_without_georef_has_no_lonlat(tmp_path: Path) -> None:
    m = load_map(_write(tmp_path, _toy_text()))
    assert m.georef is None and m.inside.all()
    with pytest.raises(MapError, match="no \\[georef\\]"):
        m.cell_to_lonlat(0, 0)
    assert set(m.kelurahan_outlines) == {"X", "Y"}  # drawn from the raster instead
    assert set(m.label_points) == {"X", "Y"}


NEW_BAD_CASES = {
    "infinite cell size": ({"meta": {"cell_size_m": "inf"}}, "", ["cell_size_m = inf",
                                                                  "positive finite"]),
    "nan cell size": ({"meta": {"cell_size_m": "nan"}}, "", ["cell_size_m = nan"]),
    "outside kelurahan on a house": ({"kel": ["-xyyy"] + TOY_KEL[1:]}, "",
                                     ["row 0, col 0", "'-'", "not 'outside'"]),
    "unknown crs": ({}, GEOREF.replace("EPSG:32749", "EPSG:999999"),
                    ["[georef] crs = 'EPSG:999999'", "projected CRS"]),
    "geographic crs": ({}, GEOREF.replace("EPSG:32749", "EPSG:4326"),
                       ["[georef] crs", "not a projected CRS"]),
    "corner not finite": ({}, GEOREF.replace("624700.0", "nan"), ["[georef] x0_m = nan"]),
    "outline of an unknown kelurahan": (
        {}, GEOREF + f"[outlines]\nX = [{SQUARE}]\nY = [{SQUARE}]\nZed = [{SQUARE}]\n",
        ["[outlines] unknown kelurahan 'Zed'", "allowed: X, Y"]),
    "kelurahan without outline": ({}, GEOREF + f"[outlines]\nX = [{SQUARE}]\n",
                                  ["[outlines] has no polygon for kelurahan Y"]),
    "outlines without georef": ({}, f"[outlines]\nX = [{SQUARE}]\nY = [{SQUARE}]\n",
                                ["[outlines] needs a [georef]"]),
    "open ring": ({}, GEOREF + "[outlines]\nX = [[[[112.14, -8.06], [112.141, -8.06], "
                  "[112.141, -8.061], [112.14, -8.062]]]]\nY = [" + SQUARE + "]\n",
                  ["'X' polygon 0 ring 0 is not closed"]),
    "latitude first": ({}, GEOREF + "[outlines]\nX = [[[[-8.06, 112.14], [-8.06, 112.141], "
                       "[-8.061, 112.141], [-8.06, 112.14]]]]\nY = [" + SQUARE + "]\n",
                       ["lon -180..180 / lat -90..90", "longitude first"]),
}


@pytest.mark.parametrize("case", list(NEW_BAD_CASES))
def test_bad_geo_maps_raise(tmp_path: Path, case: str) -> None:
    kwargs, extra, fragments = NEW_BAD_CASES[case]
    path = _write(tmp_path, _extra(extra, **kwargs))
    with pytest.raises(MapError) as err:
        load_map(path)
    msg = str(err.value)
    assert str(path) in msg and "\n" not in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


def test_non_utf8_map(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(_toy_text().replace('"toy"', '"Kota Bl\u00eftar"').encode("latin-1"))
    with pytest.raises(MapError, match=r"latin1.toml: not UTF-8 text"):
        load_map(path)
