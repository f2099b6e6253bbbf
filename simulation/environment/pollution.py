"""The city's pollution state: PM2.5 over the grid and Kali Lahar's BOD and oxygen.

Air. Emissions (kg PM2.5 per month) come from two groups of sources: firms (their real
output x sector factor x own intensity x (1 - green reduction), computed by the economy)
and the non-industrial layers of the inventory: traffic (spread by a land-use proxy for
roads), household wood cooking and open burning of household waste (both where people
live). Each month's mean field is the *steady state* of that month's emissions and weather:
the air crosses the 6 km city in about an hour, so within a month it settles long before
the month ends. It is solved exactly (``steady_air``: one sparse factorisation per distinct
weather state, then a pair of triangular solves a month) for the advection-diffusion-loss
equation of a layer of depth ``mixing_height_m``. The non-industrial layers change only with
population, so their field is solved once per distinct weather state and scaled.
The Mesa layer ``air`` holds the local increment (all city sources) above the regional
background; ``background`` is this month's background.

River. Firms' wastewater (kg BOD per month) enters the segment nearest each firm; plug flow
with first-order decay down the chain at this month's discharge; dissolved oxygen follows
the Streeter-Phelps deficit (``kernels.oxygen_deficit``). The Mesa layer ``water`` holds BOD
on river cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from mesa.discrete_space import PropertyLayer

from simulation.config import EnvironmentSection
from simulation.environment import kernels
from simulation.environment.geography import LANDUSE_CODES, CityMap
from simulation.environment.steady_air import AirOperator, air_losses, steady_field
from simulation.environment.weather import MonthWeather, climatology
from simulation.scenarios import ConfigError

SECONDS_PER_DAY = 86400.0
SECONDS_PER_MONTH = SECONDS_PER_DAY * 365.25 / 12.0
LAYERS = ("traffic", "cooking", "waste_burning")
TRAFFIC_LANDUSES = ("residential", "commercial", "industrial", "green", "river")


@dataclass(frozen=True)
class AirSolve:
    """One month's weather on this grid: the steady operator's rates and the source scale."""

    operator: AirOperator
    source_factor: float  # (ug/m3 per second) per (kg emitted per month) in a cell


def air_solve(env: EnvironmentSection, city: CityMap, weather: MonthWeather) -> AirSolve:
    """The steady air problem of one month's weather on this grid."""
    dx = city.cell_size_m
    try:
        operator = AirOperator(
            city.rows, city.cols,
            diffusion=env.horizontal_diffusivity_m2_s / dx**2,          # cells^2/s
            decay=env.pm25_loss_per_day / SECONDS_PER_DAY,              # 1/s
            wind_u=weather.wind_u_m_s / dx, wind_v=weather.wind_v_m_s / dx)  # cells/s
    except ValueError as exc:  # the rates come from the config: name its fields
        raise ConfigError(
            f"environment.horizontal_diffusivity_m2_s, environment.pm25_loss_per_day and the "
            f"month's resultant wind (environment.wind_speed_m_s x wind_steadiness) give no "
            f"steady air field: {exc}") from exc
    per_kg = 1e9 / (SECONDS_PER_MONTH * dx * dx * env.mixing_height_m)  # ug/m3/s per kg/month
    # The mean wind carries the plume, but what dilutes it at the source is the air passing at
    # the scalar speed from changing directions: scale the source by resultant / scalar speed
    # (1 for a steady wind, ~0.26 in the transition months), so the steady near-source value is
    # E / (dx H U_scalar) while the mean plume still drifts with the resultant.
    steadiness = min(1.0, math.hypot(weather.wind_u_m_s, weather.wind_v_m_s)
                     / env.wind_speed_m_s)
    return AirSolve(operator, per_kg * steadiness)


def layer_weights(env: EnvironmentSection, city: CityMap,
                  residents: np.ndarray) -> dict[str, np.ndarray]:
    """Spatial share (sums to 1) of each non-industrial layer over the cells."""
    weight = dict(zip(TRAFFIC_LANDUSES, env.traffic_landuse_weights, strict=True))
    by_code = np.zeros(max(LANDUSE_CODES.values()) + 1)
    for name, code in LANDUSE_CODES.items():  # outside the city: not this city's traffic
        by_code[code] = weight.get(name, 0.0)
    traffic = by_code[city.landuse.ravel()]
    people = residents / max(float(residents.sum()), 1e-300)
    return {"traffic": traffic / max(float(traffic.sum()), 1e-300),
            "cooking": people, "waste_burning": people}


def layer_totals(env: EnvironmentSection, population: float,
                 households: float) -> dict[str, float]:
    """Non-industrial PM2.5 emissions of the city [kg per month]."""
    months = 12.0
    return {
        "traffic": env.traffic_pm25_kg_per_person_year * population / months,
        "cooking": (households * env.firewood_household_share
                    * env.firewood_kg_per_household_day * 365.25 / months
                    * env.wood_pm25_g_per_kg / 1000.0),
        "waste_burning": (population * env.waste_kg_per_person_day * 365.25 / months
                          * env.waste_burned_share * env.waste_combusted_fraction
                          * env.waste_pm25_g_per_kg / 1000.0),
    }


class Pollution:
    def __init__(self, env: EnvironmentSection, city: CityMap, air: PropertyLayer,
                 water: PropertyLayer, residents: np.ndarray, households: float) -> None:
        """``residents``: persons per flat cell at the start, ``households``: their number
        (both city scale)."""
        self.env, self.city, self.air, self.water = env, city, air, water
        shape = air.data.shape
        self.climate = climatology(env)
        self.solves = [air_solve(env, city, w) for w in self.climate]
        self.industrial = np.zeros(shape)        # ug/m3 from firms
        self.other = np.zeros(shape)             # ug/m3 from traffic, cooking, waste burning
        self._recent = np.zeros((12, *shape))    # the last 12 months' local increment
        self._recent_background = np.zeros(12)   # ... and their background
        self._n_recent = 0
        self.sources = np.zeros(shape)           # ug/m3 per second per cell (work array)
        # firms' PM2.5, kg summed over the months solved: emitted, lost in the air, carried
        # out of the grid (a steady field loses what it gains: [0] = [1] + [2] to round-off)
        self.air_budget = np.zeros(3)
        self.river_budget = np.zeros(3)  # kg BOD: entered, decayed, left at the mouth
        self.population0 = float(residents.sum())
        self.layer_kg0 = layer_totals(env, self.population0, households)
        self.layer_kg = dict(self.layer_kg0)
        self._other_unit = self._solve_other_layers(residents)
        self.background = self.climate[0].background_ugm3
        self.month_of_year = 0
        # river geometry
        self.segment_of_cell, dist = kernels.nearest_segment_distance(
            city.rows, city.cols, city.river_cells)
        self.near_river = dist <= env.river_exposure_cells
        lengths = np.asarray(city.river_segment_length_m, dtype=np.float64)
        self.retention = np.array([kernels.river_retention(
            1, length, env.river_velocity_m_s, env.river_decay_per_day)[0] for length in lengths])
        self.travel_days = lengths / env.river_velocity_m_s / SECONDS_PER_DAY
        self.do_sat = kernels.do_saturation(env.water_temperature_c)
        self.ultimate_per_bod5 = 1.0 / (1.0 - math.exp(-5.0 * env.river_decay_per_day)) \
            if env.river_decay_per_day > 0 else 1.0
        n_seg = city.river_cells.size
        self.river_flux = np.zeros(n_seg)   # kg BOD/month leaving each segment
        self.river_conc = np.zeros(n_seg)   # mg/L BOD5
        self.deficit = np.zeros(n_seg)      # mg/L oxygen deficit at each segment's end
        self.river_do = np.full(n_seg, self.do_sat)  # mg/L dissolved oxygen
        self.water_cell = np.zeros(city.rows * city.cols)  # BOD a home in each cell meets
        self.river_downstream = env.river_background_mg_l
        self.water_load_total = 0.0         # kg BOD/month reaching the river (agent scale)

    # --- air ------------------------------------------------------------------------------
    def _solve_other_layers(self, residents: np.ndarray) -> dict[tuple[float, float], np.ndarray]:
        """Steady field of the non-industrial layers at the start, per distinct wind."""
        weights = layer_weights(self.env, self.city, residents)
        kg = sum(self.layer_kg0[name] * weights[name] for name in LAYERS)
        out: dict[tuple[float, float], np.ndarray] = {}
        for w, solve in zip(self.climate, self.solves, strict=True):
            key = (w.wind_u_m_s, w.wind_v_m_s)
            if key not in out:
                out[key] = np.zeros_like(self.industrial)
                self._solve(out[key], kg, solve)
        return out

    def _solve(self, field: np.ndarray, kg_per_cell_flat: np.ndarray, solve: AirSolve) -> None:
        """field <- steady state of emissions ``kg_per_cell_flat`` (kg/month per flat cell)."""
        np.multiply(kg_per_cell_flat, solve.source_factor, out=self.sources.reshape(-1))
        steady_field(solve.operator, self.sources, field)

    def step_air(self, cells: np.ndarray, kg_per_month: np.ndarray, month: int,
                 population: float) -> None:
        """One month of air: firms' emissions (kg/month at city scale, at flat ``cells``),
        the non-industrial layers for the city's ``population``, model month ``month``
        (0 = January of the start year)."""
        self.month_of_year = month % 12
        w = self.climate[self.month_of_year]
        solve = self.solves[self.month_of_year]
        kg = np.zeros(self.city.rows * self.city.cols)
        kernels.deposit_sources(kg, cells, kg_per_month)
        self._solve(self.industrial, kg, solve)
        decayed, left = air_losses(solve.operator, self.industrial)
        self.air_budget += (float(kg.sum()), decayed / solve.source_factor,
                            left / solve.source_factor)
        growth = population / max(self.population0, 1e-300)
        self.layer_kg = {name: growth * v for name, v in self.layer_kg0.items()}
        np.multiply(self._other_unit[(w.wind_u_m_s, w.wind_v_m_s)], growth, out=self.other)
        np.add(self.industrial, self.other, out=self.air.data)
        self.background = w.background_ugm3
        self._recent[self._n_recent % 12] = self.air.data
        self._recent_background[self._n_recent % 12] = w.background_ugm3
        self._n_recent += 1

    @property
    def annual_air(self) -> np.ndarray:
        """Local PM2.5 increment averaged over the last 12 months solved [ug/m3]."""
        return self._recent[: min(self._n_recent, 12)].mean(axis=0)

    @property
    def annual_total_flat(self) -> np.ndarray:
        """Total PM2.5 (background + local) per flat cell averaged over the last 12 months
        solved [ug/m3]: what the annual standard is about."""
        k = min(self._n_recent, 12)
        return (self.annual_air + self._recent_background[:k].mean()).reshape(-1)

    @property
    def air_flat(self) -> np.ndarray:
        """Local PM2.5 increment (all city sources) per flat cell [ug/m3]."""
        return self.air.data.reshape(-1)

    @property
    def industrial_flat(self) -> np.ndarray:
        return self.industrial.reshape(-1)

    @property
    def do_min_in_city(self) -> float:
        """Lowest dissolved oxygen along the river's cells inside the city [mg/L]."""
        inside = self.city.river_in_city
        return float(self.river_do[inside].min()) if inside.any() else float("nan")

    @property
    def other_emissions_kg(self) -> float:
        """Non-industrial PM2.5 emissions this month [kg, city scale]."""
        return float(sum(self.layer_kg.values()))

    def exposure_score(self) -> np.ndarray:
        """Per flat cell: total PM2.5 / its standard + nearby river BOD / its standard (what a
        household weighs when choosing where to live)."""
        env = self.env
        return ((self.background + self.air_flat) / env.air_standard
                + self.water_cell / env.water_standard_mg_l)

    # --- river ----------------------------------------------------------------------------
    def step_river(self, cells: np.ndarray, kg_per_month: np.ndarray, scale: int,
                   month: int = 0) -> None:
        """One month of river: each firm's wastewater (kg BOD/month, city scale) enters at
        the segment nearest its cell; plug flow with decay down to the mouth at this month's
        discharge; Streeter-Phelps oxygen."""
        env = self.env
        self.water_load_total = float(kg_per_month.sum()) / scale
        seg_load = np.bincount(self.segment_of_cell[cells], weights=kg_per_month,
                               minlength=self.river_flux.size)
        volume = self.climate[month % 12].discharge_m3_s * SECONDS_PER_MONTH  # m3/month
        inflow = env.river_background_mg_l * volume / 1000.0  # kg/month
        kernels.river_step(seg_load, inflow, self.retention, self.river_flux, self.river_budget)
        to_mg_l = 1000.0 / volume
        self.river_conc[:] = self.river_flux * to_mg_l
        self.river_downstream = float(self.river_conc[-1])
        start = self.river_flux / self.retention * to_mg_l * self.ultimate_per_bod5
        kernels.oxygen_deficit(start, self.travel_days, env.river_decay_per_day,
                               env.river_reaeration_per_day,
                               (1.0 - env.inflow_do_saturation) * self.do_sat, self.deficit)
        np.clip(self.do_sat - self.deficit, 0.0, None, out=self.river_do)
        self.water_cell[:] = np.where(self.near_river, self.river_conc[self.segment_of_cell],
                                      0.0)
        water = self.water.data.reshape(-1)
        water[:] = 0.0
        water[self.city.river_cells] = self.river_conc
