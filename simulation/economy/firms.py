"""Firms: the initial industrial base, where firms may locate, entry and the big plant.

Initial firms draw only from the ``firms`` stream (never from policy), entrants from
``entry`` and the big plant's site from ``big_plant``.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import distance_transform_edt

from simulation.config import SECTOR_NAMES, Config, SectorConfig
from simulation.environment.geography import LANDUSE_CODES, CityMap
from simulation.model.state import FIRM_FIELDS, Table

SECTOR_INDEX = {name: i for i, name in enumerate(SECTOR_NAMES)}
# Where a firm outside its cluster may sit (weights, illustrative): IKM are often
# home-based, services concentrate in the commercial core.
SITE_WEIGHTS = {
    True: {"industrial": 4.0, "residential": 1.0, "commercial": 1.0},
    False: {"commercial": 4.0, "residential": 1.0},
}


def _beta(rng: np.random.Generator, mean: float, n: int, k: float = 4.0) -> np.ndarray:
    if mean <= 0.0:
        return np.zeros(n)
    if mean >= 1.0:
        return np.ones(n)
    return rng.beta(k * mean, k * (1.0 - mean), n)


def _cells_with_weights(city: CityMap, weights: dict[str, float],
                        allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    by_code = np.zeros(max(LANDUSE_CODES.values()) + 1)
    for name, w in weights.items():
        by_code[LANDUSE_CODES[name]] = w
    land = city.landuse.ravel()
    ok = by_code[land] > 0
    if allowed is not None:
        ok &= allowed.ravel()
    cells = np.flatnonzero(ok)
    return cells, by_code[land[cells]]


def cluster_cells(city: CityMap, kelurahan: tuple[str, ...]) -> np.ndarray:
    """Industrial cells of the named kelurahan (any non-river cell if it has none)."""
    ids = [city.kelurahan_index(name) for name in kelurahan]
    in_kel = np.isin(city.kelurahan.ravel(), ids)
    land = city.landuse.ravel()
    cells = np.flatnonzero(in_kel & (land == LANDUSE_CODES["industrial"]))
    if cells.size == 0:
        cells = np.flatnonzero(in_kel & (land != LANDUSE_CODES["river"]))
    return cells


def zoning_mask(city: CityMap, buffer_cells: int) -> np.ndarray:
    """Cells where a new manufacturer may be permitted: with no buffer, any cell of the
    city but river and green; with a buffer, industrial cells at least ``buffer_cells``
    from housing."""
    land = city.landuse
    if buffer_cells <= 0:
        return city.inside & (land != LANDUSE_CODES["river"]) & (land != LANDUSE_CODES["green"])
    dist = distance_transform_edt(land != LANDUSE_CODES["residential"])
    return (land == LANDUSE_CODES["industrial"]) & (dist >= buffer_cells)


def _sizes_at_scale(rng: np.random.Generator, full_sizes: np.ndarray, scale: int,
                    total: int) -> np.ndarray:
    """Firm sizes in agent units: size/scale with random rounding, summing to ``total``."""
    raw = full_sizes / scale
    sizes = np.floor(raw).astype(np.int64)
    sizes += rng.random(raw.size) < raw - sizes
    diff = total - int(sizes.sum())
    while diff != 0:
        pool = np.flatnonzero(sizes > (0 if diff < 0 else -1))
        pick = rng.choice(pool, size=min(abs(diff), pool.size), replace=False)
        sizes[pick] += 1 if diff > 0 else -1
        diff += -pick.size if diff > 0 else pick.size
    return sizes


def _intensity_factor(rng: np.random.Generator, n: int) -> np.ndarray:
    """A firm's conventional emission intensity relative to its sector's average:
    log-normal with mean ~1, kept within 0.5-2x (illustrative spread between IKM)."""
    return np.clip(rng.lognormal(-0.045, 0.3, n), 0.5, 2.0)


def _new_firm_rows(firms: Table, sector: int, sc: SectorConfig, rng: np.random.Generator,
                   cells: np.ndarray, sizes: np.ndarray, productivity_floor: float,
                   count_weight: float | np.ndarray, step: int) -> np.ndarray:
    n = sizes.size
    prod = sc.productivity * rng.lognormal(-0.5 * sc.productivity_sigma ** 2,
                                           sc.productivity_sigma, n)
    return firms.append(
        n, alive=True, sector=sector, cell=cells, productivity=np.maximum(prod, productivity_floor),
        count_weight=count_weight, target=sizes, air_factor=_intensity_factor(rng, n),
        water_factor=_intensity_factor(rng, n), green=rng.random(n) < sc.initial_green_share,
        awareness=_beta(rng, sc.initial_awareness, n),
        capability=_beta(rng, sc.initial_awareness, n),
        entered_step=step)


def viable_productivity(cfg: Config, sc: SectorConfig, umk: float) -> float:
    """Lowest productivity that covers the UMK with a 10 % margin (survivors only).
    ``umk`` in the same (real, 2025) terms as productivity."""
    return 1.1 * umk / (1.0 - cfg.labour.capital_share) if sc.employment_share > 0 else 0.0


def initial_firms(cfg: Config, city: CityMap, rng: np.random.Generator,
                  n_employed: int) -> Table:
    """The industrial and service base at the start, sized to employ ``n_employed``."""
    scale = cfg.scenario.scale
    firms = Table(FIRM_FIELDS, 4 * sum(sc.initial_firms for _, sc in cfg.sectors.items()) // scale
                  + 64)
    shares = np.array([sc.employment_share for _, sc in cfg.sectors.items()])
    jobs = np.floor(shares * n_employed).astype(np.int64)
    jobs[np.argsort(-(shares * n_employed - jobs))[: n_employed - jobs.sum()]] += 1
    sites = Sites(city)
    for (name, sc), sector_jobs in zip(cfg.sectors.items(), jobs, strict=True):
        if sc.initial_firms == 0 or sector_jobs == 0:
            continue
        raw = rng.lognormal(0.0, sc.size_sigma, sc.initial_firms)
        full = np.maximum(1.0, raw / raw.sum() * sector_jobs * scale)
        sizes = _sizes_at_scale(rng, full, scale, int(sector_jobs))
        keep = sizes > 0
        sizes = sizes[keep]
        cells = sites.place(rng, sc, sizes.size)
        _new_firm_rows(firms, SECTOR_INDEX[name], sc, rng, cells, sizes,
                       viable_productivity(cfg, sc, cfg.labour.umk_2025),
                       sc.initial_firms / sizes.size, -1)
    firms.anchor[:] = firms.target * scale >= 500  # large plants, for reporting
    return firms


class Sites:
    """Where firms may be placed, with candidate cells cached (the map and the zoning do
    not change during a run). ``allowed``: cells where new manufacturers are permitted
    (None = anywhere); it never restricts services."""

    def __init__(self, city: CityMap, allowed: np.ndarray | None = None) -> None:
        self.city = city
        self.allowed = None if allowed is None else allowed.ravel()
        self._spread: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
        self._cluster: dict[tuple[tuple[str, ...], bool], np.ndarray] = {}

    def _mask(self, manufacturing: bool) -> np.ndarray | None:
        return self.allowed if manufacturing else None

    def spread(self, manufacturing: bool) -> tuple[np.ndarray, np.ndarray]:
        """(cells, cumulative probabilities) outside clusters."""
        if manufacturing not in self._spread:
            cells, w = _cells_with_weights(self.city, SITE_WEIGHTS[manufacturing],
                                           self._mask(manufacturing))
            cdf = np.cumsum(w) / w.sum() if cells.size else w
            self._spread[manufacturing] = (cells, cdf)
        return self._spread[manufacturing]

    def cluster(self, kelurahan: tuple[str, ...], manufacturing: bool) -> np.ndarray:
        key = (kelurahan, manufacturing)
        if key not in self._cluster:
            cells = cluster_cells(self.city, kelurahan) if kelurahan else np.empty(0, np.int64)
            mask = self._mask(manufacturing)
            self._cluster[key] = cells[mask[cells]] if mask is not None else cells
        return self._cluster[key]

    def place(self, rng: np.random.Generator, sc: SectorConfig, n: int) -> np.ndarray:
        """Cells for ``n`` firms of a sector (fewer, possibly none, if nothing is allowed):
        a ``cluster_share`` of them in their cluster, the rest spread by land use."""
        in_cluster = rng.random(n) < sc.cluster_share
        out = np.empty(n, dtype=np.int64)
        cells = self.cluster(sc.cluster_kelurahan, sc.manufacturing)
        if cells.size == 0:  # no (permitted) cluster cell: place elsewhere
            in_cluster[:] = False
        elif in_cluster.any():
            out[in_cluster] = cells[rng.integers(0, cells.size, in_cluster.sum())]
        rest = ~in_cluster
        if rest.any():
            cells, cdf = self.spread(sc.manufacturing)
            if cells.size == 0:
                return out[in_cluster]
            pick = np.minimum(np.searchsorted(cdf, rng.random(rest.sum()), side="right"),
                              cells.size - 1)
            out[rest] = cells[pick]
        return out


def enter_firms(cfg: Config, sites: Sites, rng: np.random.Generator, firms: Table,
                sector: str, n: int, mean_size: float, umk: float, step: int) -> np.ndarray:
    """Append ``n`` entrants of a sector at permitted sites; returns their rows (may be
    fewer than n, or none, when zoning leaves no site). ``mean_size``: the sector's mean
    firm size at the start, in real workers."""
    sc = getattr(cfg.sectors, sector)
    cells = sites.place(rng, sc, n)
    if cells.size == 0:
        return np.empty(0, dtype=np.int64)
    # Entrants start small: ~30 % of the sector's mean firm size (illustrative).
    full = np.maximum(1.0, 0.3 * mean_size * rng.lognormal(-0.18, 0.6, cells.size))
    sizes = np.maximum(1, np.round(full / cfg.scenario.scale)).astype(np.int64)
    weight = sizes * cfg.scenario.scale / full  # real firms this agent stands for
    return _new_firm_rows(firms, SECTOR_INDEX[sector], sc, rng, cells, sizes,
                          viable_productivity(cfg, sc, umk), weight, step)


def big_plant(cfg: Config, city: CityMap, rng: np.random.Generator, firms: Table,
              step: int) -> np.ndarray:
    """The ~3,000-job cigarette plant (scenario.big_plant_year) at an industrial site."""
    sc = cfg.sectors.tobacco
    cells = cluster_cells(city, (cfg.scenario.big_plant_kelurahan,))
    cell = cells[rng.integers(0, cells.size, 1)]
    target = np.array([max(1, round(cfg.scenario.big_plant_jobs / cfg.scenario.scale))])
    rows = _new_firm_rows(firms, SECTOR_INDEX["tobacco"], sc, rng, cell, target,
                          sc.productivity, 1.0, step)
    firms.productivity[rows] = sc.productivity
    firms.anchor[rows] = True
    return rows
