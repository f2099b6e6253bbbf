"""The typed, validated configuration: one frozen pydantic model per section.

Owns every parameter's unit, range, source and (for levers) agency; the scenario files
(:mod:`simulation.scenarios`) fill it. Imports nothing from the rest of the package.

- :mod:`.params` — ``param()``: a field with unit, source, range and agency in one line.
- :mod:`.base`, :mod:`.scenario`, :mod:`.economy`, :mod:`.environment`, :mod:`.policy` — the
  sections, by the part of the model they configure; :mod:`.schema` — the root ``Config``.
- :mod:`.levers` — the lever metadata read by the CLI, sweeps, browser view and docs.
"""

from simulation.config.base import ILL, SECTOR_NAMES, Section
from simulation.config.economy import (
    EconomySection,
    GreenTechSection,
    HouseholdSection,
    InformalSection,
    LabourSection,
    PopulationSection,
    SectorConfig,
    SectorsSection,
)
from simulation.config.environment import EnvironmentSection, HealthSection
from simulation.config.policy import (
    DISPERINDAG,
    DLH,
    DPMPTSP,
    NAKER,
    BudgetSection,
    ForumSection,
    PolicySection,
    Switch,
)
from simulation.config.scenario import ScenarioSection
from simulation.config.schema import Config

__all__ = [
    "DISPERINDAG", "DLH", "DPMPTSP", "ILL", "NAKER", "SECTOR_NAMES", "BudgetSection", "Config",
    "EconomySection", "EnvironmentSection", "ForumSection", "GreenTechSection", "HealthSection",
    "HouseholdSection", "InformalSection",
    "LabourSection", "PolicySection", "PopulationSection", "ScenarioSection", "SectorConfig",
    "SectorsSection", "Section", "Switch",
]
