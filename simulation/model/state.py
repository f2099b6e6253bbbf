"""Agent state as arrays: a struct-of-arrays table with spare capacity.

Households, workers and firms each live in one :class:`Table`; a Mesa agent holds only
its row index and reads its state from here. Per-step behaviour is array code over the
whole table, so adding agents mid-run (new households, entering firms) only appends rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

HOUSEHOLD_FIELDS: dict[str, Any] = {
    "home": np.int64,          # flat cell index
    "members": np.int16,       # persons
    "n_workers": np.int8,      # labour-force members
    "first_worker": np.int64,  # row of its first worker (its workers are contiguous)
    "health": np.float64,      # 0-1 index: share of full working capacity
    "income": np.float64,      # Rp million per month (nominal), all sources, last month
    "wage_income": np.float64,      # formal wages (nominal, Rp million/month)
    "informal_income": np.float64,  # informal earnings
    "owner_income": np.float64,     # profits paid out by the firms it owns
    "smoothed_income": np.float64,  # what it plans spending on (nominal)
    "consumption": np.float64,      # spending this month (nominal)
    "wealth": np.float64,           # liquid savings, Rp million (may be < 0: debt)
    "informal_sector": np.int8,     # the household enterprise's sector (SECTOR_NAMES index)
    "air": np.float64,         # total PM2.5 at home, ug/m3
    "water": np.float64,       # river BOD nearby, mg/L (0 if far from the river)
    "moves": np.int16,         # relocations so far
}

UNEMPLOYED, INFORMAL, FORMAL = 0, 1, 2  # worker status (Sakernas: informal work is work)

WORKER_FIELDS: dict[str, Any] = {
    "household": np.int64,     # row in the household table
    "skill": np.float64,       # relative productivity, mean ~1
    "status": np.int8,         # UNEMPLOYED, INFORMAL or FORMAL
    "employer": np.int64,      # row in the firm table if FORMAL, else -1
    "wage": np.float64,        # Rp million per month (nominal) if FORMAL, else 0
    "earnings": np.float64,    # informal earnings, Rp million per month (nominal), else 0
    "effective": np.float64,   # work supplied: skill x health (days and productivity)
    "trained": np.int16,       # training courses taken
}

FIRM_FIELDS: dict[str, Any] = {
    "alive": np.bool_,
    "sector": np.int8,           # index into config.SECTOR_NAMES
    "cell": np.int64,            # flat cell index
    "owner": np.int64,           # household row of the owner, -1 = owned outside the city
    "productivity": np.float64,  # real value added per effective worker-month (2025 prices)
    "count_weight": np.float64,  # real firms this agent stands for
    "market_share": np.float64,  # share of its sector's formal demand
    "target": np.float64,        # desired workers (agent units)
    "workers": np.int64,         # current workers (agent units)
    "vacancies": np.int64,       # posted this month
    "unfilled": np.int64,        # vacancies left open at the end of the month
    "pay_level": np.float64,     # Rp million per month per unit of skill (>= UMK floor)
    "eff_labour": np.float64,    # effective labour (skill x health) this month
    "skill_sum": np.float64,     # its workers' skill: healthy-equivalent labour it plans on
    "contract": np.float64,      # gross output contracted by outside buyers, real / month
    "wage_bill": np.float64,     # Rp million per month
    "real_output": np.float64,   # gross output sold, real (2025 Rp million)
    "sales": np.float64,         # Rp million per month (nominal)
    "purchases": np.float64,     # inputs bought (outside the city), nominal
    "output": np.float64,        # value added = sales - purchases, Rp million (nominal)
    "demand": np.float64,        # Rp million per month (nominal)
    "profit": np.float64,        # value added - wages - charges/fines + subsidies - green cost
    "cash": np.float64,          # retained earnings, Rp million (< 0: borrowed)
    "investment": np.float64,    # Rp million spent this month
    "unit_cost": np.float64,     # Rp per real unit of gross output
    "loss_months": np.int16,     # consecutive months with a loss
    "air_factor": np.float64,    # firm's emission intensity relative to its sector
    "water_factor": np.float64,
    "green": np.bool_,           # adopted green technology
    "green_saving": np.float64,  # inputs the green technology saves, 2025 Rp million/month
    "awareness": np.float64,     # 0-1: knows the green option
    "capability": np.float64,    # 0-1: absorptive capacity to implement it
    "emission_air": np.float64,  # kg per month (agent scale: x scale for the city)
    "emission_water": np.float64,
    "env_cost": np.float64,      # charges + fines this month, Rp million
    "violations": np.int16,      # inspections failed
    "workshops": np.int16,       # workshops attended
    "entered_step": np.int32,    # month index of entry (negative: before the start)
    "anchor": np.bool_,          # a large plant kept whole at any scale
    "formalised": np.bool_,      # began as an informal household enterprise
}


class Table:
    """Columns of equal length ``n`` with room to grow. ``table.col`` is a view of rows 0..n."""

    def __init__(self, fields: dict[str, Any], capacity: int) -> None:
        self._fields = fields
        self._data = {name: np.zeros(max(capacity, 1), dtype=dt) for name, dt in fields.items()}
        self.n = 0

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is None or name not in data:
            raise AttributeError(name)
        return data[name][: self.n]

    def append(self, k: int, **values: Any) -> np.ndarray:
        """Add ``k`` rows (zeros unless given in ``values``); returns their row indices."""
        start, stop = self.n, self.n + k
        capacity = len(next(iter(self._data.values())))
        if stop > capacity:
            new_cap = max(stop, int(capacity * 1.5) + 16)
            for name, arr in self._data.items():
                grown = np.zeros(new_cap, dtype=arr.dtype)
                grown[:start] = arr[:start]
                self._data[name] = grown
        for name, value in values.items():
            if name not in self._data:
                raise KeyError(f"unknown column {name!r}")
            self._data[name][start:stop] = value
        self.n = stop
        return np.arange(start, stop, dtype=np.int64)
