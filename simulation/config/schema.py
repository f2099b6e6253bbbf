"""The root of the typed, validated model configuration: :class:`Config` and its schedule.

One frozen pydantic model per section. Unknown keys are errors (``extra="forbid"``);
every field states its unit and source (see :func:`simulation.config.params.param`). Scenario
files (TOML) fill these sections; ``--set section.key=value`` overrides them. Loading
and error formatting live in :mod:`simulation.scenarios`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError, model_validator

from simulation.config.base import Section
from simulation.config.economy import (
    EconomySection,
    GreenTechSection,
    HouseholdSection,
    InformalSection,
    LabourSection,
    PopulationSection,
    SectorsSection,
)
from simulation.config.environment import EnvironmentSection, HealthSection
from simulation.config.params import param
from simulation.config.policy import BudgetSection, ForumSection, PolicySection
from simulation.config.scenario import ScenarioSection


class Config(Section):
    scenario: ScenarioSection = ScenarioSection()
    population: PopulationSection = PopulationSection()
    households: HouseholdSection = HouseholdSection()
    labour: LabourSection = LabourSection()
    informal: InformalSection = InformalSection()
    economy: EconomySection = EconomySection()
    sectors: SectorsSection = SectorsSection()
    green_tech: GreenTechSection = GreenTechSection()
    environment: EnvironmentSection = EnvironmentSection()
    health: HealthSection = HealthSection()
    policy: PolicySection = PolicySection()
    budget: BudgetSection = BudgetSection()
    forum: ForumSection = ForumSection()
    schedule: dict[str, dict[str, Any]] = param(
        {}, unit='{"YYYY" or "YYYY-MM": {lever: value}}',
        source="scenario file: lever changes phased in from a date (the month's start)")

    @model_validator(mode="after")
    def _dates_in_horizon(self) -> Config:
        for share in ("employment_share", "consumption_share"):
            total = sum(getattr(sec, share) for _, sec in self.sectors.items())
            if abs(total - 1.0) > 1e-3:
                raise ValueError(f"sectors.*.{share} must sum to 1 (within 0.001); "
                                 f"they sum to {total:.4f}")
        s, p = self.scenario, self.policy
        if p.ipal_pakunden_year and not s.start_year <= p.ipal_pakunden_year < s.end_year:
            raise ValueError(f"policy.ipal_pakunden_year ({p.ipal_pakunden_year}) must be 0 "
                             f"(never) or within the horizon [{s.start_year}, {s.end_year - 1}]")
        return self

    @model_validator(mode="after")
    def _schedule_valid(self) -> Config:
        last = f"{self.scenario.end_year - 1}-12"
        for date, changes in self.schedule.items():
            month = self.schedule_month(date)
            if not 0 <= month < self.n_steps:
                raise ValueError(f"schedule date {date!r} is outside the horizon "
                                 f"[{self.scenario.start_year}-01, {last}]")
            if not isinstance(changes, dict) or not changes:
                raise ValueError(f"schedule.{date} must be a table of lever = value, "
                                 f"e.g. emission_charge = 5000")
            for lever, value in changes.items():
                if lever not in PolicySection.model_fields:
                    raise ValueError(f"schedule.{date}.{lever}: unknown lever; allowed: "
                                     f"{', '.join(PolicySection.model_fields)}")
                try:
                    PolicySection.model_validate({**self.policy.model_dump(), lever: value})
                except ValidationError as exc:
                    msg = "; ".join(e["msg"] for e in exc.errors())
                    raise ValueError(f"schedule.{date}.{lever} = {value!r}: {msg}") from None
        return self

    def schedule_month(self, date: str) -> int:
        """Month index (0 = January of start_year) at which a schedule date applies."""
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", str(date))
        if not match or not 1 <= int(match.group(2) or 1) <= 12:
            raise ValueError(f"schedule date {date!r}: use YYYY or YYYY-MM, e.g. 2028-01")
        year, month = int(match.group(1)), int(match.group(2) or 1)
        return 12 * (year - self.scenario.start_year) + month - 1

    def schedule_by_month(self) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for date in sorted(self.schedule, key=self.schedule_month):
            out.setdefault(self.schedule_month(date), {}).update(self.schedule[date])
        return out

    @property
    def n_steps(self) -> int:
        return 12 * (self.scenario.end_year - self.scenario.start_year)
