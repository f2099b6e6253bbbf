"""The Blitar industrial-growth model (Mesa 3.5).

``BlitarModel`` wires the pieces together: the city map and grid with its property
layers, the synthetic population and industrial base (state tables + Mesa agents), the
regulator, and one monthly step that runs the economy, labour market, green technology,
environment and households as array code. A run is a pure function of (config, seed).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import OrthogonalMooreGrid

from simulation.config import SECTOR_NAMES, Config
from simulation.config.levers import BARE_NAMES
from simulation.economy import firms as firms_mod
from simulation.economy import green, labour
from simulation.economy import production as economy
from simulation.environment.geography import load_map
from simulation.environment.pollution import Pollution
from simulation.model.agents import Firm, Household
from simulation.model.indicators import Recorder
from simulation.model.kelurahan import KelurahanRecorder
from simulation.model.rng import RandomStreams
from simulation.policy.regulator import Regulator
from simulation.scenarios import load_config, resolve_map_path
from simulation.society import exposure as social
from simulation.society import population

N_SECTORS = len(SECTOR_NAMES)
TOFU = SECTOR_NAMES.index("tofu_tempe")
AIR_SPINUP_MONTHS = 24  # bring the air field to its steady state before month 1


class BlitarModel(mesa.Model):
    """Kota Blitar on a grid of ~57 m cells, one step per month.

    Build from a :class:`Config`, or the Mesa way with flat keywords (as batch_run and
    SolaraViz do): ``BlitarModel(scenario="blitar", seed=1, scale=10, emission_charge=5000)``;
    any ``policy.*`` lever, the scenario keywords (``seed``, ``scale``, ``start_year``,
    ``end_year``, ``big_plant_*``) and any parameter with a unique name may be given by its
    bare name (:data:`simulation.levers.BARE_NAMES`).
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
        self.cfg = cfg = config
        super().__init__(rng=cfg.scenario.seed)
        self.streams = RandomStreams(cfg.scenario.seed)
        self.city = city = load_map(resolve_map_path(cfg.scenario.map))
        self.rows, self.cols = city.rows, city.cols
        self.sa = economy.SectorArrays.from_config(cfg)
        self._build_grid()
        self._build_population()
        self.pollution = Pollution(cfg.environment, city, self.air, self.water)
        self._zone(cfg.policy.zoning_buffer_cells)
        self.regulator = Regulator(self)
        self.recorder = Recorder(cfg.n_steps)
        self.kelurahan_recorder = KelurahanRecorder(cfg.n_steps, city)  # per-kelurahan table
        self.month = 0
        self._initial_settlement()

    # --- set-up -------------------------------------------------------------------------
    def _build_grid(self) -> None:
        city = self.city
        self.grid = OrthogonalMooreGrid((city.rows, city.cols), torus=False, random=self.random)
        for name, data in (("landuse", city.landuse), ("kelurahan", city.kelurahan),
                           ("kecamatan", city.kecamatan)):
            layer = self.grid.create_property_layer(name, 0, dtype=int)
            layer.data[:] = data
        self.air = self.grid.create_property_layer("air", 0.0, dtype=float)    # ug/m3 industrial
        self.water = self.grid.create_property_layer("water", 0.0, dtype=float)  # mg/L BOD
        self.cell_list = [self.grid._cells[(r, c)] for r in range(city.rows)
                          for c in range(city.cols)]

    def _build_population(self) -> None:
        cfg, city = self.cfg, self.city
        self.households, self.workers = population.initial_population(
            cfg, city, self.streams["population"])
        wk = self.workers
        n_unemployed = round(wk.n * cfg.population.unemployment_rate_2024)
        employed = np.sort(self.streams["population"].choice(wk.n, wk.n - n_unemployed,
                                                             replace=False))
        self.firms = firms_mod.initial_firms(cfg, city, self.streams["firms"], employed.size)
        self.is_mfg = self.sa.manufacturing[self.firms.sector]
        rng = self.streams["firms"]
        slots = np.repeat(np.arange(self.firms.n), self.firms.target.astype(np.int64))
        rng.shuffle(slots)
        order = rng.permutation(employed)
        labour.assign_initial_jobs(order, slots, rng.random((order.size, 8)),
                                   self.households.home[wk.household], self.firms.cell,
                                   self.cols, self.range2, wk.employer, self.firms.workers)
        self.home_cells, w = population.home_cells(city)
        self.home_p = w / w.sum()
        self.household_agents = [Household(self, int(r), self.cell_list[c])
                                 for r, c in enumerate(self.households.home)]
        self.firm_agents = {int(r): Firm(self, int(r), self.cell_list[c])
                            for r, c in enumerate(self.firms.cell)}

    @property
    def range2(self) -> float:
        cells = self.cfg.labour.commuting_range_km * 1000.0 / self.city.cell_size_m
        return cells * cells

    def _zone(self, buffer_cells: int) -> None:
        """Sites where entering manufacturers get permits (DPMPTSP zoning)."""
        self.entry_sites = firms_mod.Sites(self.city,
                                           firms_mod.zoning_mask(self.city, buffer_cells))

    def _apply_schedule(self, changes: dict[str, Any]) -> None:
        """Phase in scheduled lever changes (validated when the config was loaded)."""
        reg = self.regulator
        old_buffer = reg.levers.zoning_buffer_cells
        reg.set_levers(changes)
        if reg.levers.zoning_buffer_cells != old_buffer:
            self._zone(reg.levers.zoning_buffer_cells)

    def _initial_settlement(self) -> None:
        """Month-0 accounts: wages, incomes and output at the start, which fix the base
        demand of each sector, the starting margins and the air field's steady state."""
        cfg, f = self.cfg, self.firms
        self.price_level, self.productivity_trend = 1.0, 1.0
        self.umk = economy.umk_for_year(
            cfg, cfg.scenario.start_year, cfg.policy.umk_growth_per_year)
        self.above = np.zeros(self.households.n, dtype=bool)
        # Firms present in 2025 are survivors: one whose starting accounts (with the
        # workers it was given) show a loss has its productivity raised to break even
        # with a 5 % margin. Wages depend on productivity, so settle a few times.
        for _ in range(4):
            self._pay(f.productivity)
            gross = f.productivity * f.eff_labour * (1.0 - cfg.labour.capital_share)
            short = (f.workers > 0) & (gross < 1.05 * f.wage_bill)
            if not short.any():
                break
            f.productivity[short] *= 1.05 * f.wage_bill[short] / np.maximum(gross[short], 1e-12)
        capacity = f.productivity * f.eff_labour
        self.base_demand_real = economy.sector_sum(capacity, f.sector, N_SECTORS)
        f.market_share[:] = capacity
        economy.normalise_shares(f, N_SECTORS)
        f.demand[:] = capacity
        self._produce(f.productivity, 1.0)
        self.margin0 = economy.sector_margins(f, N_SECTORS)
        self.residents0 = float(self.households.members.sum())
        self.employment_rate0 = float((self.workers.employer >= 0).mean())
        self.local_income_index = 1.0
        self.green_cost_index = 1.0
        self.schedule = cfg.schedule_by_month()
        self.env_cost_share = np.zeros(N_SECTORS)
        members = self.households.members.sum() * cfg.scenario.scale
        self.gdp_pc0 = f.output.sum() / 1000.0 * cfg.scenario.scale / members
        for _ in range(AIR_SPINUP_MONTHS):
            self._air_step()
        self._river_step(ipal_on=False)
        self._expose()
        self.month_entries = self.month_exits = self.month_complaints = 0.0
        self.complaint_history: list[float] = []

    # --- the monthly step ---------------------------------------------------------------
    def step(self) -> None:
        if self.month >= self.cfg.n_steps:
            raise RuntimeError(f"the run is over: {self.cfg.n_steps} months simulated")
        cfg, f, reg = self.cfg, self.firms, self.regulator
        year = cfg.scenario.start_year + self.month // 12
        january = self.month % 12 == 0
        years = self.month / 12.0
        self.price_level = (1.0 + cfg.economy.inflation_per_year) ** years
        growth = self.productivity_trend = (1.0 + cfg.economy.productivity_growth_per_year) ** years
        reg.start_month()
        if self.month in self.schedule:
            self._apply_schedule(self.schedule[self.month])
        if january and self.month > 0:
            self.umk = economy.next_umk(cfg, year, self.umk, reg.levers.umk_growth_per_year)
        if january:
            if cfg.scenario.big_plant_year == year:
                self._open_big_plant()
            reg.run_workshops(self.streams["programmes"], self.is_mfg, TOFU)
            reg.run_training(self.streams["programmes"])
        if self.month > 0 and self.month % 6 == 0:
            self._forum()
        ipal_on = reg.ipal_active(year)

        # demand, plans and the labour market
        # effective labour per worker (skill x health) as of last month's payroll
        per_worker = np.where(f.workers > 0, f.eff_labour / np.maximum(f.workers, 1), 1.0)
        self._quits()
        demand = economy.sector_demand(self.base_demand_real, self.sa, years, self.price_level,
                                       self.local_income_index, self.env_cost_share,
                                       cfg.economy.env_cost_price_elasticity)
        nominal_prod = f.productivity * growth * self.price_level
        vacancies, excess = economy.plan_labour(f, demand, nominal_prod * per_worker,
                                                cfg.labour.max_hiring_share)
        laid_off = self._labour_market(vacancies, excess)

        # production, green technology, charges, inspections
        self._pay(nominal_prod)
        self._produce(nominal_prod, self.price_level)
        self._adopt_green(year)
        self._charges_and_inspections()

        # environment and households
        self._air_step()
        self._river_step(ipal_on)
        n_above = self._expose()
        rng = self.streams["social"]
        self.month_complaints = social.complaints(rng, n_above, laid_off, cfg.health)
        self.complaint_history.append(self.month_complaints * cfg.scenario.scale)
        self._relocate(rng)

        # firms' accounts, demography, exit and entry
        self.env_cost_share = (economy.sector_sum(f.env_cost, f.sector, N_SECTORS)
                               / np.maximum(economy.sector_sum(f.output, f.sector, N_SECTORS),
                                            1e-12))
        economy.settle(f, N_SECTORS, cfg.economy.market_share_adjustment)
        self._update_local_demand(years)
        self._grow_population()
        self._exit_and_enter()
        self.recorder.record(self)
        self.kelurahan_recorder.record(self)
        self.month += 1
        self.running = self.month < cfg.n_steps  # Mesa's convention (batch_run, SolaraViz)

    # --- step pieces --------------------------------------------------------------------
    def _update_local_demand(self, years: float) -> None:
        """Real local spending relative to the start: residents x real income per head
        (its trend) x (employment rate relative to the start) ^ elasticity, the
        last factor being the local multiplier of job gains and losses. Smoothed over
        three months (illustrative) as households adjust spending gradually."""
        eco = self.cfg.economy
        residents = float(self.households.members.sum()) / self.residents0
        trend = (1.0 + eco.income_growth_per_head_per_year) ** years
        employment = float((self.workers.employer >= 0).mean()) / self.employment_rate0
        target = residents * trend * employment ** eco.local_demand_employment_elasticity
        self.local_income_index += (target - self.local_income_index) / 3.0

    def _quits(self) -> None:
        """Voluntary separations (retirement, migration, moves), before firms plan, so the
        vacancies they leave are advertised the same month."""
        wk, rng = self.workers, self.streams["labour"]
        quits = rng.integers(0, wk.n, rng.binomial(wk.n, self.cfg.labour.separation_rate))
        labour.separate(wk.employer, quits, self.firms.workers)

    def _labour_market(self, vacancies: np.ndarray, excess: np.ndarray) -> int:
        """Layoffs, then job search by everyone without a job. Returns households hit."""
        wk, f, lab = self.workers, self.firms, self.cfg.labour
        rng = self.streams["labour"]
        laid_off = np.zeros(self.households.n, dtype=bool)
        labour.lay_off(wk.employer, excess, int(rng.integers(0, wk.n)), f.workers, laid_off,
                       wk.household)
        seekers = rng.permutation(np.flatnonzero(wk.employer < 0))
        contacts = rng.random((seekers.size, lab.search_attempts))
        home = self.households.home[wk.household]
        labour.match_jobs(seekers, contacts, np.cumsum(vacancies).astype(np.float64),
                          vacancies, home, f.cell, self.cols, self.range2, wk.employer,
                          f.workers)
        return int(laid_off.sum())

    def _pay(self, nominal_prod: np.ndarray) -> None:
        f, wk, hh = self.firms, self.workers, self.households
        f.eff_labour[:] = 0.0
        f.wage_bill[:] = 0.0
        hh.income[:] = self.cfg.population.non_labour_income * self.price_level
        labour.pay_workers(wk.employer, wk.household, wk.skill, hh.health,
                           self.sa.wage_share[f.sector], nominal_prod, self.umk,
                           self.cfg.health.productivity_weight, wk.wage, f.eff_labour,
                           f.wage_bill, hh.income)

    def _produce(self, nominal_prod: np.ndarray, price: float) -> None:
        f = self.firms
        reduction = 1.0 - f.green * self.sa.green_reduction[f.sector]
        economy.produce(f, self.sa, nominal_prod, price, reduction,
                        self.cfg.labour.capital_share)

    def _adopt_green(self, year: int) -> None:
        cfg, f, reg = self.cfg, self.firms, self.regulator
        gt = cfg.green_tech
        decline = gt.cost_decline_per_year + (gt.international_extra_decline
                                              if reg.levers.international_partnership else 0.0)
        self.green_cost_index *= (1.0 - decline) ** (1.0 / 12.0)
        intensity = self.intensity_factor
        p_inspect = reg.detection_probability(self.is_mfg, intensity)
        violating = intensity > reg.levers.emission_standard
        fine_risk = np.where(violating, p_inspect * reg.levers.fine
                             * f.count_weight / cfg.scenario.scale, 0.0)
        ctx = green.AdoptionContext(
            charge_rp_per_kg=reg.levers.emission_charge,
            # firms count on the subsidy only while the programme has money
            subsidy_share=reg.levers.green_subsidy_share if reg.balance > 0 else 0.0,
            cost_index=self.green_cost_index, price=self.price_level,
            fine_risk=fine_risk)
        rows, cost = green.adopt(f, self.is_mfg, self.rows, self.cols, gt, self.sa.green_cost,
                                 self.sa.green_reduction, ctx, self.streams["green"])
        if rows.size:
            subsidy = reg.subsidy_for(cost, np.full(rows.size, float(cfg.scenario.scale)))
            f.profit[rows] -= cost - subsidy

    @property
    def intensity_factor(self) -> np.ndarray:
        """Each firm's emission intensity relative to its sector's conventional technology
        (the larger of air and water): what the emission standard limits."""
        f = self.firms
        return np.maximum(f.air_factor, f.water_factor) * (
            1.0 - f.green * self.sa.green_reduction[f.sector])

    def _charges_and_inspections(self) -> None:
        f, reg, s = self.firms, self.regulator, self.cfg.scenario.scale
        charge = reg.levers.emission_charge
        f.env_cost[:] = charge * (f.emission_air + f.emission_water) / 1e6
        violators = reg.inspect(self.streams["inspection"], self.is_mfg, self.intensity_factor)
        f.env_cost[violators] += reg.levers.fine * f.count_weight[violators] / s
        reg.collect(float(f.env_cost[f.alive].sum()) * s)  # charges and fines, city scale

    def _air_step(self) -> None:
        f = self.firms
        alive = f.alive
        self.pollution.step_air(f.cell[alive], f.emission_air[alive] * self.cfg.scenario.scale)

    def _river_step(self, ipal_on: bool) -> None:
        f, s = self.firms, self.cfg.scenario.scale
        alive = f.alive
        load = f.emission_water[alive] * s
        if ipal_on:
            removal = self.regulator.levers.ipal_removal_share
            load = np.where(f.sector[alive] == TOFU, load * (1.0 - removal), load)
        self.pollution.step_river(f.cell[alive], load, s)

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
        env, hs, hh = self.cfg.environment, self.cfg.health, self.households
        if self.above.size != hh.n:
            self.above = np.zeros(hh.n, dtype=bool)
        return int(social.expose_and_heal(
            hh.home, self.pollution.air_flat, self.water_cell, env.air_background,
            env.air_standard, env.water_standard_mg_l, hs.recovery_rate, hs.initial_health,
            hs.air_damage, hs.water_damage, hh.health, hh.air, hh.water, self.above))

    def _relocate(self, rng: np.random.Generator) -> None:
        movers, cells = social.relocate(rng, self.households, self.above, self.umk,
                                        self.cfg.health, self.home_cells, self.home_p,
                                        self.pollution.air_flat)
        self.households.home[movers] = cells
        self.households.moves[movers] += 1
        for r, c in zip(movers, cells, strict=True):
            self.household_agents[r].cell = self.cell_list[c]

    def _grow_population(self) -> None:
        rows = population.grow_population(self.cfg, self.city, self.streams["demography"],
                                          self.households, self.workers)
        for r in rows:
            self.household_agents.append(
                Household(self, int(r), self.cell_list[self.households.home[r]]))

    def _exit_and_enter(self) -> None:
        cfg, f = self.cfg, self.firms
        rng = self.streams["entry"]
        gone = economy.exits(f, rng, cfg.economy.exit_loss_months,
                             cfg.economy.exit_hazard_per_year / 12.0)
        self.month_exits = float(f.count_weight[gone].sum())
        if gone.size:
            dead = np.zeros(f.n, dtype=bool)
            dead[gone] = True
            wk = self.workers
            emp = wk.employer
            fired = (emp >= 0) & dead[np.maximum(emp, 0)]
            emp[fired] = -1
            f.workers[gone] = 0
            f.alive[gone] = False
            for r in gone:
                self.firm_agents.pop(int(r)).remove()
        expected = economy.expected_entrants(f, N_SECTORS, cfg.economy.entry_rate_per_year / 12,
                                             self.margin0)
        counts = rng.poisson(expected)
        entries = 0.0
        for sector, n in zip(SECTOR_NAMES, counts, strict=True):
            if n == 0:
                continue
            sc = getattr(cfg.sectors, sector)
            mean_size = sc.employment_share * self.workers.n * cfg.scenario.scale / max(
                sc.initial_firms, 1)
            real_umk = self.umk / (self.price_level * self.productivity_trend)
            rows = firms_mod.enter_firms(cfg, self.entry_sites, rng, f, sector, int(n),
                                         mean_size, real_umk, self.month)
            if rows.size == 0:
                continue
            self._register_new_firms(rows)
            entries += float(f.count_weight[rows].sum())
        self.month_entries = entries
        economy.normalise_shares(f, N_SECTORS)

    def _register_new_firms(self, rows: np.ndarray) -> None:
        """New firms (entrants, the big plant) get a market share matching their capacity
        and a Mesa agent."""
        f = self.firms
        self.is_mfg = self.sa.manufacturing[f.sector]
        sec = f.sector[rows]
        sector_capacity = economy.sector_sum(np.where(f.alive, f.productivity * f.workers, 0.0),
                                             f.sector, N_SECTORS)
        cap = f.productivity[rows] * f.target[rows]
        f.market_share[rows] = cap / np.maximum(sector_capacity[sec], 1e-12) * \
            economy.sector_sum(np.where(f.alive, f.market_share, 0.0), f.sector,
                               N_SECTORS)[sec]
        for r in rows:
            self.firm_agents[int(r)] = Firm(self, int(r), self.cell_list[f.cell[r]])

    def _open_big_plant(self) -> None:
        """The plant brings its own (outside) demand: the sector's base demand grows by
        its capacity, so it adds jobs rather than taking them from incumbents."""
        f = self.firms
        rows = firms_mod.big_plant(self.cfg, self.city, self.streams["big_plant"], f, self.month)
        self._register_new_firms(rows)
        sec = int(f.sector[rows[0]])
        added = float((f.productivity[rows] * f.target[rows]).sum())
        old = self.base_demand_real[sec]
        self.base_demand_real[sec] = old + added
        live_sector = f.alive & (f.sector == sec)
        f.market_share[live_sector] *= old / (old + added)
        f.market_share[rows] = added / (old + added)

    def _forum(self) -> None:
        hist = self.complaint_history[-6:]
        households = self.households.n * self.cfg.scenario.scale
        per_1000 = 1000.0 * float(np.mean(hist)) / households if hist else 0.0
        wk = self.workers
        unemployment = float((wk.employer < 0).mean())
        mfg = self.firms.alive & self.is_mfg
        loss_share = float((self.firms.loss_months[mfg] > 0).mean()) if mfg.any() else 0.0
        self.regulator.dialogue(per_1000, unemployment, loss_share)

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
        """End-of-run maps: air PM2.5 (ug/m3, incl. background), river BOD on river cells
        (mg/L), and residents' mean PM2.5 exposure per cell (ug/m3, NaN where nobody lives)."""
        hh = self.households
        n_cells = self.rows * self.cols
        people = np.bincount(hh.home, weights=hh.members, minlength=n_cells)
        dose = np.bincount(hh.home, weights=hh.members * hh.air, minlength=n_cells)
        with np.errstate(invalid="ignore", divide="ignore"):
            exposure = np.where(people > 0, dose / people, np.nan)
        return {
            "air": self.air.data + self.cfg.environment.air_background,
            "water": self.water.data.copy(),
            "exposure": exposure.reshape(self.rows, self.cols),
            "residents": (people * self.cfg.scenario.scale).reshape(self.rows, self.cols),
        }
