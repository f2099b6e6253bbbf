"""Config sections of the environment (air, river) and of households' health."""

from __future__ import annotations

from simulation.config.base import ILL, Section
from simulation.config.params import param


class EnvironmentSection(Section):
    air_diffusion: float = param(15.0, ge=0.0, le=100.0, unit="cells^2 per month (effective)",
                                 source=ILL + "monthly-mean plume, sqrt(D/k) ~ 5 cells")
    air_decay: float = param(0.6, ge=0.0, le=50.0, unit="1/month (effective)",
                             source=ILL + "ventilation and deposition of the monthly mean")
    wind_u: float = param(0.0, ge=-20.0, le=20.0, unit="cells/month towards east",
                          source=ILL + "no monthly wind climatology found; off by default")
    wind_v: float = param(0.0, ge=-20.0, le=20.0, unit="cells/month towards south",
                          source=ILL + "no monthly wind climatology found; off by default")
    air_ugm3_per_kg: float = param(0.15, ge=0.0, le=100.0,
                                   unit="ug/m3 added to a cell per kg emitted there per month",
                                   source=ILL + "mixing volume of a 57 m cell")
    air_background: float = param(12.0, ge=0.0, le=200.0, unit="ug/m3 PM2.5",
                                  source=ILL + "regional background; no city monitor data found")
    air_standard: float = param(15.0, gt=0.0, le=200.0, unit="ug/m3 PM2.5 annual",
                                source="PP 22/2021 annex VII, PM2.5 annual standard")
    river_discharge_m3_s: float = param(2.0, gt=0.0, le=1000.0, unit="m3/s",
                                        source=ILL + "Kali Lahar dry-season order; no gauge data")
    river_velocity_m_s: float = param(0.3, gt=0.0, le=10.0, unit="m/s",
                                      source=ILL + "small lowland river")
    river_decay_per_day: float = param(0.23, ge=0.0, le=10.0, unit="1/day",
                                       source="textbook BOD decay rate k1 ~0.23/day (Chapra 1997)")
    river_background_mg_l: float = param(2.0, ge=0.0, le=100.0, unit="mg/L BOD",
                                         source=ILL + "inflow from Kabupaten Blitar upstream")
    water_standard_mg_l: float = param(3.0, gt=0.0, le=100.0, unit="mg/L BOD",
                                       source="PP 22/2021 annex VI class II river BOD standard")
    river_exposure_cells: float = param(3.0, ge=0.0, le=50.0, unit="cells (~57 m each)",
                                        source=ILL + "riverbank settlements such as Krantil")


class HealthSection(Section):
    initial_health: float = param(0.95, ge=0.0, le=1.0, unit="0-1 index",
                                  source=ILL + "health index, 1 = no pollution burden")
    recovery_rate: float = param(0.05, ge=0.0, le=1.0, unit="1/month",
                                 source=ILL + "recovery towards full health")
    air_damage: float = param(0.004, ge=0.0, le=1.0, unit="per ug/m3 above standard per month",
                              source=ILL + "scales the known PM2.5-morbidity link")
    water_damage: float = param(0.004, ge=0.0, le=1.0, unit="per mg/L above standard per month",
                                source=ILL + "riverbank exposure to polluted water")
    productivity_weight: float = param(0.5, ge=0.0, le=1.0, unit="-",
                                       source=ILL + "labour lost per unit of health lost")
    complaint_probability: float = param(0.05, ge=0.0, le=1.0, unit="1/month",
                                         source=ILL + "households above threshold who complain")
    job_loss_complaint_probability: float = param(0.10, ge=0.0, le=1.0, unit="per job lost",
                                                  source=ILL + "complaint after a layoff")
    relocation_probability: float = param(0.01, ge=0.0, le=1.0, unit="1/month",
                                          source=ILL + "affluent exposed households who move")
    relocation_income_multiple: float = param(2.0, ge=0.0, le=20.0, unit="x UMK",
                                              source=ILL + "income needed to afford a move")
    relocation_candidates: int = param(6, ge=1, le=100, unit="cells viewed",
                                       source=ILL + "search effort when moving")
