"""The city's pollution state: the air field over the grid and Kali Lahar's water quality.

Holds the Mesa property layers ``air`` (industrial PM2.5, ug/m3) and ``water`` (river BOD
on river cells, mg/L), the numba kernels' work buffers and mass budgets, and the river
geometry; each month it turns firms' emissions into concentrations.
"""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import PropertyLayer

from simulation.config import EnvironmentSection
from simulation.environment import kernels as environment
from simulation.environment.geography import CityMap


class Pollution:
    def __init__(self, env: EnvironmentSection, city: CityMap, air: PropertyLayer,
                 water: PropertyLayer) -> None:
        self.env, self.city, self.air, self.water = env, city, air, water
        self.air_substeps = environment.air_substeps(env.air_diffusion, env.air_decay,
                                                     env.wind_u, env.wind_v)
        self.air_scratch = np.zeros_like(air.data)
        self.air_sources = np.zeros_like(air.data)
        self.air_budget = np.zeros(3)    # kernel mass budget: added, decayed, left the city
        self.river_budget = np.zeros(3)  # entered, decayed, left at the mouth
        self.segment_of_cell, dist = environment.nearest_segment_distance(
            city.rows, city.cols, city.river_cells)
        self.near_river = dist <= env.river_exposure_cells
        self.retention = np.array([environment.river_retention(
            1, length, env.river_velocity_m_s, env.river_decay_per_day)[0]
            for length in city.river_segment_length_m])
        self.discharge_m3_month = env.river_discharge_m3_s * 86400.0 * 365.25 / 12.0
        n_seg = city.river_cells.size
        self.river_flux = np.zeros(n_seg)   # kg BOD/month leaving each segment
        self.river_conc = np.zeros(n_seg)   # mg/L
        self.water_cell = np.zeros(city.rows * city.cols)  # BOD a home in each cell meets
        self.river_downstream = env.river_background_mg_l
        self.water_load_total = 0.0         # kg BOD/month reaching the river (agent scale)

    @property
    def air_flat(self) -> np.ndarray:
        return self.air.data.reshape(-1)

    def step_air(self, cells: np.ndarray, kg_per_month: np.ndarray) -> None:
        """One month of air: sources (kg/month at city scale, at flat ``cells``), diffusion,
        decay, outflow."""
        src = self.air_sources.reshape(-1)
        src[:] = 0.0
        environment.deposit_sources(src, cells, kg_per_month * self.env.air_ugm3_per_kg)
        environment.air_step(self.air.data, self.air_sources, self.air_scratch,
                             self.env.air_diffusion, self.env.air_decay, self.env.wind_u,
                             self.env.wind_v, self.air_substeps, self.air_budget)

    def step_river(self, cells: np.ndarray, kg_per_month: np.ndarray, scale: int) -> None:
        """One month of river: each firm's wastewater (kg BOD/month, city scale) enters at
        the segment nearest its cell; plug flow with decay down to the mouth."""
        self.water_load_total = float(kg_per_month.sum()) / scale
        seg_load = np.bincount(self.segment_of_cell[cells], weights=kg_per_month,
                               minlength=self.river_flux.size)
        inflow = self.env.river_background_mg_l * self.discharge_m3_month / 1000.0  # kg
        environment.river_step(seg_load, inflow, self.retention, self.river_flux,
                               self.river_budget)
        self.river_conc[:] = self.river_flux * 1000.0 / self.discharge_m3_month
        self.river_downstream = float(self.river_conc[-1])
        self.water_cell[:] = np.where(self.near_river, self.river_conc[self.segment_of_cell],
                                      0.0)
        water = self.water.data.reshape(-1)
        water[:] = 0.0
        water[self.city.river_cells] = self.river_conc
