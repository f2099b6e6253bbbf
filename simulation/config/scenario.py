"""The ``[scenario]`` section: horizon, seed, scale, map and the big-plant scenario."""

from __future__ import annotations

from pydantic import model_validator

from simulation.config.base import Section
from simulation.config.params import param


class ScenarioSection(Section):
    name: str = param("blitar", unit="-", source="scenario name")
    description: str = param("", unit="-", source="scenario text")
    description_id: str = param("", unit="-",
                                source="scenario text in Bahasa Indonesia (shown in the browser)")
    start_year: int = param(2025, ge=2000, le=2100, unit="year",
                            source="design brief: the city's long-term plan period 2025-2045")
    end_year: int = param(2045, ge=2001, le=2101, unit="year (exclusive, runs to Dec of year-1)",
                          source="design brief: 2025-2045, 240 monthly steps")
    seed: int = param(20250101, ge=0, le=2**63 - 1, unit="-",
                      source="fixed default root seed; all random streams derive from it")
    scale: int = param(1, ge=1, le=100, unit="real households per household agent",
                       source="1 = full scale; >1 samples 1/scale of households and small firms")
    map: str = param("maps/blitar.toml", unit="path",
                     source="city map file, relative to the scenario file's folder")
    big_plant_year: int = param(0, ge=0, le=2101, unit="year (0 = none)",
                                source="design brief lever scenario.big_plant_year",
                                agency="Disperindag", kind="year")
    big_plant_jobs: int = param(3000, ge=1, le=20000, unit="jobs at full scale",
                                source="blitar_facts: HM Sampoerna plant ~3,000 jobs target")
    big_plant_kelurahan: str = param("Blitar", unit="kelurahan name",
                                     source="blitar_facts: Sampoerna plant, Kel. Blitar")

    @model_validator(mode="after")
    def _years(self) -> ScenarioSection:
        if self.end_year <= self.start_year:
            raise ValueError(f"scenario.end_year ({self.end_year}) must be after "
                             f"scenario.start_year ({self.start_year})")
        if self.big_plant_year and not self.start_year <= self.big_plant_year < self.end_year:
            raise ValueError(f"scenario.big_plant_year ({self.big_plant_year}) must be 0 (none) "
                             f"or within the horizon [{self.start_year}, {self.end_year - 1}]")
        return self
