"""The typed, validated model configuration.

One frozen pydantic model per section. Unknown keys are errors (``extra="forbid"``);
every field states its unit and source (see :func:`simulation.params.param`). Scenario
files (TOML) fill these sections; ``--set section.key=value`` overrides them. Loading
and error formatting live in :mod:`simulation.scenarios`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from simulation.params import param

ILL = "illustrative: "

SECTOR_NAMES = (
    "food_beverage",
    "tofu_tempe",
    "tobacco",
    "wood_furniture",
    "textile_batik",
    "other_manufacturing",
    "services",
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class ScenarioSection(Section):
    name: str = param("blitar", unit="-", source="scenario name")
    description: str = param("", unit="-", source="scenario text")
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
                                agency="Disperindag")
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


class PopulationSection(Section):
    population_2024: int = param(161_204, ge=1000, le=2_000_000, unit="persons",
                                 source="BPS Kota Blitar estimate 2024")
    persons_per_household: float = param(3.45, ge=1.0, le=8.0, unit="persons/household",
                                         source="inferred: midpoint of 3.3-3.7 (blitar_facts)")
    growth_per_year: float = param(0.012, ge=-0.05, le=0.05, unit="1/year",
                                   source="inferred: BPS 2010-2024 population, ~1.2 %/yr")
    labour_force_per_person: float = param(
        0.5456, gt=0.0, le=1.0, unit="labour-force members per resident",
        source="inferred: Sakernas Aug 2023 LF 87,176 / BPS 2023 population 159,781")
    unemployment_rate_2024: float = param(0.0511, ge=0.0, lt=0.5, unit="share of labour force",
                                          source="Sakernas Aug 2024 open unemployment (TPT)")
    skill_sigma: float = param(0.35, ge=0.0, le=1.5, unit="log-sd of worker skill",
                               source=ILL + "spread of wages around the firm's pay; no data found")
    non_labour_income: float = param(
        0.5, ge=0.0, le=20.0, unit="Rp million per household per month",
        source=ILL + "transfers, remittances and informal income; no Blitar figure found")


class LabourSection(Section):
    commuting_range_km: float = param(5.0, gt=0.0, le=50.0, unit="km",
                                      source=ILL + "motorbike commute across the ~6 km city")
    separation_rate: float = param(0.012, ge=0.0, le=0.5, unit="1/month",
                                   source=ILL + "typical monthly job separation, no local data")
    search_attempts: int = param(6, ge=1, le=50, unit="firms contacted per seeker per month",
                                 source=ILL + "search intensity; sets frictional unemployment")
    wage_share: float = param(0.40, gt=0.0, lt=1.0, unit="share of value added paid as wages",
                              source=ILL + "order of Indonesia's labour share; no city figure")
    capital_share: float = param(0.30, ge=0.0, lt=1.0, unit="share of value added",
                                 source=ILL + "cost of capital and inputs out of value added")
    umk_2025: float = param(2.48145, gt=0.0, le=50.0, unit="Rp million per month",
                            source="UMK Kota Blitar 2025 (blitar_facts)")
    umk_2026: float = param(2.6346, gt=0.0, le=50.0, unit="Rp million per month",
                            source="UMK Kota Blitar 2026 (blitar_facts)")
    max_hiring_share: float = param(0.10, gt=0.0, le=1.0, unit="share of workforce per month",
                                    source=ILL + "firms grow at most this much (+1) per month")


class EconomySection(Section):
    income_growth_per_head_per_year: float = param(
        0.038, ge=-0.1, le=0.2, unit="1/year (real)",
        source="inferred: GRDP growth ~5 %/yr (BPS 2022-2024) minus population growth ~1.2 %/yr")
    productivity_growth_per_year: float = param(
        0.033, ge=-0.1, le=0.2, unit="1/year (real), within-firm trend",
        source="calibrated (experiments/calibration_report.py): with selection and "
               "reallocation between firms adding ~0.4 %/yr, labour productivity grows ~3.8 %/yr")
    inflation_per_year: float = param(0.03, ge=-0.05, le=0.5, unit="1/year",
                                      source=ILL + "inside Bank Indonesia's 2.5 ± 1 % target band")
    env_cost_price_elasticity: float = param(
        1.5, ge=0.0, le=10.0, unit="-", source=ILL + "demand response to cost passed on in prices")
    market_share_adjustment: float = param(
        0.02, ge=0.0, le=5.0, unit="1/month per unit relative cost gap",
        source=ILL + "speed at which cheaper producers win market share")
    exit_loss_months: int = param(12, ge=1, le=120, unit="months",
                                  source=ILL + "firms exit after this many months of losses")
    entry_rate_per_year: float = param(
        0.05, ge=0.0, le=1.0, unit="entrants per firm per year",
        source=ILL + "at the starting profit margin; balances closures plus job growth")
    exit_hazard_per_year: float = param(0.04, ge=0.0, le=1.0, unit="1/year",
                                        source=ILL + "closures for reasons outside the model")
    local_demand_employment_elasticity: float = param(
        0.5, ge=0.0, le=1.0, unit="-",
        source=ILL + "local multiplier: spending response to the employment rate")


class SectorConfig(Section):
    """One industry. Values for each sector are set, with sources, in the scenario file."""

    manufacturing: bool = param(True, unit="-", source="sector classification")
    initial_firms: int = param(100, ge=0, le=100_000, unit="firms at full scale",
                               source="scenario file")
    employment_share: float = param(0.01, ge=0.0, le=1.0,
                                    unit="share of employed persons at the start",
                                    source="scenario file")
    size_sigma: float = param(0.8, ge=0.0, le=3.0, unit="log-sd of firm size",
                              source="scenario file")
    productivity: float = param(8.0, gt=0.0, le=500.0,
                                unit="Rp million value added per worker per month (2025)",
                                source="scenario file")
    productivity_sigma: float = param(0.3, ge=0.0, le=2.0, unit="log-sd across firms",
                                      source="scenario file")
    wage_share: float | None = param(None, gt=0.0, lt=1.0,
                                     unit="share of value added paid as wages (None = labour)",
                                     source="scenario file")
    local_demand_share: float = param(0.5, ge=0.0, le=1.0, unit="share of sales in Blitar",
                                      source="scenario file")
    outside_demand_growth: float = param(0.05, ge=-0.5, le=0.5, unit="1/year (real)",
                                         source="scenario file")
    air_intensity: float = param(0.0, ge=0.0, le=1000.0,
                                 unit="kg PM-equivalent per Rp million value added",
                                 source="scenario file")
    water_intensity: float = param(0.0, ge=0.0, le=1000.0,
                                   unit="kg BOD per Rp million value added",
                                   source="scenario file")
    green_cost: float = param(5.0, ge=0.0, le=10_000.0, unit="Rp million per worker, one-off",
                              source="scenario file")
    green_reduction: float = param(0.6, ge=0.0, le=1.0, unit="share of emissions removed",
                                   source="scenario file")
    initial_green_share: float = param(0.05, ge=0.0, le=1.0, unit="share of firms",
                                       source="scenario file")
    initial_awareness: float = param(0.2, ge=0.0, le=1.0, unit="0-1", source="scenario file")
    cluster_kelurahan: tuple[str, ...] = param((), unit="kelurahan names",
                                               source="scenario file")
    cluster_share: float = param(0.0, ge=0.0, le=1.0, unit="share of firms in the cluster",
                                 source="scenario file")


class SectorsSection(Section):
    food_beverage: SectorConfig = SectorConfig()
    tofu_tempe: SectorConfig = SectorConfig()
    tobacco: SectorConfig = SectorConfig()
    wood_furniture: SectorConfig = SectorConfig()
    textile_batik: SectorConfig = SectorConfig()
    other_manufacturing: SectorConfig = SectorConfig()
    services: SectorConfig = SectorConfig(manufacturing=False)

    def items(self) -> list[tuple[str, SectorConfig]]:
        return [(name, getattr(self, name)) for name in SECTOR_NAMES]


class GreenTechSection(Section):
    adoption_base_rate: float = param(0.02, ge=0.0, le=1.0, unit="1/month",
                                      source=ILL + "chance an aware, able firm acts on a case")
    payback_months: float = param(36.0, gt=0.0, le=240.0, unit="months",
                                  source=ILL + "horizon over which IKM weigh savings")
    peer_radius_cells: int = param(3, ge=0, le=30, unit="cells",
                                   source=ILL + "neighbourhood for peer effects (~170 m)")
    peer_awareness_rate: float = param(0.05, ge=0.0, le=1.0, unit="1/month",
                                       source=ILL + "awareness gained from green neighbours")
    awareness_decay: float = param(0.005, ge=0.0, le=1.0, unit="1/month",
                                   source=ILL + "awareness fades without reinforcement")
    cost_decline_per_year: float = param(0.02, ge=0.0, le=0.5, unit="1/year",
                                         source=ILL + "learning curve of green technology")
    international_extra_decline: float = param(
        0.04, ge=0.0, le=0.5, unit="1/year",
        source=ILL + "extra cost decline from technology transfer when partnered")
    private_return_per_year: float = param(
        0.3, ge=0.0, le=2.0, unit="share of cost saved per year (fuel, water)",
        source=ILL + "cleaner-production measures in IKM (e.g. tofu biogas) "
                     "typically pay back in ~3 years")
    capability_barrier: float = param(2.0, ge=0.0, le=20.0, unit="x cost at zero capability",
                                      source=ILL + "perceived difficulty for IKM without know-how")
    decision_steepness: float = param(4.0, gt=0.0, le=50.0, unit="-",
                                      source=ILL + "logit steepness of the adopt decision")


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


Switch = Literal["off", "on"]
DLH, DISPERINDAG, DPMPTSP, NAKER = "DLH", "Disperindag", "DPMPTSP", "Dinkop UM & Naker"


class PolicySection(Section):
    emission_charge: float = param(0.0, ge=0.0, le=200_000.0, unit="Rp per kg emitted",
                                   source="lever (no charge exists today)", agency=DLH)
    emission_standard: float = param(
        2.0, ge=0.1, le=2.0, unit="max intensity relative to the sector's conventional average",
        source="lever (2.0 = not binding: firm intensities lie within 0.5-2x the average)",
        agency=DLH)
    inspection_rate: float = param(0.05, ge=0.0, le=1.0, unit="share of manufacturers per year",
                                   source=ILL + "DLH inspection capacity; lever", agency=DLH)
    fine: float = param(10.0, ge=0.0, le=5000.0, unit="Rp million per violation found",
                        source=ILL + "administrative fine; lever", agency=DLH)
    green_subsidy_share: float = param(0.0, ge=0.0, le=0.9, unit="share of green-tech cost",
                                       source="lever", agency=DISPERINDAG)
    workshop_slots_per_year: int = param(50, ge=0, le=5000, unit="IKM firms per year",
                                         source=ILL + "Disperindag IKM coaching; lever",
                                         agency=DISPERINDAG)
    workshop_awareness_gain: float = param(0.5, ge=0.0, le=1.0, unit="share of gap to 1 closed",
                                           source=ILL + "one workshop", agency=DISPERINDAG)
    skills_training_seats_per_year: int = param(
        200, ge=0, le=20_000, unit="persons per year",
        source=ILL + "order of BLK course places a year; lever", agency=NAKER)
    training_skill_gain: float = param(0.15, ge=0.0, le=2.0, unit="relative skill gain",
                                       source=ILL + "effect of a training course", agency=NAKER)
    zoning_buffer_cells: int = param(0, ge=0, le=20, unit="cells from residential",
                                     source="lever (no industrial estate exists)", agency=DPMPTSP)
    ipal_pakunden_year: int = param(0, ge=0, le=2101, unit="year (0 = never)",
                                    source="lever; shared IPAL proposed 2023", agency=DLH)
    ipal_removal_share: float = param(0.8, ge=0.0, le=1.0, unit="share of BOD removed",
                                      source=ILL + "anaerobic tofu IPAL design range 70-90 %",
                                      agency=DLH)
    dialogue: Switch = param("off", unit="off/on", source="lever", agency=DISPERINDAG)
    research_partnership: bool = param(False, unit="bool", source="lever", agency=DISPERINDAG)
    international_partnership: bool = param(False, unit="bool", source="lever",
                                            agency=DISPERINDAG)
    umk_growth_per_year: float = param(
        0.066, ge=-0.1, le=0.5, unit="1/year (nominal) after 2026",
        source="inferred: UMK 2022-2026 average growth 6.6 %/yr", agency=NAKER)

    @field_validator("dialogue", mode="before")
    @classmethod
    def _bool_to_switch(cls, v: object) -> object:
        if isinstance(v, bool):
            return "on" if v else "off"
        return v


class BudgetSection(Section):
    central_transfer: float = param(300.0, ge=0.0, le=100_000.0, unit="Rp million per month",
                                    source=ILL + "share of central transfers for these programmes")
    initial_balance: float = param(2000.0, ge=0.0, le=1_000_000.0, unit="Rp million",
                                   source=ILL + "programme reserve at the start")
    workshop_cost: float = param(5.0, ge=0.0, le=1000.0, unit="Rp million per firm coached",
                                 source=ILL + "a multi-day coaching course per IKM")
    training_cost: float = param(4.0, ge=0.0, le=1000.0, unit="Rp million per seat",
                                 source=ILL + "a vocational course seat")
    inspection_cost: float = param(1.5, ge=0.0, le=1000.0, unit="Rp million per inspection",
                                   source=ILL + "staff time and laboratory tests")
    ipal_capex: float = param(4550.0, ge=0.0, le=1_000_000.0, unit="Rp million (city share)",
                              source="blitar_facts: shared IPAL Rp 9.1 bn, 50/50 city/province")
    ipal_opex: float = param(30.0, ge=0.0, le=10_000.0, unit="Rp million per month",
                             source=ILL + "operation and maintenance")


class Config(Section):
    scenario: ScenarioSection = ScenarioSection()
    population: PopulationSection = PopulationSection()
    labour: LabourSection = LabourSection()
    economy: EconomySection = EconomySection()
    sectors: SectorsSection = SectorsSection()
    green_tech: GreenTechSection = GreenTechSection()
    environment: EnvironmentSection = EnvironmentSection()
    health: HealthSection = HealthSection()
    policy: PolicySection = PolicySection()
    budget: BudgetSection = BudgetSection()
    schedule: dict[str, dict[str, Any]] = param(
        {}, unit='{"YYYY" or "YYYY-MM": {lever: value}}',
        source="scenario file: lever changes phased in from a date (the month's start)")

    @model_validator(mode="after")
    def _dates_in_horizon(self) -> Config:
        total = sum(sec.employment_share for _, sec in self.sectors.items())
        if abs(total - 1.0) > 1e-3:
            raise ValueError(f"sectors.*.employment_share must sum to 1 (within 0.001); "
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
