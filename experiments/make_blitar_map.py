"""Generate the illustrative Kota Blitar city map ``simulation/scenarios/maps/blitar.toml``.

The map is ILLUSTRATIVE: no open GIS boundaries were used. Only the areas, the names, the
kelurahan -> kecamatan membership, the river length and the location of the industry clusters
are sourced (BPS Kota Blitar Dalam Angka 2024, ../shared/design/blitar_facts.md); positions and
shapes are hand-placed guesses that keep the west (Sukorejo) / centre (Kepanjenkidul) / east
(Sananwetan) arrangement.

Procedure (deterministic, seed ``SEED``):

1. Grid: 100 x 100 cells of 57 m (32.49 km2, about the 32.57 km2 city); every cell is in the city.
2. Kelurahan: a capacity-constrained power diagram. Each kelurahan has a hand-placed centre
   (``KELURAHAN`` below); a cell goes to the centre minimising ``|x' - c|^2 - w``, where ``x'`` is
   the cell position after a smooth random warp (organic boundaries) and the weights ``w`` are
   iterated until each kelurahan's cell count equals its target (true area share of the grid,
   largest-remainder rounding). Small disconnected fragments are merged into a neighbour.
3. River (Kali Lahar): a meandering centreline ``col(row)`` (two sines around a hand-drawn
   course), rasterised into a simple 8-connected chain from row 0 to row 99; the amplitude is
   chosen so the chain length (diagonal steps count sqrt(2)) is closest to 7.84 km.
4. Land use, in this order: river; commercial core around the alun-alun (Kepanjenlor / Kauman /
   Kepanjenkidul) plus strips along two main roads; industrial patches (tofu/tempe at Pakunden
   next to the river, cigarette plants at Kel. Blitar, batik at Turi, kendang crafts at Sentul and
   Ngadirejo); green = rice fields ranked by closeness to the city edge with a south/east bias
   (at most 65 % of a kelurahan), plus the alun-alun and the Makam Bung Karno park; the rest is
   residential.

Run from the repository root::

    .venv/bin/python experiments/make_blitar_map.py [--out PATH] [--png PATH]

It writes the TOML, checks it loads with ``simulation.geography.load_map`` and prints the
per-kelurahan cell counts vs target, the land-use shares and the river length.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from simulation.environment.geography import LANDUSE_CODES, CityMap, load_map  # noqa: E402

SEED = 20250101
ROWS = COLS = 100
CELL_M = 57.0
RIVER_TARGET_M = 7840.0
SHARES = {"commercial": 0.050, "green": 0.28}  # illustrative targets
MAX_GREEN_SHARE = 0.65  # rice fields per kelurahan at most (keeps every kelurahan lived-in)

# (code, kelurahan, kecamatan, area km2 [BPS 2024], hand-placed centre (row, col); row 0 = north)
KELURAHAN = [
    ("a", "Tlumpu", "Sukorejo", 1.02, (9, 26)),
    ("b", "Karangsari", "Sukorejo", 0.88, (8, 9)),
    ("c", "Turi", "Sukorejo", 0.51, (24, 22)),
    ("d", "Blitar", "Sukorejo", 1.33, (30, 7)),
    ("e", "Sukorejo", "Sukorejo", 1.47, (46, 24)),
    ("f", "Pakunden", "Sukorejo", 2.26, (84, 20)),
    ("g", "Tanjungsari", "Sukorejo", 2.46, (60, 7)),
    ("h", "Kepanjenkidul", "Kepanjenkidul", 0.87, (49, 45)),
    ("i", "Kepanjenlor", "Kepanjenkidul", 0.61, (37, 47)),
    ("j", "Kauman", "Kepanjenkidul", 0.68, (42, 38)),
    ("k", "Bendo", "Kepanjenkidul", 1.52, (24, 53)),
    ("l", "Tanggung", "Kepanjenkidul", 2.23, (9, 42)),
    ("m", "Sentul", "Kepanjenkidul", 2.68, (14, 63)),
    ("n", "Ngadirejo", "Kepanjenkidul", 1.91, (27, 34)),
    ("o", "Rembang", "Sananwetan", 0.84, (57, 57)),
    ("p", "Klampok", "Sananwetan", 1.53, (66, 88)),
    ("q", "Plosokerep", "Sananwetan", 1.25, (78, 70)),
    ("r", "Karangtengah", "Sananwetan", 1.80, (88, 46)),
    ("s", "Sananwetan", "Sananwetan", 2.13, (48, 68)),
    ("t", "Bendogerit", "Sananwetan", 1.96, (40, 89)),
    ("u", "Gedog", "Sananwetan", 2.65, (14, 85)),
]
CORE = ("Kepanjenlor", "Kauman", "Kepanjenkidul")  # commercial core; alun-alun where they meet
MAKAM_BUNG_KARNO = ("Bendogerit", (34, 84))  # park around Sukarno's tomb (green)
# River course: hand-drawn (row, col) knots, linearly interpolated; the meander is added on top.
RIVER_KNOTS = [(0, 33), (30, 31), (50, 30), (75, 31), (99, 33)]
# Industrial patches: (kelurahan, anchor (row, col), cells). Pakunden's anchor snaps to the river.
INDUSTRY = [
    ("Pakunden", (82, 31), 80, "tofu/tempe cluster, wastewater to the river"),
    ("Blitar", (32, 9), 80, "cigarette plants (HM Sampoerna, partners)"),
    ("Turi", (24, 21), 26, "batik Kembang Turi"),
    ("Sentul", (16, 62), 48, "kendang drum crafts"),
    ("Ngadirejo", (30, 36), 40, "kendang drum crafts"),
]


def smooth_noise(
    rng: np.random.Generator, n_waves: int = 8, wavelength: float = 30.0
) -> np.ndarray:
    """Smooth random field on the grid: a sum of random plane waves, std about 1."""
    rr, cc = np.mgrid[0:ROWS, 0:COLS].astype(float)
    field = np.zeros((ROWS, COLS))
    for _ in range(n_waves):
        ang = rng.uniform(0, math.pi)
        lam = wavelength * rng.uniform(0.7, 1.4)
        phase = rng.uniform(0, 2 * math.pi)
        field += np.sin(2 * math.pi * (rr * math.sin(ang) + cc * math.cos(ang)) / lam + phase)
    return field / math.sqrt(n_waves / 2)


def targets() -> np.ndarray:
    """Cells per kelurahan: area share of the full grid, largest-remainder rounding."""
    areas = np.array([k[3] for k in KELURAHAN])
    exact = areas / areas.sum() * ROWS * COLS
    t = np.floor(exact).astype(int)
    t[np.argsort(-(exact - t))[: ROWS * COLS - t.sum()]] += 1
    return t


def components(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """4-connected components of a boolean mask, largest first."""
    seen = np.zeros_like(mask)
    comps = []
    for r0, c0 in zip(*np.nonzero(mask), strict=True):
        if seen[r0, c0]:
            continue
        stack, comp = [(r0, c0)], []
        seen[r0, c0] = True
        while stack:
            r, c = stack.pop()
            comp.append((r, c))
            for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                rn, cn = r + dr, c + dc
                if 0 <= rn < ROWS and 0 <= cn < COLS and mask[rn, cn] and not seen[rn, cn]:
                    seen[rn, cn] = True
                    stack.append((rn, cn))
        comps.append(comp)
    return sorted(comps, key=len, reverse=True)


def make_kelurahan(rng: np.random.Generator) -> np.ndarray:
    """Power diagram on warped coordinates, weights iterated to the targets, then exact fix-up."""
    rr, cc = np.mgrid[0:ROWS, 0:COLS].astype(float)
    wr = rr + 3.0 * smooth_noise(rng, wavelength=28.0)
    wc = cc + 3.0 * smooth_noise(rng, wavelength=28.0)
    centres = np.array([k[4] for k in KELURAHAN], dtype=float)
    d2 = (wr[None] - centres[:, 0, None, None]) ** 2 + (wc[None] - centres[:, 1, None, None]) ** 2
    tgt = targets()
    w = np.zeros(len(KELURAHAN))
    best, best_err = None, np.inf
    for _ in range(3000):
        lab = np.argmin(d2 - w[:, None, None], axis=0)
        counts = np.bincount(lab.ravel(), minlength=len(w))
        err = np.abs(counts - tgt).sum()
        if err < best_err:
            best, best_err = lab, err
            if err == 0:
                break
        w += 0.08 * (tgt - counts)
    lab = best.copy()
    for k in range(len(KELURAHAN)):  # merge fragments into the neighbour sharing most border
        for comp in components(lab == k)[1:]:
            nb = [lab[p] for cell in comp for p in nbrs4(cell) if lab[p] != k]
            for cell in comp:
                lab[cell] = np.bincount(nb).argmax()
    balance(lab, tgt, d2)
    return lab


def nbrs4(cell: tuple[int, int]) -> list[tuple[int, int]]:
    r, c = cell
    cand = ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1))
    return [(a, b) for a, b in cand if 0 <= a < ROWS and 0 <= b < COLS]


def balance(lab: np.ndarray, tgt: np.ndarray, d2: np.ndarray) -> None:
    """Move boundary cells (in place) until every count equals its target.

    A region with a surplus passes one cell along a shortest path of adjacent regions to a
    region with a deficit; each handed-over cell is the donor's border cell closest (in the
    warped metric) to the receiver's centre whose removal keeps the donor connected.
    """
    n = len(tgt)
    while True:
        counts = np.bincount(lab.ravel(), minlength=n)
        over = [k for k in range(n) if counts[k] > tgt[k]]
        if not over:
            return
        adj = {k: set() for k in range(n)}
        for a, b in ((lab[:, 1:], lab[:, :-1]), (lab[1:, :], lab[:-1, :])):
            m = a != b
            for x, y in zip(a[m], b[m], strict=True):
                adj[int(x)].add(int(y))
                adj[int(y)].add(int(x))
        start = over[0]  # BFS to the nearest region with a deficit
        prev, queue = {start: None}, [start]
        while queue:
            k = queue.pop(0)
            if counts[k] < tgt[k]:
                break
            for j in sorted(adj[k]):
                if j not in prev:
                    prev[j] = k
                    queue.append(j)
        path = [k]
        while prev[path[-1]] is not None:
            path.append(prev[path[-1]])
        for recv, donor in zip(path, path[1:], strict=False):
            border = [
                (int(r), int(c))
                for r, c in zip(*np.nonzero(lab == donor), strict=True)
                if any(lab[p] == recv for p in nbrs4((int(r), int(c))))
            ]
            border.sort(key=lambda cell: d2[recv][cell])
            for cell in border:
                lab[cell] = recv
                if len(components(lab == donor)) == 1:
                    break
                lab[cell] = donor
            else:
                raise RuntimeError(f"cannot move a cell from region {donor} to {recv}")


def river_chain(amplitude: float, rng_phase: tuple[float, float]) -> list[tuple[int, int]]:
    """Rasterise the meandering centreline into a simple 8-connected chain, row 0 -> row 99."""
    kr, kc = zip(*RIVER_KNOTS, strict=True)
    t = np.linspace(0, ROWS - 1, 20000)
    col = np.interp(t, kr, kc)
    col += amplitude * np.sin(2 * math.pi * t / 27.0 + rng_phase[0])
    col += 0.45 * amplitude * np.sin(2 * math.pi * t / 11.0 + rng_phase[1])
    cells: list[tuple[int, int]] = []
    for r, c in zip(np.rint(t).astype(int), np.rint(col).astype(int), strict=True):
        if not cells or cells[-1] != (r, c):
            cells.append((int(r), int(c)))
    changed = True
    while changed:  # drop corner cells so that only consecutive cells touch
        changed = False
        for i in range(len(cells) - 2):
            a, b = cells[i], cells[i + 2]
            if max(abs(a[0] - b[0]), abs(a[1] - b[1])) <= 1:
                del cells[i + 1]
                changed = True
                break
    return cells


def chain_length_cells(cells: list[tuple[int, int]]) -> float:
    steps = [
        math.sqrt(2) if (a[0] != b[0] and a[1] != b[1]) else 1.0
        for a, b in zip(cells, cells[1:], strict=False)
    ]
    return 1.0 + sum(steps)


def make_river(rng: np.random.Generator) -> list[tuple[int, int]]:
    """Chain whose length is closest to the 7.84 km target over a scan of amplitudes."""
    phase = (float(rng.uniform(0, 2 * math.pi)), float(rng.uniform(0, 2 * math.pi)))
    target = RIVER_TARGET_M / CELL_M
    best = min(
        (river_chain(a, phase) for a in np.arange(2.0, 10.0, 0.05)),
        key=lambda ch: abs(chain_length_cells(ch) - target),
    )
    return best


def nearest(mask: np.ndarray, point: tuple[float, float], n: int, jitter: np.ndarray) -> np.ndarray:
    """Boolean mask of the n cells of ``mask`` nearest ``point`` (distance + jitter)."""
    rr, cc = np.mgrid[0:ROWS, 0:COLS].astype(float)
    d = np.hypot(rr - point[0], cc - point[1]) + jitter
    d[~mask] = np.inf
    idx = np.argsort(d, axis=None, kind="stable")[:n]
    out = np.zeros((ROWS, COLS), dtype=bool)
    out.flat[idx] = True
    return out & mask


def alun_alun(kel: np.ndarray, core: list[int]) -> tuple[int, int]:
    """Cell nearest the mean centroid of the core kelurahan whose 7x7 block holds all three."""
    cen = np.mean([np.argwhere(kel == k).mean(axis=0) for k in core], axis=0)
    cells = sorted(np.ndindex(ROWS, COLS), key=lambda p: math.hypot(p[0] - cen[0], p[1] - cen[1]))
    for r, c in cells:
        if set(core) <= set(np.unique(kel[max(r - 3, 0) : r + 4, max(c - 3, 0) : c + 4]).tolist()):
            return r, c
    raise RuntimeError("core kelurahan do not meet")


def make_landuse(rng: np.random.Generator, kel: np.ndarray, river: list) -> np.ndarray:
    names = [k[1] for k in KELURAHAN]
    lu = np.full((ROWS, COLS), LANDUSE_CODES["residential"], dtype=np.int8)
    is_river = np.zeros((ROWS, COLS), dtype=bool)
    for r, c in river:
        is_river[r, c] = True
    lu[is_river] = LANDUSE_CODES["river"]
    free = ~is_river
    n_cells = ROWS * COLS
    # commercial: core around the alun-alun + strips along two main roads
    in_core = np.isin(kel, [names.index(k) for k in CORE])
    ar, ac = alun_alun(kel, [names.index(k) for k in CORE])
    n_com = round(SHARES["commercial"] * n_cells)
    strip = np.zeros((ROWS, COLS), dtype=bool)
    strip[ar + 1, ac : ac + 32] = True  # east-west main road towards Sananwetan
    strip[ar - 22 : ar, ac + 2] = True  # north-south main road towards Bendo / Sentul
    strip &= free
    jitter = 3.0 * smooth_noise(rng, wavelength=12.0) + np.where(in_core, 0.0, 5.0)
    core = nearest(free & ~strip, (ar, ac), n_com - int(strip.sum()), jitter)
    blob = components(core)[0]  # keep only the main blob (drop specks)
    core[:] = False
    core[tuple(np.array(blob).T)] = True
    com = core | strip
    lu[com] = LANDUSE_CODES["commercial"]
    free &= ~com
    # industrial patches
    for kname, anchor, n, _why in INDUSTRY:
        in_kel = kel == names.index(kname)
        if kname == "Pakunden":  # snap to the Pakunden river cell nearest the anchor
            rc = [(r, c) for r, c in river if in_kel[r, c]]
            anchor = min(rc, key=lambda p: math.hypot(p[0] - anchor[0], p[1] - anchor[1]))
        patch = nearest(free & in_kel, anchor, n, 0.8 * smooth_noise(rng, wavelength=8.0))
        lu[patch] = LANDUSE_CODES["industrial"]
        free &= ~patch
    # green: alun-alun square, Makam Bung Karno park, then rice fields on the (south/east) edges
    green = np.zeros((ROWS, COLS), dtype=bool)
    green[ar - 1 : ar + 2, ac - 1 : ac + 2] = True
    mk_kel, mk_point = MAKAM_BUNG_KARNO
    green |= nearest(free & (kel == names.index(mk_kel)), mk_point, 6, np.zeros((ROWS, COLS)))
    lu[green] = LANDUSE_CODES["green"]  # overrides the commercial core there
    free &= ~green
    rr, cc = np.mgrid[0:ROWS, 0:COLS].astype(float)
    edge = np.minimum(np.minimum(rr, ROWS - 1 - rr), np.minimum(cc, COLS - 1 - cc))
    rural = -edge + 0.12 * rr + 0.10 * cc + 6.0 * smooth_noise(rng, wavelength=20.0)
    rural[np.hypot(rr - ar, cc - ac) < 18] = -np.inf  # no fields in the urban core
    rural[~free] = -np.inf
    n_green = round(SHARES["green"] * n_cells) - int(green.sum())
    fields = np.zeros((ROWS, COLS), dtype=bool)
    quota = np.floor(MAX_GREEN_SHARE * np.bincount(kel.ravel())).astype(int)
    for idx in np.argsort(-rural, axis=None, kind="stable"):  # best-ranked cells, capped per kel.
        if fields.sum() >= n_green:
            break
        k = kel.flat[idx]
        if quota[k] > 0 and np.isfinite(rural.flat[idx]):
            fields.flat[idx] = True
            quota[k] -= 1
    for _ in range(2):  # majority smoothing between fields and residential
        pad = np.pad(fields, 1)
        nb = sum(pad[1 + dr : 1 + dr + ROWS, 1 + dc : 1 + dc + COLS] for dr, dc in _N8)
        fields = (fields & (nb >= 3)) | (~fields & free & (nb >= 6))
    lu[fields & free] = LANDUSE_CODES["green"]
    return lu


_N8 = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]


HEADER = """\
# Kota Blitar (East Java, Indonesia): ILLUSTRATIVE city map for the simulation.
#
# What it is: a stylised 100 x 100 grid of 57 m cells (32.49 km2, about the city's 32.57 km2).
# Each cell has a land use ([landuse] grid) and a kelurahan ([kelurahan] grid); kecamatan are
# unions of kelurahan. Row 0 is the north edge, column 0 the west edge.
#
# Why illustrative: no open GIS boundary data for the kelurahan were used. Sourced (BPS Kota
# Blitar Dalam Angka 2024): names, areas and membership of the 3 kecamatan / 21 kelurahan, the
# Kali Lahar's ~7.84 km length and north->south course, the industry clusters (tofu/tempe at
# Pakunden, batik Kembang Turi, kendang at Sentul/Ngadirejo, cigarette plants at Kel. Blitar) and
# the commercial core around the alun-alun. Positions and shapes are plausible guesses:
# Sukorejo west, Kepanjenkidul centre/north, Sananwetan east; cell counts are proportional to
# the true kelurahan areas. The riverbank slum Krantil (Sukorejo) lies along the river where it
# crosses Kel. Sukorejo. The land-use mix (about 63 % residential, 27 % green/rice fields,
# 5 % commercial, 3 % industrial) is illustrative too.
#
# Generated by experiments/make_blitar_map.py (deterministic; see its docstring for the
# procedure). You may hand-edit this file: keep every grid row exactly `cols` characters, use
# only legend characters, and keep the river ("R") one 8-connected chain of cells from row 0
# (upstream) to the last row (downstream) with no branches; the loader checks all of this.
#
# Land-use legend: "." residential, "C" commercial, "I" industrial, "G" green (rice fields,
# parks), "R" river (Kali Lahar). Kelurahan legend: see [kelurahan.legend] (one letter each); the
# [kelurahan.kecamatan] table gives each kelurahan's kecamatan.
"""


def write_toml(path: Path, kel: np.ndarray, lu: np.ndarray) -> None:
    lu_chars = {0: ".", 1: "C", 2: "I", 3: "G", 4: "R"}
    kel_chars = [k[0] for k in KELURAHAN]
    lines = [HEADER, "[meta]", 'name = "blitar"', f"rows = {ROWS}", f"cols = {COLS}"]
    lines += [
        f"cell_size_m = {CELL_M}",
        "illustrative = true",
        'illustrative_reason = "Kelurahan shapes, positions and land use are stylised guesses '
        "(no open GIS data used); only areas, names, membership, river length and cluster "
        'locations are sourced."',
        'source = "BPS Kota Blitar Dalam Angka 2024 (areas, kelurahan list); layout illustrative, '
        'generated by experiments/make_blitar_map.py"',
        'river_name = "Kali Lahar"',
        "",
        "[landuse]",
        'legend = { "." = "residential", "C" = "commercial", "I" = "industrial", '
        '"G" = "green", "R" = "river" }',
        "grid = [",
    ]
    lines += [f'  "{"".join(lu_chars[int(v)] for v in row)}",' for row in lu]
    lines += ["]", "", "[kelurahan.legend]  # code = kelurahan (legend order = index order)"]
    lines += [f'"{k[0]}" = "{k[1]}"' for k in KELURAHAN]
    lines += ["", "[kelurahan.kecamatan]  # kelurahan = kecamatan"]
    lines += [f'"{k[1]}" = "{k[2]}"' for k in KELURAHAN]
    lines += ["", "[kelurahan]  # one legend code per cell", "grid = ["]
    lines += [f'  "{"".join(kel_chars[int(v)] for v in row)}",' for row in kel]
    lines += ["]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def render(m: CityMap, path: Path) -> None:
    """PNG of land use with kelurahan (thin) and kecamatan (thick) boundaries and labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.colors import ListedColormap

    colours = ["#f2e6c9", "#d9534f", "#6f42c1", "#8fc96b", "#1f77d4"]
    fig, ax = plt.subplots(figsize=(10, 10))
    ax.imshow(m.landuse, cmap=ListedColormap(colours), vmin=-0.5, vmax=4.5, interpolation="none")
    for arr, lw, colour in ((m.kelurahan, 0.7, "#555555"), (m.kecamatan, 2.2, "black")):
        segs = []
        for r, c in zip(*np.nonzero(arr[:, 1:] != arr[:, :-1]), strict=True):
            segs.append([(c + 0.5, r - 0.5), (c + 0.5, r + 0.5)])
        for r, c in zip(*np.nonzero(arr[1:, :] != arr[:-1, :]), strict=True):
            segs.append([(c - 0.5, r + 0.5), (c + 0.5, r + 0.5)])
        ax.add_collection(LineCollection(segs, linewidths=lw, colors=colour))
    for i, name in enumerate(m.kelurahan_names):
        rs, cs = np.nonzero(m.kelurahan == i)
        kec = m.kecamatan_names[m.kelurahan_to_kecamatan[i]]
        ax.text(
            cs.mean(),
            rs.mean(),
            f"{name}\n({kec[:6]})",
            ha="center",
            va="center",
            fontsize=7,
            bbox={"fc": "white", "alpha": 0.6, "lw": 0, "pad": 1},
        )
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    ax.legend(handles, list(LANDUSE_CODES), loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(f"{m.name} (ILLUSTRATIVE), river {m.river_length_m / 1000:.2f} km, N up")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "simulation/scenarios/maps/blitar.toml")
    ap.add_argument("--png", type=Path, default=None, help="also render the map to this PNG")
    args = ap.parse_args()

    rng = np.random.default_rng(SEED)
    kel = make_kelurahan(rng)
    river = make_river(rng)
    lu = make_landuse(rng, kel, river)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_toml(args.out, kel, lu)
    m = load_map(args.out)  # validates the written file

    cell_km2 = CELL_M**2 / 1e6
    print(f"wrote {args.out}  ({m.rows} x {m.cols}, cell {m.cell_size_m} m)")
    print(f"{'kelurahan':14s} {'kecamatan':14s} {'cells':>6s} {'target':>7s} {'area/cell':>9s}")
    counts = np.bincount(m.kelurahan.ravel(), minlength=len(KELURAHAN))
    for (_, name, kec, area, _), n, t in zip(KELURAHAN, counts, targets(), strict=True):
        print(f"{name:14s} {kec:14s} {n:6d} {t:7d} {area / cell_km2:9.1f}")
    for j, kec in enumerate(m.kecamatan_names):
        print(f"kecamatan {kec:14s} {int((m.kecamatan == j).sum()):6d} cells")
    for lname, code in LANDUSE_CODES.items():
        print(f"landuse {lname:12s} {100 * np.mean(m.landuse == code):5.1f} %")
    n = len(m.river_cells)
    print(
        f"river {m.river_name}: {n} cells, length {m.river_length_m:.0f} m "
        f"({m.river_length_m / CELL_M:.1f} cell lengths; target {RIVER_TARGET_M:.0f} m)"
    )
    if args.png:
        render(m, args.png)
        print(f"rendered {args.png}")


if __name__ == "__main__":
    main()
