"""The city's economy: formal firms, informal producers, households' money and the markets
that connect them, one month at a time.

:class:`CityEconomy` owns the firm table, the sector markets, the labour market and the
money accounts; the household and worker tables belong to the population (the model
passes them in). The model calls its phases in order (see
:meth:`simulation.model.BlitarModel.step`):

1. :meth:`start_month` - January's UMK, outside prices and demand shocks, this month's
   demand from last month's spending plans;
2. :meth:`labour_month` - quits, firms' plans, layoffs, job search, pay;
3. :meth:`produce` - informal and formal production and sales, emissions;
4. (the regulator books green-technology costs, subsidies, charges and fines)
5. :meth:`close_month` - accounts of firms and households, prices, market shares,
   innovation, informal choices, next month's spending plans;
6. :meth:`demography` - closures, entry and registration of household industries.

All money is nominal Rp million per month at agent scale; city totals are ``scale`` times
larger (:mod:`simulation.model.indicators` reports city totals).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

from simulation.config import SECTOR_NAMES, Config, PolicySection
from simulation.economy import firms as firms_mod
from simulation.economy import households as hh_money
from simulation.economy import informal, labour, markets, production, umk
from simulation.economy.accounts import Flows, MoneyCheck
from simulation.economy.labour_market import LabourMarket
from simulation.economy.markets import Demand, Markets
from simulation.economy.sectors import N_SECTORS, SERVICES, SectorArrays, sector_sum
from simulation.environment.geography import CityMap
from simulation.model.rng import RandomStreams
from simulation.model.state import FORMAL, INFORMAL, Table


@dataclass
class Clock:
    """The calendar and the outside trends for one month."""

    month: int          # 0 = January of start_year; negative in the burn-in
    start_year: int

    @property
    def burn_in(self) -> bool:
        return self.month < 0

    @property
    def year(self) -> int:
        return self.start_year + max(self.month, 0) // 12

    @property
    def january(self) -> bool:
        return self.month % 12 == 0

    @property
    def years(self) -> float:
        """Years since January of start_year for trends (frozen at 0 in the burn-in)."""
        return max(self.month, 0) / 12.0


@dataclass
class MonthlyEconomy:
    """Counts of the month (agent units) reported by the indicators."""

    entries: float = 0.0
    exits: float = 0.0
    formalised: float = 0.0
    informal_took_up: int = 0
    informal_quit: int = 0
    laid_off_households: np.ndarray | None = None


class CityEconomy:
    """Firms, informal producers, markets and money (see the module docstring)."""

    def __init__(self, cfg: Config, city: CityMap, households: Table, workers: Table,
                 streams: RandomStreams, start_month: int) -> None:
        self.cfg, self.city = cfg, city
        self.households, self.workers, self.streams = households, workers, streams
        self.sa = SectorArrays.from_config(cfg)
        self.free_entry = np.array([sc.free_entry for _, sc in cfg.sectors.items()])
        self.markets = Markets(self.sa)
        self.labour = LabourMarket(cfg, city.cols, city.cell_size_m)
        self.levers: PolicySection = PolicySection()  # today's policies until start_year
        self.flows = Flows()
        self.check = MoneyCheck()
        self.pipeline = 0.0          # local purchases decided last month (services demand)
        self.government_pending = 0.0  # money returned to the general budget, not yet spent
        self.demand: Demand | None = None
        self.month = MonthlyEconomy()
        self.informal_out: dict[str, np.ndarray] = {}
        self.informal_per_effort = np.zeros(N_SECTORS)
        self.informal_emissions = (np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0),
                                   np.zeros(0, dtype=np.int8))
        self.umk = umk.decreed_umk(cfg, cfg.scenario.start_year, self.levers) or \
            cfg.labour.umk_2025
        self.entry_sites = firms_mod.Sites(city, firms_mod.zoning_mask(
            city, self.levers.zoning_buffer_cells))
        self._build(start_month)

    # --- set-up -------------------------------------------------------------------------
    def _build(self, start_month: int) -> None:
        cfg, wk, hh = self.cfg, self.workers, self.households
        rng = self.streams["firms"]
        # Starting guess only (the burn-in settles it): 5 % without work, the informal
        # share of the rest working informally, the others in formal firms.
        order = rng.permutation(wk.n)
        n_unemployed = round(0.05 * wk.n)
        n_formal = round((wk.n - n_unemployed) * (1.0 - cfg.informal.initial_share))
        formal = np.sort(order[:n_formal])
        shares = np.array([sc.employment_share for _, sc in cfg.sectors.items()])
        jobs = np.floor(shares * n_formal).astype(np.int64)
        jobs[np.argsort(-(shares * n_formal - jobs))[: n_formal - jobs.sum()]] += 1
        self.firms = firms_mod.initial_firms(cfg, self.city, rng, jobs, self.sa.wage_share)
        f = self.firms
        f.entered_step[:] = start_month - 1
        slots = np.repeat(np.arange(f.n), f.target.astype(np.int64))
        rng.shuffle(slots)
        placed = rng.permutation(formal)[: slots.size]
        labour.assign_initial_jobs(placed, slots, rng.random((placed.size, 8)),
                                   hh.home[wk.household], f.cell, self.city.cols,
                                   self.labour.range2, wk.employer, wk.status, f.workers)
        others = order[n_formal:]
        wk.status[others[n_unemployed:]] = INFORMAL
        hh.informal_sector[:] = informal.assign_sectors(
            self.streams["population"], self.sa, self._cluster_of_cell(), self._cluster_share(),
            hh.home)
        firms_mod.assign_owners(f, rng, hh.n, self.sa.outside_ownership)
        self.mean_size = np.array([
            sc.employment_share * n_formal * cfg.scenario.scale / max(sc.initial_firms, 1)
            for _, sc in cfg.sectors.items()])
        self._settle_start()

    def _cluster_of_cell(self) -> np.ndarray:
        """Sector whose craft cluster each cell lies in (-1: none), manufacturing only;
        kept per cluster list, as new households ask every month."""
        clusters = tuple(tuple(sc.cluster_kelurahan) if sc.manufacturing else ()
                         for _, sc in self.cfg.sectors.items())
        if getattr(self, "_clusters", None) != clusters:
            out = np.full(self.city.rows * self.city.cols, -1, dtype=np.int64)
            kel = self.city.kelurahan.ravel()
            for i, names in enumerate(clusters):
                if names:
                    ids = [self.city.kelurahan_index(name) for name in names]
                    out[np.isin(kel, ids) & (out < 0)] = i
            self._clusters, self._cluster_cells = clusters, out
        return self._cluster_cells

    def _cluster_share(self) -> np.ndarray:
        """Household industries exist in manufacturing sectors that sell informally and that
        anyone may enter (no cigarette making at home)."""
        share = np.zeros(N_SECTORS)
        open_ = self.sa.manufacturing & (self.sa.informal > 0) & self.free_entry
        share[open_] = self.cfg.informal.cluster_household_share
        return share

    def _settle_start(self) -> None:
        """The start's accounts: firms produce at capacity, mark-ups make the prices 1,
        households' incomes set their spending, and outside demand is what the formal
        firms sell beyond local demand (so nobody is short of customers at the start)."""
        f, hh, sa = self.firms, self.households, self.sa
        self.labour.pay(self.workers, f, hh, self.umk)
        f.demand[:] = production.capacity(f, sa) * self.markets.price[f.sector]
        production.produce(f, sector_sum(f.demand, f.sector), self.markets.price, sa,
                           self.markets.outside_price)
        production.unit_costs(f, sa, self.markets.outside_price)
        self.markets.calibrate_markups(f)
        f.market_share[:] = f.real_output
        markets.normalise_shares(f)
        hh.informal_income[:] = 0.0
        potential = informal.potential_earnings(sa, self.markets.price,
                                                self.markets.outside_price)
        effort = np.bincount(hh.informal_sector[self.workers.household],
                             weights=np.where(self.workers.status == INFORMAL,
                                              self.workers.effective, 0.0),
                             minlength=N_SECTORS)
        out = informal.produce(self.workers, hh, potential * effort, self.markets.price, sa,
                               self.markets.outside_price)
        self.informal_per_effort[:] = out["per_effort"]
        f.profit[:] = 0.0
        f.cash[:] = 0.0
        dividends, _, _ = production.close_accounts(f, self.cfg.economy, self.overhead())
        f.cash[:] = self.cfg.economy.entrant_equity_months * f.wage_bill
        f.investment[:] = 0.0
        hh_money.collect_income(hh, self.transfers(), self._owner_income(dividends))
        hh_money.start_accounts(self.cfg, hh, self.consumer_price())
        local, _ = markets.household_local_spending(self.cfg, float(hh.consumption.sum()))
        by_sector = local * sa.consumption
        local_formal = by_sector * (1.0 - sa.informal)
        local_formal[SERVICES] += self.government_local()
        cap = sector_sum(np.where(f.alive, f.sales, 0.0), f.sector)
        markets.calibrate_export_base(self.markets, cap, local_formal,
                                      self.cfg.economy.export_price_elasticity)
        self.markets.base_price[:] = self.markets.price
        q = f.productivity * f.eff_labour
        self.practice0 = sector_sum(q * f.productivity, f.sector) / np.maximum(
            sector_sum(q, f.sector), 1e-300)
        self.money = self.money_stock()

    def rebase_prices(self) -> None:
        """Real values (GRDP, emissions) and the consumer price index are measured at the
        prices of the first month of the run, not of the start of the burn-in."""
        self.markets.base_price[:] = self.markets.price
        self.cpi0 = self.consumer_price()

    def consumer_price_index(self) -> float:
        """Consumer prices relative to January of start_year."""
        return self.consumer_price() / getattr(self, "cpi0", 1.0)

    # --- prices, transfers, public spending -----------------------------------------
    def consumer_price(self) -> float:
        """Price of households' spending relative to the start: local sectors weighted by
        the consumption shares, the imported part at outside prices."""
        local = self.cfg.households.local_spending_share
        return local * float(self.sa.consumption @ self.markets.price) + \
            (1.0 - local) * self.markets.outside_price

    def transfers(self) -> float:
        """Transfers per household agent this month (pensions, assistance, remittances)."""
        return self.cfg.population.non_labour_income * self.markets.outside_price

    def government_total(self, years: float = 0.0) -> float:
        """The city's general spending this month (agent scale): central transfers growing
        with prices and the province's economy."""
        eco = self.cfg.economy
        return eco.government_spending / self.cfg.scenario.scale * self.markets.outside_price \
            * (1.0 + eco.provincial_growth_per_year) ** years

    def government_local(self, years: float = 0.0) -> float:
        return self.cfg.economy.government_local_share * self.government_total(years)

    def best_practice(self, clock: Clock) -> np.ndarray:
        """Each sector's best-practice productivity this month: its mean at the start,
        growing at ``technology_growth_per_year`` from start_year (frozen in the burn-in)."""
        return self.practice0 * (1.0 + self.cfg.economy.technology_growth_per_year) \
            ** clock.years

    def pay_norm(self) -> np.ndarray:
        """Each firm's pay norm per skill unit: its sector's wage share of the value added
        a worker makes at current prices."""
        f, sa, mk = self.firms, self.sa, self.markets
        sec = f.sector
        va_per_worker = f.productivity / (1.0 - sa.intermediate[sec]) * (
            mk.price[sec] - sa.intermediate[sec] * mk.outside_price)
        return sa.wage_share[sec] * np.maximum(va_per_worker, 0.0)

    def overhead(self) -> np.ndarray:
        """Fixed costs of each firm agent this month (agent scale): ``overhead_umk`` UMK per
        real firm it stands for."""
        f = self.firms
        return self.cfg.economy.overhead_umk * self.umk * f.count_weight / self.cfg.scenario.scale

    def _owner_income(self, dividends: np.ndarray) -> np.ndarray:
        """Profits paid out, by owning household (outside owners' profits leave)."""
        f = self.firms
        local = f.owner >= 0
        self.flows.outside_profits += float(dividends[~local].sum())
        return np.bincount(f.owner[local], weights=dividends[local],
                           minlength=self.households.n)

    # --- the month --------------------------------------------------------------------
    def start_month(self, clock: Clock, levers: PolicySection,
                    new_firm_agents: Callable[[np.ndarray], None]) -> None:
        """January's UMK and inflation; the big plant in its year; outside shocks; this
        month's demand."""
        cfg, eco = self.cfg, self.cfg.economy
        self.levers = levers
        self.flows = Flows()
        self.check.opening = self.money_stock()
        self.month = MonthlyEconomy()
        if not clock.burn_in:
            self.markets.outside_price = (1.0 + eco.inflation_per_year) ** clock.years
            if clock.january and clock.month > 0:
                self.umk = umk.next_umk(cfg, clock.year, self.umk, levers)
            if clock.january and clock.year == cfg.scenario.big_plant_year:
                new_firm_agents(self.open_big_plant(clock))
        self.markets.shock_outside_demand(self.streams["outside"], eco.outside_shock_sd,
                                          eco.outside_shock_persistence)
        hh = self.households
        spending = float(hh.consumption.sum())
        local, imported = markets.household_local_spending(cfg, spending)
        self.flows.household_spending = spending
        self.flows.imports_households = imported
        g_total = self.government_total(clock.years) + self.government_pending
        self.flows.transfers_government = self.government_total(clock.years)
        self.government_pending = 0.0
        g_local = cfg.economy.government_local_share * g_total
        self.flows.imports_government = g_total - g_local
        self.flows.government_spending = g_total
        public = g_local + self.pipeline
        self.pipeline = 0.0
        growth = markets.outside_growth_factor(self.sa, clock.years)
        self.demand = self.markets.demand(local, public, growth, eco.export_price_elasticity)
        f = self.firms
        # contracts (the big plant's) grow with their sector's outside demand
        contract = np.where(f.alive, f.contract * growth[f.sector], 0.0)
        contracts = sector_sum(contract, f.sector) * self.markets.price
        markets.allocate(f, self.demand.formal)  # market demand, by market share
        f.demand[:] += contract * self.markets.price[f.sector]
        self.demand.formal += contracts          # contracted output is sold outside
        self.demand.exports += contracts

    def labour_month(self) -> None:
        """Quits, plans, layoffs, job search, pay (see :mod:`.labour_market`)."""
        f, wk, hh = self.firms, self.workers, self.households
        rng = self.streams["labour"]
        self.labour.quits(wk, f, rng)
        vacancies, excess = production.plan_labour(f, self.markets.price, self.sa,
                                                   self.cfg.labour.max_hiring_share,
                                                   self.cfg.scenario.scale, rng)
        self.month.laid_off_households = self.labour.lay_off(wk, f, excess, hh.n, rng)
        self.labour.match(wk, f, hh.home, vacancies, self.umk, rng)
        self.labour.pay(wk, f, hh, self.umk)

    def produce(self) -> None:
        """Informal producers serve their customers first; what they cannot serve goes to
        formal firms, whose unmet demand is bought outside."""
        d, f, sa, mk = self.demand, self.firms, self.sa, self.markets
        self.households.informal_income[:] = 0.0
        out = informal.produce(self.workers, self.households, d.informal, mk.price, sa,
                               mk.outside_price)
        self.informal_out = out
        unserved = production.produce(f, d.formal + out["unmet"], mk.price, sa,
                                      mk.outside_price)
        production.emissions(f, sa, mk.base_price)
        self.informal_emissions = informal.informal_emissions(
            self.workers, self.households, sa, out["real_output"], out["effort"], mk.base_price,
            self.cfg.informal.emission_factor)
        fl = self.flows
        fl.sales = float(f.sales[f.alive].sum())
        fl.purchases = float(f.purchases[f.alive].sum())
        fl.value_added = float(f.output[f.alive].sum())
        fl.imports_inputs = fl.purchases
        fl.imports_informal_inputs = float(out["purchases"].sum())
        fl.informal_earnings = float(out["value_added"].sum())
        self._unserved = unserved
        f.profit[:] = 0.0   # the regulator's programmes add subsidies and green costs

    def green_cost_paid(self, rows: np.ndarray, cost: np.ndarray, subsidy: np.ndarray) -> None:
        """Adopting firms pay for the technology (net of subsidy): installation bought
        locally (paid next month), equipment from outside."""
        f = self.firms
        f.profit[rows] += subsidy - cost
        local = self.cfg.economy.investment_local_share * float(cost.sum())
        self.pipeline += local
        self.flows.imports_investment += float(cost.sum()) - local

    def close_month(self, clock: Clock) -> None:
        """Accounts of firms (profit, owners' pay, investment, cash) and households
        (income, saving, next month's spending), then prices, market shares, innovation,
        pay levels and informal choices for the next month."""
        cfg, f, hh, mk = self.cfg, self.firms, self.households, self.markets
        fl = self.flows
        exports_possible = self.demand.exports
        # Demand Blitar's producers could not serve: outside buyers simply buy less (first);
        # local buyers, who have paid, buy outside instead (an import).
        unserved = self._unserved
        export_short = np.minimum(unserved, exports_possible)
        fl.exports = float((exports_possible - export_short).sum())
        fl.imports_unserved = float((unserved - export_short).sum())
        production.unit_costs(f, self.sa, mk.outside_price)
        dividends, investment, capital = production.close_accounts(f, cfg.economy,
                                                                   self.overhead())
        spent = float(investment.sum() + capital.sum())  # equipment, buildings, interest
        local_inv = cfg.economy.investment_local_share * spent
        self.pipeline += local_inv
        fl.investment = spent
        fl.imports_investment += spent - local_inv
        fl.wages = float(f.wage_bill[f.alive].sum())
        owner = self._owner_income(dividends)
        transfers = self.transfers()
        hh_money.collect_income(hh, transfers, owner)
        fl.transfers_households = transfers * hh.n
        fl.owner_income = float(owner.sum())
        fl.household_income = float(hh.income.sum())
        fl.household_saving = fl.household_income - float(hh.consumption.sum())
        hh_money.book_month(cfg, hh)
        hh_money.plan_spending(cfg, hh, self.consumer_price())
        mk.update_prices(f, cfg.economy.price_adjustment)
        markets.update_shares(f, cfg.economy.market_share_adjustment)
        production.innovate(f, self.streams["innovation"], cfg.economy,
                            self.best_practice(clock))
        self.labour.adjust_pay(f, self.pay_norm())
        took, quit_ = informal.choose(cfg, self.workers, hh, self.informal_out["per_effort"],
                                      self.umk, self.streams["informal"])
        self.informal_per_effort = self.informal_out["per_effort"]
        self.month.informal_took_up, self.month.informal_quit = took, quit_

    def demography(self, clock: Clock, new_firm_agents) -> np.ndarray:
        """Closures, entry and registration of household industries; returns the rows of
        closed firms (the caller removes their agents; ``new_firm_agents`` registers new
        rows)."""
        cfg, f = self.cfg, self.firms
        rng = self.streams["entry"]
        gone = firms_mod.exits(f, rng, cfg.economy)
        self.month.exits = float(f.count_weight[gone].sum())
        if gone.size:
            self._liquidate(gone)
            firms_mod.close(f, self.workers, gone)
        cond = self._entry_conditions(clock)
        real_firms = sector_sum(np.where(f.alive, f.count_weight, 0.0), f.sector)
        attempts = rng.poisson(cfg.economy.entry_attempts_per_year / 12.0 * real_firms
                               * self.free_entry)
        entries = 0.0
        for sector, n in zip(SECTOR_NAMES, attempts, strict=True):
            if n == 0:
                continue
            rows = firms_mod.enter_firms(cfg, self.entry_sites, rng, f, sector, int(n), cond,
                                         clock.month)
            rows = self._fund_entrants(rows, rng)
            if rows.size:
                self._give_market_share(rows)
                new_firm_agents(rows)
                entries += float(f.count_weight[rows].sum())
        formal = self._formalise(clock, cond, rng, cfg.informal.formalisation_rate, None)
        if formal.size:
            new_firm_agents(formal)
            entries += float(f.count_weight[formal].sum())
        self.month.entries = entries
        markets.normalise_shares(f)
        self.flows_closing()
        return gone

    def register_enterprises(self, clock: Clock, n: int, new_firm_agents) -> int:
        """Permit assistance (DPMPTSP): ``n`` household enterprises (agent units) get help
        to register; those that break even become formal firms. Returns how many did."""
        cond = self._entry_conditions(clock)
        rows = self._formalise(clock, cond, self.streams["entry"], None, n)
        if rows.size:
            new_firm_agents(rows)
            markets.normalise_shares(self.firms)
        return int(rows.size)

    def new_households(self, rows: np.ndarray) -> None:
        """Households formed this month: their informal activity; no savings or income
        yet (they spend from next month's income on)."""
        hh = self.households
        hh.informal_sector[rows] = informal.assign_sectors(
            self.streams["demography"], self.sa, self._cluster_of_cell(), self._cluster_share(),
            hh.home[rows])

    def open_big_plant(self, clock: Clock) -> np.ndarray:
        """The big plant: a contract producer for a national brand (its output is sold
        outside under contract, not taken from local demand or from other plants' export
        base), owned outside the city (its owner brings its start-up cash, an inflow), hiring
        through the labour market. Its local multiplier comes from what its workers spend.
        Returns its row(s)."""
        f = self.firms
        tob = firms_mod.SECTOR_INDEX["tobacco"]
        peers = f.alive & (f.sector == tob)
        pay = float(np.average(f.pay_level[peers], weights=np.maximum(f.workers[peers], 1))) \
            if peers.any() else self.sa.wage_share[tob] * self.cfg.sectors.tobacco.productivity
        growth = markets.outside_growth_factor(self.sa, clock.years)
        staffed = f.alive & (f.workers > 0)
        per_worker = float(f.skill_sum[staffed].sum() / max(f.workers[staffed].sum(), 1))
        rows = firms_mod.big_plant(self.cfg, self.city, self.streams["big_plant"], f,
                                   clock.month, max(pay, self.umk),
                                   float(self.best_practice(clock)[tob]), per_worker or 1.0,
                                   float(growth[tob]))
        self.flows.outside_investment += float(f.cash[rows].sum())
        return rows

    # --- pieces -----------------------------------------------------------------------
    def _entry_conditions(self, clock: Clock) -> firms_mod.EntryConditions:
        return firms_mod.entry_conditions(self.firms, self.markets.price,
                                          self.markets.outside_price, self.umk, self.mean_size,
                                          self.best_practice(clock), self.informal_per_effort,
                                          self.sa.intermediate)

    def _formalise(self, clock: Clock, cond: firms_mod.EntryConditions,
                   rng: np.random.Generator, rate: float | None, n: int | None) -> np.ndarray:
        """Household industries (manufacturing, with informal workers) that register:
        each with chance ``rate`` a month, or ``n`` of them chosen at random."""
        hh, wk = self.households, self.workers
        cand = firms_mod.enterprise_households(hh, wk, self.sa.manufacturing & self.free_entry)
        if rate is not None:
            cand = cand[rng.random(cand.size) < rate]
        elif n is not None:
            cand = rng.permutation(cand)[:n]
        rows = firms_mod.formalise(self.cfg, rng, self.firms, wk, hh, cand, cond, self.sa,
                                   clock.month)
        if rows.size:
            self._pay_equity(rows)
            self._give_market_share(rows)
            self.month.formalised += float(self.firms.count_weight[rows].sum())
        return rows

    def _fund_entrants(self, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A would-be founder (a random household of the city) needs savings for the
        premises and equipment (``startup_capital``) and the start-up cash; without them
        the firm is not founded (its row stays dead). Returns the rows founded.

        A household agent's wealth is one real household's, while an entrant agent's need
        (agent scale) is that of ``count_weight`` real firms divided by ``scale``: the
        founder is tested against one real firm's need (need x scale / count_weight), and
        its agent pays the agent-scale need, so founding does not get easier with scale."""
        f, hh = self.firms, self.households
        if rows.size == 0:
            return rows
        founder = rng.integers(0, hh.n, rows.size)
        capital = firms_mod.startup_capital(self.cfg, f, rows, self.markets.price,
                                            self.markets.outside_price)
        need = capital + f.cash[rows]
        need_per_firm = need * self.cfg.scenario.scale / f.count_weight[rows]
        ok = np.zeros(rows.size, dtype=bool)
        for k in range(rows.size):          # founders may be the same household
            h = founder[k]
            if hh.wealth[h] >= need_per_firm[k]:
                hh.wealth[h] -= need[k]
                ok[k] = True
        failed = rows[~ok]
        f.alive[failed] = False
        f.cash[failed] = 0.0
        rows = rows[ok]
        f.owner[rows] = founder[ok]
        self.flows.founders += float(need[ok].sum())
        spent = float(capital[ok].sum())
        local = self.cfg.economy.investment_local_share * spent
        self.pipeline += local
        self.flows.imports_investment += spent - local
        self.flows.investment += spent
        return rows

    def _pay_equity(self, rows: np.ndarray) -> None:
        """Owners of registering household industries put the start-up cash in."""
        np.subtract.at(self.households.wealth, self.firms.owner[rows], self.firms.cash[rows])
        self.flows.founders += float(self.firms.cash[rows].sum())

    def _give_market_share(self, rows: np.ndarray) -> None:
        """New firms get a market share matching their capacity (share of sector capacity
        times the sector's total share)."""
        f = self.firms
        sec = f.sector[rows]
        cap_sector, total_share = _live_capacity_and_share(
            f.alive, f.sector, f.productivity, self.sa.intermediate, f.workers, f.market_share)
        per_worker = f.productivity[rows] / (1.0 - self.sa.intermediate[sec])
        cap = per_worker * np.maximum(f.target[rows], 1.0)
        f.market_share[rows] = np.where(cap_sector[sec] > 0, cap / np.maximum(
            cap_sector[sec], 1e-300) * total_share[sec], 1.0)

    def _liquidate(self, gone: np.ndarray) -> None:
        """A closed firm's cash goes to its owner (outside owners take it away); its debt
        is written off by its (outside) lenders."""
        f, hh = self.firms, self.households
        cash = f.cash[gone]
        owner = f.owner[gone]
        positive = cash > 0
        local = positive & (owner >= 0)
        np.add.at(hh.wealth, owner[local], cash[local])
        self.flows.liquidations += float(cash[local].sum())
        self.flows.outside_profits += float(cash[positive & (owner < 0)].sum())
        self.flows.debt_written_off += float(-cash[~positive].sum())
        f.cash[gone] = 0.0

    def flows_closing(self) -> None:
        self.check.close(self.money_stock(), self.flows)

    def money_stock(self) -> float:
        """Money held in the city (agent scale): households, firms, the city's budgets and
        the pipeline of local purchases."""
        f = self.firms
        return float(self.households.wealth.sum() + f.cash[f.alive].sum() + self.pipeline
                     + self.government_pending + self.public_money())

    def public_money(self) -> float:
        """The regulator's money (set by the model: programme account and pools)."""
        return getattr(self, "_public_money", lambda: 0.0)()

    def attach_public_money(self, fn) -> None:
        self._public_money = fn


@njit(cache=True, error_model="numpy")  # x / 0 gives inf, as numpy
def _live_capacity_and_share(alive, sector, productivity, intermediate, workers, market_share):
    """By sector, over live firms, in one pass (summed in row order, as np.bincount does,
    dead rows adding 0 as the np.where they replaced): capacity per month at the current
    workforce (real gross output per worker x workers) and market share."""
    cap, share = np.zeros(N_SECTORS), np.zeros(N_SECTORS)
    for f in range(alive.shape[0]):
        s = sector[f]
        per_worker = productivity[f] / (1.0 - intermediate[s])
        cap[s] += per_worker * max(workers[f], 0) if alive[f] else 0.0
        share[s] += market_share[f] if alive[f] else 0.0
    return cap, share


def employment_counts(workers: Table) -> tuple[int, int, int]:
    c = np.bincount(workers.status, minlength=3)
    return int(c[0]), int(c[1]), int(c[FORMAL])
