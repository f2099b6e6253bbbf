"""Results per kelurahan: one row per kelurahan per month, at city scale.

The table answers "which kelurahan get the smoke, the jobs, the complaints?". Each column is
a :class:`KelColumn` in :data:`KEL_COLUMNS`: a name, a unit, the city indicator it adds up to
(``total``; None for means and maxima) and a function of a :class:`Snapshot` of the model
returning one value per kelurahan. To add a column, add one line, e.g.::

    KelColumn("informal_workers", "persons", "employment_informal",
              lambda s: s.by_worker_home(s.m.workers.status == 1)),

Where the model does not record where something happened, the column says how it is
allocated (complaints). The recorder is called once a month by the model; ``frame()``
returns the long table (date, step, kelurahan, kecamatan, columns) written as
``kelurahan.parquet`` in a run folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.model.record_kernels import (
    HOME_SUMS,
    cell_mean_max,
    firm_sums,
    home_sums,
    workers_by_home_status,
)
from simulation.model.state import FORMAL, INFORMAL, UNEMPLOYED

if TYPE_CHECKING:
    from simulation.environment.geography import CityMap
    from simulation.model import BlitarModel


class Snapshot:
    """The model's state at the end of a month, with helpers that sum per kelurahan.

    ``by_household`` / ``by_worker_home`` / ``by_firm`` add values of households (by their
    home), workers (by their household's home) and live firms (by their site) per
    kelurahan, scaled to the city (x ``scale``); ``cell_mean`` / ``cell_max`` reduce a grid
    over each kelurahan's cells. The built-in columns read ``home_total`` and the other
    one-pass tallies (:mod:`simulation.model.record_kernels`), which give the same numbers
    as those helpers without a temporary array per column; the helpers stay for new columns.
    """

    def __init__(self, m: BlitarModel, geo: KelurahanGeometry) -> None:
        self.m, self.geo, self.scale = m, geo, m.cfg.scenario.scale

    # index arrays and padded exposure for the generic helpers (built only if one is used)
    @cached_property
    def hh_kel(self) -> np.ndarray:
        return self.geo.cell_kel[self.m.households.home]

    @cached_property
    def wk_kel(self) -> np.ndarray:
        return self.hh_kel[self.m.workers.household]

    @cached_property
    def firm_kel(self) -> np.ndarray:
        f = self.m.firms
        return self.geo.cell_kel[f.cell[f.alive]]

    def _padded(self, month_values: np.ndarray) -> np.ndarray:
        """This month's exposure array over all households; those born after it: 0."""
        n = self.m.households.n
        out = np.zeros(n, dtype=month_values.dtype)
        out[: min(month_values.size, n)] = month_values[:n]
        return out

    @cached_property
    def above(self) -> np.ndarray:
        """Above a standard at this month's exposure."""
        return self._padded(self.m.above)

    @cached_property
    def affected(self) -> np.ndarray:
        """Nuisance: what complaints come from."""
        return self._padded(self.m.exposure.affected)

    @cached_property
    def industrial(self) -> np.ndarray:
        return self._padded(self.m.exposure.industrial)

    @cached_property
    def air_total(self) -> np.ndarray:
        return self.m.air.data.ravel() + self.m.pollution.background

    def _sum(self, idx: np.ndarray, values: np.ndarray | float) -> np.ndarray:
        n = self.geo.n
        if np.isscalar(values):
            return np.bincount(idx, minlength=n) * (float(values) * self.scale)
        v = np.asarray(values)
        if v.dtype == np.bool_:  # a count: cheaper than weights
            return np.bincount(idx[v], minlength=n) * float(self.scale)
        return np.bincount(idx, weights=v, minlength=n) * self.scale

    def by_household(self, values: np.ndarray | float) -> np.ndarray:
        return self._sum(self.hh_kel, values)

    def by_worker_home(self, values: np.ndarray | float) -> np.ndarray:
        return self._sum(self.wk_kel, values)

    def by_firm(self, values: np.ndarray) -> np.ndarray:
        """``values`` over all firm rows; only live firms count."""
        return self._sum(self.firm_kel, np.asarray(values, dtype=float)[self.m.firms.alive])

    def per_household_mean(self, values: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.by_household(values) / self.by_household(1.0)

    @cached_property
    def members(self) -> np.ndarray:
        return self.m.households.members.astype(float)

    def per_resident_mean(self, values: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.by_household(self.members * values) / self.residents

    def cell_mean(self, grid_flat: np.ndarray) -> np.ndarray:
        g = self.geo
        return np.bincount(g.kel_of_inside, weights=grid_flat[g.inside_cells],
                           minlength=g.n) / g.n_cells

    def cell_max(self, grid_flat: np.ndarray) -> np.ndarray:
        g = self.geo
        return np.maximum.reduceat(grid_flat[g.cells_by_kel], g.starts)

    # one-pass tallies of the built-in columns (the helpers above, computed together)
    @cached_property
    def _home_sums(self) -> np.ndarray:
        m, n = self.m, self.geo.n
        hh = m.households
        return home_sums(hh.home, self.geo.cell_kel, n + 1, hh.members, hh.air, hh.health,
                         m.exposure.industrial, m.above, m.exposure.affected)[:, :n]

    def home_total(self, name: str) -> np.ndarray:
        """City-scale sum per kelurahan of the household quantity ``name`` (a row of
        HOME_SUMS): equal to ``by_household`` of it."""
        return self._home_sums[HOME_SUMS.index(name)] * float(self.scale)

    @cached_property
    def residents(self) -> np.ndarray:
        return self.home_total("members")

    def home_mean(self, name: str, per: str) -> np.ndarray:
        """``home_total(name)`` per ``home_total(per)`` (NaN where there is none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.home_total(name) / self.home_total(per)

    @cached_property
    def _status_counts(self) -> np.ndarray:
        """Workers per (kelurahan of home, status), one pass for the status columns."""
        m = self.m
        return workers_by_home_status(m.workers.household, m.households.home,
                                      self.geo.cell_kel, m.workers.status, self.geo.n + 1)

    def workers_by_status(self, *statuses: int) -> np.ndarray:
        """Workers living in each kelurahan whose status is one of ``statuses``, x scale."""
        return self._status_counts[:, list(statuses)].sum(axis=1) * float(self.scale)

    @cached_property
    def _firm_sums(self) -> np.ndarray:
        f = self.m.firms
        return firm_sums(f.alive, f.cell, self.geo.cell_kel, f.workers, f.count_weight,
                         self.geo.n + 1) * self.scale

    @property
    def jobs(self) -> np.ndarray:
        """Formal jobs at live firms per kelurahan of site (= ``by_firm(firms.workers)``)."""
        return self._firm_sums[0]

    @property
    def firms(self) -> np.ndarray:
        """Live firms (real units) per kelurahan of site."""
        return self._firm_sums[1] / self.scale

    @cached_property
    def pm25_mean_max(self) -> tuple[np.ndarray, np.ndarray]:
        g = self.geo
        return cell_mean_max(self.m.air.data.ravel(), self.m.pollution.background,
                             g.inside_cells, g.kel_of_inside, g.cells_by_kel, g.starts,
                             g.n_cells)

    def burden(self, outcome: str, per: float = 1.0) -> np.ndarray:
        """This month's health burden ``outcome`` per kelurahan (already city scale)."""
        from simulation.society.health_burden import OUTCOMES
        return self.m.health_burden.month_by_kel[:, OUTCOMES.index(outcome)] / per

    def complaints(self) -> np.ndarray:
        """The month's city complaints, allocated: the part nuisance-affected households
        are expected to lodge (complaint_probability x households affected, at most all
        complaints) by affected households; the rest (job losses, whose location the model
        does not keep) by resident labour-force members."""
        m = self.m
        total = m.month_complaints
        n_affected = float(m.exposure.affected[: m.households.n].sum())
        exposure = min(total, m.cfg.health.complaint_probability * n_affected)
        out = np.zeros(self.geo.n)
        if exposure > 0:
            out += exposure * self.home_total("affected") / max(n_affected * self.scale,
                                                                 1e-12)
        rest = total - exposure
        if rest > 0:
            lab = self._status_counts[: self.geo.n].sum(axis=1) * (1.0 * self.scale)
            out += rest * lab / max(lab.sum(), 1e-12)
        return out * self.scale


@dataclass(frozen=True)
class KelColumn:
    name: str
    unit: str
    total: str | None   # city indicator this column sums to (None: a mean or maximum)
    compute: Callable[[Snapshot], np.ndarray]


KEL_COLUMNS: tuple[KelColumn, ...] = (
    KelColumn("households", "households", "households", lambda s: s.home_total("households")),
    KelColumn("residents", "persons", "population", lambda s: s.residents),
    KelColumn("employed_residents", "persons employed, living here", "employment_total",
              lambda s: s.workers_by_status(INFORMAL, FORMAL)),  # any work (Sakernas)
    KelColumn("unemployed_residents", "persons in the labour force without a job, living "
              "here", None, lambda s: s.workers_by_status(UNEMPLOYED)),
    KelColumn("informal_workers", "persons working informally, living here",
              "employment_informal", lambda s: s.workers_by_status(INFORMAL)),
    KelColumn("jobs", "formal jobs at firms sited here", "employment_formal", lambda s: s.jobs),
    KelColumn("firms", "firms sited here (real units)", "n_firms", lambda s: s.firms),
    KelColumn("pm25_mean", "ug/m3 PM2.5 incl. background, mean over the kelurahan's cells",
              None, lambda s: s.pm25_mean_max[0]),
    KelColumn("pm25_max", "ug/m3 PM2.5 incl. background, highest cell", None,
              lambda s: s.pm25_mean_max[1]),
    KelColumn("exposure", "ug/m3 PM2.5 at home, mean over residents", None,
              lambda s: s.home_mean("members_air", "members")),
    KelColumn("households_above_standard", "households above a standard (PM2.5 of the "
              "last 12 months vs the annual standard, or river BOD this month)",
              None, lambda s: s.home_total("above")),
    KelColumn("residents_above_standard", "persons in households above a standard", None,
              lambda s: s.home_total("members_above")),
    KelColumn("river_bod", "mg/L BOD, mean over the river's cells here (NaN: no river)",
              None, lambda s: s.geo.river_mean(s.m.water.data.ravel())),
    KelColumn("mean_health", "share of full working capacity, mean over households", None,
              lambda s: s.home_mean("health", "households")),
    KelColumn("industrial_exposure", "ug/m3 PM2.5 from the city's industry at home, mean over "
              "residents", None, lambda s: s.home_mean("members_industrial", "members")),
    KelColumn("attributable_deaths", "deaths this month attributable to PM2.5",
              "attributable_deaths", lambda s: s.burden("deaths")),
    KelColumn("attributable_deaths_industry", "deaths this month from industrial PM2.5",
              "attributable_deaths_industry", lambda s: s.burden("deaths_industry")),
    KelColumn("dalys", "DALYs this month attributable to PM2.5", "dalys",
              lambda s: s.burden("dalys")),
    KelColumn("respiratory_admissions", "respiratory admissions this month from PM2.5",
              "respiratory_admissions", lambda s: s.burden("admissions")),
    KelColumn("diarrhoea_cases", "diarrhoea episodes this month from polluted river water",
              "diarrhoea_cases", lambda s: s.burden("diarrhoea")),
    KelColumn("health_damage_cost", "Rp billion this month, 2025 prices", "health_damage_cost",
              lambda s: s.burden("cost_rp_million", 1000.0)),
    KelColumn("complaints", "complaints this month (allocated, see Snapshot.complaints)",
              "complaints", lambda s: s.complaints()),
)
KEL_UNITS: dict[str, str] = {c.name: c.unit for c in KEL_COLUMNS}


class KelurahanGeometry:
    """Index arrays of a map's kelurahan, computed once per model."""

    def __init__(self, city: CityMap) -> None:
        self.n = city.n_kelurahan
        kel = city.kelurahan.ravel().astype(np.int64)
        # homes and firms are always inside the city; -1 would wrap, so map it to n (dropped)
        self.cell_kel = np.where(kel >= 0, kel, self.n)
        self.inside_cells = np.flatnonzero(kel >= 0)
        self.kel_of_inside = kel[self.inside_cells]
        self.n_cells = np.bincount(self.kel_of_inside, minlength=self.n).astype(float)
        self.cells_by_kel = self.inside_cells[np.argsort(self.kel_of_inside, kind="stable")]
        self.starts = np.concatenate(([0], np.cumsum(self.n_cells.astype(np.int64))[:-1]))
        river = city.river_cells[city.river_in_city]
        self.river_cells, self.river_kel = river, kel[river]
        self.river_n = np.bincount(self.river_kel, minlength=self.n).astype(float)

    def river_mean(self, grid_flat: np.ndarray) -> np.ndarray:
        s = np.bincount(self.river_kel, weights=grid_flat[self.river_cells], minlength=self.n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.river_n > 0, s / self.river_n, np.nan)


class KelurahanRecorder:
    """Holds the per-kelurahan columns month by month (preallocated)."""

    def __init__(self, n_steps: int, city: CityMap,
                 columns: tuple[KelColumn, ...] = KEL_COLUMNS) -> None:
        self.city, self.columns = city, columns
        self.geo = KelurahanGeometry(city)
        self.data = {c.name: np.full((n_steps, self.geo.n), np.nan) for c in columns}
        self.steps = np.zeros(n_steps, dtype=np.int64)
        self.i = 0

    def record(self, m: BlitarModel) -> None:
        snap = Snapshot(m, self.geo)
        for c in self.columns:
            self.data[c.name][self.i] = c.compute(snap)[: self.geo.n]
        self.steps[self.i] = m.month + 1
        self.i += 1

    def frame(self, start_year: int) -> pd.DataFrame:
        """Long table: one row per (month, kelurahan), months first."""
        n, k = self.i, self.geo.n
        city = self.city
        dates = pd.date_range(f"{start_year}-01-01", periods=n, freq="MS")
        kec = [city.kecamatan_names[j] for j in city.kelurahan_to_kecamatan]
        df = pd.DataFrame({
            "date": np.repeat(dates.values, k),
            "step": np.repeat(self.steps[:n], k),
            "kelurahan": np.tile(np.array(city.kelurahan_names, dtype=object), n),
            "kecamatan": np.tile(np.array(kec, dtype=object), n),
        })
        for c in self.columns:
            df[c.name] = self.data[c.name][:n].ravel()
        return df
