"""The regulator: Kota Blitar's government as one Mesa agent, its levers and its budget.

Levers start from ``config.policy``; with the stakeholder dialogue on, the forum adjusts
some of them every six months within stated bounds (:data:`DIALOGUE_BOUNDS`). Budget
rule: every programme is paid from the balance after this month's revenue (charges,
fines, central transfer); a programme that the balance cannot cover is cut to what it
can pay (fewer workshop places, training seats or inspections, no subsidy), so the city
never spends money it does not have. Amounts are Rp million; counts are at city scale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from simulation.config import PolicySection

if TYPE_CHECKING:
    from simulation.model import BlitarModel

# Dialogue forum (Disperindag): triggers and the bounds within which it may move levers.
DIALOGUE_COMPLAINT_TRIGGER = 5.0     # complaints per 1,000 households per month
DIALOGUE_UNEMPLOYMENT_TRIGGER = 0.06  # open unemployment rate
DIALOGUE_LOSS_TRIGGER = 0.25          # share of manufacturers making a loss (firms' concern)
DIALOGUE_BOUNDS = {
    "inspection_rate": (0.0, 0.5, 0.05),             # (min, max, step per forum)
    "emission_charge": (0.0, 20_000.0, 1000.0),
    "workshop_slots_per_year": (0, 500, 25),
    "skills_training_seats_per_year": (0, 5000, 200),
}


class Regulator(mesa.Agent):
    """Disperindag, DLH, DPMPTSP and Dinkop UM & Naker acting as one city government."""

    def __init__(self, model: BlitarModel) -> None:
        super().__init__(model)
        self.budget_cfg = model.cfg.budget
        self.levers: PolicySection = model.cfg.policy  # the levers in force (replaced on change)
        self.balance = self.budget_cfg.initial_balance
        self.revenue = 0.0
        self.spending = 0.0
        self.ipal_built = False
        self.forum_log: list[dict[str, float]] = []

    def set_levers(self, changes: dict[str, Any]) -> None:
        """Put lever changes in force (validated against the lever ranges)."""
        self.levers = PolicySection.model_validate({**self.levers.model_dump(), **changes})

    # --- budget -------------------------------------------------------------------------
    def start_month(self) -> None:
        self.revenue = self.spending = 0.0
        self.collect(self.budget_cfg.central_transfer)

    def collect(self, amount: float) -> None:
        self.revenue += amount
        self.balance += amount

    def affordable(self, unit_cost: float, wanted: float) -> float:
        """How many of ``wanted`` units at ``unit_cost`` the balance can pay for."""
        if unit_cost <= 0:
            return wanted
        return float(min(wanted, max(self.balance, 0.0) // unit_cost))

    def spend(self, amount: float) -> None:
        self.balance -= amount
        self.spending += amount

    # --- programmes ---------------------------------------------------------------------
    def ipal_active(self, year: int) -> bool:
        """The Pakunden IPAL works from January of its year, once its capex is paid."""
        y = self.levers.ipal_pakunden_year
        if not self.ipal_built and y and year >= y and self.affordable(
                self.budget_cfg.ipal_capex, 1) >= 1:
            self.spend(self.budget_cfg.ipal_capex)
            self.ipal_built = True
        if not self.ipal_built:
            return False
        if self.affordable(self.budget_cfg.ipal_opex, 1) < 1:
            return False  # no money for operation this month: the plant stands idle
        self.spend(self.budget_cfg.ipal_opex)
        return True

    def run_workshops(self, rng: np.random.Generator, is_mfg: np.ndarray,
                      tofu_sector: int) -> int:
        """Yearly IKM workshops. Rule: non-green IKM (not large plants) attend, the Pakunden
        tofu/tempe cluster first, then the others by emissions, highest first; each place
        closes ``workshop_awareness_gain`` of the gap to full awareness and capability."""
        m = self.model
        firms, scale = m.firms, m.cfg.scenario.scale
        places = _random_round(rng, self.levers.workshop_slots_per_year / scale)
        places = int(self.affordable(self.budget_cfg.workshop_cost * scale, places))
        eligible = np.flatnonzero(firms.alive & is_mfg & ~firms.green & ~firms.anchor)
        if places == 0 or eligible.size == 0:
            return 0
        priority = (firms.sector[eligible] == tofu_sector) * 1e12 + (
            firms.emission_air[eligible] + firms.emission_water[eligible])
        chosen = eligible[np.argsort(-priority, kind="stable")[:places]]
        gain = self.levers.workshop_awareness_gain
        firms.awareness[chosen] += gain * (1.0 - firms.awareness[chosen])
        firms.capability[chosen] += gain * (1.0 - firms.capability[chosen])
        firms.workshops[chosen] += 1
        self.spend(chosen.size * self.budget_cfg.workshop_cost * scale)
        return chosen.size * scale

    def run_training(self, rng: np.random.Generator) -> int:
        """Yearly skills training. Rule: unemployed workers first (random order), then the
        lowest-skilled employed; a course raises skill by ``training_skill_gain``."""
        m = self.model
        workers, scale = m.workers, m.cfg.scenario.scale
        seats = _random_round(rng, self.levers.skills_training_seats_per_year / scale)
        seats = int(self.affordable(self.budget_cfg.training_cost * scale, seats))
        if seats == 0:
            return 0
        unemployed = rng.permutation(np.flatnonzero(workers.employer < 0))
        chosen = unemployed[:seats]
        if chosen.size < seats:
            employed = np.flatnonzero(workers.employer >= 0)
            order = employed[np.argsort(workers.skill[employed], kind="stable")]
            chosen = np.concatenate([chosen, order[: seats - chosen.size]])
        workers.skill[chosen] *= 1.0 + self.levers.training_skill_gain
        workers.trained[chosen] += 1
        self.spend(chosen.size * self.budget_cfg.training_cost * scale)
        return chosen.size * scale

    @staticmethod
    def targeting_weights(intensity_factor: np.ndarray) -> np.ndarray:
        """Inspection weights under the research partnership: intensity to the 4th power."""
        return intensity_factor ** 4

    def detection_probability(self, is_mfg: np.ndarray,
                              intensity_factor: np.ndarray) -> np.ndarray:
        """Each firm's chance of being inspected this month (what firms expect): the
        inspection rate spread evenly, or by the targeting weights under the research
        partnership (so high emitters expect to be caught more often)."""
        live = self.model.firms.alive & is_mfg
        rate = min(self.levers.inspection_rate / 12.0, 1.0)
        if not self.levers.research_partnership or not live.any():
            return np.where(live, rate, 0.0)
        w = np.where(live, self.targeting_weights(intensity_factor), 0.0)
        return np.minimum(1.0, rate * live.sum() * w / w.sum())

    def inspect(self, rng: np.random.Generator, is_mfg: np.ndarray,
                intensity_factor: np.ndarray) -> np.ndarray:
        """This month's DLH inspections. Without the research partnership firms are picked
        at random; with it, in proportion to their estimated intensity to the 4th power
        (better emission estimates target the worst). Returns the rows found in violation;
        the caller books their fines."""
        firms = self.model.firms
        live = np.flatnonzero(firms.alive & is_mfg)
        n = rng.binomial(live.size, min(self.levers.inspection_rate / 12.0, 1.0))
        unit = self.budget_cfg.inspection_cost * firms.count_weight[live].mean() if live.size \
            else 0.0
        n = int(self.affordable(unit, n))
        if n == 0:
            return np.empty(0, dtype=np.int64)
        if self.levers.research_partnership:
            w = self.targeting_weights(intensity_factor[live])
            picked = rng.choice(live, size=n, replace=False, p=w / w.sum())
        else:
            picked = rng.choice(live, size=n, replace=False)
        cost = self.budget_cfg.inspection_cost * firms.count_weight[picked]
        picked = picked[np.cumsum(cost) <= max(self.balance, 0.0)]  # what the budget pays
        self.spend(float(self.budget_cfg.inspection_cost * firms.count_weight[picked].sum()))
        violators = picked[intensity_factor[picked] > self.levers.emission_standard]
        firms.violations[violators] += 1
        firms.awareness[violators] = 1.0  # an order to comply makes the option known
        return violators

    def subsidy_for(self, gross_costs: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Subsidy granted per adopting firm, first come first served while money lasts."""
        share = self.levers.green_subsidy_share
        grants = share * gross_costs
        paid = np.cumsum(grants * weights)
        ok = paid <= max(self.balance, 0.0)
        self.spend(float((grants * weights)[ok].sum()))
        return np.where(ok, grants, 0.0)

    def dialogue(self, complaints_per_1000: float, unemployment: float,
                 loss_share: float) -> None:
        """The stakeholder forum (every six months when on): reads complaints, unemployment
        and firms' losses and moves levers one step within DIALOGUE_BOUNDS."""
        if self.levers.dialogue != "on":
            return
        moves: dict[str, int] = {}
        if complaints_per_1000 > DIALOGUE_COMPLAINT_TRIGGER:
            moves.update(inspection_rate=+1, workshop_slots_per_year=+1)
            if loss_share <= DIALOGUE_LOSS_TRIGGER:
                moves["emission_charge"] = +1
        if loss_share > DIALOGUE_LOSS_TRIGGER:
            moves["emission_charge"] = -1
        if unemployment > DIALOGUE_UNEMPLOYMENT_TRIGGER:
            moves["skills_training_seats_per_year"] = +1
        changes = {}
        for name, sign in moves.items():
            lo, hi, step = DIALOGUE_BOUNDS[name]
            current = getattr(self.levers, name)
            value = current + sign * step
            # move towards the bound, never past it, and never against the move's direction
            # (a lever set above the forum's bound by the council stays where it is)
            value = max(current, min(value, hi)) if sign > 0 else min(current, max(value, lo))
            changes[name] = type(step)(value)
        self.set_levers(changes)
        self.forum_log.append({"month": self.model.month, "complaints_per_1000":
                               round(complaints_per_1000, 3), "unemployment":
                               round(unemployment, 4), "loss_share": round(loss_share, 3),
                               **{k: getattr(self.levers, k) for k in DIALOGUE_BOUNDS}})


def _random_round(rng: np.random.Generator, x: float) -> int:
    """Round ``x`` up with probability equal to its fraction (unbiased at any scale)."""
    base = int(np.floor(x))
    return base + int(rng.random() < x - base)
