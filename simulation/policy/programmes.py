"""The city's programmes, each a rule acting on the state it changes.

* Workshops (Disperindag, January): non-green IKM (not large plants), the Pakunden
  tofu/tempe cluster first, then by emissions; each place closes
  ``workshop_awareness_gain`` of the gap to full awareness and capability.
* Training (Dinkop UM & Naker, January): the unemployed first (random order), then
  informal workers, then the lowest-skilled employees; a course raises skill by
  ``training_skill_gain`` (firms rank applicants by skill, so trainees are hired first).
* Registration help (DPMPTSP, January): household industries helped to register; those
  that break even become formal firms (:meth:`CityEconomy.register_enterprises`).
* Inspections, fines and the emission charge (DLH, monthly): see :func:`enforce`.
* Green-technology subsidy (Disperindag): a share of an adopter's cost while money lasts.
* The Pakunden IPAL (DLH): built in its year (capital from the general budget), then run
  from the programme account; idle in a month the account cannot pay.

Counts are at agent scale; every programme is paid through :class:`Regulator.spend`.
"""

from __future__ import annotations

import numpy as np

from simulation.config import Config
from simulation.economy import green
from simulation.economy.sectors import TOFU
from simulation.model.state import FORMAL, INFORMAL, UNEMPLOYED, Table
from simulation.policy.regulator import Regulator


def random_round(rng: np.random.Generator, x: float) -> int:
    """Round ``x`` up with probability equal to its fraction (unbiased at any scale)."""
    base = int(np.floor(x))
    return base + int(rng.random() < x - base)


def run_workshops(reg: Regulator, firms: Table, is_mfg: np.ndarray, scale: int,
                  rng: np.random.Generator) -> int:
    """Yearly IKM workshops; returns places used (city scale)."""
    cost = reg.budget_cfg.workshop_cost * reg.price_level
    places = random_round(rng, reg.levers.workshop_slots_per_year / scale)
    places = int(reg.affordable("workshops", cost, places))
    eligible = np.flatnonzero(firms.alive & is_mfg & ~firms.green & ~firms.anchor)
    if places == 0 or eligible.size == 0:
        return 0
    priority = (firms.sector[eligible] == TOFU) * 1e12 + (
        firms.emission_air[eligible] + firms.emission_water[eligible])
    chosen = eligible[np.argsort(-priority, kind="stable")[:places]]
    gain = reg.levers.workshop_awareness_gain
    firms.awareness[chosen] += gain * (1.0 - firms.awareness[chosen])
    firms.capability[chosen] += gain * (1.0 - firms.capability[chosen])
    firms.workshops[chosen] += 1
    reg.spend("workshops", chosen.size * cost)
    return chosen.size * scale


def run_training(reg: Regulator, workers: Table, scale: int, rng: np.random.Generator) -> int:
    """Yearly skills training; returns seats used (city scale)."""
    cost = reg.budget_cfg.training_cost * reg.price_level
    seats = random_round(rng, reg.levers.skills_training_seats_per_year / scale)
    seats = int(reg.affordable("training", cost, seats))
    if seats == 0:
        return 0
    queue = [rng.permutation(np.flatnonzero(workers.status == status))
             for status in (UNEMPLOYED, INFORMAL)]
    employed = np.flatnonzero(workers.status == FORMAL)
    queue.append(employed[np.argsort(workers.skill[employed], kind="stable")])
    chosen = np.concatenate(queue)[:seats]
    workers.skill[chosen] *= 1.0 + reg.levers.training_skill_gain
    workers.trained[chosen] += 1
    reg.spend("training", chosen.size * cost)
    return chosen.size * scale


def targeting_weights(intensity_factor: np.ndarray, power: float) -> np.ndarray:
    """Inspection weights under the research partnership."""
    return intensity_factor ** power


def detection_probability(reg: Regulator, firms: Table, is_mfg: np.ndarray,
                          intensity_factor: np.ndarray) -> np.ndarray:
    """Each firm's chance of being inspected this month (what firms expect): the
    inspection rate spread evenly, or by the targeting weights under the research
    partnership (so high emitters expect to be caught more often)."""
    live = firms.alive & is_mfg
    rate = min(reg.levers.inspection_rate / 12.0, 1.0)
    if not reg.levers.research_partnership or not live.any():
        return np.where(live, rate, 0.0)
    w = np.where(live, targeting_weights(intensity_factor,
                                         reg.budget_cfg.inspection_targeting_power), 0.0)
    return np.minimum(1.0, rate * live.sum() * w / w.sum())


def inspect(reg: Regulator, firms: Table, is_mfg: np.ndarray, intensity_factor: np.ndarray,
            scale: int, rng: np.random.Generator) -> np.ndarray:
    """This month's DLH inspections. Without the research partnership firms are picked at
    random; with it, by the targeting weights. Returns the rows found in violation."""
    live = np.flatnonzero(firms.alive & is_mfg)
    n = rng.binomial(live.size, min(reg.levers.inspection_rate / 12.0, 1.0))
    cost = reg.budget_cfg.inspection_cost * reg.price_level / scale  # per real firm
    unit = cost * firms.count_weight[live].mean() if live.size else 0.0
    n = int(reg.affordable("inspections", unit, n))
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if reg.levers.research_partnership:
        w = targeting_weights(intensity_factor[live], reg.budget_cfg.inspection_targeting_power)
        picked = rng.choice(live, size=n, replace=False, p=w / w.sum())
    else:
        picked = rng.choice(live, size=n, replace=False)
    costs = cost * firms.count_weight[picked]
    picked = picked[np.cumsum(costs) <= reg.available("inspections")]  # what the money pays
    reg.spend("inspections", float(cost * firms.count_weight[picked].sum()))
    violators = picked[intensity_factor[picked] > reg.levers.emission_standard]
    firms.violations[violators] += 1
    firms.awareness[violators] = 1.0  # an order to comply makes the option known
    return violators


def enforce(reg: Regulator, firms: Table, is_mfg: np.ndarray, intensity_factor: np.ndarray,
            scale: int, rng: np.random.Generator) -> float:
    """Emission charge on every live firm's emissions (Rp per kg) and fines on the
    violators DLH finds; books them as firms' ``env_cost`` and the regulator's revenue.
    Returns the revenue (agent scale)."""
    charge = reg.levers.emission_charge
    firms.env_cost[:] = charge * (firms.emission_air + firms.emission_water) / 1e6
    violators = inspect(reg, firms, is_mfg, intensity_factor, scale, rng)
    firms.env_cost[violators] += reg.levers.fine * reg.price_level \
        * firms.count_weight[violators] / scale
    revenue = float(firms.env_cost[firms.alive].sum())
    reg.collect(revenue)
    return revenue


def subsidy_for(reg: Regulator, gross_costs: np.ndarray) -> np.ndarray:
    """Subsidy per adopting firm (agent scale), first come first served while the money
    lasts."""
    grants = reg.levers.green_subsidy_share * gross_costs
    ok = np.cumsum(grants) <= reg.available("subsidies")
    reg.spend("subsidies", float(grants[ok].sum()), local=False)
    return np.where(ok, grants, 0.0)


def ipal_active(reg: Regulator, cfg: Config, year: int) -> bool:
    """The Pakunden IPAL works from January of its year; its capital cost is a transfer
    into the general budget (50/50 city/province), its operation a programme cost."""
    y = reg.levers.ipal_pakunden_year
    economy = reg.model.economy
    if not reg.ipal_built and y and year >= y:
        capex = cfg.budget.ipal_capex / cfg.scenario.scale * reg.price_level
        economy.flows.transfers_government += capex
        economy.government_pending += capex
        reg.ipal_built = True
    if not reg.ipal_built:
        return False
    opex = cfg.budget.ipal_opex / cfg.scenario.scale * reg.price_level
    if reg.affordable("ipal", opex, 1) < 1:
        return False  # no money for operation this month: the plant stands idle
    reg.spend("ipal", opex)
    return True


def registration_places(reg: Regulator, scale: int, rng: np.random.Generator) -> int:
    """How many household enterprises (agent units) the registration help reaches this
    year, rationed by money; the cost is booked for those who register."""
    wanted = random_round(rng, reg.levers.permit_assistance_per_year / scale)
    return int(reg.affordable("registration", reg.budget_cfg.registration_cost
                              * reg.price_level, wanted))


def green_adoption(reg: Regulator, economy, is_mfg: np.ndarray, intensity: np.ndarray,
                   rows: int, cols: int, rng: np.random.Generator) -> int:
    """Firms weigh green technology (:mod:`simulation.economy.green`) against the charge,
    the fine risk, the subsidy while its money lasts, and its cost (falling with learning
    and, with the international partnership, technology transfer). Adopters pay their
    share; returns the number of adopting firm agents."""
    cfg, f = economy.cfg, economy.firms
    gt = cfg.green_tech
    decline = gt.cost_decline_per_year + (gt.international_extra_decline
                                          if reg.levers.international_partnership else 0.0)
    reg.green_cost_index *= (1.0 - decline) ** (1.0 / 12.0)
    p_inspect = detection_probability(reg, f, is_mfg, intensity)
    violating = intensity > reg.levers.emission_standard
    fine_risk = np.where(violating, p_inspect * reg.levers.fine * reg.price_level
                         * f.count_weight / cfg.scenario.scale, 0.0)
    ctx = green.AdoptionContext(
        charge_rp_per_kg=reg.levers.emission_charge,
        # firms count on the subsidy only while the programme has money
        subsidy_share=reg.levers.green_subsidy_share if reg.available("subsidies") > 0
        else 0.0,
        cost_index=reg.green_cost_index, price=reg.price_level, fine_risk=fine_risk)
    adopting, cost = green.adopt(f, is_mfg, rows, cols, gt, economy.sa.green_cost,
                                 economy.sa.green_reduction, ctx, rng)
    if adopting.size:
        economy.green_cost_paid(adopting, cost, subsidy_for(reg, cost))
    return int(adopting.size)
