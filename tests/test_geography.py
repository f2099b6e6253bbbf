"""Tests for simulation.environment.geography: the packaged Blitar map and the map validation."""

from __future__ import annotations

import math
from collections import deque
from pathlib import Path

import numpy as np
import pytest

from simulation.environment.geography import (
    LANDUSE_CODES,
    CityMap,
    MapError,
    default_map_path,
    load_map,
)

KELURAHAN_AREAS = {  # km2, BPS Kota Blitar Dalam Angka 2024
    "Sukorejo": {
        "Tlumpu": 1.02,
        "Karangsari": 0.88,
        "Turi": 0.51,
        "Blitar": 1.33,
        "Sukorejo": 1.47,
        "Pakunden": 2.26,
        "Tanjungsari": 2.46,
    },
    "Kepanjenkidul": {
        "Kepanjenkidul": 0.87,
        "Kepanjenlor": 0.61,
        "Kauman": 0.68,
        "Bendo": 1.52,
        "Tanggung": 2.23,
        "Sentul": 2.68,
        "Ngadirejo": 1.91,
    },
    "Sananwetan": {
        "Rembang": 0.84,
        "Klampok": 1.53,
        "Plosokerep": 1.25,
        "Karangtengah": 1.80,
        "Sananwetan": 2.13,
        "Bendogerit": 1.96,
        "Gedog": 2.65,
    },
}


@pytest.fixture(scope="module")
def blitar() -> CityMap:
    return load_map(default_map_path())


def _adjacent8(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a != b and abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1


def _connected4(mask: np.ndarray) -> bool:
    cells = {(int(r), int(c)) for r, c in np.argwhere(mask)}
    start = next(iter(cells))
    seen, queue = {start}, deque([start])
    while queue:
        r, c = queue.popleft()
        for n in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if n in cells and n not in seen:
                seen.add(n)
                queue.append(n)
    return len(seen) == len(cells)


# ---------------------------------------------------------------- the packaged map


def test_packaged_map_basics(blitar: CityMap) -> None:
    assert blitar.name == "blitar"
    assert (blitar.rows, blitar.cols) == (100, 100)
    assert blitar.landuse.shape == blitar.kelurahan.shape == blitar.kecamatan.shape == (100, 100)
    assert blitar.landuse.dtype == np.int8 and blitar.kelurahan.dtype == np.int16
    assert blitar.kecamatan.dtype == np.int8 and blitar.river_cells.dtype == np.int64
    assert blitar.illustrative is True and blitar.illustrative_reason.strip()
    assert blitar.river_name == "Kali Lahar"
    assert not blitar.landuse.flags.writeable


def test_packaged_map_admin_units(blitar: CityMap) -> None:
    assert len(blitar.kelurahan_names) == 21
    assert set(blitar.kecamatan_names) == set(KELURAHAN_AREAS)
    assert blitar.kecamatan_names == ("Sukorejo", "Kepanjenkidul", "Sananwetan")  # first-seen
    cell_km2 = blitar.cell_size_m**2 / 1e6
    counts = np.bincount(blitar.kelurahan.ravel(), minlength=21)
    for kec, members in KELURAHAN_AREAS.items():
        for kel, area in members.items():
            i = blitar.kelurahan_index(kel)
            assert blitar.kecamatan_names[blitar.kelurahan_to_kecamatan[i]] == kec
            target = area / cell_km2
            assert abs(counts[i] - target) <= max(3.0, 0.02 * target), kel
            mask = blitar.kelurahan == i
            assert _connected4(mask), f"kelurahan {kel} is not contiguous"
            assert np.all(blitar.kecamatan[mask] == blitar.kelurahan_to_kecamatan[i])
    # stylised arrangement: Sukorejo west, Kepanjenkidul centre, Sananwetan east
    mean_col = [np.argwhere(blitar.kecamatan == j)[:, 1].mean() for j in range(3)]
    assert mean_col[0] < mean_col[1] < mean_col[2]
    for j in range(3):
        assert _connected4(blitar.kecamatan == j)


def test_packaged_map_river(blitar: CityMap) -> None:
    rc = [divmod(int(i), blitar.cols) for i in blitar.river_cells]
    assert rc[0][0] == 0 and rc[-1][0] == blitar.rows - 1
    assert all(_adjacent8(a, b) for a, b in zip(rc, rc[1:], strict=False))
    assert len(set(rc)) == len(rc)
    assert set(blitar.river_cells.tolist()) == set(blitar.cells_of("river").tolist())
    length = blitar.river_segment_length_m.sum()
    assert blitar.river_length_m == pytest.approx(length)
    assert abs(length - 7840.0) <= 0.10 * 7840.0
    assert blitar.river_segment_length_m[0] == blitar.cell_size_m
    # Pakunden (tofu wastewater) and Kel. Sukorejo (Krantil slum) touch the river
    for kel in ("Pakunden", "Sukorejo"):
        mask = blitar.kelurahan == blitar.kelurahan_index(kel)
        near = np.zeros_like(mask)
        for r, c in rc:
            near[max(r - 1, 0) : r + 2, max(c - 1, 0) : c + 2] = True
        assert (mask & near).any(), kel


def test_packaged_map_landuse(blitar: CityMap) -> None:
    share = {n: float(np.mean(blitar.landuse == c)) for n, c in LANDUSE_CODES.items()}
    assert 0.55 <= share["residential"] <= 0.65
    assert 0.20 <= share["green"] <= 0.30
    assert 0.04 <= share["commercial"] <= 0.06
    assert 0.02 <= share["industrial"] <= 0.04
    ind = blitar.landuse == LANDUSE_CODES["industrial"]
    for kel in ("Pakunden", "Blitar", "Turi", "Sentul", "Ngadirejo"):
        assert (ind & (blitar.kelurahan == blitar.kelurahan_index(kel))).any(), kel
    river = np.zeros_like(ind)
    river.flat[blitar.river_cells] = True
    pak = ind & (blitar.kelurahan == blitar.kelurahan_index("Pakunden"))
    grown = np.zeros_like(pak)
    for r, c in np.argwhere(pak):
        grown[max(r - 1, 0) : r + 2, max(c - 1, 0) : c + 2] = True
    assert (grown & river).any(), "the Pakunden tofu patch must be next to the river"
    core = [blitar.kelurahan_index(k) for k in ("Kepanjenlor", "Kauman", "Kepanjenkidul")]
    com = blitar.landuse == LANDUSE_CODES["commercial"]
    assert np.isin(blitar.kelurahan[com], core).mean() > 0.6


def test_accessors(blitar: CityMap) -> None:
    assert blitar.flat_index(3, 7) == 307
    with pytest.raises(IndexError):
        blitar.flat_index(100, 0)
    total = sum(len(blitar.cells_of(n)) for n in LANDUSE_CODES)
    assert total == blitar.rows * blitar.cols
    with pytest.raises(MapError, match="swamp.*allowed: residential"):
        blitar.cells_of("swamp")
    with pytest.raises(MapError, match="Atlantis.*allowed: Tlumpu"):
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
