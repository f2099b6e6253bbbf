"""Building a map from a boundary GeoJSON: the README's "another city" example, run as written,
and clear errors for bad or mismatched inputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import shape

from simulation.cli import main as cli_main
from simulation.environment import mapbuild
from simulation.environment.geography import LANDUSE_CODES, MapError, load_map
from simulation.model import BlitarModel
from simulation.scenarios import load_config

EXAMPLE = Path(__file__).resolve().parent / "data" / "another_city"


@pytest.fixture(scope="module")
def contoh(tmp_path_factory) -> Path:
    """The README example: ``python -m simulation.environment.mapbuild ...``."""
    out = tmp_path_factory.mktemp("contoh") / "maps" / "contoh.toml"
    assert mapbuild.main([str(EXAMPLE / "kelurahan.geojson"), str(out), "--name", "contoh",
                          "--layout", str(EXAMPLE / "layout.toml")]) == 0
    return out


def test_another_city_map(contoh: Path) -> None:
    m = load_map(contoh)
    assert m.kelurahan_names == ("Kulon", "Kidul", "Lor", "Wetan")  # code order
    assert m.kecamatan_names == ("Barat", "Timur") and m.georef.crs == "EPSG:32749"
    geod = Geod(ellps="WGS84")
    counts = np.bincount(m.kelurahan[m.inside], minlength=4)
    for f in json.loads((EXAMPLE / "kelurahan.geojson").read_text())["features"]:
        area, perimeter = geod.geometry_area_perimeter(shape(f["geometry"]))
        # majority rasterising misassigns at most about half a cell along the boundary (these
        # 19-cell squares sit in the worst case, edges parallel to the grid: up to ~10 %)
        grid = counts[m.kelurahan_index(f["properties"]["nama"])] * 57.0**2
        assert abs(grid - abs(area)) <= perimeter * 57.0 / 2
    assert m.river_name == "Kali Contoh" and m.river_in_city.any()
    ind = m.landuse == LANDUSE_CODES["industrial"]
    assert ind[m.kelurahan == m.kelurahan_index("Kidul")].sum() == 15
    assert (m.landuse[m.kelurahan == m.kelurahan_index("Lor")] == LANDUSE_CODES[
        "commercial"]).sum() == 20
    assert not m.inside[0].any() and not m.inside[:, -1].any()  # the outside margin


def test_another_city_runs(contoh: Path, tmp_path: Path, monkeypatch) -> None:
    """README step 2, from the folder holding maps/contoh.toml (shortened horizon)."""
    monkeypatch.chdir(contoh.parent.parent)
    out = tmp_path / "run"
    assert cli_main(["run", "--scenario", str(EXAMPLE / "scenario.toml"), "--scale", "50",
                     "--set", "scenario.end_year=2026", "--out", str(out),
                     "--no-progress"]) == 0
    table = pd.read_parquet(out / "kelurahan.parquet")
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert set(table["kelurahan"]) == {"Kulon", "Kidul", "Lor", "Wetan"}
    last = table[table["step"] == 12]
    assert last["residents"].sum() == pytest.approx(ts["population"].iloc[-1])
    cfg = load_config(str(EXAMPLE / "scenario.toml"), **{"scenario.scale": 50,
                                                         "scenario.end_year": 2026})
    m = BlitarModel(cfg)
    assert m.city.name == "contoh" and m.city.inside.ravel()[m.households.home].all()


def test_scenario_naming_a_kelurahan_not_on_the_map(contoh: Path) -> None:
    cfg = load_config("blitar", **{"scenario.map": str(contoh), "scenario.scale": 50,
                                   "scenario.end_year": 2026})
    with pytest.raises(MapError, match="unknown kelurahan 'Pakunden'; allowed: Kulon"):
        BlitarModel(cfg)


def _features() -> list[dict]:
    return json.loads((EXAMPLE / "kelurahan.geojson").read_text())["features"]


def _fc(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def _edit(i: int, **props) -> str:
    feats = _features()
    feats[i]["properties"].update(props)
    return _fc(feats)


def _geom(i: int, geometry: dict) -> str:
    feats = _features()
    feats[i]["geometry"] = geometry
    return _fc(feats)


BAD_GEOJSON = {
    "not json": ("{not json", ["not a GeoJSON (UTF-8 JSON)"]),
    "not a collection": ('{"type": "Feature"}', ["FeatureCollection"]),
    "no features": (_fc([]), ["at least one feature"]),
    "missing name": (_edit(1, nama=""), ["features[1].properties.nama is missing"]),
    "missing kecamatan": (_edit(2, kecamatan=None), ["features[2].properties.kecamatan"]),
    "duplicate name": (_edit(1, nama="Kulon"), ["'Kulon' appears twice"]),
    "point geometry": (_geom(0, {"type": "Point", "coordinates": [111.5, -7.6]}),
                       ["features[0] (Kulon).geometry.type = 'Point'", "allowed: Polygon"]),
    "bow tie": (_geom(0, {"type": "Polygon", "coordinates": [[[111.50, -7.60], [111.51, -7.61],
                                                              [111.51, -7.60], [111.50, -7.61],
                                                              [111.50, -7.60]]]}),
                ["features[0] (Kulon).geometry is empty or invalid", "Self-intersection"]),
    "lat/lon swapped": (_geom(0, {"type": "Polygon", "coordinates": [[[-7.60, 111.50],
                                                                      [-7.60, 111.51],
                                                                      [-7.61, 111.51],
                                                                      [-7.60, 111.50]]]}),
                        ["not lon/lat degrees", "[longitude, latitude]"]),
}


@pytest.mark.parametrize("case", list(BAD_GEOJSON))
def test_bad_geojson(tmp_path: Path, case: str) -> None:
    text, fragments = BAD_GEOJSON[case]
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MapError) as err:
        mapbuild.build_map(path, "bad")
    msg = str(err.value)
    assert msg.startswith(str(path)) and "\n" not in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


def _layout(tmp_path: Path, text: str) -> mapbuild.Layout:
    path = tmp_path / "layout.toml"
    path.write_text(text, encoding="utf-8")
    return mapbuild.read_layout(path)


RIVER = '[river]\nlonlat = [[111.5085, -7.585], [111.5088, -7.635]]\n'
MISMATCHED_LAYOUT = {
    "place in an unknown kelurahan": (
        RIVER + '[[place]]\nname = "Tofu"\nlon = 111.505\nlat = -7.605\nlanduse = "industrial"'
        '\ncells = 5\nkelurahan = "Pakunden"\n', ["place 'Tofu'", "unknown kelurahan Pakunden",
                                                  "allowed: Kulon"]),
    "place outside its kelurahan": (
        RIVER + '[[place]]\nname = "Pasar"\nlon = 111.505\nlat = -7.605\nlanduse = "commercial"'
        '\ncells = 5\nkelurahan = "Wetan"\n', ["place 'Pasar'", "lies in Kulon, not in Wetan"]),
    "river not crossing the grid": (
        '[river]\nlonlat = [[111.5085, -7.602], [111.5088, -7.635]]\n',
        ["[river] lonlat must start north of the map grid"]),
    "bad land use": (RIVER + '[[place]]\nname = "X"\nlon = 111.505\nlat = -7.605\n'
                     'landuse = "swamp"\ncells = 3\n', ["landuse = 'swamp'",
                                                       "allowed: residential"]),
}


@pytest.mark.parametrize("case", list(MISMATCHED_LAYOUT))
def test_mismatched_layout(tmp_path: Path, case: str) -> None:
    text, fragments = MISMATCHED_LAYOUT[case]
    with pytest.raises(MapError) as err:
        mapbuild.build_map(EXAMPLE / "kelurahan.geojson", "x",
                           layout=_layout(tmp_path, text))
    msg = str(err.value)
    assert "layout.toml" in msg and "\n" not in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


@pytest.mark.parametrize("cell", [float("inf"), float("nan"), 0.0, -5.0])
def test_bad_cell_size(cell: float) -> None:
    with pytest.raises(MapError, match="cell_size_m = .*positive finite"):
        mapbuild.build_map(EXAMPLE / "kelurahan.geojson", "x", cell_size_m=cell)


def test_overlaps_and_gaps_resolve_deterministically(tmp_path: Path) -> None:
    """Two squares overlapping by a strip and leaving a sliver gap: every inside cell gets
    one kelurahan, the larger share wins, the result does not depend on file order."""
    feats = _features()[:2]
    feats[0]["geometry"]["coordinates"] = [[[111.500, -7.600], [111.5104, -7.600],
                                            [111.5104, -7.610], [111.500, -7.610],
                                            [111.500, -7.600]]]   # 40 m into its neighbour
    feats[1]["geometry"]["coordinates"] = [[[111.5100, -7.600], [111.520, -7.600],
                                            [111.520, -7.610], [111.5100, -7.610],
                                            [111.5100, -7.600]]]
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    a.write_text(_fc(feats))
    b.write_text(_fc(feats[::-1]))
    ma, mb = mapbuild.build_map(a, "x"), mapbuild.build_map(b, "x")
    np.testing.assert_array_equal(ma.kelurahan, mb.kelurahan)
    inside = ma.kelurahan >= 0
    assert inside.sum() > 0 and np.bincount(ma.kelurahan[inside]).size == 2
