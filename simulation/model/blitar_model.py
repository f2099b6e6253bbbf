"""The Blitar industrial-growth model (Mesa 3.5): the monthly schedule.

``BlitarModel`` builds the city (map, grid and property layers), the synthetic population
and industrial base, the regulator, and runs a burn-in with trends frozen so that January
of ``start_year`` is the model's own settled state. :meth:`BlitarModel.step` is the
schedule: each part owns its state and acts on it (the economy: :mod:`simulation.economy`;
the programmes: :mod:`simulation.policy`; pollution and households' exposure:
:mod:`simulation.environment`, :mod:`simulation.society`). A run is a pure function of
(config, seed).
"""

from __future__ import annotations

import copy
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import OrthogonalMooreGrid

from simulation.config import Config, PolicySection
from simulation.config.levers import BARE_NAMES
from simulation.economy.city_economy import CityEconomy, Clock
from simulation.economy.firms import Sites, zoning_mask
from simulation.economy.sectors import TOFU
from simulation.environment.geography import load_map
from simulation.environment.pollution import Pollution
from simulation.model import settled
from simulation.model.agents import Firm, Household
from simulation.model.indicators import Recorder
from simulation.model.kelurahan import KelurahanRecorder
from simulation.model.rng import RandomStreams
from simulation.policy import forum, programmes
from simulation.policy.regulator import Regulator
from simulation.scenarios import load_config, resolve_map_path
from simulation.society import exposure as social
from simulation.society import population
from simulation.society.health_burden import HealthBurden

AIR_SPINUP_MONTHS = 1  # each month is solved to its steady state (pollution.py)


class _Placeholder:
    """Stands for an object a settled snapshot refers to but does not copy."""


_MODEL, _AIR, _WATER, _CITY = _Placeholder(), _Placeholder(), _Placeholder(), _Placeholder()


def _replace(value: Any, swap: dict[int, Any]) -> Any:
    """Deep copy ``value`` with the placeholders swapped for the live objects."""
    return copy.deepcopy(value, memo=dict(swap))


class BlitarModel(mesa.Model):
    """Kota Blitar on a grid of ~57 m cells, one step per month.

    Build from a :class:`Config`, or the Mesa way with flat keywords (as batch_run and
    SolaraViz do): ``BlitarModel(scenario="blitar", seed=1, scale=10, emission_charge=5000)``;
    any ``policy.*`` lever, the scenario keywords (``seed``, ``scale``, ``start_year``,
    ``end_year``, ``big_plant_*``) and any parameter with a unique name may be given by its
    bare name (:data:`simulation.config.levers.BARE_NAMES`).
    """

    def __init__(self, config: Config | None = None, *, scenario: str = "blitar",
                 **levers: Any) -> None:
        if config is None:
            unknown = sorted(set(levers) - set(BARE_NAMES))
            if unknown:
                raise TypeError(f"unknown model keyword(s) {unknown}; allowed: "
                                f"{', '.join(sorted(BARE_NAMES))}")
            config = load_config(scenario, **{BARE_NAMES[k]: v for k, v in levers.items()
                                              if v is not None})
        elif levers:
            raise TypeError("give either a Config or keyword levers, not both")
        self.cfg = config
        super().__init__(rng=config.scenario.seed)
        if not settled.restore(config, self):
            self._build_and_settle(config)
            settled.store(config, self)
        self._start_run(config)

    # --- set-up -------------------------------------------------------------------------
    def _build_and_settle(self, cfg: Config) -> None:
        """The city, its people and firms, and the burn-in (trends frozen, today's
        policies) from which January of start_year emerges."""
        self.streams = RandomStreams(cfg.scenario.seed)
        self.city = city = load_map(resolve_map_path(cfg.scenario.map))
        self.rows, self.cols = city.rows, city.cols
        self._build_grid()
        self.households, self.workers = population.initial_population(
            cfg, city, self.streams["population"])
        self.home_cells, w = population.home_cells(city)
        self.home_p = w / w.sum()
        self.month = -cfg.economy.burn_in_months
        self.economy = CityEconomy(cfg, city, self.households, self.workers, self.streams,
                                   self.month)
        self.regulator = Regulator(self, PolicySection())  # today's policies until start
        self.economy.attach_public_money(self.regulator_balance)
        self.economy.check.opening = self.economy.money_stock()
        hh, s = self.households, cfg.scenario.scale
        residents = np.bincount(hh.home, hh.members, self.rows * self.cols) * s
        self.pollution = Pollution(cfg.environment, city, self.air, self.water, residents,
                                   hh.n * s)
        self.exposure = social.Exposure(cfg)
        self.household_agents = [Household(self, int(r), self.cell_list[c])
                                 for r, c in enumerate(self.households.home)]
        self.firm_agents: dict[int, Firm] = {}
        self._add_firm_agents(np.arange(self.firms.n))
        self.above = np.zeros(self.households.n, dtype=bool)
        self.month_complaints = 0.0
        self.complaint_history: list[float] = []
        self.schedule: dict[int, dict[str, Any]] = {}
        for _ in range(AIR_SPINUP_MONTHS):
            self._air_step()
        self._river_step(ipal_on=False)
        self._expose()
        while self.month < 0:
            self._month()

    def _start_run(self, cfg: Config) -> None:
        """January of start_year: this run's config, recorders, schedule and levers."""
        self.cfg = cfg
        self.economy.cfg = self.economy.labour.cfg = cfg
        self.recorder = Recorder(cfg.n_steps)
        self.kelurahan_recorder = KelurahanRecorder(cfg.n_steps, self.city)  # per kelurahan
        self.health_burden = HealthBurden(cfg.health, self.city, cfg.scenario.start_year,
                                          cfg.n_steps)
        self.schedule = cfg.schedule_by_month()
        self.regulator.levers = cfg.policy
        self.economy.entry_sites = Sites(self.city, zoning_mask(
            self.city, cfg.policy.zoning_buffer_cells))
        self.economy.rebase_prices()  # "2025 prices": those of January of start_year
        self.gdp_pc0 = self.recorder.gdp_per_person(self)
        self.running = True

    # the state a burn-in leaves, besides Mesa's grid and agents (rebuilt from the tables)
    _SETTLED = ("streams", "households", "workers", "home_cells", "home_p", "month",
                "economy", "pollution", "exposure", "above", "month_complaints",
                "complaint_history")
    _REGULATOR = ("account", "pools", "revenue", "spending", "spent", "spent_this_year",
                  "appropriated_this_year", "ipal_built", "forum_log", "price_level",
                  "green_cost_index", "levers")

    def settled_snapshot(self) -> dict[str, Any]:
        """A deep copy of the settled state (see :mod:`simulation.model.settled`); Mesa's
        grid, property layers and agents are left out and rebuilt on restore."""
        layers = {id(self): _MODEL, id(self.air): _AIR, id(self.water): _WATER,
                  id(self.city): _CITY}
        state = {name: getattr(self, name) for name in self._SETTLED}
        state["regulator"] = {n: getattr(self.regulator, n) for n in self._REGULATOR}
        snap = copy.deepcopy(state, memo=dict(layers.items()))
        snap["air_data"] = self.air.data.copy()
        snap["water_data"] = self.water.data.copy()
        snap["city"] = self.city
        return snap

    def restore_settled(self, snap: dict[str, Any]) -> None:
        """Rebuild the model from a snapshot: grid and layers, state, regulator, agents."""
        self.city = city = snap["city"]
        self.rows, self.cols = city.rows, city.cols
        self._build_grid()
        self.air.data[:] = snap["air_data"]
        self.water.data[:] = snap["water_data"]
        swap = {id(_MODEL): self, id(_AIR): self.air, id(_WATER): self.water,
                id(_CITY): city}
        state = _replace({name: snap[name] for name in self._SETTLED}, swap)  # one copy:
        for name, value in state.items():                                   # shared refs
            setattr(self, name, value)                                      # stay shared
        self.regulator = Regulator(self, PolicySection())
        for name, value in _replace(snap["regulator"], swap).items():
            setattr(self.regulator, name, value)
        self.household_agents = [Household(self, int(r), self.cell_list[c])
                                 for r, c in enumerate(self.households.home)]
        self.firm_agents = {}
        self._add_firm_agents(np.flatnonzero(self.firms.alive))

    def regulator_balance(self) -> float:
        """The regulator's money (counted in the city's accounts)."""
        return self.regulator.balance

    def _build_grid(self) -> None:
        city = self.city
        self.grid = OrthogonalMooreGrid((city.rows, city.cols), torus=False, random=self.random)
        for name, data in (("landuse", city.landuse), ("kelurahan", city.kelurahan),
                           ("kecamatan", city.kecamatan)):
            layer = self.grid.create_property_layer(name, 0, dtype=int)
            layer.data[:] = data
        self.air = self.grid.create_property_layer("air", 0.0, dtype=float)  # ug/m3 local sources
        self.water = self.grid.create_property_layer("water", 0.0, dtype=float)  # mg/L BOD
        self.cell_list = [self.grid[(r, c)] for r in range(city.rows) for c in range(city.cols)]

    @property
    def firms(self):  # -> Table
        return self.economy.firms

    @property
    def is_mfg(self) -> np.ndarray:
        return self.economy.sa.manufacturing[self.firms.sector]

    @property
    def umk(self) -> float:
        return self.economy.umk

    @property
    def price_level(self) -> float:
        return self.economy.markets.outside_price

    # --- the monthly step ---------------------------------------------------------------
    def step(self) -> None:
        """One month of the run (Mesa's step; the burn-in months are not Mesa steps)."""
        if self.month >= self.cfg.n_steps:
            raise RuntimeError(f"the run is over: {self.cfg.n_steps} months simulated")
        self._month()
        self.running = self.month < self.cfg.n_steps  # Mesa's convention

    def _month(self) -> None:
        """One month: policy, markets, labour, production, enforcement, environment,
        accounts, firm demography, population, indicators."""
        clock = Clock(self.month, self.cfg.scenario.start_year)
        eco, reg = self.economy, self.regulator
        self._apply_schedule()
        eco.start_month(clock, reg.levers, self._add_firm_agents)
        self._policy_month(clock)
        eco.labour_month()
        eco.produce()
        self._enforce()
        ipal_on = programmes.ipal_active(reg, self.cfg, clock.year)
        self._environment_month(ipal_on)
        eco.close_month(clock)
        reg.end_month(december=self.month % 12 == 11)
        self._remove_firm_agents(eco.demography(clock, self._add_firm_agents))
        if not clock.burn_in:
            self._grow_population()
            self.recorder.record(self)
            self.kelurahan_recorder.record(self)
        self.month += 1

    # --- step pieces --------------------------------------------------------------------
    def _apply_schedule(self) -> None:
        """Phase in scheduled lever changes (validated when the config was loaded)."""
        changes = self.schedule.get(self.month)
        if not changes:
            return
        reg = self.regulator
        old_buffer = reg.levers.zoning_buffer_cells
        reg.set_levers(changes)
        if reg.levers.zoning_buffer_cells != old_buffer:
            self.economy.entry_sites = Sites(self.city, zoning_mask(
                self.city, reg.levers.zoning_buffer_cells))

    def _policy_month(self, clock: Clock) -> None:
        """Budget, January programmes, the forum every six months."""
        reg, eco, scale = self.regulator, self.economy, self.cfg.scenario.scale
        reg.start_month(clock.january, eco.markets.outside_price)
        if clock.january:
            rng = self.streams["programmes"]
            programmes.run_workshops(reg, self.firms, self.is_mfg, scale, rng)
            programmes.run_training(reg, self.workers, scale, rng)
            places = programmes.registration_places(reg, scale, rng)
            if places:
                done = eco.register_enterprises(clock, places, self._add_firm_agents)
                reg.spend("registration", done * reg.budget_cfg.registration_cost
                          * reg.price_level)
        if clock.month > 0 and clock.month % 6 == 0:
            self._forum()

    def _enforce(self) -> None:
        """Green-technology decisions, the emission charge, inspections and fines."""
        reg, rng_g = self.regulator, self.streams["green"]
        intensity = self.intensity_factor
        programmes.green_adoption(reg, self.economy, self.is_mfg, intensity, self.rows,
                                  self.cols, rng_g)
        programmes.enforce(reg, self.firms, self.is_mfg, self.intensity_factor,
                           self.cfg.scenario.scale, self.streams["inspection"])

    @property
    def intensity_factor(self) -> np.ndarray:
        """Each firm's emission intensity relative to its sector's conventional technology
        (the larger of air and water): what the emission standard limits."""
        f = self.firms
        return np.maximum(f.air_factor, f.water_factor) * (
            1.0 - f.green * self.economy.sa.green_reduction[f.sector])

    def _environment_month(self, ipal_on: bool) -> None:
        """Air and river, households' exposure and health, complaints, relocation."""
        self._air_step()
        self._river_step(ipal_on)
        n_affected = self._expose()
        if self.month >= 0:  # the run's months (not the burn-in): this month's health burden
            p, hh, s = self.pollution, self.households, self.cfg.scenario.scale
            self.health_burden.record(self.month, hh.home, hh.members * float(s),
                                      p.background + p.air_flat, p.industrial_flat,
                                      p.water_cell > self.cfg.environment.water_standard_mg_l)
        rng = self.streams["social"]
        laid_off = self.economy.month.laid_off_households
        n_laid_off = int(laid_off.sum()) if laid_off is not None else 0
        self.month_complaints = social.complaints(rng, n_affected, n_laid_off, self.cfg.health)
        self.complaint_history.append(self.month_complaints * self.cfg.scenario.scale)
        self._relocate(rng)

    def _sources(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Emission sources: (cells, air kg, water kg, is tofu) of live firms and of
        household industries, agent scale."""
        f = self.firms
        alive = f.alive
        cells, air, water, sector = self.economy.informal_emissions
        return (np.concatenate([f.cell[alive], cells]),
                np.concatenate([f.emission_air[alive], air]),
                np.concatenate([f.emission_water[alive], water]),
                np.concatenate([f.sector[alive] == TOFU, sector == TOFU]))

    def _air_step(self) -> None:
        cells, air, _, _ = self._sources()
        s = self.cfg.scenario.scale
        self.pollution.step_air(cells, air * s, self.month,
                                float(self.households.members.sum()) * s)

    def _river_step(self, ipal_on: bool) -> None:
        s = self.cfg.scenario.scale
        cells, _, water, tofu = self._sources()
        load = water * s
        if ipal_on:
            removal = self.regulator.levers.ipal_removal_share
            load = np.where(tofu, load * (1.0 - removal), load)
        self.pollution.step_river(cells, load, s, self.month)

    # pollution state read by metrics, households and the browser view
    @property
    def water_cell(self) -> np.ndarray:
        return self.pollution.water_cell

    @property
    def river_downstream(self) -> float:
        return self.pollution.river_downstream

    @property
    def water_load_total(self) -> float:
        return self.pollution.water_load_total

    def _expose(self) -> int:
        if self.above.size != self.households.n:
            self.above = np.zeros(self.households.n, dtype=bool)
        return self.exposure.update(self.households, self.pollution, self.above)

    def _relocate(self, rng: np.random.Generator) -> None:
        movers, cells = social.relocate(rng, self.households, self.exposure.affected, self.umk,
                                        self.cfg.health, self.home_cells, self.home_p,
                                        self.pollution.exposure_score())
        self.households.home[movers] = cells
        self.households.moves[movers] += 1
        for r, c in zip(movers, cells, strict=True):
            self.household_agents[r].cell = self.cell_list[c]

    def _grow_population(self) -> None:
        rows = population.grow_population(self.cfg, self.city, self.streams["demography"],
                                          self.households, self.workers)
        if rows.size:
            self.economy.new_households(rows)
        for r in rows:
            self.household_agents.append(
                Household(self, int(r), self.cell_list[self.households.home[r]]))

    def _add_firm_agents(self, rows: np.ndarray) -> None:
        f = self.firms
        for r in rows:
            self.firm_agents[int(r)] = Firm(self, int(r), self.cell_list[f.cell[r]])

    def _remove_firm_agents(self, rows: np.ndarray) -> None:
        for r in rows:
            self.firm_agents.pop(int(r)).remove()

    def _forum(self) -> None:
        hist = self.complaint_history[-6:]
        households = self.households.n * self.cfg.scenario.scale
        per_1000 = 1000.0 * float(np.mean(hist)) / households if hist else 0.0
        unemployment = float((self.workers.status == 0).mean())
        mfg = self.firms.alive & self.is_mfg
        loss_share = float((self.firms.loss_months[mfg] > 0).mean()) if mfg.any() else 0.0
        forum.meet(self.regulator, self.cfg.forum, self.month, per_1000, unemployment,
                   loss_share)

    # --- results ------------------------------------------------------------------------
    def run(self, progress: Any = None) -> None:
        """Run to the end of the horizon; ``progress`` is called with 1 after each month."""
        while self.month < self.cfg.n_steps:
            self.step()
            if progress is not None:
                progress(1)

    def timeseries(self):  # -> pd.DataFrame
        return self.recorder.frame(self.cfg.scenario.start_year)

    def maps(self) -> dict[str, np.ndarray]:
        """End-of-run maps: air PM2.5 (ug/m3, mean of the last 12 months incl. the annual
        background), river BOD on river cells
        (mg/L), and residents' mean PM2.5 exposure per cell (ug/m3, NaN where nobody lives)."""
        hh = self.households
        n_cells = self.rows * self.cols
        people = np.bincount(hh.home, weights=hh.members, minlength=n_cells)
        dose = np.bincount(hh.home, weights=hh.members * hh.air, minlength=n_cells)
        with np.errstate(invalid="ignore", divide="ignore"):
            exposure = np.where(people > 0, dose / people, np.nan)
        return {
            "air": self.pollution.annual_air + self.cfg.environment.air_background,
            "water": self.water.data.copy(),
            "exposure": exposure.reshape(self.rows, self.cols),
            "residents": (people * self.cfg.scenario.scale).reshape(self.rows, self.cols),
        }
