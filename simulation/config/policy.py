"""Config sections of the city government: the policy levers (with their agency) and the budget."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from simulation.config.base import ILL, Section
from simulation.config.params import param

Switch = Literal["off", "on"]
UmkRule = Literal["formula", "fixed"]
RevenueUse = Literal["general", "green_subsidy", "training"]


DLH, DISPERINDAG, DPMPTSP, NAKER = "DLH", "Disperindag", "DPMPTSP", "Dinkop UM & Naker"


class PolicySection(Section):
    emission_charge: float = param(0.0, ge=0.0, le=200_000.0, unit="Rp per kg emitted",
                                   source="lever (no charge exists today)",
                                   agency=DLH, ui_step=500.0)
    emission_standard: float = param(
        2.0, ge=0.1, le=2.0, unit="max intensity relative to the sector's conventional average",
        source="lever (2.0 = not binding: firm intensities lie within 0.5-2x the average)",
        agency=DLH, ui_step=0.05)
    inspection_rate: float = param(0.05, ge=0.0, le=1.0, unit="share of manufacturers per year",
                                   source=ILL + "DLH inspection capacity; lever",
                                   agency=DLH, ui_step=0.01)
    fine: float = param(10.0, ge=0.0, le=5000.0, unit="Rp million per violation found",
                        source=ILL + "administrative fine; lever",
                        agency=DLH, ui_step=10.0, ui_max=1000.0)
    green_subsidy_share: float = param(0.0, ge=0.0, le=0.9, unit="share of green-tech cost",
                                       source="lever", agency=DISPERINDAG, ui_step=0.05)
    workshop_slots_per_year: int = param(50, ge=0, le=5000, unit="IKM firms per year",
                                         source=ILL + "Disperindag IKM coaching; lever",
                                         agency=DISPERINDAG, ui_step=10, ui_max=1000)
    workshop_awareness_gain: float = param(0.5, ge=0.0, le=1.0, unit="share of gap to 1 closed",
                                           source=ILL + "one workshop",
                                           agency=DISPERINDAG, ui_step=0.05)
    skills_training_seats_per_year: int = param(
        200, ge=0, le=20_000, unit="persons per year",
        source=ILL + "order of BLK course places a year; lever",
        agency=NAKER, ui_step=50, ui_max=5000)
    training_skill_gain: float = param(
        0.08, ge=0.0, le=2.0, unit="relative skill gain",
        source="inferred: Kartu Prakerja RCT income +10 %, Sakernas PSM earnings +3.3 % "
               "(economy_sources 6)", agency=NAKER, ui_step=0.01)
    zoning_buffer_cells: int = param(0, ge=0, le=20, unit="cells from residential",
                                     source="lever (no industrial estate exists)",
                                     agency=DPMPTSP, ui_step=1)
    ipal_pakunden_year: int = param(0, ge=0, le=2101, unit="year (0 = never)",
                                    source="lever; shared IPAL proposed 2023", agency=DLH,
                                    kind="year")
    ipal_removal_share: float = param(0.8, ge=0.0, le=1.0, unit="share of BOD removed",
                                      source=ILL + "anaerobic tofu IPAL design range 70-90 %",
                                      agency=DLH, ui_step=0.05)
    dialogue: Switch = param("off", unit="off/on", source="lever", agency=DISPERINDAG)
    research_partnership: bool = param(False, unit="bool", source="lever", agency=DISPERINDAG)
    international_partnership: bool = param(False, unit="bool", source="lever",
                                            agency=DISPERINDAG)
    umk_rule: UmkRule = param(
        "formula", unit="formula/fixed",
        source="PP 51/2023 and PP 49/2025: UMK(t+1) = UMK(t) x (1 + inflation + alpha x growth)"
               "; 'fixed' applies umk_growth_per_year instead", agency=NAKER)
    umk_alpha: float = param(
        0.7, ge=0.0, le=1.0, unit="alpha of the UMK formula",
        source="inferred: Jatim UMP 2026 +6.11 % on inflation 2.53 % and growth 5.12 % gives "
               "alpha ~0.7; PP 49/2025 range 0.5-0.9 (economy_sources 1)",
        agency=NAKER, ui_step=0.05)
    umk_growth_per_year: float = param(
        0.066, ge=-0.1, le=0.5, unit="1/year (nominal) after 2026, when umk_rule = fixed",
        source="inferred: UMK 2022-2026 average growth 6.6 %/yr", agency=NAKER, ui_step=0.005)
    permit_assistance_per_year: int = param(
        0, ge=0, le=5000, unit="household enterprises helped to register per year",
        source=ILL + "DPMPTSP help with business registration (NIB); lever",
        agency=DPMPTSP, ui_step=10, ui_max=1000)
    charge_revenue_use: RevenueUse = param(
        "general", unit="general/green_subsidy/training",
        source="lever: what emission charges and fines pay for (general = the city's budget, "
               "spent on local services)", agency=DLH)

    @field_validator("dialogue", mode="before")
    @classmethod
    def _bool_to_switch(cls, v: object) -> object:
        if isinstance(v, bool):
            return "on" if v else "off"
        return v


class BudgetSection(Section):
    programme_budget: float = param(
        3600.0, ge=0.0, le=1_000_000.0, unit="Rp million per year (2025 prices)",
        source=ILL + "yearly appropriation (APBD) for the programmes below; what is unspent "
                     "in December returns to the city's general budget")
    registration_cost: float = param(2.0, ge=0.0, le=1000.0,
                                     unit="Rp million per enterprise assisted",
                                     source=ILL + "staff time and fees of a registration")
    workshop_cost: float = param(5.0, ge=0.0, le=1000.0, unit="Rp million per firm coached",
                                 source=ILL + "a multi-day coaching course per IKM")
    training_cost: float = param(4.0, ge=0.0, le=1000.0, unit="Rp million per seat",
                                 source=ILL + "a vocational course seat")
    inspection_targeting_power: float = param(
        4.0, ge=0.0, le=20.0, unit="exponent on estimated intensity",
        source=ILL + "with the research partnership, inspections pick firms in proportion "
                     "to estimated intensity to this power (better estimates target the worst)")
    inspection_cost: float = param(1.5, ge=0.0, le=1000.0, unit="Rp million per inspection",
                                   source=ILL + "staff time and laboratory tests")
    ipal_capex: float = param(4550.0, ge=0.0, le=1_000_000.0, unit="Rp million (city share)",
                              source="blitar_facts: shared IPAL Rp 9.1 bn, 50/50 city/province;"
                                     " a capital project of the general budget, not the "
                                     "programme budget")
    ipal_opex: float = param(30.0, ge=0.0, le=10_000.0, unit="Rp million per month",
                             source=ILL + "operation and maintenance")


class ForumSection(Section):
    """The stakeholder dialogue forum (Disperindag): when it meets (every six months, with
    ``policy.dialogue = on``) it moves levers one step towards these bounds."""

    complaint_trigger: float = param(
        5.0, ge=0.0, le=1000.0, unit="complaints per 1,000 households per month",
        source=ILL + "complaints the forum acts on (more inspections, workshops, a charge)")
    unemployment_trigger: float = param(
        0.06, ge=0.0, le=1.0, unit="open unemployment rate",
        source=ILL + "above the Sakernas 2019-24 mean; the forum adds training seats")
    loss_trigger: float = param(
        0.25, ge=0.0, le=1.0, unit="share of manufacturers making a loss",
        source=ILL + "firms' concern: the forum lowers the charge")
    inspection_step: float = param(0.05, ge=0.0, le=1.0, unit="inspection rate per meeting",
                                   source=ILL + "one step of the forum")
    inspection_max: float = param(0.5, ge=0.0, le=1.0, unit="share of manufacturers per year",
                                  source=ILL + "DLH capacity the forum can ask for")
    charge_step: float = param(1000.0, ge=0.0, le=200_000.0, unit="Rp per kg per meeting",
                               source=ILL + "one step of the forum")
    charge_max: float = param(20_000.0, ge=0.0, le=200_000.0, unit="Rp per kg",
                              source=ILL + "highest charge the forum agrees to")
    workshops_step: int = param(25, ge=0, le=5000, unit="places per year per meeting",
                                source=ILL + "one step of the forum")
    workshops_max: int = param(500, ge=0, le=5000, unit="places per year",
                               source=ILL + "Disperindag coaching capacity")
    training_step: int = param(200, ge=0, le=20_000, unit="seats per year per meeting",
                               source=ILL + "one step of the forum")
    training_max: int = param(5000, ge=0, le=20_000, unit="seats per year",
                              source=ILL + "BLK capacity the forum can ask for")
