"""Firms: the initial industrial base, where firms may locate, entry, exit and the big plant.

Initial firms draw only from the ``firms`` stream (never from policy), entrants from
``entry`` and the big plant's site from ``big_plant``. Entry and exit follow one rule:
a would-be entrant (a new business, or an informal household industry registering) enters
only if it breaks even at the current sector price with the pay it must offer; an
incumbent closes when its losses have used its cash and its credit
(``exit_cash_months`` of wage bill), besides a small hazard for reasons outside the
model. Young firms start small with little cash, so they close more often.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.ndimage import distance_transform_edt

from simulation.config import SECTOR_NAMES as _SECTOR_NAMES
from simulation.config import Config, EconomySection, SectorConfig
from simulation.economy.sectors import N_SECTORS, SECTOR_INDEX, SectorArrays
from simulation.economy.ufuncs import maximum
from simulation.environment.geography import LANDUSE_CODES, CityMap
from simulation.model.state import FIRM_FIELDS, FORMAL, INFORMAL, UNEMPLOYED, Table

LARGE_PLANT_WORKERS = 500  # real workers: plants this large are owned outside the city
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
                   cells: np.ndarray, sizes: np.ndarray, productivity: np.ndarray,
                   count_weight: float | np.ndarray, step: int, pay_level: np.ndarray,
                   cash: np.ndarray | float) -> np.ndarray:
    n = sizes.size
    return firms.append(
        n, alive=True, sector=sector, cell=cells, owner=-1, productivity=productivity,
        count_weight=count_weight, target=sizes, air_factor=_intensity_factor(rng, n),
        water_factor=_intensity_factor(rng, n), green=rng.random(n) < sc.initial_green_share,
        awareness=_beta(rng, sc.initial_awareness, n),
        capability=_beta(rng, sc.initial_awareness, n),
        entered_step=step, pay_level=pay_level, cash=cash)


def draw_productivity(rng: np.random.Generator, mean: float, sigma: float,
                      n: int) -> np.ndarray:
    """Log-normal productivity with the given mean."""
    return mean * rng.lognormal(-0.5 * sigma ** 2, sigma, n)


def initial_firms(cfg: Config, city: CityMap, rng: np.random.Generator,
                  jobs_by_sector: np.ndarray, wage_share: np.ndarray) -> Table:
    """The formal industrial and service base at the start, sized to employ
    ``jobs_by_sector`` workers (agent units). Sizes are drawn log-normal here; the size
    distribution of later years comes from growth, entry and exit."""
    scale = cfg.scenario.scale
    firms = Table(FIRM_FIELDS, 4 * sum(sc.initial_firms for _, sc in cfg.sectors.items()) // scale
                  + 64)
    sites = Sites(city)
    for (name, sc), sector_jobs in zip(cfg.sectors.items(), jobs_by_sector, strict=True):
        if sc.initial_firms == 0 or sector_jobs == 0:
            continue
        raw = rng.lognormal(0.0, sc.size_sigma, sc.initial_firms)
        full = np.maximum(1.0, raw / raw.sum() * sector_jobs * scale)
        sizes = _sizes_at_scale(rng, full, scale, int(sector_jobs))
        sizes = sizes[sizes > 0]
        cells = sites.place(rng, sc, sizes.size)
        prod = draw_productivity(rng, sc.productivity, sc.productivity_sigma, sizes.size)
        i = SECTOR_INDEX[name]
        _new_firm_rows(firms, i, sc, rng, cells, sizes, prod, sc.initial_firms / sizes.size,
                       -1, wage_share[i] * prod, 0.0)
    firms.anchor[:] = firms.target * scale >= LARGE_PLANT_WORKERS
    return firms


def assign_owners(firms: Table, rng: np.random.Generator, n_households: int,
                  outside_ownership: np.ndarray) -> None:
    """Firms are owned by a household of the city (a random one: IKM owners live
    everywhere), except large plants and a sector's ``outside_ownership`` share of its
    firms (chains, banks, national companies), whose owners live outside (owner -1)."""
    outside = firms.anchor | (rng.random(firms.n) < outside_ownership[firms.sector])
    firms.owner[:] = np.where(outside, -1, rng.integers(0, n_households, firms.n))


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


def monthly_profit(productivity: np.ndarray, workers: np.ndarray, pay: np.ndarray,
                   price: np.ndarray, intermediate: np.ndarray, input_price: float,
                   capital_cost_share: float, overhead: float,
                   utilisation: np.ndarray | float = 1.0) -> np.ndarray:
    """Profit a firm of ``workers`` real workers would make in a month selling the share
    ``utilisation`` of what it can make (its sector's, last month) at ``price``: value
    added less capital costs, wages and overhead. The same test decides entry (> 0 to
    enter) and is what makes incumbents close (losses): an entrant expects to sell no more
    of its capacity than the sector's firms do, so a saturated market deters entry."""
    va_per_worker = productivity / (1.0 - intermediate) * (price - intermediate * input_price)
    return workers * ((1.0 - capital_cost_share) * va_per_worker * utilisation - pay) \
        - overhead


@dataclass(frozen=True)
class EntryConditions:
    """What a would-be entrant of each sector sees this month."""

    price: np.ndarray          # sector prices
    input_price: float
    umk: float
    mean_productivity: np.ndarray   # sectors' best practice
    mean_pay_level: np.ndarray      # by sector
    mean_size: np.ndarray           # real workers per firm at the start, by sector
    informal_productivity: np.ndarray  # real value added per unit of informal work, by sector
    utilisation: np.ndarray            # sector sales / capacity last month (0-1)


def entry_conditions(firms: Table, price: np.ndarray, input_price: float, umk: float,
                     mean_size: np.ndarray, practice: np.ndarray, informal_per_effort:
                     np.ndarray, intermediate: np.ndarray) -> EntryConditions:
    pay_sum, q_sum, cap, sold = _entry_sums(firms.alive, firms.sector, firms.real_output,
                                            firms.pay_level, firms.productivity,
                                            firms.eff_labour, intermediate)
    mean_pay = pay_sum / np.maximum(q_sum, 1e-300)
    informal_real = informal_per_effort * (1.0 - intermediate) / np.maximum(
        price - intermediate * input_price, 1e-12)
    utilisation = np.where(cap > 0, np.minimum(sold / np.maximum(cap, 1e-300), 1.0), 1.0)
    return EntryConditions(price, input_price, umk, practice, mean_pay, mean_size,
                           informal_real, utilisation)


@njit(cache=True, error_model="numpy")  # x / 0 gives inf, as numpy
def _entry_sums(alive, sector, real_output, pay_level, productivity, eff_labour,
                intermediate):
    """By sector, over live firms, in one pass (summed in row order, as np.bincount does,
    dead rows adding 0 as the np.where they replaced): output-weighted pay (output at
    least 1e-9) and its weights, capacity (real gross output at current labour) and real
    output sold."""
    pay_sum, q_sum = np.zeros(N_SECTORS), np.zeros(N_SECTORS)
    cap, sold = np.zeros(N_SECTORS), np.zeros(N_SECTORS)
    for f in range(alive.shape[0]):
        s, live = sector[f], alive[f]
        q = maximum(real_output[f], 1e-9) if live else 0.0
        pay_sum[s] += q * pay_level[f]
        q_sum[s] += q
        cap[s] += productivity[f] * eff_labour[f] / (1.0 - intermediate[s]) if live else 0.0
        sold[s] += real_output[f] if live else 0.0
    return pay_sum, q_sum, cap, sold


def enter_firms(cfg: Config, sites: Sites, rng: np.random.Generator, firms: Table,
                sector: str, n: int, cond: EntryConditions, step: int) -> np.ndarray:
    """``n`` would-be entrants of a sector (real firms) draw a productivity around the
    sector's best practice, a size (small: ~30 % of the sector's mean size at the start,
    illustrative) and a permitted site; those that would make a profit at the current
    price, paying at least the UMK and their overhead, enter with start-up cash. At scale
    s > 1 an entrant of fewer than s workers becomes an agent (of s workers, standing for
    s / size real firms) with probability size / s, so expected real firms and workers do
    not depend on the scale. Returns their rows (possibly none)."""
    sc = getattr(cfg.sectors, sector)
    i, scale = SECTOR_INDEX[sector], cfg.scenario.scale
    prod = draw_productivity(rng, cfg.economy.entrant_productivity * cond.mean_productivity[i],
                             sc.productivity_sigma, n)
    full = np.maximum(1.0, 0.3 * cond.mean_size[i] * rng.lognormal(-0.18, 0.6, n))
    keep = rng.random(n) < np.minimum(1.0, full / scale)
    pay = np.maximum(cond.umk, cond.mean_pay_level[i])
    ok = keep & (monthly_profit(prod, full, pay, cond.price[i], sc.intermediate_share,
                                cond.input_price, cfg.economy.capital_cost_share,
                                cfg.economy.overhead_umk * cond.umk,
                                cond.utilisation[i]) > 0)
    if not ok.any():
        return np.empty(0, dtype=np.int64)
    prod, full = prod[ok], full[ok]
    cells = sites.place(rng, sc, prod.size)
    prod, full = prod[: cells.size], full[: cells.size]
    sizes = np.maximum(1, np.round(full / scale)).astype(np.int64)
    weight = np.maximum(1.0, scale / full)  # real firms this agent stands for
    cash = cfg.economy.entrant_equity_months * sizes * pay
    return _new_firm_rows(firms, i, sc, rng, cells, sizes, prod, weight, step,
                          np.full(sizes.size, cond.mean_pay_level[i]), cash)


def startup_capital(cfg: Config, firms: Table, rows: np.ndarray, price: np.ndarray,
                    input_price: float) -> np.ndarray:
    """Up-front investment of new firms (agent scale): ``startup_capital_months`` of the
    value added their target workforce would make."""
    sec = firms.sector[rows]
    intermediate = np.array([sc.intermediate_share for _, sc in cfg.sectors.items()])[sec]
    va = firms.productivity[rows] * firms.target[rows] / (1.0 - intermediate) * (
        price[sec] - intermediate * input_price)
    return cfg.economy.startup_capital_months * np.maximum(va, 0.0)


def _informal_staff(households: Table, workers: Table, rows: np.ndarray) -> np.ndarray:
    """Informal workers of each household in ``rows`` (a household's workers are the
    contiguous rows from its ``first_worker``; only the candidates' rows are read)."""
    return _count_informal(households.first_worker, households.n_workers, workers.status,
                           rows)


@njit(cache=True)
def _count_informal(first_worker, n_workers, status, rows):
    out = np.zeros(rows.shape[0], dtype=np.int64)
    for i in range(rows.shape[0]):
        first = first_worker[rows[i]]
        for w in range(first, first + n_workers[rows[i]]):
            out[i] += status[w] == INFORMAL
    return out


def enterprise_households(households: Table, workers: Table,
                          open_sector: np.ndarray) -> np.ndarray:
    """Rows of households with an informal worker whose activity's sector is open
    (``open_sector[sector]``): the household industries that may register."""
    return _enterprise_households(workers.status, workers.household,
                                  households.informal_sector, open_sector, households.n)


@njit(cache=True)
def _enterprise_households(status, household, informal_sector, open_sector, n_households):
    """One pass over workers, one over households (was a bincount over the informal
    workers' households and two masks). Written without branches on the data: about
    half the households qualify, in no order a branch predictor could learn."""
    keep = np.zeros(n_households, dtype=np.uint8)
    for w in range(status.shape[0]):
        keep[household[w]] |= status[w] == INFORMAL
    n = 0
    for h in range(n_households):
        keep[h] &= open_sector[informal_sector[h]]
        n += keep[h]
    out = np.empty(n + 1, dtype=np.int64)  # + 1: each row is written, kept if it counts
    k = 0
    for h in range(n_households):
        out[k] = h
        k += keep[h]
    return out[:n]


def formalise(cfg: Config, rng: np.random.Generator, firms: Table, workers: Table,
              households: Table, candidates: np.ndarray, cond: EntryConditions,
              sa: SectorArrays, step: int) -> np.ndarray:
    """Household enterprises (rows in ``candidates``) register as formal firms when they
    would make a profit as formal firms paying at least the UMK and their overhead, at the
    productivity their informal work shows now times ``informal.formalisation_uplift``: a
    new firm at the household's home, whose informal workers in the enterprise become its
    employees. Returns new firm rows."""
    if candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    sector = households.informal_sector[candidates].astype(np.int64)
    # what it makes now, per unit of work, raised by registering (formal markets, credit)
    prod = cfg.informal.formalisation_uplift * cond.informal_productivity[sector] \
        * rng.lognormal(-0.5 * sa.productivity_sigma[sector] ** 2, sa.productivity_sigma[sector])
    pay = np.maximum(cond.umk, cond.mean_pay_level[sector])
    staff = _informal_staff(households, workers, candidates)
    ok = monthly_profit(prod, staff.astype(float),  # one real enterprise of this many workers
                        pay, cond.price[sector], sa.intermediate[sector], cond.input_price,
                        cfg.economy.capital_cost_share, cfg.economy.overhead_umk * cond.umk,
                        cond.utilisation[sector]) > 0
    ok &= staff > 0
    hh, sector, prod, pay = candidates[ok], sector[ok], prod[ok], pay[ok]
    rows = []
    for h, s, a, w in zip(hh, sector, prod, pay, strict=True):
        first = households.first_worker[h]
        members = np.arange(first, first + households.n_workers[h])
        staff = members[workers.status[members] == INFORMAL]
        if staff.size == 0:
            continue
        sc = getattr(cfg.sectors, _SECTOR_NAMES[s])
        r = _new_firm_rows(firms, int(s), sc, rng, households.home[h:h + 1],
                           np.array([staff.size]), np.array([a]),
                           float(cfg.scenario.scale), step,
                           np.array([cond.mean_pay_level[s]]),
                           cfg.economy.entrant_equity_months * staff.size * w)
        firms.owner[r] = h
        firms.formalised[r] = True
        workers.status[staff] = FORMAL
        workers.employer[staff] = r[0]
        workers.earnings[staff] = 0.0
        firms.workers[r] = staff.size
        rows.append(int(r[0]))
    return np.array(rows, dtype=np.int64)


def exits(firms: Table, rng: np.random.Generator, eco: EconomySection) -> np.ndarray:
    """Rows of firms that close this month: losses beyond their cash and credit (on the
    larger of their wage bill and the one they plan), idleness for a year, or the outside
    hazard (not large plants)."""
    alive = firms.alive
    # credit on the wage bill it plans (a plant ramping up is not judged on its first payroll)
    credit = eco.exit_cash_months * np.maximum(firms.wage_bill, firms.pay_level * firms.target)
    broke = firms.cash < -credit
    idle = (firms.workers == 0) & (firms.loss_months >= 12)
    shock = np.zeros(firms.n, dtype=bool)
    live_rows = np.flatnonzero(alive & ~firms.anchor)
    n_shock = rng.binomial(live_rows.size, eco.exit_hazard_per_year / 12.0)
    shock[rng.choice(live_rows, size=n_shock, replace=False)] = True
    return np.flatnonzero(alive & (broke | idle | shock))


def close(firms: Table, workers: Table, gone: np.ndarray) -> None:
    """Close firms: their workers lose their jobs, they hold no market share."""
    dead = np.zeros(firms.n, dtype=bool)
    dead[gone] = True
    _dismiss(workers.employer, workers.status, dead)
    firms.workers[gone] = 0
    firms.alive[gone] = False
    firms.market_share[gone] = 0.0


@njit(cache=True)
def _dismiss(employer, status, dead):
    """Workers of the ``dead`` firms lose their jobs (one pass, no masks)."""
    for w in range(employer.shape[0]):
        f = employer[w]
        if f >= 0 and dead[f]:
            employer[w] = -1
            status[w] = UNEMPLOYED


def big_plant(cfg: Config, city: CityMap, rng: np.random.Generator, firms: Table,
              step: int, pay_level: float, productivity: float, per_worker: float,
              outside_growth: float) -> np.ndarray:
    """The ~3,000-job cigarette plant (scenario.big_plant_year) at an industrial site of
    its kelurahan, owned outside the city and producing under contract for outside buyers.
    It opens at its sector's best-practice ``productivity`` of the month (a new plant brings
    current technology), and its contract is what its full workforce makes then (workers
    of the city's mean skill and health, ``per_worker`` healthy-equivalent skill units, as
    firms plan on), stored
    relative to the sector's outside-demand growth factor ``outside_growth`` of the month:
    the brand's orders then grow with the sector's outside demand, as the other exporters'
    markets do (a contract fixed in real terms would shed jobs as productivity rose)."""
    sc = cfg.sectors.tobacco
    cells = cluster_cells(city, (cfg.scenario.big_plant_kelurahan,))
    cell = cells[rng.integers(0, cells.size, 1)]
    target = np.array([max(1, round(cfg.scenario.big_plant_jobs / cfg.scenario.scale))])
    cash = cfg.economy.entrant_equity_months * target * pay_level
    rows = _new_firm_rows(firms, SECTOR_INDEX["tobacco"], sc, rng, cell, target,
                          np.array([productivity]), 1.0, step, np.array([pay_level]), cash)
    firms.anchor[rows] = True
    firms.market_share[rows] = 0.0
    firms.contract[rows] = productivity * target * per_worker \
        / (1.0 - sc.intermediate_share) / outside_growth
    return rows
