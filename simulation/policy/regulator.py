"""The regulator: Kota Blitar's government as one Mesa agent, its levers in force and its
programme budget.

Levers start from ``config.policy`` (before ``start_year``, in the burn-in, today's
policies: the schema defaults) and change on the scenario's schedule and, with the
stakeholder dialogue on, through the forum (:mod:`simulation.policy.forum`).

Budget (Rp million, nominal, agent scale): each January the programme account receives
the year's appropriation (``budget.programme_budget``, growing with prices); what is left
in December returns to the city's general budget, which spends it on local services.
Emission charges and fines go where ``policy.charge_revenue_use`` says: the general budget,
a pool for green-technology subsidies, or a pool for training seats (pools carry over).
Programmes are paid from their pool first, then the programme account, and are rationed
to what is there: the city never spends money it does not have. Programme spending buys
local services (trainers, coaches, inspectors) and is booked in the city's accounts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import mesa

from simulation.config import PolicySection

if TYPE_CHECKING:
    from simulation.model import BlitarModel

PROGRAMMES = ("workshops", "training", "inspections", "subsidies", "ipal", "registration")


class Regulator(mesa.Agent):
    """Disperindag, DLH, DPMPTSP and Dinkop UM & Naker acting as one city government."""

    def __init__(self, model: BlitarModel, levers: PolicySection) -> None:
        super().__init__(model)
        self.budget_cfg = model.cfg.budget
        self.levers: PolicySection = levers
        self.account = 0.0                 # programme account (this year's appropriation)
        self.pools = {"green_subsidy": 0.0, "training": 0.0}
        self.revenue = 0.0                 # this month: appropriation, charges and fines
        self.spending = 0.0                # this month: all programmes
        self.spent: dict[str, float] = defaultdict(float)   # this month, by programme
        self.spent_this_year = 0.0
        self.appropriated_this_year = 0.0
        self.ipal_built = False
        self.price_level = 1.0             # prices relative to the start (costs, budget)
        self.green_cost_index = 1.0        # green technology's cost relative to the start
        self.forum_log: list[dict[str, float]] = []

    def set_levers(self, changes: dict[str, Any]) -> None:
        """Put lever changes in force (validated against the lever ranges)."""
        self.levers = PolicySection.model_validate({**self.levers.model_dump(), **changes})

    @property
    def balance(self) -> float:
        """Money the regulator holds: programme account and earmarked pools."""
        return self.account + sum(self.pools.values())

    # --- budget -------------------------------------------------------------------------
    def start_month(self, january: bool, price_level: float) -> None:
        self.price_level = price_level
        self.revenue = self.spending = 0.0
        self.spent = defaultdict(float)
        if january:
            amount = self.budget_cfg.programme_budget * price_level \
                / self.model.cfg.scenario.scale
            self.account += amount
            self.revenue += amount
            self.model.economy.flows.appropriation += amount
            self.spent_this_year = 0.0
            self.appropriated_this_year = amount

    def end_month(self, december: bool) -> None:
        """December: the unspent programme account returns to the general budget."""
        if december and self.account > 0:
            self.model.economy.government_pending += self.account
            self.account = 0.0

    def collect(self, amount: float) -> None:
        """Charges and fines (agent scale), routed by ``charge_revenue_use``."""
        if amount <= 0:
            return
        self.revenue += amount
        self.model.economy.flows.charges_and_fines += amount
        use = self.levers.charge_revenue_use
        if use == "general":
            self.model.economy.government_pending += amount
        else:
            self.pools[use] += amount

    def available(self, programme: str) -> float:
        pool = {"subsidies": "green_subsidy", "training": "training"}.get(programme)
        return max(self.account, 0.0) + (self.pools[pool] if pool else 0.0)

    def affordable(self, programme: str, unit_cost: float, wanted: float) -> float:
        """How many of ``wanted`` units at ``unit_cost`` the programme's money pays for."""
        if unit_cost <= 0:
            return wanted
        return float(min(wanted, self.available(programme) // unit_cost))

    def spend(self, programme: str, amount: float, local: bool = True) -> None:
        """Pay for a programme: its pool first, then the programme account. Local spending
        buys services in Blitar next month (the accounts' pipeline)."""
        if amount <= 0:
            return
        pool = {"subsidies": "green_subsidy", "training": "training"}.get(programme)
        take = min(self.pools[pool], amount) if pool else 0.0
        if pool:
            self.pools[pool] -= take
        self.account -= amount - take
        self.spending += amount
        self.spent[programme] += amount
        self.spent_this_year += amount
        self.model.economy.flows.programme_spending += amount
        if local:
            self.model.economy.pipeline += amount
