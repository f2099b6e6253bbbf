"""Mesa agents for households and firms.

Each agent is a real Mesa ``CellAgent`` that users can select and inspect (in the
browser view, in tests, through ``model.agents_by_type``), but it stores only its row in
the model's state tables; its attributes read those arrays. The model updates all
households and all firms at once with array code, so agents have no per-step method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mesa.discrete_space import Cell, CellAgent

from simulation.config import SECTOR_NAMES

if TYPE_CHECKING:
    from simulation.model import BlitarModel


class Household(CellAgent):
    """A household (one per ``scale`` real households)."""

    def __init__(self, model: BlitarModel, row: int, cell: Cell) -> None:
        super().__init__(model)
        self.row = row
        self.cell = cell

    def _get(self, name: str) -> Any:
        return getattr(self.model.households, name)[self.row].item()

    @property
    def members(self) -> int:
        return self._get("members")

    @property
    def health(self) -> float:
        return self._get("health")

    @property
    def income(self) -> float:
        """Rp million per month (nominal)."""
        return self._get("income")

    @property
    def air_exposure(self) -> float:
        """PM2.5 at home, ug/m3."""
        return self._get("air")

    @property
    def water_exposure(self) -> float:
        """BOD of the nearby river, mg/L (0 away from the river)."""
        return self._get("water")

    @property
    def worker_rows(self) -> list[int]:
        w = self.model.workers
        first = self.model.households.first_worker[self.row]
        return list(range(first, first + int(self.model.households.n_workers[self.row]))) \
            if w.n else []

    @property
    def employed(self) -> int:
        emp = self.model.workers.employer
        return int(sum(emp[r] >= 0 for r in self.worker_rows))

    @property
    def informal(self) -> int:
        """Members working informally (own-account, family, household industry)."""
        status = self.model.workers.status
        return int(sum(status[r] == 1 for r in self.worker_rows))

    @property
    def employers(self) -> list[int]:
        """Firm rows of the employed members."""
        emp = self.model.workers.employer
        return [int(emp[r]) for r in self.worker_rows if emp[r] >= 0]

    def state(self) -> dict[str, Any]:
        return {"kind": "household", "row": self.row, "members": self.members,
                "workers": len(self.worker_rows), "employed": self.employed,
                "informal": self.informal,
                "income_rp_mn": round(self.income, 3), "health": round(self.health, 3),
                "air_ugm3": round(self.air_exposure, 2),
                "river_bod_mg_l": round(self.water_exposure, 2)}


class Firm(CellAgent):
    """A firm (an IKM unit, a plant, or a group of service businesses)."""

    def __init__(self, model: BlitarModel, row: int, cell: Cell) -> None:
        super().__init__(model)
        self.row = row
        self.cell = cell

    def _get(self, name: str) -> Any:
        return getattr(self.model.firms, name)[self.row].item()

    @property
    def sector(self) -> str:
        return SECTOR_NAMES[self._get("sector")]

    @property
    def workers(self) -> int:
        return self._get("workers")

    @property
    def output(self) -> float:
        """Value added, Rp million per month (nominal)."""
        return self._get("output")

    @property
    def profit(self) -> float:
        return self._get("profit")

    @property
    def green(self) -> bool:
        return self._get("green")

    @property
    def awareness(self) -> float:
        return self._get("awareness")

    @property
    def emission_air(self) -> float:
        """kg per month (agent scale)."""
        return self._get("emission_air")

    @property
    def emission_water(self) -> float:
        return self._get("emission_water")

    def state(self) -> dict[str, Any]:
        return {"kind": "firm", "row": self.row, "sector": self.sector,
                "workers": self.workers, "output_rp_mn": round(self.output, 2),
                "profit_rp_mn": round(self.profit, 2), "green": self.green,
                "awareness": round(self.awareness, 2),
                "capability": round(self._get("capability"), 2),
                "air_kg": round(self.emission_air, 1), "water_kg": round(self.emission_water, 1),
                "violations": self._get("violations"), "workshops": self._get("workshops")}
