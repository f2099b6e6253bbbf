"""Per-sector parameters as arrays indexed by sector number (``SECTOR_NAMES`` order)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.config import SECTOR_NAMES, Config

N_SECTORS = len(SECTOR_NAMES)
SECTOR_INDEX = {name: i for i, name in enumerate(SECTOR_NAMES)}
TOFU = SECTOR_INDEX["tofu_tempe"]
SERVICES = SECTOR_INDEX["services"]


@dataclass(frozen=True)
class SectorArrays:
    manufacturing: np.ndarray        # bool
    wage_share: np.ndarray           # firm pay level per skill unit / value added per worker
    intermediate: np.ndarray         # share of sales spent on inputs bought outside
    consumption: np.ndarray          # share of households' local spending
    informal: np.ndarray             # share of that spending bought from informal producers
    informal_productivity: np.ndarray  # real VA per informal worker-month at full demand
    outside_growth: np.ndarray       # real growth of outside demand, 1/year
    air_intensity: np.ndarray        # kg per Rp million of real value added
    water_intensity: np.ndarray
    green_cost: np.ndarray
    green_reduction: np.ndarray
    productivity_sigma: np.ndarray
    outside_ownership: np.ndarray    # share of firms owned outside the city

    @classmethod
    def from_config(cls, cfg: Config) -> SectorArrays:
        secs = [sc for _, sc in cfg.sectors.items()]

        def arr(name: str) -> np.ndarray:
            return np.array([getattr(s, name) for s in secs], dtype=float)

        return cls(
            manufacturing=np.array([s.manufacturing for s in secs]),
            wage_share=np.array([s.wage_share if s.wage_share is not None
                                 else cfg.labour.wage_share for s in secs]),
            intermediate=arr("intermediate_share"),
            consumption=arr("consumption_share"),
            informal=arr("informal_share"),
            informal_productivity=arr("informal_productivity"),
            outside_growth=arr("outside_demand_growth"),
            air_intensity=arr("air_intensity"),
            water_intensity=arr("water_intensity"),
            green_cost=arr("green_cost"),
            green_reduction=arr("green_reduction"),
            productivity_sigma=arr("productivity_sigma"),
            outside_ownership=arr("outside_ownership"),
        )


def sector_sum(values: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """Sum of ``values`` by sector (length N_SECTORS)."""
    return np.bincount(sector, weights=values, minlength=N_SECTORS)
