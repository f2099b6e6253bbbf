"""The formal labour market: separations, layoffs, applications, ranking, offers, pay.

Each month (all draws from the ``labour`` stream):

1. Quits: ``separation_rate`` of formal workers leave their jobs and search.
2. Firms post vacancies from their plans; firms with too many workers lay off.
3. Job search with frictions: the unemployed send ``applications`` a month on average,
   informal workers ``informal_applications``, formal employees ``employed_applications``
   (a fractional rate is rounded up or down at random), to firms drawn in
   proportion to their vacancies within the commuting range. Each firm ranks its
   applicants by skill (training raises it) minus a distance penalty and offers its
   vacancies to the best; each applicant takes the best-paid offer (if it pays more than
   their current formal wage). Offers not taken leave vacancies open, so a vacancy can stay
   unfilled while people search (a Beveridge curve can emerge).
4. Pay: a firm that could not fill its vacancies raises its pay level (``wage_step_up``
   times the share left unfilled); one that filled them all, or has more workers than it
   needs, lets it slip (``wage_step_down``); every month the level also drifts towards the
   firm's norm, its sector's wage share of the value a worker adds at current prices (so
   prices and productivity reach pay that way, not by a January rule); nobody earns less
   than the UMK.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.config import Config
from simulation.economy import labour
from simulation.model.state import FORMAL, INFORMAL, UNEMPLOYED, Table


@dataclass
class MonthlyLabour:
    """What happened in the labour market this month (agent units)."""

    vacancies: int = 0
    hires: int = 0
    unfilled: int = 0
    layoffs: int = 0
    quits: int = 0


class LabourMarket:
    def __init__(self, cfg: Config, cols: int, cell_size_m: float) -> None:
        self.cfg = cfg
        self.cols = cols
        self.cell_km = cell_size_m / 1000.0
        cells = cfg.labour.commuting_range_km / self.cell_km
        self.range2 = cells * cells
        # km of every cell offset an application can span (applications stay in range)
        self.km_table = labour.distance_table(int(np.ceil(cells)), self.cell_km)
        self.month = MonthlyLabour()

    def quits(self, workers: Table, firms: Table, rng: np.random.Generator) -> None:
        """Voluntary separations (retirement, migration, moves), before firms plan, so the
        vacancies they leave are advertised the same month."""
        quits = rng.integers(0, workers.n, rng.binomial(workers.n,
                                                        self.cfg.labour.separation_rate))
        self.month = MonthlyLabour(quits=int(labour.separate(workers.employer, workers.status,
                                                             quits, firms.workers)))

    def lay_off(self, workers: Table, firms: Table, excess: np.ndarray, n_households: int,
                rng: np.random.Generator) -> np.ndarray:
        """Dismiss firms' excess workers; returns a bool mask of households hit."""
        hit = np.zeros(n_households, dtype=bool)
        self.month.layoffs = int(labour.lay_off(
            workers.employer, workers.status, excess, int(rng.integers(0, max(workers.n, 1))),
            firms.workers, hit, workers.household))
        return hit

    def match(self, workers: Table, firms: Table, home: np.ndarray, vacancies: np.ndarray,
              umk: float, rng: np.random.Generator) -> None:
        """One round of applications, ranking, offers and acceptances (see module doc)."""
        lab = self.cfg.labour
        firms.vacancies[:] = vacancies
        self.month.vacancies = int(vacancies.sum())
        rates = np.array([lab.applications, lab.informal_applications,
                          lab.employed_applications])
        n_apps = labour.application_counts(workers.status, rates, rng.random(workers.n))
        seekers = rng.permutation(np.flatnonzero(n_apps > 0))
        n_apps = n_apps[seekers]
        max_apps = int(n_apps.max()) if seekers.size else 0
        uniforms = rng.random((seekers.size, max_apps, 3))
        noise = rng.random(int(n_apps.sum()) if seekers.size else 0)
        firms.unfilled[:] = vacancies
        if seekers.size == 0 or self.month.vacancies == 0:
            self.month.unfilled = self.month.vacancies
            return
        home_of_worker = home[workers.household]
        out_s = np.empty(int(n_apps.sum()), dtype=np.int64)
        out_f = np.empty_like(out_s)
        k = labour.draw_applications(seekers, n_apps, uniforms,
                                     np.cumsum(vacancies).astype(np.float64), home_of_worker,
                                     firms.cell, workers.employer, self.cols, self.range2,
                                     out_s, out_f)
        seeker, firm = out_s[:k], out_f[:k]
        score, offer, current = labour.application_terms(
            seeker, firm, home_of_worker, firms.cell, self.cols, self.cell_km,
            lab.distance_weight, workers.skill, noise[:k], firms.pay_level, umk,
            workers.status, workers.wage, self.km_table)
        accepted = labour.offer_and_accept(seeker, firm, score, vacancies, offer, current,
                                           firms.n, workers.n)
        take = np.flatnonzero(accepted)
        labour.hire(seeker[take], firm[take], workers.employer, workers.status,
                    offer[take], firms.workers, workers.earnings)
        hired = np.bincount(firm[take], minlength=firms.n)
        firms.unfilled[:] = vacancies - hired
        self.month.hires = int(take.size)
        self.month.unfilled = int(firms.unfilled.sum())

    def adjust_pay(self, firms: Table, norm: np.ndarray) -> None:
        """Pay levels: up in proportion to the share of the firm's vacancies that went
        unfilled (``wage_step_up`` when none was filled), slipping (``wage_step_down``)
        when it filled them all or has more workers than it needs, and drifting back towards
        the firm's norm (``norm``: pay per skill unit)."""
        lab = self.cfg.labour
        live = firms.alive
        unfilled_share = np.where(firms.vacancies > 0, firms.unfilled
                                  / np.maximum(firms.vacancies, 1), 0.0)
        raise_ = live & (firms.unfilled > 0)
        slack = live & ~raise_ & ((firms.vacancies > 0) | (firms.target < firms.workers))
        level = firms.pay_level
        level[live] *= (norm[live] / np.maximum(level[live], 1e-12)) ** lab.wage_norm_adjustment
        level[raise_] *= 1.0 + lab.wage_step_up * unfilled_share[raise_]
        level[slack] *= 1.0 - lab.wage_step_down

    def pay(self, workers: Table, firms: Table, households: Table, umk: float) -> None:
        """Wages and effective labour of every worker; firms' wage bills; households'
        wage income."""
        firms.eff_labour[:] = 0.0
        firms.skill_sum[:] = 0.0
        firms.wage_bill[:] = 0.0
        households.wage_income[:] = 0.0
        labour.pay_workers(workers.employer, workers.household, workers.skill,
                           households.health, firms.pay_level, umk,
                           self.cfg.health.productivity_weight, self.cfg.labour.health_days_lost,
                           workers.wage, workers.effective, firms.eff_labour,
                           firms.skill_sum, firms.wage_bill, households.wage_income)


def counts(workers: Table) -> tuple[int, int, int]:
    """(unemployed, informal, formal) workers, agent units."""
    c = np.bincount(workers.status, minlength=3)
    return int(c[UNEMPLOYED]), int(c[INFORMAL]), int(c[FORMAL])
