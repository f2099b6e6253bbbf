"""The city's money accounts: monthly flows between sectors and the rest of the world.

Stock-flow consistency at city level. The money of the city is held by five holders:
households (``wealth``), formal firms (``cash``), the regulator (programme account and
earmarked pools), the city's general budget (money waiting to be spent) and a pipeline of
local purchases decided this month and paid next month (investment, programmes). Money
enters or leaves the city only through the rest of the world: exports, transfers
(to households, to the general budget, the programme appropriation), outside owners'
start-up cash for their plants, imports (inputs,
goods and services bought outside, local demand nobody in Blitar could serve), profits of
outside-owned plants, and debts of closed firms written off by outside lenders. Every
month

    change in the money of all holders = inflows from outside - outflows to outside

holds to round-off (``residual``), and so do the households' (income = spending + saving)
and firms' (sales = value added + purchases) identities. ``tests/test_accounts.py``
checks all three every month of a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

INFLOWS = ("exports", "transfers_households", "transfers_government", "appropriation",
           "debt_written_off", "outside_investment")
OUTFLOWS = ("imports_households", "imports_unserved", "imports_inputs",
            "imports_informal_inputs", "imports_investment", "imports_government",
            "outside_profits")


@dataclass
class Flows:
    """One month's flows, nominal Rp million at agent scale (x scale for the city)."""

    # with the rest of the world
    exports: float = 0.0
    transfers_households: float = 0.0
    transfers_government: float = 0.0
    appropriation: float = 0.0
    debt_written_off: float = 0.0
    outside_investment: float = 0.0   # start-up cash of outside-owned plants
    imports_households: float = 0.0
    imports_unserved: float = 0.0
    imports_inputs: float = 0.0
    imports_informal_inputs: float = 0.0
    imports_investment: float = 0.0
    imports_government: float = 0.0
    outside_profits: float = 0.0
    # inside the city (reported, not part of the identity)
    household_income: float = 0.0
    household_spending: float = 0.0
    household_saving: float = 0.0
    wages: float = 0.0
    informal_earnings: float = 0.0
    owner_income: float = 0.0
    sales: float = 0.0
    value_added: float = 0.0
    purchases: float = 0.0
    investment: float = 0.0
    government_spending: float = 0.0
    charges_and_fines: float = 0.0
    programme_spending: float = 0.0
    founders: float = 0.0        # households' savings put into new firms
    liquidations: float = 0.0    # closed firms' cash returned to their owners
    extra: dict[str, float] = field(default_factory=dict)

    def inflow(self) -> float:
        return sum(getattr(self, name) for name in INFLOWS)

    def outflow(self) -> float:
        return sum(getattr(self, name) for name in OUTFLOWS)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}


@dataclass
class MoneyCheck:
    """Stocks at the start of a month and the identity at its end."""

    opening: float = 0.0
    residual: float = 0.0   # (closing - opening) - (inflow - outflow)
    scale: float = 1.0      # size of the flows, for a relative tolerance

    def close(self, closing: float, flows: Flows) -> float:
        net = flows.inflow() - flows.outflow()
        self.residual = (closing - self.opening) - net
        self.scale = max(abs(closing), flows.inflow(), flows.outflow(), 1.0)
        return self.residual
